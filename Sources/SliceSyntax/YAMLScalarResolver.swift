import BigInt

/// PyYAML's `SafeLoader` reading of scalars (YAML 1.1), written out by hand over the bytes.
///
/// `Resolver.add_implicit_resolver` in PyYAML's resolver.py decides the tag of a plain scalar
/// with a regular expression per tag, tried in registration order among those registered for
/// the scalar's first character (bool, float, int, merge, null, timestamp, value). The
/// `SafeConstructor` in constructor.py then builds the Python value. Each function below names
/// the expression or constructor it reproduces; the byte-level matchers keep the reader fast.
enum YAMLScalarResolver {
  /// The tag PyYAML's implicit resolver gives a plain (or `!`-tagged) scalar.
  enum ImplicitTag {
    case string, null, boolean, integer, float, timestamp, merge, value
  }

  static func implicitTag(_ text: UnsafeBufferPointer<UInt8>) -> ImplicitTag {
    guard let first = text.first else { return .null }
    switch first {
    case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"),
      UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"):
      return booleanValue(text) != nil ? .boolean : .string
    case UInt8(ascii: "n"), UInt8(ascii: "N"):
      if booleanValue(text) != nil { return .boolean }
      return isNullWord(text) ? .null : .string
    case UInt8(ascii: "~"):
      return text.count == 1 ? .null : .string
    case UInt8(ascii: "<"):
      return text.count == 2 && text[1] == UInt8(ascii: "<") ? .merge : .string
    case UInt8(ascii: "="):
      return text.count == 1 ? .value : .string
    case UInt8(ascii: "."):
      return matchesFloat(text) ? .float : .string
    case UInt8(ascii: "-"), UInt8(ascii: "+"):
      if matchesFloat(text) { return .float }
      return matchesInteger(text) ? .integer : .string
    case UInt8(ascii: "0")...UInt8(ascii: "9"):
      if matchesFloat(text) { return .float }
      if matchesInteger(text) { return .integer }
      return parseTimestamp(text, resolverForm: true) != nil ? .timestamp : .string
    default:
      return .string
    }
  }

  // MARK: bool — ^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$

  /// The boolean for one of the 18 spellings PyYAML resolves, with whether it is a YAML 1.1
  /// word (yes/no/on/off) rather than true/false.
  static func booleanValue(_ text: UnsafeBufferPointer<UInt8>) -> (value: Bool, isYAML11Word: Bool)? {
    // Each word in its three accepted spellings: lower, Capitalised, UPPER.
    func matches(_ word: StaticString) -> Bool {
      guard text.count == word.utf8CodeUnitCount else { return false }
      return word.withUTF8Buffer { lower in
        var allLower = true
        var capitalised = true
        var allUpper = true
        for index in 0..<lower.count {
          let byte = text[index]
          let expected = lower[index]
          let upper = expected - 32
          if byte != expected { allLower = false }
          if byte != upper { allUpper = false }
          if byte != (index == 0 ? upper : expected) { capitalised = false }
        }
        return allLower || capitalised || allUpper
      }
    }
    switch text.count {
    case 2:
      if matches("no") { return (false, true) }
      if matches("on") { return (true, true) }
    case 3:
      if matches("yes") { return (true, true) }
      if matches("off") { return (false, true) }
    case 4:
      if matches("true") { return (true, false) }
    case 5:
      if matches("false") { return (false, false) }
    default:
      break
    }
    return nil
  }

  // MARK: null — ^(?:~|null|Null|NULL|)$

  static func isNullWord(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    if text.isEmpty { return true }
    if text.count == 1 { return text[0] == UInt8(ascii: "~") }
    guard text.count == 4 else { return false }
    let word = (text[0], text[1], text[2], text[3])
    return word == (0x6E, 0x75, 0x6C, 0x6C) || word == (0x4E, 0x75, 0x6C, 0x6C) || word == (0x4E, 0x55, 0x4C, 0x4C)
  }

  // MARK: Byte classes

  @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
  @inline(__always) static func isDigitOrUnderscore(_ byte: UInt8) -> Bool { isDigit(byte) || byte == 0x5F }
  @inline(__always) static func isSign(_ byte: UInt8) -> Bool { byte == 0x2B || byte == 0x2D }

  /// `(?::[0-5]?[0-9])+` starting at `index` (which must be a ':'): the index after the last
  /// group, or nil. With `allowingFraction`, the last group may be followed by `\.[0-9_]*`, and
  /// then `fractionFound` says so.
  private static func matchSexagesimalGroups(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    var index = start
    var groups = 0
    while index < text.count, text[index] == UInt8(ascii: ":") {
      index += 1
      // One or two digits; with two, the first is 0-5.
      guard index < text.count, isDigit(text[index]) else { return nil }
      if index + 1 < text.count, isDigit(text[index + 1]) {
        guard text[index] <= UInt8(ascii: "5") else { return nil }
        index += 2
      } else {
        index += 1
      }
      groups += 1
    }
    return groups > 0 ? index : nil
  }

  // MARK: float
  //   ^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
  //     |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
  //     |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
  //     |[-+]?\.(?:inf|Inf|INF)
  //     |\.(?:nan|NaN|NAN))$

  static func matchesFloat(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = text.count
    guard count > 0 else { return false }
    var index = 0
    let signed = isSign(text[0])
    if signed { index = 1 }
    guard index < count else { return false }

    if text[index] == UInt8(ascii: ".") {
      let rest = index + 1
      // .inf (signed or not), .nan (unsigned only)
      if count - rest == 3 {
        let word = (text[rest], text[rest + 1], text[rest + 2])
        if word == (0x69, 0x6E, 0x66) || word == (0x49, 0x6E, 0x66) || word == (0x49, 0x4E, 0x46) { return true }
        if !signed, word == (0x6E, 0x61, 0x6E) || word == (0x4E, 0x61, 0x4E) || word == (0x4E, 0x41, 0x4E) {
          return true
        }
      }
      // \.[0-9][0-9_]*(?:[eE][-+][0-9]+)? — unsigned only
      guard !signed, rest < count, isDigit(text[rest]) else { return false }
      var position = rest + 1
      while position < count, isDigitOrUnderscore(text[position]) { position += 1 }
      return matchesExponent(text, from: position)
    }

    guard isDigit(text[index]) else { return false }
    var position = index + 1
    while position < count, isDigitOrUnderscore(text[position]) { position += 1 }
    guard position < count else { return false }
    if text[position] == UInt8(ascii: ".") {
      position += 1
      while position < count, isDigitOrUnderscore(text[position]) { position += 1 }
      return matchesExponent(text, from: position)
    }
    if text[position] == UInt8(ascii: ":") {
      guard let afterGroups = matchSexagesimalGroups(text, from: position), afterGroups < count,
        text[afterGroups] == UInt8(ascii: ".")
      else { return false }
      position = afterGroups + 1
      while position < count, isDigitOrUnderscore(text[position]) { position += 1 }
      return position == count
    }
    return false
  }

  /// `(?:[eE][-+][0-9]+)?$` from `index`.
  private static func matchesExponent(_ text: UnsafeBufferPointer<UInt8>, from index: Int) -> Bool {
    let count = text.count
    if index == count { return true }
    guard text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") else { return false }
    guard index + 2 < count, isSign(text[index + 1]) else { return false }
    var position = index + 2
    while position < count, isDigit(text[position]) { position += 1 }
    return position == count && position > index + 2
  }

  // MARK: int
  //   ^(?:[-+]?0b[0-1_]+
  //     |[-+]?0[0-7_]+
  //     |[-+]?(?:0|[1-9][0-9_]*)
  //     |[-+]?0x[0-9a-fA-F_]+
  //     |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$

  static func matchesInteger(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = text.count
    var index = 0
    if count > 0, isSign(text[0]) { index = 1 }
    guard index < count else { return false }
    let first = text[index]
    if first == UInt8(ascii: "0") {
      if index + 1 == count { return true }
      let marker = text[index + 1]
      var position = index + 2
      if marker == UInt8(ascii: "b") {
        guard position < count else { return false }
        while position < count, text[position] == 0x30 || text[position] == 0x31 || text[position] == 0x5F {
          position += 1
        }
        return position == count
      }
      if marker == UInt8(ascii: "x") {
        guard position < count else { return false }
        while position < count, isHexDigit(text[position]) || text[position] == 0x5F { position += 1 }
        return position == count
      }
      position = index + 1
      while position < count, (text[position] >= 0x30 && text[position] <= 0x37) || text[position] == 0x5F {
        position += 1
      }
      return position == count
    }
    guard first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") else { return false }
    var position = index + 1
    while position < count, isDigitOrUnderscore(text[position]) { position += 1 }
    if position == count { return true }
    guard text[position] == UInt8(ascii: ":"), let end = matchSexagesimalGroups(text, from: position) else {
      return false
    }
    return end == count
  }

  static func hexDigitValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }

  @inline(__always) static func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f"))
  }

  // MARK: Constructors

  /// A constructor failure: PyYAML (or Python underneath it) raises, and `safe_load` fails.
  struct ConstructionError: Error {
    var message: String
    /// PyYAML reads the value, but Python cannot write it back: `str()` of an integer beyond
    /// 4300 decimal digits raises, so `safe_dump` (update) and `json.dumps` (sync) fail on it.
    var isBeyondIntegerStringLimit = false

    init(message: String, isBeyondIntegerStringLimit: Bool = false) {
      self.message = message
      self.isBeyondIntegerStringLimit = isBeyondIntegerStringLimit
    }

    static func beyondIntegerStringLimit(_ subject: String) -> ConstructionError {
      ConstructionError(
        message: "\(subject) more than \(pythonMaximumIntegerDigits) decimal digits: PyYAML reads it, but Python "
          + "cannot write it back (str() of an int stops at sys.int_info.default_max_str_digits = "
          + "\(pythonMaximumIntegerDigits)), so every update and sync compile fails on it",
        isBeyondIntegerStringLimit: true)
    }
  }

  /// 10^4300, the smallest magnitude whose decimal form Python refuses to write.
  static let integerStringLimit = BigUInt(10).power(pythonMaximumIntegerDigits)
  /// log2(10^4300) < 14285: an integer of at least this many bits is beyond the limit.
  private static let bitsBeyondIntegerStringLimit = 14_285

  /// `SafeConstructor.construct_yaml_int` for text the int expression matched, or any text
  /// under an explicit `!!int` tag.
  static func constructInteger(_ raw: String) throws(ConstructionError) -> (BigInt, YAMLSurprise?) {
    var value = raw.replacingAll("_", with: "")
    let surprise: YAMLSurprise? = raw.utf8.contains(0x5F) ? .underscoredNumber : nil
    var sign = BigInt(1)
    guard let first = value.utf8.first else { throw ConstructionError(message: "an empty value is not an integer") }
    if first == UInt8(ascii: "-") { sign = -1 }
    if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { value = String(value.dropFirst()) }
    if value == "0" { return (0, surprise) }
    if value.hasPrefix("0b") {
      return (sign * (try pythonInt(String(value.dropFirst(2)), radix: 2)), .hexOrBinary)
    }
    if value.hasPrefix("0x") {
      return (sign * (try pythonInt(String(value.dropFirst(2)), radix: 16)), .hexOrBinary)
    }
    guard let lead = value.utf8.first else { throw ConstructionError(message: "'\(raw)' is not an integer") }
    if lead == UInt8(ascii: "0") {
      return (sign * (try pythonInt(value, radix: 8)), .octal)
    }
    if value.utf8.contains(UInt8(ascii: ":")) {
      return (sign * (try sexagesimalInteger(value)), .sexagesimal)
    }
    return (sign * (try pythonInt(value, radix: 10)), surprise)
  }

  /// `1:30:00` as PyYAML reads it: every part converted with `int()` first (any bad part fails
  /// the load), then summed as digits of base 60.
  ///
  /// Python does that sum whatever its size, but cannot write a result beyond 4300 decimal
  /// digits; here the sum stops as soon as it is that large, so that a value of 300 000 parts
  /// costs linear time instead of quadratic big-integer arithmetic. (With non-negative parts,
  /// all the implicit form allows, the running sum never shrinks; parts with a minus sign,
  /// only possible under an explicit `!!int`, may cancel out, so more than twice the parts a
  /// limit-sized value needs are refused outright.)
  static func sexagesimalInteger(_ value: String) throws(ConstructionError) -> BigInt {
    var parts: [BigInt] = []
    for part in value.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
      // Most parts are a few plain digits (the implicit form allows 0-59 after the first).
      if !part.isEmpty, part.count <= 18, part.allSatisfy(isDigit) {
        var number: Int64 = 0
        for digit in part { number = number * 10 + Int64(digit - UInt8(ascii: "0")) }
        parts.append(BigInt(integerLiteral: number))
      } else {
        parts.append(try pythonInt(String(decoding: part, as: UTF8.self), radix: 10))
      }
    }
    let canShrink = parts.contains { $0.signum() < 0 }
    // 60^2418 has 4300 decimal digits.
    if canShrink, parts.count > 2 * 2418 {
      throw .beyondIntegerStringLimit("a base-60 integer of \(parts.count) parts, some negative, is not computed: it may have")
    }
    var total = BigInt(0)
    for part in parts {
      total = total * 60 + part
      if !canShrink, total.magnitude >= integerStringLimit {
        throw .beyondIntegerStringLimit("this base-60 integer has")
      }
    }
    if total.magnitude >= integerStringLimit { throw .beyondIntegerStringLimit("this base-60 integer has") }
    return total
  }

  /// Python's `int(text, radix)`: surrounding whitespace, an optional sign, the radix's own
  /// prefix (`0b`, `0o`, `0x`), digits with single underscores between them.
  static func pythonInt(_ text: String, radix: Int) throws(ConstructionError) -> BigInt {
    let failure = ConstructionError(message: "invalid literal for int() with base \(radix): '\(text)'")
    var digits = Substring(text).trimmingPythonWhitespace()
    var negative = false
    if let first = digits.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      negative = first == UInt8(ascii: "-")
      digits = digits.dropFirst()
    }
    let prefix = digits.prefix(2).lowercased()
    if (radix == 2 && prefix == "0b") || (radix == 8 && prefix == "0o") || (radix == 16 && prefix == "0x") {
      digits = digits.dropFirst(2)
      if digits.hasPrefix("_") { digits = digits.dropFirst() }
    }
    guard !digits.isEmpty, !digits.hasPrefix("_"), !digits.hasSuffix("_"), !digits.contains("__") else {
      throw failure
    }
    let plain = digits.replacingAll("_", with: "")
    let isValidDigit: (UInt8) -> Bool = { byte in
      let value: Int
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte) - 0x30
      case UInt8(ascii: "a")...UInt8(ascii: "z"): value = Int(byte) - 0x61 + 10
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = Int(byte) - 0x41 + 10
      default: return false
      }
      return value < radix
    }
    guard plain.utf8.allSatisfy(isValidDigit) else { throw failure }
    if radix == 10, plain.utf8.count > pythonMaximumIntegerDigits {
      throw ConstructionError(
        message: "an integer of \(plain.utf8.count) digits: Python converts at most \(pythonMaximumIntegerDigits)")
    }
    if plain.utf8.count <= 18, let small = Int(plain, radix: radix) {
      return BigInt(integerLiteral: Int64(negative ? -small : small))
    }
    if radix != 10 {
      // Python reads binary, octal and hex digits of any length in linear time, but cannot
      // write the result beyond 4300 decimal digits: refuse without converting more digits
      // than such a value can have.
      let bitsPerDigit = radix == 2 ? 1 : radix == 8 ? 3 : 4
      let significant = plain.utf8.drop { $0 == UInt8(ascii: "0") }.count
      if (significant - 1) * bitsPerDigit >= bitsBeyondIntegerStringLimit {
        throw .beyondIntegerStringLimit("this base-\(radix) integer has")
      }
    }
    guard let big = BigInt(plain, radix: radix) else { throw failure }
    if big.magnitude >= integerStringLimit { throw .beyondIntegerStringLimit("this base-\(radix) integer has") }
    return negative ? -big : big
  }

  /// `SafeConstructor.construct_yaml_float` for text the float expression matched, or any text
  /// under an explicit `!!float` tag.
  static func constructFloat(_ raw: String) throws(ConstructionError) -> (Double, YAMLSurprise?) {
    var value = raw.replacingAll("_", with: "").lowercased()
    var surprise: YAMLSurprise? = raw.utf8.contains(0x5F) ? .underscoredNumber : nil
    var sign = 1.0
    guard let first = value.utf8.first else { throw ConstructionError(message: "an empty value is not a float") }
    if first == UInt8(ascii: "-") { sign = -1 }
    if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { value = String(value.dropFirst()) }
    if value == ".inf" { return (sign * .infinity, .specialFloat) }
    if value == ".nan" { return (.nan, .specialFloat) }
    if value.utf8.contains(UInt8(ascii: ":")) {
      // value = sum(digit * 60^k), summed from the last part, as PyYAML does.
      let parts = value.split(separator: ":", omittingEmptySubsequences: false)
      var total = 0.0
      var base = 1.0
      for part in parts.reversed() {
        total += (try pythonFloat(String(part))) * base
        base *= 60
      }
      surprise = .sexagesimal
      return (sign * total, surprise)
    }
    return (sign * (try pythonFloat(value)), surprise)
  }

  /// Python's `float(text)`: surrounding whitespace, a sign, decimal digits with an optional
  /// point and exponent, or inf / infinity / nan in any case. (Underscores were removed before.)
  static func pythonFloat(_ text: String) throws(ConstructionError) -> Double {
    let trimmed = Substring(text).trimmingPythonWhitespace()
    let failure = ConstructionError(message: "could not convert string to float: '\(text)'")
    var body = trimmed.utf8[...]
    if let first = body.first, isSign(first) { body = body.dropFirst() }
    let word = String(decoding: body, as: UTF8.self).lowercased()
    if word == "inf" || word == "infinity" || word == "nan" {
      let negative = trimmed.utf8.first == UInt8(ascii: "-")
      if word == "nan" { return .nan }
      return negative ? -.infinity : .infinity
    }
    // [0-9]+(\.[0-9]*)? | \.[0-9]+ , then ([eE][-+]?[0-9]+)?
    var index = body.startIndex
    var mantissaDigits = 0
    while index < body.endIndex, isDigit(body[index]) {
      mantissaDigits += 1
      index = body.index(after: index)
    }
    if index < body.endIndex, body[index] == UInt8(ascii: ".") {
      index = body.index(after: index)
      while index < body.endIndex, isDigit(body[index]) {
        mantissaDigits += 1
        index = body.index(after: index)
      }
    }
    guard mantissaDigits > 0 else { throw failure }
    if index < body.endIndex, (body[index] | 0x20) == UInt8(ascii: "e") {
      index = body.index(after: index)
      if index < body.endIndex, isSign(body[index]) { index = body.index(after: index) }
      var exponentDigits = 0
      while index < body.endIndex, isDigit(body[index]) {
        exponentDigits += 1
        index = body.index(after: index)
      }
      guard exponentDigits > 0 else { throw failure }
    }
    guard index == body.endIndex, let number = Double(String(trimmed)) else { throw failure }
    return number
  }

  /// `SafeConstructor.construct_yaml_bool` (any text under `!!bool`): `bool_values[value.lower()]`.
  static func constructBoolean(_ raw: String) throws(ConstructionError) -> Bool {
    switch raw.lowercased() {
    case "yes", "true", "on": return true
    case "no", "false", "off": return false
    default: throw ConstructionError(message: "'\(raw)' is not one of PyYAML's booleans (yes/no, true/false, on/off)")
    }
  }

  // MARK: timestamp

  /// The resolver's expression (`resolverForm`), which wants a two-digit month and day when there
  /// is no time:
  ///   ^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}
  ///     |[0-9]{4}-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?
  ///      (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$
  /// or the constructor's `timestamp_regexp`, where the time part is optional throughout.
  /// Returns the fields as matched (not yet checked as a calendar date).
  static func parseTimestamp(_ text: UnsafeBufferPointer<UInt8>, resolverForm: Bool) -> (Timestamp, hasTime: Bool)? {
    let count = text.count
    var index = 0
    func digits(min: Int, max: Int) -> Int? {
      var value = 0
      var taken = 0
      while taken < max, index < count, isDigit(text[index]) {
        value = value * 10 + Int(text[index] - 0x30)
        index += 1
        taken += 1
      }
      return taken >= min ? value : nil
    }
    func expect(_ byte: UInt8) -> Bool {
      guard index < count, text[index] == byte else { return false }
      index += 1
      return true
    }
    guard let year = digits(min: 4, max: 4), expect(UInt8(ascii: "-")) else { return nil }
    let monthStart = index
    guard let month = digits(min: 1, max: 2), expect(UInt8(ascii: "-")) else { return nil }
    let monthWidth = index - 1 - monthStart
    let dayStart = index
    guard let day = digits(min: 1, max: 2) else { return nil }
    let dayWidth = index - dayStart
    var timestamp = Timestamp(year: year, month: month, day: day)
    if index == count {
      if resolverForm, monthWidth != 2 || dayWidth != 2 { return nil }
      return (timestamp, false)
    }
    // (?:[Tt]|[ \t]+)
    if text[index] == UInt8(ascii: "T") || text[index] == UInt8(ascii: "t") {
      index += 1
    } else {
      let separatorStart = index
      while index < count, text[index] == 0x20 || text[index] == 0x09 { index += 1 }
      guard index > separatorStart else { return nil }
    }
    guard let hour = digits(min: 1, max: 2), expect(UInt8(ascii: ":")),
      let minute = digits(min: 2, max: 2), expect(UInt8(ascii: ":")),
      let second = digits(min: 2, max: 2)
    else { return nil }
    timestamp.hour = hour
    timestamp.minute = minute
    timestamp.second = second
    if index < count, text[index] == UInt8(ascii: ".") {
      index += 1
      // Fraction: the first six digits, padded with zeros (PyYAML truncates, never rounds).
      var microsecond = 0
      var taken = 0
      while index < count, isDigit(text[index]) {
        if taken < 6 {
          microsecond = microsecond * 10 + Int(text[index] - 0x30)
          taken += 1
        }
        index += 1
      }
      while taken < 6 {
        microsecond *= 10
        taken += 1
      }
      timestamp.microsecond = microsecond
    }
    if index == count { return (timestamp, true) }
    while index < count, text[index] == 0x20 || text[index] == 0x09 { index += 1 }
    guard index < count else { return nil }
    if text[index] == UInt8(ascii: "Z") {
      index += 1
      timestamp.utcOffsetMinutes = 0
    } else if isSign(text[index]) {
      let negative = text[index] == UInt8(ascii: "-")
      index += 1
      guard let offsetHours = digits(min: 1, max: 2) else { return nil }
      var offsetMinutes = 0
      if index < count, text[index] == UInt8(ascii: ":") {
        index += 1
        guard let minutes = digits(min: 2, max: 2) else { return nil }
        offsetMinutes = minutes
      }
      let total = offsetHours * 60 + offsetMinutes
      timestamp.utcOffsetMinutes = negative ? -total : total
    } else {
      return nil
    }
    return index == count ? (timestamp, true) : nil
  }

  /// `construct_yaml_timestamp`: Python's `datetime.date` / `datetime.datetime` /
  /// `datetime.timezone` refuse out-of-range fields, and then so does `safe_load`.
  static func constructTimestamp(_ text: UnsafeBufferPointer<UInt8>, resolverForm: Bool) throws(ConstructionError) -> Scalar {
    guard let (timestamp, hasTime) = parseTimestamp(text, resolverForm: resolverForm) else {
      throw ConstructionError(message: "'\(String(decoding: text, as: UTF8.self))' is not a timestamp")
    }
    guard timestamp.year >= 1 else { throw ConstructionError(message: "year \(timestamp.year) is out of range") }
    guard (1...12).contains(timestamp.month) else { throw ConstructionError(message: "month must be in 1..12") }
    guard (1...daysIn(month: timestamp.month, year: timestamp.year)).contains(timestamp.day) else {
      throw ConstructionError(message: "day is out of range for month")
    }
    guard hasTime else { return .date(timestamp) }
    guard timestamp.hour < 24 else { throw ConstructionError(message: "hour must be in 0..23") }
    guard timestamp.minute < 60 else { throw ConstructionError(message: "minute must be in 0..59") }
    guard timestamp.second < 60 else { throw ConstructionError(message: "second must be in 0..59") }
    if let offset = timestamp.utcOffsetMinutes, abs(offset) >= 24 * 60 {
      throw ConstructionError(message: "the UTC offset must be strictly between -24 and 24 hours")
    }
    return .datetime(timestamp)
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

extension StringProtocol {
  /// Python's `str.strip()` for the whitespace a number may be surrounded with.
  func trimmingPythonWhitespace() -> Substring {
    let scalars = Substring(self).unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return Substring() }
    let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) ?? first
    return Substring(scalars[first...last])
  }

  /// Without Foundation: every occurrence of `target` replaced.
  func replacingAll(_ target: Character, with replacement: String) -> String {
    guard contains(target) else { return String(self) }
    var result = ""
    result.reserveCapacity(utf8.count)
    for character in self {
      if character == target { result += replacement } else { result.append(character) }
    }
    return result
  }
}
