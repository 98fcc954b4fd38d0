import Foundation
import LanguageServerProtocol
import SliceTestSupport
import Testing

/// Completion, hover, definition, lenses, the source actions and the preview command through the
/// real binary, on a copy of the example project.
@Suite(.serialized) struct EditorFeatureEndToEndTests {
  static func open(_ server: ServerProcess, _ file: URL, _ text: String, version: Int = 1) {
    server.notify(
      "textDocument/didOpen",
      [
        "textDocument": [
          "uri": .string(file.absoluteString), "languageId": .string(file.pathExtension == "json" ? "json" : "yaml"),
          "version": .int(version), "text": .string(text),
        ]
      ])
  }

  /// The position of `|` in `text` (removed), in characters of `encoding`.
  static func cursor(_ text: inout String, encoding: String) throws -> (line: Int, character: Int) {
    try #require(CursorFixture.position(in: &text, counting: encoding == "utf-8" ? .utf8 : .utf16))
  }

  static func capabilities(_ encoding: String, _ extra: [String: LSPAny] = [:]) -> LSPAny {
    var object = extra
    object["general"] = ["positionEncodings": encoding == "utf-8" ? ["utf-8", "utf-16"] : ["utf-16"]]
    return .object(object)
  }

  static func position(_ place: (line: Int, character: Int)) -> LSPAny {
    ["line": .int(place.line), "character": .int(place.character)]
  }

  @Test(arguments: ["utf-16", "utf-8"])
  func yamlAndJSONCompletionRangesInTheNegotiatedEncoding(encoding: String) throws {
    let project = try ProjectDiagnosticsTests.exampleCopy()
    defer { try? FileManager.default.removeItem(at: project) }
    let server = try ServerProcess()
    let result = try server.initialize(capabilities: Self.capabilities(encoding))
    #expect(result["capabilities"]?["positionEncoding"] == .string(encoding))

    let yaml = project.appendingPathComponent("files/vlans/office.yaml")
    var yamlText = try String(contentsOf: yaml, encoding: .utf8)
      .replacingOccurrences(of: "  - {switch: sw1, port: 3}", with: "  - {switch: \"😀é\", po|}")
    let yamlCursor = try Self.cursor(&yamlText, encoding: encoding)
    Self.open(server, yaml, yamlText)
    let yamlList = try server.request(
      2, "textDocument/completion",
      ["textDocument": ["uri": .string(yaml.absoluteString)], "position": Self.position(yamlCursor)])
    let port = try #require(yamlList["result"]?["items"]?.arrayValue?.first { $0["label"] == "port" }, "\(yamlList)")
    #expect(port["textEdit"]?["range"]?["start"] == Self.position((yamlCursor.line, yamlCursor.character - 2)))
    #expect(port["textEdit"]?["range"]?["end"] == Self.position(yamlCursor))
    #expect(port["insertTextMode"] == 1)

    let json = project.appendingPathComponent("files/fs/db01.json")
    var jsonText = try String(contentsOf: json, encoding: .utf8)
      .replacingOccurrences(of: "  \"root\": \"/srv\",\n", with: "")
      .replacingOccurrences(of: "\"host\": \"db01\",", with: "\"host\": \"db01 é😀\", \"ro|\n  \"x\": 1,")
    let jsonCursor = try Self.cursor(&jsonText, encoding: encoding)
    Self.open(server, json, jsonText)
    let jsonList = try server.request(
      3, "textDocument/completion",
      ["textDocument": ["uri": .string(json.absoluteString)], "position": Self.position(jsonCursor)])
    let root = try #require(jsonList["result"]?["items"]?.arrayValue?.first { $0["label"] == "root" }, "\(jsonList)")
    #expect(root["textEdit"]?["range"]?["start"] == Self.position((jsonCursor.line, jsonCursor.character - 3)))
    #expect(root["textEdit"]?["newText"]?.stringValue?.hasPrefix("\"root\"") == true)
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func hoverDefinitionAndLenses() throws {
    let project = try ProjectDiagnosticsTests.exampleCopy()
    defer { try? FileManager.default.removeItem(at: project) }
    let server = try ServerProcess()
    try server.initialize(capabilities: [
      "textDocument": ["hover": ["contentFormat": ["markdown"]], "definition": ["linkSupport": false]]
    ])
    let file = project.appendingPathComponent("files/vlans/office.yaml")
    var text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "mtu:", with: "m|tu:")
    let place = try Self.cursor(&text, encoding: "utf-16")
    Self.open(server, file, text)
    let identifier: LSPAny = ["uri": .string(file.absoluteString)]

    let hover = try server.request(2, "textDocument/hover", ["textDocument": identifier, "position": Self.position(place)])
    #expect(hover["result"]?["contents"]?["kind"] == "markdown")
    #expect(hover["result"]?["contents"]?["value"]?.stringValue?.contains("mtu") == true)

    let definition = try server.request(3, "textDocument/definition", ["textDocument": identifier, "position": Self.position(place)])
    let location = try #require(definition["result"]?.arrayValue?.first, "\(definition)")
    let schema = project.appendingPathComponent("files/schemas/vlans.json")
    let targetPath = try #require(location["uri"]?.stringValue.flatMap { URL(string: $0)?.standardizedFileURL.path })
    #expect(targetPath == schema.standardizedFileURL.path)
    let line = try #require(location["range"]?["start"]?["line"]?.intValue)
    let schemaLines = try String(contentsOf: schema, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    #expect(schemaLines[line].contains("\"mtu\""))

    let lenses = try server.request(4, "textDocument/codeLens", ["textDocument": identifier])
    let items = try #require(lenses["result"]?.arrayValue)
    #expect(!items.isEmpty)
    #expect(items.allSatisfy { $0["command"]?["title"]?.stringValue?.isEmpty == false })
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func updateCompileActionAndPreviewCommand() throws {
    let project = try ProjectDiagnosticsTests.exampleCopy()
    defer { try? FileManager.default.removeItem(at: project) }
    let server = try ServerProcess()
    try server.initialize(capabilities: [
      "textDocument": ["codeAction": ["codeActionLiteralSupport": ["codeActionKind": ["valueSet": ["quickfix", "source"]]]]],
      "window": ["showDocument": ["support": true]],
    ])
    let file = project.appendingPathComponent("files/vlans/office.yaml")
    let original = try String(contentsOf: file, encoding: .utf8)
    let text = original.replacingOccurrences(of: "mtu: 9216\n", with: "mtu: 9216 # jumbo 😀\ndescriptoin: typo\n")
    Self.open(server, file, text)
    let identifier: LSPAny = ["uri": .string(file.absoluteString)]
    let zero: LSPAny = ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]]
    let answer = try server.request(
      2, "textDocument/codeAction",
      ["textDocument": identifier, "range": zero, "context": ["diagnostics": [], "only": ["source"]]])
    let actions = try #require(answer["result"]?.arrayValue, "\(answer)")
    let update = try #require(actions.first { $0["kind"] == "source.slicels.update" }, "\(actions)")
    let edits = try #require(update["edit"]?["changes"]?[file.absoluteString]?.arrayValue)
    let decoded = try edits.map { try LSPAnyDecoder().decode(LSPTextEdit.self, from: $0) }
    let updated = Self.apply(decoded, to: text)
    #expect(updated.hasPrefix("# Desks of the Brussels office."))
    #expect(updated.contains("# jumbo 😀"))
    #expect(!updated.contains("descriptoin"))
    #expect(actions.contains { $0["command"]?["command"] == "slicels.previewPurged" })

    // Applied, nothing is left for the update compile to change.
    server.notify(
      "textDocument/didChange",
      ["textDocument": ["uri": .string(file.absoluteString), "version": 2], "contentChanges": [["text": .string(updated)]]])
    let again = try server.request(
      3, "textDocument/codeAction",
      ["textDocument": identifier, "range": zero, "context": ["diagnostics": [], "only": ["source.slicels.update"]]])
    #expect(again["result"] == [], "\(again)")

    // The preview: the server asks the client to show a file outside the project.
    server.send([
      "jsonrpc": "2.0", "id": 4, "method": "workspace/executeCommand",
      "params": ["command": "slicels.previewPurged", "arguments": [.string(file.absoluteString)]],
    ])
    let show = try server.message("window/showDocument") { $0["method"] == "window/showDocument" && $0["id"] != nil }
    let shownURI = try #require(show["params"]?["uri"]?.stringValue)
    #expect(show["params"]?["takeFocus"] == true)
    let shown = try #require(URL(string: shownURI))
    #expect(!shown.standardizedFileURL.path.hasPrefix(project.standardizedFileURL.path))
    #expect(try String(contentsOf: shown, encoding: .utf8).contains("\"name\": \"office\""))
    server.send(["jsonrpc": "2.0", "id": show["id"] ?? .null, "result": ["success": true]])
    let executed = try server.response(to: 4)
    #expect(executed["result"]?["shown"] == true, "\(executed)")
    #expect(try server.shutdownAndExit() == 0)
  }

  /// `text` with UTF-16 LSP edits applied.
  static func apply(_ edits: [LSPTextEdit], to text: String) -> String {
    var utf16 = Array(text.utf16)
    let lineStarts = [0] + utf16.indices.filter { utf16[$0] == 0x0A }.map { $0 + 1 }
    func offset(_ position: LSPPosition) -> Int { lineStarts[position.line] + position.character }
    for edit in edits.sorted(by: { offset($0.range.start) > offset($1.range.start) }) {
      utf16.replaceSubrange(offset(edit.range.start)..<offset(edit.range.end), with: Array(edit.newText.utf16))
    }
    return String(decoding: utf16, as: UTF16.self)
  }
}
