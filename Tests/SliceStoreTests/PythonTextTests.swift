import BigInt
import SliceSyntax
import Testing

@testable import SliceStore

@Suite struct PythonTextTests {
  /// `repr(float)` recorded from Python 3.12.
  static let floats: [(Double, String)] = [
    (0.1, "0.1"), (1.0, "1.0"), (1e16, "1e+16"), (1.5e16, "1.5e+16"), (1e-5, "1e-05"), (0.0001, "0.0001"),
    (123456789.125, "123456789.125"), (1e22, "1e+22"), (Double.leastNonzeroMagnitude, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"), (-0.0, "-0.0"), (2.5, "2.5"), (100.0, "100.0"),
    (1234567890123456.0, "1234567890123456.0"), (12345678901234567.0, "1.2345678901234568e+16"),
    (0.00012, "0.00012"), (0.000012, "1.2e-05"), (-1.25e-7, "-1.25e-07"),
    (9999999999999998.0, "9999999999999998.0"), (1e15, "1000000000000000.0"),
    (3.141592653589793, "3.141592653589793"), (1152921504606846976.0, "1.152921504606847e+18"), (0.5e-4, "5e-05"),
    (.infinity, "inf"), (-.infinity, "-inf"), (.nan, "nan"),
  ]

  @Test func floatsAsPythonPrintsThem() {
    for (number, expected) in Self.floats {
      #expect(pythonFloatRepr(number) == expected, "\(number)")
    }
  }

  @Test func scalarsAsPythonStrShowsThem() {
    #expect(pythonStr(Scalar.boolean(true)) == "True")
    #expect(pythonStr(Scalar.boolean(false)) == "False")
    #expect(pythonStr(Scalar.null) == "None")
    #expect(pythonStr(Scalar.integer(-5)) == "-5")
    #expect(pythonStr(Scalar.integer(BigInt(10).power(30))) == "1000000000000000000000000000000")
    #expect(pythonStr(Scalar.string("x")) == "x")
    #expect(pythonStr(Scalar.date(Timestamp(year: 2024, month: 1, day: 31))) == "2024-01-31")
    #expect(
      pythonStr(Scalar.datetime(Timestamp(year: 2024, month: 1, day: 31, hour: 10, minute: 5, second: 0, microsecond: 500, utcOffsetMinutes: -90)))
        == "2024-01-31 10:05:00.000500-01:30")
  }

  @Test func containersAsPythonReprShowsThem() {
    #expect(pythonStr(Value.array([.string("a"), .integer(1), .null, .float(1.5), .boolean(true)])) == "['a', 1, None, 1.5, True]")
    #expect(pythonStr(Value.object([Value.Member("a", .string("it's"))])) == "{'a': \"it's\"}")
    #expect(pythonStringRepr("it's \"q\"") == "'it\\'s \"q\"'")
    #expect(pythonStringRepr("tab\tnl\n\u{01}\\") == "'tab\\tnl\\n\\x01\\\\'")
  }
}
