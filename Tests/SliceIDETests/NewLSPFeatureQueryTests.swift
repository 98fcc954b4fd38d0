import Foundation
import SliceAnalysis
import SliceIDE
import SliceSchema
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// The engine side of formatting, document links, workspace symbols and the configuration
/// files' schemas.
@Suite struct FormattingQueryTests {
  static func formatted(_ text: String, format: SliceFormat, style: FormattingStyle = FormattingStyle()) -> String? {
    let bytes = Array(text.utf8)
    guard
      let edits = EditorQueries.formattingEdits(
        document: TextDocument(bytes: bytes), tree: SliceReader.read(bytes, format: format), style: style)
    else { return nil }
    var document = TextDocument(bytes: bytes)
    document.apply(edits)
    return String(decoding: document.bytes, as: UTF8.self)
  }

  @Test func jsonIsPrettyPrintedKeepingEveryTokenAndCRLF() throws {
    let text = "{\"name\":\"l😀b\",  \"n\": 1.50e3,\"tab\":\"a\\tb\",\r\n\"list\":[{\"a\":[]},{}], \"u\":\"\\u00e9\"}\r\n"
    let result = try #require(Self.formatted(text, format: .json, style: FormattingStyle(indentWidth: 3)))
    #expect(
      result
        == "{\r\n   \"name\": \"l😀b\",\r\n   \"n\": 1.50e3,\r\n   \"tab\": \"a\\tb\",\r\n   \"list\": [\r\n      {\r\n         \"a\": []\r\n      },\r\n      {}\r\n   ],\r\n   \"u\": \"\\u00e9\"\r\n}\r\n")
    #expect(Self.formatted(result, format: .json, style: FormattingStyle(indentWidth: 3)) == result)
  }

  @Test func jsonIndentsWithTabsWhenAskedAndKeepsDuplicateKeys() throws {
    let result = try #require(Self.formatted("{\"a\": 1, \"a\": 2}", format: .json, style: FormattingStyle(usesTabs: true)))
    #expect(result == "{\n\t\"a\": 1,\n\t\"a\": 2\n}")
  }

  @Test func theEditCoversOnlyTheChangedSpan() throws {
    let bytes = Array("{\n  \"a\": 1,\n  \"b\":2\n}\n".utf8)
    let edits = try #require(
      EditorQueries.formattingEdits(
        document: TextDocument(bytes: bytes), tree: SliceReader.read(bytes, format: .json), style: FormattingStyle()))
    #expect(edits == [TextEdit(range: 18..<18, newText: " ")])
  }

  @Test(arguments: [("{\"a\": 1,", SliceFormat.json), ("a: [1,\n", .yaml), ("a:\n\t- b\n", .yaml)])
  func aDocumentWithSyntaxErrorsGetsNoEdits(text: String, format: SliceFormat) {
    #expect(Self.formatted(text, format: format) == nil)
  }

  @Test func yamlLosesTrailingSpacesOutsideValuesOnly() throws {
    // A tab after a plain value is a syntax error for the reference (`yaml-tab`); after a comment it is not.
    let text = "# note  \r\nname: office   \r\nblock: |\r\n  keeps  \r\n  this\r\nq: \"a\tb \"  # c \t\r\nlist:\r\n  - x   \r\n"
    let result = try #require(Self.formatted(text, format: .yaml, style: FormattingStyle(usesTabs: true)))
    #expect(result == "# note\r\nname: office\r\nblock: |\r\n  keeps  \r\n  this\r\nq: \"a\tb \"  # c\r\nlist:\r\n  - x\r\n")
    #expect(Self.formatted(result, format: .yaml) == result)
  }

  @Test func yamlEndIsTidiedAsTheClientAsks() throws {
    #expect(Self.formatted("a: 1\n\n\n", format: .yaml, style: FormattingStyle(trimFinalNewlines: true)) == "a: 1\n")
    #expect(Self.formatted("a: 1", format: .yaml, style: FormattingStyle(insertFinalNewline: true)) == "a: 1\n")
    #expect(Self.formatted("a: 1\n\n", format: .yaml) == "a: 1\n\n")
    // A keep-chomped block keeps its trailing lines: they are its value.
    #expect(Self.formatted("a: |+\n  x\n\n\n", format: .yaml, style: FormattingStyle(trimFinalNewlines: true)) == "a: |+\n  x\n\n\n")
  }
}

@Suite struct WorkspaceSymbolQueryTests {
  static let entries = [
    SliceDirectoryEntry(store: "vlans", slice: "office", role: .source, version: nil, path: "/p/files/vlans/office.yaml"),
    SliceDirectoryEntry(store: "vlans", slice: "office", role: .active, version: 2, path: "/p/git_ops/active/vlans/office@v2.json"),
    SliceDirectoryEntry(store: "fs", slice: "web01", role: .source, version: nil, path: "/p/files/fs/web01.json"),
  ]

  @Test func namesSayStoreSliceVersionAndRole() {
    #expect(EditorQueries.workspaceSymbols(Self.entries, query: "").map(\.name) == [
      "fs/web01 (source)", "vlans/office (source)", "vlans/office v2 (active)",
    ])
  }

  @Test func theQueryMatchesSubstringsFirstThenScatteredLetters() {
    #expect(EditorQueries.workspaceSymbols(Self.entries, query: "OFF").map(\.name) == ["vlans/office (source)", "vlans/office v2 (active)"])
    #expect(EditorQueries.workspaceSymbols(Self.entries, query: "vof v2").map(\.name) == ["vlans/office v2 (active)"])
    #expect(EditorQueries.workspaceSymbols(Self.entries, query: "web").map(\.path) == ["/p/files/fs/web01.json"])
    #expect(EditorQueries.workspaceSymbols(Self.entries, query: "zz").isEmpty)
  }

  @Test func theAnswerIsBounded() {
    let many = (0..<5000).map {
      SliceDirectoryEntry(store: "s", slice: "n\($0)", role: .source, version: nil, path: "/p/files/s/n\($0).yaml")
    }
    #expect(EditorQueries.workspaceSymbols(many, query: "").count == EditorQueries.maximumWorkspaceSymbols)
  }
}

@Suite struct DocumentLinkQueryTests {
  @Test func schemaPathsLinkToExistingSchemasAtTheUnquotedValue() throws {
    let root = TestPackage.exampleProject
    let text = "stores:\n  - store_name: fs\n    schema_path: \"inmanta:///files/schemas/fs.json\"\n  - store_name: x\n    schema_path: inmanta:///files/schemas/missing.json\n"
    let bytes = Array(text.utf8)
    let links = EditorQueries.configurationLinks(
      tree: SliceReader.read(bytes, format: .yaml), bytes: bytes, file: root.appendingPathComponent("files/git-ops-config.yml"),
      projectRoot: root)
    let start = try #require(text.range(of: "inmanta:///files/schemas/fs.json")).lowerBound.utf16Offset(in: text)
    #expect(links.map(\.range) == [start..<(start + "inmanta:///files/schemas/fs.json".utf8.count)])
    #expect(links.map(\.path) == [root.appendingPathComponent("files/schemas/fs.json").standardizedFileURL.path])
  }

  @Test func refsLinkToTheNodeTheirPointerNamesAndUnresolvableOnesDoNot() throws {
    let root = TestPackage.exampleProject
    let file = root.appendingPathComponent("files/schemas/test.json")
    let text = ##"{"$defs": {"A~B/C": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/A~0B~1C"}, "b": {"$ref": "#/$defs/Nope"}, "c": {"$ref": "fs.json#/$defs"}, "d": {"$ref": "gone.json"}, "e": {"$ref": "https://example.com/x"}}}"##
    let bytes = Array(text.utf8)
    let links = EditorQueries.schemaReferenceLinks(
      tree: SliceReader.read(bytes, format: .json), bytes: bytes, file: file, projectRoot: root,
      read: { FileReader().contents($0) })
    #expect(links.count == 2)
    let first = try #require(links.first)
    #expect(String(decoding: bytes[first.range], as: UTF8.self) == "#/$defs/A~0B~1C")
    #expect(first.targetRange.map { String(decoding: bytes[$0], as: UTF8.self) } == #"{"type": "string"}"#)
    #expect(links.last?.path == root.appendingPathComponent("files/schemas/fs.json").standardizedFileURL.path)
    #expect(links.last?.targetRange != nil)
  }
}

@Suite struct ConfigurationSchemaTests {
  @Test func theShippedSchemasKnowExactlyTheKeysTheReaderReads() throws {
    let root = URL(fileURLWithPath: "/project")
    let own = try #require(ConfigurationSchemas.schema(for: root.appendingPathComponent("slicels.yml"), projectRoot: root))
    let module = try #require(ConfigurationSchemas.schema(for: root.appendingPathComponent("files/git-ops-config.yml"), projectRoot: root))
    #expect(ConfigurationSchemas.schema(for: root.appendingPathComponent("files/fs/a.yaml"), projectRoot: root) == nil)
    #expect(own.isUsable && module.isUsable)
    func keys(_ schema: StoreSchema, at path: String) throws -> [String] {
      let text = path.isEmpty ? "{}" : path
      let bytes = Array(text.utf8)
      let tree = SliceReader.read(bytes, format: .yaml)
      let root = try #require(tree.root)
      let components: [InstancePathComponent] = path.isEmpty ? [] : [.key("stores"), path.contains("- ") ? .index(0) : .key("s")]
      return schema.query.schemas(at: components, in: root).flatMap { schema.query.properties(of: $0, for: root.node(at: components[...])) }
        .map(\.name).sorted()
    }
    #expect(try keys(own, at: "") == ProjectConfiguration.ownConfigKeys.sorted())
    #expect(try keys(own, at: "stores: {s: {}}") == ProjectConfiguration.ownStoreKeys.sorted())
    #expect(try keys(module, at: "") == ProjectConfiguration.moduleConfigKeys.sorted())
    #expect(try keys(module, at: "stores:\n- {}") == ProjectConfiguration.moduleStoreKeys.sorted())
  }

  @Test func completionAndHoverInSlicelsYml() throws {
    let root = URL(fileURLWithPath: "/project")
    let url = root.appendingPathComponent("slicels.yml")
    let schema = try #require(ConfigurationSchemas.schema(for: url, projectRoot: root))
    let (candidates, _, _) = EditingSupport.completions("stores:\n  fs:\n    ‸\n", format: .yaml, schema: schema)
    #expect(candidates.map(\.label).sorted() == ["folder", "keys", "model_only", "schema"])
    let text = "compile:\n  command: [inmanta, compile]\n"
    let bytes = Array(text.utf8)
    let file = try #require(
      ConfigurationSchemas.editorFile(
        url: url, document: TextDocument(bytes: bytes), tree: SliceReader.read(bytes, format: .yaml), projectRoot: root))
    let hover = try #require(EditorQueries.hover(at: 13, in: file))
    #expect(hover.range == 11..<18)
    #expect(hover.markdown.contains("compile command and its arguments"))
  }
}
