import Foundation
import SliceSyntax
import Testing

@testable import SliceStore

/// Seeded random values compared against the real Python (`json.dumps`, `yaml.safe_dump`, `str`),
/// run once per batch. The strings are drawn from the characters and words PyYAML's emitter
/// treats specially, so quoting, escaping and folding are all exercised.
@Suite struct ReferenceWriterDifferentialTests {
  @Test(.enabled(if: PythonOracle.isAvailable, "python3 with PyYAML is not installed: differential test skipped"))
  func randomValuesMatchPython() throws {
    var generator = RandomValueGenerator(seed: 0x5EED_0F_511CE)
    var values: [Value] = []
    for index in 0..<3000 {
      // Mostly slices (dicts); some bare values to cover root scalars and lists.
      values.append(index % 10 == 9 ? generator.value(depth: 2) : generator.object(depth: 3))
    }
    let expected = try PythonOracle.outputs(for: values)
    try #require(expected.count == values.count)

    var jsonDifferences: [String] = []
    var yamlDifferences: [String] = []
    for (value, python) in zip(values, expected) {
      let json: String?
      do { json = try ReferenceJSONWriter.text(for: value) } catch { json = nil }
      if json != python.json {
        jsonDifferences.append("value \(value)\n  python: \(String(reflecting: python.json))\n  swift:  \(String(reflecting: json))")
      }
      let yaml = ReferenceYAMLWriter.text(for: value)
      if yaml != python.yaml {
        yamlDifferences.append("value \(value)\n  python: \(String(reflecting: python.yaml))\n  swift:  \(String(reflecting: yaml))")
      }
    }
    // The batch must reach the emitter's rarer paths, or agreeing with Python proves little.
    let yamlTexts = expected.map(\.yaml)
    let coverage: [(String, Int)] = [
      ("double-quoted folded", yamlTexts.filter { $0.contains("\\\n") }.count),
      ("double-quoted continuation kept a space", yamlTexts.filter { $0.contains(" \\ ") }.count),
      ("single-quoted with breaks", yamlTexts.filter { $0.contains("'\n\n") || $0.contains("\n\n  ") }.count),
      ("explicit ? key", yamlTexts.filter { $0.hasPrefix("? ") || $0.contains("\n? ") || $0.contains(" ? ") }.count),
      ("open-ended root", yamlTexts.filter { $0.hasSuffix("...\n") }.count),
      ("astral escape", yamlTexts.filter { $0.contains("\\U0001F600") }.count),
      ("JSON TypeError", expected.filter { $0.json == nil }.count),
    ]
    print("writer differential coverage: " + coverage.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
    for (feature, count) in coverage { #expect(count > 0, "no value exercised: \(feature)") }
    print("writer differential: \(values.count - jsonDifferences.count)/\(values.count) JSON, \(values.count - yamlDifferences.count)/\(values.count) YAML")
    for difference in (jsonDifferences.prefix(5) + yamlDifferences.prefix(10)) { print(difference) }
    #expect(jsonDifferences.isEmpty, "\(jsonDifferences.count) JSON differences")
    #expect(yamlDifferences.isEmpty, "\(yamlDifferences.count) YAML differences")
  }

  /// Python's `str()` of random scalars, floats above all (shortest repr, exponent switch).
  @Test(.enabled(if: PythonOracle.isAvailable, "python3 with PyYAML is not installed: differential test skipped"))
  func randomScalarsStrLikePython() throws {
    var generator = RandomValueGenerator(seed: 0xF1_0A7)
    var scalars: [Scalar] = []
    for index in 0..<4000 {
      scalars.append(index % 2 == 0 ? .float(generator.float()) : generator.scalar())
    }
    let expected = try PythonOracle.outputs(for: scalars.map(Value.scalar))
    var differences: [String] = []
    for (scalar, python) in zip(scalars, expected) where PythonText.str(scalar) != python.str {
      differences.append("\(scalar): python \(String(reflecting: python.str)), swift \(String(reflecting: PythonText.str(scalar)))")
    }
    print("str differential: \(scalars.count - differences.count)/\(scalars.count)")
    for difference in differences.prefix(10) { print(difference) }
    #expect(differences.isEmpty)
  }
}

/// SplitMix64: small, seeded, the same on every platform.
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

struct RandomValueGenerator {
  var random: SeededRandom

  init(seed: UInt64) { random = SeededRandom(state: seed) }

  /// Pieces that matter to PyYAML's analysis and resolver, or to JSON escaping.
  static let pieces: [String] = [
    " ", " ", " ", "  ", ":", ": ", " :", "#", " #", "# ", "'", "\"", "''", "\n", "\n\n", "\n ", " \n",
    "\t", "\r", "\r\n", "\\", "é", "ß", "☃", "😀", "\u{85}", "\u{2028}", "\u{2029}", "\u{A0}", "\u{FEFF}",
    "\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{9F}", "\u{FFFD}", "\u{E000}", "\u{10FFFF}", "\u{1F}",
    "0", "1", "7", "12", "017", "0x1F", "0b101", "0o17", "1_000", "1:30", "1.5", ".5", "1e3", "1e+3",
    "1.0e-7", "-", "+", ".", "_", "e", "E", ".inf", ".nan", "2024-01-31", "2024-1-3 1:02:03",
    "yes", "No", "on", "OFF", "true", "False", "y", "n", "~", "null", "Null", "NULL",
    "-", "- ", "--", "---", "...", "?", "? ", "!", "&", "*", "[", "]", "{", "}", ",", "%", "@", "`",
    "|", ">", "=", "<<", "<", "word", "x", "ab", "key", "value", "slice", "router-1",
    "supercalifragilisticexpialidocious", "aVeryLongIdentifierWithoutAnySpacesAtAll_0123456789",
  ]

  static let words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "a", "to", "é", "x:y", "#z", "'q'", "\t"]

  mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

  mutating func string() -> String {
    switch Int.random(in: 0..<10, using: &random) {
    case 0:
      return Self.pieces.randomElement(using: &random) ?? ""
    case 1, 2:
      // Long prose, to be folded at 80 columns; sometimes with runs of spaces or a break.
      let count = Int.random(in: 8...45, using: &random)
      var words: [String] = []
      for _ in 0..<count {
        words.append(chance(85) ? (Self.words.randomElement(using: &random) ?? "") : (Self.pieces.randomElement(using: &random) ?? ""))
      }
      let separator = chance(80) ? " " : chance(50) ? "  " : " \n"
      return words.joined(separator: separator)
    case 3:
      // Exactly around the folding width.
      let target = Int.random(in: 70...95, using: &random)
      var text = ""
      while text.unicodeScalars.count < target {
        text += (Self.words.randomElement(using: &random) ?? "") + (chance(90) ? " " : "")
      }
      return text
    default:
      let count = Int.random(in: 0...6, using: &random)
      var text = ""
      for _ in 0..<count { text += Self.pieces.randomElement(using: &random) ?? "" }
      return text
    }
  }

  mutating func float() -> Double {
    switch Int.random(in: 0..<8, using: &random) {
    case 0:
      return [0.0, -0.0, 1.0, -1.5, 1e16, 1e15, 9999999999999998.0, 1e-4, 1e-5, 0.0001234, 1.5e-7, 1e22, 1e300,
        .infinity, -.infinity, .nan, Double.leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1, 0.3, 123456789.123, 2.5e-5]
        .randomElement(using: &random) ?? 0
    case 1, 2:
      // Any finite double.
      var number = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &random))
      while !number.isFinite { number = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &random)) }
      return number
    case 3:
      // Integral floats of all sizes.
      return Double(Int64.random(in: -1_000_000...1_000_000, using: &random)) * pow(10, Double(Int.random(in: 0...20, using: &random)))
    default:
      // Short decimals over a wide range of exponents.
      let mantissa = Double(Int.random(in: -99999...99999, using: &random))
      return mantissa * pow(10, Double(Int.random(in: -12...20, using: &random)))
    }
  }

  mutating func timestamp() -> Timestamp {
    Timestamp(
      year: Int.random(in: 1...9999, using: &random), month: Int.random(in: 1...12, using: &random),
      day: Int.random(in: 1...28, using: &random), hour: Int.random(in: 0...23, using: &random),
      minute: Int.random(in: 0...59, using: &random), second: Int.random(in: 0...59, using: &random),
      microsecond: chance(50) ? 0 : Int.random(in: 0...999_999, using: &random),
      utcOffsetMinutes: chance(50) ? nil : Int.random(in: -23...23, using: &random) * 30)
  }

  mutating func scalar() -> Scalar {
    switch Int.random(in: 0..<20, using: &random) {
    case 0..<10: return .string(string())
    case 10, 11: return .integer(.init(Int.random(in: -100_000...100_000, using: &random)))
    case 12:
      let digits = (0..<Int.random(in: 19...60, using: &random)).map { _ in String(Int.random(in: 0...9, using: &random)) }
      let text = (chance(30) ? "-" : "") + "1" + digits.joined()
      if case .scalar(let big)? = WriterTestSupport.integer(text) { return big }
      return .null
    case 13, 14: return .float(float())
    case 15: return .boolean(chance(50))
    case 16: return .null
    case 17:
      // Dates are rare in slices (and make json.dumps fail): keep most values JSON-writable.
      guard chance(20) else { return .string(string()) }
      return chance(50) ? .date(timestamp()) : .datetime(timestamp())
    default: return .string(string())
    }
  }

  /// Keys: mostly strings; sometimes other scalars, as a dict loaded from YAML may have. No two
  /// keys equal in Python's sense (a dict cannot hold both 1 and True), and no NaN keys.
  mutating func key(avoiding used: [Scalar]) -> Scalar? {
    for _ in 0..<10 {
      var candidate = chance(85) ? Scalar.string(string()) : scalar()
      if case .float(let number) = candidate, number.isNaN { candidate = .float(1.25) }
      if !used.contains(where: { $0.pythonEquals(candidate) }) { return candidate }
    }
    return nil
  }

  mutating func object(depth: Int) -> Value {
    let count = Int.random(in: 0...(depth > 0 ? 6 : 3), using: &random)
    var members: [Value.Member] = []
    var used: [Scalar] = []
    for _ in 0..<count {
      guard let key = key(avoiding: used) else { continue }
      used.append(key)
      members.append(Value.Member(key: Value.Key(key), value: value(depth: depth - 1)))
    }
    return .object(members)
  }

  mutating func value(depth: Int) -> Value {
    guard depth > 0 else { return .scalar(scalar()) }
    switch Int.random(in: 0..<10, using: &random) {
    case 0, 1: return object(depth: depth)
    case 2, 3:
      let count = Int.random(in: 0...4, using: &random)
      return .array((0..<count).map { _ in value(depth: depth - 1) })
    default: return .scalar(scalar())
    }
  }
}
