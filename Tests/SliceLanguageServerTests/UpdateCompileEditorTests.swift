import Foundation
import LanguageServerProtocol
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceLanguageServer

/// The inline update preview (lens, inlay hints) and the real compile run from the editor.
@Suite("Update compile in the editor")
struct UpdateCompileEditorTests {
  static let whole = LSPRange(start: LSPPosition(line: 0, character: 0), end: LSPPosition(line: 1000, character: 0))

  /// The data of a slice text, as one canonical JSON line.
  static func data(_ text: String, format: SliceFormat = .yaml) throws -> String {
    let tree = SliceReader.read(Array(text.utf8), format: format)
    let root = try #require(tree.root)
    return InlineText.json(root.value)
  }

  /// What differs between two slice data: keys only in `after` (added), only in `before`
  /// (dropped), and values that changed (rewritten).
  static func differences(_ before: Value, _ after: Value) -> (added: Int, dropped: Int, rewritten: Int) {
    switch (before, after) {
    case (.object(let old), .object(let new)):
      var result = (added: 0, dropped: 0, rewritten: 0)
      for member in new where !old.contains(where: { $0.key == member.key }) { result.added += 1 }
      for member in old {
        guard let counterpart = new.first(where: { $0.key == member.key }) else {
          result.dropped += 1
          continue
        }
        let inner = differences(member.value, counterpart.value)
        result = (result.added + inner.added, result.dropped + inner.dropped, result.rewritten + inner.rewritten)
      }
      return result
    case (.array(let old), .array(let new)) where old.count == new.count:
      var result = (added: 0, dropped: 0, rewritten: 0)
      for (oldItem, newItem) in zip(old, new) {
        let inner = differences(oldItem, newItem)
        result = (result.added + inner.added, result.dropped + inner.dropped, result.rewritten + inner.rewritten)
      }
      return result
    default:
      return InlineText.json(before) == InlineText.json(after) ? (0, 0, 0) : (0, 0, 1)
    }
  }

  @Test func theUpdateLensCountsWhatTheUpdateDoesAndAppliesItsEdit() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/vlans/voice.yml")
    // voice.yml lacks mtu and dhcp_relay (defaults); "40" becomes 40; colour is unknown.
    let text = try project.text("files/vlans/voice.yml")
      .replacingOccurrences(of: "vlan_id: 40\n", with: "vlan_id: \"40\"\ncolour: blue\n")
    let editor = try EditorSession { request in
      request.method == ApplyWorkspaceEditRequest.method ? ["applied": true] : .null
    }
    try await editor.initialize(["workspace": ["applyEdit": true]])
    editor.open(file, text)
    let lenses = try await editor.session.request(CodeLensRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString)))
    let lens = try #require(lenses?.first { $0.command?.command == EditorCommands.applyUpdate }, "\(String(describing: lenses))")
    let title = try #require(lens.command?.title)
    #expect(lens.range.start.line == 0)

    let result = try await editor.session.request(
      ExecuteCommandRequest(command: EditorCommands.applyUpdate, arguments: lens.command?.arguments))
    #expect(result["applied"] == true)
    let sent = try #require(editor.recorder.params(of: ApplyWorkspaceEditRequest.method).first ?? nil)
    let edit = try LSPAnyDecoder().decode(WorkspaceEdit.self, from: try #require(sent["edit"]))
    let edits = try #require(edit.changes?[file.absoluteString])
    let applied = applying(edits, to: text, encoding: .utf16)
    #expect(applied.hasPrefix("# IP phones"), "comments stay")

    // The engine's own update of the same text writes the same data.
    try Data(text.utf8).write(to: file)
    let outcome = try EmbeddedEngine.run(mode: .update, root: project.root)
    #expect(outcome.succeeded)
    let written = try project.text("files/vlans/voice.yml")
    #expect(try Self.data(applied) == Self.data(written))

    // The lens' counts are the differences between the text and the update's data.
    let before = try #require(SliceReader.read(Array(text.utf8), format: .yaml).root?.value)
    let after = try #require(SliceReader.read(Array(written.utf8), format: .yaml).root?.value)
    let counted = Self.differences(before, after)
    #expect(counted.added >= 1 && counted.dropped == 1 && counted.rewritten == 1, "\(counted)")
    #expect(title == "update: +\(counted.added) default\(counted.added == 1 ? "" : "s") · \(counted.rewritten) rewritten · \(counted.dropped) dropped")

    // The same facts as inlay hints: the defaults after the slice's last entry, the drop on
    // its key's line, the rewrite after its value.
    let hints = try #require(
      try await editor.session.request(InlayHintRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString), range: Self.whole)))
    let labels = hints.compactMap { hint -> (Int, String)? in
      if case .string(let label) = hint.label { return (hint.position.line, label) }
      return nil
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let colourLine = try #require(lines.firstIndex { $0.hasPrefix("colour") })
    #expect(labels.contains { $0 == (colourLine, "✕ dropped by update") }, "\(labels)")
    let defaults = try #require(labels.first { $0.1.hasPrefix("+ ") }, "\(labels)")
    #expect(defaults.1.contains("mtu: 1500"), "\(defaults)")
    #expect(defaults.0 == lines.count - 2, "after the last port, on the last line: \(defaults)")
    #expect(labels.contains { $0.1 == "→ 40" }, "\(labels)")

    // Applied, nothing is left to do: no lens.
    editor.session.client.send(
      DidChangeTextDocumentNotification(
        textDocument: VersionedTextDocumentIdentifier(uri: file.absoluteString, version: 2),
        contentChanges: [TextDocumentContentChangeEvent(text: applied)]))
    let after2 = try await editor.session.request(CodeLensRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString)))
    #expect(after2?.contains { $0.command?.command == EditorCommands.applyUpdate } == false)
    _ = try await editor.session.finish()
  }

  @Test func theUpdateHintsFollowTheSettings() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/vlans/voice.yml")
    let text = try project.text("files/vlans/voice.yml").replacingOccurrences(of: "vlan_id: 40\n", with: "vlan_id: 40\ncolour: blue\n")
    let editor = try EditorSession()
    try await editor.initialize([:])
    editor.session.client.send(
      DidChangeConfigurationNotification(
        settings: ["slicels": ["inlayHints": ["updateDefaults": false, "updateDrops": false], "codeLens.update": false]]))
    editor.open(file, text)
    let hints = try await editor.session.request(
      InlayHintRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString), range: Self.whole))
    #expect(hints?.contains { if case .string(let label) = $0.label { label.hasPrefix("+") || label.hasPrefix("✕") } else { false } } == false)
    let lenses = try await editor.session.request(CodeLensRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString)))
    #expect(lenses?.contains { $0.command?.command == EditorCommands.applyUpdate } == false)
    _ = try await editor.session.finish()
  }

  // MARK: The real compile

  /// A project whose slicels.yml runs `script` as its compile command.
  static func projectWithCompile(_ script: String) throws -> ExampleProject {
    let project = try ExampleProject()
    let path = project.url("stand-in-compile.sh")
    try Data(("#!/bin/sh\n" + script).utf8).write(to: path)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
    try Data("compile:\n  command: [./stand-in-compile.sh]\n".utf8).write(to: project.url("slicels.yml"))
    return project
  }

  static let progressCapabilities: LSPAny = ["window": ["workDoneProgress": true]]

  func messages(_ editor: EditorSession, type: Int) async -> [String] {
    await editor.session.notifications(ShowMessageNotification.method).filter { $0["type"] == .int(type) }
      .compactMap { $0["message"]?.stringValue }
  }

  @Test func theRealCompileIsOfferedRunsWithProgressAndRereadsWhatItChanged() async throws {
    let project = try Self.projectWithCompile(
      """
      echo "mode=$INMANTA_GIT_OPS_COMPILE_MODE"
      printf 'colour: blue\\n' >> files/vlans/voice.yml
      """)
    defer { project.remove() }
    let file = project.url("files/vlans/voice.yml")
    let editor = try EditorSession()
    try await editor.initialize(Self.progressCapabilities)
    editor.open(file, try project.text("files/vlans/voice.yml"))
    let lenses = try await editor.session.request(CodeLensRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString)))
    let lens = try #require(lenses?.first { $0.command?.command == EditorCommands.inmantaUpdate }, "\(String(describing: lenses))")
    #expect(lens.command?.title == "Run update compile (inmanta)")
    let result = try await editor.session.request(
      ExecuteCommandRequest(command: EditorCommands.inmantaUpdate, arguments: lens.command?.arguments))
    #expect(result["status"] == "succeeded", "\(result)")
    #expect(result["changed"] == ["modified files/vlans/voice.yml"])
    #expect(await messages(editor, type: 3).contains { $0.contains("changed 1 file: modified files/vlans/voice.yml") })
    // The compile's own progress (the analysis reports progress under other tokens).
    let all = await editor.session.notifications("$/progress")
    let begin = try #require(all.first { $0["value"]?["title"] == "Update compile (inmanta)" }, "\(all)")
    let progress = all.filter { $0["token"] == begin["token"] }
    #expect(progress.compactMap { $0["value"]?["kind"]?.stringValue }.last == "end", "\(progress)")
    #expect(progress.contains { $0["value"]?["message"] == "mode=update" }, "\(progress)")
    // The open document (saved, untouched) takes the new text: its diagnostics now tell of
    // the property the compile added.
    try await eventually {
      await editor.session.notifications(PublishDiagnosticsNotification.method).contains { params in
        params["uri"]?.stringValue == file.absoluteString
          && (params["diagnostics"]?.arrayValue ?? []).contains { $0["message"]?.stringValue?.contains("colour") == true }
      }
    }
    _ = try await editor.session.finish()
  }

  @Test func theRealCompileRefusesUnsavedBuffersAndReportsAFailureWithItsMessage() async throws {
    let project = try Self.projectWithCompile("echo 'compiling'\necho 'Could not set attribute `mtu` on voice' >&2\nexit 1\n")
    defer { project.remove() }
    let file = project.url("files/vlans/voice.yml")
    let editor = try EditorSession()
    try await editor.initialize(Self.progressCapabilities)
    editor.open(file, try project.text("files/vlans/voice.yml") + "mtu: 1400\n")
    let refused = try await editor.session.request(
      ExecuteCommandRequest(command: EditorCommands.inmantaUpdate, arguments: [.string(file.absoluteString)]))
    #expect(refused["status"] == "refused")
    #expect(await messages(editor, type: 1).contains { $0.hasPrefix("Save files/vlans/voice.yml first") })
    #expect(try project.text("files/vlans/voice.yml").contains("mtu") == false, "nothing ran")

    editor.session.client.send(
      DidChangeTextDocumentNotification(
        textDocument: VersionedTextDocumentIdentifier(uri: file.absoluteString, version: 2),
        contentChanges: [TextDocumentContentChangeEvent(text: try project.text("files/vlans/voice.yml"))]))
    let failed = try await editor.session.request(
      ExecuteCommandRequest(command: EditorCommands.inmantaUpdate, arguments: [.string(file.absoluteString)]))
    #expect(failed["status"] == "failed", "\(failed)")
    #expect(failed["exitStatus"] == 1)
    let errors = await messages(editor, type: 1)
    #expect(errors.contains { $0.contains("failed (exit status 1)") && $0.contains("Could not set attribute `mtu` on voice") }, "\(errors)")
    _ = try await editor.session.finish()
  }

  @Test func cancellingTheProgressKillsTheCompilesProcessGroup() async throws {
    let project = try Self.projectWithCompile(
      """
      sleep 1000 &
      echo $! > sleeper.pid
      echo "group=$(ps -o pgid= -p $$ | tr -d ' ') self=$$" > group.txt
      echo started
      wait
      """)
    defer { project.remove() }
    let file = project.url("files/vlans/voice.yml")
    let editor = try EditorSession()
    try await editor.initialize(Self.progressCapabilities)
    editor.open(file, try project.text("files/vlans/voice.yml"))
    let session = editor.session
    let running = Task {
      try await session.request(ExecuteCommandRequest(command: EditorCommands.inmantaUpdate, arguments: [.string(file.absoluteString)]))
    }
    try await eventually { await session.notifications("$/progress").contains { $0["value"]?["message"] == "started" } }
    let begin = try #require(await session.notifications("$/progress").first { $0["value"]?["title"] == "Update compile (inmanta)" })
    #expect(begin["value"]?["cancellable"] == true)
    let token = try LSPAnyDecoder().decode(ProgressToken.self, from: try #require(begin["token"]))
    let group = try project.text("group.txt").trimmingCharacters(in: .whitespacesAndNewlines)
    let ids = group.split(separator: " ").map { $0.split(separator: "=").last.map(String.init) ?? "" }
    #expect(ids.count == 2 && ids[0] == ids[1], "the compile leads its own process group: \(group)")
    session.client.send(WorkDoneProgressCancelNotification(token: token))
    await #expect(throws: ResponseError.self) { try await running.value }
    #expect(await messages(editor, type: 2).contains { $0.contains("was cancelled") })
    // The shell's background child was in the group: it is gone too.
    let sleeper = try #require(Int32(try project.text("sleeper.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
    try await eventually { kill(sleeper, 0) != 0 }
    _ = try await session.finish()
  }

  /// The reference venv of scripts/reference-venv (SLICELS_REFERENCE_VENV, else the cache).
  static var referenceInmanta: String {
    let environment = ProcessInfo.processInfo.environment
    let cache = environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
    let venv = environment["SLICELS_REFERENCE_VENV"] ?? (cache + "/slicels/reference-venv")
    return venv + "/bin/inmanta"
  }

  @Test(
    .enabled(
      // In CI (scripts/test builds the venv first) an absent venv fails the test instead.
      if: FileManager.default.isExecutableFile(atPath: referenceInmanta) || ProcessInfo.processInfo.environment["CI"] != nil,
      "the reference venv is absent: build it with scripts/reference-venv"))
  func theReferenceCompileRunsFromTheEditor() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let configuration = try project.text("slicels.yml") + "compile:\n  command: [\(Self.referenceInmanta), compile]\n"
    try Data(configuration.utf8).write(to: project.url("slicels.yml"))
    let file = project.url("files/vlans/voice.yml")
    let editor = try EditorSession()
    try await editor.initialize(Self.progressCapabilities)
    editor.open(file, try project.text("files/vlans/voice.yml"))
    let result = try await editor.session.request(
      ExecuteCommandRequest(command: EditorCommands.inmantaUpdate, arguments: [.string(file.absoluteString)]))
    #expect(result["status"] == "succeeded", "\(result)")
    // The reference writes voice.yml's defaults, as the embedded engine's update would.
    let changed = result["changed"]?.arrayValue?.compactMap(\.stringValue) ?? []
    #expect(changed.contains("modified files/vlans/voice.yml"), "\(result)")
    #expect(try project.text("files/vlans/voice.yml").contains("mtu: 1500"))
    _ = try await editor.session.finish()
  }
}

/// One-line JSON of a value, for comparing data.
enum InlineText {
  static func json(_ value: Value) -> String {
    (try? ReferenceJSONWriter.text(for: value)) ?? "?"
  }
}
