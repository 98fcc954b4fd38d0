"""slicels against the client capabilities real editors send.

pytest-lsp ships the initialize capabilities recorded from VS Code, Neovim and Emacs; each is
replayed against the built `slicels serve`, which must initialize, shut down and exit with 0.

Run from the package root after `swift build`:

    python3 -m venv .venv && .venv/bin/pip install -r Tests/pytest-lsp/requirements.txt
    .venv/bin/pytest Tests/pytest-lsp

`SLICELS_BINARY` overrides the executable (default: .build/debug/slicels).
"""

import asyncio
import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

PACKAGE_ROOT = pathlib.Path(__file__).resolve().parents[2]
SLICELS = os.environ.get("SLICELS_BINARY", str(PACKAGE_ROOT / ".build" / "debug" / "slicels"))

EDITORS = [
    "visual-studio-code",
    "neovim",
    "neovim@v0.10.0",
    "neovim@v0.6.1",
    "emacs",
]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[SLICELS, "serve"]))
async def client(lsp_client: LanguageClient):
    # Editors accept the server's dynamic registrations (file watchers, settings) when their
    # capabilities say so; the bare test client must too. They are kept to check them.
    lsp_client.registrations = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        lsp_client.registrations.extend(params.registrations)
        return None

    yield


@pytest.mark.parametrize("editor", EDITORS)
async def test_initialize_and_shutdown(client: LanguageClient, editor: str):
    capabilities = client_capabilities(editor)
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=PACKAGE_ROOT.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=PACKAGE_ROOT.as_uri(), name=PACKAGE_ROOT.name)],
            client_info=types.ClientInfo(name=editor),
        )
    )

    assert result.server_info is not None
    assert result.server_info.name == "slicels"

    offered = capabilities.general.position_encodings if capabilities.general else None
    expected = "utf-8" if offered and types.PositionEncodingKind.Utf8 in offered else "utf-16"
    assert result.capabilities.position_encoding == expected

    # File watchers are registered where the editor lets servers register them.
    watched = capabilities.workspace and capabilities.workspace.did_change_watched_files
    if watched and watched.dynamic_registration:
        for _ in range(100):
            if client.registrations:
                break
            await asyncio.sleep(0.05)
        methods = [registration.method for registration in client.registrations]
        assert types.WORKSPACE_DID_CHANGE_WATCHED_FILES in methods

    # No error or warning was logged while reading these capabilities.
    assert not [m for m in client.log_messages if m.type in (types.MessageType.Error, types.MessageType.Warning)]

    await client.shutdown_session()
    assert client._server is not None
    assert client._server.returncode == 0
