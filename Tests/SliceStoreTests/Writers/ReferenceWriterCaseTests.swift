import Foundation
import SliceSyntax
import Testing

@testable import SliceStore

/// The recorded outputs of the reference (`../shared/fidelity/reference-writer-cases.json`):
/// `json.dumps(obj, indent=2)` and `yaml.safe_dump(obj, sort_keys=False)` for single values
/// (wrapped as `{"value": v}`) and whole slices. Both writers must produce the same bytes.
@Suite struct ReferenceWriterCaseTests {
  struct WriterCase {
    var valueRepr: String
    var wholeSlice: Bool
    var json: String
    var yaml: String
  }

  static func loadCases() throws -> [WriterCase] {
    let url = try #require(WriterTestSupport.sharedFidelityFile("reference-writer-cases.json"))
    let text = try String(contentsOf: url, encoding: .utf8)
    let root = try #require(WriterTestSupport.readJSON(text), "the cases file is not JSON")
    let cases = try #require(root["cases"]?.elements)
    return try cases.map { entry in
      let valueRepr = try #require(entry["value_repr"]?.scalarValue.flatMap(stringOf))
      let json = try #require(entry["json"]?.scalarValue.flatMap(stringOf))
      let yaml = try #require(entry["yaml"]?.scalarValue.flatMap(stringOf))
      var wholeSlice = false
      if case .scalar(.boolean(true))? = entry["whole_slice"] { wholeSlice = true }
      return WriterCase(valueRepr: valueRepr, wholeSlice: wholeSlice, json: json, yaml: yaml)
    }
  }

  private static func stringOf(_ scalar: Scalar) -> String? {
    if case .string(let text) = scalar { return text }
    return nil
  }

  /// The Python value of a case, as the reference held it before writing.
  static func inputValue(_ writerCase: WriterCase) throws -> Value {
    let parsed = try PythonLiteralParser.parse(writerCase.valueRepr)
    return writerCase.wholeSlice ? parsed : .object([Value.Member("value", parsed)])
  }

  @Test func casesAreRecorded() throws {
    let cases = try Self.loadCases()
    #expect(cases.count == 93)
    #expect(cases.contains { $0.wholeSlice })
  }

  /// The JSON text of every case reads back (with the project's JSON reader) as exactly the value
  /// `value_repr` describes: the writers are fed the same value the reference wrote.
  @Test func jsonTextReconstructsTheValue() throws {
    for writerCase in try Self.loadCases() {
      let expected = try Self.inputValue(writerCase)
      let read = try #require(WriterTestSupport.readJSON(writerCase.json), "\(writerCase.valueRepr)")
      #expect(WriterTestSupport.identical(read, expected), "JSON of \(writerCase.valueRepr) reads differently")
    }
  }

  @Test func writersReproduceTheReferenceBytes() throws {
    let cases = try Self.loadCases()
    var jsonMatches = 0
    var yamlMatches = 0
    for writerCase in cases {
      // The JSON reader keeps key order and int-vs-float; dates (not JSON) come from the repr.
      let value = try WriterTestSupport.readJSON(writerCase.json) ?? Self.inputValue(writerCase)
      let json = try ReferenceJSONWriter.text(for: value)
      let yaml = ReferenceYAMLWriter.text(for: value)
      if json == writerCase.json { jsonMatches += 1 }
      if yaml == writerCase.yaml { yamlMatches += 1 }
      #expect(json == writerCase.json, "JSON of \(writerCase.valueRepr)")
      #expect(yaml == writerCase.yaml, "YAML of \(writerCase.valueRepr)")
    }
    print("writer cases: \(jsonMatches)/\(cases.count) JSON, \(yamlMatches)/\(cases.count) YAML")
    #expect(jsonMatches == cases.count && yamlMatches == cases.count)
  }
}
