import Foundation
import LanguageServerProtocol
import Testing

extension ServerProcess {
  func open(_ uri: String, _ text: String, languageId: String = "yaml", version: Int = 1) {
    notify(
      "textDocument/didOpen",
      ["textDocument": ["uri": .string(uri), "languageId": .string(languageId), "version": .int(version), "text": .string(text)]])
  }

  func change(_ uri: String, version: Int, _ changes: [LSPAny]) {
    notify("textDocument/didChange", ["textDocument": ["uri": .string(uri), "version": .int(version)], "contentChanges": .array(changes)])
  }

  /// The next `publishDiagnostics` for `uri` (of `version`, when given).
  func diagnostics(for uri: String, version: Int? = nil) throws -> LSPAny {
    try message("diagnostics for \(uri) version \(version.map(String.init) ?? "any")") { message in
      message["method"] == "textDocument/publishDiagnostics" && message["params"]?["uri"] == .string(uri)
        && (version == nil || message["params"]?["version"] == .int(version ?? 0))
    }["params"] ?? .null
  }

  /// Answers the server's next request of `method` with `result`; returns its params.
  @discardableResult
  func answerRequest(_ method: String, with result: LSPAny = .null) throws -> LSPAny {
    let request = try message("a \(method) request") { $0["method"] == .string(method) && $0["id"] != nil }
    send(["jsonrpc": "2.0", "id": request["id"] ?? .null, "result": result])
    return request["params"] ?? .null
  }
}

private func range(_ startLine: Int, _ startCharacter: Int, _ endLine: Int, _ endCharacter: Int) -> LSPAny {
  [
    "start": ["line": .int(startLine), "character": .int(startCharacter)],
    "end": ["line": .int(endLine), "character": .int(endCharacter)],
  ]
}

private func position(_ line: Int, _ character: Int) -> LSPAny {
  ["line": .int(line), "character": .int(character)]
}

/// A file URI with a space and non-ASCII characters, percent-encoded as VS Code sends it.
private let yamlURI = "file:///nonexistent/slicels%20e2e/caf%C3%A9/%E4%B8%AD.yaml"

@Suite(.serialized) struct FeatureTests {
  /// The error sits after é, 😀 and 中 on a line that also holds a tab, below a CRLF line: its
  /// character differs in each encoding (UTF-16: 3 + 1 + 2 + 1; UTF-8: 3 + 2 + 4 + 3).
  @Test(arguments: [("utf-16", 7), ("utf-8", 12)])
  func reportsSyntaxErrorsAtTheirExactPlaceThenClearsThem(encoding: String, column: Int) throws {
    let server = try ServerProcess()
    let result = try server.initialize(capabilities: ["general": ["positionEncodings": [.string(encoding)]]])
    #expect(result["capabilities"]?["positionEncoding"] == .string(encoding))
    #expect(result["capabilities"]?["textDocumentSync"]?["change"] == 2)

    server.open(yamlURI, "a: 1\r\nk:\té😀中: x\r\nb: 2\r\n")
    let published = try server.diagnostics(for: yamlURI, version: 1)
    let diagnostics = try #require(published["diagnostics"]?.arrayValue)
    #expect(diagnostics.map { $0["code"] } == ["yaml-tab", "yaml-syntax"])
    #expect(diagnostics.map { $0["range"] } == [range(1, 2, 1, 3), range(1, column, 1, column + 1)])
    #expect(diagnostics.allSatisfy { $0["source"] == "slicels" && $0["severity"] == 1 })

    // Two edits in one notification (the second counts on the first), then a third.
    server.change(yamlURI, version: 2, [["range": range(1, column, 1, column + 3), "text": ""], ["range": range(1, 2, 1, 3), "text": " "]])
    server.change(yamlURI, version: 3, [["range": range(2, 4, 2, 4), "text": "0"]])
    // Edits in quick succession are analysed once, after the last (or at worst once more).
    let fixed = try server.diagnostics(for: yamlURI)
    #expect(fixed["diagnostics"] == [])
    #expect(fixed["version"] == 3 || fixed["version"] == 2)
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func outlinesFoldsAndSelectsYAML() throws {
    let server = try ServerProcess()
    try server.initialize(capabilities: [
      "textDocument": ["documentSymbol": ["hierarchicalDocumentSymbolSupport": true], "foldingRange": ["lineFoldingOnly": true]]
    ])
    let text = "name: é😀\r\nrouters:\r\n  - name: r1\r\n    ports: [1, 2]\r\n  - name: r2\r\n"
    server.open(yamlURI, text)
    let symbols = try #require(server.request(2, "textDocument/documentSymbol", ["textDocument": ["uri": .string(yamlURI)]])["result"]?.arrayValue)
    #expect(symbols.map { $0["name"] } == ["name", "routers"])
    #expect(symbols[0]["detail"] == "é😀")
    #expect(symbols[0]["range"] == range(0, 0, 0, 9))
    #expect(symbols[0]["selectionRange"] == range(0, 0, 0, 4))
    #expect(symbols[1]["kind"] == 18)
    #expect(symbols[1]["range"] == range(1, 0, 4, 12))
    #expect(symbols[1]["children"]?.arrayValue?.map { $0["name"] } == ["r1", "r2"])
    #expect(symbols[1]["children"]?[0]?["children"]?[1]?["children"]?.arrayValue?.count == 2)

    let folds = try server.request(3, "textDocument/foldingRange", ["textDocument": ["uri": .string(yamlURI)]])["result"]
    #expect(folds == [["startLine": 1, "endLine": 4], ["startLine": 2, "endLine": 3]])

    let selection = try server.request(
      4, "textDocument/selectionRange", ["textDocument": ["uri": .string(yamlURI)], "positions": [position(3, 15)]])["result"]?[0]
    var ranges: [LSPAny] = []
    var current = selection
    while let step = current, step != .null {
      ranges.append(step["range"] ?? .null)
      current = step["parent"]
    }
    #expect(
      ranges == [
        range(3, 15, 3, 16), range(3, 11, 3, 17), range(3, 4, 3, 17), range(2, 4, 3, 17), range(2, 2, 4, 12),
        range(1, 0, 4, 12), range(0, 0, 4, 12), range(0, 0, 5, 0),
      ])
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func outlinesJSONFlatForOldClientsAndFoldsToTheBracket() throws {
    let server = try ServerProcess()
    try server.initialize(capabilities: [:])
    let uri = "file:///nonexistent/a.json"
    server.open(uri, "{\n  \"a\": {\n    \"b\": [1, 2]\n  },\n  \"c\": null\n}\n", languageId: "json")
    let symbols = try #require(server.request(2, "textDocument/documentSymbol", ["textDocument": ["uri": .string(uri)]])["result"]?.arrayValue)
    #expect(symbols.map { $0["name"] } == ["a", "b", "[0]", "[1]", "c"])
    #expect(symbols.map { $0["containerName"] ?? .null } == [.null, "a", "b", "b", .null])
    #expect(symbols[4]["kind"] == 21)
    #expect(symbols[0]["location"] == ["uri": .string(uri), "range": range(1, 2, 3, 3)])
    let folds = try server.request(3, "textDocument/foldingRange", ["textDocument": ["uri": .string(uri)]])["result"]
    #expect(folds == [["startLine": 0, "endLine": 5, "endCharacter": 0], ["startLine": 1, "endLine": 3, "endCharacter": 2]])
    let selection = try server.request(
      4, "textDocument/selectionRange", ["textDocument": ["uri": .string(uri)], "positions": [position(2, 13)]])["result"]?[0]
    #expect(selection?["range"] == range(2, 13, 2, 14))
    #expect(selection?["parent"]?["range"] == range(2, 9, 2, 15))
    #expect(selection?["parent"]?["parent"]?["range"] == range(2, 4, 2, 15))
    #expect(selection?["parent"]?["parent"]?["parent"]?["range"] == range(1, 7, 3, 3))
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func shrugsOffDocumentsAndEditsItCannotUse() throws {
    let server = try ServerProcess()
    try server.initialize(capabilities: ["textDocument": ["documentSymbol": ["hierarchicalDocumentSymbolSupport": true]]])
    let markdown = "file:///nonexistent/README.md"
    server.open(markdown, "# title\n", languageId: "markdown")
    let ignored = try server.message("a log line about the ignored document") {
      $0["method"] == "window/logMessage" && $0["params"]?["message"]?.stringValue?.contains("README.md") == true
    }
    #expect(ignored["params"]?["type"] == 4)
    #expect(try server.request(2, "textDocument/documentSymbol", ["textDocument": ["uri": .string(markdown)]])["result"] == .null)
    #expect(try server.request(3, "textDocument/foldingRange", ["textDocument": ["uri": "file:///never/opened.yaml"]])["result"] == .null)
    server.change("file:///never/opened.yaml", version: 2, [["text": "a: 1"]])

    // Ranges past the end, reversed and negative are clamped; the document stays usable.
    let uri = "untitled:Untitled-1"
    server.open(uri, "a: 1\n", languageId: "yaml")
    _ = try server.diagnostics(for: uri, version: 1)
    server.change(
      uri, version: 2,
      [
        ["range": range(40, 3, 50, 0), "text": "b: [\n"], ["range": range(0, 4, 0, 1), "text": "2"],
        ["range": range(-1, -5, 0, 0), "text": ""], ["rangeLength": 3, "range": range(0, 99, 0, 99), "text": "\t"],
      ])
    let diagnostics = try server.diagnostics(for: uri)
    #expect(diagnostics["version"] == 2)
    // The text is now "a: 12\t\nb: [\n": the tab went to the end of the first line.
    #expect(diagnostics["diagnostics"]?.arrayValue?.map { $0["code"] } == ["yaml-tab", "yaml-syntax"])
    #expect(diagnostics["diagnostics"]?[0]?["range"] == range(0, 5, 0, 6))
    let symbols = try server.request(4, "textDocument/documentSymbol", ["textDocument": ["uri": .string(uri)]])["result"]
    #expect(symbols?.arrayValue != nil)
    #expect(try server.shutdownAndExit() == 0)
    #expect(!server.pending.contains { $0["method"] == "window/logMessage" && $0["params"]?["type"] == 1 })
  }

  @Test func registersFileWatchersWhenTheClientOffersDynamicRegistration() throws {
    let server = try ServerProcess()
    try server.initialize(capabilities: ["workspace": ["didChangeWatchedFiles": ["dynamicRegistration": true]]])
    let params = try server.answerRequest("client/registerCapability")
    let registration = try #require(params["registrations"]?[0])
    #expect(registration["method"] == "workspace/didChangeWatchedFiles")
    let globs = registration["registerOptions"]?["watchers"]?.arrayValue?.compactMap { $0["globPattern"] }
    #expect(globs == ["**/files/git-ops-config.yml", "**/slicels.yml", "**/files/**/*.{json,yaml,yml}", "**/git_ops/active/**", "**/project.yml"])
    // Events for watched files are taken without complaint.
    server.notify("workspace/didChangeWatchedFiles", ["changes": [["uri": "file:///nonexistent/files/git-ops-config.yml", "type": 2]]])
    #expect(try server.shutdownAndExit() == 0)
    #expect(!server.pending.contains { $0["method"] == "window/logMessage" && $0["params"]?["type"] == 1 })
  }

  @Test func answersPullsAndPushesNothingToClientsThatPull() throws {
    let server = try ServerProcess()
    let result = try server.initialize(capabilities: ["textDocument": ["diagnostic": ["dynamicRegistration": false]]])
    #expect(result["capabilities"]?["diagnosticProvider"]?["workspaceDiagnostics"] == true)
    let uri = "file:///nonexistent/b.json"
    server.open(uri, "{\"a\": 1, \"a\": 2}", languageId: "json")
    let report = try server.request(2, "textDocument/diagnostic", ["textDocument": ["uri": .string(uri)]])["result"]
    #expect(report?["kind"] == "full")
    #expect(report?["items"]?.arrayValue?.map { $0["code"] } == ["duplicate-key"])
    let resultId = try #require(report?["resultId"])
    let again = try server.request(3, "textDocument/diagnostic", ["textDocument": ["uri": .string(uri)], "previousResultId": resultId])["result"]
    #expect(again == ["kind": "unchanged", "resultId": resultId])
    let workspace = try server.request(4, "workspace/diagnostic", ["previousResultIds": []])["result"]?["items"]
    #expect(workspace?[0]?["uri"] == .string(uri))
    #expect(workspace?[0]?["version"] == 1)
    #expect(try server.shutdownAndExit() == 0)
    #expect(!server.pending.contains { $0["method"] == "textDocument/publishDiagnostics" })
  }

  @Test func fixesAFindingWithItsQuickFix() throws {
    let server = try ServerProcess()
    try server.initialize(capabilities: [
      "textDocument": ["codeAction": ["codeActionLiteralSupport": ["codeActionKind": ["valueSet": ["quickfix"]]]]],
      "workspace": ["workspaceEdit": ["documentChanges": true]],
    ])
    let uri = "file:///nonexistent/c.yaml"
    server.open(uri, "a: 1\nb:\t2\n", version: 5)
    let diagnostic = try #require(server.diagnostics(for: uri, version: 5)["diagnostics"]?[0])
    #expect(diagnostic["code"] == "yaml-tab")
    let actions = try #require(
      server.request(
        2, "textDocument/codeAction",
        ["textDocument": ["uri": .string(uri)], "range": diagnostic["range"] ?? .null, "context": ["diagnostics": [diagnostic]]])["result"]?
        .arrayValue)
    #expect(actions.count == 1)
    let action = actions[0]
    #expect(action["kind"] == "quickfix")
    #expect(action["isPreferred"] == true)
    #expect(action["diagnostics"] == [diagnostic])
    let documentEdit = try #require(action["edit"]?["documentChanges"]?[0])
    #expect(documentEdit["textDocument"] == ["uri": .string(uri), "version": 5])
    #expect(documentEdit["edits"] == [["range": range(1, 2, 1, 3), "newText": " "]])

    // The editor applies the edit: the finding goes away.
    server.change(uri, version: 6, documentEdit["edits"]?.arrayValue?.map { ["range": $0["range"] ?? .null, "text": $0["newText"] ?? .null] } ?? [])
    #expect(try server.diagnostics(for: uri, version: 6)["diagnostics"] == [])
    #expect(try server.shutdownAndExit() == 0)
  }
}
