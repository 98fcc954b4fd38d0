"""
Produces the slice files of Examples/network-project with real compiles of the reference
implementation, the way a team would have: three rounds of edits, each followed by an update
and a sync compile, then a last round of hand edits that nobody compiled yet (what `slicels plan`
previews: created, updated and purged elements).

    python Tests/Reference/example_history.py --write   # rewrite Examples/network-project
    python Tests/Reference/example_history.py DIR       # build the example in DIR instead

Run it with the reference venv's Python (`"$(scripts/reference-venv)/bin/python"`). The test
suite rebuilds the example this way and checks the committed files are what it produces.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path

import refharness
from refharness import EXAMPLE, Tree

# The files of the example that the history produces; everything else (project.yml, main.cf,
# libs/, files/git-ops-config.yml, README.md) is written by hand.
PRODUCED_PREFIXES = ("files/fs/", "files/vlans/", "files/schemas/", "git_ops/")


def text(block: str) -> str:
    return textwrap.dedent(block).lstrip("\n")


ROUND_1 = {
    "files/fs/web01.yaml": text(
        """
        # Files managed on web01.
        host: web01
        content:
          - type: folder
            name: etc
            content:
              - type: file
                name: motd
                content: "Welcome to web01\\n"
              - type: folder
                name: nginx
                content:
                  - type: file
                    name: nginx.conf
                    mode: "0640"
                    content: |
                      worker_processes 2;
          - type: folder
            name: var
            content:
              - type: folder
                name: www
                owner: www-data
                content:
                  - type: file
                    name: index.html
                    owner: www-data
                    content: "<h1>web01</h1>\\n"
        """
    ),
    "files/fs/db01.json": text(
        """
        {
          "host": "db01",
          "root": "/srv",
          "content": [
            {"type": "folder", "name": "backups", "owner": "postgres", "mode": "0700"},
            {"type": "file", "name": "pg.conf", "owner": "postgres", "content": "max_connections = 100\\n"}
          ]
        }
        """
    ),
    "files/vlans/office.yaml": text(
        """
        # Desks of the Brussels office.
        site: bru
        vlan_id: 10
        name: office
        dhcp: yes
        subnets: [10.10.0.0/24]
        ports:
          - {switch: sw1, port: 1}
          - {switch: sw1, port: 2}
          - {switch: sw2, port: 1, tagged: true}
        """
    ),
    "files/vlans/lab.json": '{"site": "bru", "vlan_id": 20, "name": "lab", "dhcp": true, "subnets": ["10.20.0.0/24"]}\n',
    "files/vlans/guest.yml": text(
        """
        site: bru
        vlan_id: 30
        name: guest
        description: Visitors' Wi-Fi
        ports:
          - {switch: sw2, port: 24, tagged: true}
        """
    ),
}

ROUND_2 = {
    # web01: new motd, a sites folder under nginx.
    "files/fs/web01.yaml": text(
        """
        host: web01
        content:
          - type: folder
            name: etc
            content:
              - type: file
                name: motd
                content: "Welcome to web01, managed by inmanta\\n"
              - type: folder
                name: nginx
                content:
                  - type: file
                    name: nginx.conf
                    mode: "0640"
                    content: |
                      worker_processes 2;
                  - type: folder
                    name: sites
                    content:
                      - {type: file, name: default, content: "server { listen 80; }\\n"}
          - type: folder
            name: var
            content:
              - type: folder
                name: www
                owner: www-data
                content:
                  - {type: file, name: index.html, owner: www-data, content: "<h1>web01</h1>\\n"}
        """
    ),
    # office: port sw2/1 released, sw1/3 added.
    "files/vlans/office.yaml": text(
        """
        site: bru
        vlan_id: 10
        name: office
        dhcp: true
        subnets: [10.10.0.0/24]
        ports:
          - {switch: sw1, port: 1}
          - {switch: sw1, port: 2}
          - {switch: sw1, port: 3}
        """
    ),
    # guest: removed, the next sync activates a deleted version.
    "files/vlans/guest.yml": None,
}

ROUND_3 = {
    # web01: nginx.conf removed (it stays in the merged view as a delete until a prune).
    "files/fs/web01.yaml": text(
        """
        host: web01
        content:
          - type: folder
            name: etc
            content:
              - {type: file, name: motd, content: "Welcome to web01, managed by inmanta\\n"}
              - type: folder
                name: nginx
                content:
                  - type: folder
                    name: sites
                    content:
                      - {type: file, name: default, content: "server { listen 80; }\\n"}
          - type: folder
            name: var
            content:
              - type: folder
                name: www
                owner: www-data
                content:
                  - {type: file, name: index.html, owner: www-data, content: "<h1>web01</h1>\\n"}
        """
    ),
    "files/vlans/lab.json": '{"site": "bru", "vlan_id": 20, "name": "lab", "mtu": 9000, "subnets": ["10.20.0.0/24"]}\n',
}

# Edited by hand after the last sync, not compiled: what the next update + sync will do.
PENDING = {
    "files/fs/web01.yaml": text(
        """
        # Files managed on web01.
        host: web01
        content:
          - type: folder
            name: etc
            content:
              # motd is gone: the next sync purges it.
              - type: folder
                name: nginx
                content:
                  - type: folder
                    name: sites
                    content:
                      - type: file
                        name: default
                        content: "server { listen 80; }\\n"
          - type: folder
            name: var
            content:
              - type: folder
                name: www
                owner: www-data
                content:
                  - type: file
                    name: index.html
                    owner: www-data
                    content: "<h1>web01</h1>\\n<p>Hello</p>\\n"
              - type: folder
                name: log
                mode: "0750"
        """
    ),
    "files/vlans/office.yaml": text(
        """
        # Desks of the Brussels office.
        site: bru
        vlan_id: 10
        name: office
        description: Desks, printers and meeting rooms
        mtu: 9216
        dhcp: true
        subnets: [10.10.0.0/24]
        ports:
          - {switch: sw1, port: 1}
          - {switch: sw1, port: 3}
        """
    ),
    "files/vlans/voice.yml": text(
        """
        # IP phones, new this quarter.
        site: bru
        vlan_id: 40
        name: voice
        ports:
          - {switch: sw1, port: 1, tagged: true}
          - {switch: sw1, port: 3, tagged: true}
        """
    ),
}

ROUNDS = (ROUND_1, ROUND_2, ROUND_3)


def build(destination: Path, python: str) -> Tree:
    """
    Builds the example in `destination` (which must not exist) from its hand-written files and
    the rounds above; returns the produced files.
    """
    shutil.copytree(
        EXAMPLE,
        destination,
        ignore=lambda folder, names: [
            name
            for name in names
            if (Path(folder) / name).relative_to(EXAMPLE).as_posix() in ("files/fs", "files/vlans", "files/schemas", "git_ops")
            or name in ("__pycache__", ".cfcache")
        ],
    )
    for edits in ROUNDS:
        refharness.apply_edits(destination, edits)
        for mode in ("update", "sync"):
            outcome = refharness.run_compile(python, destination, mode)
            if outcome.exit_status != 0:
                raise RuntimeError(f"{mode} compile of the example failed:\n{outcome.stdout}\n{outcome.stderr}")
    refharness.apply_edits(destination, PENDING)
    return produced_files(destination)


def produced_files(project: Path) -> Tree:
    return refharness.read_tree(project, include=lambda relative: relative.startswith(PRODUCED_PREFIXES))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--write", action="store_true", help="rewrite the produced files of Examples/network-project")
    target.add_argument("directory", nargs="?", type=Path, help="build the whole example project there")
    arguments = parser.parse_args()
    python = refharness.reference_python()
    if arguments.directory is not None:
        build(arguments.directory, python)
        print(arguments.directory)
        return 0
    with tempfile.TemporaryDirectory(prefix="slicels-example-") as scratch:
        produced = build(Path(scratch) / "network-project", python)
    write_produced(produced)
    print(f"rewrote {len(produced)} files under {EXAMPLE}")
    return 0


def write_produced(produced: Tree) -> None:
    for stale in produced_files(EXAMPLE):
        (EXAMPLE / stale).unlink()
    refharness.write_tree(EXAMPLE, produced)


if __name__ == "__main__":
    sys.exit(main())
