"""
Differential tests: the reference implementation against its golden files (always), and slicels'
embedded engine against the reference, step by step (`slicels update --style reference`, `sync`,
`export --json` and `prune`).

For a slicels step test, slicels starts from the reference's files *before* that step (so a
mismatch in one step does not cascade) and must leave byte-identical files under files/<store>/
and git_ops/; for export, its `--json` output must equal (typed JSON equality) what the model
received from git_ops::unroll_slices. When the reference compile failed, slicels must fail too.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

import refharness
from refharness import GOLDEN, ScenarioRecord
from scenarios import CHECKS, SCENARIOS

SCENARIOS_BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
USAGE_ERROR = 64


@pytest.mark.reference
def test_reference_schemas_match_golden(reference_schemas: refharness.Tree, recording: bool) -> None:
    """The exposed schemas an update compile writes (pydantic's model_json_schema)."""
    tree = refharness.golden_project_tree(reference_schemas)
    directory = GOLDEN / "_project"
    if recording:
        refharness.write_golden(directory, tree)
        return
    problems = refharness.describe_tree_difference(refharness.read_tree(directory), tree)
    assert not problems, "reference schemas differ from golden/_project (re-run with --record if intended):\n" + "\n".join(problems)


@pytest.mark.reference
@pytest.mark.parametrize("scenario_name", list(SCENARIOS_BY_NAME))
def test_reference_scenario(
    scenario_name: str,
    reference_jobs,  # noqa: ANN001 (conftest.ReferenceJobs)
    reference_schemas: refharness.Tree,
    recording: bool,
) -> None:
    """The reference's compiles succeed or fail as the scenario says, and match the goldens."""
    scenario = SCENARIOS_BY_NAME[scenario_name]
    record: ScenarioRecord = reference_jobs.result(f"scenario:{scenario_name}")

    problems: list[str] = []
    for spec, step in zip(scenario.steps, record.steps, strict=True):
        if spec.expect_error is None and step.exit_status != 0:
            problems.append(f"{step.label}: compile failed unexpectedly:\n{step.error}")
        if spec.expect_error is not None:
            if step.exit_status == 0:
                problems.append(f"{step.label}: compile succeeded, expected an error with {spec.expect_error!r}")
            elif spec.expect_error not in (step.error or ""):
                problems.append(f"{step.label}: error lacks {spec.expect_error!r}:\n{step.error}")
        if step.schemas_after != reference_schemas:
            problems.append(f"{step.label}: the compile changed the exposed schemas")
    assert not problems, "\n".join(problems)

    for check in CHECKS.get(scenario_name, ()):
        check(record)

    tree = refharness.golden_tree_of(record)
    directory = GOLDEN / scenario_name
    if recording:
        refharness.write_golden(directory, tree)
        return
    differences = refharness.describe_tree_difference(refharness.read_tree(directory), tree)
    assert not differences, (
        f"reference output of {scenario_name} differs from golden/{scenario_name} "
        "(re-run with --record if the change is intended):\n" + "\n".join(differences)
    )


@pytest.mark.reference
@pytest.mark.needs_jobs("plain-scenario:create", "scenario:create")
def test_compile_server_gives_what_plain_compiles_give(reference_jobs) -> None:  # noqa: ANN001
    """
    Scenarios run their compiles through compile_server.py (forked children of a process that
    imported inmanta once); this runs one scenario with separate `inmanta compile` processes.
    """
    served: ScenarioRecord = reference_jobs.result("scenario:create")
    plain: ScenarioRecord = reference_jobs.result("plain-scenario:create")
    assert refharness.golden_tree_of(plain) == refharness.golden_tree_of(served)


@functools.cache
def golden_record(name: str) -> ScenarioRecord:
    return refharness.load_golden_record(name)


def scenario_record(request: pytest.FixtureRequest, name: str) -> ScenarioRecord:
    if request.config.getoption("--from-golden"):
        return golden_record(name)
    return request.getfixturevalue("reference_jobs").result(f"scenario:{name}")


def compare_slicels_step(
    step_label: str,
    mode: str,
    reference_exit_status: int,
    reference_error: str | None,
    expected_after: refharness.Tree,
    expected_views: dict[str, object],
    outcome: refharness.SlicelsOutcome,
) -> None:
    if reference_exit_status != 0:
        assert outcome.exit_status != 0, (
            f"{step_label}: the reference compile failed but slicels {mode} succeeded.\n"
            f"reference error:\n{reference_error}"
        )
        # 64 is swift-argument-parser's usage error: the command line was refused, not the files.
        assert outcome.exit_status != USAGE_ERROR, (
            f"{step_label}: slicels {mode} refused its command line (exit 64):\n{outcome.stderr}"
        )
        return
    assert outcome.exit_status == 0, (
        f"{step_label}: slicels {mode} failed (exit {outcome.exit_status}) where the reference succeeded:\n"
        f"{outcome.stderr}\n{outcome.stdout}"
    )
    differences = refharness.describe_tree_difference(expected_after, outcome.state)
    assert not differences, f"{step_label}: files after slicels {mode} differ from the reference's:\n" + "\n".join(differences)
    if mode == "export":
        actual = refharness.normalized_views(refharness.views_from_export_output(outcome.stdout))
        expected = refharness.normalized_views(expected_views)
        difference = refharness.first_json_difference(expected, actual)
        assert difference is None, f"{step_label}: slicels export --json differs from the reference's merged view: {difference}"


# Known differences of the embedded engine, each explained in README.md ("Deliberate
# differences"). strict: a step that starts agreeing fails until it is taken off this list.
KNOWN_DIFFERENCES = {
    "yaml-1-1-values-09-update": (
        "pydantic's JSON dump turns a non-finite float inside a list of slice objects into null, "
        "so the reference's update fails re-validating its own output; the embedded engine keeps the value"
    ),
    "yaml-1-1-values-10-export": (
        "Python compares NaN by object identity (a NaN read from one file equals itself, not a NaN "
        "read from another); the embedded engine follows IEEE equality, so the element is 'update' not 'create'"
    ),
}


def slicels_step_parameters() -> list[object]:
    parameters = []
    for scenario in SCENARIOS:
        for index, step in enumerate(scenario.steps, start=1):
            label = f"{scenario.name}-{index:02d}-{step.mode}"
            marks = []
            if label in KNOWN_DIFFERENCES:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DIFFERENCES[label]))
            parameters.append(pytest.param(scenario.name, index, id=label, marks=marks))
    return parameters


@pytest.mark.parametrize("scenario_name,step_index", slicels_step_parameters())
def test_slicels_step(
    scenario_name: str,
    step_index: int,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    reference_schemas: refharness.Tree,
) -> None:
    record = scenario_record(request, scenario_name)
    step = record.steps[step_index - 1]
    project = refharness.make_project(tmp_path / "project", reference_schemas)
    refharness.replace_state(project, step.before)
    outcome = refharness.run_slicels(project, step.mode)
    emptied = refharness.stores_a_sync_empties(step.before) if step.mode == "sync" else []
    if emptied and step.exit_status == 0:
        # A deliberate difference (README): slicels refuses to delete every live slice of a
        # store whose source folder holds none, writing nothing; allowed, it does what the
        # reference does.
        assert outcome.exit_status == 1, f"{scenario_name}/{step.label}: sync emptied {emptied} without being allowed"
        for store in emptied:
            assert f"files/{store}:1:1: error: sync refused" in outcome.stderr, outcome.stderr
        assert not refharness.describe_tree_difference(step.before, outcome.state)
        outcome = refharness.run_slicels(project, step.mode, extra=["--allow-emptied-stores"])
    compare_slicels_step(
        f"{scenario_name}/{step.label}",
        step.mode,
        step.exit_status,
        step.error,
        step.after,
        step.views,
        outcome,
    )
