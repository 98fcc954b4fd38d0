import SliceSyntax
import Testing

@testable import SliceStore

/// Expected texts below were produced by CPython 3.11 (`str`, `repr`, `json.dumps`) and
/// PyYAML 6.0.3 (`yaml.safe_dump(v, sort_keys=False)`).
@Suite struct PythonReprTests {
  @Test(arguments: [
    (1.0, "1.0"), (1.5, "1.5"), (-0.0, "-0.0"), (0.0, "0.0"), (100.0, "100.0"), (0.1, "0.1"),
    (1e16, "1e+16"), (1e15, "1000000000000000.0"), (9999999999999998.0, "9999999999999998.0"),
    (123456789012345678.0, "1.2345678901234568e+17"), (1e22, "1e+22"),
    (0.0001, "0.0001"), (0.00012, "0.00012"), (1e-5, "1e-05"), (2.5e-5, "2.5e-05"), (1.5e-7, "1.5e-07"),
    (Double.leastNonzeroMagnitude, "5e-324"), (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"),
    (123456789.123, "123456789.123"), (Double.infinity, "inf"), (-Double.infinity, "-inf"), (Double.nan, "nan"),
  ])
  func floatRepr(number: Double, expected: String) {
    #expect(PythonRepr.float(number) == expected)
    #expect(PythonRepr.str(.float(number)) == expected)
  }

  @Test func strOfScalars() throws {
    #expect(PythonRepr.str(.boolean(true)) == "True")
    #expect(PythonRepr.str(.boolean(false)) == "False")
    #expect(PythonRepr.str(.null) == "None")
    #expect(PythonRepr.str(.integer(-42)) == "-42")
    let big = try #require(WriterTestSupport.integer("100000000000000000000")?.scalarValue)
    #expect(PythonRepr.str(big) == "100000000000000000000")
    #expect(PythonRepr.str(.string(" yes\n")) == " yes\n")
    #expect(PythonRepr.str(.date(Timestamp(year: 5, month: 1, day: 2))) == "0005-01-02")
    let aware = Timestamp(year: 2024, month: 1, day: 31, hour: 10, microsecond: 500, utcOffsetMinutes: -330)
    #expect(PythonRepr.str(.datetime(aware)) == "2024-01-31 10:00:00.000500-05:30")
    #expect(PythonRepr.str(.datetime(Timestamp(year: 2024, month: 1, day: 31, hour: 9, minute: 5, second: 7))) == "2024-01-31 09:05:07")
  }
}

@Suite struct ReferenceWriterExampleTests {
  @Test func yamlDatesKeysAndResolverEdges() {
    let utcNoon = Timestamp(year: 2024, month: 1, day: 31, hour: 10, utcOffsetMinutes: 0)
    let value = Value.object([
      Value.Member("d", .scalar(.date(Timestamp(year: 2024, month: 1, day: 31)))),
      Value.Member(key: Value.Key(.date(Timestamp(year: 2024, month: 1, day: 31))), value: .scalar(.datetime(utcNoon))),
      Value.Member("s", .string("2024-01-31 10:00:00")),
      // `$` in Python's patterns also matches before a final newline: "yes\n" would read as a bool.
      Value.Member("t", .string("yes\n")),
      Value.Member("u", .string("\n")),
      Value.Member("v", .string("a\u{A0}b")),
      Value.Member(key: Value.Key(.integer(3)), value: .null),
      Value.Member(key: Value.Key(.boolean(true)), value: .float(1.5e-7)),
    ])
    #expect(
      ReferenceYAMLWriter.text(for: value)
        == "d: 2024-01-31\n2024-01-31: 2024-01-31 10:00:00+00:00\ns: '2024-01-31 10:00:00'\nt: 'yes\n\n  '\nu: '\n\n  '\nv: \"a\\_b\"\n3: null\ntrue: 1.5e-07\n"
    )
    // json.dumps refuses dates.
    #expect(throws: ReferenceWriterError.notJSONSerializable(pythonType: "date")) {
      try ReferenceJSONWriter.text(for: value)
    }
  }

  @Test func yamlRootValues() {
    // A plain root scalar leaves the document open, so PyYAML ends the stream with `...`.
    #expect(ReferenceYAMLWriter.text(for: .string("abc")) == "abc\n...\n")
    #expect(ReferenceYAMLWriter.text(for: .integer(1)) == "1\n...\n")
    #expect(ReferenceYAMLWriter.text(for: .array([.string("a"), .string("b")])) == "- a\n- b\n")
    #expect(ReferenceYAMLWriter.text(for: .object([])) == "{}\n")
  }

  /// A key stays simple below 128 characters counting its (unwritten) tag: 122 for a string
  /// (`!!str`), 122 digits for an int (`!!int`). Multi-line keys are always explicit, and a
  /// sequence after an explicit `:` is indented like a `- ` item, not under the key.
  @Test(arguments: [122, 123])
  func yamlSimpleKeyLimit(length: Int) throws {
    let longKey = String(repeating: "k", count: length)
    let number = try #require(WriterTestSupport.integer("1" + String(repeating: "0", count: length - 1))?.scalarValue)
    let value = Value.object([
      Value.Member(longKey, .integer(1)),
      Value.Member(key: Value.Key(number), value: .integer(2)),
      Value.Member("a\nb", .array([.object([Value.Member(String(repeating: "x", count: 200), .string("y"))])])),
    ])
    let digits = "1" + String(repeating: "0", count: length - 1)
    let head =
      length == 122 ? "\(longKey): 1\n\(digits): 2\n" : "? \(longKey)\n: 1\n? \(digits)\n: 2\n"
    let tail = "? 'a\n\n  b'\n: - ? \(String(repeating: "x", count: 200))\n    : y\n"
    #expect(ReferenceYAMLWriter.text(for: value) == head + tail)
  }

  @Test func jsonKeysAndEscapes() throws {
    let value = Value.object([
      Value.Member(key: Value.Key(.integer(1)), value: .integer(4)),
      Value.Member(key: Value.Key(.float(1.5)), value: .integer(3)),
      Value.Member(key: Value.Key(.null), value: .integer(5)),
      Value.Member("😀\u{7F}", .float(.nan)),
    ])
    #expect(
      try ReferenceJSONWriter.text(for: value)
        == "{\n  \"1\": 4,\n  \"1.5\": 3,\n  \"null\": 5,\n  \"\\ud83d\\ude00\\u007f\": NaN\n}")
  }
}
