import Foundation
import SliceIDE
import SliceSchema
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// Issue 12: places where completion offered nothing.
@Suite struct CompletionGapsTests {
  typealias S = EditingSupport

  @Test func aBlankLineUnderAListOfObjectsOffersNewItems() {
    let marked = "host: web01\ncontent:\n  ‸\n"
    let (candidates, text, offset) = S.completions(marked, format: .yaml, schema: S.fs)
    let snippets = candidates.filter { $0.kind == .snippet }
    #expect(snippets.map(\.label) == ["type: file", "type: folder"])
    let folder = snippets.first { $0.label == "type: folder" }
    #expect(folder?.replaceRange == offset..<offset)
    if let folder {
      let applied = S.apply(folder, to: text)
      #expect(applied == "host: web01\ncontent:\n  - type: folder\n    name: <REPLACE_THIS>\n")
      #expect(SliceReader.read(Array(applied.utf8), format: .yaml).loads)
    }
  }

  @Test func aValueInsideAFlowMappingIsCompletedRightAfterTheColon() {
    for (marked, expected) in [
      ("ports:\n  - {switch: sw1, tagged:‸}\n", "ports:\n  - {switch: sw1, tagged: true}\n"),
      ("ports:\n  - {switch: sw1, tagged: ‸}\n", "ports:\n  - {switch: sw1, tagged: true}\n"),
      ("ports: [{switch: sw1, tagged:‸}]\n", "ports: [{switch: sw1, tagged: true}]\n"),
      ("{site: bru, dhcp:‸}\n", "{site: bru, dhcp: true}\n"),
    ] {
      let (candidates, text, _) = S.completions(marked, format: .yaml, schema: S.vlans)
      let values = candidates.filter { $0.kind == .value }.map(\.label)
      #expect(values.sorted() == ["false", "true"], "\(marked)")
      if let yes = candidates.first(where: { $0.label == "true" }) { #expect(S.apply(yes, to: text) == expected) }
    }
  }

  @Test func aDashJustTypedOffersANewItemScaffold() {
    let marked = "host: web01\ncontent:\n  -‸\n"
    let (candidates, text, _) = S.completions(marked, format: .yaml, schema: S.fs)
    let snippets = candidates.filter { $0.kind == .snippet }
    #expect(snippets.map(\.label) == ["type: file", "type: folder"], "\(candidates.map(\.label))")
    if let folder = snippets.first(where: { $0.label == "type: folder" }) {
      // The client filters on what the range holds: the dash.
      #expect(folder.filterText.hasPrefix("-"))
      let applied = S.apply(folder, to: text)
      #expect(applied == "host: web01\ncontent:\n  - type: folder\n    name: <REPLACE_THIS>\n")
    }
  }
}
