import BigInt
import Foundation
import SliceSyntax
import Testing

/// `PythonText` against the CPython on PATH, byte for byte: `str()` and `repr()` of a few hundred
/// values (random and boundary doubles, strings of quotes, backslashes, controls, separators and
/// non-BMP characters, dates and datetimes, containers). python3 is part of the test environment
/// here and in CI; without it the test fails and says so.
@Suite struct PythonTextDifferentialTests {
  @Test func strAndReprLikeCPython() throws {
    let values = Self.values()
    let python = try #require(try Self.pythonStrAndRepr(values.map(Self.encoded)))
    try #require(python.count == values.count, "python3 answered \(python.count) lines for \(values.count) values")
    var differences: [String] = []
    for (value, expected) in zip(values, python) {
      let swift = [PythonText.str(value), PythonText.repr(value)]
      if swift != expected {
        differences.append("str/repr: python \(expected.map { String(reflecting: $0) }), swift \(swift.map { String(reflecting: $0) })")
      }
    }
    #expect(
      differences.isEmpty,
      "\(differences.count) of \(values.count) values differ from CPython:\n\(differences.prefix(10).joined(separator: "\n"))")
  }

  // MARK: The values

  static func values() -> [Value] {
    var random = TestRandom(seed: 0x5EED_0F_7E47)
    var values: [Value] = boundaryDoubles().map(Value.float)
    for _ in 0..<150 { values.append(.float(Double(bitPattern: random.next()))) }
    for _ in 0..<100 {
      // Short decimals in the fixed-notation range and around its edges.
      let digits = Double(random.next() % 10_000_000)
      let exponent = random.below(26) - 8
      values.append(.float(digits * pow(10, Double(exponent - 7))))
    }
    for _ in 0..<100 {
      let length = random.below(8)
      let text = String(String.UnicodeScalarView((0..<length).map { _ in trickyScalars[random.below(trickyScalars.count)] }))
      values.append(.string(text))
    }
    values += ["", "'", "\"", "'\"", "\\'", "it's", "say \"hi\""].map(Value.string)
    for _ in 0..<40 {
      let stamp = Timestamp(
        year: 1 + random.below(9999), month: 1 + random.below(12), day: 1 + random.below(28),
        hour: random.below(24), minute: random.below(60), second: random.below(3) == 0 ? 0 : random.below(60),
        microsecond: random.below(3) == 0 ? random.below(1_000_000) : 0,
        utcOffsetMinutes: random.below(3) == 0 ? nil : random.below(2 * 1439 + 1) - 1439)
      values.append(.scalar(.date(stamp)))
      values.append(.scalar(.datetime(stamp)))
    }
    values.append(.scalar(.datetime(Timestamp(year: 2024, month: 1, day: 31, utcOffsetMinutes: 0))))
    values += [.null, .boolean(true), .boolean(false), .integer(0), .integer(-7), .integer(BigInt(-3).power(75))]
    values.append(.array([.string("a'b"), .float(1e16), .null, .array([]), .object([])]))
    values.append(
      .object([
        Value.Member("k\n", .array([.boolean(true), .float(-0.0)])),
        Value.Member(key: Value.Key(.integer(2)), value: .scalar(.date(Timestamp(year: 2024, month: 2, day: 29)))),
      ]))
    return values
  }

  static func boundaryDoubles() -> [Double] {
    let anchors: [Double] = [
      0, 1, 0.1, 1e-4, 1e-5, 1e15, 1e16, 1e17, 9007199254740992, 1e22, 1e23, 5e-324, 2.2250738585072014e-308,
      Double(bitPattern: 0x000F_FFFF_FFFF_FFFF), .greatestFiniteMagnitude, 0.3, 2.0 / 3.0, 123456789.125,
    ]
    var doubles: [Double] = [.infinity, -.infinity, .nan, -0.0]
    for anchor in anchors {
      doubles += [anchor, -anchor, anchor.nextUp, anchor.nextDown]
    }
    return doubles
  }

  /// Quotes, backslashes, C0 and C1 controls, separators, format characters, private use,
  /// noncharacters, combining marks and non-BMP characters assigned long ago (Unicode 6 or
  /// earlier, so any Python 3 and this toolchain agree on what is printable).
  static let trickyScalars: [Unicode.Scalar] = [
    "a", "Z", " ", "'", "\"", "\\", "\n", "\r", "\t", "\0", "\u{07}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}",
    "\u{85}", "\u{9F}", "\u{A0}", "\u{AD}", "é", "\u{301}", "ß", "\u{200B}", "\u{200D}", "\u{2028}", "\u{2029}",
    "\u{3000}", "\u{FEFF}", "\u{E000}", "\u{FFFD}", "\u{FFFF}", "€", "中", "😀", "\u{1D11E}", "\u{20000}",
    "\u{E0001}", "\u{F0000}", "\u{10FFFF}",
  ]

  // MARK: Talking to CPython

  /// Each value as JSON that the script below rebuilds exactly: floats by bit pattern, strings
  /// as UTF-8 hex, so nothing depends on either side's JSON number or string handling.
  static func encoded(_ value: Value) -> String {
    switch value {
    case .array(let elements): return "{\"list\":[" + elements.map(encoded).joined(separator: ",") + "]}"
    case .object(let members):
      return "{\"dict\":[" + members.map { "[" + encoded(.scalar($0.key.scalar)) + "," + encoded($0.value) + "]" }
        .joined(separator: ",") + "]}"
    case .scalar(let scalar):
      switch scalar {
      case .string(let text): return "{\"str\":\"" + text.utf8.map { hexByte($0) }.joined() + "\"}"
      case .integer(let number): return "{\"int\":\"\(number)\"}"
      case .float(let number): return "{\"float\":\"\(number.bitPattern)\"}"
      case .boolean(let flag): return "{\"bool\":\(flag)}"
      case .null: return "{\"none\":0}"
      case .date(let stamp): return "{\"date\":[\(stamp.year),\(stamp.month),\(stamp.day)]}"
      case .datetime(let stamp):
        let fields = [stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second, stamp.microsecond]
        let offset = stamp.utcOffsetMinutes.map(String.init) ?? "null"
        return "{\"datetime\":[\(fields.map(String.init).joined(separator: ",")),\(offset)]}"
      }
    }
  }

  private static func hexByte(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16)
    return digits.count == 1 ? "0" + digits : digits
  }

  static let script = """
    import datetime, json, struct, sys
    def build(spec):
        (kind, payload), = spec.items()
        if kind == "float": return struct.unpack("<d", struct.pack("<Q", int(payload)))[0]
        if kind == "str": return bytes.fromhex(payload).decode("utf-8")
        if kind == "int": return int(payload)
        if kind == "bool": return payload
        if kind == "none": return None
        if kind == "date": return datetime.date(*payload)
        if kind == "datetime":
            zone = None if payload[7] is None else datetime.timezone(datetime.timedelta(minutes=payload[7]))
            return datetime.datetime(*payload[:7], tzinfo=zone)
        if kind == "list": return [build(item) for item in payload]
        if kind == "dict": return {build(key): build(item) for key, item in payload}
        raise ValueError(kind)
    values = [build(spec) for spec in json.load(sys.stdin)]
    json.dump([[str(value), repr(value)] for value in values], sys.stdout)
    """

  /// `[str(value), repr(value)]` for each encoded value, from `python3 -c`.
  static func pythonStrAndRepr(_ specs: [String]) throws -> [[String]]? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script]
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // The script reads all its input before it writes: no deadlock on full pipes.
    input.fileHandleForWriting.write(Data(("[" + specs.joined(separator: ",") + "]").utf8))
    try input.fileHandleForWriting.close()
    let answer = output.fileHandleForReading.readDataToEndOfFile()
    let problems = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if process.terminationStatus == 127 {
      Issue.record("python3 is not on PATH: this differential test needs CPython 3 to compare against")
      return nil
    }
    guard process.terminationStatus == 0 else {
      Issue.record("python3 failed (status \(process.terminationStatus)): \(String(decoding: problems, as: UTF8.self))")
      return nil
    }
    return try JSONDecoder().decode([[String]].self, from: answer)
  }
}
