"""
The ``kinds`` store of the differential harness: one field per primitive type pydantic coerces
(bool, int, float, str, Literal, list, dict, optional), a required and an optional embedded
object, a model-only attribute, and a keyed list whose identity mixes a float and an optional
bool (keys declared to slicels through the ``x-git-ops-keys`` schema extension).

Also the ``record_view`` plugin, which writes what ``git_ops::unroll_slices`` gave the model.
"""

import json
import os
import pathlib
import typing
from collections.abc import Mapping, Sequence

import pydantic
from pydantic.json_schema import SkipJsonSchema

from inmanta.execute.proxy import SequenceProxy
from inmanta.plugins import plugin
from inmanta_plugins.git_ops import slice, store


class Limits(slice.EmbeddedSliceObjectABC):
    """
    Resource limits (an embedded object without keys).
    """

    cpu: float = pydantic.Field(default=1.0, description="CPU share.")
    memory_mb: int = pydantic.Field(default=512, description="Memory, in MiB.")


class Entry(slice.EmbeddedSliceObjectABC):
    """
    An item of a keyed list whose identity is a float and an optional bool.
    """

    model_config = pydantic.ConfigDict(json_schema_extra={"x-git-ops-keys": ["id", "flag"]})

    keys: typing.ClassVar[Sequence[str]] = ["id", "flag"]

    id: float = pydantic.Field(description="Numeric identity.")
    flag: bool | None = pydantic.Field(default=None, description="Second part of the identity.")
    value: str = pydantic.Field(default="", description="Payload.")


class Setting(slice.SliceObjectABC):
    """
    A slice exercising pydantic's lax coercions and PyYAML's YAML 1.1 values.
    """

    keys: typing.ClassVar[Sequence[str]] = ["name"]

    name: str = pydantic.Field(description="The name of the setting.")
    enabled: bool = True
    count: int = 0
    ratio: float = 0.5
    label: str = ""
    level: typing.Literal["low", "high"] = "low"
    numbers: list[int] = pydantic.Field(default_factory=list)
    labels: dict[str, str] = pydantic.Field(default_factory=dict)
    note: str | None = None
    limits: Limits = pydantic.Field(default_factory=Limits)
    backup: Limits | None = None
    entries: Sequence[Entry] = pydantic.Field(default_factory=list)
    computed: SkipJsonSchema[int] = pydantic.Field(
        default=7,
        description="Model-only attribute: in the merged view, never in the files.",
        exclude_if=slice.slice_update,
    )


STORE = store.SliceStore(
    name="kinds",
    folder="inmanta:///files/kinds/",
    schema=Setting,
)


class Deep(slice.EmbeddedSliceObjectABC):
    """
    The innermost object of a chain of default factories: its own factory-built field.
    """

    level: int = 3
    ratio: float = 1
    tags: list[str] = pydantic.Field(default_factory=list)


class Middle(slice.EmbeddedSliceObjectABC):
    """
    An object whose default comes from a factory and holds a factory-built object itself.
    """

    deep: Deep = pydantic.Field(default_factory=Deep)
    weight: float = 2


class Node(slice.EmbeddedSliceObjectABC):
    """
    Items of a keyed list (identity ``id``) with a float field whose default is an int.
    """

    keys: typing.ClassVar[Sequence[str]] = ["id"]

    id: str = pydantic.Field(description="Identity.")
    scale: float = 1
    deep: Deep = pydantic.Field(default_factory=Deep)


class Extra(slice.SliceObjectABC):
    """
    A slice exercising the corners where a reimplementation is most likely to drift: defaults
    read through their field's type and built by nested factories, untyped dicts (Python key
    equality), Unicode-aware regular expressions (pydantic-core's Rust regex crate).
    """

    keys: typing.ClassVar[Sequence[str]] = ["name"]

    name: str = pydantic.Field(description="The name of the slice.")
    middle: Middle = pydantic.Field(default_factory=Middle)
    timeout: float = 60
    weights: list[float] = [1, 2.5]
    by_name: dict[str, float] = {"a": 1}
    maybe: float | None = 2
    anything: dict = pydantic.Field(default_factory=dict)
    words: dict[str, str] = pydantic.Field(default_factory=dict)
    nodes: Sequence[Node] = pydantic.Field(default_factory=list)
    word: str | None = pydantic.Field(default=None, pattern=r"^\w+$")
    digits: str | None = pydantic.Field(default=None, pattern=r"^\d+$")
    dotted: str | None = pydantic.Field(default=None, pattern=r"^a.b$")
    ending: str | None = pydantic.Field(default=None, pattern=r"^end$")
    spaced: str | None = pydantic.Field(default=None, pattern=r"^\s*x\b")


EXTRAS = store.SliceStore(
    name="extras",
    folder="inmanta:///files/extras/",
    schema=Extra,
)


def _plain(value: object) -> object:
    """Turns the values the compiler hands to a plugin back into JSON-like Python values."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (Sequence, SequenceProxy)):
        return [_plain(item) for item in value]
    return value


@plugin
def record_view(store_name: "string", slices: "list") -> None:  # type: ignore[name-defined]  # noqa: F821
    """
    Write the list ``git_ops::unroll_slices(store_name)`` gave the model to
    ``$SLICELS_REFERENCE_VIEW_DIR/<store_name>.json``, and the same list as the Python
    plugin built it (before the compiler's conversion) to ``<store_name>.python.json``.
    With ``$SLICELS_REFERENCE_MUTATE=<store>/<slice>``, also append 99 to that slice's
    ``numbers`` (a model changing a slice, which only Python code can do).
    """
    view_dir = os.environ.get("SLICELS_REFERENCE_VIEW_DIR")
    if not view_dir:
        return
    from inmanta_plugins import git_ops

    folder = pathlib.Path(view_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{store_name}.json").write_text(json.dumps(_plain(slices), indent=2) + "\n")
    # The plugin decorator hands back the function itself: this is the list unroll_slices built.
    python_view = git_ops.unroll_slices(store_name)
    mutate = os.environ.get("SLICELS_REFERENCE_MUTATE", "")
    if mutate.startswith(f"{store_name}/"):
        # Python code changing a slice during the compile: the merged view shares the source
        # slice's list objects, so this changes the source slice too (test of "Sync blocked").
        from inmanta_plugins.git_ops import store as git_ops_store

        name = mutate.split("/", 1)[1]
        git_ops_store.get_store(store_name).get_one_slice(name).attributes["numbers"].append(99)
    (folder / f"{store_name}.python.json").write_text(json.dumps(python_view, indent=2) + "\n")
