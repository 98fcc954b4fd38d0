"""
The differential harness: runs real inmanta compiles (the reference implementation of the git-ops
store semantics, PyPI inmanta-module-git-ops 0.7.2) on tiny projects, records what they do, and
runs slicels' embedded engine on the same inputs.

A scenario (see scenarios.py) is a list of steps; a step applies edits to the project's files
and runs one compile mode. For every step the harness records the project's slice files before
and after (every file under files/<store>/ and git_ops/), the compile's exit status and error, and
what the model received from git_ops::unroll_slices for every store (the merged view).
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
TEMPLATE = HERE / "project"
EXAMPLE = REPO_ROOT / "Examples" / "network-project"
GOLDEN = HERE / "golden"
STORES = ("fs", "vlans", "kinds", "extras")
EXAMPLE_STORES = ("fs", "vlans")
MODES = ("update", "sync", "export", "prune")
# Files of the template that every scenario shares; they are recorded once, in golden/_project.
CONFIG_FILE = "files/git-ops-config.yml"
SCHEMA_DIR = "files/schemas"
COMPILE_TIMEOUT_SECONDS = 300

Tree = dict[str, bytes]


# --------------------------------------------------------------------------------------------
# Scenarios


@dataclass(frozen=True)
class Step:
    """
    One compile: ``edits`` (project-relative path → new text, or None to delete the file) are
    applied first, then the compile runs in ``mode``. ``expect_error`` is a substring the
    compile's error must contain; None means the compile must succeed.
    """

    mode: str
    edits: Mapping[str, str | None] = field(default_factory=dict)
    note: str = ""
    expect_error: str | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    doc: str
    steps: tuple[Step, ...]


# --------------------------------------------------------------------------------------------
# Records


@dataclass
class StepRecord:
    index: int
    mode: str
    note: str
    edits: dict[str, str | None]
    before: Tree
    after: Tree
    exit_status: int
    error: str | None
    views: dict[str, object]
    schemas_after: Tree
    seconds: float

    @property
    def label(self) -> str:
        return f"{self.index:02d}-{self.mode}"

    def summary(self) -> dict[str, object]:
        """What steps.json holds for this step (the trees are stored as files)."""
        return {
            "label": self.label,
            "mode": self.mode,
            "note": self.note,
            "edits": self.edits,
            "exit_status": self.exit_status,
            "error": self.error,
            "views": self.views,
        }


@dataclass
class ScenarioRecord:
    name: str
    doc: str
    steps: list[StepRecord]

    def step(self, label: str) -> StepRecord:
        for step in self.steps:
            if step.label == label:
                return step
        raise KeyError(label)

    def summary(self) -> dict[str, object]:
        return {
            "scenario": self.name,
            "doc": self.doc,
            "steps": [step.summary() for step in self.steps],
        }


# --------------------------------------------------------------------------------------------
# Projects and files


def reference_python() -> str:
    """
    The interpreter that runs the reference compiles: the one running the harness when it can
    import the reference (the normal case: pytest runs inside the venv scripts/reference-venv
    makes), else $SLICELS_REFERENCE_VENV/bin/python. Fails loudly otherwise.
    """
    probe = "import inmanta.app, inmanta_plugins.git_ops.store"
    candidates = [sys.executable]
    if os.environ.get("SLICELS_REFERENCE_VENV"):
        candidates.append(str(Path(os.environ["SLICELS_REFERENCE_VENV"]) / "bin" / "python"))
    for candidate in candidates:
        if Path(candidate).exists() and subprocess.run(
            [candidate, "-c", probe], capture_output=True
        ).returncode == 0:
            return candidate
    raise RuntimeError(
        "The reference implementation (inmanta-module-git-ops 0.7.2) is not importable. "
        "Run the harness through Tests/Reference/run, which builds its venv with "
        "scripts/reference-venv."
    )


def make_project(destination: Path, schemas: Tree | None) -> Path:
    """
    Builds a scenario project: the template (project.yml, main.cf, the refkinds module, the
    git-ops config), the example's netslices module, and the given exposed schemas.
    """
    shutil.copytree(TEMPLATE, destination)
    shutil.copytree(EXAMPLE / "libs" / "netslices", destination / "libs" / "netslices")
    for leftover in destination.rglob("__pycache__"):
        shutil.rmtree(leftover)
    if schemas:
        write_tree(destination, schemas)
    return destination


def read_tree(root: Path, *, include: Callable[[str], bool] = lambda _: True) -> Tree:
    """Every file under root, by POSIX path relative to root."""
    tree: Tree = {}
    if not root.exists():
        return tree
    for path in sorted(root.rglob("*")):
        if path.is_file():
            relative = path.relative_to(root).as_posix()
            if include(relative):
                tree[relative] = path.read_bytes()
    return tree


def write_tree(root: Path, tree: Mapping[str, bytes]) -> None:
    for relative, data in tree.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def is_slice_state(relative: str) -> bool:
    """The files a compile reads and writes: files/** (but the shared config and schemas) and git_ops/**."""
    if relative == CONFIG_FILE or relative.startswith(SCHEMA_DIR + "/"):
        return False
    return relative.startswith("files/") or relative.startswith("git_ops/")


def slice_state(project: Path) -> Tree:
    return read_tree(project, include=is_slice_state)


def schemas_of(project: Path) -> Tree:
    return read_tree(project, include=lambda relative: relative.startswith(SCHEMA_DIR + "/"))


def apply_edits(project: Path, edits: Mapping[str, str | None]) -> None:
    for relative, text in edits.items():
        path = project / relative
        if text is None:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def replace_state(project: Path, state: Tree) -> None:
    """Makes the project's slice state exactly `state` (used to start slicels from a step's before)."""
    for relative in slice_state(project):
        (project / relative).unlink()
    write_tree(project, state)


# --------------------------------------------------------------------------------------------
# Reference compiles


@dataclass
class CompileOutcome:
    exit_status: int
    error: str | None
    views: dict[str, object]
    stdout: str
    stderr: str
    seconds: float


def compile_environment(
    mode: str, view_dir: Path, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("INMANTA_GIT_OPS_", "SLICELS_REFERENCE_"))
        and key != "NETSLICES_VIEW_DIR"
    }
    environment["INMANTA_GIT_OPS_COMPILE_MODE"] = mode
    environment["SLICELS_REFERENCE_VIEW_DIR"] = str(view_dir)
    environment["NETSLICES_VIEW_DIR"] = str(view_dir)  # the example project's dump_view
    # Plain, stable output.
    environment.pop("INMANTA_FORCE_TTY", None)
    environment["NO_COLOR"] = "1"
    environment.update(extra or {})
    return environment


def compile_error(stderr: str, project: Path) -> str | None:
    """
    The error of a failed compile, as the compiler prints it after 'COMPILATION FAILURE':
    the 'Error:' line and the 'caused by:' chain, with the project's path replaced by
    <project>.
    """
    marker = stderr.find("COMPILATION FAILURE")
    if marker < 0:
        return None
    text = stderr[marker:].split("\n", 1)[1] if "\n" in stderr[marker:] else ""
    text = text.replace(str(project.resolve()), "<project>").replace(str(project), "<project>")
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return "\n".join(lines).strip() or None


class CompileServer:
    """
    A compile_server.py process: runs `inmanta compile` in forked children of a process that
    imported inmanta once (see that file). One per thread; a request at a time.
    """

    def __init__(self, python: str) -> None:
        self.process = subprocess.Popen(
            [python, "-I", str(HERE / "compile_server.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=tempfile.gettempdir(),
        )
        atexit.register(self.close)

    def run(self, project: Path, environment: dict[str, str], arguments: list[str]) -> tuple[int, str, str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        with tempfile.TemporaryDirectory(prefix="slicels-compile-") as scratch:
            stdout_path = Path(scratch) / "stdout"
            stderr_path = Path(scratch) / "stderr"
            request = {
                "cwd": str(project),
                "env": environment,
                "args": arguments,
                "stdout": str(stdout_path),
                "stderr": str(stderr_path),
            }
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            ready, _, _ = select.select([self.process.stdout], [], [], COMPILE_TIMEOUT_SECONDS)
            if not ready:
                self.process.kill()
                raise TimeoutError(f"compile in {project} took more than {COMPILE_TIMEOUT_SECONDS} s")
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the compile server died")
            exit_status = int(json.loads(line)["exit_status"])
            return exit_status, stdout_path.read_text(errors="replace"), stderr_path.read_text(errors="replace")

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


_SERVERS = threading.local()


def use_compile_server() -> bool:
    return os.environ.get("SLICELS_REFERENCE_FORK", "1") != "0"


def compile_process(
    python: str, project: Path, environment: dict[str, str], *, plain: bool = False
) -> tuple[int, str, str]:
    arguments = ["compile", "--no-cache"]
    if use_compile_server() and not plain:
        server = getattr(_SERVERS, "server", None)
        if server is None or server.process.poll() is not None:
            server = CompileServer(python)
            _SERVERS.server = server
        return server.run(project, environment, arguments)
    completed = subprocess.run(
        [python, "-m", "inmanta.app", *arguments],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=COMPILE_TIMEOUT_SECONDS,
    )
    return completed.returncode, completed.stdout, completed.stderr


def run_compile(
    python: str,
    project: Path,
    mode: str,
    *,
    plain: bool = False,
    extra_environment: Mapping[str, str] | None = None,
) -> CompileOutcome:
    """
    One compile; `plain` forces a separate `python -m inmanta.app compile` process;
    `extra_environment` adds variables (e.g. the slice command ones).
    """
    with tempfile.TemporaryDirectory(prefix="slicels-view-") as view_dir_name:
        view_dir = Path(view_dir_name)
        started = time.monotonic()
        exit_status, stdout, stderr = compile_process(
            python, project, compile_environment(mode, view_dir, extra_environment), plain=plain
        )
        seconds = time.monotonic() - started
        views: dict[str, object] = {}
        for store in STORES:  # the example's stores are a subset
            dsl_view = view_dir / f"{store}.json"
            python_view = view_dir / f"{store}.python.json"
            if not dsl_view.exists():
                continue
            views[store] = json.loads(dsl_view.read_text())
            if python_view.exists() and json.loads(python_view.read_text()) != views[store]:
                # Never seen so far; recorded so that a difference would show in the goldens.
                views[f"{store}.python"] = json.loads(python_view.read_text())
    return CompileOutcome(
        exit_status=exit_status,
        error=compile_error(stderr, project) if exit_status else None,
        views=views,
        stdout=stdout,
        stderr=stderr,
        seconds=seconds,
    )


def bootstrap_schemas(python: str, workdir: Path) -> Tree:
    """
    The exposed schemas, as an update compile of an empty project writes them (every scenario
    starts with them in place, as a user's repository has them committed).
    """
    project = make_project(workdir / "bootstrap", schemas=None)
    outcome = run_compile(python, project, "update")
    if outcome.exit_status != 0:
        raise RuntimeError(f"bootstrap update compile failed:\n{outcome.stdout}\n{outcome.stderr}")
    schemas = schemas_of(project)
    if sorted(schemas) != sorted(f"{SCHEMA_DIR}/{store}.json" for store in STORES):
        raise RuntimeError(f"bootstrap update compile wrote unexpected schemas: {sorted(schemas)}")
    return schemas


def run_reference(
    python: str, scenario: Scenario, schemas: Tree, workdir: Path, *, plain: bool = False
) -> ScenarioRecord:
    project = make_project(workdir / scenario.name, schemas)
    steps: list[StepRecord] = []
    for index, step in enumerate(scenario.steps, start=1):
        apply_edits(project, step.edits)
        before = slice_state(project)
        outcome = run_compile(python, project, step.mode, plain=plain)
        steps.append(
            StepRecord(
                index=index,
                mode=step.mode,
                note=step.note,
                edits=dict(step.edits),
                before=before,
                after=slice_state(project),
                exit_status=outcome.exit_status,
                error=outcome.error,
                views=outcome.views,
                schemas_after=schemas_of(project),
                seconds=outcome.seconds,
            )
        )
    return ScenarioRecord(name=scenario.name, doc=scenario.doc, steps=steps)


# --------------------------------------------------------------------------------------------
# The example project


def example_state(project: Path) -> Tree:
    """The example's files a compile may touch: everything under files/ and git_ops/."""
    return read_tree(project, include=lambda relative: relative.startswith(("files/", "git_ops/")))


@dataclass
class ExampleModeRecord:
    mode: str
    before: Tree
    after: Tree
    exit_status: int
    error: str | None
    views: dict[str, object]


def copy_example(destination: Path) -> Path:
    shutil.copytree(EXAMPLE, destination, ignore=shutil.ignore_patterns("__pycache__", ".cfcache"))
    return destination


def run_example_mode(python: str, mode: str, workdir: Path) -> ExampleModeRecord:
    """One compile of the committed example project, on a copy."""
    project = copy_example(workdir / "network-project")
    before = example_state(project)
    # A separate `inmanta compile` process, as a user runs it (scenarios use the compile server).
    outcome = run_compile(python, project, mode, plain=True)
    return ExampleModeRecord(
        mode=mode,
        before=before,
        after=example_state(project),
        exit_status=outcome.exit_status,
        error=outcome.error,
        views=outcome.views,
    )


# --------------------------------------------------------------------------------------------
# Golden files


def golden_project_tree(schemas: Tree) -> Tree:
    return {CONFIG_FILE: (TEMPLATE / CONFIG_FILE).read_bytes(), **schemas}


def golden_tree_of(record: ScenarioRecord) -> Tree:
    """The files golden/<scenario>/ holds for a run."""
    tree: Tree = {
        "steps.json": (json.dumps(record.summary(), indent=2, ensure_ascii=False) + "\n").encode()
    }
    for step in record.steps:
        for relative, data in step.before.items():
            tree[f"{step.label}/before/{relative}"] = data
        for relative, data in step.after.items():
            tree[f"{step.label}/after/{relative}"] = data
    return tree


def golden_schemas() -> Tree:
    tree = read_tree(GOLDEN / "_project", include=lambda relative: relative.startswith(SCHEMA_DIR + "/"))
    if not tree:
        raise RuntimeError(f"no golden schemas under {GOLDEN / '_project'}: run the harness with --record")
    return tree


def load_golden_record(name: str) -> ScenarioRecord:
    """A scenario's run as golden/<name>/ recorded it (for --from-golden and the Swift tests)."""
    directory = GOLDEN / name
    summary_path = directory / "steps.json"
    if not summary_path.exists():
        raise RuntimeError(f"no golden record for scenario {name!r}: run the harness with --record")
    summary = json.loads(summary_path.read_text())
    steps: list[StepRecord] = []
    for index, step in enumerate(summary["steps"], start=1):
        label = step["label"]
        steps.append(
            StepRecord(
                index=index,
                mode=step["mode"],
                note=step["note"],
                edits=step["edits"],
                before=read_tree(directory / label / "before"),
                after=read_tree(directory / label / "after"),
                exit_status=step["exit_status"],
                error=step["error"],
                views=step["views"],
                schemas_after={},
                seconds=0.0,
            )
        )
    return ScenarioRecord(name=summary["scenario"], doc=summary["doc"], steps=steps)


def write_golden(directory: Path, tree: Tree) -> None:
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    write_tree(directory, tree)


def describe_tree_difference(expected: Tree, actual: Tree, *, limit: int = 12) -> list[str]:
    """Human-readable differences between two trees (missing, extra and differing files)."""
    problems: list[str] = []
    for relative in sorted(set(expected) | set(actual)):
        if relative not in actual:
            problems.append(f"missing {relative}")
        elif relative not in expected:
            problems.append(f"unexpected {relative}:\n{indent(actual[relative])}")
        elif expected[relative] != actual[relative]:
            problems.append(
                f"differs {relative}:\n  expected:\n{indent(expected[relative])}\n"
                f"  actual:\n{indent(actual[relative])}"
            )
    if len(problems) > limit:
        problems = problems[:limit] + [f"… and {len(problems) - limit} more"]
    return problems


def indent(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    if len(text) > 1500:
        text = text[:1500] + "…"
    return textwrap.indent(repr(text) if "\n" not in text else text, "    | ")


# --------------------------------------------------------------------------------------------
# slicels


# How each compile mode is asked of slicels' embedded engine. {project} is the project folder.
SLICELS_COMMANDS: dict[str, list[str]] = {
    # --drop-unknown: the reference drops a misspelt property silently; slicels' default holds
    # the file back (see UpdateSafetyCLITests), which has no counterpart to compare with.
    "update": ["update", "--style", "reference", "--drop-unknown", "--project", "{project}"],
    "sync": ["sync", "--project", "{project}"],
    "export": ["export", "--project", "{project}", "--json"],
    "prune": ["prune", "--project", "{project}"],
}


def slicels_binary() -> Path:
    configured = os.environ.get("SLICELS_BIN")
    binary = Path(configured) if configured else REPO_ROOT / ".build" / "debug" / "slicels"
    if not binary.exists():
        raise RuntimeError(
            f"slicels binary not found at {binary}: build it first (swift build) or set SLICELS_BIN"
        )
    return binary


@dataclass
class SlicelsOutcome:
    exit_status: int
    stdout: str
    stderr: str
    state: Tree


def run_slicels(project: Path, mode: str, extra: Sequence[str] = ()) -> SlicelsOutcome:
    arguments = [part.replace("{project}", str(project)) for part in SLICELS_COMMANDS[mode]] + list(extra)
    completed = subprocess.run(
        [str(slicels_binary()), *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return SlicelsOutcome(
        exit_status=completed.returncode,
        stdout=completed.stdout,
        stderr=completed.stderr,
        state=slice_state(project),
    )


def stores_a_sync_empties(state: Tree) -> list[str]:
    """
    The stores whose source folder (files/<store>) holds no slice file while some of their
    active slices are live (latest version not `{}`): a sync deletes all of them, which slicels
    refuses without --allow-emptied-stores.
    """
    latest: dict[tuple[str, str], tuple[int, bytes]] = {}
    sources: set[str] = set()
    for relative, content in state.items():
        parts = relative.split("/")
        if len(parts) == 4 and parts[:2] == ["git_ops", "active"] and parts[3].endswith(".json"):
            name, _, version = parts[3][: -len(".json")].rpartition("@v")
            if name and version.isdigit():
                key = (parts[2], name)
                if key not in latest or int(version) > latest[key][0]:
                    latest[key] = (int(version), content)
        elif len(parts) == 3 and parts[0] == "files" and not parts[2].startswith("."):
            if parts[2].rpartition(".")[2] in ("json", "yaml", "yml"):
                sources.add(parts[1])
    live = {store for (store, _), (_, content) in latest.items() if b"".join(content.split()) != b"{}"}
    return sorted(live - sources)


def views_from_export_output(output: str) -> dict[str, object]:
    """
    The merged views `slicels export --json` printed, by store. The expected shape is an object
    mapping each store name to the list git_ops::unroll_slices returns for it; a flat list of
    such slices (each with its store_name) is accepted too.
    """
    document = json.loads(output)
    if isinstance(document, dict):
        return {str(store): slices for store, slices in document.items()}
    if isinstance(document, list):
        views: dict[str, list[object]] = {}
        for item in document:
            views.setdefault(str(item["store_name"]), []).append(item)
        return dict(views)
    raise ValueError(f"slicels export --json printed neither an object nor a list: {output[:200]!r}")


def normalized_views(views: Mapping[str, object]) -> dict[str, object]:
    """Views for comparison: stores with no slice are the same as absent stores."""
    return {store: slices for store, slices in views.items() if slices and "." not in store}


def typed_json(value: object) -> object:
    """
    A value whose Python equality is JSON equality with types: 1, 1.0 and true differ (Python
    says 1 == 1.0 == True), key order does not matter, NaN equals NaN.
    """
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("float", repr(value))
    if isinstance(value, dict):
        return ("object", frozenset((key, typed_json(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("array", tuple(typed_json(item) for item in value))
    return (type(value).__name__, value)


def first_json_difference(expected: object, actual: object, path: str = "$") -> str | None:
    """Where two JSON values first differ (typed, as typed_json compares), for messages."""
    if typed_json(expected) == typed_json(actual):
        return None
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [key for key in actual if key not in expected]:
            if key not in actual:
                return f"{path}.{key}: missing (expected {json.dumps(expected[key])[:200]})"
            if key not in expected:
                return f"{path}.{key}: unexpected {json.dumps(actual[key])[:200]}"
            found = first_json_difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
    if isinstance(expected, list) and isinstance(actual, list):
        for index, (left, right) in enumerate(zip(expected, actual)):
            found = first_json_difference(left, right, f"{path}[{index}]")
            if found:
                return found
        if len(expected) != len(actual):
            return f"{path}: {len(expected)} items expected, {len(actual)} found"
    return f"{path}: expected {json.dumps(expected)[:200]}, found {json.dumps(actual)[:200]}"
