"""slicels in real editors: Neovim 0.7 (EditorConfigs/neovim/slicels.lua) and Emacs 28 with eglot
(EditorConfigs/emacs/slicels-eglot.el), each driven headless/batch on a copy of the example
project. Each must start slicels through the shipped configuration and show its diagnostics at
the exact place, converted from UTF-16 by the editor itself; then the scenarios of
neovim_scenarios.lua and emacs_eglot_scenarios.el use the features as a user would (keys,
commands, code actions, lenses) and check what ends up in the buffers and on disk.

Run: python3 -m pytest Tests/Editors (after `swift build`; SLICELS_BIN overrides the binary).
The editors come from Debian: neovim, emacs-nox, elpa-eglot, elpa-yaml-mode (.ci/run installs them).
"""

import json
import os
import pathlib
import shutil
import subprocess
import time

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


def run_editor(command, env_extra, output, timeout=120):
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


# Scenarios driving the shipped configurations as a user would (Tests/Editors/*_scenarios.*).

needs_neovim = pytest.mark.skipif(shutil.which("nvim") is None, reason="neovim is not installed (apt-get install neovim)")
needs_emacs = pytest.mark.skipif(
    shutil.which("emacs") is None, reason="emacs is not installed (apt-get install emacs-nox elpa-eglot elpa-yaml-mode)"
)


@pytest.fixture
def clean_project(tmp_path):
    copy = tmp_path / "clean-project"
    shutil.copytree(REPO / "Examples" / "network-project", copy)
    subprocess.run(["git", "init", "-q", str(copy)], check=True)
    return copy


def neovim_scenario(tmp_path, scenario, file, **env):
    result = run_editor(
        ["nvim", "--headless", "--clean", "-u", str(REPO / "Tests" / "Editors" / "neovim_scenarios.lua")],
        {"SLICELS_TEST_SCENARIO": scenario, "SLICELS_TEST_FILE": str(file), **env},
        tmp_path / f"nvim-{scenario}.json",
    )
    assert "error" not in result, result
    return result


def emacs_scenario(tmp_path, scenario, file, **env):
    result = run_editor(
        ["emacs", "--batch", "-l", str(REPO / "Tests" / "Editors" / "emacs_eglot_scenarios.el")],
        {"SLICELS_TEST_SCENARIO": scenario, "SLICELS_TEST_FILE": str(file), **env},
        tmp_path / f"emacs-{scenario}.json",
    )
    assert "error" not in result, result
    return result


def introduce_near_miss_key(project):
    office = project / "files" / "vlans" / "office.yaml"
    office.write_text(office.read_text().replace("\ndescription:", "\ndescriptoin:"))
    return office


@needs_neovim
def test_neovim_K_shows_the_hover_of_the_key(clean_project, tmp_path):
    result = neovim_scenario(tmp_path, "hover", clean_project / "files" / "vlans" / "office.yaml")
    assert "**mtu**" in result["hover"]
    assert "The MTU of the VLAN." in result["hover"]


@needs_neovim
@pytest.mark.parametrize("snippets", [False, True], ids=["plain-text items", "snippet items"])
def test_neovim_omnifunc_inserts_a_multi_line_item_scaffold_as_lines(clean_project, tmp_path, snippets):
    office = clean_project / "files" / "vlans" / "office.yaml"
    extra = {"SLICELS_TEST_SNIPPETS": "1"} if snippets else {}
    result = neovim_scenario(tmp_path, "complete", office, SLICELS_TEST_WANT="new PortAssignment", **extra)
    saved = office.read_bytes()
    # Neovim 0.7's vim.lsp.omnifunc turns the newline into a NUL (saved as a \0 byte).
    assert b"\0" not in saved
    assert saved.decode().endswith("  - switch: <REPLACE_THIS>\n    port: <REPLACE_THIS>\n"), saved
    # Valid YAML: slicels' own reader finds no syntax error (the placeholders are schema errors).
    checked = subprocess.run([SLICELS, "check", "--format", "json", str(office)], capture_output=True, text=True)
    findings = json.loads(checked.stdout)
    assert [f for f in findings if f["code"].startswith("yaml")] == [], findings
    assert {f["path"] for f in findings} <= {str(office)}
    # The cursor was left after the inserted text; <Esc> put it on its last character.
    assert result["cursor"] == [13, len("    port: <REPLACE_THIS>") - 1]


@needs_neovim
def test_neovim_omnifunc_replaces_the_word_after_multi_byte_characters(clean_project, tmp_path):
    office = clean_project / "files" / "vlans" / "office.yaml"
    # The server's range starts at UTF-16 column 20 (the emoji counts 2); the config converts it
    # to byte column 23 to replace exactly "po".
    neovim_scenario(
        tmp_path, "complete", office, SLICELS_TEST_TYPE='  - {switch: "😀é", po}<Left>', SLICELS_TEST_WANT="port"
    )
    assert office.read_text().endswith('  - {switch: "😀é", port: }\n')


@needs_neovim
def test_neovim_preview_command_shows_the_purged_elements_in_a_read_only_scratch_buffer(clean_project, tmp_path):
    result = neovim_scenario(tmp_path, "preview", clean_project / "files" / "fs" / "web01.yaml")
    [buffer] = result["buffers"]
    assert buffer["name"] == "slicels://fs/web01.merged.json"
    assert result["current"] == buffer["name"] and buffer["shown"]
    assert buffer["modifiable"] is False and buffer["readonly"] is True and buffer["buftype"] == "nofile"
    assert buffer["clients"] == 0  # the scratch buffer is no slice file for the server
    preview = json.loads(buffer["text"])
    assert preview["name"] == "web01"
    # motd was removed from the source: the next sync purges it.
    assert '"operation": "delete"' in buffer["text"]
    assert "content[type=folder][name=etc].content[type=file][name=motd]" in buffer["text"]


@needs_neovim
def test_neovim_quick_fix_renames_a_near_miss_key(clean_project, tmp_path):
    office = introduce_near_miss_key(clean_project)
    result = neovim_scenario(
        tmp_path,
        "quickfix",
        office,
        SLICELS_TEST_READY="unknown-property",
        SLICELS_TEST_AT="^descriptoin",
        SLICELS_TEST_WANT="Rename to 'description'",
    )
    assert "Rename to 'description'" in result["offered"]
    assert office.read_text() == (REPO / "Examples" / "network-project" / "files" / "vlans" / "office.yaml").read_text()


@needs_neovim
def test_neovim_lens_opens_the_active_version(clean_project, tmp_path):
    result = neovim_scenario(tmp_path, "lens", clean_project / "files" / "fs" / "web01.yaml", SLICELS_TEST_WANT="open active v3")
    assert result["current"] == str(clean_project / "git_ops" / "active" / "fs" / "web01@v3.json")
    assert result["cursor"] == [1, 0]


@needs_neovim
def test_neovim_plan_lens_shows_the_merged_view(clean_project, tmp_path):
    result = neovim_scenario(tmp_path, "lens", clean_project / "files" / "fs" / "web01.yaml", SLICELS_TEST_WANT="purged")
    assert result["current"] == "slicels://fs/web01.merged.json"
    assert '"operation": "delete"' in result["buffers"][0]["text"]


@needs_neovim
def test_neovim_update_lens_applies_the_update_compile(clean_project, tmp_path):
    voice = clean_project / "files" / "vlans" / "voice.yml"
    voice.write_text(voice.read_text().replace("vlan_id: 40\n", "vlan_id: 40\ncolour: blue\n"))
    result = neovim_scenario(tmp_path, "edited", voice, SLICELS_TEST_WANT="update: +", SLICELS_TEST_STEP="lens")
    assert any(title.startswith("update: +") and title.endswith("· 1 dropped") for title in result["offered"]), result
    assert "colour" not in voice.read_text()
    assert "mtu: 1500" in voice.read_text()
    assert voice.read_text().startswith("# IP phones")


def with_stand_in_compile(project):
    """Makes slicels.yml's compile command a script appending a line to voice.yml; returns that file."""
    script = project / "stand-in-compile.sh"
    script.write_text("#!/bin/sh\nprintf 'colour: blue\\n' >> files/vlans/voice.yml\n")
    script.chmod(0o755)
    (project / "slicels.yml").write_text("compile:\n  command: [./stand-in-compile.sh]\n")
    return project / "files" / "vlans" / "voice.yml"


@needs_neovim
def test_neovim_compile_command_runs_the_configured_compile_and_reloads(clean_project, tmp_path):
    voice = with_stand_in_compile(clean_project)
    result = neovim_scenario(tmp_path, "edited", voice, SLICELS_TEST_STEP="compile")
    # Reloaded from disk: the compile's new text, not the one the buffer was opened with.
    assert result["text"].endswith("colour: blue"), result
    assert "The update compile (inmanta) changed" in result["messages"], result


@needs_emacs
def test_emacs_compile_command_runs_the_configured_compile_and_reverts(clean_project, tmp_path):
    voice = with_stand_in_compile(clean_project)
    # A near miss: its diagnostic tells that slicels is attached and has analysed the file.
    voice.write_text(voice.read_text().replace("\nname: voice", "\nnmae: voice"))
    result = emacs_scenario(tmp_path, "compile", voice, SLICELS_TEST_WANT="did you mean")
    assert result["text"].endswith("colour: blue\n"), result
    assert "The update compile (inmanta) changed 1 file" in result["messages"], result


@needs_neovim
def test_neovim_plan_command_shows_slicels_plan(clean_project, tmp_path):
    result = neovim_scenario(tmp_path, "plan", clean_project / "files" / "fs" / "web01.yaml")
    [buffer] = result["buffers"]
    assert buffer["name"] == "slicels://plan clean-project"
    assert "fs/web01: v3 → v4" in buffer["text"]
    assert "Plan: " in buffer["text"]


@needs_emacs
def test_emacs_eglot_attaches_json_slices_opened_in_js_mode(clean_project, tmp_path):
    lab = clean_project / "files" / "vlans" / "lab.json"
    lab.write_text(lab.read_text().replace('"mtu": 9000', '"mtu": 90000'))
    result = emacs_scenario(tmp_path, "attach", lab, SLICELS_TEST_WANT="less than or equal to 9216")
    assert result["mode"] == "js-mode"  # what Emacs 28 opens .json files in
    assert result["server"] == "slicels"
    [wrong] = [d for d in result["diagnostics"] if "9216" in d["message"]]
    assert (wrong["line"], wrong["column"]) == (6, 9)


@needs_emacs
def test_emacs_leaves_json_outside_an_inmanta_project_to_other_servers(tmp_path):
    other = tmp_path / "elsewhere" / "package.json"
    other.parent.mkdir()
    other.write_text("{}\n")
    result = run_editor(
        ["emacs", "--batch", "-l", str(REPO / "Tests" / "Editors" / "emacs_eglot_scenarios.el")],
        {"SLICELS_TEST_SCENARIO": "outside", "SLICELS_TEST_FILE": str(other)},
        tmp_path / "emacs-outside.json",
    )
    assert "slicels" not in result["contact"], result


@needs_emacs
def test_emacs_preview_command_shows_the_merged_view(clean_project, tmp_path):
    result = emacs_scenario(tmp_path, "preview", clean_project / "files" / "fs" / "web01.yaml")
    assert result["read-only"] is True and result["shown"] is True
    assert json.loads(result["text"])["name"] == "web01"
    assert "content[type=folder][name=etc].content[type=file][name=motd]" in result["text"]


@needs_emacs
def test_emacs_quick_fix_renames_a_near_miss_key(clean_project, tmp_path):
    office = introduce_near_miss_key(clean_project)
    emacs_scenario(tmp_path, "quickfix", office, SLICELS_TEST_AT="^descriptoin", SLICELS_TEST_WANT="Rename to 'description'")
    assert office.read_text() == (REPO / "Examples" / "network-project" / "files" / "vlans" / "office.yaml").read_text()


def client_messages(log, method, timeout=10):
    """The params of each `method` message in the editor → server traffic `log` holds; polls
    until there is one (the recorder may still be writing when the editor has quit)."""
    deadline = time.monotonic() + timeout
    while True:
        data = log.read_bytes() if log.exists() else b""
        found = []
        while data:
            header, _, rest = data.partition(b"\r\n\r\n")
            length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
            body, data = rest[:length], rest[length:]
            if len(body) < length:
                break
            message = json.loads(body)
            if message.get("method") == method:
                found.append(message.get("params"))
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


@needs_neovim
def test_neovim_setup_gives_the_buffer_defaults_and_sends_the_settings(clean_project, tmp_path):
    log = tmp_path / "client-messages.log"
    settings = {"slicels": {"diagnostics": {"hints": False}}}
    result = neovim_scenario(
        tmp_path,
        "attached",
        clean_project / "files" / "fs" / "web01.yaml",
        SLICELS_TEST_READY="attached",
        SLICELS_TEST_RECORD=str(log),
        SLICELS_TEST_SETTINGS=json.dumps(settings),
    )
    assert result["omnifunc"] == "v:lua.require'slicels'.omnifunc"
    assert result["maps"] == {"K": True, "gd": True, "<Leader>ca": True, "<Leader>cl": True}
    assert sorted(result["commands"]) == ["SlicelsCompile", "SlicelsPlan", "SlicelsPreview", "SlicelsUpdate"]
    assert result["severity_sort"] is True
    # Neovim 0.7 does not answer workspace/configuration: the settings go with the notification.
    assert client_messages(log, "workspace/didChangeConfiguration") == [{"settings": settings}]


@needs_neovim
def test_neovim_update_command_applies_the_update_compile(clean_project, tmp_path):
    office = introduce_near_miss_key(clean_project)
    neovim_scenario(tmp_path, "update", office, SLICELS_TEST_READY="unknown-property")
    updated = office.read_text()
    assert updated.startswith("# Desks of the Brussels office.")
    assert "descriptoin" not in updated
    assert "tagged: false" in updated


@needs_emacs
def test_emacs_update_command_applies_the_update_compile(clean_project, tmp_path):
    office = introduce_near_miss_key(clean_project)
    emacs_scenario(tmp_path, "update", office)
    updated = office.read_text()
    assert updated.startswith("# Desks of the Brussels office.")
    assert "descriptoin" not in updated
    assert "tagged: false" in updated


@needs_emacs
def test_emacs_plan_command_shows_slicels_plan(clean_project, tmp_path):
    result = emacs_scenario(tmp_path, "plan", clean_project / "files" / "fs" / "web01.yaml")
    assert result["read-only"] is True
    assert "fs/web01: v3 → v4" in result["text"]
    assert "Plan: " in result["text"]
