"""Generates the SliceSchema test fixtures with pydantic (run with a python3 that has pydantic 2).

    python3 Tests/SliceSchemaTests/Fixtures/generate.py

The slice classes below mimic inmanta-module-git-ops' EmbeddedSliceObjectABC / SliceObjectABC:
the compile-managed attributes are model fields hidden from the JSON schema (SkipJsonSchema) and
left out of the dump an update compile writes (exclude_if). Each case records what pydantic does
with an instance: valid or not, its errors (type, loc, msg), and the JSON-mode dump.
"""

import contextvars
import datetime
import enum
import ipaddress
import json
import pathlib
import typing
import uuid

import pydantic
from pydantic.json_schema import SkipJsonSchema

HERE = pathlib.Path(__file__).parent
WRITING = contextvars.ContextVar("WRITING", default=False)


def slice_update(value: object) -> bool:
    return WRITING.get()


class EmbeddedSliceObject(pydantic.BaseModel):
    operation: SkipJsonSchema[str] = pydantic.Field(default="create", exclude_if=slice_update)
    path: SkipJsonSchema[str] = pydantic.Field(default=".", exclude_if=slice_update)


class SliceObject(EmbeddedSliceObject):
    version: SkipJsonSchema[int] = pydantic.Field(default=0, exclude_if=slice_update)
    slice_store: SkipJsonSchema[str] = pydantic.Field(default="", exclude_if=slice_update)
    slice_name: SkipJsonSchema[str] = pydantic.Field(default="", exclude_if=slice_update)


class Mode(str, enum.Enum):
    read = "read"
    write = "write"
    admin = "admin"


class Folder(EmbeddedSliceObject):
    """A folder, possibly holding more folders."""

    name: str = pydantic.Field(description="The folder name.")
    mode: int = pydantic.Field(default=0o755, ge=0, le=0o777, description="Permission bits.")
    children: list["Folder"] = pydantic.Field(default_factory=list)


class FileEntry(EmbeddedSliceObject):
    type: typing.Literal["file"] = "file"
    name: str
    size: int = 0
    checksum: str | None = None


class LinkEntry(EmbeddedSliceObject):
    type: typing.Literal["link"] = "link"
    name: str
    target: str


class DirEntry(EmbeddedSliceObject):
    type: typing.Literal["dir"] = "dir"
    name: str
    hidden: bool = False


Entry = typing.Annotated[
    typing.Union[FileEntry, LinkEntry, DirEntry], pydantic.Field(discriminator="type")
]


class Settings(EmbeddedSliceObject):
    owner: str = "root"
    access: Mode = Mode.read
    quota_gb: float | None = None


class Backup(EmbeddedSliceObject):
    schedule: str
    retention_days: int = 7


class User(EmbeddedSliceObject):
    model_config = pydantic.ConfigDict(json_schema_extra={"x-git-ops-keys": ["login"]})
    login: str
    uid: int
    email: str | None = None


class RootFolder(SliceObject):
    """The root of a file system slice."""

    root: str = pydantic.Field(description="Where the tree is created.")
    name: str = pydantic.Field(pattern=r"^[a-z][a-z0-9-]*$", min_length=1, max_length=40)
    description: str | None = None
    directories: list[Folder] = []
    content: list[Entry] = []
    settings: Settings = Settings()
    backup: Backup | None = None
    users: list[User] = []
    tags: dict[str, str] = {}
    labels: list[str] = []
    created: datetime.datetime | None = None
    identifier: uuid.UUID | None = None
    weight: float = 1.0
    kind: typing.Literal["standard", "archive"] = "standard"


class Formats(SliceObject):
    """String formats pydantic writes into schemas, with the values they normalise to."""

    site: pydantic.HttpUrl | None = None
    link: pydantic.AnyUrl | None = None
    at: datetime.time | None = None
    day: datetime.date | None = None
    address: ipaddress.IPv4Address | None = None
    address6: ipaddress.IPv6Address | None = None
    count: typing.Annotated[int, pydantic.Field(multiple_of=5, gt=0, lt=100)] = 5
    ratio: typing.Annotated[float, pydantic.Field(ge=0.5, le=1.5)] = 1.0
    pair: tuple[int, str] | None = None
    flags: set[str] = set()
    mapping: dict[str, list[int]] = {}
    either: int | str = 0
    nested: typing.Optional[typing.Union[int, list[str]]] = None


FORMAT_INSTANCES: list[tuple[str, object]] = [
    ("urls normalised", {"site": "HTTP://Example.COM", "link": "https://x.com:443/a b?q=1"}),
    ("url without scheme", {"site": "example.com"}),
    ("url wrong type", {"link": 5}),
    ("times", {"at": "10:20"}),
    ("time with fraction and zone", {"at": "10:20:30.5+02:00"}),
    ("time from seconds", {"at": 3600}),
    ("time invalid", {"at": "25:00"}),
    ("ipv6 compressed", {"address6": "2001:DB8:0:0:0:0:0:1"}),
    ("ipv6 invalid", {"address6": "2001:db8::g"}),
    ("ipv4 from integer", {"address": 167772161}),
    ("multiple of", {"count": 7}),
    ("exclusive bounds", {"count": 100}),
    ("float bounds", {"ratio": 0.25}),
    ("tuple", {"pair": ["1", "a"]}),
    ("tuple too long", {"pair": [1, "a", "b"]}),
    ("set deduplicated", {"flags": ["a", "a", "b"]}),
    ("dict of lists", {"mapping": {"a": ["1", 2]}}),
    ("dict of lists invalid", {"mapping": {"a": ["x"]}}),
    ("smart union keeps the string", {"either": "1"}),
    ("smart union picks int", {"either": 1}),
    ("smart union float rejected", {"either": 1.5}),
    ("optional union", {"nested": ["a"]}),
    ("optional union int", {"nested": "3"}),
]


class Inner(pydantic.BaseModel):
    name: str
    size: int = 0


class Color(str, enum.Enum):
    red = "red"
    green = "green"


class FidelityDefs(pydantic.BaseModel):
    color: Color
    inner: Inner


def dump(model: type[pydantic.BaseModel], value: object) -> dict:
    try:
        validated = model.model_validate(value)
    except pydantic.ValidationError as error:
        return {
            "valid": False,
            "errors": [
                {"type": e["type"], "loc": [str(part) for part in e["loc"]], "msg": e["msg"]}
                for e in error.errors()
            ],
        }
    token = WRITING.set(True)
    try:
        normalized = validated.model_dump(mode="json")
    finally:
        WRITING.reset(token)
    return {"valid": True, "normalized": normalized}


FS_INSTANCES: list[tuple[str, object]] = [
    ("minimal", {"root": "/srv", "name": "data"}),
    ("coerced scalars", {"root": "/srv", "name": "data", "weight": "2", "settings": {"quota_gb": 3}}),
    (
        "full",
        {
            "root": "/srv",
            "name": "data",
            "description": "main tree",
            "directories": [{"name": "a", "children": [{"name": "b", "mode": "448"}]}],
            "content": [
                {"type": "file", "name": "x.txt", "size": "12"},
                {"type": "link", "name": "y", "target": "x.txt"},
                {"type": "dir", "name": "z", "hidden": "yes"},
            ],
            "settings": {"owner": "alice", "access": "write"},
            "backup": {"schedule": "daily"},
            "users": [{"login": "alice", "uid": 1000}],
            "tags": {"team": "ops"},
            "labels": ["a", "b"],
            "created": "2024-01-31T10:20:30+02:00",
            "identifier": "ABCDEF78-1234-5678-1234-567812345678",
            "kind": "archive",
        },
    ),
    ("unknown properties dropped", {"root": "/srv", "name": "data", "nmae": "x", "extra": {"a": 1}}),
    (
        "managed attributes dropped",
        {"root": "/srv", "name": "data", "operation": "update", "path": ".", "version": 3,
         "directories": [{"name": "a", "operation": "delete"}]},
    ),
    ("managed attribute of the wrong type", {"root": "/srv", "name": "data", "version": "abc"}),
    ("missing required", {"name": "data"}),
    ("pattern mismatch", {"root": "/srv", "name": "Data"}),
    ("bad enum", {"root": "/srv", "name": "data", "settings": {"access": "wirte"}}),
    ("bad literal", {"root": "/srv", "name": "data", "kind": "archve"}),
    ("discriminator missing", {"root": "/srv", "name": "data", "content": [{"name": "x"}]}),
    ("discriminator invalid", {"root": "/srv", "name": "data", "content": [{"type": "fiel", "name": "x"}]}),
    ("error inside union member", {"root": "/srv", "name": "data", "content": [{"type": "link", "name": "x"}]}),
    ("recursion error deep", {"root": "/srv", "name": "data", "directories": [{"name": "a", "children": [{"name": "b", "children": [{"mode": 1000}]}]}]}),
    ("optional embedded null", {"root": "/srv", "name": "data", "backup": None}),
    ("optional embedded invalid", {"root": "/srv", "name": "data", "backup": {"retention_days": "x"}}),
    ("list of wrong type", {"root": "/srv", "name": "data", "labels": "a"}),
    ("dict values coerced", {"root": "/srv", "name": "data", "tags": {"a": "1"}}),
    ("dict value wrong", {"root": "/srv", "name": "data", "tags": {"a": 1}}),
    ("datetime from timestamp", {"root": "/srv", "name": "data", "created": 86400}),
    ("uuid invalid", {"root": "/srv", "name": "data", "identifier": "1234"}),
    ("float from bool", {"root": "/srv", "name": "data", "weight": True}),
    ("mode above maximum", {"root": "/srv", "name": "data", "directories": [{"name": "a", "mode": 1024}]}),
    ("name too long", {"root": "/srv", "name": "a" * 41}),
    ("users keyed", {"root": "/srv", "name": "data", "users": [{"login": "a", "uid": "1", "email": None}]}),
    ("root not a mapping", ["root"]),
    ("null settings", {"root": "/srv", "name": "data", "settings": None}),
]


def main() -> None:
    defs = FidelityDefs.model_json_schema()["$defs"]
    (HERE / "fidelity-defs.json").write_text(json.dumps(defs, indent=2) + "\n")

    schema = RootFolder.model_json_schema()
    (HERE / "fs.schema.json").write_text(json.dumps(schema, indent=2) + "\n")
    cases = [{"name": name, "instance": instance, **dump(RootFolder, instance)} for name, instance in FS_INSTANCES]
    (HERE / "fs.cases.json").write_text(json.dumps(cases, indent=2) + "\n")
    formats = Formats.model_json_schema()
    (HERE / "formats.schema.json").write_text(json.dumps(formats, indent=2) + "\n")
    format_cases = [{"name": name, "instance": instance, **dump(Formats, instance)} for name, instance in FORMAT_INSTANCES]
    (HERE / "formats.cases.json").write_text(json.dumps(format_cases, indent=2) + "\n")
    print(f"pydantic {pydantic.VERSION}: wrote {len(cases)} + {len(format_cases)} cases")


if __name__ == "__main__":
    main()
