import Foundation
import HostileInputCorpus
import LanguageServerProtocol
import Testing

/// The hostile-input corpus through the real binary: `slicels check` on a copy of the example
/// project with each input as a source slice, and the language server opening a few of them.
// One case at a time: the large inputs must not starve the time-bounded tests that run
// alongside in the same `swift test`.
@Suite(.serialized) struct HostileInputEndToEndTests {
  /// Hang guards, not performance bounds: debug builds on a busy machine are slow.
  static let checkTimeout: TimeInterval = 30
  static let outputLimit = 1 << 20
  /// What each of a case's many findings may add to the output: its message stays bounded
  /// whatever the input (about 450 bytes of JSON or 100 of text an `unknown-property` today).
  static let outputPerFinding = 1 << 10

  static func outputLimit(for hostile: HostileCase) -> Int {
    hostile.findingCount > 1 ? outputLimit + hostile.findingCount * outputPerFinding : outputLimit
  }

  /// A copy of the example project with the case's file as a source slice of the vlans store
  /// (and its schema in place of the store's, when it has one).
  static func project(with hostile: HostileCase) throws -> (project: URL, file: URL) {
    let project = try ProjectDiagnosticsTests.exampleCopy()
    let file = project.appendingPathComponent("files/vlans/\(hostile.fileName)")
    try Data(hostile.bytes()).write(to: file)
    if let schema = hostile.schema {
      try Data(schema()).write(to: project.appendingPathComponent("files/schemas/vlans.json"))
    }
    return (project, file)
  }

  @Test(arguments: HostileCorpus.cases)
  func checkReportsAtThePlaceOrAccepts(_ hostile: HostileCase) throws {
    let (project, _) = try Self.project(with: hostile)
    defer { try? FileManager.default.removeItem(at: project) }
    let run = try BoundedCommandRun.run(["check", "--format", "json"], in: project, timeout: Self.checkTimeout)
    print("hostile check \(hostile): \(run.ending) in \(run.elapsed) s, \(run.standardOutputCount) bytes")
    #expect(run.ending == .exited(0) || run.ending == .exited(1), "\(run.ending); stderr: \(run.standardErrorText)")
    #expect(run.standardOutputCount < Self.outputLimit(for: hostile))
    #expect(run.standardErrorCount < Self.outputLimit, "\(run.standardErrorText)")
    guard run.ending == .exited(0) || run.ending == .exited(1), run.standardOutputCount < Self.outputLimit(for: hostile) else {
      return
    }

    let findings = try #require(try LSPJSONParser.parse(run.standardOutput).arrayValue, "a JSON array of findings")
    let path = "files/vlans/\(hostile.fileName)"
    let own = findings.filter { $0["path"]?.stringValue == path }
    func summary(_ items: [LSPAny]) -> [String] {
      items.prefix(5).map {
        "\($0["path"]?.stringValue ?? "?"):\($0["start"]?["line"]?.intValue ?? 0):\($0["start"]?["column"]?.intValue ?? 0) \($0["code"]?.stringValue ?? "?") \($0["message"]?.stringValue?.prefix(200) ?? "")"
      }
    }
    // A case with its own schema is judged on its file: the project's other vlan slices do not
    // fit that schema.
    let ownSchema = hostile.schema != nil
    switch hostile.expectation {
    case .valid:
      #expect(run.ending == .exited(0) || ownSchema, "\(summary(findings))")
      if ownSchema {
        #expect(!own.contains { ["error", "warning"].contains($0["severity"]?.stringValue) }, "\(summary(own))")
      } else {
        #expect(findings.isEmpty, "\(summary(findings))")
      }
    case .syntaxError(let code, let line, let column), .schemaFinding(let code, let line, let column):
      #expect(run.ending == .exited(1))
      let matching = own.filter {
        $0["code"]?.stringValue == code && $0["start"]?["line"]?.intValue == line && $0["start"]?["column"]?.intValue == column
      }
      #expect(matching.count >= 1, "no \(code) at \(line):\(column); found \(summary(own))")
      // The bad file speaks for itself only: the rest of the project stays clean.
      #expect(own.count == findings.count || ownSchema, "\(summary(findings.filter { $0["path"]?.stringValue != path }))")
    }
  }

  /// The issue's sizes, through the text format: a hundred thousand findings make 43 MB of
  /// JSON, beyond what the run keeps, but 9 MB of text, whose lines are searched here.
  @Test(arguments: HostileCorpus.issueSizedCases)
  func checkStaysBoundedAtTheIssueSizes(_ hostile: HostileCase) throws {
    let (project, _) = try Self.project(with: hostile)
    defer { try? FileManager.default.removeItem(at: project) }
    let run = try BoundedCommandRun.run(
      ["check"], in: project, timeout: Self.checkTimeout, outputCap: Self.outputLimit(for: hostile) + 1)
    print("hostile check \(hostile): \(run.ending) in \(run.elapsed) s, \(run.standardOutputCount) bytes")
    #expect(run.ending == .exited(0) || run.ending == .exited(1), "\(run.ending); stderr: \(run.standardErrorText)")
    #expect(run.standardOutputCount < Self.outputLimit(for: hostile))
    #expect(run.standardErrorCount < Self.outputLimit, "\(run.standardErrorText)")
    guard run.ending == .exited(0) || run.ending == .exited(1), run.standardOutputCount == run.standardOutput.count else {
      return
    }
    let path = "files/vlans/\(hostile.fileName)"
    let own = String(decoding: run.standardOutput, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix(path + ":") }
    switch hostile.expectation {
    case .valid:
      #expect(!own.contains { $0.contains(": error: ") || $0.contains(": warning: ") }, "\(own.prefix(5))")
    case .syntaxError(let code, let line, let column), .schemaFinding(let code, let line, let column):
      #expect(run.ending == .exited(1))
      let place = "\(path):\(line):\(column): "
      #expect(own.contains { $0.hasPrefix(place) && $0.hasSuffix(" [\(code)]") }, "no \(code) at \(line):\(column); found \(own.prefix(5))")
    }
  }

  /// Crashed `slicels check` before issue 8's fixes (see `HostileCorpus.crashReproducers`).
  @Test(arguments: HostileCorpus.crashReproducers)
  func checkDoesNotCrash(_ hostile: HostileCase) throws {
    try checkStaysBoundedAtTheIssueSizes(hostile)
  }

  /// The server opens hostile documents one after the other: each gets its diagnostics, the
  /// server keeps answering, and the session ends cleanly.
  @Test func serverPublishesDiagnosticsForHostileDocumentsAndStaysAlive() throws {
    let project = try ProjectDiagnosticsTests.exampleCopy()
    defer { try? FileManager.default.removeItem(at: project) }
    let server = try ServerProcess()
    try server.initialize()
    for (index, hostile) in HostileCorpus.serverCases.enumerated() {
      let bytes = try hostile.bytes()
      let text = try #require(String(validating: bytes, as: UTF8.self), "\(hostile) is text an editor can send")
      let uri = project.appendingPathComponent("files/vlans/\(hostile.fileName)").absoluteString
      server.notify(
        "textDocument/didOpen",
        ["textDocument": ["uri": .string(uri), "languageId": .string(hostile.fileExtension), "version": 1, "text": .string(text)]])
      let diagnostics = try ProjectDiagnosticsTests.diagnostics(server, uri: uri) { _ in true }
      let summary = diagnostics.prefix(5).map { "\($0["code"]?.stringValue ?? "?") \($0["range"]?["start"] ?? .null)" }
      switch hostile.expectation {
      case .valid:
        #expect(!diagnostics.contains { ($0["severity"]?.intValue ?? 1) <= 2 }, "\(hostile): \(summary)")
      case .syntaxError(let code, let line, let column), .schemaFinding(let code, let line, let column):
        // The corpus's server cases are ASCII up to the finding: characters are UTF-16 units.
        let start: LSPAny = ["line": .int(line - 1), "character": .int(column - 1)]
        #expect(diagnostics.contains { $0["code"]?.stringValue == code && $0["range"]?["start"] == start }, "\(hostile): \(summary)")
      }
      let answer = try server.request(100 + index, "slicels/ping", timeout: 20)
      #expect(answer["error"]?["code"] == -32601, "\(hostile): still answering")
      server.notify("textDocument/didClose", ["textDocument": ["uri": .string(uri)]])
    }
    #expect(try server.shutdownAndExit() == 0)
  }
}
