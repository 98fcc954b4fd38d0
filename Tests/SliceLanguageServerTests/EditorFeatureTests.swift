import Foundation
import SliceAnalysis
import LanguageServerProtocol
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceLanguageServer

/// A copy of the example project in the temp folder, removed by `remove()`.
struct ExampleProject {
  let root: URL

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-features-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: TestPackage.exampleProject, to: root)
  }

  func url(_ path: String) -> URL { root.appendingPathComponent(path) }
  func text(_ path: String) throws -> String { try String(contentsOf: url(path), encoding: .utf8) }
  func remove() { try? FileManager.default.removeItem(at: root) }
}

/// A server with every feature and the project diagnostics, its analysis host, and what the
/// client was asked.
struct EditorSession {
  let session: InProcessSession
  let host: AnalysisHost
  let recorder: RequestRecorder

  init(answer: @escaping @Sendable (IncomingRequest) -> LSPAny = { _ in .null }) throws {
    let host = AnalysisHost()
    let recorder = RequestRecorder()
    self.host = host
    self.recorder = recorder
    session = try InProcessSession(
      answer: { request in
        recorder.record(request)
        return .success(answer(request))
      },
      configure: {
        SliceServer.register(on: $0, diagnosticsSource: ProjectDiagnosticsSource(host: host), debounce: .milliseconds(20))
      })
  }

  func initialize(_ capabilities: LSPAny) async throws {
    try await session.initialize(try LSPAnyDecoder().decode(ClientCapabilities.self, from: capabilities))
  }

  func open(_ url: URL, _ text: String, version: Int = 1) {
    session.client.send(
      DidOpenTextDocumentNotification(
        textDocument: TextDocumentItem(
          uri: url.absoluteString, languageId: url.pathExtension == "json" ? "json" : "yaml", version: version, text: text)))
  }
}

/// The LSP position of the first `marker` in `text` (then removed from it), in `encoding`.
func cursor(in text: inout String, marker: String = "|", encoding: PositionEncodingKind) throws -> LSPPosition {
  let place = try #require(CursorFixture.position(of: marker, in: &text, counting: encoding == .utf8 ? .utf8 : .utf16))
  return LSPPosition(line: place.line, character: place.character)
}

/// `text` with LSP edits applied (positions in `encoding`).
func applying(_ edits: [LSPTextEdit], to text: String, encoding: PositionEncodingKind) -> String {
  let document = TextDocument(bytes: Array(text.utf8))
  let byteEdits = edits.map {
    TextEdit(range: document.byteRange(of: $0.range, in: encoding), newText: $0.newText)
  }
  return String(decoding: PreservingEdits.apply(byteEdits, to: document.bytes), as: UTF8.self)
}

let utf8Client: LSPAny = ["general": ["positionEncodings": ["utf-8", "utf-16"]]]

@Suite(.serialized) struct EditorFeatureTests {
  static func capabilities(encoding: PositionEncodingKind, extra: [String: LSPAny] = [:]) -> LSPAny {
    var object: [String: LSPAny] = extra
    if encoding == .utf8 { object["general"] = ["positionEncodings": ["utf-8", "utf-16"]] }
    return .object(object)
  }

  @Test(arguments: [PositionEncodingKind.utf16, .utf8])
  func yamlCompletionReplacesTheWordAfterMultiByteCharacters(encoding: PositionEncodingKind) async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/vlans/office.yaml")
    var text = try project.text("files/vlans/office.yaml")
      .replacingOccurrences(of: "  - {switch: sw1, port: 3}", with: "  - {switch: \"😀é\", po|}")
    let position = try cursor(in: &text, encoding: encoding)
    let editor = try EditorSession()
    try await editor.initialize(Self.capabilities(encoding: encoding))
    editor.open(file, text)
    let list = try await editor.session.request(
      CompletionRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString), position: position))
    let port = try #require(list.items.first { $0.label == "port" })
    guard case .edit(let edit)? = port.textEdit else {
      Issue.record("no text edit: \(port)")
      return
    }
    #expect(edit.range.end == position)
    #expect(edit.range.start == LSPPosition(line: position.line, character: position.character - 2))
    #expect(port.kind == .property)
    #expect(port.insertTextMode == .asIs)
    #expect(applying([edit], to: text, encoding: encoding).contains("\"😀é\", \(edit.newText)}"))
    _ = try await editor.session.finish()
  }

  @Test(arguments: [PositionEncodingKind.utf16, .utf8])
  func jsonCompletionReplacesTheQuotedKeyAfterMultiByteCharacters(encoding: PositionEncodingKind) async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/fs/db01.json")
    var text = try project.text("files/fs/db01.json")
      .replacingOccurrences(of: "  \"root\": \"/srv\",\n", with: "")
      .replacingOccurrences(of: "\"host\": \"db01\",", with: "\"host\": \"db01\", \"😀\": 1, \"ro|\n  \"x\": 1,")
    let position = try cursor(in: &text, encoding: encoding)
    let editor = try EditorSession()
    try await editor.initialize(Self.capabilities(encoding: encoding))
    editor.open(file, text)
    let list = try await editor.session.request(
      CompletionRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString), position: position))
    let root = try #require(list.items.first { $0.label == "root" }, "\(list.items.map(\.label)) \(text)")
    guard case .edit(let edit)? = root.textEdit else {
      Issue.record("no text edit: \(root)")
      return
    }
    // The quoted token `"ro` is replaced, from its quote.
    #expect(edit.range.start == LSPPosition(line: position.line, character: position.character - 3))
    #expect(edit.range.end.line == position.line)
    #expect(edit.range.end.character >= position.character)
    #expect(edit.newText.hasPrefix("\"root\""))
    _ = try await editor.session.finish()
  }

  @Test func snippetsArePlainTextForClientsWithoutSnippetSupport() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/vlans/office.yaml")
    var text = try project.text("files/vlans/office.yaml") + "  - |"
    let position = try cursor(in: &text, encoding: .utf16)
    for snippets in [true, false] {
      let editor = try EditorSession()
      try await editor.initialize([
        "textDocument": ["completion": ["completionItem": ["snippetSupport": .bool(snippets), "documentationFormat": ["markdown"]]]]
      ])
      editor.open(file, text)
      let list = try await editor.session.request(
        CompletionRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString), position: position))
      let scaffolds = list.items.filter { $0.kind == .snippet }
      #expect(!scaffolds.isEmpty, "\(list.items.map(\.label))")
      for item in scaffolds {
        guard case .edit(let edit)? = item.textEdit else { continue }
        if snippets {
          #expect(item.insertTextFormat == .snippet)
        } else {
          #expect(item.insertTextFormat == .plainText)
          #expect(!edit.newText.contains("${") && !edit.newText.contains("$0"), "\(edit.newText)")
        }
      }
      _ = try await editor.session.finish()
    }
  }

  @Test func hoverFollowsTheClientsContentFormat() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/vlans/office.yaml")
    var text = try project.text("files/vlans/office.yaml").replacingOccurrences(of: "mtu:", with: "m|tu:")
    let position = try cursor(in: &text, encoding: .utf16)
    for markdown in [true, false] {
      let editor = try EditorSession()
      try await editor.initialize(["textDocument": ["hover": ["contentFormat": markdown ? ["markdown", "plaintext"] : ["plaintext"]]]])
      editor.open(file, text)
      let hover = try #require(
        try await editor.session.request(HoverRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString), position: position)))
      #expect(hover.contents.kind == (markdown ? .markdown : .plaintext))
      #expect(hover.contents.value.contains("mtu"))
      #expect(hover.range?.start.line == position.line)
      // A second request on the unchanged workspace analyses nothing again.
      let root = try #require(ProjectLocator.projectRoot(containing: file))
      let before = await editor.host.timesAnalysed(root: root, file: file)
      #expect(before > 0)
      _ = try await editor.session.request(HoverRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString), position: position))
      #expect(await editor.host.timesAnalysed(root: root, file: file) == before)
      _ = try await editor.session.finish()
    }
  }

  @Test(arguments: [true, false])
  func definitionOfAPropertyIsInTheSchemaFile(links: Bool) async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/vlans/office.yaml")
    var text = try project.text("files/vlans/office.yaml").replacingOccurrences(of: "mtu:", with: "m|tu:")
    let position = try cursor(in: &text, encoding: .utf16)
    let editor = try EditorSession()
    try await editor.initialize(["textDocument": ["definition": ["linkSupport": .bool(links)]]])
    editor.open(file, text)
    let response = try #require(
      try await editor.session.request(DefinitionRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString), position: position)))
    let schema = project.url("files/schemas/vlans.json")
    let schemaText = TextDocument(bytes: Array(try Data(contentsOf: schema)))
    let target: (uri: String, range: LSPRange)
    switch response {
    case .locations(let locations):
      #expect(!links)
      let first = try #require(locations.first)
      target = (first.uri, first.range)
    case .links(let list):
      #expect(links)
      let first = try #require(list.first)
      target = (first.targetUri, first.targetSelectionRange)
    }
    #expect(FileURI.fileURL(from: target.uri)?.standardizedFileURL.path == schema.standardizedFileURL.path)
    let bytes = schemaText.byteRange(of: target.range, in: .utf16)
    #expect(String(decoding: schemaText.bytes[bytes], as: UTF8.self).contains("mtu"))
    _ = try await editor.session.finish()
  }

  @Test func codeLensesAndTheirCommandsAreAdvertised() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/vlans/office.yaml")
    let editor = try EditorSession()
    let capabilities = try await editor.session.initialize()
    #expect(capabilities.capabilities.executeCommandProvider?.commands.contains(EditorCommands.previewPurged) == true)
    #expect(capabilities.capabilities.codeLensProvider != nil)
    #expect(capabilities.capabilities.inlayHintProvider != nil)
    editor.open(file, try project.text("files/vlans/office.yaml"))
    let lenses = try #require(
      try await editor.session.request(CodeLensRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString))))
    #expect(!lenses.isEmpty)
    #expect(lenses.allSatisfy { $0.command != nil })
    _ = try await editor.session.finish()
  }

  @Test func updateCompileActionGivesTheNormalisedDataKeepingComments() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/vlans/office.yaml")
    let original = try project.text("files/vlans/office.yaml")
    let text = original.replacingOccurrences(of: "mtu: 9216\n", with: "mtu: 9216\ndescriptoin: typo # 😀\n")
    let editor = try EditorSession()
    try await editor.initialize([
      "textDocument": ["codeAction": ["codeActionLiteralSupport": ["codeActionKind": ["valueSet": ["quickfix", "source"]]]]]
    ])
    editor.open(file, text)
    let actions = try #require(try await editor.session.request(
      CodeActionRequest(
        textDocument: TextDocumentIdentifier(uri: file.absoluteString),
        range: LSPRange(start: LSPPosition(line: 0, character: 0), end: LSPPosition(line: 0, character: 0)),
        context: CodeActionContext(diagnostics: [], only: [.source]))))
    let update = try #require(
      actions.compactMap { (item: CodeActionOrCommand) -> CodeAction? in if case .codeAction(let action) = item { action } else { nil } }.first { $0.kind == CodeActionKind.sliceUpdate })
    let edits = try #require(update.edit?.changes?[file.absoluteString])
    let updated = applying(edits, to: text, encoding: .utf16)
    #expect(updated.hasPrefix("# Desks of the Brussels office."))
    #expect(!updated.contains("descriptoin"))
    // Applied, the text is the normalised data: the same as the original's update gives, and
    // nothing is left for another update.
    editor.session.client.send(
      DidChangeTextDocumentNotification(
        textDocument: VersionedTextDocumentIdentifier(uri: file.absoluteString, version: 2),
        contentChanges: [TextDocumentContentChangeEvent(text: updated)]))
    _ = original
    let again = try #require(try await editor.session.request(
      CodeActionRequest(
        textDocument: TextDocumentIdentifier(uri: file.absoluteString),
        range: LSPRange(start: LSPPosition(line: 0, character: 0), end: LSPPosition(line: 0, character: 0)),
        context: CodeActionContext(diagnostics: [], only: [.sliceUpdate]))))
    #expect(again.isEmpty, "\(again)")
    #expect(updated.contains("tagged: false"))
    #expect(actions.contains { if case .codeAction(let action) = $0 { action.kind == .slicePreviewPurged } else { false } })
    _ = try await editor.session.finish()
  }

  @Test func updateCompileActionNamesWhatItDropsAfterTheRenamesOfNearMisses() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/vlans/office.yaml")
    let text = try project.text("files/vlans/office.yaml")
      .replacingOccurrences(of: "mtu: 9216\n", with: "mtu: 9216\ncolour: blue\n")
      .replacingOccurrences(of: "{switch: sw1, port: 1}", with: "{switch: sw1, port: 1, taged: true}")
    let editor = try EditorSession()
    try await editor.initialize([
      "textDocument": ["codeAction": ["codeActionLiteralSupport": ["codeActionKind": ["valueSet": ["quickfix", "source"]]]]]
    ])
    editor.open(file, text)
    let actions = try #require(try await editor.session.request(
      CodeActionRequest(
        textDocument: TextDocumentIdentifier(uri: file.absoluteString),
        range: LSPRange(start: LSPPosition(line: 0, character: 0), end: LSPPosition(line: 0, character: 0)),
        context: CodeActionContext(diagnostics: []))))
    let titles = actions.compactMap { (item: CodeActionOrCommand) -> String? in if case .codeAction(let action) = item { action.title } else { nil } }
    let rename = try #require(titles.firstIndex(of: "Rename 'taged' to 'tagged'"), "\(titles)")
    let update = try #require(titles.firstIndex(of: "Run update compile (drops 'colour', 'taged')"), "\(titles)")
    #expect(rename < update)
    // The rename is an edit of the key alone.
    guard case .codeAction(let action) = actions[rename] else { return }
    let edits = try #require(action.edit?.changes?[file.absoluteString])
    #expect(applying(edits, to: text, encoding: .utf16).contains("{switch: sw1, port: 1, tagged: true}"))
    _ = try await editor.session.finish()
  }

  @Test func previewCommandOpensTheMergedViewFromTheTempFolder() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/fs/web01.yaml")
    let editor = try EditorSession { request in
      request.method == ShowDocumentRequest.method ? ["success": true] : .null
    }
    try await editor.initialize(["window": ["showDocument": ["support": true]]])
    editor.open(file, try project.text("files/fs/web01.yaml"))
    let result = try await editor.session.request(
      ExecuteCommandRequest(command: EditorCommands.previewPurged, arguments: [.string(file.absoluteString)]))
    #expect(result["shown"] == true)
    let shown = try #require(editor.recorder.params(of: ShowDocumentRequest.method).first ?? nil)
    #expect(shown["takeFocus"] == true)
    let uri = try #require(shown["uri"]?.stringValue)
    let location = try #require(FileURI.fileURL(from: uri))
    #expect(!location.standardizedFileURL.path.hasPrefix(project.root.standardizedFileURL.path))
    let preview = try String(contentsOf: location, encoding: .utf8)
    #expect(preview.contains("\"name\": \"web01\""))
    #expect(preview.contains("\"operation\""))
    _ = try await editor.session.finish()
  }

  @Test func inlayHintsShowCoercionsInTheRequestedRange() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/vlans/office.yaml")
    let text = try project.text("files/vlans/office.yaml").replacingOccurrences(of: "mtu: 9216", with: "mtu: \"9216\"")
    let editor = try EditorSession()
    try await editor.initialize([:])
    editor.open(file, text)
    let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("mtu") })
    let whole = LSPRange(start: LSPPosition(line: 0, character: 0), end: LSPPosition(line: 100, character: 0))
    let hints = try #require(
      try await editor.session.request(InlayHintRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString), range: whole)))
    let coercion = try #require(hints.first { $0.position.line == line }, "\(hints)")
    guard case .string(let label) = coercion.label else {
      Issue.record("label parts: \(coercion)")
      return
    }
    #expect(label.contains("9216"))
    let elsewhere = LSPRange(start: LSPPosition(line: 0, character: 0), end: LSPPosition(line: 1, character: 0))
    let none = try await editor.session.request(
      InlayHintRequest(textDocument: TextDocumentIdentifier(uri: file.absoluteString), range: elsewhere))
    #expect(none?.contains { $0.position.line == line } == false)
    _ = try await editor.session.finish()
  }

  @Test func missingRequiredPropertiesCarryTheirFix() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/vlans/office.yaml")
    let text = try project.text("files/vlans/office.yaml").replacingOccurrences(of: "vlan_id: 10\n", with: "")
    let analysis = ProjectAnalysis.analyze(root: project.root, contents: [file.standardizedFileURL: Array(text.utf8)])
    let required = try #require(analysis.findings[file.standardizedFileURL]?.first { $0.code == "schema-required" })
    #expect(required.fixes.contains { $0.title.contains("vlan_id") })
  }
}
