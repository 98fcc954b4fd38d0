import Foundation
import SliceSchema
@testable import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// Export merges a slice with one active version from its normalised data instead of its read
/// form (`StoreSchema.mergeFormWithoutOlderVersion`): the merged view must be the same, byte
/// for byte, and the shortcut must stand aside wherever the two could differ.
@Suite struct MergeFormTests {
  static func fsSchema(modelOnly: [String: [ModelOnlyAttribute]]) -> StoreSchema {
    let project = TestPackage.exampleProject
    return StoreSchema.load(
      file: project.appendingPathComponent("files/schemas/fs.json"), projectRoot: project, modelOnly: modelOnly)
  }

  /// The merged view's text when the slice's only version reads as `attributes`.
  static func view(_ attributes: Value, schema: StoreSchema) throws -> String {
    let version = ActiveVersion(version: 1, attributes: attributes, path: "/p/git_ops/active/fs/s@v1.json")
    let unrolled = try #require(
      try MergedView.unroll(
        name: "s", storeName: "fs", current: CurrentSlice(version), history: [version], catalog: schema.catalog,
        listingElements: false))
    return try ReferenceJSONWriter.text(for: unrolled.slice.value)
  }

  static func read(_ text: String, schema: StoreSchema) -> SliceFileAnalyzer.Read {
    SliceFileAnalyzer.read(
      URL(fileURLWithPath: "/p/git_ops/active/fs/s@v1.json"), bytes: Array(text.utf8), role: .active(store: "fs"),
      format: .json, schema: schema, checkUnknown: false)
  }

  @Test func randomSlicesMergeAlikeFromEitherForm() throws {
    // The example project's own model-only attribute (a null default) and none at all.
    let nullDefault = ["File": [ModelOnlyAttribute(name: "previous_content", defaultValue: .null)]]
    for schema in [Self.fsSchema(modelOnly: nullDefault), Self.fsSchema(modelOnly: [:])] {
      var random = XorShift(state: 17)
      for round in 0..<200 {
        var state = CollisionScreenTests.randomState(&random, duplicates: round % 3 == 0)
        if round % 5 == 0 {
          // A `path` key in the data: both forms strip it.
          state.setMember("path", .string("somewhere"))
        }
        let text = try ReferenceJSONWriter.text(for: state)
        let read = Self.read(text, schema: schema)
        let readForm = try #require(read.attributes, "round \(round)")
        let mergeForm = try #require(Self.read(text, schema: schema).mergeFormWithoutOlderVersion)
        #expect(try Self.view(mergeForm, schema: schema) == Self.view(readForm, schema: schema), "round \(round)")
        // The shortcut applies here (not the read form again).
        #expect(mergeForm != readForm, "round \(round)")
      }
    }
  }

  /// The merged view's text when the slice's versions 1 and 2 read as `previous` and `current`.
  static func view(previous: Value, current: Value, schema: StoreSchema) throws -> String {
    let older = ActiveVersion(version: 1, attributes: previous, path: "/p/git_ops/active/fs/s@v1.json")
    let latest = ActiveVersion(version: 2, attributes: current, path: "/p/git_ops/active/fs/s@v2.json")
    let unrolled = try #require(
      try MergedView.unroll(
        name: "s", storeName: "fs", current: CurrentSlice(latest), history: [older, latest], catalog: schema.catalog,
        listingElements: false))
    return try ReferenceJSONWriter.text(for: unrolled.slice.value)
  }

  /// Two versions: the merge compares them (the one use it makes of the read forms' managed
  /// defaults), and from their merge forms it must decide as from their read forms.
  @Test func twoVersionsMergeAlikeFromEitherForm() throws {
    let nullDefault = ["File": [ModelOnlyAttribute(name: "previous_content", defaultValue: .null)]]
    for schema in [Self.fsSchema(modelOnly: nullDefault), Self.fsSchema(modelOnly: [:])] {
      var random = XorShift(state: 29)
      var updates = 0
      for round in 0..<200 {
        // Names drawn from a few letters: the two states share items, some equal, some not.
        let current = CollisionScreenTests.randomState(&random, duplicates: round % 5 != 0)
        let previous = round % 7 == 0 ? current : CollisionScreenTests.randomState(&random, duplicates: round % 5 != 0)
        let texts = try [previous, current].map { try ReferenceJSONWriter.text(for: $0) }
        let readForms = try texts.map { try #require(Self.read($0, schema: schema).attributes, "round \(round)") }
        let mergeForms = try texts.map { try #require(Self.read($0, schema: schema).mergeFormInsteadOfReadForm, "round \(round)") }
        let fromReadForms = try Self.view(previous: readForms[0], current: readForms[1], schema: schema)
        #expect(try Self.view(previous: mergeForms[0], current: mergeForms[1], schema: schema) == fromReadForms, "round \(round)")
        if fromReadForms.contains(#""operation": "update""#) { updates += 1 }
      }
      // The comparisons decide both ways across the rounds.
      #expect(updates > 20)
    }
  }

  /// Export drops the text of a file without findings: its line index is never built, and a
  /// file with findings keeps its whole text for their positions.
  @Test func aReadThatDropsItsDocumentKeepsItWhenThereAreFindings() throws {
    let schema = Self.fsSchema(modelOnly: [:])
    func read(_ text: String) -> SliceFileAnalyzer.Read {
      SliceFileAnalyzer.read(
        URL(fileURLWithPath: "/p/git_ops/active/fs/s@v1.json"), bytes: Array(text.utf8), role: .active(store: "fs"),
        format: .json, schema: schema, checkUnknown: false, keepsDocumentWithoutFindings: false)
    }
    let validText = #"{"host": "h","# + "\n" + #" "content": []}"#
    let valid = read(validText)
    #expect(valid.file.findings.isEmpty && valid.file.document.bytes.isEmpty, "\(valid.file.findings)")
    #expect(valid.attributes == Self.read(validText, schema: schema).attributes)
    let invalid = read(#"{"host": 1,"# + "\n" + #" "content": []}"#)
    #expect(!invalid.file.findings.isEmpty)
    #expect(invalid.file.document.lineCount == 2)
  }

  @Test func theShortcutStandsAsideWhereTheFormsCouldDiffer() throws {
    let plain = #"{"host": "h", "content": [{"type": "file", "name": "a", "content": "x"}]}"#
    let schema = Self.fsSchema(modelOnly: [:])
    #expect(Self.read(plain, schema: schema).mergeFormWithoutOlderVersion != Self.read(plain, schema: schema).attributes)
    // A managed attribute written by hand (even escaped), a model-only default that is not
    // null: the read form is used.
    let handWritten = [
      #"{"host": "h", "content": [{"type": "file", "name": "a", "operation": "delete"}]}"#,
      #"{"host": "h", "version": 4, "content": []}"#,
      #"{"host": "h", "content": [{"type": "file", "name": "a", "oper\u0061tion": "delete"}]}"#,
    ]
    for text in handWritten {
      #expect(Self.read(text, schema: schema).mergeFormWithoutOlderVersion == Self.read(text, schema: schema).attributes, "\(text)")
    }
    let withDefault = Self.fsSchema(modelOnly: ["File": [ModelOnlyAttribute(name: "previous_content", defaultValue: .string(""))]])
    #expect(Self.read(plain, schema: withDefault).mergeFormWithoutOlderVersion == Self.read(plain, schema: withDefault).attributes)
  }
}
