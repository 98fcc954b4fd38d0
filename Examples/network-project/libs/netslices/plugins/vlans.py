"""
The ``vlans`` store: one slice per VLAN of a site, with the switch ports it is assigned to.

A port assignment is identified by two keys: the switch and the port number.
"""

import typing
from collections.abc import Sequence

import pydantic

from inmanta_plugins.git_ops import slice, store


class PortAssignment(slice.EmbeddedSliceObjectABC):
    """
    A switch port carrying the VLAN.
    """

    keys: typing.ClassVar[Sequence[str]] = ["switch", "port"]

    switch: str = pydantic.Field(description="The name of the switch.")
    port: int = pydantic.Field(ge=1, le=96, description="The port number on the switch.")
    tagged: bool = pydantic.Field(default=False, description="Whether frames are 802.1Q tagged.")


class Vlan(slice.SliceObjectABC):
    """
    A VLAN of a site.
    """

    keys: typing.ClassVar[Sequence[str]] = ["site", "vlan_id"]

    site: str = pydantic.Field(description="The site the VLAN belongs to.")
    vlan_id: int = pydantic.Field(ge=1, le=4094, description="The 802.1Q VLAN id.")
    name: str = pydantic.Field(description="A short name for the VLAN.")
    description: str | None = pydantic.Field(default=None, description="What the VLAN is for.")
    mtu: int = pydantic.Field(default=1500, ge=576, le=9216, description="The MTU of the VLAN.")
    dhcp: bool = pydantic.Field(default=False, description="Whether the gateway serves DHCP.")
    subnets: list[str] = pydantic.Field(default_factory=list, description="The IP subnets routed on it.")
    ports: Sequence[PortAssignment] = pydantic.Field(
        default_factory=list,
        description="The switch ports carrying the VLAN.",
    )


STORE = store.SliceStore(
    name="vlans",
    folder="inmanta:///files/vlans/",
    schema=Vlan,
)
