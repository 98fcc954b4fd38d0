import Foundation
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceStore

/// Issue 12's precision fixes in the engine: what is reported, where, and with which fixes.
@Suite struct PrecisionFindingsTests {
  func analyse(_ relative: String, _ text: String) throws -> (findings: [Finding], text: String) {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write(relative, text)
    let analysis = ProjectAnalysis.analyze(root: project.root)
    return (analysis.findings[project.url(relative).standardizedFileURL] ?? [], text)
  }

  func slice(_ text: String, at range: ByteRange) -> String {
    String(decoding: Array(text.utf8)[range], as: UTF8.self)
  }

  func applying(_ edits: [TextEdit], to text: String) -> String {
    var bytes = Array(text.utf8)
    for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
      bytes.replaceSubrange(edit.range, with: Array(edit.newText.utf8))
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  @Test func aDuplicateIdentityIsReportedBesideSchemaErrors() throws {
    let (findings, text) = try analyse(
      "files/vlans/voice.yml",
      "site: bru\nvlan_id: 40\nname: voice\nmtu: 12\nports:\n  - {switch: sw1, port: 1}\n  - {switch: sw1, port: 1, tagged: true}\n")
    #expect(findings.contains { $0.code == "schema-minimum" })
    let collision = try #require(findings.first { $0.code == "identity-collision" })
    #expect(slice(text, at: collision.range) == "switch: sw1")
    #expect(collision.range.lowerBound < (text.range(of: "tagged").map { text.utf8.distance(from: text.startIndex, to: $0.lowerBound) } ?? 0))
  }

  @Test func theEditorOrderPutsErrorsFirstAndKeepsTheEngineOrderAmongEquals() {
    let note = Finding(range: 5..<8, severity: .information, code: "yaml-1.1-value", message: "note")
    let error = Finding(range: 5..<8, severity: .error, code: "schema-type", message: "error")
    let laterError = Finding(range: 1..<2, severity: .error, code: "b", message: "first in place")
    let hintA = Finding(range: 0..<1, severity: .hint, code: "a", message: "a")
    let hintB = Finding(range: 0..<1, severity: .hint, code: "a", message: "b")
    let sorted = SliceFileAnalyzer.sortedBySeverity([note, hintA, error, hintB, laterError])
    #expect(sorted.map(\.message) == ["first in place", "error", "note", "a", "b"])
  }

  @Test func yaml11NotesStayOffBooleanFieldsAndUnknownProperties() throws {
    let (findings, _) = try analyse(
      "files/vlans/voice.yml", "site: bru\nvlan_id: 40\nname: voice\ndhcp: yes\nnotes: no\nports:\n  - {switch: sw1, port: 1, tagged: on}\n")
    #expect(findings.contains { $0.code == "unknown-property" })
    #expect(!findings.contains { $0.code == "yaml-1.1-value" }, "\(findings.filter { $0.code == "yaml-1.1-value" })")
  }

  @Test func theQuoteFixIsOfferedOnlyWhereAStringIsAccepted() throws {
    let (findings, text) = try analyse("files/vlans/voice.yml", "site: no\nvlan_id: 40\nname: voice\nmtu: 1:30\n")
    let notes = findings.filter { $0.code == "yaml-1.1-value" }
    let onSite = try #require(notes.first { slice(text, at: $0.range) == "no" })
    #expect(onSite.fixes.map(\.title) == ["Quote 'no'"])
    let onMTU = try #require(notes.first { slice(text, at: $0.range) == "1:30" })
    #expect(onMTU.fixes.isEmpty)
    #expect(onMTU.message == "YAML 1.1 reads 1:30 as the base-60 number 90")
  }

  @Test func anUnknownPropertyCanBeRemovedWithItsBlockValue() throws {
    let text = "site: bru\nvlan_id: 40\nname: voice\nextra:\n  a: 1\n  b: [2]\nports:\n  - switch: sw1\n    colour: red\n    port: 1\n"
    let (findings, _) = try analyse("files/vlans/voice.yml", text)
    let unknown = findings.filter { $0.code == "unknown-property" }
    #expect(unknown.count == 2)
    for finding in unknown {
      let remove = try #require(finding.fixes.first { $0.title == "Remove unknown property" })
      let name = slice(text, at: finding.range)
      let fixed = applying(remove.edits, to: text)
      if name == "extra" {
        #expect(fixed == "site: bru\nvlan_id: 40\nname: voice\nports:\n  - switch: sw1\n    colour: red\n    port: 1\n")
      } else {
        #expect(fixed == "site: bru\nvlan_id: 40\nname: voice\nextra:\n  a: 1\n  b: [2]\nports:\n  - switch: sw1\n    port: 1\n")
      }
    }
  }

  @Test func anUnknownMemberIsRemovedWithItsCommaInJSON() throws {
    let text = "{\n  \"site\": \"bru\",\n  \"extra\": {\"a\": 1},\n  \"vlan_id\": 40,\n  \"name\": \"voice\",\n  \"colour\": \"red\"\n}\n"
    let (findings, _) = try analyse("files/vlans/voice.json", text)
    let fixed = findings.filter { $0.code == "unknown-property" }.compactMap { finding in
      finding.fixes.first { $0.title == "Remove unknown property" }.map { applying($0.edits, to: text) }
    }
    #expect(
      fixed.sorted() == [
        "{\n  \"site\": \"bru\",\n  \"extra\": {\"a\": 1},\n  \"vlan_id\": 40,\n  \"name\": \"voice\"\n}\n",
        "{\n  \"site\": \"bru\",\n  \"vlan_id\": 40,\n  \"name\": \"voice\",\n  \"colour\": \"red\"\n}\n",
      ].sorted())
  }

  @Test func aCoercedValueIsSpelledAsTheFileWritesIt() throws {
    let (findings, text) = try analyse(
      "files/vlans/voice.yml", "site: bru\nvlan_id: 40\nname: voice\nports:\n  - {switch: sw1, port: 1, tagged: 'true'}\n")
    let coerced = try #require(findings.first { $0.code == "coerced-value" })
    #expect(slice(text, at: coerced.range) == "'true'")
    #expect(coerced.message == "the update compile writes this value as true")
    #expect(coerced.fixes.first?.title == "Write true")
  }

  @Test func anUnknownKeyOfSlicelsYmlIsReportedWithASuggestion() throws {
    let text = "stors:\n  fs:\n    folder: files/fs\nlimits: {max_file_size: 64MiB}\nfrobnicate: 1\n"
    let (findings, _) = try analyse("slicels.yml", text)
    let unknown = findings.filter { $0.code == "config-unknown-key" }
    #expect(unknown.map { slice(text, at: $0.range) } == ["stors", "frobnicate"])
    #expect(unknown.allSatisfy { $0.severity == .warning })
    #expect(unknown.first?.message == "unknown setting 'stors' (did you mean 'stores'?): expected stores, compile or limits")
    #expect(unknown.last?.message == "unknown setting 'frobnicate': expected stores, compile or limits")
  }

  @Test func anUnknownKeyOfGitOpsConfigIsReportedWhereTheModuleWouldIgnoreIt() throws {
    let text =
      "stores:\n  - store_name: fs\n    schema_pth: inmanta:///files/schemas/fs.json\n  - store_name: vlans\n    schema_path: inmanta:///files/schemas/vlans.json\nstors: []\n"
    let (findings, _) = try analyse("files/git-ops-config.yml", text)
    let unknown = findings.filter { $0.code == "config-unknown-key" }
    #expect(unknown.map { slice(text, at: $0.range) } == ["schema_pth", "stors"])
    #expect(unknown.allSatisfy { $0.severity == .warning })
    #expect(
      unknown.first?.message
        == "unknown store setting of the git-ops module 'schema_pth' (did you mean 'schema_path'?): expected store_name or schema_path")
  }
}
