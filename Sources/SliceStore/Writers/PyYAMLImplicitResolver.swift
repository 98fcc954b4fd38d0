/// The tag PyYAML's resolver (YAML 1.1 rules, `yaml.resolver.Resolver`) gives a plain scalar.
///
/// The emitter writes a string plain only when reading it back would give a string again; any
/// other match (`yes`, `1_000`, `1:30`, `2024-01-31`, `~`, `=`, …) forces quotes. The regular
/// expressions of resolver.py are matched here by hand, over Unicode scalars (Python's `str`
/// indexes code points), with two Python details that decide real cases:
/// - `re.match(...$)` also matches just before a final `"\n"`, so `"yes\n"` resolves to bool;
/// - resolvers are looked up by first character, and the empty alternative of the null pattern
///   is registered under `''` only, so `""` is null but `"\n"` stays a string.
enum PyYAMLImplicitTag: Equatable {
  case string, boolean, integer, float, null, timestamp, merge, value, yaml

  /// The tag handle form, as `prepare_tag` abbreviates `tag:yaml.org,2002:…`.
  var shorthand: String {
    switch self {
    case .string: return "!!str"
    case .boolean: return "!!bool"
    case .integer: return "!!int"
    case .float: return "!!float"
    case .null: return "!!null"
    case .timestamp: return "!!timestamp"
    case .merge: return "!!merge"
    case .value: return "!!value"
    case .yaml: return "!!yaml"
    }
  }
}

enum PyYAMLImplicitResolver {
  static func tag(ofPlain text: [Unicode.Scalar]) -> PyYAMLImplicitTag {
    if text.isEmpty { return .null }
    if let tag = matchedTag(text[...]) { return tag }
    if text.count > 1, text.last == "\n", let tag = matchedTag(text.dropLast()) { return tag }
    return .string
  }

  /// The first resolver (in registration order) whose pattern matches all of `text`.
  private static func matchedTag(_ text: ArraySlice<Unicode.Scalar>) -> PyYAMLImplicitTag? {
    if isBoolean(text) { return .boolean }
    if isFloat(text) { return .float }
    if isInteger(text) { return .integer }
    if text.elementsEqual(["<", "<"]) { return .merge }
    if isNull(text) { return .null }
    if isTimestamp(text) { return .timestamp }
    if text.elementsEqual(["="]) { return .value }
    if text.count == 1, let only = text.first, "!&*".unicodeScalars.contains(only) { return .yaml }
    return nil
  }

  private static let booleanWords: Set<String> = [
    "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
    "on", "On", "ON", "off", "Off", "OFF",
  ]

  private static func isBoolean(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
    text.count <= 5 && booleanWords.contains(string(text))
  }

  /// `~|null|Null|NULL` (the empty alternative is handled by the caller).
  private static func isNull(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
    text.count <= 4 && ["~", "null", "Null", "NULL"].contains(string(text))
  }

  /// ```
  /// [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
  /// |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
  /// |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
  /// |[-+]?\.(?:inf|Inf|INF)
  /// |\.(?:nan|NaN|NAN)
  /// ```
  private static func isFloat(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
    let rest = dropSign(text)
    let unsigned = string(rest)
    if [".inf", ".Inf", ".INF"].contains(unsigned) { return true }
    if rest.count == text.count, [".nan", ".NaN", ".NAN"].contains(unsigned) { return true }
    if rest.first == ".", rest.count == text.count {
      // `.5`, `.5e+3`: a digit must follow the point.
      var cursor = ScalarCursor(rest.dropFirst())
      guard cursor.take(isDigit) else { return false }
      cursor.skip { isDigit($0) || $0 == "_" }
      return cursor.takeExponent() && cursor.atEnd
    }
    if rest.contains(":") {
      return isSexagesimal(rest, firstPart: { isDigit($0) }, lastPartHasFraction: true)
    }
    var cursor = ScalarCursor(rest)
    guard cursor.take(isDigit) else { return false }
    cursor.skip { isDigit($0) || $0 == "_" }
    guard cursor.take(".") else { return false }
    cursor.skip { isDigit($0) || $0 == "_" }
    return cursor.takeExponent() && cursor.atEnd
  }

  /// ```
  /// [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(?:0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
  /// | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
  /// ```
  private static func isInteger(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
    let rest = dropSign(text)
    guard let first = rest.first, isDigit(first) else { return false }
    if rest.contains(":") {
      return isSexagesimal(rest, firstPart: { $0 != "0" && isDigit($0) }, lastPartHasFraction: false)
    }
    let tail = rest.dropFirst()
    if first != "0" { return tail.allSatisfy { isDigit($0) || $0 == "_" } }
    if tail.isEmpty { return true }
    if tail.first == "b" {
      return tail.count > 1 && tail.dropFirst().allSatisfy { $0 == "0" || $0 == "1" || $0 == "_" }
    }
    if tail.first == "x" {
      return tail.count > 1 && tail.dropFirst().allSatisfy { isHexDigit($0) || $0 == "_" }
    }
    return tail.allSatisfy { ("0"..."7").contains($0) || $0 == "_" }
  }

  /// Base 60 (`1:30`, `-1:20:30.5`): the parts are separated by `:`, so splitting on it is
  /// exactly what the regular expression's backtracking can do. The first part is
  /// `<first digit>[0-9_]*`, the others `[0-5]?[0-9]`, the last followed by `\.[0-9_]*` for floats.
  private static func isSexagesimal(
    _ unsigned: ArraySlice<Unicode.Scalar>, firstPart firstDigit: (Unicode.Scalar) -> Bool,
    lastPartHasFraction: Bool
  ) -> Bool {
    let parts = unsigned.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count >= 2, let head = parts.first, let headDigit = head.first, firstDigit(headDigit),
      head.dropFirst().allSatisfy({ isDigit($0) || $0 == "_" })
    else { return false }
    for (index, part) in parts.enumerated().dropFirst() {
      var segment = part
      if lastPartHasFraction, index == parts.count - 1 {
        guard let point = segment.firstIndex(of: ".") else { return false }
        guard segment[segment.index(after: point)...].allSatisfy({ isDigit($0) || $0 == "_" }) else { return false }
        segment = segment[..<point]
      }
      guard isBase60Digit(segment) else { return false }
    }
    return true
  }

  /// `[0-5]?[0-9]`
  private static func isBase60Digit(_ segment: ArraySlice<Unicode.Scalar>) -> Bool {
    switch segment.count {
    case 1: return segment.first.map(isDigit) ?? false
    case 2: return ("0"..."5").contains(segment[segment.startIndex]) && isDigit(segment[segment.startIndex + 1])
    default: return false
    }
  }

  /// ```
  /// [0-9]{4}-[0-9]{2}-[0-9]{2}
  /// | [0-9]{4}-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?
  ///   (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
  /// ```
  /// Each token differs from the next one, so reading greedily from the left decides the match.
  private static func isTimestamp(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
    var cursor = ScalarCursor(text)
    guard cursor.takeDigits(4...4), cursor.take("-"), cursor.takeDigits(1...2), cursor.take("-"),
      cursor.takeDigits(1...2)
    else { return false }
    if cursor.atEnd {
      // The date-only form needs two-digit month and day.
      return text.count == 10
    }
    if !cursor.take({ $0 == "T" || $0 == "t" }) {
      guard cursor.take(isBlank) else { return false }
      cursor.skip(isBlank)
    }
    guard cursor.takeDigits(1...2), cursor.take(":"), cursor.takeDigits(2...2), cursor.take(":"),
      cursor.takeDigits(2...2)
    else { return false }
    if cursor.take(".") { cursor.skip(isDigit) }
    if cursor.atEnd { return true }
    cursor.skip(isBlank)
    if cursor.take("Z") { return cursor.atEnd }
    guard cursor.take({ $0 == "-" || $0 == "+" }), cursor.takeDigits(1...2) else { return false }
    if cursor.take(":") { guard cursor.takeDigits(2...2) else { return false } }
    return cursor.atEnd
  }

  private static func dropSign(_ text: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
    if let first = text.first, first == "-" || first == "+" { return text.dropFirst() }
    return text
  }

  private static func string(_ text: ArraySlice<Unicode.Scalar>) -> String {
    var result = ""
    result.unicodeScalars.append(contentsOf: text)
    return result
  }

  static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
  static func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }
  static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
    isDigit(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
  }
}

/// Left-to-right reading of a scalar's characters for the hand-written patterns.
private struct ScalarCursor {
  var rest: ArraySlice<Unicode.Scalar>

  init(_ text: ArraySlice<Unicode.Scalar>) { rest = text }

  var atEnd: Bool { rest.isEmpty }

  mutating func take(_ scalar: Unicode.Scalar) -> Bool {
    take { $0 == scalar }
  }

  mutating func take(_ matches: (Unicode.Scalar) -> Bool) -> Bool {
    guard let first = rest.first, matches(first) else { return false }
    rest = rest.dropFirst()
    return true
  }

  mutating func skip(_ matches: (Unicode.Scalar) -> Bool) {
    while let first = rest.first, matches(first) { rest = rest.dropFirst() }
  }

  /// Between `count.lowerBound` and `count.upperBound` ASCII digits, greedily.
  mutating func takeDigits(_ count: ClosedRange<Int>) -> Bool {
    var taken = 0
    while taken < count.upperBound, take(PyYAMLImplicitResolver.isDigit) { taken += 1 }
    return taken >= count.lowerBound
  }

  /// `(?:[eE][-+][0-9]+)?` — the sign is required by YAML 1.1's float pattern.
  mutating func takeExponent() -> Bool {
    guard take({ $0 == "e" || $0 == "E" }) else { return true }
    guard take({ $0 == "-" || $0 == "+" }), take(PyYAMLImplicitResolver.isDigit) else { return false }
    skip(PyYAMLImplicitResolver.isDigit)
    return true
  }
}
