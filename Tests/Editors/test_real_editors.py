"""slicels in real editors: Neovim 0.7 (EditorConfigs/neovim/slicels.lua) and Emacs 28 with eglot
(EditorConfigs/emacs/slicels-eglot.el), each driven headless/batch on a copy of the example
project. Each must start slicels through the shipped configuration and show its diagnostics at
the exact place, converted from UTF-16 by the editor itself.

Run: python3 -m pytest Tests/Editors (after `swift build`; SLICELS_BIN overrides the binary).
The editors come from Debian: neovim, emacs-nox, elpa-eglot, elpa-yaml-mode (.ci/run installs them).
"""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SLICELS = os.environ.get("SLICELS_BIN", str(REPO / ".build" / "debug" / "slicels"))
# A number in a list of strings, after an emoji: UTF-16 column 28, byte column 30, character 27.
BROKEN_LINE = "subnets: [10.10.0.0/24, 😀, 5]"


@pytest.fixture
def project(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(REPO / "Examples" / "network-project", copy)
    subprocess.run(["git", "init", "-q", str(copy)], check=True)
    office = copy / "files" / "vlans" / "office.yaml"
    office.write_text(office.read_text().replace("subnets: [10.10.0.0/24]", BROKEN_LINE))
    return copy


def broken_line_number(path):
    return [i for i, line in enumerate(path.read_text().splitlines()) if line.startswith("subnets")][0]


def run_editor(command, env_extra, output, timeout=60):
    env = dict(os.environ, SLICELS_REPO=str(REPO), SLICELS_BIN=SLICELS, SLICELS_TEST_OUTPUT=str(output), **env_extra)
    completed = subprocess.run(command, env=env, capture_output=True, timeout=timeout, text=True)
    assert output.exists(), f"the editor wrote nothing:\n{completed.stdout}\n{completed.stderr}"
    return json.loads(output.read_text())


@pytest.mark.skipif(shutil.which("nvim") is None, reason="neovim is not installed (apt-get install neovim)")
def test_neovim_shows_slicels_diagnostics_at_the_right_byte_column(project, tmp_path):
    office = project / "files" / "vlans" / "office.yaml"
    result = run_editor(
        ["nvim", "--headless", "--clean", "-u", str(REPO / "Tests" / "Editors" / "neovim_diagnostics.lua")],
        {"SLICELS_TEST_FILE": str(office), "SLICELS_TEST_WANT": "schema-type"},
        tmp_path / "nvim.json",
    )
    assert "error" not in result, result
    assert result["clients"] == ["slicels"]
    wrong = [d for d in result["diagnostics"] if d["code"] == "schema-type"]
    assert len(wrong) == 1
    # Neovim converts the UTF-16 position to a byte column.
    assert wrong[0]["lnum"] == broken_line_number(office)
    assert wrong[0]["col"] == 30
    assert wrong[0]["end_col"] == 31
    assert wrong[0]["severity"] == 1  # vim.diagnostic.severity.ERROR
    purged = [d for d in result["diagnostics"] if d["code"] == "purged-element"]
    assert len(purged) == 0  # the slice does not validate: no compile preview for it


@pytest.mark.skipif(shutil.which("emacs") is None, reason="emacs is not installed (apt-get install emacs-nox elpa-eglot elpa-yaml-mode)")
def test_emacs_eglot_shows_slicels_diagnostics_at_the_right_character(project, tmp_path):
    office = project / "files" / "vlans" / "office.yaml"
    result = run_editor(
        ["emacs", "--batch", "-l", str(REPO / "Tests" / "Editors" / "emacs_eglot_diagnostics.el")],
        {"SLICELS_TEST_FILE": str(office), "SLICELS_TEST_WANT": "valid string"},
        tmp_path / "emacs.json",
    )
    assert "error" not in result, result
    assert result["server"] == "slicels"
    wrong = [d for d in result["diagnostics"] if "valid string" in d["message"]]
    assert len(wrong) == 1
    assert wrong[0]["line"] == broken_line_number(office) + 1
    assert wrong[0]["column"] == 27  # characters: the emoji is one
    assert wrong[0]["type"] in ("eglot-error", "error", ":error")
