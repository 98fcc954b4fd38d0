"""
Plugins of the netslices module: the slice stores (``fs``, ``vlans``) and a helper plugin.
"""

import json
import os
import pathlib
from collections.abc import Mapping, Sequence

from inmanta.execute.proxy import SequenceProxy
from inmanta.plugins import plugin

# Importing the submodules registers their stores with git_ops.
from inmanta_plugins.netslices import fs, vlans  # noqa: F401


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
def dump_view(store_name: "string", slices: "list") -> None:  # type: ignore[name-defined]  # noqa: F821
    """
    Write what the model received from ``git_ops::unroll_slices(store_name)`` (the merged view
    of every slice) to ``$NETSLICES_VIEW_DIR/<store_name>.json``. Does nothing when the
    variable is not set.
    """
    view_dir = os.environ.get("NETSLICES_VIEW_DIR")
    if not view_dir:
        return
    path = pathlib.Path(view_dir) / f"{store_name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_plain(slices), indent=2) + "\n")
