"""
The differential scenarios, as data. Each runs in a fresh copy of Tests/Reference/project (stores
fs, vlans — from the example's netslices module — and kinds, from refkinds) with the exposed
schemas already in place. Texts are exactly what a user would have typed: comments, omitted
defaults, odd formatting.
"""

from __future__ import annotations

import textwrap

from refharness import Scenario, Step


def text(block: str) -> str:
    """A file's text from an indented triple-quoted block."""
    return textwrap.dedent(block).lstrip("\n")


FS = "files/fs"
VLANS = "files/vlans"
KINDS = "files/kinds"
EXTRAS = "files/extras"
# The same word composed (NFC) and decomposed (NFD): distinct Python strings.
NFC = "caf\u00e9"
NFD = "cafe\u0301"
ACTIVE = "git_ops/active"

OFFICE_V1 = text(
    """
    # The office VLAN of Brussels.
    site: bru
    vlan_id: 10
    name: office
    subnets: [10.0.10.0/24]
    ports:
      - {switch: sw1, port: 1}
      - {switch: sw1, port: 2, tagged: yes}
      - switch: sw2
        port: 1
    """
)

LAB_V1 = '{"site": "bru", "vlan_id": 20, "name": "lab", "dhcp": true}'

WEB_V1 = text(
    """
    host: web01
    content:
      - type: folder
        name: etc
        content:
          - {type: file, name: motd, content: "Welcome\\n"}
          - type: folder
            name: nginx
            content:
              - {type: file, name: nginx.conf, content: "worker_processes 2;\\n", mode: "0640"}
      - {type: file, name: README, content: hello}
    """
)

SETTING_V1 = text(
    """
    name: basic
    count: 3
    entries:
      - {id: 1, value: one}
      - {id: 2, flag: false, value: two}
    """
)


def sync_pair(edits: dict[str, str | None] | None = None, note: str = "") -> tuple[Step, Step]:
    """An update compile (after the edits) followed by a sync: the module's documented workflow."""
    return (Step("update", edits or {}, note=note), Step("sync"))


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        name="create",
        doc="New slices in YAML, JSON and .yml: update normalises them, sync activates v1, export sees them.",
        steps=(
            Step(
                "update",
                {
                    f"{VLANS}/office.yaml": OFFICE_V1,
                    f"{VLANS}/lab.json": LAB_V1,
                    f"{FS}/web01.yml": WEB_V1,
                    f"{KINDS}/basic.yaml": SETTING_V1,
                },
            ),
            Step("sync"),
            Step("export"),
            Step("sync", note="a second sync changes nothing"),
        ),
    ),
    Scenario(
        name="edit",
        doc="Editing attributes of the root and of list items makes v2; export marks them update.",
        steps=(
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1, f"{FS}/web01.yml": WEB_V1}),
            *sync_pair(
                {
                    f"{VLANS}/office.yaml": OFFICE_V1.replace("name: office", "name: office\nmtu: 9000").replace(
                        "tagged: yes", "tagged: no"
                    ),
                    f"{FS}/web01.yml": WEB_V1.replace("worker_processes 2", "worker_processes 4"),
                },
            ),
            Step("export"),
        ),
    ),
    Scenario(
        name="no-op",
        doc=(
            "Rewriting a source with other formatting, key order and comments but the same data: "
            "update normalises it again, sync makes no new version, export stays create."
        ),
        steps=(
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1, f"{VLANS}/lab.json": LAB_V1}),
            Step(
                "update",
                {
                    f"{VLANS}/office.yaml": text(
                        """
                        ports:   # same ports, other style
                        - port: 1
                          switch: sw1
                          tagged: false
                        - {port: 2, switch: sw1, tagged: true}
                        - {port: 1, switch: sw2}
                        vlan_id: 10
                        site: bru
                        name: office
                        subnets:
                        - 10.0.10.0/24
                        description: null
                        """
                    ),
                    f"{VLANS}/lab.json": '{\n    "name": "lab",\n    "vlan_id": 20.0,\n    "site": "bru",\n    "dhcp": 1\n}\n',
                },
            ),
            Step("sync"),
            Step("sync", {f"{VLANS}/office.yaml": OFFICE_V1}, note="sync of an un-normalised source"),
            Step("export"),
        ),
    ),
    Scenario(
        name="remove-list-element",
        doc=(
            "A port removed in v2 stays in the merged view as delete, also after an unrelated v3 "
            "(previous is a fold over all older versions), until a prune."
        ),
        steps=(
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1}),
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1.replace("  - {switch: sw1, port: 1}\n", "")}),
            Step("export"),
            *sync_pair(
                {
                    f"{VLANS}/office.yaml": OFFICE_V1.replace("  - {switch: sw1, port: 1}\n", "").replace(
                        "name: office", "name: office\ndescription: desks"
                    )
                }
            ),
            Step("export"),
            Step("prune"),
            Step("export"),
        ),
    ),
    Scenario(
        name="rename-identity",
        doc="Renaming a folder (its key) purges the old one with all its content and creates the new one.",
        steps=(
            *sync_pair({f"{FS}/web01.yml": WEB_V1}),
            *sync_pair({f"{FS}/web01.yml": WEB_V1.replace("name: etc", "name: config")}),
            Step("export"),
        ),
    ),
    Scenario(
        name="rename-property",
        doc=(
            "A renamed (misspelt) property is dropped silently by update and the default comes "
            "back; an unknown property does not make a new version by itself."
        ),
        steps=(
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1.replace("name: office", "name: office\nmtu: 9000")}),
            Step("sync", {f"{VLANS}/lab.json": LAB_V1[:-1] + ', "colour": "red"}'}),
            Step("update", {f"{VLANS}/office.yaml": OFFICE_V1.replace("name: office", "name: office\nmut: 9000")}),
            Step("sync"),
            Step("export"),
        ),
    ),
    Scenario(
        name="nested-lists",
        doc=(
            "Three levels of folders: add, remove and reorder items deep in the tree; the merged "
            "view lists current items in their order, then removed ones."
        ),
        steps=(
            *sync_pair({f"{FS}/web01.yml": WEB_V1}),
            *sync_pair(
                {
                    f"{FS}/web01.yml": text(
                        """
                        host: web01
                        content:
                          - {type: file, name: README, content: hello}
                          - type: folder
                            name: etc
                            content:
                              - type: folder
                                name: nginx
                                content:
                                  - type: folder
                                    name: sites
                                    content:
                                      - {type: file, name: default, content: "server {}\\n"}
                              - {type: file, name: hosts, content: "127.0.0.1 localhost\\n"}
                        """
                    )
                }
            ),
            Step("export"),
        ),
    ),
    Scenario(
        name="discriminated-union",
        doc=(
            "A file replaced by a folder of the same name: the discriminator is part of the "
            "identity, so one is purged and the other created. A missing discriminator fails."
        ),
        steps=(
            *sync_pair(
                {
                    f"{FS}/db01.json": '{"host": "db01", "root": "/srv", "content": [{"type": "file", "name": "data", "content": "x"}, {"type": "folder", "name": "logs"}]}'
                }
            ),
            Step(
                "update",
                {f"{FS}/db01.json": '{"host": "db01", "root": "/srv", "content": [{"name": "data"}]}'},
                expect_error="Unable to extract tag using discriminator 'type'",
            ),
            Step(
                "update",
                {f"{FS}/db01.json": '{"host": "db01", "root": "/srv", "content": [{"type": "link", "name": "data"}]}'},
                expect_error="Input tag 'link' found using 'type' does not match any of the expected tags: 'file', 'folder'",
            ),
            *sync_pair(
                {
                    f"{FS}/db01.json": '{"host": "db01", "root": "/srv", "content": [{"type": "folder", "name": "data", "content": [{"type": "file", "name": "x"}]}, {"type": "folder", "name": "logs"}]}'
                }
            ),
            Step("export"),
        ),
    ),
    Scenario(
        name="multi-key-identity",
        doc=(
            "Ports are identified by (switch, port): changing either key is a purge plus a create; "
            "identity values are rendered with str() and escaped in paths; two items with the "
            "same identity collapse to one in the merged view."
        ),
        steps=(
            *sync_pair(
                {
                    f"{VLANS}/office.yaml": OFFICE_V1.replace("switch: sw2", "switch: 'sw[2].bru=a*b\\c'"),
                    f"{KINDS}/basic.yaml": SETTING_V1,
                }
            ),
            *sync_pair(
                {
                    f"{VLANS}/office.yaml": OFFICE_V1.replace("{switch: sw1, port: 2, tagged: yes}", "{switch: sw2, port: 2}"),
                    f"{KINDS}/basic.yaml": text(
                        """
                        name: basic
                        count: 3
                        entries:
                          - {id: 1.0, value: one}
                          - {id: 2, flag: false, value: two}
                          - {id: 2, flag: true, value: three}
                          - {id: 1, value: duplicate of the first}
                        """
                    ),
                }
            ),
            Step("export"),
        ),
    ),
    Scenario(
        name="delete-by-empty-mapping",
        doc="Writing {} deletes a slice: sync makes a {} version, export marks everything delete, prune removes all.",
        steps=(
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1, f"{VLANS}/lab.json": LAB_V1}),
            *sync_pair({f"{VLANS}/office.yaml": "{}\n", f"{VLANS}/lab.json": "{}"}),
            Step("export"),
            Step("sync", note="a deleted source stays deleted: no new version"),
            Step("prune"),
            Step("export"),
        ),
    ),
    Scenario(
        name="delete-by-removing-file",
        doc="Removing the source file deletes the slice at the next sync (a new {} version).",
        steps=(
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1, f"{FS}/web01.yml": WEB_V1}),
            Step("update", {f"{VLANS}/office.yaml": None, f"{FS}/web01.yml": None}),
            Step("sync"),
            Step("export"),
            Step("sync", note="already deleted: nothing new"),
            Step("prune"),
            Step("export"),
        ),
    ),
    Scenario(
        name="prune",
        doc=(
            "Prune keeps only the latest version of each slice and drops deleted ones; version "
            "numbers continue after it and the merged view forgets what was pruned."
        ),
        steps=(
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1, f"{VLANS}/lab.json": LAB_V1, f"{FS}/web01.yml": WEB_V1}),
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1.replace("vlan_id: 10", "vlan_id: 11"), f"{FS}/web01.yml": None}),
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1.replace("vlan_id: 10", "vlan_id: 12")}),
            Step("prune"),
            Step("export"),
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1.replace("vlan_id: 10", "vlan_id: 13")}),
            Step("export"),
            Step("prune", note="prune twice: nothing more to remove"),
        ),
    ),
    Scenario(
        name="yaml-1-1-values",
        doc=(
            "PyYAML reads YAML 1.1: yes/on/off are booleans, 0x1F and 017 are integers, 1:30 is "
            "sexagesimal, ~ is null, 1e3 is a string, dates are dates. pydantic then coerces."
        ),
        steps=(
            Step(
                "update",
                {
                    f"{KINDS}/yaml11.yaml": text(
                        """
                        name: yaml11
                        enabled: off
                        count: 0x1F
                        ratio: 1:30
                        label: 'yes'
                        note: ~
                        numbers: [017, 0b101, 1_000, +7, 1:00]
                        labels: {'on': 'y', 'null': ~x}
                        limits: {cpu: 1e3, memory_mb: 2_048}
                        """
                    ),
                    f"{KINDS}/quoted.yml": text(
                        """
                        name: "quoted: yes"
                        label: "on"
                        level: high
                        ratio: .5
                        enabled: Y
                        entries:
                          - {id: 1e3, flag: NO, value: "2024-01-31"}
                          - {id: -.5, value: "1:30"}
                        """
                    ),
                },
            ),
            Step("sync"),
            Step(
                "update",
                {f"{KINDS}/bad.yaml": "name: bad\nlabel: on\n"},
                expect_error="Input should be a valid string",
            ),
            Step(
                "update",
                {f"{KINDS}/bad.yaml": "name: bad\nlabel: 2024-01-31\n"},
                expect_error="Input should be a valid string",
            ),
            Step("update", {f"{KINDS}/bad.yaml": "name: bad\nlabel: '2024-01-31'\nnote: 2024-01-31 10:00:00\n"}, expect_error="Input should be a valid string"),
            Step(
                "update",
                {f"{KINDS}/bad.yaml": None, f"{KINDS}/nonfinite.yaml": "name: nonfinite\nratio: .nan\nlimits: {cpu: -.inf}\nnumbers: []\n"},
                note="non-finite floats outside Sequence fields survive",
            ),
            Step("sync"),
            Step("sync", note="NaN != NaN: the unchanged slice is activated again"),
            Step(
                "update",
                {f"{KINDS}/nonfinite.yaml": "name: nonfinite\nentries: [{id: .inf}]\n"},
                note="inside a Sequence field pydantic dumps them as null, and writing the slice fails",
                expect_error="Input should be a valid number",
            ),
            Step("export", {f"{KINDS}/nonfinite.yaml": None}),
        ),
    ),
    Scenario(
        name="coercions",
        doc=(
            "pydantic's lax mode on JSON sources: numeric strings, floats with no fraction, 0/1 "
            "booleans are accepted and rewritten; defaults are filled in; unknown properties and "
            "every 'path' key are dropped."
        ),
        steps=(
            Step(
                "update",
                {
                    f"{KINDS}/lax.json": text(
                        """
                        {
                          "name": "lax",
                          "enabled": "false",
                          "count": "12",
                          "ratio": 1,
                          "numbers": ["1", 2.0, 3],
                          "labels": {"a": "b", "path": "/x"},
                          "limits": {"cpu": "2.5", "path": "limits"},
                          "backup": {"memory_mb": 1024.0, "unknown": 1},
                          "entries": [{"id": "3", "flag": "yes", "value": "v", "path": "x"}],
                          "colour": "red",
                          "path": "."
                        }
                        """
                    ),
                    f"{KINDS}/ints.yaml": "name: ints\nenabled: 1\ncount: 3.0\nratio: 7\nlevel: high\n",
                },
            ),
            Step("sync"),
            Step("update", {f"{KINDS}/bad.json": '{"name": "bad", "count": 3.5}'}, expect_error="Input should be a valid integer"),
            Step("update", {f"{KINDS}/bad.json": '{"name": "bad", "label": 5}'}, expect_error="Input should be a valid string"),
            Step("update", {f"{KINDS}/bad.json": '{"name": "bad", "level": "medium"}'}, expect_error="Input should be 'low' or 'high'"),
            Step("update", {f"{KINDS}/bad.json": '{"name": "bad", "enabled": "maybe"}'}, expect_error="Input should be a valid boolean"),
            Step("update", {f"{KINDS}/bad.json": None}),
            Step("export"),
        ),
    ),
    Scenario(
        name="managed-attributes",
        doc=(
            "Compile-managed attributes written by hand (operation, version, slice_name, the "
            "model-only 'computed'): reading keeps them, so sync sees a change; update removes them."
        ),
        steps=(
            *sync_pair({f"{KINDS}/basic.yaml": SETTING_V1}),
            Step(
                "sync",
                {f"{KINDS}/basic.yaml": SETTING_V1 + "operation: delete\nversion: 7\nslice_name: other\ncomputed: 9\n"},
            ),
            Step("export"),
            Step("update"),
            Step("sync"),
            Step("export"),
        ),
    ),
    Scenario(
        name="empty-documents",
        doc=(
            "Empty YAML, null and {} are deleted slices (never activated ones are not in the view); "
            "an empty JSON file and a non-mapping document are errors."
        ),
        steps=(
            Step(
                "update",
                {
                    f"{VLANS}/empty.yaml": "",
                    f"{VLANS}/comment.yaml": "# nothing here yet\n",
                    f"{VLANS}/nothing.yaml": "null\n",
                    f"{VLANS}/null.json": "null",
                    f"{VLANS}/braces.json": "{}",
                    f"{VLANS}/explicit.yaml": "---\n...\n",
                },
            ),
            Step("sync"),
            Step("export"),
            Step("prune"),
            Step("update", {f"{VLANS}/blank.json": ""}, expect_error="Expecting value"),
            Step("update", {f"{VLANS}/blank.json": None, f"{VLANS}/list.yaml": "- a\n- b\n"}, expect_error="does not contain a json mapping"),
            Step("update", {f"{VLANS}/list.yaml": '"just a string"\n'}, expect_error="does not contain a json mapping"),
            Step("update", {f"{VLANS}/list.yaml": "[]\n"}, expect_error="does not contain a json mapping"),
            Step(
                "update",
                {f"{VLANS}/list.yaml": None, f"{VLANS}/two.yaml": "site: bru\n---\nsite: ghent\n"},
                expect_error="expected a single document in the stream",
            ),
        ),
    ),
    Scenario(
        name="file-names",
        doc=(
            "Which files of a source folder are slices: hidden files and sub-folders are ignored; "
            "any name.ext with a lowercase ext is read (unknown ext: error); @vN in a source "
            "name sets the version; names the pattern rejects fail the compile."
        ),
        steps=(
            Step(
                "update",
                {
                    f"{VLANS}/.hidden.yaml": "this: [is not read\n",
                    f"{VLANS}/sub/ignored.yaml": "nor: [this\n",
                    f"{VLANS}/with space.yaml": "site: bru\nvlan_id: 30\nname: spaced\n",
                    f"{VLANS}/ünïcode.json": '{"site": "bru", "vlan_id": 31, "name": "ünïcode"}',
                    f"{VLANS}/pinned@v3.yaml": "site: bru\nvlan_id: 32\nname: pinned\n",
                    f"{VLANS}/dots.in.name.yaml": "site: bru\nvlan_id: 33\nname: dots\n",
                },
            ),
            Step("sync"),
            Step("export"),
            Step("update", {f"{VLANS}/README.md": "# Our VLANs\n"}, expect_error="Unsupported slice file extension: md"),
            Step("export", note="export and prune never read the sources: a broken source folder does not matter"),
            Step("prune"),
            Step("update", {f"{VLANS}/README.md": None, f"{VLANS}/Upper.YAML": "site: bru\n"}, expect_error="Can not parse slice filename"),
            Step("update", {f"{VLANS}/Upper.YAML": None, f"{VLANS}/a@b.yaml": "site: bru\n"}, expect_error="Can not parse slice filename"),
            Step("update", {f"{VLANS}/a@b.yaml": None, f"{VLANS}/noext": "site: bru\n"}, expect_error="Can not parse slice filename"),
            Step("update", {f"{VLANS}/noext": None}),
            Step(
                "sync",
                {f"{VLANS}/pinned@v3.yaml": "site: bru\nvlan_id: 32\nname: pinned-changed\n"},
                note="a version in a source name pins it: the changed data overwrites the active v3",
            ),
            Step("export"),
        ),
    ),
    Scenario(
        name="versions",
        doc=(
            "Version numbering from the active files: gaps, zero-padded numbers, a .yaml active "
            "file, an active folder without .migrations.json."
        ),
        steps=(
            Step(
                "export",
                {
                    f"{ACTIVE}/vlans/office@v1.json": '{"site": "bru", "vlan_id": 10, "name": "office"}',
                    f"{ACTIVE}/vlans/office@v3.json": '{"site": "bru", "vlan_id": 10, "name": "office", "mtu": 9000}',
                    f"{ACTIVE}/vlans/lab@v002.yaml": "site: bru\nvlan_id: 20\nname: lab\n",
                    f"{ACTIVE}/vlans/lab@v1.json": '{"site": "bru", "vlan_id": 20, "name": "lab-old"}',
                },
            ),
            Step(
                "sync",
                {
                    f"{VLANS}/office.json": '{"site": "bru", "vlan_id": 10, "name": "office", "mtu": 9000}',
                    f"{VLANS}/lab.yaml": "site: bru\nvlan_id: 20\nname: lab\ndhcp: true\n",
                    f"{VLANS}/new.yaml": "site: bru\nvlan_id: 40\nname: new\n",
                },
            ),
            Step("export"),
            Step("prune"),
            Step("export"),
            Step(
                "export",
                {f"{ACTIVE}/vlans/broken.json": "{}"},
                expect_error="Active slices must have a version specified in the file name.",
            ),
        ),
    ),
    Scenario(
        name="history-fold",
        doc=(
            "Three versions: previous is the merge of all older versions, and the operation the "
            "fold leaves in it takes part in the comparison (an item unchanged since v2 but "
            "changed between v1 and v2 is still 'update' at v3)."
        ),
        steps=(
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1}),
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1.replace("tagged: yes", "tagged: no")}),
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1.replace("tagged: yes", "tagged: no").replace("name: office", "name: office\ndescription: v3")}),
            Step("export"),
            *sync_pair({f"{VLANS}/office.yaml": OFFICE_V1.replace("tagged: yes", "tagged: no").replace("name: office", "name: office\ndescription: v3").replace("site: bru", "site: ghent")}),
            Step("export"),
        ),
    ),
    Scenario(
        name="recreate-after-delete",
        doc="A slice deleted ({} version) then written again while the deleted version is still active.",
        steps=(
            *sync_pair({f"{KINDS}/basic.yaml": SETTING_V1, f"{VLANS}/lab.json": LAB_V1}),
            *sync_pair({f"{KINDS}/basic.yaml": None, f"{VLANS}/lab.json": None}),
            Step(
                "update",
                {f"{KINDS}/basic.yaml": SETTING_V1, f"{VLANS}/lab.json": LAB_V1},
                note="the fold merges the {} version with v1 and indexes the list relation of {}",
                expect_error="KeyError: 'ports'",
            ),
            Step("sync", expect_error="KeyError: 'ports'", note="fails, but its finalizer still activates v3"),
            Step("export", expect_error="KeyError: 'ports'"),
            Step("prune", note="keeps v3 only: the store works again"),
            Step("export"),
        ),
    ),
    Scenario(
        name="embedded-objects",
        doc=(
            "Required and optional embedded objects (cardinality 1): an optional one added, "
            "changed, removed; paths are the relation name; a removed one is a delete."
        ),
        steps=(
            *sync_pair({f"{KINDS}/emb.yaml": "name: emb\n"}),
            *sync_pair({f"{KINDS}/emb.yaml": "name: emb\nlimits: {cpu: 2}\nbackup: {memory_mb: 64}\n"}),
            Step("export"),
            *sync_pair({f"{KINDS}/emb.yaml": "name: emb\nlimits: {cpu: 2}\n"}),
            Step("export"),
        ),
    ),
    Scenario(
        name="first-touch",
        doc=(
            "Compiles on a project without any active folder: every mode creates "
            "git_ops/active/<store>/.migrations.json for every store the model unrolls."
        ),
        steps=(
            Step("export"),
            Step("prune", {f"{ACTIVE}": None}),
            Step("sync", {f"{ACTIVE}": None, f"{VLANS}/lab.json": LAB_V1}),
        ),
    ),
    Scenario(
        name="nested-defaults",
        doc=(
            "Defaults built by default factories two deep are filled in whole, and defaults are "
            "dumped through their field's type (an int default on a float field is written 60.0), "
            "in update, in embedded objects, list items and dict values, and in the merged view "
            "of an active file that lacks them."
        ),
        steps=(
            *sync_pair(
                {
                    f"{EXTRAS}/bare.yaml": "name: bare\n",
                    f"{EXTRAS}/partial.yaml": text(
                        """
                        name: partial
                        middle: {deep: {level: 4}}
                        nodes:
                          - id: n1
                          - {id: n2, scale: 3, deep: {}}
                        """
                    ),
                    f"{EXTRAS}/flat.json": '{"name": "flat", "middle": {"weight": 5}, "by_name": {"b": 2}}',
                }
            ),
            Step("export"),
            Step(
                "export",
                {
                    f"{EXTRAS}/legacy.json": '{"name": "legacy"}',
                    f"{ACTIVE}/extras/legacy@v1.json": '{"name": "legacy"}',
                },
                note="an active file written before the fields existed",
            ),
        ),
    ),
    Scenario(
        name="python-key-equality",
        doc=(
            "YAML keys Python holds equal (1, true, 1.0) are one key of an untyped dict: first "
            "position, last value; dumped in JSON mode, 1 and '1' become the same key too."
        ),
        steps=(
            *sync_pair(
                {
                    f"{EXTRAS}/keys.yaml": text(
                        """
                        name: keys
                        anything: {1: a, true: b, 1.0: c, "1": d, null: e, ~: f, 2: {1: x, 1.0: y}, 0: g, false: h}
                        words: {a: x, b: y, a: z}
                        """
                    ),
                    f"{EXTRAS}/keys-json.json": '{"name": "keys-json", "anything": {"1": 1, "x": 2, "1": 3}}',
                }
            ),
            Step("export"),
        ),
    ),
    Scenario(
        name="yaml-tags",
        doc=(
            "Tags safe_load accepts: !!binary (bytes: a str field decodes them as UTF-8), !!omap "
            "and !!pairs (lists of pairs), !!set (a set of its keys); bytes that are not UTF-8 "
            "fail a str field, and crash the dump of an untyped dict."
        ),
        steps=(
            *sync_pair(
                {
                    f"{EXTRAS}/tags.yaml": text(
                        """
                        name: tags
                        word: !!binary aGVsbG8=
                        weights: !!set {3: null, 1: null, 2: null}
                        anything:
                          o: !!omap [b: 1, a: 2]
                          p: !!pairs [x: 1, x: 2]
                          s: !!set {5, 4}
                          bin: !!binary aGk=
                          str: !!str 12
                          int: !!int "7"
                          float: !!float "1"
                        """
                    ),
                }
            ),
            Step("export"),
            Step("update", {f"{EXTRAS}/bad.yaml": "name: bad\nword: !!binary /w==\n"}, expect_error="unable to parse raw data as a unicode string"),
            Step(
                "update",
                {f"{EXTRAS}/bad.yaml": "name: bad\nanything: {x: !!binary /w==}\n"},
                expect_error="UnicodeDecodeError",
                note="the reference crashes while dumping: nothing is written",
            ),
        ),
    ),
    Scenario(
        name="merge-keys",
        doc=(
            "Merge keys as PyYAML reads them: with <<: [a, b] the first mapping wins a shared key, "
            "keys written in the mapping win over merged ones, merged keys come first."
        ),
        steps=(
            *sync_pair(
                {
                    f"{EXTRAS}/merged.yaml": text(
                        """
                        name: merged
                        anything:
                          base: &b {a: 1, b: 1}
                          other: &o {b: 2, c: 2}
                          both: {<<: [*b, *o], d: 4}
                          reversed: {<<: [*o, *b]}
                          over: {a: 9, <<: *b}
                          nested: {<<: {<<: *o, e: 5}, f: 6}
                        """
                    ),
                }
            ),
            Step("export"),
            # Keys of two characters or more: the last mapping wins, and a key node merged again
            # through an alias is dropped (PyYAML keeps id(key_node.value) of merged pairs).
            Step(
                "update",
                {
                    f"{EXTRAS}/merged.yaml": text(
                        """
                        name: merged
                        anything:
                          long: &l {aa: 1, cc: 1}
                          last: {<<: [*l, {aa: 2}]}
                          repeated: {<<: [*l, {aa: 2}, *l]}
                          chained: &c {<<: *l, dd: 3}
                          through: {<<: [*c, {aa: 2, dd: 4}, *l]}
                        """
                    ),
                },
            ),
        ),
    ),
    Scenario(
        name="unicode-patterns",
        doc=(
            "Field patterns run in pydantic-core's Rust regex engine: \\w, \\d, \\s and \\b are "
            "Unicode-aware, '.' excludes only \\n, '$' is the end of the text (not before a final "
            "newline)."
        ),
        steps=(
            *sync_pair(
                {
                    f"{EXTRAS}/unicode.json": (
                        '{"name": "unicode", "word": "h\\u00e9llo_\\u00fcn\\u00ef", "digits": "\\u0661\\u0662\\u0663", '
                        '"dotted": "a\\rb", "spaced": "\\u00a0x"}'
                    ),
                    f"{EXTRAS}/separators.json": '{"name": "separators", "dotted": "a\\u2028b", "word": "x\\u0301"}',
                }
            ),
            Step("export"),
            Step("update", {f"{EXTRAS}/bad.json": '{"name": "bad", "ending": "end\\n"}'}, expect_error="String should match pattern '^end$'"),
            Step("update", {f"{EXTRAS}/bad.json": '{"name": "bad", "dotted": "a\\nb"}'}, expect_error="String should match pattern '^a.b$'"),
            Step("update", {f"{EXTRAS}/bad.json": '{"name": "bad", "digits": "12a"}'}, expect_error="String should match pattern"),
        ),
    ),
    Scenario(
        name="unicode-normalisation",
        doc=(
            "Names, dict keys and identities that differ only by Unicode normalisation (NFC "
            "'caf\\u00e9' vs NFD 'cafe\\u0301') are distinct: two slices, two keys, two items."
        ),
        steps=(
            *sync_pair(
                {
                    f"{EXTRAS}/{NFC}.yaml": f"name: {NFC}\nwords: {{{NFC}: c, {NFD}: d}}\nnodes: [{{id: {NFC}}}, {{id: {NFD}, scale: 2}}]\n",
                    f"{EXTRAS}/{NFD}.yaml": f"name: {NFD}\n",
                }
            ),
            Step("export"),
            *sync_pair({f"{EXTRAS}/{NFD}.yaml": f"name: {NFD}\ntimeout: 1\n"}),
            Step("export"),
        ),
    ),
)


# --------------------------------------------------------------------------------------------
# Facts docs/reference-notes.md states, asserted on the reference's runs (the goldens pin every
# byte anyway; these say which bytes matter and why).


def view(record, label: str, store: str, name: str) -> dict:
    for item in record.step(label).views[store]:
        if item["name"] == name:
            return item
    raise AssertionError(f"{name} not in the {store} view of {label}")


def item_at(attributes: dict, relation: str, path: str) -> dict:
    for item in attributes[relation]:
        if item["path"] == path:
            return item
    raise AssertionError(f"no item {path} in {relation}")


def check_create(record) -> None:
    update = record.step("01-update")
    assert update.after["git_ops/active/vlans/.migrations.json"] == b'{\n  "applied": []\n}'
    assert not update.after["files/vlans/lab.json"].endswith(b"\n"), "JSON is written without a final newline"
    assert update.after["files/vlans/lab.json"].startswith(b'{\n  "site": "bru",\n  "vlan_id": 20,')
    assert update.after["files/vlans/office.yaml"].startswith(b"site: bru\nvlan_id: 10\n"), "comments are lost"
    assert b"- switch: sw1\n  port: 1\n  tagged: false\n" in update.after["files/vlans/office.yaml"]
    assert "git_ops/active/vlans/office@v1.json" in record.step("02-sync").after
    assert record.step("04-sync").after == record.step("04-sync").before
    office = view(record, "03-export", "vlans", "office")
    assert list(office) == ["name", "store_name", "version", "attributes", "deleted"]
    assert list(office["attributes"])[:5] == ["operation", "path", "version", "slice_store", "slice_name"]
    assert office["attributes"]["ports"][1]["path"] == "ports[switch=sw1][port=2]"


def check_no_op(record) -> None:
    assert not any("@v2" in path for path in record.steps[-1].after), "same data: no new version"
    unnormalised = record.step("05-sync")
    assert unnormalised.after["files/vlans/office.yaml"] == unnormalised.before["files/vlans/office.yaml"]


def check_remove_list_element(record) -> None:
    removed = "ports[switch=sw1][port=1]"
    v2 = view(record, "05-export", "vlans", "office")["attributes"]
    assert item_at(v2, "ports", removed)["operation"] == "delete"
    assert v2["ports"][-1]["path"] == removed, "removed items come after the current ones"
    v3 = view(record, "08-export", "vlans", "office")["attributes"]
    assert item_at(v3, "ports", removed)["operation"] == "delete", "still purged two versions later"
    pruned = view(record, "10-export", "vlans", "office")["attributes"]
    assert removed not in [port["path"] for port in pruned["ports"]]
    assert pruned["operation"] == "create"


def check_history_fold(record) -> None:
    office = view(record, "07-export", "vlans", "office")["attributes"]
    # Unchanged since v2, but changed between v1 and v2: the fold's 'update' makes it differ.
    assert item_at(office, "ports", "ports[switch=sw1][port=2]")["operation"] == "update"
    assert item_at(office, "ports", "ports[switch=sw1][port=1]")["operation"] == "create"


def check_multi_key_identity(record) -> None:
    basic = view(record, "05-export", "kinds", "basic")["attributes"]
    paths = [entry["path"] for entry in basic["entries"]]
    assert paths == ["entries[id=1\\.0][flag=None]", "entries[id=2\\.0][flag=False]", "entries[id=2\\.0][flag=True]"]
    assert basic["entries"][0]["value"] == "duplicate of the first", "first position, last value"
    office = view(record, "05-export", "vlans", "office")["attributes"]
    assert office["ports"][-1]["path"] == "ports[switch=sw\\[2\\]\\.bru\\=a\\*b\\\\c][port=1]"


def check_managed_attributes(record) -> None:
    sync = record.step("03-sync")
    assert sync.after["git_ops/active/kinds/basic@v2.json"] == sync.after["git_ops/active/kinds/basic@v1.json"]
    assert view(record, "03-sync", "kinds", "basic")["attributes"]["computed"] == 9
    assert view(record, "04-export", "kinds", "basic")["attributes"]["operation"] == "create"


def check_empty_documents(record) -> None:
    update = record.step("01-update")
    assert update.after["files/vlans/empty.yaml"] == b"{}\n"
    assert update.after["files/vlans/null.json"] == b"{}"
    assert record.step("02-sync").after["git_ops/active/vlans/empty@v1.json"] == b"{}"
    assert record.step("03-export").views.get("vlans", []) == [], "never-activated deleted slices are not emitted"
    assert not any(path.startswith("git_ops/active/vlans/empty") for path in record.step("04-prune").after)


def check_file_names(record) -> None:
    assert "git_ops/active/vlans/pinned@v3.json" in record.step("02-sync").after
    assert record.step("05-export").exit_status == 0 and record.step("06-prune").exit_status == 0
    pinned = record.step("11-sync")
    assert b"pinned-changed" in pinned.after["git_ops/active/vlans/pinned@v3.json"]
    assert not any(path.startswith("git_ops/active/vlans/pinned@v4") for path in pinned.after)
    names = [item["name"] for item in record.step("03-export").views["vlans"]]
    assert names == sorted(names) == ["dots.in.name", "pinned", "with space", "ünïcode"]


def check_coercions(record) -> None:
    lax = record.step("01-update").after["files/kinds/lax.json"]
    assert b'"labels": {\n    "a": "b"\n  },' in lax, "a 'path' key is dropped at any depth, even in a dict attribute"
    assert b'"count": 12,' in lax and b'"ratio": 1.0,' in lax and b'"enabled": false,' in lax


def check_recreate_after_delete(record) -> None:
    failed_sync = record.step("06-sync")
    assert failed_sync.exit_status != 0
    assert "git_ops/active/vlans/lab@v3.json" in failed_sync.after, "the finalizer activates despite the error"


def check_yaml_values(record) -> None:
    assert "git_ops/active/kinds/nonfinite@v2.json" in record.step("08-sync").after, "NaN != NaN"


def check_discriminated_union(record) -> None:
    db01 = view(record, "07-export", "fs", "db01")["attributes"]
    assert list(db01["content"][0]) == ["operation", "path", "type", "name", "owner", "group", "mode", "content"]
    assert item_at(db01, "content", "content[type=file][name=data]")["operation"] == "delete"
    assert item_at(db01, "content", "content[type=folder][name=data]")["operation"] == "create"


def check_merge_keys(record) -> None:
    merged = record.step("04-update").after["files/extras/merged.yaml"]
    # Two-character keys: the last merged mapping wins; a key node merged again through an
    # alias adds nothing (PyYAML drops the pair by id(key_node.value)).
    assert b"  last:\n    aa: 2\n    cc: 1\n" in merged
    assert b"  repeated:\n    aa: 2\n    cc: 1\n" in merged
    assert b"  through:\n    aa: 2\n    cc: 1\n    dd: 4\n" in merged


CHECKS = {
    "merge-keys": (check_merge_keys,),
    "create": (check_create,),
    "no-op": (check_no_op,),
    "remove-list-element": (check_remove_list_element,),
    "history-fold": (check_history_fold,),
    "multi-key-identity": (check_multi_key_identity,),
    "managed-attributes": (check_managed_attributes,),
    "empty-documents": (check_empty_documents,),
    "file-names": (check_file_names,),
    "recreate-after-delete": (check_recreate_after_delete,),
    "coercions": (check_coercions,),
    "yaml-1-1-values": (check_yaml_values,),
    "discriminated-union": (check_discriminated_union,),
}
