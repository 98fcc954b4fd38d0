import SliceStore
import SliceSyntax
import Testing

/// Hand-written JSON cases: pretty files (any indentation), compact files, commas.
@Suite struct PreservingEditsJSONTests {
  private let value = PreservingCheck.value

  private func edited(
    _ source: String, _ normalized: String, method: PreservingEdits.Method = .preserving,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String {
    let result = try PreservingCheck.run(source, .json, value(normalized), sourceLocation: sourceLocation)
    #expect(result.method == method, sourceLocation: sourceLocation)
    return result.text
  }

  private let pretty = """
    {
      "name": "a",
      "port": "80",
      "unknown": true,
      "tags": [
        "x"
      ]
    }
    """

  @Test func prettyFilesGetEntriesWithCommasAndTheirIndentation() throws {
    let normalized = #"{"version": 1, "name": "a", "port": 80, "tags": ["x", "y"], "limits": {"cpu": 2, "disks": [{"size": 1.5}]}}"#
    #expect(
      try edited(pretty, normalized) == """
        {
          "version": 1,
          "name": "a",
          "port": 80,
          "tags": [
            "x",
            "y"
          ],
          "limits": {
            "cpu": 2,
            "disks": [
              {
                "size": 1.5
              }
            ]
          }
        }
        """)
  }

  @Test func removingTheFirstMiddleLastAndAllEntries() throws {
    #expect(
      try edited(pretty, #"{"port": "80", "unknown": true, "tags": ["x"]}"#)
        == "{\n  \"port\": \"80\",\n  \"unknown\": true,\n  \"tags\": [\n    \"x\"\n  ]\n}")
    #expect(
      try edited(pretty, #"{"name": "a", "port": "80", "tags": ["x"]}"#)
        == "{\n  \"name\": \"a\",\n  \"port\": \"80\",\n  \"tags\": [\n    \"x\"\n  ]\n}")
    #expect(try edited(pretty, #"{"name": "a", "port": "80", "unknown": true}"#) == "{\n  \"name\": \"a\",\n  \"port\": \"80\",\n  \"unknown\": true\n}")
    #expect(try edited(pretty, #"{"name": "a", "port": "80", "unknown": true, "tags": []}"#) == "{\n  \"name\": \"a\",\n  \"port\": \"80\",\n  \"unknown\": true,\n  \"tags\": []\n}")
    #expect(try edited(pretty, #"{"other": 1}"#) == "{\n  \"other\": 1\n}")
  }

  @Test func theFileIndentationIsDetected() throws {
    let fourSpaces = "{\n    \"a\": 1\n}\n"
    #expect(try edited(fourSpaces, #"{"a": 1, "b": {"c": [1]}}"#) == "{\n    \"a\": 1,\n    \"b\": {\n        \"c\": [\n            1\n        ]\n    }\n}\n")
    let tabs = "{\n\t\"a\": 1\n}"
    #expect(try edited(tabs, #"{"a": 1, "b": {"c": 2}}"#) == "{\n\t\"a\": 1,\n\t\"b\": {\n\t\t\"c\": 2\n\t}\n}")
  }

  @Test func compactFilesStayOnOneLine() throws {
    let compact = #"{"a": 1, "b": "2", "c": [1, 2, 3]}"#
    #expect(try edited(compact, #"{"z": 0, "a": 1, "b": 2, "n": {"x": [true]}}"#) == #"{"z": 0, "a": 1, "b": 2, "n": {"x": [true]}}"#)
    #expect(try edited(compact, #"{"c": [1]}"#) == #"{"c": [1]}"#)
    #expect(try edited(compact, #"{"a": 1, "c": [1, 2, 3, 4]}"#) == #"{"a": 1, "c": [1, 2, 3, 4]}"#)
    let tight = #"{"a":1,"b":2}"#
    #expect(try edited(tight, #"{"a":1,"b":2,"c":{"d":3}}"#) == #"{"a":1,"b":2,"c":{"d":3}}"#)
  }

  @Test func aNestedCompactValueInAPrettyFileStaysCompact() throws {
    let source = "{\n  \"a\": {\"x\": 1, \"y\": 2},\n  \"b\": 1\n}"
    #expect(try edited(source, #"{"a": {"y": 2, "z": [1]}, "b": 1}"#) == "{\n  \"a\": {\"y\": 2, \"z\": [1]},\n  \"b\": 1\n}")
  }

  @Test func coercedScalarsAreWrittenAsJSONDumpsWritesThem() throws {
    let source = #"{"ratio": 1, "name": 5, "flag": 1, "big": "12345678901234567890", "text": "caf\u00e9"}"#
    #expect(
      try edited(source, #"{"ratio": 1.0, "name": "5", "flag": true, "big": 12345678901234567890, "text": "café 😀"}"#)
        == #"{"ratio": 1.0, "name": "5", "flag": true, "big": 12345678901234567890, "text": "caf\u00e9 \ud83d\ude00"}"#)
  }

  @Test func duplicatesAndManagedAttributesAreRemoved() throws {
    let source = "{\n  \"path\": \".\",\n  \"a\": 1,\n  \"operation\": \"create\",\n  \"a\": 2\n}"
    #expect(try edited(source, #"{"a": 2}"#) == "{\n  \"a\": 2\n}")
  }

  @Test func crlfAndATrailingLineBreakAreKept() throws {
    let source = "{\r\n  \"a\": 1\r\n}\r\n"
    #expect(try edited(source, #"{"a": 1, "b": [2]}"#) == "{\r\n  \"a\": 1,\r\n  \"b\": [\r\n    2\r\n  ]\r\n}\r\n")
  }

  @Test func entriesSharingALineWithABracketAreEditedInline() throws {
    let source = "{\"a\": 1,\n \"b\": 2}"
    #expect(try edited(source, #"{"a": 1}"#) == "{\"a\": 1}")
    #expect(try edited(source, #"{"a": 1, "b": 2, "c": 3}"#) == "{\"a\": 1,\n \"b\": 2, \"c\": 3}")
  }

  @Test func listsOfObjectsAreMatchedByPosition() throws {
    let source = "[\n  {\n    \"id\": 1,\n    \"x\": 0\n  },\n  {\n    \"id\": 2\n  }\n]"
    #expect(
      try edited(source, #"[{"id": 1, "v": null}, {"id": 2, "v": null}, {"id": 3, "v": null}]"#)
        == "[\n  {\n    \"id\": 1,\n    \"v\": null\n  },\n  {\n    \"id\": 2,\n    \"v\": null\n  },\n  {\n    \"id\": 3,\n    \"v\": null\n  }\n]")
  }

  @Test func datesCannotBeWrittenToJSON() {
    let source = Array(#"{"a": 1}"#.utf8)
    let tree = SliceReader.read(source, format: .json)
    let date = Value.object([Value.Member("a", .scalar(.date(Timestamp(year: 2024, month: 1, day: 31))))])
    #expect(throws: PreservingEditsError.notWritable(.notJSONSerializable(pythonType: "date"))) {
      try PreservingEdits.edits(source: source, tree: tree, normalized: date)
    }
  }

  @Test func aSyntaxErrorGivesNoEdits() {
    let source = Array(#"{"a": 1,}"#.utf8)
    let tree = SliceReader.read(source, format: .json)
    #expect(throws: PreservingEditsError.self) {
      try PreservingEdits.edits(source: source, tree: tree, normalized: .object([]))
    }
  }
}
