import Foundation
import SliceIDE
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// Where the update compile's defaults and drops show as inlay hints.
@Suite struct UpdateHintTests {
  /// `text` as `relative` in a copy of the example project, analysed from disk.
  func analysedFile(_ relative: String, _ text: String) throws -> (EditorFile, TemporaryProject) {
    let project = try TemporaryProject.copy()
    try project.write(relative, text)
    let analysis = ProjectAnalysis.analyze(root: project.root)
    return (try #require(EditorFile(analysis: analysis, url: project.url(relative))), project)
  }

  func labels(_ file: EditorFile) -> [(line: Int, label: String)] {
    EditorQueries.inlayHints(for: file, options: InlayHintOptions(identities: .never))
      .map { (file.document.line(containing: $0.position), $0.label) }
  }

  @Test func eachItemGetsItsDefaultsAtTheEndOfItsLastLine() throws {
    let text = "site: bru\nvlan_id: 40\nname: voice\nports:\n  - switch: sw1\n    port: 1\n  - {switch: sw1, port: 3, tagged: true}\n\n# the end\n"
    let (file, project) = try analysedFile("files/vlans/voice.yml", text)
    defer { project.remove() }
    let hints = labels(file)
    // The first item lacks tagged (after its port line); the second has it; the slice's own
    // defaults follow its last entry (the last item), never the comment after it.
    #expect(hints.contains { $0.line == 5 && $0.label == "+ tagged: false" }, "\(hints)")
    #expect(!hints.contains { $0.line == 7 || $0.line == 8 }, "\(hints)")
    let slice = try #require(hints.first { $0.label.contains("mtu: 1500") }, "\(hints)")
    #expect(slice.line == 6)
    let review = try #require(EditorQueries.updateReview(for: file))
    #expect(UpdatePreview.summary(of: review) == "update: +\(review.addedCount) defaults")
  }

  @Test func jsonDropsAndDefaultsAndNothingOnceUpdated() throws {
    let text = "{\n  \"site\": \"bru\",\n  \"vlan_id\": 20,\n  \"colour\": \"blue\",\n  \"name\": \"lab\",\n  \"ports\": []\n}\n"
    let (file, project) = try analysedFile("files/vlans/lab.json", text)
    defer { project.remove() }
    let hints = labels(file)
    #expect(hints.contains { $0.line == 3 && $0.label == "✕ dropped by update" }, "\(hints)")
    #expect(hints.contains { $0.line == 6 && $0.label.hasPrefix("+ ") }, "\(hints)")
    let preview = try #require(EditorQueries.updatePreview(for: file))
    let updated = String(decoding: PreservingEdits.apply(preview.edits, to: file.document.bytes), as: UTF8.self)
    let (again, second) = try analysedFile("files/vlans/lab.json", updated)
    defer { second.remove() }
    #expect(EditorQueries.updateReview(for: again) == nil)
    #expect(labels(again).isEmpty)
  }
}
