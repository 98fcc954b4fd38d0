import Foundation
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// The code registry is the one list of diagnostic codes: the README's table, SARIF's rules and
/// every emitter in Sources/ agree with it.
@Suite struct FindingCodeRegistryTests {
  @Test func everyCodeHasAStableSpellingAndAOneLineMeaning() {
    for code in FindingCode.allCases {
      let spelling = code.rawValue.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
      #expect(spelling && !code.rawValue.hasPrefix("-") && !code.rawValue.hasSuffix("-"), "\(code.rawValue)")
      #expect(!code.meaning.isEmpty && !code.meaning.contains("\n"), "\(code.rawValue)")
      #expect(!code.entry.severities.isEmpty && Set(code.entry.severities).count == code.entry.severities.count, "\(code.rawValue)")
    }
  }

  /// The codes users' CI configurations and the reference suite match: renaming one is a breaking change.
  @Test func codesKeepTheirSpellingAndSeverity() {
    let expected: [(FindingCode, String, Finding.Severity)] = [
      (.yamlSyntax, "yaml-syntax", .error), (.jsonSyntax, "json-syntax", .error), (.duplicateKey, "duplicate-key", .warning),
      (.yaml11Value, "yaml-1.1-value", .hint), (.coercedValue, "coerced-value", .warning),
      (.unknownProperty, "unknown-property", .warning), (.updateRewrote, "update-rewrote", .information),
      (.outsideStore, "outside-store", .information), (.nextVersion, "next-version", .hint),
      (.schemaIPv4Address, "schema-ip-v4-address", .error), (.activeFileFormat, "active-file-format", .warning),
      (.interruptedCommit, "interrupted-commit", .warning), (.projectProblem, "project-problem", .information),
    ]
    for (code, spelling, severity) in expected {
      #expect(code.rawValue == spelling)
      #expect(code.severity == severity, "\(spelling)")
    }
  }

  /// The README's table of codes is the registry's (`slicels codes` prints it).
  @Test func readmeCodeTableIsTheRegistrys() throws {
    let readme = try String(contentsOf: TestPackage.root.appendingPathComponent("README.md"), encoding: .utf8)
    let lines = readme.components(separatedBy: "\n")
    let heading = try #require(lines.firstIndex(of: "## Diagnostic codes"))
    let start = try #require(lines[heading...].firstIndex { $0.hasPrefix("|") })
    let end = lines[start...].firstIndex { !$0.hasPrefix("|") } ?? lines.endIndex
    let table = lines[start..<end].map { $0 + "\n" }.joined()
    #expect(table == FindingCodeTable.markdown(), "README.md's table differs: replace it with the output of `slicels codes`")
  }

  /// Codes are spelled only in the registry: an emitter writes `.yamlSyntax`, never "yaml-syntax".
  @Test func sourcesSpellNoCodeOutsideTheRegistry() throws {
    let sources = TestPackage.root.appendingPathComponent("Sources")
    let quoted = FindingCode.allCases.map { "\"\($0.rawValue)\"" }
    var offenders: [String] = []
    let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
    for case let file as URL in files where file.pathExtension == "swift" && file.lastPathComponent != "FindingCode.swift" {
      let text = try String(contentsOf: file, encoding: .utf8)
      for literal in quoted where text.contains(literal) { offenders.append("\(file.lastPathComponent): \(literal)") }
    }
    #expect(offenders.isEmpty, "\(offenders)")
  }

  @Test func sarifRulesComeFromTheRegistry() throws {
    let document = TextDocument(text: "a: 1\n")
    let findings = [
      Finding(range: 0..<1, code: .unknownProperty, message: "m"),
      Finding(range: 0..<1, severity: .error, code: "not-registered", message: "m"),
    ]
    let sarif = FindingReport.sarif(
      [ReportedFile(file: URL(fileURLWithPath: "/p/a.yaml"), document: document, findings: findings)],
      relativeTo: URL(fileURLWithPath: "/p"))
    let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    let rules = try #require(driver["rules"] as? [[String: Any]])
    #expect(rules.map { $0["id"] as? String } == ["unknown-property", "not-registered"])
    #expect((rules[0]["shortDescription"] as? [String: Any])?["text"] as? String == FindingCode.unknownProperty.meaning)
    #expect((rules[0]["defaultConfiguration"] as? [String: Any])?["level"] as? String == "warning")
    #expect((rules[0]["properties"] as? [String: Any])?["quickFix"] as? String == "rename to a close property, or remove the entry")
    #expect(rules[1].keys.sorted() == ["id"])
  }

  @Test func findingsTakeTheirCodesDefaultSeverity() {
    #expect(Finding(range: 0..<0, code: .duplicateKey, message: "m").severity == .warning)
    #expect(Finding(range: 0..<0, code: .duplicateKey, message: "m").code == "duplicate-key")
    #expect(Finding(range: 0..<0, code: .duplicateKey, message: "m").registeredCode == .duplicateKey)
  }
}
