"""
The ``fs`` store: one slice per host, describing a tree of folders and files to manage on it.

Folders contain files and folders (a list of a discriminated union, told apart by ``type``),
and every element of a folder is identified by its ``name``.
"""

import typing
from collections.abc import Sequence

import pydantic
from pydantic.json_schema import SkipJsonSchema

from inmanta_plugins.git_ops import slice, store


class Node(slice.EmbeddedSliceObjectABC):
    """
    What files and folders have in common.
    """

    keys: typing.ClassVar[Sequence[str]] = ["name"]

    name: str = pydantic.Field(
        min_length=1,
        description="The name of the element, unique within its folder.",
    )
    owner: str = pydantic.Field(default="root", description="The user owning the element.")
    group: str = pydantic.Field(default="root", description="The group owning the element.")
    mode: str = pydantic.Field(
        default="0644",
        pattern=r"^0?[0-7]{3}$",
        description="The permissions of the element, in octal.",
    )


class File(Node):
    """
    A text file, with its content.
    """

    type: typing.Literal["file"] = pydantic.Field(default="file", description="Always 'file'.")
    content: str = pydantic.Field(default="", description="The text content of the file.")
    previous_content: SkipJsonSchema[str | None] = pydantic.Field(
        default=None,
        description="Set by the model, never written to the slice files.",
        exclude_if=slice.slice_update,
    )


class Folder(Node):
    """
    A folder, containing files and other folders.
    """

    type: typing.Literal["folder"] = pydantic.Field(default="folder", description="Always 'folder'.")
    mode: str = pydantic.Field(
        default="0755",
        pattern=r"^0?[0-7]{3}$",
        description="The permissions of the folder, in octal.",
    )
    content: Sequence["Content"] = pydantic.Field(
        default_factory=list,
        description="The files and folders inside this folder.",
    )


Content = typing.Annotated[File | Folder, pydantic.Field(discriminator="type")]


class Host(slice.SliceObjectABC):
    """
    The files and folders to manage on one host.
    """

    keys: typing.ClassVar[Sequence[str]] = ["host"]

    host: str = pydantic.Field(description="The host name, as known by the inventory.")
    root: str = pydantic.Field(default="/", description="The folder the content is created in.")
    content: Sequence["Content"] = pydantic.Field(
        default_factory=list,
        description="The files and folders directly inside the root folder.",
    )


STORE = store.SliceStore(
    name="fs",
    folder="inmanta:///files/fs/",
    schema=Host,
)
