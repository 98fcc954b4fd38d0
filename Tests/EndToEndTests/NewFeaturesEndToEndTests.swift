import Foundation
import LanguageServerProtocol
import SliceTestSupport
import Testing

/// Formatting, document links, workspace symbols and the configuration files' help through the
/// real binary, on a copy of the example project.
@Suite(.serialized) struct NewFeaturesEndToEndTests {
  typealias Editor = EditorFeatureEndToEndTests

  static func identifier(_ file: URL) -> LSPAny { ["uri": .string(file.absoluteString)] }

  static func range(_ start: (Int, Int), _ end: (Int, Int)) -> LSPAny {
    ["start": Editor.position(start), "end": Editor.position(end)]
  }

  @Test(arguments: ["utf-16", "utf-8"])
  func formattingAnswersMinimalEditsInTheNegotiatedEncoding(encoding: String) throws {
    let project = try ProjectDiagnosticsTests.exampleCopy()
    defer { try? FileManager.default.removeItem(at: project) }
    let server = try ServerProcess()
    let result = try server.initialize(capabilities: Editor.capabilities(encoding))
    #expect(result["capabilities"]?["documentFormattingProvider"] == true)

    // YAML: the trailing spaces after an emoji go; the tab inside the quoted value and the
    // trailing spaces inside the block scalar stay; CRLF stays.
    let yaml = project.appendingPathComponent("files/vlans/office.yaml")
    Editor.open(server, yaml, "name: \"😀\tx\"  \r\nnote: |\r\n  kept  \r\nsite: bru\r\n")
    let yamlEdits = try server.request(
      2, "textDocument/formatting", ["textDocument": Self.identifier(yaml), "options": ["tabSize": 4, "insertSpaces": false]])
    let emojiWidth = encoding == "utf-8" ? 4 : 2
    let end = "name: \"".count + emojiWidth + "\tx\"".count
    #expect(yamlEdits["result"] == [["range": Self.range((0, end), (0, end + 2)), "newText": ""]])

    // JSON: pretty-printed with the client's indent, as one edit of the changed span.
    let json = project.appendingPathComponent("files/fs/db01.json")
    Editor.open(server, json, "{\"host\":\"😀\",\r\n\"n\":1}\r\n")
    let jsonEdits = try server.request(
      3, "textDocument/formatting", ["textDocument": Self.identifier(json), "options": ["tabSize": 2, "insertSpaces": true]])
    #expect(jsonEdits["result"] == [["range": Self.range((0, 1), (1, 5)), "newText": "\r\n  \"host\": \"😀\",\r\n  \"n\": 1\r\n"]])

    // Syntax errors: no edits, and no error.
    let broken = project.appendingPathComponent("files/vlans/voice.yml")
    Editor.open(server, broken, "a: [1,\n")
    let none = try server.request(
      4, "textDocument/formatting", ["textDocument": Self.identifier(broken), "options": ["tabSize": 2, "insertSpaces": true]])
    #expect(none["result"] == [])
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func documentLinksLeadToSchemasRefsAndVersions() throws {
    let project = try ProjectDiagnosticsTests.exampleCopy()
    defer { try? FileManager.default.removeItem(at: project) }
    let server = try ServerProcess()
    let result = try server.initialize(capabilities: Editor.capabilities("utf-16"))
    #expect(result["capabilities"]?["documentLinkProvider"] != nil)

    let config = project.appendingPathComponent("files/git-ops-config.yml")
    let configText = try String(contentsOf: config, encoding: .utf8)
    Editor.open(server, config, configText)
    let configLinks = try #require(
      try server.request(2, "textDocument/documentLink", ["textDocument": Self.identifier(config)])["result"]?.arrayValue)
    let lines = configText.split(separator: "\n", omittingEmptySubsequences: false)
    let line = try #require(lines.firstIndex { $0.contains("schemas/fs.json") })
    let column = try #require(lines[line].range(of: "inmanta:///")).lowerBound.utf16Offset(in: lines[line])
    #expect(configLinks.first?["range"] == Self.range((line, column), (line, lines[line].utf16.count)))
    #expect(configLinks.first?["target"]?.stringValue?.hasSuffix("/files/schemas/fs.json") == true)
    #expect(configLinks.count == 2)

    let source = project.appendingPathComponent("files/vlans/office.yaml")
    Editor.open(server, source, try String(contentsOf: source, encoding: .utf8))
    let sourceLinks = try #require(
      try server.request(3, "textDocument/documentLink", ["textDocument": Self.identifier(source)])["result"]?.arrayValue)
    #expect(sourceLinks.compactMap { $0["target"]?.stringValue?.removingPercentEncoding?.split(separator: "/").last } == [
      "office@v2.json", "office@v1.json",
    ])

    let active = project.appendingPathComponent("git_ops/active/vlans/office@v2.json")
    Editor.open(server, active, try String(contentsOf: active, encoding: .utf8))
    let activeLinks = try #require(
      try server.request(4, "textDocument/documentLink", ["textDocument": Self.identifier(active)])["result"]?.arrayValue)
    #expect(activeLinks.compactMap { $0["target"]?.stringValue?.split(separator: "/").last } == ["office.yaml"])

    let schema = project.appendingPathComponent("files/schemas/vlans.json")
    let schemaText = try String(contentsOf: schema, encoding: .utf8)
    Editor.open(server, schema, schemaText)
    let refLinks = try #require(
      try server.request(5, "textDocument/documentLink", ["textDocument": Self.identifier(schema)])["result"]?.arrayValue)
    let ref = try #require(refLinks.first)
    let schemaLines = schemaText.split(separator: "\n", omittingEmptySubsequences: false)
    let refLine = try #require(ref["range"]?["start"]?["line"]?.intValue)
    let start = try #require(ref["range"]?["start"]?["character"]?.intValue)
    let stop = try #require(ref["range"]?["end"]?["character"]?.intValue)
    let written = String(schemaLines[refLine].utf16.dropFirst(start).prefix(stop - start)) ?? ""
    #expect(written.hasPrefix("#/$defs/"))
    let target = try #require(ref["target"]?.stringValue)
    let fragment = try #require(target.split(separator: "#").last)
    let targetLine = try #require(Int(fragment.dropFirst().split(separator: ",").first ?? ""))
    #expect(schemaLines[targetLine - 1].contains("\"\(written.dropFirst("#/$defs/".count))\""))
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func workspaceSymbolsListSlicesOfEveryStoreByName() throws {
    let project = try ProjectDiagnosticsTests.exampleCopy()
    defer { try? FileManager.default.removeItem(at: project) }
    let server = try ServerProcess()
    let result = try server.initialize(capabilities: [
      "workspace": ["workspaceFolders": true]
    ])
    #expect(result["capabilities"]?["workspaceSymbolProvider"] == true)
    // The workspace folder alone: no document is open.
    let folder: LSPAny = ["uri": .string(project.absoluteString), "name": "project"]
    server.notify("workspace/didChangeWorkspaceFolders", ["event": ["added": [folder], "removed": []]])
    let all = try #require(try server.request(2, "workspace/symbol", ["query": ""])["result"]?.arrayValue)
    let names = all.compactMap { $0["name"]?.stringValue }
    #expect(names.contains("vlans/office (source)"))
    #expect(names.contains("vlans/office v2 (active)"))
    #expect(names.contains("fs/web01 v3 (active)"))
    let some = try #require(try server.request(3, "workspace/symbol", ["query": "vlof"])["result"]?.arrayValue)
    #expect(some.compactMap { $0["name"]?.stringValue } == ["vlans/office (source)", "vlans/office v1 (active)", "vlans/office v2 (active)"])
    #expect(some.first?["location"]?["uri"]?.stringValue?.hasSuffix("/files/vlans/office.yaml") == true)
    #expect(some.first?["location"]?["range"] == Self.range((0, 0), (0, 0)))
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func configurationFilesGetDiagnosticsCompletionAndHover() throws {
    let project = try ProjectDiagnosticsTests.exampleCopy()
    defer { try? FileManager.default.removeItem(at: project) }
    let server = try ServerProcess()
    try server.initialize(capabilities: [
      "textDocument": ["hover": ["contentFormat": ["markdown"]]]
    ])
    server.notify("initialized", [:])
    let own = project.appendingPathComponent("slicels.yml")
    Editor.open(server, own, "stors: {}\ncompile:\n  command: [inmanta]\nlimits:\n  \n")
    let warnings = try ProjectDiagnosticsTests.diagnostics(server, uri: own.absoluteString) { items in
      items.contains { $0["code"] == "config-unknown-key" }
    }
    let typo = try #require(warnings.first { $0["code"] == "config-unknown-key" })
    #expect(typo["range"] == Self.range((0, 0), (0, 5)))

    let completion = try server.request(
      2, "textDocument/completion", ["textDocument": Self.identifier(own), "position": Editor.position((4, 2))])
    let labels = completion["result"]?["items"]?.arrayValue?.compactMap { $0["label"]?.stringValue }
    #expect(labels == ["max_file_size"])
    let hover = try server.request(
      3, "textDocument/hover", ["textDocument": Self.identifier(own), "position": Editor.position((2, 4))])
    #expect(hover["result"]?["contents"]?["value"]?.stringValue?.contains("compile command and its arguments") == true)
    #expect(hover["result"]?["range"] == Self.range((2, 2), (2, 9)))

    let module = project.appendingPathComponent("files/git-ops-config.yml")
    Editor.open(server, module, "stores:\n  - store_name: fs\n    schema_pth: x\n")
    let moduleWarnings = try ProjectDiagnosticsTests.diagnostics(server, uri: module.absoluteString) { items in
      items.contains { $0["code"] == "config-unknown-key" }
    }
    #expect(moduleWarnings.first { $0["code"] == "config-unknown-key" }?["range"] == Self.range((2, 4), (2, 14)))
    let moduleHover = try server.request(
      4, "textDocument/hover", ["textDocument": Self.identifier(module), "position": Editor.position((1, 6))])
    #expect(moduleHover["result"]?["contents"]?["value"]?.stringValue?.contains("store's name") == true)
    #expect(try server.shutdownAndExit() == 0)
  }
}
