import Foundation
import SliceIDE
import SliceSchema
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

@Suite struct CompletionTests {
  typealias S = EditingSupport

  func labels(_ candidates: [CompletionCandidate], kind: CompletionCandidate.Kind? = nil) -> [String] {
    candidates.filter { kind == nil || $0.kind == kind }.sorted { $0.sortText < $1.sortText }.map(\.label)
  }

  // MARK: YAML keys

  @Test func yamlKeyBeingTypedAtTheRoot() {
    let (candidates, text, offset) = S.completions("site: bru\nna‸\n", format: .yaml, schema: S.vlans)
    // Required first (schema order), then the rest; `site` is present already.
    #expect(labels(candidates, kind: .property) == ["vlan_id", "name", "description", "mtu", "dhcp", "subnets", "ports"])
    let name = candidates.first { $0.label == "name" }
    #expect(name?.insertText == "name: ")
    #expect(name?.replaceRange == offset - 2..<offset)
    #expect(name?.detail == "string · required")
    #expect(name?.documentation?.contains("A short name for the VLAN.") == true)
    if let name { #expect(S.apply(name, to: text) == "site: bru\nname: \n") }
    let mtu = candidates.first { $0.label == "mtu" }
    #expect(mtu?.detail == "integer · default 1500")
  }

  @Test func yamlKeyInsideAListItemOfAUnion() {
    let marked = """
      host: web01
      content:
        - type: folder
          name: etc
          ‸
      """
    let (candidates, _, offset) = S.completions(marked, format: .yaml, schema: S.fs)
    // A folder: its own properties, without type and name, which are there.
    #expect(labels(candidates, kind: .property) == ["owner", "group", "mode", "content"])
    let mode = candidates.first { $0.label == "mode" }
    #expect(mode?.detail == "string · default '0755'")
    #expect(mode?.replaceRange == offset..<offset)
    // A list of objects: a snippet with the dash on the next line, indented.
    let content = candidates.first { $0.label == "content" }
    #expect(content?.insertText == "content:\n      - $0")
    #expect(content?.isSnippet == true)
  }

  @Test func yamlNewListItemAfterADash() {
    let marked = """
      host: web01
      content:
        - ‸
      """
    let (candidates, text, _) = S.completions(marked, format: .yaml, schema: S.fs)
    // The discriminator comes first, then the required name.
    #expect(labels(candidates, kind: .property).prefix(2) == ["type", "name"])
    let snippets = candidates.filter { $0.kind == .snippet }
    #expect(snippets.map(\.label) == ["type: file", "type: folder"])
    let folder = snippets[1]
    #expect(folder.insertText == "type: folder\n    name: ${1:<REPLACE_THIS>}")
    #expect(S.apply(folder, to: text) == "host: web01\ncontent:\n  - type: folder\n    name: <REPLACE_THIS>")
    #expect(CursorFixture.split(marked).text == text)
  }

  @Test func yamlValueOfADiscriminator() {
    let marked = """
      content:
        - type: ‸
          name: etc
      """
    let (candidates, text, offset) = S.completions(marked, format: .yaml, schema: S.fs)
    #expect(labels(candidates, kind: .value).sorted() == ["file", "folder"])
    let folder = candidates.first { $0.label == "folder" }
    #expect(folder?.documentation?.contains("A folder, containing files and other folders.") == true)
    #expect(folder?.replaceRange == offset..<offset)
    if let folder { #expect(S.apply(folder, to: text).contains("- type: folder\n")) }
  }

  @Test func yamlValuesBooleanDefaultFirst() {
    let (candidates, text, _) = S.completions("site: bru\ndhcp: t‸\n", format: .yaml, schema: S.vlans)
    #expect(labels(candidates) == ["false", "true"])
    #expect(candidates.first { $0.label == "false" }?.isPreselected == true)
    let yes = candidates.first { $0.label == "true" }
    #expect(yes?.replaceRange == 16..<17)
    if let yes { #expect(S.apply(yes, to: text) == "site: bru\ndhcp: true\n") }
  }

  @Test func yamlValueRightAfterTheColon() {
    let (candidates, text, _) = S.completions("site: bru\ndhcp:‸", format: .yaml, schema: S.vlans)
    let no = candidates.first { $0.label == "false" }
    #expect(no?.insertText == " false")
    if let no { #expect(S.apply(no, to: text) == "site: bru\ndhcp: false") }
  }

  @Test func yamlNullableValueOffersNull() {
    let (candidates, _, _) = S.completions("site: bru\ndescription: ‸\n", format: .yaml, schema: S.vlans)
    #expect(labels(candidates) == ["null"])
    #expect(candidates.first?.detail == "default")
  }

  @Test func yamlFlowMappingInAList() {
    let marked = "site: bru\nports:\n  - {switch: sw1, ‸}\n"
    let (candidates, text, offset) = S.completions(marked, format: .yaml, schema: S.vlans)
    #expect(labels(candidates, kind: .property) == ["port", "tagged"])
    let port = candidates.first { $0.label == "port" }
    #expect(port?.insertText == "port: ")
    #expect(port?.replaceRange == offset..<offset)
    if let port { #expect(S.apply(port, to: text) == "site: bru\nports:\n  - {switch: sw1, port: }\n") }
  }

  @Test func yamlEditingAnExistingKeyKeepsItsValue() {
    let (candidates, text, _) = S.completions("site: bru\nmt‸u: 9000\n", format: .yaml, schema: S.vlans)
    let mtu = candidates.first { $0.label == "mtu" }
    #expect(mtu?.insertText == "mtu")
    #expect(mtu?.replaceRange == 10..<13)
    if let mtu { #expect(S.apply(mtu, to: text) == "site: bru\nmtu: 9000\n") }
  }

  @Test func yamlRequiredObjectScaffoldAndMultiByteText() {
    // é and CJK before the cursor: every range stays in bytes.
    let marked = "host: café\ncontent:\n  - type: folder\n    name: 日本\n    content:\n      - ‸\n"
    let (candidates, text, offset) = S.completions(marked, format: .yaml, schema: S.fs)
    let file = candidates.first { $0.label == "type: file" }
    #expect(file?.replaceRange == offset..<offset)
    if let file {
      #expect(S.apply(file, to: text).hasSuffix("      - type: file\n        name: <REPLACE_THIS>\n"))
    }
  }

  @Test func yamlCommentsAndBlockScalarsGetNothing() {
    #expect(S.completions("site: bru # na‸\n", format: .yaml, schema: S.vlans).candidates.isEmpty)
    let block = "site: bru\ndescription: |\n  some te‸xt\nname: x\n"
    #expect(S.completions(block, format: .yaml, schema: S.vlans).candidates.isEmpty)
  }

  @Test func yamlBrokenLineBelowTheCursor() {
    // A syntax error further down does not hide the context.
    let marked = "site: bru\nna‸\nports:\n  - {switch: sw1\n"
    let (candidates, _, _) = S.completions(marked, format: .yaml, schema: S.vlans)
    #expect(labels(candidates, kind: .property).first == "vlan_id")
  }

  @Test func yamlCRLFLineBreaks() {
    let marked = "host: web01\r\ncontent:\r\n  - type: folder\r\n    name: etc\r\n    ‸\r\n"
    let (candidates, _, _) = S.completions(marked, format: .yaml, schema: S.fs)
    let content = candidates.first { $0.label == "content" }
    #expect(content?.insertText == "content:\r\n      - $0")
  }

  @Test func yamlEmptyFileScaffold() {
    let (candidates, text, _) = S.completions("# a new host\n‸", format: .yaml, schema: S.fs)
    let file = candidates.first { $0.kind == .file }
    #expect(file?.insertText == "host: ${1:<REPLACE_THIS>}\nroot: /\ncontent: []\n")
    if let file { #expect(S.apply(file, to: text) == "# a new host\nhost: <REPLACE_THIS>\nroot: /\ncontent: []\n") }
    #expect(labels(candidates, kind: .property) == ["host", "root", "content"])
  }

  // MARK: JSON

  @Test func jsonKeyInQuotes() {
    let marked = "{\n  \"site\": \"bru\",\n  \"na‸\n}"
    let (candidates, text, offset) = S.completions(marked, format: .json, schema: S.vlans)
    #expect(labels(candidates, kind: .property) == ["vlan_id", "name", "description", "mtu", "dhcp", "subnets", "ports"])
    let name = candidates.first { $0.label == "name" }
    #expect(name?.replaceRange == offset - 3..<offset)
    #expect(name?.filterText == "\"name\"")
    #expect(name?.insertText == "\"name\": \"$1\"")
    if let name { #expect(S.apply(name, to: text) == "{\n  \"site\": \"bru\",\n  \"name\": \"\"\n}") }
    let mtu = candidates.first { $0.label == "mtu" }
    #expect(mtu?.insertText == "\"mtu\": ${1:1500}")
  }

  @Test func jsonKeyAfterAValueWithoutComma() {
    let marked = "{\n  \"site\": \"bru\"\n  ‸\n}"
    let (candidates, text, _) = S.completions(marked, format: .json, schema: S.vlans)
    let dhcp = candidates.first { $0.label == "dhcp" }
    #expect(dhcp?.additionalEdits == [TextEdit(range: 17..<17, newText: ",")])
    if let dhcp { #expect(S.apply(dhcp, to: text) == "{\n  \"site\": \"bru\",\n  \"dhcp\": false\n}") }
  }

  @Test func jsonKeyBeforeAnotherMemberGetsAComma() {
    let marked = "{\"site\": \"bru\", ‸ \"name\": \"x\"}"
    let (candidates, text, _) = S.completions(marked, format: .json, schema: S.vlans)
    #expect(!labels(candidates).contains("name"))
    let mtu = candidates.first { $0.label == "mtu" }
    if let mtu { #expect(S.apply(mtu, to: text) == "{\"site\": \"bru\", \"mtu\": 1500, \"name\": \"x\"}") }
  }

  @Test func jsonValueInsideQuotesOfAUnionTag() {
    let marked = "{\"host\": \"h\", \"content\": [{\"type\": \"fo‸\", \"name\": \"a\"}]}"
    let (candidates, text, _) = S.completions(marked, format: .json, schema: S.fs)
    let folder = candidates.first { $0.label == "\"folder\"" }
    #expect(folder?.filterText == "\"folder\"")
    if let folder { #expect(S.apply(folder, to: text) == "{\"host\": \"h\", \"content\": [{\"type\": \"folder\", \"name\": \"a\"}]}") }
  }

  @Test func jsonNewItemInAnArray() {
    let marked = "{\n  \"host\": \"h\",\n  \"content\": [\n    ‸\n  ]\n}"
    let (candidates, text, _) = S.completions(marked, format: .json, schema: S.fs)
    let folder = candidates.first { $0.label == "type: folder" }
    #expect(folder?.insertText == "{\n      \"type\": \"folder\",\n      \"name\": \"${1:<REPLACE_THIS>}\"\n    }")
    if let folder {
      let result = S.apply(folder, to: text)
      #expect(JSONReader().read(result).loads)
    }
  }

  @Test func jsonNestedObjectKeyWithTabsAndEmoji() {
    let marked = "{\n\t\"host\": \"🚀\",\n\t\"content\": [\n\t\t{\"type\": \"file\", ‸}\n\t]\n}"
    let (candidates, text, _) = S.completions(marked, format: .json, schema: S.fs)
    #expect(labels(candidates, kind: .property) == ["name", "owner", "group", "mode", "content"])
    let name = candidates.first { $0.label == "name" }
    if let name { #expect(S.apply(name, to: text).contains("{\"type\": \"file\", \"name\": \"\"}")) }
  }

  @Test func jsonEmptyFileScaffold() {
    let (candidates, text, _) = S.completions("‸", format: .json, schema: S.vlans)
    #expect(candidates.count == 1)
    let file = candidates[0]
    #expect(file.kind == .file)
    let result = S.apply(file, to: text)
    #expect(result.hasPrefix("{\n  \"site\": \"<REPLACE_THIS>\",\n  \"vlan_id\": \"<REPLACE_THIS>\""))
    #expect(JSONReader().read(result).loads)
  }

  @Test func jsonUnterminatedDocumentBeforeTheCursor() {
    // Nothing after the cursor closes anything: the open brackets are closed for the re-read.
    let marked = "{\"host\": \"h\", \"content\": [{\"type\": \"folder\", \"‸"
    let (candidates, _, _) = S.completions(marked, format: .json, schema: S.fs)
    #expect(labels(candidates, kind: .property).first == "name")
    #expect(!labels(candidates, kind: .property).contains("type"))
  }

  // MARK: Files the analysis has not read

  @Test func aNewFileInASourceFolderGetsItsStoreSchema() throws {
    let analysis = ProjectAnalysis.analyze(root: S.exampleProject)
    let url = S.exampleProject.appendingPathComponent("files/vlans/new-vlan.yaml")
    let file = try #require(EditorFile(analysis: analysis, url: url, bytes: []))
    #expect(file.role == .source(store: "vlans"))
    #expect(file.schema != nil)
    let candidates = EditorQueries.completions(document: file.document, tree: file.tree, format: file.format, offset: 0, schema: file.schema)
    #expect(candidates.first?.kind == .file)
    let outside = try #require(EditorFile(analysis: analysis, url: S.exampleProject.appendingPathComponent("notes.yaml"), bytes: []))
    #expect(outside.role == .outsideStores)
    #expect(outside.schema == nil)
  }

  // MARK: Nested required objects and keyed lists

  /// A store whose root requires an embedded object with its own required properties, and a
  /// list keyed by `x-git-ops-keys`.
  static let nested: StoreSchema = {
    let text = """
      {"title": "Site", "type": "object", "required": ["name", "meta"],
       "properties": {
         "name": {"type": "string", "description": "The site."},
         "meta": {"$ref": "#/$defs/Meta"},
         "racks": {"type": "array", "items": {"$ref": "#/$defs/Rack"}}},
       "$defs": {
         "Meta": {"title": "Meta", "type": "object", "required": ["owner", "tier"],
                  "properties": {"owner": {"type": "string"}, "tier": {"enum": ["gold", "silver"], "type": "string"},
                                 "note": {"type": "string", "default": ""}}},
         "Rack": {"title": "Rack", "type": "object", "x-git-ops-keys": ["row", "slot"], "required": ["row", "slot", "label"],
                  "properties": {"label": {"type": "string"}, "row": {"type": "string"}, "slot": {"type": "integer"},
                                 "power": {"type": "integer", "default": 2}}}}}
      """
    let schemas = SchemaLoader(provider: InMemorySchemaDocuments([:])).load(text: text)
    return StoreSchema(file: URL(fileURLWithPath: "/nonexistent/site.json"), schemas: schemas)
  }()

  @Test func requiredObjectPropertyIsScaffolded() {
    let (candidates, text, _) = S.completions("name: x\n‸\n", format: .yaml, schema: Self.nested)
    let meta = candidates.first { $0.label == "meta" }
    #expect(meta?.detail == "Meta · required")
    #expect(meta?.insertText == "meta:\n  owner: ${1:<REPLACE_THIS>}\n  tier: ${2:<REPLACE_THIS>}")
    if let meta { #expect(S.apply(meta, to: text) == "name: x\nmeta:\n  owner: <REPLACE_THIS>\n  tier: <REPLACE_THIS>\n") }

    let (json, jsonText, _) = S.completions("{\"name\": \"x\", ‸}", format: .json, schema: Self.nested)
    let jsonMeta = json.first { $0.label == "meta" }
    if let jsonMeta {
      let result = S.apply(jsonMeta, to: jsonText)
      #expect(result == "{\"name\": \"x\", \"meta\": {\n  \"owner\": \"<REPLACE_THIS>\",\n  \"tier\": \"<REPLACE_THIS>\"\n}}")
      #expect(JSONReader().read(result).loads)
    }
    // An empty value where the object goes: its scaffold as a value.
    let (values, valueText, _) = S.completions("name: x\nmeta: ‸\n", format: .yaml, schema: Self.nested)
    let scaffold = values.first { $0.kind == .snippet }
    #expect(scaffold?.label == "new Meta")
    if let scaffold { #expect(S.apply(scaffold, to: valueText) == "name: x\nmeta: \n  owner: <REPLACE_THIS>\n  tier: <REPLACE_THIS>\n") }
  }

  @Test func keyedListItemStartsWithItsKeys() {
    let (candidates, text, _) = S.completions("name: x\nracks:\n  - ‸\n", format: .yaml, schema: Self.nested)
    // Keys from x-git-ops-keys come first, then the other required properties.
    let item = candidates.first { $0.kind == .snippet }
    #expect(item?.label == "new Rack")
    #expect(item?.insertText == "row: ${1:<REPLACE_THIS>}\n    slot: ${2:<REPLACE_THIS>}\n    label: ${3:<REPLACE_THIS>}")
    if let item { #expect(S.apply(item, to: text) == "name: x\nracks:\n  - row: <REPLACE_THIS>\n    slot: <REPLACE_THIS>\n    label: <REPLACE_THIS>\n") }
    #expect(labels(candidates, kind: .property) == ["label", "row", "slot", "power"])
    // Enum values of a nested property.
    let (tiers, _, _) = S.completions("name: x\nmeta:\n  tier: ‸\n", format: .yaml, schema: Self.nested)
    #expect(labels(tiers) == ["gold", "silver"])
  }
}
