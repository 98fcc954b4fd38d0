import Foundation
import LanguageServerProtocol
import SliceTestSupport
import Testing

/// The engine's findings through the real binary: a copy of the example project, a slice opened
/// and edited in the editor, diagnostics at exact positions in the negotiated encoding.
@Suite(.serialized) struct ProjectDiagnosticsTests {
  static func exampleCopy() throws -> URL {
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-e2e-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: TestPackage.exampleProject, to: copy)
    return copy
  }

  /// Waits for the diagnostics of one URI whose list satisfies `accept`.
  static func diagnostics(_ server: ServerProcess, uri: String, until accept: ([LSPAny]) -> Bool) throws -> [LSPAny] {
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline {
      let note = try server.notification("textDocument/publishDiagnostics", timeout: deadline.timeIntervalSinceNow)
      guard note["params"]?["uri"]?.stringValue == uri, case .array(let items)? = note["params"]?["diagnostics"] else { continue }
      if accept(items) { return items }
    }
    throw EndToEndFailure(description: "no matching diagnostics for \(uri)")
  }

  @Test(arguments: [("utf-16", 28), ("utf-8", 30)])
  func unknownPropertyIsReportedAtItsPlaceInTheNegotiatedEncoding(encoding: String, character: Int) throws {
    let project = try Self.exampleCopy()
    defer { try? FileManager.default.removeItem(at: project) }
    let file = project.appendingPathComponent("files/vlans/office.yaml")
    let uri = file.absoluteString
    let server = try ServerProcess()
    let offered: [LSPAny] = encoding == "utf-8" ? ["utf-8", "utf-16"] : ["utf-16"]
    try server.initialize(capabilities: [
      "general": ["positionEncodings": .array(offered)],
      "textDocument": ["publishDiagnostics": ["relatedInformation": true]],
    ])
    server.notify("initialized", [:])
    // "name: 😀 é office" then a typo'd property on the next line, after a tab-free indent.
    let text = try String(contentsOf: file, encoding: .utf8)
      .replacingOccurrences(of: "name: office\n", with: "name: \"😀 é office\" # 😀😀\ndescriptoin: typo\n")
      .replacingOccurrences(of: "subnets: [10.10.0.0/24]", with: "subnets: [10.10.0.0/24, 😀, 5]")
    server.notify(
      "textDocument/didOpen",
      ["textDocument": ["uri": .string(uri), "languageId": "yaml", "version": 1, "text": .string(text)]])
    let items = try Self.diagnostics(server, uri: uri) { items in
      items.contains { $0["code"] == "unknown-property" }
    }
    let unknown = try #require(items.first { $0["code"] == "unknown-property" })
    #expect(unknown["severity"] == 2)
    #expect(unknown["message"]?.stringValue?.contains("description") == true)
    let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("descriptoin") })
    #expect(unknown["range"]?["start"] == ["line": .int(line), "character": 0])
    #expect(unknown["range"]?["end"] == ["line": .int(line), "character": 11])
    // A number in a list of strings, after an emoji: the column depends on the encoding.
    let wrongType = try #require(items.first { $0["code"] == "schema-type" })
    let subnetsLine = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("subnets") })
    #expect(wrongType["range"]?["start"] == ["line": .int(subnetsLine), "character": .int(character)])
    #expect(wrongType["range"]?["end"] == ["line": .int(subnetsLine), "character": .int(character + 1)])
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func purgedElementsAreAnchoredWithTheActiveFileAsRelatedInformation() throws {
    let project = try Self.exampleCopy()
    defer { try? FileManager.default.removeItem(at: project) }
    let file = project.appendingPathComponent("files/vlans/office.yaml")
    let server = try ServerProcess()
    try server.initialize(capabilities: ["textDocument": ["publishDiagnostics": ["relatedInformation": true]]])
    server.notify("initialized", [:])
    let text = try String(contentsOf: file, encoding: .utf8)
    server.notify(
      "textDocument/didOpen",
      ["textDocument": ["uri": .string(file.absoluteString), "languageId": "yaml", "version": 1, "text": .string(text)]])
    let items = try Self.diagnostics(server, uri: file.absoluteString) { items in
      items.contains { $0["code"] == "purged-element" }
    }
    let purged = items.filter { $0["code"] == "purged-element" }
    #expect(purged.count == 2)
    let portsLine = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("ports:") })
    for item in purged {
      #expect(item["severity"] == 4)
      #expect(item["range"]?["start"] == ["line": .int(portsLine), "character": 0])
      let related = try #require(item["relatedInformation"]?[0])
      #expect(related["location"]?["uri"]?.stringValue?.removingPercentEncoding?.contains("git_ops/active/vlans/office@v") == true)
    }
    #expect(try server.shutdownAndExit() == 0)
  }

  @Test func aChangeToOneSliceIsSeenInAnotherClosedOne() throws {
    let project = try Self.exampleCopy()
    defer { try? FileManager.default.removeItem(at: project) }
    let server = try ServerProcess()
    try server.initialize()
    server.notify("initialized", [:])
    // A second file for the slice "office" in another format clashes with the closed office.yaml.
    let clash = project.appendingPathComponent("files/vlans/office.json")
    server.notify(
      "textDocument/didOpen",
      ["textDocument": ["uri": .string(clash.absoluteString), "languageId": "json", "version": 1, "text": "{}"]])
    let closedURI = project.appendingPathComponent("files/vlans/office.yaml").absoluteString
    let items = try Self.diagnostics(server, uri: closedURI) { items in
      items.contains { $0["code"] == "slice-name-clash" }
    }
    #expect(!items.isEmpty)
    #expect(try server.shutdownAndExit() == 0)
  }
}
