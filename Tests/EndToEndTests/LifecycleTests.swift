import Foundation
import LanguageServerProtocol
import Testing

@Suite(.serialized) struct LifecycleTests {
  @Test func initializeAnswersWithCapabilitiesAndServerInfo() throws {
    let server = try ServerProcess()
    let result = try server.initialize()
    #expect(result["serverInfo"]?["name"] == "slicels")
    #expect(result["serverInfo"]?["version"]?.stringValue?.isEmpty == false)
    #expect(result["capabilities"]?["positionEncoding"] == "utf-16")
    // The result decodes as LSP's InitializeResult.
    #expect(throws: Never.self) { try LSPAnyDecoder().decode(InitializeResult.self, from: result) }
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test(arguments: [
    (["utf-16", "utf-8"], "utf-8"), (["utf-32", "utf-16"], "utf-16"), (["utf-32"], "utf-32"),
    (["utf-7"], "utf-16"), ([], "utf-16"),
  ] as [([LSPAny], LSPAny)])
  func negotiatesThePositionEncoding(offered: [LSPAny], chosen: LSPAny) throws {
    let server = try ServerProcess()
    let result = try server.initialize(capabilities: ["general": ["positionEncodings": .array(offered)]])
    #expect(result["capabilities"]?["positionEncoding"] == chosen)
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func exitWithoutShutdownExitsWithOne() throws {
    let server = try ServerProcess()
    try server.initialize()
    server.notify("exit")
    #expect(try server.exitStatus() == 1)
  }

  @Test func exitBeforeInitializeExitsWithOne() throws {
    let server = try ServerProcess()
    server.notify("exit")
    #expect(try server.exitStatus() == 1)
  }

  @Test func endOfInputEndsTheServer() throws {
    let idle = try ServerProcess()
    idle.closeInput()
    #expect(try idle.exitStatus() == 1)

    let initialized = try ServerProcess()
    try initialized.initialize()
    initialized.closeInput()
    #expect(try initialized.exitStatus() == 1)

    let shutDown = try ServerProcess()
    try shutDown.initialize()
    #expect(try shutDown.request(2, "shutdown")["result"] == .null)
    shutDown.closeInput()
    #expect(try shutDown.exitStatus() == 0)
  }

  @Test func servesWithTheExplicitSubcommandAndTheStdioFlag() throws {
    for arguments in [["serve"], ["--stdio"], ["serve", "--stdio"]] {
      let server = try ServerProcess(arguments: arguments)
      try server.initialize()
      #expect(try server.shutdownAndExit() == 0, "arguments \(arguments)")
    }
  }

  @Test func refusesRequestsBeforeInitialize() throws {
    let server = try ServerProcess()
    let early = try server.request(1, "textDocument/hover", ["textDocument": ["uri": "file:///a"], "position": ["line": 0, "character": 0]])
    #expect(early["error"]?["code"] == -32002)
    let earlyShutdown = try server.request(2, "shutdown")
    #expect(earlyShutdown["error"]?["code"] == -32002)
    server.notify("textDocument/didOpen", ["textDocument": ["uri": "file:///a", "languageId": "yaml", "version": 1, "text": ""]])
    let result = try server.initialize(id: 3)
    #expect(result["capabilities"] != nil)
    #expect(server.pending.allSatisfy { $0["id"] == nil }, "no answer to the early notification")
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func refusesASecondInitialize() throws {
    let server = try ServerProcess()
    try server.initialize()
    let second = try server.request(2, "initialize", ["processId": .null, "rootUri": .null, "capabilities": [:]])
    #expect(second["error"]?["code"] == -32600)
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func refusesRequestsAfterShutdown() throws {
    let server = try ServerProcess()
    try server.initialize()
    #expect(try server.request(2, "shutdown")["result"] == .null)
    #expect(try server.request(3, "textDocument/hover")["error"]?["code"] == -32600)
    #expect(try server.request(4, "shutdown")["error"]?["code"] == -32600)
    server.notify("exit")
    #expect(try server.exitStatus() == 0)
  }

  @Test func cancelsARequestAndKeepsServing() throws {
    let server = try ServerProcess()
    try server.initialize()
    // The request and its cancellation in one write: the server reads them together and the
    // request is answered as cancelled, not handled.
    server.send(
      raw: MessageFramer.frame(JSONWriter.serialize(ServerProcess.request(7, "shutdown")))
        + MessageFramer.frame(JSONWriter.serialize(ServerProcess.notification("$/cancelRequest", ["id": 7]))))
    let cancelled = try server.response(to: 7)
    #expect(cancelled["error"]?["code"] == -32800)
    // Not shut down: an unknown request is still "method not found", not "shutting down".
    #expect(try server.request(8, "slicels/unknown")["error"]?["code"] == -32601)
    // Cancelling a request that was already answered, or never existed, is harmless.
    server.notify("$/cancelRequest", ["id": 8])
    server.notify("$/cancelRequest", ["id": "nonexistent"])
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func exitsWhenTheClientProcessIsGone() throws {
    let parent = Process()
    parent.executableURL = URL(fileURLWithPath: "/bin/sleep")
    parent.arguments = ["60"]
    try parent.run()
    let server = try ServerProcess()
    try server.initialize(processId: Int(parent.processIdentifier))
    // SIGKILL: the test runner may hand its children a mask that blocks SIGTERM.
    kill(parent.processIdentifier, SIGKILL)
    parent.waitUntilExit()
    // The server polls every 3 seconds.
    #expect(try server.exitStatus(timeout: 15) == 1)
  }

  @Test func tracesWhenTheClientAsks() throws {
    let server = try ServerProcess()
    try server.initialize()
    server.notify("$/setTrace", ["value": "verbose"])
    #expect(try server.request(2, "slicels/unknown", ["x": 1])["error"]?["code"] == -32601)
    let trace = try server.message("the trace of the request") {
      $0["method"] == "$/logTrace" && $0["params"]?["message"]?.stringValue?.contains("slicels/unknown") == true
    }
    #expect(trace["params"]?["verbose"] == #"{"x":1}"#)
    server.notify("$/setTrace", ["value": "off"])
    #expect(try server.shutdownAndExit() == 0)
    #expect(!server.pending.contains { $0["method"] == "$/logTrace" && $0["params"]?["message"]?.stringValue?.contains("shutdown") == true })
  }
}
