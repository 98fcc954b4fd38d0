import Foundation
import LanguageServerProtocol
import Testing

/// Files changed outside the editor, with a client that cannot watch files for the server
/// (Neovim 0.7: no dynamic registration of `workspace/didChangeWatchedFiles`): the server sees
/// them itself.
@Suite(.serialized) struct FileWatchingEndToEndTests {
  static let neovim07Capabilities: LSPAny = [
    "workspace": ["didChangeWatchedFiles": ["dynamicRegistration": false], "applyEdit": true],
    "textDocument": ["publishDiagnostics": ["relatedInformation": true]],
  ]

  @Test func seesAClosedSliceWrittenAndDeletedOnDisk() throws {
    let project = try ProjectDiagnosticsTests.exampleCopy()
    defer { try? FileManager.default.removeItem(at: project) }
    let server = try ServerProcess()
    try server.initialize(capabilities: Self.neovim07Capabilities)
    server.notify("initialized", [:])
    let office = project.appendingPathComponent("files/vlans/office.yaml")
    let uri = office.absoluteString
    server.notify(
      "textDocument/didOpen",
      [
        "textDocument": [
          "uri": .string(uri), "languageId": "yaml", "version": 1, "text": .string(try String(contentsOf: office, encoding: .utf8)),
        ]
      ])
    let first = try ProjectDiagnosticsTests.diagnostics(server, uri: uri) { _ in true }
    #expect(!first.contains { $0["code"] == "slice-name-clash" })
    _ = try server.message(timeout: 20, "the server watching the project") {
      $0["method"] == "window/logMessage"
        && $0["params"]?["message"]?.stringValue?.contains("watches the project folders itself") == true
    }

    // Written from a shell the way a commit writes: a hidden temporary file renamed over the target.
    let temporary = project.appendingPathComponent("files/vlans/.slicels-1-0000abcd.tmp")
    try Data("{}".utf8).write(to: temporary)
    let clash = project.appendingPathComponent("files/vlans/office.json")
    try FileManager.default.moveItem(at: temporary, to: clash)
    let clashing = try ProjectDiagnosticsTests.diagnostics(server, uri: uri) { items in
      items.contains { $0["code"] == "slice-name-clash" }
    }
    #expect(!clashing.isEmpty)

    try FileManager.default.removeItem(at: clash)
    _ = try ProjectDiagnosticsTests.diagnostics(server, uri: uri) { items in
      !items.contains { $0["code"] == "slice-name-clash" }
    }
    #expect(try server.shutdownAndExit() == 0)
  }
}
