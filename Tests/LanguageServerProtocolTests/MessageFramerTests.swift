import Foundation
import Testing

@testable import LanguageServerProtocol

@Suite struct MessageFramerTests {
  private func framed(_ body: String, headers: String? = nil) -> [UInt8] {
    let header = headers ?? "Content-Length: \(body.utf8.count)\r\n"
    return Array((header + "\r\n" + body).utf8)
  }

  private func events(_ chunks: [[UInt8]], limit: Int = MessageFramer.defaultMaximumContentLength) -> [MessageFramer.Event] {
    var framer = MessageFramer(maximumContentLength: limit)
    var events: [MessageFramer.Event] = []
    for chunk in chunks {
      framer.append(chunk)
      while let event = framer.next() { events.append(event) }
    }
    return events
  }

  private func messages(_ events: [MessageFramer.Event]) -> [String] {
    events.compactMap { event in
      if case .message(let body) = event { return String(decoding: body, as: UTF8.self) }
      return nil
    }
  }

  private func errorCount(_ events: [MessageFramer.Event]) -> Int {
    events.filter { if case .error = $0 { return true } else { return false } }.count
  }

  @Test func readsMessagesSplitAtEveryByte() {
    let stream = framed(#"{"a":1}"#) + framed(#"{"b":"é"}"#)
    let result = events(stream.map { [$0] })
    #expect(messages(result) == [#"{"a":1}"#, #"{"b":"é"}"#])
    #expect(errorCount(result) == 0)
  }

  @Test func readsSeveralMessagesFromOneChunk() {
    let stream = framed("[1]") + framed("[2]") + framed("[3]")
    #expect(messages(events([stream])) == ["[1]", "[2]", "[3]"])
  }

  @Test func waitsForTheWholeBody() {
    var framer = MessageFramer()
    framer.append(Array("Content-Length: 10\r\n\r\n12345".utf8))
    #expect(framer.next() == nil)
    framer.append(Array("67890".utf8))
    #expect(framer.next() == .message(Array("1234567890".utf8)))
    #expect(framer.next() == nil)
  }

  @Test func toleratesContentTypeAndHeaderCase() {
    let body = #"{"x":true}"#
    let withType = framed(
      body, headers: "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: \(body.utf8.count)\r\n")
    let spaced = framed(body, headers: "CONTENT-LENGTH:\(body.utf8.count)  \r\n")
    let result = events([withType, spaced])
    #expect(messages(result) == [body, body])
    #expect(errorCount(result) == 0)
  }

  @Test func toleratesLineBreaksBetweenMessages() {
    let stream = framed("[1]") + Array("\r\n".utf8) + framed("[2]")
    let result = events([stream])
    #expect(messages(result) == ["[1]", "[2]"])
    #expect(errorCount(result) == 0)
  }

  @Test func rejectsHeaderLinesWithoutCarriageReturnThenRecovers() {
    let bareLineFeeds = Array("Content-Length: 3\n\n[1]".utf8)
    let result = events([bareLineFeeds + framed("[2]")])
    #expect(messages(result) == ["[2]"])
    #expect(errorCount(result) == 1)
  }

  @Test func rejectsACarriageReturnWithoutLineFeed() {
    let result = events([Array("Content-Length: 3\r\r\n[1]".utf8) + framed("[2]")])
    #expect(messages(result) == ["[2]"])
    #expect(errorCount(result) == 1)
  }

  @Test func resynchronisesAfterBinaryGarbage() {
    let garbage: [UInt8] = [0x00, 0xFF, 0x13, 0x37, 0x0A, 0x0D, 0x80] + Array("junk".utf8)
    let result = events([garbage, framed("[1]"), garbage + framed("[2]")])
    #expect(messages(result) == ["[1]", "[2]"])
    #expect(errorCount(result) == 2)
  }

  @Test func reportsABodyWithoutHeadersPromptly() {
    var framer = MessageFramer()
    framer.append(Array(#"{"jsonrpc":"2.0","id":1,"method":"initialize"}"#.utf8))
    guard case .error = framer.next() else {
      Issue.record("a JSON body without headers must be reported at once")
      return
    }
    #expect(framer.next() == nil)
    #expect(framer.bufferedByteCount == 0)
  }

  @Test func skipsMessagesWithBadOrMissingContentLength() {
    let stream =
      framed("[0]", headers: "Content-Type: application/json\r\n")
      + framed("[0]", headers: "Content-Length: -3\r\n")
      + framed("[0]", headers: "Content-Length: 3x\r\n")
      + framed("[0]", headers: "Content-Length: 3\r\nContent-Length: 4\r\n")
      + framed("[0]", headers: "Content-Length 3\r\n")
      + framed("[1]")
    let result = events([stream])
    #expect(errorCount(result) == 1)
    #expect(messages(result) == ["[1]"])
    let separated = [
      framed("[0]", headers: "Content-Length: x\r\n"), framed("[1]"), framed("[0]", headers: "Content-Length: 3x\r\n"),
      framed("[2]"),
    ]
    let separatedResult = events(separated)
    #expect(errorCount(separatedResult) == 2)
    #expect(messages(separatedResult) == ["[1]", "[2]"])
  }

  @Test func skipsAnOversizedBodyAsItStreamsWithoutBufferingIt() {
    var framer = MessageFramer(maximumContentLength: 100)
    framer.append(Array("Content-Length: 1000\r\n\r\n".utf8))
    guard case .error(let message) = framer.next() else {
      Issue.record("an oversized message must be refused")
      return
    }
    #expect(message.contains("1000"))
    for _ in 0..<9 {
      framer.append([UInt8](repeating: UInt8(ascii: "x"), count: 100))
      #expect(framer.next() == nil)
      #expect(framer.bufferedByteCount == 0)
    }
    framer.append([UInt8](repeating: UInt8(ascii: "x"), count: 100) + framed("[1]"))
    #expect(framer.next() == .message(Array("[1]".utf8)))
  }

  @Test func refusesAnEndlessHeader() {
    var framer = MessageFramer()
    framer.append(Array("Content-Length: 1".utf8))
    for _ in 0..<20 { framer.append([UInt8](repeating: UInt8(ascii: "1"), count: 1024)) }
    guard case .error = framer.next() else {
      Issue.record("a header longer than the limit must be refused")
      return
    }
    #expect(framer.bufferedByteCount < 1024)
  }

  /// Pieces that streams are made of: messages, headers cut anywhere, garbage that looks almost
  /// like a header, refused lengths.
  private static let fragments: [[UInt8]] = [
    Array("Content-Length: 3\r\n\r\n[1]".utf8),
    Array("content-length:2\r\nContent-Type: x\r\n\r\n{}".utf8),
    Array("Content-Length:1\r\n\r\n}".utf8),
    [0, 0, 0, UInt8(ascii: "e")],
    Array("eContent-Length:1\r\n\r\n}".utf8),
    Array("Content-Len".utf8),
    Array("gth: 2\r\n\r\n[]".utf8),
    Array("conTENT-length: 0\r\n\r\n".utf8),
    Array("Content-Length: 999999999999999999\r\n\r\n".utf8),
    Array("Content-Length: 12x\r\n\r\n".utf8),
    Array("Content-Length 3\r\n\r\n".utf8),
    Array("Content-Length: 3\n\n".utf8),
    Array("GET / HTTP/1.1\r\n\r\n".utf8),
    Array("\r\n".utf8), Array("\r".utf8), Array("\n".utf8),
    Array("cc".utf8), Array("{\"a\":1}".utf8), [0xFF, 0x0D, 0x80],
  ]

  /// Deterministic streams of two to five fragments, plus the case found by fuzzing.
  private static var chunkingCases: [[UInt8]] {
    var state: UInt64 = 0x5_11CE
    func nextIndex(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    var cases: [[UInt8]] = [Array("\0\0\0eContent-Length:1\r\n\r\n}".utf8)]
    for _ in 0..<60 {
      let count = 2 + nextIndex(4)
      cases.append((0..<count).flatMap { _ in fragments[nextIndex(fragments.count)] })
    }
    return cases
  }

  @Test func anySplitOfTheStreamYieldsTheSameEventsAsOneRead() {
    for stream in Self.chunkingCases {
      let whole = events([stream])
      var splits: [[[UInt8]]] = [stream.map { [$0] }]
      for first in 0...stream.count {
        splits.append([Array(stream[..<first]), Array(stream[first...])])
        for second in first...stream.count where first % 2 == 0 || second == stream.count {
          splits.append([Array(stream[..<first]), Array(stream[first..<second]), Array(stream[second...])])
        }
      }
      // One report per stream keeps a regression readable.
      if let differing = splits.first(where: { events($0) != whole }) {
        Issue.record("chunks \(differing) give \(events(differing)), one read gives \(whole)")
      }
    }
  }

  @Test func findsAMessageAfterGarbageWhenTheReadCutsInsideIt() {
    let stream = Array("\0\0\0eContent-Length:1\r\n\r\n}".utf8)
    for cut in 1..<stream.count {
      let result = events([Array(stream[..<cut]), Array(stream[cut...])])
      #expect(messages(result) == ["}"], "cut at \(cut)")
      #expect(errorCount(result) == 1)
    }
  }

  @Test func refusesAnyLengthOverTheLimitAndRecovers() {
    for digits in ["300000000", "999999999999999999", "9999999999999999999", String(repeating: "9", count: 400)] {
      let stream = Array("Content-Length: \(digits)\r\n\r\n{\"jsonrpc\":".utf8) + framed("[1]")
      let result = events([stream])
      #expect(messages(result) == ["[1]"], "for \(digits.count) digits")
      #expect(errorCount(result) == 1)
      guard case .error(let message)? = result.first else { continue }
      #expect(message.contains("exceeds the limit"), "for \(digits.count) digits: \(message)")
    }
    let leadingZeros = events([framed("[2]", headers: "Content-Length: 0000000000000000000003\r\n")])
    #expect(messages(leadingZeros) == ["[2]"])
  }

  @Test func framesWithContentLengthInBytes() {
    let body = Array(#"{"é":1}"#.utf8)
    #expect(MessageFramer.frame(body) == Array("Content-Length: 8\r\n\r\n".utf8) + body)
  }
}

@Suite struct JSONRPCMessageTests {
  private func parse(_ text: String) throws(InvalidMessage) -> JSONRPCMessage {
    // The test inputs are valid JSON.
    try JSONRPCMessage((try? LSPJSONParser.parse(text)) ?? .null)
  }

  private func invalid(_ text: String) -> InvalidMessage? {
    do {
      _ = try parse(text)
      return nil
    } catch {
      return error
    }
  }

  @Test func readsRequestsNotificationsAndResponses() throws {
    #expect(
      try parse(#"{"jsonrpc":"2.0","id":1,"method":"m","params":{"a":1}}"#)
        == .request(id: .integer(1), method: "m", params: ["a": 1]))
    #expect(try parse(#"{"jsonrpc":"2.0","id":"x","method":"m"}"#) == .request(id: .string("x"), method: "m", params: nil))
    #expect(try parse(#"{"jsonrpc":"2.0","method":"n","params":[1]}"#) == .notification(method: "n", params: [1]))
    #expect(try parse(#"{"jsonrpc":"2.0","id":4,"method":"shutdown","params":null}"#) == .request(id: .integer(4), method: "shutdown", params: nil))
    #expect(try parse(#"{"jsonrpc":"2.0","id":2,"result":null}"#) == .response(id: .integer(2), result: .success(.null)))
    #expect(
      try parse(#"{"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"no"}}"#)
        == .response(id: .integer(3), result: .failure(ResponseError(code: .methodNotFound, message: "no"))))
  }

  @Test func rejectsBatchesAndNonObjects() {
    #expect(invalid(#"[{"jsonrpc":"2.0","method":"n"}]"#)?.error.code == .invalidRequest)
    #expect(invalid(#"[{"jsonrpc":"2.0","method":"n"}]"#)?.error.message.contains("batch") == true)
    #expect(invalid("42")?.error.code == .invalidRequest)
  }

  @Test func rejectsMalformedMessagesKeepingTheIdToAnswer() {
    #expect(invalid(#"{"id":1,"method":"m"}"#) == InvalidMessage(id: .integer(1), error: .invalidRequest("'jsonrpc' must be \"2.0\"")))
    #expect(invalid(#"{"jsonrpc":"2.0","id":1,"method":5}"#)?.id == .integer(1))
    #expect(invalid(#"{"jsonrpc":"2.0","id":1,"method":"m","params":3}"#)?.error.code == .invalidRequest)
    #expect(invalid(#"{"jsonrpc":"2.0","id":1,"method":"m","params":"x"}"#)?.error.code == .invalidRequest)
    #expect(invalid(#"{"jsonrpc":"2.0","id":[1],"method":"m"}"#)?.id == nil)
    #expect(invalid(#"{"jsonrpc":"2.0","id":null,"method":"m"}"#)?.error.code == .invalidRequest)
    #expect(invalid(#"{"jsonrpc":"2.0","id":1}"#)?.error.code == .invalidRequest)
    #expect(invalid(#"{"jsonrpc":"2.0"}"#)?.error.code == .invalidRequest)
  }

  @Test func writesResultNullAndErrorIdNull() {
    #expect(JSONRPCMessage.response(id: .integer(1), result: .success(.null)).json.description == #"{"id":1,"jsonrpc":"2.0","result":null}"#)
    #expect(
      JSONRPCMessage.response(id: nil, result: .failure(.parseError("bad"))).json.description
        == #"{"error":{"code":-32700,"message":"bad"},"id":null,"jsonrpc":"2.0"}"#)
  }
}
