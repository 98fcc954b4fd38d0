import Foundation
import SliceIDE
import SliceSchema
import SliceStore
import SliceSyntax
import Testing

@Suite struct CodeActionTests {
  typealias S = EditingSupport

  /// The fixes of `text`, and the text after applying them one by one as a user would (each
  /// time the first fix of the text as it then is), with its validation.
  func fixAll(_ text: String, format: SliceFormat, schema: StoreSchema) -> (fixes: [MissingPropertiesFix], result: String, after: SliceValidation?) {
    func fixes(of document: TextDocument) -> [MissingPropertiesFix] {
      let tree = SliceReader.read(document.bytes, format: format)
      guard let root = tree.root else { return [] }
      return MissingPropertiesFixes.fixes(document: document, tree: tree, validation: schema.validator.validate(root))
    }
    var document = TextDocument(text: text)
    let initial = fixes(of: document)
    for _ in 0..<10 {
      guard let first = fixes(of: document).first else { break }
      document.apply(first.fix.edits)
    }
    let tree = SliceReader.read(document.bytes, format: format)
    return (initial, document.text, tree.root.map { schema.validator.validate($0) })
  }

  func missingRequired(_ validation: SliceValidation?) -> Int {
    validation?.findings.filter { $0.code == "schema-required" }.count ?? -1
  }

  @Test func yamlBlockMappingsAtTheirIndentation() {
    let text = """
      site: bru  # the site
      ports:
        - switch: sw1
          tagged: true   # trunk
        - port: 3
      """
    let (fixes, result, after) = fixAll(text + "\n", format: .yaml, schema: S.vlans)
    #expect(fixes.map(\.fix.title) == ["Add missing properties: vlan_id, name", "Add missing property 'port'", "Add missing property 'switch'"])
    #expect(
      result == """
        site: bru  # the site
        ports:
          - switch: sw1
            tagged: true   # trunk
            port: <REPLACE_THIS>
          - port: 3
            switch: <REPLACE_THIS>
        vlan_id: <REPLACE_THIS>
        name: <REPLACE_THIS>

        """)
    #expect(missingRequired(after) == 0)
    #expect(fixes[0].diagnosticRange == 0..<1)
    #expect(fixes.allSatisfy { $0.fix.isPreferred })
  }

  @Test func yamlFlowMappingAndCRLF() {
    let text = "site: bru\r\nvlan_id: 10\r\nname: é\r\nports:\r\n  - {switch: sw1}\r\n  - {}\r\n"
    let (fixes, result, after) = fixAll(text, format: .yaml, schema: S.vlans)
    #expect(fixes.count == 2)
    #expect(result == "site: bru\r\nvlan_id: 10\r\nname: é\r\nports:\r\n  - {switch: sw1, port: <REPLACE_THIS>}\r\n  - {switch: <REPLACE_THIS>, port: <REPLACE_THIS>}\r\n")
    #expect(missingRequired(after) == 0)
  }

  @Test func jsonObjectsMultiLineSingleLineAndEmpty() {
    let text = """
      {
      \t"host": "🚀",
      \t"content": [
      \t\t{"type": "file"},
      \t\t{
      \t\t\t"type": "folder",
      \t\t\t"content": [{}]
      \t\t}
      \t]
      }
      """
    let (fixes, result, after) = fixAll(text, format: .json, schema: S.fs)
    #expect(fixes.count == 2)  // the empty item has no tag: pydantic cannot tell what it misses
    #expect(
      result == """
        {
        \t"host": "🚀",
        \t"content": [
        \t\t{"type": "file", "name": "<REPLACE_THIS>"},
        \t\t{
        \t\t\t"type": "folder",
        \t\t\t"content": [{}],
        \t\t\t"name": "<REPLACE_THIS>"
        \t\t}
        \t]
        }
        """)
    #expect(after != nil)
  }

  @Test func jsonEmptyRootObject() {
    let text = "{\"site\": \"bru\", \"vlan_id\": 1, \"name\": \"x\", \"ports\": [{}]}"
    let (fixes, result, after) = fixAll(text, format: .json, schema: S.vlans)
    #expect(fixes.count == 1)
    #expect(result == "{\"site\": \"bru\", \"vlan_id\": 1, \"name\": \"x\", \"ports\": [{\n  \"switch\": \"<REPLACE_THIS>\",\n  \"port\": \"<REPLACE_THIS>\"\n}]}")
    #expect(missingRequired(after) == 0)
  }

  @Test func fixesAttachToTheirFindings() {
    let text = "site: bru\nvlan_id: 1\nname: x\nports:\n  - switch: a\n  - switch: b\n"
    let document = TextDocument(text: text)
    let tree = SliceReader.read(document.bytes, format: .yaml)
    let validation = S.vlans.validator.validate(tree.root!)
    let fixes = MissingPropertiesFixes.fixes(document: document, tree: tree, validation: validation)
    let findings = MissingPropertiesFixes.attaching(fixes, to: validation.findings)
    let required = findings.filter { $0.code == "schema-required" }
    #expect(required.count == 2)
    // Each finding gets the fix of its own item.
    #expect(required.map { $0.fixes.first?.edits.first?.range.lowerBound } == [fixes[0].fix.edits[0].range.lowerBound, fixes[1].fix.edits[0].range.lowerBound])
    #expect(Set(required.compactMap { $0.fixes.first?.edits.first?.range.lowerBound }).count == 2)
  }

  // MARK: Merged view preview

  @Test func previewOfTheNextSyncShowsPurgedObjects() throws {
    let analysis = ProjectAnalysis.analyze(root: S.exampleProject)
    let store = try #require(analysis.store(named: "fs"))
    let preview = EditorQueries.mergedViewPreview(store: store, slice: "web01")
    #expect(preview.status == .emitted)
    #expect(preview.version == 4)
    #expect(preview.title == "web01 v4 — merged view after the next sync")
    #expect(preview.purged == 2)
    #expect(preview.created == 1)
    let tree = JSONReader().read(preview.text)
    let root = try #require(tree.root)
    #expect(root.lookup("version")?.value == .integer(4))
    let attributes = try #require(root.lookup("attributes"))
    #expect(attributes.lookup("path")?.value == .string("."))
    let etc = try #require(attributes.lookup("content")?.items?.first)
    let motd = etc.lookup("content")?.items?.first { $0.lookup("name")?.value == .string("motd") }
    #expect(motd?.lookup("operation")?.value == .string("delete"))
    #expect(motd?.lookup("path")?.value == .string("content[type=folder][name=etc].content[type=file][name=motd]"))

    let export = EditorQueries.mergedViewPreview(store: store, slice: "web01", mode: .export)
    #expect(export.version == 3)
    #expect(export.title == "web01 v3 — merged view of the active store")

    let vlans = try #require(analysis.store(named: "vlans"))
    let guest = EditorQueries.mergedViewPreview(store: vlans, slice: "guest")
    #expect(guest.status == .emitted)
    #expect(guest.text.contains("\"deleted\": true"))
    let unknown = EditorQueries.mergedViewPreview(store: vlans, slice: "nope")
    #expect(unknown.status == .unavailable("no such slice"))
    #expect(JSONReader().read(unknown.text).loads)
  }

  @Test func previewKeepsNonASCIIText() throws {
    // A copy of the example project with an edited source.
    let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-editing-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: S.exampleProject, to: temporary)
    defer { try? FileManager.default.removeItem(at: temporary) }
    let source = temporary.appendingPathComponent("files/vlans/lab.json")
    try Data("{\"site\": \"Liège 東京\", \"vlan_id\": 20, \"name\": \"lab 🚀\"}".utf8).write(to: source)
    let analysis = ProjectAnalysis.analyze(root: temporary)
    let store = try #require(analysis.store(named: "vlans"))
    let preview = EditorQueries.mergedViewPreview(store: store, slice: "lab")
    #expect(preview.version == 3)
    #expect(preview.text.contains("\"site\": \"Liège 東京\""))
    #expect(preview.text.contains("\"name\": \"lab 🚀\""))
    let lenses = try #require(EditorFile(analysis: analysis, url: source)).isSource
    #expect(lenses)
  }
}
