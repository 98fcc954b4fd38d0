import Foundation
import LanguageServerProtocol
import Testing

/// No input may crash or hang the server: each case is answered per JSON-RPC (or logged when
/// there is nothing to answer) and the server keeps serving.
@Suite(.serialized) struct MalformedInputTests {
  private func expectStillServing(_ server: ServerProcess, id: Int = 500) throws {
    let answer = try server.request(id, "slicels/ping")
    #expect(answer["error"]?["code"] == -32601, "still answering after the bad input: \(answer)")
  }

  @Test func recoversFromGarbageHeaders() throws {
    let server = try ServerProcess()
    server.send(raw: Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
    server.send(raw: [0x00, 0xFF, 0xFE, 0x1B, 0x5B, 0x41, 0x0A, 0x0A])
    server.send(raw: Array("Content-Length: 5\n\n{...}".utf8))
    server.send(raw: Array("Content-Length: twelve\r\n\r\n".utf8))
    try server.initialize()
    let logged = try server.notification("window/logMessage")
    #expect(logged["params"]?["type"] == 1)
    try expectStillServing(server)
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func answersInvalidJSONWithParseError() throws {
    let server = try ServerProcess()
    try server.initialize()
    for body in ["{\"jsonrpc\": \"2.0\", \"id\": 3, ", "\u{FEFF}{}", "{'a': 1}", "[1,]"] {
      server.send(raw: MessageFramer.frame(Array(body.utf8)))
      let answer = try server.response(to: .null)
      #expect(answer["error"]?["code"] == -32700, "for \(body)")
    }
    try expectStillServing(server)
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func answersBatchesAndMalformedMessagesWithInvalidRequest() throws {
    let server = try ServerProcess()
    try server.initialize()
    server.send([ServerProcess.request(5, "shutdown"), ServerProcess.request(6, "shutdown")])
    let batch = try server.response(to: .null)
    #expect(batch["error"]?["code"] == -32600)
    #expect(batch["error"]?["message"]?.stringValue?.contains("batch") == true)
    server.send(["id": 7, "method": "shutdown"])
    #expect(try server.response(to: 7)["error"]?["code"] == -32600)
    server.send(["jsonrpc": "2.0", "id": 8, "method": 42])
    #expect(try server.response(to: 8)["error"]?["code"] == -32600)
    server.send(["jsonrpc": "2.0", "id": 9, "method": "shutdown", "params": "yes"])
    #expect(try server.response(to: 9)["error"]?["code"] == -32600)
    server.send("just a string")
    #expect(try server.response(to: .null)["error"]?["code"] == -32600)
    try expectStillServing(server)
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func answersUnknownMethodsAndIgnoresUnknownNotifications() throws {
    let server = try ServerProcess()
    try server.initialize()
    #expect(try server.request(2, "textDocument/unknown")["error"]?["code"] == -32601)
    #expect(try server.request(3, "$/unknownRequest")["error"]?["code"] == -32601)
    server.notify("$/unknownNotification", ["x": 1])
    #expect(try server.request(4, "slicels/ping")["error"]?["code"] == -32601)
    #expect(!server.pending.contains { $0["params"]?["message"]?.stringValue?.contains("$/unknownNotification") == true })
    server.notify("slicels/unknownNotification")
    let logged = try server.notification("window/logMessage")
    #expect(logged["params"]?["message"]?.stringValue?.contains("slicels/unknownNotification") == true)
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func answersWrongParamsNamingTheField() throws {
    let server = try ServerProcess()
    let wrongType = try server.request(1, "initialize", ["processId": "me", "capabilities": [:]])
    #expect(wrongType["error"]?["code"] == -32602)
    #expect(wrongType["error"]?["message"]?.stringValue?.contains("processId") == true)
    let missing = try server.request(2, "initialize", ["processId": .null])
    #expect(missing["error"]?["code"] == -32602)
    #expect(missing["error"]?["message"]?.stringValue?.contains("capabilities") == true)
    let deep = try server.request(3, "initialize", ["processId": .null, "capabilities": ["general": ["positionEncodings": "utf-8"]]])
    #expect(deep["error"]?["message"]?.stringValue?.contains("capabilities.general.positionEncodings") == true)
    // A failed initialize leaves the server waiting for a good one.
    try server.initialize(id: 4)
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func refusesDeeplyNestedJSON() throws {
    let server = try ServerProcess()
    try server.initialize()
    let depth = 100_000
    server.send(raw: MessageFramer.frame(Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)))
    #expect(try server.response(to: .null)["error"]?["code"] == -32700)
    try expectStillServing(server)
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func skipsAMessageOverTheSizeLimitThenEndsAtEndOfInput() throws {
    let server = try ServerProcess()
    try server.initialize()
    server.send(raw: Array("Content-Length: 300000000\r\n\r\n{\"jsonrpc\":\"2.0\"}".utf8))
    let logged = try server.message("the size limit error") {
      $0["method"] == "window/logMessage" && $0["params"]?["message"]?.stringValue?.contains("300000000") == true
    }
    #expect(logged["params"]?["type"] == 1)
    server.closeInput()
    #expect(try server.exitStatus() == 1)
  }

  @Test func keepsServingAfterAnEighteenDigitContentLength() throws {
    let server = try ServerProcess()
    try server.initialize()
    for (index, digits) in ["999999999999999999", "9999999999999999999", "300000000"].enumerated() {
      server.send(raw: Array("Content-Length: \(digits)\r\n\r\n{\"jsonrpc\":\"2.0\",".utf8))
      let logged = try server.message("the size limit error for \(digits)") {
        $0["method"] == "window/logMessage" && $0["params"]?["message"]?.stringValue?.contains(digits) == true
      }
      #expect(logged["params"]?["type"] == 1)
      try expectStillServing(server, id: 600 + index)
    }
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func endsCleanlyWhenInputEndsInsideALargeMessage() throws {
    let server = try ServerProcess()
    try server.initialize()
    server.send(raw: Array("Content-Length: 200000000\r\n\r\n{\"jsonrpc\":".utf8))
    server.closeInput()
    #expect(try server.exitStatus() == 1)
  }

  @Test func survivesRandomBytes() throws {
    let server = try ServerProcess()
    var generator = SplitMix64(seed: 0x5_11CE)
    let noise = (0..<(1 << 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    server.send(raw: noise)
    // After the noise, a line break then a well-formed initialize must still get through.
    server.send(raw: Array("\r\n\r\n".utf8))
    try server.initialize()
    try expectStillServing(server)
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func takesATenMegabyteMessageInStride() throws {
    let server = try ServerProcess()
    try server.initialize()
    let text = String(repeating: "key: \"value with a \\\"quote\\\"\"\n", count: 10 << 20 / 28)
    let started = Date()
    server.notify("textDocument/didOpen", ["textDocument": ["uri": "file:///big.yaml", "languageId": "yaml", "version": 1, "text": .string(text)]])
    try expectStillServing(server)
    print("10 MB didOpen then a request answered after \(Date().timeIntervalSince(started)) s")
    #expect(try server.shutdownAndExit() == 0)
  }
}

/// A small deterministic generator, so the noise is the same on every run.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}
