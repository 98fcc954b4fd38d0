import SliceSyntax

/// Reads the Python `repr()` of a loaded value (dicts, lists, str, int, float, bool, None, and
/// `datetime.date`/`datetime.datetime`), as the fixtures' `value_repr` records it. Test-only:
/// it exists to check the fixture's JSON against the Python value, and to build values JSON
/// cannot carry (dates).
struct PythonLiteralParser {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  private let text: [Unicode.Scalar]
  private var offset = 0

  static func parse(_ text: String) throws -> Value {
    var parser = PythonLiteralParser(text: Array(text.unicodeScalars))
    let value = try parser.parseValue()
    parser.skipSpaces()
    guard parser.offset == parser.text.count else { throw parser.failure("trailing text") }
    return value
  }

  private init(text: [Unicode.Scalar]) { self.text = text }

  private var current: Unicode.Scalar? { offset < text.count ? text[offset] : nil }

  private func failure(_ message: String) -> Failure {
    Failure(description: "\(message) at offset \(offset)")
  }

  private mutating func skipSpaces() {
    while current == " " { offset += 1 }
  }

  private mutating func expect(_ word: String) throws {
    skipSpaces()
    for scalar in word.unicodeScalars {
      guard current == scalar else { throw failure("expected \(word)") }
      offset += 1
    }
  }

  private mutating func take(_ word: String) -> Bool {
    let saved = offset
    do {
      try expect(word)
      return true
    } catch {
      offset = saved
      return false
    }
  }

  private mutating func parseValue() throws -> Value {
    skipSpaces()
    guard let first = current else { throw failure("expected a value") }
    switch first {
    case "{":
      offset += 1
      var members: [Value.Member] = []
      while !take("}") {
        if !members.isEmpty { try expect(",") }
        guard case .scalar(let key) = try parseValue() else { throw failure("unhashable key") }
        try expect(":")
        members.append(Value.Member(key: Value.Key(key), value: try parseValue()))
      }
      return .object(members)
    case "[":
      offset += 1
      var elements: [Value] = []
      while !take("]") {
        if !elements.isEmpty { try expect(",") }
        elements.append(try parseValue())
      }
      return .array(elements)
    case "'", "\"":
      return .string(try parseString())
    default:
      if take("True") { return .boolean(true) }
      if take("False") { return .boolean(false) }
      if take("None") { return .null }
      if take("datetime.datetime(") { return .scalar(.datetime(try parseTimestampArguments(dateOnly: false))) }
      if take("datetime.date(") { return .scalar(.date(try parseTimestampArguments(dateOnly: true))) }
      return try parseNumber()
    }
  }

  private mutating func parseNumber() throws -> Value {
    let start = offset
    if current == "-" { offset += 1 }
    if take("inf") { return .float(start == offset - 3 ? .infinity : -.infinity) }
    if take("nan") { return .float(.nan) }
    while let scalar = current, "0123456789.e+-".unicodeScalars.contains(scalar) { offset += 1 }
    let token = String(String.UnicodeScalarView(text[start..<offset]))
    if token.contains(where: { $0 == "." || $0 == "e" }) {
      guard let number = Double(token) else { throw failure("bad float \(token)") }
      return .float(number)
    }
    guard let integer = WriterTestSupport.integer(token) else { throw failure("bad integer \(token)") }
    return integer
  }

  private mutating func parseString() throws -> String {
    guard let quote = current else { throw failure("expected a string") }
    offset += 1
    var result = String.UnicodeScalarView()
    while let scalar = current, scalar != quote {
      offset += 1
      guard scalar == "\\" else {
        result.append(scalar)
        continue
      }
      guard let escaped = current else { throw failure("unterminated escape") }
      offset += 1
      switch escaped {
      case "n": result.append("\n")
      case "r": result.append("\r")
      case "t": result.append("\t")
      case "\\", "'", "\"": result.append(escaped)
      case "x": result.append(try hexScalar(digits: 2))
      case "u": result.append(try hexScalar(digits: 4))
      case "U": result.append(try hexScalar(digits: 8))
      default: throw failure("unknown escape \\\(escaped)")
      }
    }
    try expect(String(quote))
    return String(result)
  }

  private mutating func hexScalar(digits: Int) throws -> Unicode.Scalar {
    guard offset + digits <= text.count,
      let code = UInt32(String(String.UnicodeScalarView(text[offset..<offset + digits])), radix: 16),
      let scalar = Unicode.Scalar(code)
    else { throw failure("bad hex escape") }
    offset += digits
    return scalar
  }

  /// `2024, 1, 31` or `2024, 1, 31, 10, 0[, 5[, 500]][, tzinfo=…]` up to the closing parenthesis.
  private mutating func parseTimestampArguments(dateOnly: Bool) throws -> Timestamp {
    var numbers: [Int] = []
    var offsetMinutes: Int?
    while !take(")") {
      if !numbers.isEmpty { try expect(",") }
      skipSpaces()
      if take("tzinfo=") {
        offsetMinutes = try parseTimezone()
        continue
      }
      let start = offset
      while let scalar = current, ("0"..."9").contains(scalar) { offset += 1 }
      guard let number = Int(String(String.UnicodeScalarView(text[start..<offset]))) else {
        throw failure("bad timestamp argument")
      }
      numbers.append(number)
    }
    guard numbers.count >= 3, dateOnly ? numbers.count == 3 : numbers.count >= 5 else {
      throw failure("bad timestamp arguments")
    }
    func part(_ index: Int) -> Int { index < numbers.count ? numbers[index] : 0 }
    return Timestamp(
      year: part(0), month: part(1), day: part(2), hour: part(3), minute: part(4), second: part(5),
      microsecond: part(6), utcOffsetMinutes: offsetMinutes)
  }

  /// `datetime.timezone.utc` or `datetime.timezone(datetime.timedelta([days=-1, ]seconds=N))`.
  private mutating func parseTimezone() throws -> Int {
    if take("datetime.timezone.utc") { return 0 }
    try expect("datetime.timezone(datetime.timedelta(")
    var seconds = 0
    while !take(")") {
      if take(",") { continue }
      let unit = take("days=") ? 86_400 : take("seconds=") ? 1 : 0
      guard unit != 0 else { throw failure("bad timedelta") }
      let negative = take("-")
      let start = offset
      while let scalar = current, ("0"..."9").contains(scalar) { offset += 1 }
      guard let number = Int(String(String.UnicodeScalarView(text[start..<offset]))) else {
        throw failure("bad timedelta amount")
      }
      seconds += (negative ? -number : number) * unit
    }
    try expect(")")
    return seconds / 60
  }
}
