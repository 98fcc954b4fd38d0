import Foundation
import LanguageServerProtocol
import SliceTestSupport
import Testing

@testable import SliceLanguageServer

private let position = LSPPosition(line: 0, character: 0)
private let document = TextDocumentIdentifier(uri: "file:///a.yaml")

@Suite struct ServerLifecycleTests {
  @Test func advertisesOnlyWhatIsRegistered() async throws {
    let bare = try InProcessSession { _ in }
    var expected = ServerCapabilities()
    expected.positionEncoding = .utf16
    #expect(try await bare.initialize().capabilities == expected)
    #expect(try await bare.finish() == 0)

    let session = try InProcessSession { server in
      server.register(HoverRequest.self) { _, _ in nil }
      server.register(CompletionRequest.self, options: CompletionOptions(triggerCharacters: [":"])) { _, _ in
        CompletionList(items: [])
      }
      server.register(CompletionItemResolveRequest.self) { params, _ in params.item }
      server.register(DidOpenTextDocumentNotification.self) { _, _ in }
      server.register(DidChangeTextDocumentNotification.self, options: .full) { _, _ in }
      server.register(DidSaveTextDocumentNotification.self) { _, _ in }
      server.register(DocumentDiagnosticRequest.self) { _, _ in .full([]) }
      server.register(ExecuteCommandRequest.self, options: ExecuteCommandOptions(commands: ["slicels.update"])) { _, _ in .null }
      server.register(CodeLensRequest.self) { _, _ in [] }
      server.register(DidChangeWorkspaceFoldersNotification.self) { _, _ in }
    }
    let capabilities = try await session.initialize().capabilities
    #expect(capabilities.hoverProvider == true)
    #expect(capabilities.completionProvider == CompletionOptions(triggerCharacters: [":"], resolveProvider: true))
    #expect(capabilities.textDocumentSync == TextDocumentSyncOptions(openClose: true, change: .full, save: SaveOptions(includeText: false)))
    #expect(capabilities.diagnosticProvider == DiagnosticOptions(interFileDependencies: true, workspaceDiagnostics: false))
    #expect(capabilities.executeCommandProvider == ExecuteCommandOptions(commands: ["slicels.update"]))
    #expect(capabilities.codeLensProvider == CodeLensOptions(resolveProvider: false))
    #expect(capabilities.workspace?.workspaceFolders == .init(supported: true, changeNotifications: true))
    #expect(capabilities.definitionProvider == nil)
    #expect(capabilities.codeActionProvider == nil)
    #expect(capabilities.inlayHintProvider == nil)
    #expect(try await session.finish() == 0)
  }

  @Test func handlersSeeTheSession() async throws {
    let session = try InProcessSession { server in
      server.register(HoverRequest.self) { params, context in
        Hover(contents: MarkupContent(
          kind: .plaintext,
          value: "\(context.positionEncoding.rawValue) \(context.session.clientInfo?.name ?? "?") \(params.textDocument.uri)"))
      }
    }
    try await session.initialize(ClientCapabilities(general: GeneralClientCapabilities(positionEncodings: [.utf16, .utf8])))
    let hover = try await session.request(HoverRequest(textDocument: document, position: position))
    #expect(hover?.contents.value == "utf-8 in-process file:///a.yaml")
    #expect(try await session.finish() == 0)
  }

  @Test func answersInvalidParamsNamingTheField() async throws {
    let session = try InProcessSession { server in
      server.register(HoverRequest.self) { _, _ in nil }
    }
    try await session.initialize()
    let client = session.client
    let answer = await outcome {
      try await withDeadline {
        try await client.request(MalformedHover(params: ["textDocument": [:], "position": ["line": 0, "character": 0]]))
      }
    }
    guard case .failure(let error as ResponseError) = answer else {
      Issue.record("expected an error, got \(answer)")
      return
    }
    #expect(error.code == .invalidParams)
    #expect(error.message.contains("textDocument.uri"))
    #expect(try await session.finish() == 0)
  }

  @Test func turnsHandlerErrorsIntoResponses() async throws {
    struct Broken: Error {}
    let session = try InProcessSession { server in
      server.register(HoverRequest.self) { _, _ in throw ResponseError.contentModified() }
      server.register(DefinitionRequest.self) { _, _ in throw Broken() }
    }
    try await session.initialize()
    await #expect(throws: ResponseError.contentModified()) {
      try await session.request(HoverRequest(textDocument: document, position: position))
    }
    let failure = await outcome {
      try await session.request(DefinitionRequest(textDocument: document, position: position))
    }
    if case .failure(let error as ResponseError) = failure {
      #expect(error.code == .requestFailed)
    } else {
      Issue.record("expected RequestFailed, got \(failure)")
    }
    #expect(try await session.finish() == 0)
  }

  @Test func cancelsARunningHandler() async throws {
    let started = Log()
    let session = try InProcessSession { server in
      server.register(HoverRequest.self) { _, context in
        await started.append("\(context.id)")
        try await eventually { Task.isCancelled && context.isCancelled }
        try context.checkCancellation()
        return nil
      }
    }
    try await session.initialize()
    let waiting = Task { try await session.request(HoverRequest(textDocument: document, position: position)) }
    try await eventually { await !started.entries.isEmpty }
    let id = try #require(await started.entries.first)
    session.client.send(CancelRequestNotification(id: .string(id)))
    await #expect(throws: ResponseError.cancelled) { try await waiting.value }
    #expect(try await session.finish() == 0)
  }

  @Test func handlesMessagesInArrivalOrder() async throws {
    let log = Log()
    let session = try InProcessSession { server in
      server.register(DidOpenTextDocumentNotification.self) { _, _ in
        // The hover has arrived (its request is in flight) before this handler ends: only the
        // order of the messages keeps it waiting. The client numbers its requests, initialize first.
        try await eventually { server.connection.isInFlight(.string("slicels-2")) }
        await log.append("didOpen")
      }
      server.register(HoverRequest.self) { _, _ in
        await log.append("hover")
        return nil
      }
    }
    try await session.initialize()
    session.client.send(DidOpenTextDocumentNotification(textDocument: TextDocumentItem(uri: document.uri, languageId: "yaml", version: 1, text: "")))
    _ = try await session.request(HoverRequest(textDocument: document, position: position))
    #expect(await log.entries == ["didOpen", "hover"])
    #expect(try await session.finish() == 0)
  }

  @Test func exitsWhenTheClientProcessIsGone() async throws {
    let parent = Process()
    parent.executableURL = URL(fileURLWithPath: "/bin/sleep")
    parent.arguments = ["60"]
    try parent.run()
    defer { if parent.isRunning { kill(parent.processIdentifier, SIGKILL) } }
    let clock = ManualClock()
    let session = try InProcessSession(clock: clock, parentProcessPollInterval: .seconds(3)) { server in
      server.register(HoverRequest.self) { _, _ in nil }
    }
    try await session.initialize(processId: Int(parent.processIdentifier))
    try await clock.waitForSleepers()
    // The parent is alive: the watch looks and waits for the next round.
    clock.advance(by: .seconds(3))
    try await clock.waitForSleepers()
    #expect(try await session.request(HoverRequest(textDocument: document, position: position)) == nil)
    // SIGKILL: the test runner may hand its children a mask that blocks SIGTERM.
    kill(parent.processIdentifier, SIGKILL)
    parent.waitUntilExit()
    clock.advance(by: .seconds(3))
    #expect(try await session.exitStatus() == 1)
  }

  @Test func releasingMessageOrderLetsLaterMessagesThrough() async throws {
    let log = Log()
    let session = try InProcessSession { server in
      server.register(ExecuteCommandRequest.self, options: ExecuteCommandOptions(commands: ["wait"])) { _, context in
        context.releaseMessageOrder()
        try await eventually { await log.entries.contains("saved") }
        return "saw the save"
      }
      server.register(DidSaveTextDocumentNotification.self) { _, _ in await log.append("saved") }
    }
    try await session.initialize()
    let command = Task { try await session.request(ExecuteCommandRequest(command: "wait")) }
    session.client.send(DidSaveTextDocumentNotification(textDocument: document))
    #expect(try await command.value == "saw the save")
    #expect(try await session.finish() == 0)
  }

  @Test func asksTheClientAndUsesItsAnswer() async throws {
    let session = try InProcessSession(answer: { request in
      request.method == ShowDocumentRequest.method ? .success(["success": true]) : .failure(.methodNotFound(request.method))
    }) { server in
      server.register(HoverRequest.self) { params, context in
        let shown = try await context.client.request(ShowDocumentRequest(uri: params.textDocument.uri, takeFocus: true))
        return Hover(contents: MarkupContent(kind: .plaintext, value: "shown: \(shown.success)"))
      }
    }
    try await session.initialize()
    let hover = try await session.request(HoverRequest(textDocument: document, position: position))
    #expect(hover?.contents.value == "shown: true")
    #expect(try await session.finish() == 0)
  }

  @Test func reportsProgressOnACreatedToken() async throws {
    let creations = Log()
    let session = try InProcessSession(answer: { request in
      if request.method == WorkDoneProgressCreateRequest.method {
        Task { await creations.append(request.params?["token"]?.description ?? "") }
      }
      return .success(.null)
    }) { server in
      server.register(ExecuteCommandRequest.self, options: ExecuteCommandOptions(commands: ["work"])) { _, context in
        let progress = await context.beginProgress(title: "Working")
        progress.report(message: "half", percentage: 50)
        progress.end(message: "done")
        return .null
      }
    }
    try await session.initialize(ClientCapabilities(window: WindowClientCapabilities(workDoneProgress: true)))
    _ = try await session.request(ExecuteCommandRequest(command: "work"))
    try await eventually { await session.notifications("$/progress").count == 3 }
    let progress = await session.notifications("$/progress")
    #expect(progress.map { $0["value"]?["kind"] } == ["begin", "report", "end"])
    #expect(await creations.entries == [progress[0]["token"]?.description ?? "-"])
    #expect(progress[0]["value"] == ["kind": "begin", "title": "Working", "cancellable": false])
    #expect(try await session.finish() == 0)
  }

  @Test func reportsProgressOnTheClientsTokenAndCancelsFromIt() async throws {
    let session = try InProcessSession(answer: { _ in .failure(.internalError("no requests expected")) }) { server in
      server.register(ExecuteCommandRequest.self, options: ExecuteCommandOptions(commands: ["work"])) { _, context in
        let progress = await context.beginProgress(title: "Working", cancellable: true)
        context.releaseMessageOrder()
        try await eventually { context.isCancelled }
        progress.end()
        return .null
      }
    }
    try await session.initialize(ClientCapabilities(window: WindowClientCapabilities(workDoneProgress: true)))
    let command = Task { try await session.request(ExecuteCommandRequest(command: "work", workDoneToken: .string("client-token"))) }
    try await eventually { await !session.notifications("$/progress").isEmpty }
    #expect(await session.notifications("$/progress").first?["token"] == "client-token")
    session.client.send(WorkDoneProgressCancelNotification(token: .string("client-token")))
    await #expect(throws: ResponseError.cancelled) { try await command.value }
    #expect(try await session.finish() == 0)
  }

  @Test func runsInitializedAndShutdownHooks() async throws {
    let log = Log()
    let session = try InProcessSession { server in
      server.onInitialized { context in await log.append("initialized \(context.session.workspaceFolders.count)") }
      server.onShutdown { _ in await log.append("shutdown") }
    }
    try await session.initialize()
    try await eventually { await !log.entries.isEmpty }
    #expect(try await session.finish() == 0)
    #expect(await log.entries == ["initialized 0", "shutdown"])
  }

  @Test func logsNotificationsWithInvalidParamsAndCarriesOn() async throws {
    let session = try InProcessSession { server in
      server.register(DidCloseTextDocumentNotification.self) { _, _ in }
      server.register(HoverRequest.self) { _, _ in nil }
    }
    try await session.initialize()
    session.client.sendMessage(.notification(method: "textDocument/didClose", params: ["textDocument": ["uri": 3]]))
    #expect(try await session.request(HoverRequest(textDocument: document, position: position)) == nil)
    try await eventually { await !session.notifications("window/logMessage").isEmpty }
    let logged = await session.notifications("window/logMessage").first?["message"]?.stringValue
    #expect(logged?.contains("textDocument.uri") == true)
    #expect(try await session.finish() == 0)
  }

  @Test func negotiatesEncodingsInTheServersPreference() {
    #expect(Session.negotiatePositionEncoding(offered: nil) == .utf16)
    #expect(Session.negotiatePositionEncoding(offered: [.utf32, .utf16, .utf8]) == .utf8)
    #expect(Session.negotiatePositionEncoding(offered: [.utf32, .utf16]) == .utf16)
    #expect(Session.negotiatePositionEncoding(offered: [.utf32]) == .utf32)
    #expect(Session.negotiatePositionEncoding(offered: [PositionEncodingKind(rawValue: "ebcdic")]) == .utf16)
  }
}

/// A hover request with hand-made params, to send what the typed request cannot express.
struct MalformedHover: RequestType {
  static let method = HoverRequest.method
  typealias Response = LSPAny
  var params: LSPAny
  init(params: LSPAny) { self.params = params }
  init(from decoder: any Decoder) throws { params = try LSPAny(from: decoder) }
  func encode(to encoder: any Encoder) throws { try params.encode(to: encoder) }
}

func outcome<Value>(_ body: () async throws -> Value) async -> Result<Value, any Error> {
  do {
    return .success(try await body())
  } catch {
    return .failure(error)
  }
}
