import Foundation
import Testing

@testable import LanguageServerProtocol

@Suite struct JSONParserTests {
  @Test func parsesEveryKindOfValue() throws {
    let value = try LSPJSONParser.parse(
      #" { "a" : [1, -2, 3.5, 1e3, true, false, null, "x"], "b": {}, "c": [] } "#)
    #expect(
      value == .object([
        "a": [1, -2, 3.5, .double(1000), true, false, .null, "x"], "b": .object([:]), "c": .array([]),
      ]))
  }

  @Test func keepsIntegersAndFallsBackToDoublesBeyondInt() throws {
    #expect(try LSPJSONParser.parse("9223372036854775807") == .int(Int.max))
    #expect(try LSPJSONParser.parse("-9223372036854775808") == .int(Int.min))
    #expect(try LSPJSONParser.parse("9223372036854775808") == .double(9223372036854775808))
    #expect(try LSPJSONParser.parse("-0") == .int(0))
    #expect(try LSPJSONParser.parse("2.50") == .double(2.5))
    #expect(try LSPJSONParser.parse("1E-2") == .double(0.01))
  }

  @Test func decodesEscapesAndSurrogatePairs() throws {
    let text = try LSPJSONParser.parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00 plain""#)
    #expect(text == .string("a\"b\\c/d\u{8}\u{c}\n\r\té😀 plain"))
    // A lone surrogate cannot be a Swift string: it becomes U+FFFD rather than an error.
    #expect(try LSPJSONParser.parse(#""\ud800x""#) == .string("\u{FFFD}x"))
    #expect(try LSPJSONParser.parse(#""\udc00""#) == .string("\u{FFFD}"))
  }

  @Test func keepsNonASCIITextAsIs() throws {
    #expect(try LSPJSONParser.parse("\"naïve — 日本\"") == .string("naïve — 日本"))
  }

  @Test(arguments: [
    "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"abc",
    "\"a\nb\"", "\"\\x\"", "\"\\u12\"", "{\"a\" 1}", "{1:2}", "[1 2]", "1 2", "NaN", "Infinity", "'a'",
  ])
  func rejectsInvalidJSON(_ text: String) {
    #expect(throws: JSONParseError.self) { try LSPJSONParser.parse(text) }
  }

  @Test func reportsWhereTheErrorIs() {
    #expect(throws: JSONParseError(offset: 6, message: "expected ',' or ']'")) {
      try LSPJSONParser.parse("[1, 2 3]")
    }
  }

  @Test func refusesNestingBeyondTheLimitWithoutCrashing() throws {
    let limit = LSPJSONParser.maximumDepth
    let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
    #expect(throws: Never.self) { try LSPJSONParser.parse(deepest) }
    let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
    #expect(throws: JSONParseError.self) { try LSPJSONParser.parse(tooDeep) }
    let hostile = String(repeating: "{\"a\":", count: 100_000)
    #expect(throws: JSONParseError.self) { try LSPJSONParser.parse(hostile) }
  }
}

@Suite struct JSONWriterTests {
  @Test func writesCompactSortedJSON() {
    let value: LSPAny = ["b": [1, 2.5, .null, true], "a": "x"]
    #expect(value.description == #"{"a":"x","b":[1,2.5,null,true]}"#)
  }

  @Test func escapesWhatJSONRequires() {
    let value = LSPAny.string("q\" b\\ n\n t\t c\u{1} é")
    #expect(value.description == #""q\" b\\ n\n t\t c\u0001 é""#)
  }

  @Test func writesNonFiniteNumbersAsNull() {
    #expect(LSPAny.array([.double(.nan), .double(.infinity)]).description == "[null,null]")
  }

  @Test func roundTripsThroughTheParser() throws {
    let value: LSPAny = [
      "text": "line 1\nline \"2\"\u{0}😀", "numbers": [0, -1, 1.25, 1e300, .int(Int.max)], "nested": ["deep": [[]]],
      "empty": "",
    ]
    #expect(try LSPJSONParser.parse(JSONWriter.serialize(value)) == value)
  }
}

@Suite struct LSPAnyTests {
  @Test func readsMembersAndScalars() {
    let value: LSPAny = ["id": 3, "name": "x", "list": [true], "ratio": 2.0]
    #expect(value["id"]?.intValue == 3)
    #expect(value["ratio"]?.intValue == 2)
    #expect(value["name"]?.stringValue == "x")
    #expect(value["list"]?[0]?.boolValue == true)
    #expect(value["list"]?[1] == nil)
    #expect(value["missing"] == nil)
    #expect(LSPAny.double(2.5).intValue == nil)
  }

  @Test func interoperatesWithFoundationCoders() throws {
    let value: LSPAny = ["a": [1, "two", .null, false, 2.5], "b": ["c": "d"]]
    let data = try JSONEncoder().encode(value)
    #expect(try JSONDecoder().decode(LSPAny.self, from: data) == value)
  }
}

@Suite struct LSPAnyCodingTests {
  @Test func omitsNilOptionalMembers() throws {
    let diagnostic = Diagnostic(range: LSPRange(at: LSPPosition(line: 1, character: 2)), message: "m")
    let json = try LSPAnyEncoder().encode(diagnostic)
    #expect(json.objectValue.map { Set($0.keys) } == ["range", "message"])
  }

  @Test func writesNullWhereLSPRequiresIt() throws {
    let identifier = OptionalVersionedTextDocumentIdentifier(uri: "file:///a", version: nil)
    #expect(try LSPAnyEncoder().encode(identifier) == ["uri": "file:///a", "version": .null])
    let noHover: Hover? = nil
    #expect(try LSPAnyEncoder().encode(noHover) == .null)
    #expect(try LSPAnyEncoder().encode(VoidResponse()) == .null)
    let initialize = InitializeRequest(processId: nil, capabilities: ClientCapabilities())
    #expect(try LSPAnyEncoder().encode(initialize) == ["processId": .null, "rootUri": .null, "capabilities": [:]])
  }

  @Test func roundTripsTypedMessages() throws {
    let edit = WorkspaceEdit(documentChanges: [
      .edit(TextDocumentEdit(
        textDocument: .init(uri: "file:///a", version: 3),
        edits: [LSPTextEdit(range: LSPRange(at: LSPPosition(line: 0, character: 0)), newText: "x")])),
      .create(uri: "file:///b", options: CreateFileOptions(overwrite: true)),
      .rename(oldUri: "file:///b", newUri: "file:///c", options: nil),
      .delete(uri: "file:///c", options: nil),
    ])
    let item = CompletionItem(
      label: "name", kind: .property, detail: "string", documentation: .markup(.init(kind: .markdown, value: "**x**")),
      sortText: "0", insertTextFormat: .snippet,
      textEdit: .edit(LSPTextEdit(range: LSPRange(at: LSPPosition(line: 1, character: 1)), newText: "name: $1")),
      data: ["k": 1])
    let progress = ProgressNotification(token: .integer(4), workDone: .begin(title: "t", percentage: 5))
    #expect(try roundTrip(edit) == edit)
    #expect(try roundTrip(item) == item)
    #expect(try roundTrip(progress) == progress)
    #expect(progress.value == ["kind": "begin", "title": "t", "percentage": 5])
    let selection = SelectionRange(range: LSPRange(at: LSPPosition(line: 2, character: 0)), parent: SelectionRange(range: LSPRange(at: LSPPosition(line: 1, character: 0))))
    #expect(try roundTrip(selection) == selection)
    let definition = DefinitionResponse.links([
      LocationLink(targetUri: "file:///s.json", targetRange: LSPRange(at: LSPPosition(line: 0, character: 0)), targetSelectionRange: LSPRange(at: LSPPosition(line: 0, character: 0)))
    ])
    #expect(try roundTrip(definition) == definition)
  }

  /// The `LSP` prefix is a Swift name only: the members on the wire are the protocol's.
  @Test func prefixedTypesKeepTheProtocolMemberNames() throws {
    let range = LSPRange(start: LSPPosition(line: 1, character: 2), end: LSPPosition(line: 3, character: 4))
    let rangeJSON: LSPAny = ["start": ["line": 1, "character": 2], "end": ["line": 3, "character": 4]]
    #expect(try LSPAnyEncoder().encode(range) == rangeJSON)
    #expect(try LSPAnyDecoder().decode(LSPRange.self, from: rangeJSON) == range)
    let edit = LSPTextEdit(range: range, newText: "x", annotationId: "a")
    let editJSON: LSPAny = ["range": rangeJSON, "newText": "x", "annotationId": "a"]
    #expect(try LSPAnyEncoder().encode(edit) == editJSON)
    #expect(try LSPAnyDecoder().decode(LSPTextEdit.self, from: editJSON) == edit)
    var capabilities = ServerCapabilities()
    capabilities.inlayHintProvider = LSPInlayHintOptions(resolveProvider: false)
    #expect(try LSPAnyEncoder().encode(capabilities)["inlayHintProvider"] == ["resolveProvider": false])
  }

  @Test func namesTheFieldAtFaultInErrors() throws {
    let missing: LSPAny = ["textDocument": [:], "position": ["line": 0, "character": 0]]
    let wrongType: LSPAny = ["textDocument": ["uri": "file:///a"], "position": ["line": "zero", "character": 0]]
    let badElement: LSPAny = [
      "textDocument": ["uri": "file:///a", "version": 1],
      "contentChanges": [["text": "a"], ["text": 5]],
    ]
    #expect(fieldError(HoverRequest.self, missing) == "missing field 'textDocument.uri'")
    #expect(fieldError(HoverRequest.self, wrongType) == "field 'position.line': expected integer, found string")
    #expect(
      fieldError(DidChangeTextDocumentNotification.self, badElement)
        == "field 'contentChanges[1].text': expected string, found integer")
  }

  @Test func readsIntegralDoublesAsIntegers() throws {
    let position = try LSPAnyDecoder().decode(LSPPosition.self, from: ["line": 2.0, "character": 3])
    #expect(position == LSPPosition(line: 2, character: 3))
    #expect(fieldError(LSPPosition.self, ["line": 2.5, "character": 3]) == "field 'line': expected integer, found number")
  }

  @Test func ignoresUnknownMembersAndUnknownEnumValues() throws {
    let capabilities: LSPAny = [
      "general": ["positionEncodings": ["utf-8", "utf-64"], "future": true],
      "textDocument": ["completion": ["completionItemKind": ["valueSet": [1, 99]]]],
    ]
    let decoded = try LSPAnyDecoder().decode(ClientCapabilities.self, from: capabilities)
    #expect(decoded.general?.positionEncodings == [.utf8, PositionEncodingKind(rawValue: "utf-64")])
    #expect(decoded.textDocument?.completion?.completionItemKind?.valueSet == [.text, CompletionItemKind(rawValue: 99)])
  }

  private func roundTrip<Value: Codable>(_ value: Value) throws -> Value {
    let bytes = JSONWriter.serialize(try LSPAnyEncoder().encode(value))
    return try LSPAnyDecoder().decode(Value.self, from: try LSPJSONParser.parse(bytes))
  }

  private func fieldError<Value: Decodable>(_ type: Value.Type, _ json: LSPAny) -> String? {
    do {
      _ = try LSPAnyDecoder().decode(type, from: json)
      return nil
    } catch let error as DecodingError {
      return error.fieldDescription
    } catch {
      return "\(error)"
    }
  }
}
