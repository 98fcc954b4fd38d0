import Foundation
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceStore

@Suite struct ProjectAnalysisTests {
  func findings(_ analysis: ProjectAnalysis, _ relative: String) -> [Finding] {
    analysis.findings[analysis.root.appendingPathComponent(relative).standardizedFileURL] ?? []
  }

  func text(_ project: TemporaryProject, _ relative: String, _ range: ByteRange) -> String {
    let bytes = Array((project.read(relative) ?? "").utf8)
    return String(decoding: bytes[range], as: UTF8.self)
  }

  @Test func theExampleProjectHasNoErrorsOrWarnings() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let analysis = ProjectAnalysis.analyze(root: project.root)
    let serious = analysis.findings.values.flatMap { $0 }.filter { $0.severity <= .warning }
    #expect(serious.isEmpty, "\(serious)")
    #expect(analysis.problems.isEmpty)
    #expect(analysis.stores.map(\.name).sorted() == ["fs", "vlans"])
    // office v2 → v3 with two ports purged, each anchored on `ports:` with the active file related.
    let office = findings(analysis, "files/vlans/office.yaml")
    let purged = office.filter { $0.code == "purged-element" }
    #expect(purged.count == 2)
    for finding in purged {
      #expect(text(project, "files/vlans/office.yaml", finding.range) == "ports")
      #expect(finding.related.first?.path?.contains("git_ops/active/vlans/office@v") == true)
    }
    #expect(office.contains { $0.code == "next-version" && $0.message.contains("v3") })
  }

  @Test func identityCollisionsPointAtTheDroppedItem() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write(
      "files/vlans/voice.yml",
      "site: bru\nvlan_id: 40\nname: voice\nports:\n  - {switch: sw1, port: 1}\n  - {switch: sw1, port: 1, tagged: true}\n")
    let analysis = ProjectAnalysis.analyze(root: project.root)
    let collision = try #require(findings(analysis, "files/vlans/voice.yml").first { $0.code == "identity-collision" })
    #expect(collision.severity == .warning)
    #expect(text(project, "files/vlans/voice.yml", collision.range) == "switch: sw1")
    #expect(collision.related.first.map { text(project, "files/vlans/voice.yml", $0.range) } == "switch: sw1")
    #expect(collision.related.first?.range.lowerBound ?? 0 > collision.range.lowerBound)
  }

  @Test func yaml11ReadingsAreExplained() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("files/vlans/voice.yml", "site: no\nvlan_id: 0o17\nname: voice\n")
    let analysis = ProjectAnalysis.analyze(root: project.root)
    let voice = findings(analysis, "files/vlans/voice.yml")
    let note = try #require(voice.first { $0.code == "yaml-1.1-value" })
    #expect(note.severity == .information)
    #expect(note.message.contains("reads no as false"))
    #expect(note.fixes.first?.edits.first?.newText == "'no'")
    #expect(voice.contains { $0.code == "schema-type" && $0.range == note.range })
  }

  @Test func unsavedBuffersAreReadInsteadOfTheDisk() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    // A new, unsaved slice that clashes with office.yaml, and an edited active file.
    let clash = project.url("files/vlans/office.json").standardizedFileURL
    let active = project.url("git_ops/active/vlans/office@v2.json").standardizedFileURL
    let activeText = (project.read("git_ops/active/vlans/office@v2.json") ?? "").replacingOccurrences(of: "\"bru\"", with: "\"ams\"")
    let analysis = ProjectAnalysis.analyze(
      root: project.root, contents: [clash: Array("{}".utf8), active: Array(activeText.utf8)])
    #expect(findings(analysis, "files/vlans/office.yaml").contains { $0.code == "slice-name-clash" })
    #expect(findings(analysis, "git_ops/active/vlans/office@v2.json").contains { $0.code == "active-file-edited" })
  }

  @Test func missingRequiredPropertiesComeWithTheFixThatAddsThem() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let office = project.url("files/vlans/office.yaml").standardizedFileURL
    let text = "site: bru\nname: office\nports:\n  - {switch: sw1}\n"
    let analysis = ProjectAnalysis.analyze(root: project.root, contents: [office: Array(text.utf8)])
    let required = findings(analysis, "files/vlans/office.yaml").filter { $0.code == "schema-required" }
    #expect(required.map { $0.fixes.map(\.title) } == [["Add missing property 'vlan_id'"], ["Add missing property 'port'"]])
    #expect(required.allSatisfy { $0.fixes.allSatisfy(\.isPreferred) })
    var document = TextDocument(text: text)
    for finding in required { document.apply(finding.fixes.flatMap(\.edits)) }
    #expect(document.text == "site: bru\nname: office\nports:\n  - {switch: sw1, port: <REPLACE_THIS>}\nvlan_id: <REPLACE_THIS>\n")
  }

  @Test func aStoreWithoutItsSchemaIsReportedOnceAndStillSyntaxChecked() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try FileManager.default.removeItem(at: project.url("files/schemas/vlans.json"))
    try project.write("files/vlans/voice.yml", "site: [unclosed\n")
    let analysis = ProjectAnalysis.analyze(root: project.root)
    #expect(analysis.problems.count == 1)
    #expect(analysis.problems.first?.contains("does not exist yet") == true)
    #expect(findings(analysis, "files/vlans/voice.yml").contains { $0.code == "yaml-syntax" })
  }
}
