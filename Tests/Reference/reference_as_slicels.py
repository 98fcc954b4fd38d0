"""
A stand-in for the slicels binary that answers `update --style reference | sync | export --json |
prune PROJECT` by running the reference's own compile. Used only to test the harness itself:
with it as SLICELS_BIN every slicels comparison must pass (test_harness.py), and with
--corrupt they must fail. Run with the reference venv's Python.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import refharness  # noqa: E402


def main(arguments: list[str]) -> int:
    corrupt = "--corrupt" in arguments
    arguments = [argument for argument in arguments if argument != "--corrupt"]
    if len(arguments) < 2 or arguments[0] not in refharness.MODES:
        print("usage: reference_as_slicels.py MODE [--style reference] PROJECT [--json]", file=sys.stderr)
        return 64
    mode = arguments[0]
    if "--help" in arguments:
        print(f"USAGE: slicels {mode} PROJECT (the reference compile, for harness tests)")
        return 0
    positional = [argument for argument in arguments[1:] if not argument.startswith("--") and argument != "reference"]
    project = Path(positional[0])
    outcome = refharness.run_compile(sys.executable, project, mode, plain=True)
    if outcome.exit_status != 0:
        print(outcome.error, file=sys.stderr)
        return 1
    if corrupt and mode != "export":
        sources = sorted(project.glob("files/*/*.*"))
        if sources:
            sources[0].write_bytes(sources[0].read_bytes() + b" ")
    if mode == "export" and "--json" in arguments:
        views = {store: slices for store, slices in outcome.views.items() if "." not in store}
        if corrupt:
            for slices in views.values():
                for item in slices:
                    item["version"] = float(item["version"])  # 1.0 is not 1
        print(json.dumps(views, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
