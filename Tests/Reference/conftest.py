"""
pytest wiring of the differential harness.

The reference compiles are slow (~1.5 s each, ~170 in all), so they run once per session, in a
thread pool (--reference-jobs, default 2 or $SLICELS_REFERENCE_JOBS), started as soon as the
tests are collected: each test then waits only for the job it needs.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import refharness  # noqa: E402
from scenarios import SCENARIOS  # noqa: E402

SCENARIOS_BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("slicels reference")
    group.addoption(
        "--record",
        action="store_true",
        help="rewrite Tests/Reference/golden/ and the generated files of Examples/network-project "
        "from the reference's output instead of comparing them",
    )
    group.addoption(
        "--from-golden",
        action="store_true",
        help="compare slicels with the committed golden files only: no reference compile runs "
        "(the reference tests are deselected)",
    )
    group.addoption(
        "--reference-jobs",
        type=int,
        default=int(os.environ.get("SLICELS_REFERENCE_JOBS", "2")),
        help="reference compiles run in parallel (default 2, or $SLICELS_REFERENCE_JOBS)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--from-golden"):
        if config.getoption("--record"):
            raise pytest.UsageError("--record and --from-golden exclude each other")
        kept = [item for item in items if not item.get_closest_marker("reference")]
        deselected = [item for item in items if item.get_closest_marker("reference")]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
        items[:] = kept
    # The jobs the selected tests need, started by the session fixture all at once.
    needed: set[str] = set()
    for item in items:
        marker = item.get_closest_marker("needs_jobs")
        if marker:
            needed.update(marker.args)
        callspec = getattr(item, "callspec", None)
        if callspec and not config.getoption("--from-golden"):
            if "scenario_name" in callspec.params:
                needed.add(f"scenario:{callspec.params['scenario_name']}")
            if "example_mode" in callspec.params:
                needed.add(f"example-mode:{callspec.params['example_mode']}")
    config._slicels_needed_jobs = needed  # type: ignore[attr-defined]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reference: runs reference compiles (deselected by --from-golden)")
    config.addinivalue_line("markers", "needs_jobs(*names): reference jobs the test waits for")


class ReferenceJobs:
    """The reference runs of the session, by job name, computed in a thread pool."""

    def __init__(self, python: str, workdir: Path, jobs: int, recording: bool) -> None:
        self.python = python
        self.workdir = workdir
        self.recording = recording
        self.example_lock = threading.Lock()
        self.example_history: refharness.Tree | None = None
        self.example_written = False
        self.pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="reference")
        self.futures: dict[str, Future[object]] = {}
        self.schemas_future: Future[refharness.Tree] = self.pool.submit(
            refharness.bootstrap_schemas, python, workdir
        )

    def start(self, names: set[str]) -> None:
        # Longest scenarios first: the pool finishes sooner.
        def weight(name: str) -> int:
            kind, _, rest = name.partition(":")
            if kind == "scenario":
                return len(SCENARIOS_BY_NAME[rest].steps)
            return 20  # plain compiles and the example's history: slow, start them first

        for name in sorted(names, key=weight, reverse=True):
            self.submit(name)

    def submit(self, name: str) -> Future[object]:
        if name not in self.futures:
            self.futures[name] = self.pool.submit(self._run, name)
        return self.futures[name]

    def _run(self, name: str) -> object:
        kind, _, rest = name.partition(":")
        schemas = self.schemas_future.result()
        if kind == "scenario":
            return refharness.run_reference(self.python, SCENARIOS_BY_NAME[rest], schemas, self.workdir)
        if kind == "plain-scenario":
            return refharness.run_reference(
                self.python, SCENARIOS_BY_NAME[rest], schemas, self.workdir / "plain", plain=True
            )
        if kind == "example-history":
            return self.build_example_history()
        if kind == "example-mode":
            if self.recording:
                # The example's generated files are rewritten first: its compiles run on them.
                self.write_example_history()
            return refharness.run_example_mode(self.python, rest, self.workdir / f"example-{rest}")
        raise KeyError(name)

    def build_example_history(self) -> refharness.Tree:
        """The example's history, built once, in the calling thread (never waits on a queued job)."""
        import example_history

        with self.example_lock:
            if self.example_history is None:
                self.example_history = example_history.build(self.workdir / "example-history", self.python)
            return self.example_history

    def write_example_history(self) -> None:
        """--record: rewrite Examples/network-project's generated files, once."""
        import example_history

        produced = self.build_example_history()
        with self.example_lock:
            if not self.example_written:
                example_history.write_produced(produced)
                self.example_written = True

    def result(self, name: str) -> object:
        return self.submit(name).result()

    def schemas(self) -> refharness.Tree:
        return self.schemas_future.result()


@pytest.fixture(scope="session")
def recording(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--record"))


@pytest.fixture(scope="session")
def reference_jobs(request: pytest.FixtureRequest) -> ReferenceJobs:
    if request.config.getoption("--from-golden"):
        raise RuntimeError("no reference job runs with --from-golden")
    workdir = Path(tempfile.mkdtemp(prefix="slicels-reference-"))
    jobs = ReferenceJobs(
        refharness.reference_python(),
        workdir,
        request.config.getoption("--reference-jobs"),
        bool(request.config.getoption("--record")),
    )
    jobs.start(getattr(request.config, "_slicels_needed_jobs", set()))
    yield jobs
    jobs.pool.shutdown(wait=True, cancel_futures=True)
    if not os.environ.get("SLICELS_REFERENCE_KEEP"):
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def reference_schemas(request: pytest.FixtureRequest) -> refharness.Tree:
    """The exposed schemas: from this session's bootstrap compile, or the golden ones."""
    if request.config.getoption("--from-golden"):
        return refharness.golden_schemas()
    return request.getfixturevalue("reference_jobs").schemas()
