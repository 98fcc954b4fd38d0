"""
Issue 4 benchmark: slicels against its peers on a generated project of many slices.

  export: `slicels export --json` against the reference's export compile (`inmanta compile` with
          INMANTA_GIT_OPS_COMPILE_MODE=export, inmanta-module-git-ops 0.7.2) in the same project;
  check:  `slicels check` against `check-jsonschema` (once per store, every source file of the
          store as arguments, the store's exposed schema as --schemafile) on the same files.

The project (bench/peers/generate_project.py) is a copy of Examples/network-project (libs/,
project.yml, main.cf, the git-ops config and the exposed schemas) with N generated source slices
in its two stores, half `vlans` and half `fs`, in YAML (.yaml and .yml) and JSON. Its active store
gets a history from slicels itself: sync, then edits to 20 % of the slices and 2 % of them
deleted, sync again, then 5 % more edits left pending (so export merges versions and shows purged
elements, and check has real work).

Every figure is the median wall time of whole processes, run interleaved (slicels, peer,
slicels, peer, ...) so that load on the shared machine hits both alike; user+sys CPU time is
reported too. Before timing, the script checks that both sides agree: the reference's merged view
(dumped by the example's netslices::dump_view) must equal `slicels export --json`, and both
checkers must accept every file. Run it through `bench/run store` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate_project import generate_project

# --------------------------------------------------------------------------------------------
# Running and timing


class Timed:
    def __init__(
        self, wall: float, cpu: float, status: int, stdout: bytes, stderr: bytes, peak_rss_kb: int = 0
    ) -> None:
        self.wall, self.cpu, self.status, self.stdout, self.stderr = wall, cpu, status, stdout, stderr
        # In KB, as `/usr/bin/time -v` reports its "Maximum resident set size" (see run_timed).
        self.peak_rss_kb = peak_rss_kb


GNU_TIME = Path("/usr/bin/time")


def run_timed(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Timed:
    """Runs a process to its end; wall time, the user+sys CPU time of the process tree and its
    peak resident set as `/usr/bin/time` reports it ("Maximum resident set size").

    The peak comes from GNU time, a small process, because a child's own ru_maxrss also counts
    the memory of the process it was forked from until its exec: this script's, which holds the
    merged views it compares (hundreds of MB at 10 000 slices). Without /usr/bin/time, wait4's
    figure is printed, an upper bound."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as peak:
        measured = [str(GNU_TIME), "-f", "%M", "-o", peak.name, *command] if GNU_TIME.exists() else command
        start = time.perf_counter()
        process = subprocess.Popen(measured, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, wait_status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(wait_status)
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        peak_kb = usage.ru_maxrss
        if GNU_TIME.exists():
            # The last line: GNU time writes "Command exited with non-zero status N" before it.
            lines = Path(peak.name).read_text().split()
            peak_kb = int(lines[-1]) if lines and lines[-1].isdigit() else 0
        return Timed(wall, cpu, process.returncode, out.read(), err.read(), peak_kb)


def reference_environment(mode: str, view_dir: Path | None) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("INMANTA_GIT_OPS_")}
    environment.pop("NETSLICES_VIEW_DIR", None)
    environment["INMANTA_GIT_OPS_COMPILE_MODE"] = mode
    environment["NO_COLOR"] = "1"
    if view_dir is not None:
        environment["NETSLICES_VIEW_DIR"] = str(view_dir)
    return environment


def normalized_views(views: dict) -> dict:
    return {store: slices for store, slices in views.items() if slices}


def slicels_views(output: bytes) -> dict:
    grouped: dict[str, list] = {}
    for item in json.loads(output):
        grouped.setdefault(item["store_name"], []).append(item)
    return grouped


def compare_export(project: Path, slicels: Path, venv: Path, view_dir: Path) -> str:
    """Runs both exports once and compares the merged views; returns a one-line verdict."""
    reference = run_timed(
        [str(venv / "bin" / "inmanta"), "compile", "--no-cache"], cwd=project, env=reference_environment("export", view_dir)
    )
    if reference.status != 0:
        raise SystemExit(f"reference export compile failed:\n{reference.stderr.decode()[-3000:]}")
    ours = run_timed([str(slicels), "export", "--json", "--project", str(project)])
    if ours.status != 0:
        raise SystemExit(f"slicels export failed:\n{ours.stderr.decode()[-3000:]}")
    expected = normalized_views({path.stem: json.loads(path.read_text()) for path in view_dir.glob("*.json")})
    actual = normalized_views(slicels_views(ours.stdout))
    if expected == actual:
        count = sum(len(slices) for slices in expected.values())
        return f"identical merged views ({count} slices)"
    for store in sorted(set(expected) | set(actual)):
        left, right = expected.get(store, []), actual.get(store, [])
        if len(left) != len(right):
            return f"DIFFERENT: store {store}: reference {len(left)} slices, slicels {len(right)}"
        for a, b in zip(left, right):
            if a != b:
                return f"DIFFERENT: store {store}, slice {a.get('name')}: first differing slice"
    return "DIFFERENT (order)"


def check_commands(project: Path, checker: Path) -> list[list[str]]:
    commands = []
    for store in ("vlans", "fs"):
        files = sorted(
            str(path)
            for path in (project / "files" / store).iterdir()
            if path.is_file() and not path.name.startswith(".")
        )
        schema = project / "files" / "schemas" / f"{store}.json"
        commands.append([str(checker), "--schemafile", str(schema), *files])
    return commands


def run_checker(commands: list[list[str]]) -> Timed:
    total_wall = total_cpu = 0.0
    status = 0
    outputs = []
    peaks: list[int] = []
    for command in commands:
        result = run_timed(command)
        total_wall += result.wall
        total_cpu += result.cpu
        status = max(status, result.status)
        outputs.append(result.stdout)
        peaks.append(result.peak_rss_kb)
    peak = max(peaks, default=0)
    return Timed(total_wall, total_cpu, status, b"".join(outputs), b"", peak)


def med(values: list[float]) -> float:
    return statistics.median(values)


def ratio(peer: float, ours: float) -> str:
    value = peer / ours
    return f"{value:.1f}×" if value < 10 else f"{value:,.0f}×"


def peak_megabytes(runs: list[Timed]) -> str:
    return f"{max(r.peak_rss_kb for r in runs) / 1024:,.1f} MB"


def milliseconds(value: float) -> str:
    return f"{value * 1000:,.0f} ms" if value >= 0.1 else f"{value * 1000:.1f} ms"


def measure_size(args, slices: int, slicels: Path, venv: Path, checker: Path, workdir: Path) -> list[str]:
    project = workdir / f"project-{slices}"
    started = time.perf_counter()
    stats = generate_project(project, slices, args.seed, slicels, stores=("vlans", "fs"))["stats"]
    print(
        f"[{slices}] generated in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{key}={value:,}" for key, value in stats.items()),
        file=sys.stderr,
    )
    view_dir = workdir / f"view-{slices}"
    shutil.rmtree(view_dir, ignore_errors=True)
    view_dir.mkdir()

    run_reference = slices <= args.reference_max_slices
    verdict = "reference not run"
    if run_reference:
        verdict = compare_export(project, slicels, venv, view_dir)
        print(f"[{slices}] export views: {verdict}", file=sys.stderr)

    ours_check = run_timed([str(slicels), "check", str(project)])
    commands = check_commands(project, checker)
    peer_check = run_checker(commands)
    check_verdict = f"slicels check exit {ours_check.status}, check-jsonschema exit {peer_check.status}"
    print(f"[{slices}] {check_verdict}", file=sys.stderr)
    if ours_check.status == 2 or peer_check.status not in (0, 1):
        raise SystemExit(f"a checker failed to run:\n{ours_check.stdout.decode()[-2000:]}{ours_check.stderr.decode()[-2000:]}")

    export_ours: list[Timed] = []
    export_reference: list[Timed] = []
    check_ours: list[Timed] = []
    check_peer: list[Timed] = []
    reference_runs = args.reference_runs if run_reference else 0
    for round_index in range(max(args.runs, reference_runs)):
        export_ours.append(run_timed([str(slicels), "export", "--json", "--project", str(project)]))
        if round_index < reference_runs:
            result = run_timed(
                [str(venv / "bin" / "inmanta"), "compile", "--no-cache"],
                cwd=project,
                env=reference_environment("export", view_dir),
            )
            if result.status != 0:
                raise SystemExit(f"reference export compile failed:\n{result.stderr.decode()[-3000:]}")
            export_reference.append(result)
            print(f"[{slices}] reference export compile {round_index + 1}: {result.wall:.1f} s", file=sys.stderr)
        if round_index < args.runs:
            check_ours.append(run_timed([str(slicels), "check", str(project)]))
            check_peer.append(run_checker(commands))

    rows = []
    ours_export_wall = med([r.wall for r in export_ours])
    ours_check_wall = med([r.wall for r in check_ours])
    peer_check_wall = med([r.wall for r in check_peer])
    if export_reference:
        reference_wall = med([r.wall for r in export_reference])
        rows.append(
            f"| {slices:,} | export | {milliseconds(ours_export_wall)} ({milliseconds(med([r.cpu for r in export_ours]))} CPU)"
            f" | reference export compile: {milliseconds(reference_wall)} ({milliseconds(med([r.cpu for r in export_reference]))} CPU)"
            f" | **{ratio(reference_wall, ours_export_wall)}** | {peak_megabytes(export_ours)} / {peak_megabytes(export_reference)}"
            f" | {len(export_ours)} / {len(export_reference)} | {verdict} |"
        )
    else:
        rows.append(
            f"| {slices:,} | export | {milliseconds(ours_export_wall)} ({milliseconds(med([r.cpu for r in export_ours]))} CPU)"
            f" | reference not run (above --reference-max-slices) | | {peak_megabytes(export_ours)} | {len(export_ours)} / 0 | |"
        )
    rows.append(
        f"| {slices:,} | check | {milliseconds(ours_check_wall)} ({milliseconds(med([r.cpu for r in check_ours]))} CPU)"
        f" | check-jsonschema, 2 runs (one per store): {milliseconds(peer_check_wall)} ({milliseconds(med([r.cpu for r in check_peer]))} CPU)"
        f" | **{ratio(peer_check_wall, ours_check_wall)}** | {peak_megabytes(check_ours)} / {peak_megabytes(check_peer)}"
        f" | {len(check_ours)} / {len(check_peer)} | {check_verdict} |"
    )
    size = (
        f"{slices:,} slices: {stats['vlans_sources'] + stats['fs_sources']:,} source files "
        f"({(stats['vlans_source_bytes'] + stats['fs_source_bytes']) / 1e6:.1f} MB), "
        f"{stats['vlans_active'] + stats['fs_active']:,} active files "
        f"({(stats['vlans_active_bytes'] + stats['fs_active_bytes']) / 1e6:.1f} MB)"
    )
    return [size, *rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slices", default="1000,10000", help="project sizes, comma separated (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each slicels command and of check-jsonschema")
    parser.add_argument("--reference-runs", type=int, default=3, help="runs of the reference export compile")
    parser.add_argument(
        "--reference-max-slices", type=int, default=10000, help="skip the reference compile above this size"
    )
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "slicels-bench-store")
    parser.add_argument("--slicels", type=Path, required=True, help="the slicels binary (release build)")
    parser.add_argument("--reference-venv", type=Path, required=True)
    parser.add_argument("--checker", type=Path, required=True, help="the check-jsonschema executable")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    args = parser.parse_args()

    sizes = [int(size) for size in args.slices.split(",") if size]
    args.workdir.mkdir(parents=True, exist_ok=True)
    version = subprocess.run([str(args.checker), "--version"], capture_output=True, text=True).stdout.strip()
    print(
        f"store benchmark: load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs; "
        f"{version}; medians of wall time (CPU = user+sys of the process tree)"
    )
    lines: list[str] = []
    for slices in sizes:
        lines += measure_size(args, slices, args.slicels, args.reference_venv, args.checker, args.workdir)
        if not args.keep:
            shutil.rmtree(args.workdir / f"project-{slices}", ignore_errors=True)
    print()
    for line in lines:
        if not line.startswith("|"):
            print(f"- {line}")
    print()
    print(
        "| slices | task | slicels | peer | peer / slicels | peak RSS (slicels / peer, largest of the runs)"
        " | runs (slicels / peer) | agreement |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | --- | --- |")
    for line in lines:
        if line.startswith("|"):
            print(line)
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
