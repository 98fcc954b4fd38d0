"""
Examples/network-project against the reference: its generated files are what the reference
produces from example_history.py, each compile mode on it matches golden/example-project, and
slicels does the same as the reference on it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import example_history
import refharness
from refharness import EXAMPLE, GOLDEN, MODES, ExampleModeRecord
from test_reference import compare_slicels_step

EXAMPLE_GOLDEN = GOLDEN / "example-project"


@pytest.mark.reference
@pytest.mark.needs_jobs("example-history")
def test_example_files_are_what_the_reference_produces(reference_jobs, recording: bool) -> None:  # noqa: ANN001
    produced = reference_jobs.result("example-history")
    if recording:
        reference_jobs.write_example_history()
        return
    committed = example_history.produced_files(EXAMPLE)
    differences = refharness.describe_tree_difference(committed, produced)
    assert not differences, (
        "Examples/network-project differs from what example_history.py produces with the reference "
        "(run it with --write, or the harness with --record, if intended):\n" + "\n".join(differences)
    )


def golden_tree_of(record: ExampleModeRecord) -> refharness.Tree:
    summary = {
        "mode": record.mode,
        "exit_status": record.exit_status,
        "error": record.error,
        "views": record.views,
    }
    tree = {"result.json": (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode()}
    # Only what the compile changed: the before state is the committed example itself.
    for relative in sorted(set(record.before) | set(record.after)):
        if record.before.get(relative) != record.after.get(relative):
            if relative in record.after:
                tree[f"changed/{relative}"] = record.after[relative]
            else:
                tree[f"removed/{relative}"] = b""
    return tree


def record_from_golden(mode: str) -> ExampleModeRecord:
    directory = EXAMPLE_GOLDEN / mode
    summary = json.loads((directory / "result.json").read_text())
    before = refharness.example_state(EXAMPLE)
    after = dict(before)
    after.update(refharness.read_tree(directory / "changed"))
    for removed in refharness.read_tree(directory / "removed"):
        after.pop(removed, None)
    return ExampleModeRecord(
        mode=mode,
        before=before,
        after=after,
        exit_status=summary["exit_status"],
        error=summary["error"],
        views=summary["views"],
    )


@pytest.mark.reference
@pytest.mark.parametrize("example_mode", MODES)
def test_example_mode_matches_golden(example_mode: str, reference_jobs, recording: bool) -> None:  # noqa: ANN001
    record: ExampleModeRecord = reference_jobs.result(f"example-mode:{example_mode}")
    assert record.exit_status == 0, record.error
    tree = golden_tree_of(record)
    directory = EXAMPLE_GOLDEN / example_mode
    if recording:
        refharness.write_golden(directory, tree)
        return
    differences = refharness.describe_tree_difference(refharness.read_tree(directory), tree)
    assert not differences, (
        f"{example_mode} compile of the example differs from golden/example-project/{example_mode} "
        "(re-run with --record if intended):\n" + "\n".join(differences)
    )


@pytest.mark.parametrize("example_mode", MODES)
def test_slicels_on_example(example_mode: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    if request.config.getoption("--from-golden"):
        record = record_from_golden(example_mode)
    else:
        record = request.getfixturevalue("reference_jobs").result(f"example-mode:{example_mode}")
    project = refharness.copy_example(tmp_path / "network-project")
    outcome = refharness.run_slicels(project, example_mode)
    outcome.state = refharness.example_state(project)
    compare_slicels_step(
        f"example/{example_mode}",
        example_mode,
        record.exit_status,
        record.error,
        record.after,
        record.views,
        outcome,
    )
