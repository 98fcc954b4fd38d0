"""
The harness's own check: with the reference itself standing in for slicels
(reference_as_slicels.py), a slicels comparison passes; with a corrupted stand-in (a file one
byte longer, versions printed as 1.0) it fails. So a passing slicels test means something.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

import refharness
from refharness import HERE
from test_reference import compare_slicels_step

pytestmark = pytest.mark.reference


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    def install(*extra: str) -> None:
        script = tmp_path / "slicels"
        script.write_text(
            f"#!/bin/sh\nexec '{sys.executable}' '{HERE / 'reference_as_slicels.py'}' {' '.join(extra)} \"$@\"\n"
        )
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        monkeypatch.setenv("SLICELS_BIN", str(script))

    yield install


@pytest.mark.parametrize("label", ["01-update", "03-export"])
@pytest.mark.parametrize("corrupt", [False, True], ids=["faithful", "corrupted"])
def test_slicels_comparison_detects_differences(
    label: str,
    corrupt: bool,
    stand_in,  # noqa: ANN001
    tmp_path: Path,
    reference_jobs,  # noqa: ANN001
    reference_schemas: refharness.Tree,
) -> None:
    stand_in(*(["--corrupt"] if corrupt else []))
    record: refharness.ScenarioRecord = reference_jobs.result("scenario:create")
    step = record.step(label)
    project = refharness.make_project(tmp_path / "project", reference_schemas)
    refharness.replace_state(project, step.before)
    outcome = refharness.run_slicels(project, step.mode)

    def compare() -> None:
        compare_slicels_step(label, step.mode, step.exit_status, step.error, step.after, step.views, outcome)

    if corrupt:
        with pytest.raises(AssertionError):
            compare()
    else:
        compare()
    assert os.environ["SLICELS_BIN"].startswith(str(tmp_path))
