"""
Issue 4 benchmark: slicels against its peers on a generated project of many slices.

  export: `slicels export --json` against the reference's export compile (`inmanta compile` with
          INMANTA_GIT_OPS_COMPILE_MODE=export, inmanta-module-git-ops 0.7.2) in the same project;
  check:  `slicels check` against `check-jsonschema` (once per store, every source file of the
          store as arguments, the store's exposed schema as --schemafile) on the same files.

The project is a copy of Examples/network-project (libs/, project.yml, main.cf, the git-ops config
and the exposed schemas) with N generated source slices in its two stores, half `vlans` and half
`fs`, in YAML (.yaml and .yml) and JSON. Its active store gets a history from slicels itself:
sync, then edits to 20 % of the slices and 2 % of them deleted, sync again, then 5 % more edits
left pending (so export merges versions and shows purged elements, and check has real work).

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
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
EXAMPLE = REPO_ROOT / "Examples" / "network-project"

# --------------------------------------------------------------------------------------------
# Generating the project

WORDS = (
    "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar "
    "papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu"
).split()
SITES = ("bru", "ams", "par", "lon", "fra", "mad", "mil", "vie", "waw", "prg")


def sentence(rng: random.Random, low: int = 3, high: int = 9) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def make_vlan(rng: random.Random, index: int) -> dict:
    """A vlans slice: unique (site, vlan_id), 0-40 ports with unique (switch, port)."""
    site = SITES[index % len(SITES)]
    vlan_id = 1 + (index // len(SITES)) % 4094
    slice_: dict = {"site": site, "vlan_id": vlan_id, "name": f"{rng.choice(WORDS)}-{index}"}
    if rng.random() < 0.7:
        slice_["description"] = sentence(rng).capitalize()
    if rng.random() < 0.5:
        slice_["mtu"] = rng.choice((1500, 9000, 9216, 1400))
    if rng.random() < 0.5:
        slice_["dhcp"] = rng.random() < 0.5
    slice_["subnets"] = [f"10.{rng.randrange(256)}.{rng.randrange(256)}.0/24" for _ in range(rng.randint(0, 3))]
    switches = [f"{site}-sw{n}" for n in range(1, rng.randint(2, 6))]
    used: set[tuple[str, int]] = set()
    ports = []
    for _ in range(rng.randint(0, 40)):
        key = (rng.choice(switches), rng.randint(1, 96))
        if key in used:
            continue
        used.add(key)
        port: dict = {"switch": key[0], "port": key[1]}
        if rng.random() < 0.4:
            port["tagged"] = rng.random() < 0.5
        ports.append(port)
    slice_["ports"] = ports
    return slice_


def make_file(rng: random.Random, name: str) -> dict:
    lines = [sentence(rng, 2, 10) for _ in range(rng.randint(1, 8))]
    item: dict = {"type": "file", "name": name, "content": "\n".join(lines) + "\n"}
    if rng.random() < 0.3:
        item["owner"] = rng.choice(("www-data", "postgres", "nginx", "app"))
    if rng.random() < 0.2:
        item["mode"] = rng.choice(("0600", "0640", "0644", "0755"))
    return item


def make_folder(rng: random.Random, name: str, depth: int) -> dict:
    folder: dict = {"type": "folder", "name": name}
    if rng.random() < 0.2:
        folder["mode"] = rng.choice(("0700", "0750", "0755"))
    content = []
    names: set[tuple[str, str]] = set()
    for _ in range(rng.randint(0, 5 if depth < 2 else 3)):
        child = rng.choice(WORDS)
        if depth < 3 and rng.random() < 0.3:
            if ("folder", child) in names:
                continue
            names.add(("folder", child))
            content.append(make_folder(rng, child, depth + 1))
        else:
            child += rng.choice((".conf", ".txt", ".yml", ".sh", ""))
            if ("file", child) in names:
                continue
            names.add(("file", child))
            content.append(make_file(rng, child))
    if content:
        folder["content"] = content
    return folder


def make_host(rng: random.Random, index: int) -> dict:
    """An fs slice: a host with a tree of folders and files (unique (type, name) per folder)."""
    host: dict = {"host": f"host{index:05d}"}
    if rng.random() < 0.3:
        host["root"] = rng.choice(("/srv", "/opt/app", "/data"))
    tops = rng.sample(("etc", "var", "opt", "srv", "home", "usr"), rng.randint(1, 4))
    host["content"] = [make_folder(rng, top, 1) for top in tops]
    return host


def render(data: dict, extension: str, rng: random.Random, store: str) -> str:
    if extension == "json":
        return json.dumps(data, indent=2)
    text = f"# {store} slice, generated by bench/peers/store_bench.py\n"
    return text + yaml.safe_dump(data, sort_keys=False, default_flow_style=None if rng.random() < 0.3 else False)


def edit_vlan(rng: random.Random, data: dict) -> None:
    choice = rng.random()
    if choice < 0.4 and data["ports"]:
        del data["ports"][rng.randrange(len(data["ports"]))]  # a purged port
    elif choice < 0.7:
        data["mtu"] = 9000 if data.get("mtu", 1500) != 9000 else 1500
    else:
        data["subnets"] = data.get("subnets", []) + [f"172.16.{rng.randrange(256)}.0/24"]
        data["description"] = sentence(rng).capitalize()


def edit_host(rng: random.Random, data: dict) -> None:
    folders = [data]
    while folders:
        folder = folders.pop(rng.randrange(len(folders)))
        content = folder.get("content", [])
        files = [item for item in content if item["type"] == "file"]
        if files and rng.random() < 0.5:
            content.remove(rng.choice(files))  # a purged file
            return
        if files:
            rng.choice(files)["content"] += sentence(rng) + "\n"
            return
        folders.extend(item for item in content if item["type"] == "folder")
    data["content"].append(make_folder(rng, f"extra{rng.randrange(10**6)}", 1))


def generate_project(project: Path, slices: int, seed: int, slicels: Path) -> dict[str, int]:
    """Writes the project, syncs a history with slicels, leaves edits pending; returns sizes."""
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copytree(EXAMPLE / "libs", project / "libs")
    for name in ("project.yml", "main.cf"):
        shutil.copy(EXAMPLE / name, project / name)
    (project / "files").mkdir()
    shutil.copy(EXAMPLE / "files" / "git-ops-config.yml", project / "files" / "git-ops-config.yml")
    shutil.copytree(EXAMPLE / "files" / "schemas", project / "files" / "schemas")
    # File.previous_content is declared in Python only (SkipJsonSchema): the reference's merged
    # view has it, and slicels puts it there only when told (see `slicels export --help`).
    (project / "slicels.yml").write_text("stores:\n  fs:\n    model_only:\n      File:\n        previous_content: null\n")

    rng = random.Random(seed)
    sources: dict[Path, tuple[str, dict, str]] = {}
    for index in range(slices):
        store = "vlans" if index % 2 == 0 else "fs"
        extension = rng.choices(("yaml", "yml", "json"), weights=(4, 2, 4))[0]
        data = make_vlan(rng, index // 2) if store == "vlans" else make_host(rng, index // 2)
        name = f"{data['name'] if store == 'vlans' else data['host']}"
        sources[project / "files" / store / f"{name}.{extension}"] = (store, data, extension)

    def write_all(paths) -> None:
        for path in paths:
            store, data, extension = sources[path]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(data, extension, random.Random(path.name), store))

    def sync() -> None:
        completed = subprocess.run([str(slicels), "sync", "--project", str(project)], capture_output=True, text=True)
        if completed.returncode != 0:
            raise SystemExit(f"slicels sync failed:\n{completed.stdout}\n{completed.stderr}")

    write_all(sources)
    sync()
    paths = sorted(sources)
    edited = rng.sample(paths, len(paths) // 5)
    for path in edited:
        store, data, _ = sources[path]
        (edit_vlan if store == "vlans" else edit_host)(rng, data)
    write_all(edited)
    for path in rng.sample(sorted(set(paths) - set(edited)), len(paths) // 50):
        path.unlink()
        del sources[path]
    sync()
    pending = rng.sample(sorted(sources), len(sources) // 20)
    for path in pending:
        store, data, _ = sources[path]
        (edit_vlan if store == "vlans" else edit_host)(rng, data)
    write_all(pending)

    def folder_stats(folder: Path) -> tuple[int, int]:
        files = [path for path in folder.rglob("*") if path.is_file() and not path.name.startswith(".")]
        return len(files), sum(path.stat().st_size for path in files)

    stats = {}
    for store in ("vlans", "fs"):
        stats[f"{store}_sources"], stats[f"{store}_source_bytes"] = folder_stats(project / "files" / store)
        stats[f"{store}_active"], stats[f"{store}_active_bytes"] = folder_stats(project / "git_ops" / "active" / store)
    return stats


# --------------------------------------------------------------------------------------------
# Running and timing


class Timed:
    def __init__(self, wall: float, cpu: float, status: int, stdout: bytes, stderr: bytes) -> None:
        self.wall, self.cpu, self.status, self.stdout, self.stderr = wall, cpu, status, stdout, stderr


def run_timed(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Timed:
    """Runs a process to its end; wall time and the user+sys CPU time of the process tree."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        status = process.wait()
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.seek(0)
        err.seek(0)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return Timed(wall, cpu, status, out.read(), err.read())


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
    for command in commands:
        result = run_timed(command)
        total_wall += result.wall
        total_cpu += result.cpu
        status = max(status, result.status)
        outputs.append(result.stdout)
    return Timed(total_wall, total_cpu, status, b"".join(outputs), b"")


def med(values: list[float]) -> float:
    return statistics.median(values)


def ratio(peer: float, ours: float) -> str:
    value = peer / ours
    return f"{value:.1f}×" if value < 10 else f"{value:,.0f}×"


def milliseconds(value: float) -> str:
    return f"{value * 1000:,.0f} ms" if value >= 0.1 else f"{value * 1000:.1f} ms"


def measure_size(args, slices: int, slicels: Path, venv: Path, checker: Path, workdir: Path) -> list[str]:
    project = workdir / f"project-{slices}"
    started = time.perf_counter()
    stats = generate_project(project, slices, args.seed, slicels)
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
            f" | **{ratio(reference_wall, ours_export_wall)}** | {len(export_ours)} / {len(export_reference)} | {verdict} |"
        )
    else:
        rows.append(
            f"| {slices:,} | export | {milliseconds(ours_export_wall)} ({milliseconds(med([r.cpu for r in export_ours]))} CPU)"
            f" | reference not run (above --reference-max-slices) | | {len(export_ours)} / 0 | |"
        )
    rows.append(
        f"| {slices:,} | check | {milliseconds(ours_check_wall)} ({milliseconds(med([r.cpu for r in check_ours]))} CPU)"
        f" | check-jsonschema, 2 runs (one per store): {milliseconds(peer_check_wall)} ({milliseconds(med([r.cpu for r in check_peer]))} CPU)"
        f" | **{ratio(peer_check_wall, ours_check_wall)}** | {len(check_ours)} / {len(check_peer)} | {check_verdict} |"
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
    print("| slices | task | slicels | peer | peer / slicels | runs (slicels / peer) | agreement |")
    print("| ---: | --- | ---: | ---: | ---: | --- | --- |")
    for line in lines:
        if line.startswith("|"):
            print(line)
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
