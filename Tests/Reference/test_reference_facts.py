"""
Reference behaviours that do not fit a differential scenario — they depend on the file system's
directory order, on Python code in the model, or on the configuration — verified on real
compiles and stated in docs/reference-notes.md. The slice-create scaffolds are also recorded in
golden/slice-create/ (for `slicels new`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import refharness
from refharness import GOLDEN

pytestmark = pytest.mark.reference

LAB = '{"site": "bru", "vlan_id": 20, "name": "lab"}'


@pytest.fixture(scope="module")
def python() -> str:
    return refharness.reference_python()


def project_with(tmp_path: Path, schemas: refharness.Tree, files: dict[str, str | None]) -> Path:
    project = refharness.make_project(tmp_path / "project", schemas)
    refharness.apply_edits(project, files)
    return project


def test_same_name_in_two_formats_keeps_the_last_in_directory_order(
    tmp_path: Path, python: str, reference_schemas: refharness.Tree
) -> None:
    project = project_with(
        tmp_path,
        reference_schemas,
        {
            "files/vlans/lab.json": '{"site": "bru", "vlan_id": 20, "name": "from-json"}',
            "files/vlans/lab.yaml": "site: bru\nvlan_id: 20\nname: from-yaml\n",
        },
    )
    # pathlib's glob lists a folder in os.scandir order; the later file overwrites the earlier.
    order = [entry.name for entry in os.scandir(project / "files" / "vlans")]
    winner, loser = order[-1], order[0]
    before = refharness.slice_state(project)
    assert refharness.run_compile(python, project, "update").exit_status == 0
    after_update = refharness.slice_state(project)
    assert after_update[f"files/vlans/{loser}"] == before[f"files/vlans/{loser}"], "the loser is not rewritten"
    assert after_update[f"files/vlans/{winner}"] != before[f"files/vlans/{winner}"], "the winner is normalised"
    assert refharness.run_compile(python, project, "sync").exit_status == 0
    active = json.loads((project / "git_ops/active/vlans/lab@v1.json").read_text())
    assert active["name"] == ("from-json" if winner.endswith(".json") else "from-yaml")


def test_sync_blocked_when_the_model_changed_a_slice(
    tmp_path: Path, python: str, reference_schemas: refharness.Tree
) -> None:
    # refkinds::record_view mutates a list the merged view shares with the source slice
    # (only Python code in the model can change a slice during a sync).
    project = project_with(tmp_path, reference_schemas, {"files/kinds/basic.json": '{"name": "basic", "numbers": [1]}'})
    outcome = refharness.run_compile(
        python, project, "sync", extra_environment={"SLICELS_REFERENCE_MUTATE": "kinds/basic"}
    )
    assert outcome.exit_status != 0
    assert outcome.error is not None
    assert outcome.error == "Error: Finalizer failed: Sync blocked: some slices still contained some change: ['basic']"
    # The changed data is written back to the source, normalised, and nothing is activated.
    assert (project / "files/kinds/basic.json").read_text().startswith('{\n  "name": "basic",')
    assert json.loads((project / "files/kinds/basic.json").read_text())["numbers"] == [1, 99]
    assert not (project / "git_ops/active/kinds/basic@v1.json").exists()


SLICE_CREATE_CASES = [(store, extension) for store in refharness.STORES for extension in ("json", "yaml")]


@pytest.mark.parametrize("store,extension", SLICE_CREATE_CASES, ids=[f"{s}-{e}" for s, e in SLICE_CREATE_CASES])
def test_slice_create_scaffold(
    store: str,
    extension: str,
    tmp_path: Path,
    python: str,
    reference_schemas: refharness.Tree,
    recording: bool,
) -> None:
    output = tmp_path / "output.json"
    project = project_with(tmp_path, reference_schemas, {})
    outcome = refharness.run_compile(
        python,
        project,
        "slice-create",
        extra_environment={
            "INMANTA_GIT_OPS_SLICE_STORE": store,
            "INMANTA_GIT_OPS_SLICE_NAME": "new",
            "INMANTA_GIT_OPS_SLICE_EXTENSION": extension,
            "INMANTA_GIT_OPS_OUTPUT_FILE": str(output),
        },
    )
    assert outcome.exit_status == 0, outcome.error
    created = project / "files" / store / f"new.{extension}"
    # The command's result is the created file's path, relative to the project here.
    assert json.loads(output.read_text()) == f"files/{store}/new.{extension}"
    assert created.exists()
    scaffold = created.read_bytes()
    assert b"<REPLACE_THIS>" in scaffold
    golden = GOLDEN / "slice-create" / f"{store}.{extension}"
    if recording:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(scaffold)
        return
    assert golden.read_bytes() == scaffold, f"scaffold differs from {golden.relative_to(GOLDEN)}"


def test_slice_create_refuses_existing_and_bad_names(
    tmp_path: Path, python: str, reference_schemas: refharness.Tree
) -> None:
    project = project_with(tmp_path, reference_schemas, {"files/vlans/lab.json": LAB})
    errors = {}
    for name in ("lab", "a@b", ".hidden", ""):
        outcome = refharness.run_compile(
            python,
            project,
            "slice-create",
            extra_environment={
                "INMANTA_GIT_OPS_SLICE_STORE": "vlans",
                "INMANTA_GIT_OPS_SLICE_NAME": name,
                "INMANTA_GIT_OPS_OUTPUT_FILE": str(tmp_path / "out.json"),
            },
        )
        assert outcome.exit_status != 0
        errors[name] = outcome.error or ""
    assert "A source slice named lab already exists in store vlans" in errors["lab"]
    for name in ("a@b", ".hidden", ""):
        assert (
            f"Invalid slice name: {name!r}.  A slice name can not be empty, start with a dot, "
            "or contain any '/' or '@' character." in errors[name]
        )


CONFIG_CASES = {
    "module-path": (
        "stores:\n  - store_name: fs\n    schema_path: inmanta://netslices/files/schemas/fs.json\n",
        "libs/netslices/files/schemas/fs.json",
        None,
    ),
    "unknown-keys-and-stores": (
        "colour: red\nstores:\n  - store_name: nope\n    schema_path: inmanta:///files/nope.json\n"
        "  - store_name: fs\n    schema_path: inmanta:///files/elsewhere/fs.json\n    extra: 1\n"
        "  - store_name: fs\n    schema_path: inmanta:///files/second/fs.json\n",
        "files/elsewhere/fs.json",
        None,
    ),
    "not-under-files": (
        "stores:\n  - store_name: fs\n    schema_path: inmanta:///schemas/fs.json\n",
        None,
        "String should match pattern",
    ),
    "relative-path": (
        "stores:\n  - store_name: fs\n    schema_path: files/schemas/fs.json\n",
        None,
        "String should match pattern",
    ),
    "empty-file": ("", None, "argument after ** must be a mapping"),
    "unknown-module": (
        "stores:\n  - store_name: fs\n    schema_path: inmanta://nope/files/fs.json\n",
        None,
        "Can not find a module with name: nope",
    ),
}


@pytest.mark.parametrize("case", list(CONFIG_CASES))
def test_git_ops_config(
    case: str, tmp_path: Path, python: str, reference_schemas: refharness.Tree
) -> None:
    config, schema_written, error = CONFIG_CASES[case]
    project = project_with(tmp_path, {}, {refharness.CONFIG_FILE: config})
    outcome = refharness.run_compile(python, project, "update")
    written = sorted(
        path.relative_to(project).as_posix()
        for path in project.rglob("*.json")
        if path.read_bytes() == reference_schemas["files/schemas/fs.json"]
    )
    if error is None:
        assert outcome.exit_status == 0, outcome.error
        assert written == [schema_written]
    else:
        assert outcome.exit_status != 0
        assert error in (outcome.error or "")
        assert written == []
    # Only update compiles read the configuration: the other modes do not see a broken one.
    assert refharness.run_compile(python, project, "sync").exit_status == 0
