import Foundation
import LanguageServerProtocol
import SliceSyntax
import Testing

@testable import SliceLanguageServer

/// The requests the server sent to the client.
final class RequestRecorder: @unchecked Sendable {
  private let lock = NSLock()
  private var recorded: [(method: String, params: LSPAny?)] = []

  func record(_ request: IncomingRequest) {
    lock.lock()
    recorded.append((request.method, request.params))
    lock.unlock()
  }

  func params(of method: String) -> [LSPAny?] {
    lock.lock()
    defer { lock.unlock() }
    return recorded.filter { $0.method == method }.map(\.params)
  }
}

/// A source that answers from a script and remembers what it was asked.
actor Script {
  typealias Answer = @Sendable ([WorkspaceChange], WorkspaceSnapshot, Int) -> DiagnosticsResult
  private(set) var calls: [[WorkspaceChange]] = []
  private let answer: Answer

  init(_ answer: @escaping Answer) { self.answer = answer }

  func run(_ changes: [WorkspaceChange], _ snapshot: WorkspaceSnapshot) -> DiagnosticsResult {
    calls.append(changes)
    return answer(changes, snapshot, calls.count)
  }
}

struct ScriptedSource: DiagnosticsSource {
  let script: Script
  func findings(for changes: [WorkspaceChange], in snapshot: WorkspaceSnapshot) async -> DiagnosticsResult {
    await script.run(changes, snapshot)
  }
}

/// Counts the calls to the syntax source.
struct CountingSyntaxSource: DiagnosticsSource {
  let script = Script { _, _, _ in DiagnosticsResult(files: []) }
  func findings(for changes: [WorkspaceChange], in snapshot: WorkspaceSnapshot) async -> DiagnosticsResult {
    _ = await script.run(changes, snapshot)
    return await SyntaxDiagnosticsSource().findings(for: changes, in: snapshot)
  }
}

private func makeSession(
  source: any DiagnosticsSource = SyntaxDiagnosticsSource(), debounce: Duration = .milliseconds(20),
  clock: any ServerClock = ContinuousServerClock(), recorder: RequestRecorder = RequestRecorder(),
  answer: @escaping @Sendable (IncomingRequest) -> LSPAny = { _ in .null }
) throws -> InProcessSession {
  try InProcessSession(
    answer: { request in
      recorder.record(request)
      return .success(answer(request))
    },
    configure: {
      SliceServer.register(on: $0, diagnosticsSource: source, debounce: debounce, clock: clock, folderWatching: nil)
    })
}

/// Returns once the server has handled every message sent before (it handles them in order, and
/// a notification's handler, which schedules the analysis, finishes before the next message).
private func handled(_ session: InProcessSession) async throws {
  _ = try await session.request(FoldingRangeRequest(textDocument: TextDocumentIdentifier(uri: "file:///barrier.yaml")))
}

/// Opens a document and waits for its first diagnostics. Analyses run one after the other, so
/// once they are in, everything earlier analyses sent has arrived: what was not sent never will.
private func openSentinel(_ session: InProcessSession, _ uri: String = "file:///sentinel/s.yaml") async throws {
  open(session, uri, "s: 1\n")
  _ = try await published(session, uri)
}

private func open(_ session: InProcessSession, _ uri: String, _ text: String, version: Int = 1) {
  session.client.send(
    DidOpenTextDocumentNotification(textDocument: TextDocumentItem(uri: uri, languageId: "yaml", version: version, text: text)))
}

private func change(_ session: InProcessSession, _ uri: String, version: Int, _ changes: [TextDocumentContentChangeEvent]) {
  session.client.send(
    DidChangeTextDocumentNotification(textDocument: VersionedTextDocumentIdentifier(uri: uri, version: version), contentChanges: changes))
}

/// The diagnostics published for `uri`, once there are at least `count` of them.
private func published(_ session: InProcessSession, _ uri: String, count: Int = 1) async throws -> [PublishDiagnosticsNotification] {
  @Sendable func all() async -> [PublishDiagnosticsNotification] {
    await session.notifications(PublishDiagnosticsNotification.method)
      .compactMap { try? LSPAnyDecoder().decode(PublishDiagnosticsNotification.self, from: $0) }
      .filter { $0.uri == uri }
  }
  try await eventually { await all().count >= count }
  return await all()
}

private let pushClient = ClientCapabilities(
  textDocument: TextDocumentClientCapabilities(
    codeAction: CodeActionClientCapabilities(codeActionLiteralSupport: .init(codeActionKind: ValueSet(valueSet: [.quickFix])))))

@Suite struct DiagnosticsPipelineTests {
  @Test func pushesSyntaxErrorsThenTheirFix() async throws {
    let session = try makeSession()
    try await session.initialize(pushClient)
    let uri = "file:///p/a.yaml"
    open(session, uri, "a: 1\nb: [1, 2\n")
    let first = try #require(try await published(session, uri).last)
    #expect(first.version == 1)
    let diagnostic = try #require(first.diagnostics.first)
    #expect(first.diagnostics.count == 1)
    #expect(diagnostic.code == .string("yaml-syntax"))
    #expect(diagnostic.source == "slicels")
    #expect(diagnostic.severity == .error)
    #expect(diagnostic.data?["id"]?.intValue != nil)

    change(session, uri, version: 2, [TextDocumentContentChangeEvent(range: LSPRange(at: LSPPosition(line: 1, character: 8)), text: "]")])
    let fixed = try #require(try await published(session, uri, count: 2).last)
    #expect(fixed.version == 2)
    #expect(fixed.diagnostics.isEmpty)
    #expect(try await session.finish() == 0)
  }

  @Test func debouncesEditsButNotOpening() async throws {
    let source = CountingSyntaxSource()
    let clock = ManualClock()
    let session = try makeSession(source: source, debounce: .milliseconds(150), clock: clock)
    try await session.initialize(pushClient)
    let uri = "file:///p/a.yaml"
    // The clock stands still: the first analysis does not wait for the debounce.
    open(session, uri, "a: [\n")
    _ = try await published(session, uri)
    // Each edit comes 100 ms after the previous one: the document is never quiet for 150 ms.
    for version in 2...6 {
      change(session, uri, version: version, [TextDocumentContentChangeEvent(range: LSPRange(at: LSPPosition(line: 1, character: 0)), text: "\(version)")])
      try await handled(session)
      clock.advance(by: .milliseconds(100))
    }
    change(session, uri, version: 7, [TextDocumentContentChangeEvent(text: "a: []\n")])
    try await handled(session)
    clock.advance(by: .milliseconds(150))
    // Analyses run in order: an analysis of an earlier version would have been published first.
    let last = try #require(try await published(session, uri, count: 2).last)
    #expect(last.version == 7)
    #expect(last.diagnostics.isEmpty)
    let calls = await source.script.calls
    #expect(calls.count == 2)
    #expect(calls.last == [WorkspaceChange(URL(fileURLWithPath: "/p/a.yaml"), .edited)])
    #expect(try await session.finish() == 0)
  }

  @Test func publishesForClosedFilesAndClearsWhatTheSourceNoLongerReports() async throws {
    let folder = try TemporaryFolder()
    try folder.write("project.yml", "name: p\n")
    let root = folder.url.standardizedFileURL
    let a = root.appendingPathComponent("files/fs/a.yaml")
    let b = root.appendingPathComponent("files/fs/b@v1.yaml")
    let script = Script { changes, snapshot, call in
      var files: [AnalysedFile] = []
      if let open = snapshot.document(at: a) {
        files.append(AnalysedFile(location: a, document: open.document, findings: []))
      }
      if call == 1 {
        files.append(
          AnalysedFile(
            location: b, document: TextDocument(text: "x: 1\n"),
            findings: [Finding(range: 3..<4, severity: .warning, code: "closed-file", message: "in a closed file")]))
      }
      return DiagnosticsResult(files: files, scope: [.folder(root)])
    }
    let session = try makeSession(source: ScriptedSource(script: script))
    try await session.initialize(pushClient)
    let uriA = FileURI.uri(forFileAt: a)
    let uriB = FileURI.uri(forFileAt: b)
    open(session, uriA, "a: 1\n")
    let closed = try #require(try await published(session, uriB).last)
    #expect(uriB.hasSuffix("/files/fs/b%40v1.yaml"))
    #expect(closed.version == nil)
    #expect(closed.diagnostics.map(\.range) == [LSPRange(start: LSPPosition(line: 0, character: 3), end: LSPPosition(line: 0, character: 4))])
    #expect(try await published(session, uriA).last?.diagnostics == [])

    change(session, uriA, version: 2, [TextDocumentContentChangeEvent(text: "a: 2\n")])
    let cleared = try #require(try await published(session, uriB, count: 2).last)
    #expect(cleared.diagnostics.isEmpty)
    // Nothing changed for the open document: nothing more is published for it (an analysis
    // publishes in the order of the paths, a.yaml before b@v1.yaml).
    #expect(try await published(session, uriA).count == 1)
    #expect(try await session.finish() == 0)
  }

  @Test func showsRelatedPlacesOrFoldsThemIntoTheMessage() async throws {
    let folder = try TemporaryFolder()
    try folder.write("project.yml", "name: p\n")
    let root = folder.url.standardizedFileURL
    let schema = try folder.write("files/schemas/fs.json", "{\n  \"type\": \"object\"\n}\n")
    let uri = FileURI.uri(forFileAt: root.appendingPathComponent("files/fs/a.yaml"))
    let text = "a: 1\nb: 2\na: 3\n"
    for related in [true, false] {
      let session = try makeSession()
      let capabilities = ClientCapabilities(
        textDocument: TextDocumentClientCapabilities(publishDiagnostics: PublishDiagnosticsClientCapabilities(relatedInformation: related)))
      try await session.initialize(capabilities)
      open(session, uri, text)
      let duplicate = try #require(try await published(session, uri).last?.diagnostics.first)
      #expect(duplicate.code == .string("duplicate-key"))
      if related {
        #expect(duplicate.relatedInformation == [
          DiagnosticRelatedInformation(
            location: Location(uri: uri, range: LSPRange(start: LSPPosition(line: 2, character: 0), end: LSPPosition(line: 2, character: 1))),
            message: "the value that is kept")
        ])
        #expect(!duplicate.message.contains("\n"))
      } else {
        #expect(duplicate.relatedInformation == nil)
        #expect(duplicate.message.hasSuffix("\nthe value that is kept (line 3)"))
      }
      #expect(try await session.finish() == 0)
    }

    // A place in another file, by a path relative to the project.
    let script = Script { changes, snapshot, _ in
      let location = root.appendingPathComponent("files/fs/a.yaml")
      guard let open = snapshot.document(at: location) else { return DiagnosticsResult(files: []) }
      let finding = Finding(
        range: 0..<1, severity: .error, code: "schema", message: "not allowed",
        related: [Finding.Related(path: "files/schemas/fs.json", range: 4..<10, message: "the schema says")])
      return DiagnosticsResult(files: [AnalysedFile(location: location, document: open.document, findings: [finding])])
    }
    for related in [true, false] {
      let session = try makeSession(source: ScriptedSource(script: script))
      try await session.initialize(
        ClientCapabilities(
          textDocument: TextDocumentClientCapabilities(publishDiagnostics: PublishDiagnosticsClientCapabilities(relatedInformation: related))))
      open(session, uri, text)
      let diagnostic = try #require(try await published(session, uri).last?.diagnostics.first)
      if related {
        #expect(diagnostic.relatedInformation?.first?.location == Location(
          uri: FileURI.uri(forFileAt: schema),
          range: LSPRange(start: LSPPosition(line: 1, character: 2), end: LSPPosition(line: 1, character: 8))))
      } else {
        #expect(diagnostic.message == "not allowed\nthe schema says (files/schemas/fs.json:2:3)")
      }
      #expect(try await session.finish() == 0)
    }
  }

  @Test func hidesHintsWhenTheSettingsSaySo() async throws {
    let script = Script { changes, snapshot, _ in
      DiagnosticsResult(
        files: snapshot.documents.values.map { open in
          AnalysedFile(
            location: open.location, document: open.document,
            findings: [
              Finding(range: 0..<1, severity: .hint, code: "next-version", message: "the next compile makes version 2"),
              Finding(range: 0..<1, severity: .error, code: "e", message: "an error"),
            ])
        })
    }
    let recorder = RequestRecorder()
    let session = try makeSession(source: ScriptedSource(script: script), recorder: recorder) { request in
      // The client's settings, read after `initialized`: hints off.
      request.method == ConfigurationRequest.method ? [["diagnostics": ["hints": false]]] : .null
    }
    try await session.initialize(ClientCapabilities(workspace: WorkspaceClientCapabilities(configuration: true)))
    try await eventually { recorder.params(of: ConfigurationRequest.method).count == 1 }
    #expect(recorder.params(of: ConfigurationRequest.method).first??["items"] == [["section": "slicels"]])
    let uri = "file:///p/a.yaml"
    open(session, uri, "a: 1\n")
    #expect(try await published(session, uri).last?.diagnostics.map(\.code) == [.string("e")])

    session.client.send(DidChangeConfigurationNotification(settings: ["slicels": ["diagnostics": ["hints": true]]]))
    let shown = try #require(try await published(session, uri, count: 2).last)
    // The error sorts before the hint at the same place.
    #expect(shown.diagnostics.map(\.code) == [.string("e"), .string("next-version")])
    #expect(shown.diagnostics.map(\.severity) == [.error, .hint])
    // Known findings are re-rendered at once, then the open documents are analysed again (an
    // engine computes hints only when they are shown); the same findings are not sent again.
    try await eventually { await script.calls.count == 2 }
    #expect(await script.calls.last == [WorkspaceChange(URL(fileURLWithPath: "/p/a.yaml"), .settings)])
    try await openSentinel(session)
    #expect(try await published(session, uri).count == 2)
    #expect(try await session.finish() == 0)
  }

  @Test func registersWatchersOnlyWhenTheClientLetsIt() async throws {
    let recorder = RequestRecorder()
    let session = try makeSession(recorder: recorder)
    try await session.initialize(
      ClientCapabilities(
        workspace: WorkspaceClientCapabilities(
          didChangeConfiguration: DynamicRegistrationCapability(dynamicRegistration: true),
          didChangeWatchedFiles: DidChangeWatchedFilesClientCapabilities(dynamicRegistration: true))))
    try await eventually { !recorder.params(of: RegisterCapabilityRequest.method).isEmpty }
    let registrations = try #require(recorder.params(of: RegisterCapabilityRequest.method).first??["registrations"]?.arrayValue)
    #expect(registrations.map { $0["method"] } == ["workspace/didChangeWatchedFiles", "workspace/didChangeConfiguration"])
    #expect(
      registrations[0]["registerOptions"]?["watchers"]?.arrayValue?.compactMap { $0["globPattern"]?.stringValue } == [
        "**/files/git-ops-config.yml", "**/slicels.yml", "**/files/**/*.{json,yaml,yml}", "**/git_ops/active/**",
        "**/project.yml",
      ])
    #expect(registrations[1]["registerOptions"] == ["section": "slicels"])
    #expect(try await session.finish() == 0)

    let plainRecorder = RequestRecorder()
    let plain = try makeSession(recorder: plainRecorder)
    try await plain.initialize(
      ClientCapabilities(
        workspace: WorkspaceClientCapabilities(didChangeWatchedFiles: DidChangeWatchedFilesClientCapabilities(), configuration: true)))
    // The settings are asked for after the registrations: none came before.
    try await eventually { !plainRecorder.params(of: ConfigurationRequest.method).isEmpty }
    #expect(plainRecorder.params(of: RegisterCapabilityRequest.method).isEmpty)
    #expect(try await plain.finish() == 0)
  }

  @Test func passesWatchedFileChangesToTheSource() async throws {
    let script = Script { _, _, _ in DiagnosticsResult(files: []) }
    let session = try makeSession(source: ScriptedSource(script: script))
    try await session.initialize(pushClient)
    session.client.send(
      DidChangeWatchedFilesNotification(changes: [
        FileEvent(uri: "file:///p/files/git-ops-config.yml", type: .changed),
        FileEvent(uri: "file:///p/git_ops/active/fs/a@v2.json", type: .created),
        FileEvent(uri: "untitled:ignored", type: .created),
        FileEvent(uri: "file:///p/files/fs/old.yaml", type: .deleted),
      ]))
    try await eventually { await script.calls.contains { !$0.isEmpty } }
    let changes = await script.calls.first { !$0.isEmpty } ?? []
    #expect(
      Set(changes) == [
        WorkspaceChange(URL(fileURLWithPath: "/p/files/git-ops-config.yml"), .changed),
        WorkspaceChange(URL(fileURLWithPath: "/p/git_ops/active/fs/a@v2.json"), .created),
        WorkspaceChange(URL(fileURLWithPath: "/p/files/fs/old.yaml"), .deleted),
      ])
    #expect(try await session.finish() == 0)
  }

  @Test func offersTheFixesOfPublishedFindings() async throws {
    let session = try makeSession(debounce: .seconds(30))
    try await session.initialize(pushClient)
    let uri = "file:///p/a.yaml"
    open(session, uri, "k:\tv\n")
    let diagnostic = try #require(try await published(session, uri).last?.diagnostics.first { $0.code == .string("yaml-tab") })
    let tab = LSPRange(start: LSPPosition(line: 0, character: 2), end: LSPPosition(line: 0, character: 3))
    #expect(diagnostic.range == tab)

    func actions(_ diagnostics: [Diagnostic], range: LSPRange? = nil, only: [CodeActionKind]? = nil) async throws -> [CodeAction] {
      let response = try await session.request(
        CodeActionRequest(
          textDocument: TextDocumentIdentifier(uri: uri), range: range ?? diagnostic.range,
          context: CodeActionContext(diagnostics: diagnostics, only: only)))
      return (response ?? []).compactMap { if case .codeAction(let action) = $0 { return action } else { return nil } }
    }
    let fix = try #require(try await actions([diagnostic]).first)
    #expect(fix.title == "Replace the tab with a space")
    #expect(fix.kind == .quickFix)
    #expect(fix.isPreferred == true)
    #expect(fix.diagnostics == [diagnostic])
    #expect(fix.edit == WorkspaceEdit(changes: [uri: [LSPTextEdit(range: tab, newText: " ")]]))

    // Without the id the client may drop, found by range, code and message.
    var withoutData = diagnostic
    withoutData.data = nil
    #expect(try await actions([withoutData]).map(\.title) == ["Replace the tab with a space"])
    // No diagnostics in the context: those touching the range.
    #expect(try await actions([], range: LSPRange(at: LSPPosition(line: 0, character: 2))).map(\.title) == ["Replace the tab with a space"])
    #expect(try await actions([], range: LSPRange(at: LSPPosition(line: 1, character: 0))).isEmpty)
    #expect(try await actions([diagnostic], only: [.refactor]).isEmpty)
    #expect(try await actions([diagnostic], only: [.quickFix]).count == 1)

    // The document moved on and its edit waits out the debounce: the request has the new
    // version analysed at once, so the fix edits the text as it is now.
    change(session, uri, version: 2, [TextDocumentContentChangeEvent(range: LSPRange(at: LSPPosition(line: 1, character: 0)), text: "x: 1\n")])
    #expect(try await actions([diagnostic]).map(\.title) == ["Replace the tab with a space"])
    #expect(try await session.finish() == 0)
  }

  /// Issue 12: quick fixes vanished after each edit until its analysis came (the debounce).
  @Test func offersTheFixesOfTheNewestVersionRightAfterAnEdit() async throws {
    let clock = ManualClock()
    let session = try makeSession(debounce: .seconds(1), clock: clock)
    try await session.initialize(pushClient)
    let uri = "file:///p/a.yaml"
    open(session, uri, "k:\tv\n")
    let stale = try #require(try await published(session, uri).last?.diagnostics.first { $0.code == .string("yaml-tab") })
    // A line above the tab: the client's diagnostic (line 0) is stale, the tab is on line 1.
    change(session, uri, version: 2, [TextDocumentContentChangeEvent(range: LSPRange(at: LSPPosition(line: 0, character: 0)), text: "# c\n")])
    try await handled(session)
    let tab = LSPRange(start: LSPPosition(line: 1, character: 2), end: LSPPosition(line: 1, character: 3))
    let response = try await session.request(
      CodeActionRequest(textDocument: TextDocumentIdentifier(uri: uri), range: tab, context: CodeActionContext(diagnostics: [stale])))
    let actions = (response ?? []).compactMap { if case .codeAction(let action) = $0 { return action } else { return nil } }
    #expect(actions.map(\.title) == ["Replace the tab with a space"])
    #expect(actions.first?.edit == WorkspaceEdit(changes: [uri: [LSPTextEdit(range: tab, newText: " ")]]))
    #expect(actions.first?.diagnostics?.first?.range == tab)
    #expect(try await session.finish() == 0)
  }

  /// Issue 12: Neovim shows the first diagnostic published on a line; the error must come before
  /// the note beside it, and errors before everything else of the file.
  @Test func publishesErrorsFirstThenByPlace() async throws {
    let location = URL(fileURLWithPath: "/p/a.yaml")
    let script = Script { _, snapshot, _ in
      guard let open = snapshot.document(at: location) else { return DiagnosticsResult(files: [], scope: []) }
      let findings = [
        Finding(range: 0..<1, severity: .hint, code: "h", message: "hint first in place"),
        Finding(range: 6..<8, severity: .information, code: "i", message: "note on the error"),
        Finding(range: 6..<8, severity: .error, code: "e2", message: "error on line 2"),
        Finding(range: 3..<4, severity: .warning, code: "w", message: "warning"),
        Finding(range: 2..<3, severity: .error, code: "e1", message: "error on line 1"),
      ]
      return DiagnosticsResult(files: [AnalysedFile(location: location, document: open.document, findings: findings)], scope: [.file(location)])
    }
    let session = try makeSession(source: ScriptedSource(script: script))
    try await session.initialize(pushClient)
    let uri = "file:///p/a.yaml"
    open(session, uri, "a: 1\nb: 2\n")
    let diagnostics = try #require(try await published(session, uri).last?.diagnostics)
    #expect(diagnostics.map(\.message) == ["error on line 1", "error on line 2", "warning", "note on the error", "hint first in place"])
    #expect(try await session.finish() == 0)
  }

  @Test func sendsNothingWhenAnEditLeavesTheDiagnosticsAsTheyWere() async throws {
    let source = CountingSyntaxSource()
    let session = try makeSession(source: source)
    try await session.initialize(pushClient)
    let uri = "file:///p/a.yaml"
    open(session, uri, "k:\tv\n")
    let diagnostic = try #require(try await published(session, uri).last?.diagnostics.first)
    change(session, uri, version: 2, [TextDocumentContentChangeEvent(range: LSPRange(at: LSPPosition(line: 1, character: 0)), text: "# more\n")])
    try await eventually { await source.script.calls.count == 2 }
    try await openSentinel(session)
    #expect(try await published(session, uri).count == 1)
    // The client's copy, id included, still finds its fix in the new result.
    let response = try await session.request(
      CodeActionRequest(textDocument: TextDocumentIdentifier(uri: uri), range: diagnostic.range, context: CodeActionContext(diagnostics: [diagnostic])))
    #expect(response?.count == 1)
    #expect(try await session.finish() == 0)
  }

  @Test func publishesAgainForADocumentReopened() async throws {
    let session = try makeSession()
    try await session.initialize(pushClient)
    let uri = "file:///p/a.yaml"
    open(session, uri, "a: 1\n")
    #expect(try await published(session, uri).last?.diagnostics == [])
    session.client.send(DidCloseTextDocumentNotification(textDocument: TextDocumentIdentifier(uri: uri)))
    open(session, uri, "a: 1\n", version: 2)
    let reopened = try await published(session, uri, count: 2)
    #expect(reopened.map(\.version) == [1, 2])
    #expect(try await session.finish() == 0)
  }

  /// The closing and the reopening analysed together (they came within one tick): the reopened
  /// document still gets its diagnostics, though they equal what was pushed for the old one (the
  /// client may have dropped those at the close).
  @Test func publishesForADocumentClosedAndReopenedInOneAnalysis() async throws {
    let workspace = Workspace()
    let pipeline = DiagnosticsPipeline(workspace: workspace, source: SyntaxDiagnosticsSource(), clock: ManualClock())
    let session = try InProcessSession { server in
      WorkspaceHandlers.register(on: server, workspace: workspace, pipeline: pipeline, folderWatch: nil)
      FeatureHandlers.register(on: server, workspace: workspace, pipeline: pipeline)
    }
    try await session.initialize(pushClient)
    let uri = "file:///p/a.yaml"
    open(session, uri, "a: 1\n")
    #expect(try await published(session, uri).last?.diagnostics == [])
    try await handled(session)
    let location = try #require(await workspace.close(uri)?.location)
    _ = await workspace.open(TextDocumentItem(uri: uri, languageId: "yaml", version: 2, text: "a: 1\n"))
    await pipeline.schedule([WorkspaceChange(location, .closed), WorkspaceChange(location, .opened)], debounced: false)
    let reopened = try await published(session, uri, count: 2)
    #expect(reopened.map(\.version) == [1, 2])
    #expect(try await session.finish() == 0)
  }

  @Test func editsWithDocumentChangesWhenTheClientTakesThem() async throws {
    let session = try makeSession()
    var capabilities = pushClient
    capabilities.workspace = WorkspaceClientCapabilities(workspaceEdit: WorkspaceEditClientCapabilities(documentChanges: true))
    try await session.initialize(capabilities)
    let uri = "file:///p/a.yaml"
    open(session, uri, "k:\tv\n", version: 7)
    let diagnostic = try #require(try await published(session, uri).last?.diagnostics.first { $0.code == .string("yaml-tab") })
    let response = try await session.request(
      CodeActionRequest(textDocument: TextDocumentIdentifier(uri: uri), range: diagnostic.range, context: CodeActionContext(diagnostics: [diagnostic])))
    guard case .codeAction(let action)? = response?.first else {
      Issue.record("no code action: \(String(describing: response))")
      return
    }
    #expect(action.edit?.changes == nil)
    #expect(action.edit?.documentChanges == [
      .edit(
        TextDocumentEdit(
          textDocument: OptionalVersionedTextDocumentIdentifier(uri: uri, version: 7),
          edits: [LSPTextEdit(range: diagnostic.range, newText: " ")]))
    ])
    #expect(try await session.finish() == 0)
  }
}

@Suite struct PullDiagnosticsTests {
  private let pullClient = ClientCapabilities(
    workspace: WorkspaceClientCapabilities(diagnostics: RefreshCapability(refreshSupport: true)),
    textDocument: TextDocumentClientCapabilities(diagnostic: DiagnosticClientCapabilities()))

  private func pull(_ session: InProcessSession, _ uri: String, previous: String? = nil) async throws -> DocumentDiagnosticReport {
    try await session.request(DocumentDiagnosticRequest(textDocument: TextDocumentIdentifier(uri: uri), previousResultId: previous))
  }

  @Test func answersPullsWithResultIdsAndPushesNothing() async throws {
    let session = try makeSession()
    let capabilities = try await session.initialize(pullClient).capabilities
    #expect(capabilities.diagnosticProvider == DiagnosticOptions(identifier: "slicels", interFileDependencies: true, workspaceDiagnostics: true))
    let uri = "file:///p/a.json"
    session.client.send(
      DidOpenTextDocumentNotification(textDocument: TextDocumentItem(uri: uri, languageId: "json", version: 1, text: "{\"a\": }")))
    let first = try await pull(session, uri)
    #expect(first.kind == .full)
    #expect(first.items?.map(\.code) == [.string("json-syntax")])
    let resultId = try #require(first.resultId)
    #expect(try await pull(session, uri, previous: resultId) == .unchanged(resultId: resultId))

    change(session, uri, version: 2, [TextDocumentContentChangeEvent(text: "{\"a\": 1}")])
    let fixed = try await pull(session, uri, previous: resultId)
    #expect(fixed.kind == .full)
    #expect(fixed.items == [])
    #expect(fixed.resultId != resultId)

    // The pulls waited for their analyses. The server logs a notification nobody handles, in
    // order: once that log is in, anything sent before it is in too.
    session.client.send(BarrierNotification())
    try await eventually {
      await session.notifications("window/logMessage").contains { $0["message"]?.stringValue?.contains(BarrierNotification.method) == true }
    }
    #expect(await session.notifications(PublishDiagnosticsNotification.method).isEmpty)
    #expect(try await session.finish() == 0)
  }

  @Test func reportsTheWorkspaceAndAsksForARefreshWhenOtherFilesChange() async throws {
    let other = URL(fileURLWithPath: "/p/files/fs/other.yaml")
    let script = Script { _, snapshot, call in
      var files = snapshot.documents.values.map { AnalysedFile(location: $0.location, document: $0.document, findings: []) }
      files.append(
        AnalysedFile(
          location: other, document: TextDocument(text: "x: 1\n"),
          findings: [Finding(range: 0..<1, severity: .warning, code: "w\(min(call, 2))", message: "other")]))
      return DiagnosticsResult(files: files, scope: [.folder(URL(fileURLWithPath: "/p"))])
    }
    let recorder = RequestRecorder()
    let session = try makeSession(source: ScriptedSource(script: script), recorder: recorder)
    try await session.initialize(pullClient)
    let uri = "file:///p/files/fs/a.yaml"
    open(session, uri, "a: 1\n")
    #expect(try await pull(session, uri).items == [])

    let report = try await session.request(WorkspaceDiagnosticRequest())
    let otherURI = "file:///p/files/fs/other.yaml"
    let otherReport = try #require(report.items.first { $0.uri == otherURI })
    #expect(otherReport.kind == .full)
    #expect(otherReport.version == nil)
    #expect(otherReport.items?.map(\.code) == [.string("w1")])
    let otherId = try #require(otherReport.resultId)

    // An edit of a.yaml changes other.yaml's findings: the client is asked to pull again.
    change(session, uri, version: 2, [TextDocumentContentChangeEvent(text: "a: 2\n")])
    try await eventually { !recorder.params(of: DiagnosticRefreshRequest.method).isEmpty }
    let again = try await session.request(WorkspaceDiagnosticRequest(previousResultIds: [PreviousResultId(uri: otherURI, value: otherId)]))
    let changed = try #require(again.items.first { $0.uri == otherURI })
    #expect(changed.kind == .full)
    #expect(changed.items?.map(\.code) == [.string("w2")])
    let third = try await session.request(
      WorkspaceDiagnosticRequest(previousResultIds: [
        PreviousResultId(uri: otherURI, value: changed.resultId ?? ""), PreviousResultId(uri: "file:///p/gone.yaml", value: "1"),
      ]))
    #expect(third.items.first { $0.uri == otherURI }?.kind == .unchanged)
    // A file the client knew that has no report any more is cleared.
    #expect(third.items.first { $0.uri == "file:///p/gone.yaml" } == WorkspaceDocumentDiagnosticReport(kind: .full, items: [], uri: "file:///p/gone.yaml", version: nil))
    #expect(try await session.finish() == 0)
  }
}

/// A notification no handler takes: the server logs that it ignored it, in message order.
struct BarrierNotification: NotificationType {
  static let method = "slicels-test/barrier"
}
