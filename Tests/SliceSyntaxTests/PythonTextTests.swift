import BigInt
import SliceSyntax
import Testing

/// Expected texts were produced by CPython 3.11 and 3.12 (`str`, `repr`); the differential
/// test in `PythonTextDifferentialTests` checks many more against the python3 on PATH.
@Suite struct PythonTextTests {
  @Test(arguments: [
    (0.1, "0.1"), (1.0, "1.0"), (1.5, "1.5"), (2.5, "2.5"), (-0.0, "-0.0"), (0.0, "0.0"), (100.0, "100.0"),
    (1e16, "1e+16"), (1.5e16, "1.5e+16"), (1e15, "1000000000000000.0"), (9999999999999998.0, "9999999999999998.0"),
    (1234567890123456.0, "1234567890123456.0"), (12345678901234567.0, "1.2345678901234568e+16"),
    (123456789012345678.0, "1.2345678901234568e+17"), (1152921504606846976.0, "1.152921504606847e+18"),
    // Above 2^53 Swift's own description switches to exponent notation; Python does not below 1e16.
    (9007199254740992.0, "9007199254740992.0"), (9007199254740994.0, "9007199254740994.0"),
    (1e22, "1e+22"), (0.0001, "0.0001"), (0.00012, "0.00012"), (1e-5, "1e-05"), (0.5e-4, "5e-05"),
    (2.5e-5, "2.5e-05"), (0.000012, "1.2e-05"), (1.5e-7, "1.5e-07"), (-1.25e-7, "-1.25e-07"),
    (123456789.125, "123456789.125"), (123456789.123, "123456789.123"), (3.141592653589793, "3.141592653589793"),
    (Double.leastNonzeroMagnitude, "5e-324"), (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"),
    (Double.infinity, "inf"), (-Double.infinity, "-inf"), (Double.nan, "nan"),
  ])
  func floatRepr(number: Double, expected: String) {
    #expect(PythonText.float(number) == expected)
    #expect(PythonText.str(Scalar.float(number)) == expected)
    #expect(PythonText.repr(Value.float(number)) == expected)
  }

  @Test func strOfScalars() {
    #expect(PythonText.str(Scalar.boolean(true)) == "True")
    #expect(PythonText.str(Scalar.boolean(false)) == "False")
    #expect(PythonText.str(Scalar.null) == "None")
    #expect(PythonText.str(Scalar.integer(-42)) == "-42")
    #expect(PythonText.str(Scalar.integer(BigInt(10).power(30))) == "1000000000000000000000000000000")
    // Either side of the 64-bit fast path.
    #expect(PythonText.str(Scalar.integer(BigInt(Int.max))) == "9223372036854775807")
    #expect(PythonText.str(Scalar.integer(BigInt(Int.min))) == "-9223372036854775808")
    #expect(PythonText.str(Scalar.integer(BigInt(Int.max) + 1)) == "9223372036854775808")
    #expect(PythonText.str(Scalar.integer(BigInt(Int.min) - 1)) == "-9223372036854775809")
    #expect(PythonText.str(Scalar.string(" yes\n")) == " yes\n")
    #expect(PythonText.str(Scalar.date(Timestamp(year: 5, month: 1, day: 2))) == "0005-01-02")
    let aware = Timestamp(year: 2024, month: 1, day: 31, hour: 10, microsecond: 500, utcOffsetMinutes: -330)
    #expect(PythonText.str(Scalar.datetime(aware)) == "2024-01-31 10:00:00.000500-05:30")
    #expect(PythonText.str(Scalar.datetime(Timestamp(year: 2024, month: 1, day: 31, hour: 9, minute: 5, second: 7))) == "2024-01-31 09:05:07")
    #expect(PythonText.isoDateTime(aware, separator: "T") == "2024-01-31T10:00:00.000500-05:30")
  }

  @Test func reprOfContainers() {
    #expect(PythonText.str(Value.array([.string("a"), .integer(1), .null, .float(1.5), .boolean(true)])) == "['a', 1, None, 1.5, True]")
    #expect(PythonText.str(Value.object([Value.Member("a", .string("it's"))])) == "{'a': \"it's\"}")
    #expect(PythonText.str(Value.object([Value.Member(key: Value.Key(.integer(1)), value: .array([]))])) == "{1: []}")
  }

  @Test func reprOfStrings() {
    #expect(PythonText.repr(string: "it's \"q\"") == "'it\\'s \"q\"'")
    #expect(PythonText.repr(string: "it's") == "\"it's\"")
    #expect(PythonText.repr(string: "tab\tnl\n\u{01}\\") == "'tab\\tnl\\n\\x01\\\\'")
    // What `str.isprintable()` refuses beyond ASCII controls: C1 controls, no-break and other
    // separators, format characters, private use; combining marks and emoji stay as they are.
    #expect(PythonText.repr(string: "\u{7F}\u{85}\u{A0}\u{AD}") == "'\\x7f\\x85\\xa0\\xad'")
    #expect(PythonText.repr(string: "\u{200B}\u{2028}\u{3000}\u{FEFF}\u{E000}") == "'\\u200b\\u2028\\u3000\\ufeff\\ue000'")
    #expect(PythonText.repr(string: "\u{E0001}\u{10FFFF}") == "'\\U000e0001\\U0010ffff'")
    #expect(PythonText.repr(string: "e\u{301} 😀 \u{20000}") == "'e\u{301} 😀 \u{20000}'")
  }

  @Test func reprOfDates() {
    #expect(PythonText.repr(.date(Timestamp(year: 5, month: 1, day: 2))) == "datetime.date(5, 1, 2)")
    #expect(
      PythonText.repr(.datetime(Timestamp(year: 2024, month: 1, day: 31, hour: 10)))
        == "datetime.datetime(2024, 1, 31, 10, 0)")
    #expect(
      PythonText.repr(.datetime(Timestamp(year: 2024, month: 1, day: 31, hour: 10, microsecond: 5, utcOffsetMinutes: 0)))
        == "datetime.datetime(2024, 1, 31, 10, 0, 0, 5, tzinfo=datetime.timezone.utc)")
    #expect(
      PythonText.repr(.datetime(Timestamp(year: 2024, month: 1, day: 31, second: 7, utcOffsetMinutes: 60)))
        == "datetime.datetime(2024, 1, 31, 0, 0, 7, tzinfo=datetime.timezone(datetime.timedelta(seconds=3600)))")
    #expect(
      PythonText.repr(.datetime(Timestamp(year: 2024, month: 1, day: 31, utcOffsetMinutes: -90)))
        == "datetime.datetime(2024, 1, 31, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=81000)))")
  }
}
