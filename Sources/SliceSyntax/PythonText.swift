import BigInt

/// Python's text forms of loaded values (`str()`, `repr()`, `isoformat()`), byte for byte.
///
/// The reference is Python: identities of list items are built with `str()`, `json.dumps` writes
/// floats with `float.__repr__`, PyYAML's representer starts from `repr()`, and pydantic's
/// messages quote inputs with `repr()`. Getting these exact is what lets slicels match the
/// reference's identities, written files and messages, so every layer uses this one home
/// (SliceSyntax, next to `Value`: it needs nothing above it). `PythonTextDifferentialTests`
/// compares it with CPython.
public enum PythonText {
  /// Python's `str(value)`: a scalar's text (`True`, `None`, `1e+16`, strings as they are, dates
  /// as `2024-01-31`), a list or dict as its `repr()`.
  public static func str(_ value: Value) -> String {
    switch value {
    case .scalar(let scalar): return str(scalar)
    default: return repr(value)
    }
  }

  /// Python's `str(scalar)`.
  public static func str(_ scalar: Scalar) -> String {
    switch scalar {
    case .string(let text): return text
    case .integer(let number): return integer(number)
    case .float(let number): return float(number)
    case .boolean(let flag): return flag ? "True" : "False"
    case .null: return "None"
    case .date(let stamp): return isoDate(stamp)
    case .datetime(let stamp): return isoDateTime(stamp, separator: " ")
    }
  }

  /// An integer in decimal: `BigInt`'s conversion divides word by word, ten times slower than
  /// `Int`'s for the small numbers identities are made of (a port of every item of a list).
  public static func integer(_ number: BigInt) -> String {
    if let small = Int(exactly: number) { return String(small) }
    return number.description
  }

  /// Python's `repr(value)`, which is what `str()` shows of a list or dict.
  public static func repr(_ value: Value) -> String {
    switch value {
    case .scalar(let scalar): return repr(scalar)
    case .array(let elements): return "[" + elements.map(repr).joined(separator: ", ") + "]"
    case .object(let members):
      return "{" + members.map { repr($0.key.scalar) + ": " + repr($0.value) }.joined(separator: ", ") + "}"
    }
  }

  /// Python's `repr(scalar)`: strings quoted, dates in their constructor form.
  public static func repr(_ scalar: Scalar) -> String {
    switch scalar {
    case .string(let text): return repr(string: text)
    case .date(let stamp): return "datetime.date(\(stamp.year), \(stamp.month), \(stamp.day))"
    case .datetime(let stamp): return dateTimeRepr(stamp)
    default: return str(scalar)
    }
  }

  /// Python's `repr(str)`: single quotes unless the text holds a single quote and no double one;
  /// what `str.isprintable()` refuses is escaped (`\n`, `\x07`, `\xa0`, `\u200b`, `\U000e0001`).
  public static func repr(string text: String) -> String {
    let quote: Unicode.Scalar = text.contains("'") && !text.contains("\"") ? "\"" : "'"
    var result = String(quote)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case quote: result += "\\" + String(quote)
      default:
        if isPrintable(scalar) {
          result.unicodeScalars.append(scalar)
        } else if scalar.value < 0x100 {
          result += "\\x" + hex(scalar.value, width: 2)
        } else if scalar.value < 0x10000 {
          result += "\\u" + hex(scalar.value, width: 4)
        } else {
          result += "\\U" + hex(scalar.value, width: 8)
        }
      }
    }
    result.unicodeScalars.append(quote)
    return result
  }

  /// Python's `repr(float)` (which `str(float)` equals): the shortest digits that read back as
  /// the same double, in fixed notation when the decimal exponent is in -4 ..< 16 and in
  /// exponent notation (`1e+16`, `1.5e-07`) otherwise; `nan`, `inf`, `-inf`, `-0.0`.
  public static func float(_ number: Double) -> String {
    if number.isNaN { return "nan" }
    if number.isInfinite { return number < 0 ? "-inf" : "inf" }
    let sign = number.sign == .minus ? "-" : ""
    guard number != 0 else { return sign + "0.0" }
    let (digits, exponent) = shortestDigits(of: number.magnitude)
    // `exponent` is the power of ten of the first digit: |number| = d.ddd × 10^exponent.
    if exponent < -4 || exponent >= 16 {
      let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + digits.dropFirst()
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + padded(abs(exponent), 2)
    }
    if exponent < 0 {
      return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
    }
    let integerCount = exponent + 1
    if digits.count <= integerCount {
      return sign + digits + String(repeating: "0", count: integerCount - digits.count) + ".0"
    }
    let split = digits.index(digits.startIndex, offsetBy: integerCount)
    return sign + digits[..<split] + "." + digits[split...]
  }

  /// `date.isoformat()`: the year zero-padded to four digits.
  public static func isoDate(_ stamp: Timestamp) -> String {
    padded(stamp.year, 4) + "-" + padded(stamp.month, 2) + "-" + padded(stamp.day, 2)
  }

  /// `datetime.isoformat(separator)`, which is `str(datetime)` with a space: microseconds only
  /// when non-zero, the UTC offset as `+HH:MM` when the datetime is aware.
  public static func isoDateTime(_ stamp: Timestamp, separator: String) -> String {
    var text = isoDate(stamp) + separator + padded(stamp.hour, 2) + ":" + padded(stamp.minute, 2) + ":"
      + padded(stamp.second, 2)
    if stamp.microsecond != 0 { text += "." + padded(stamp.microsecond, 6) }
    if let offset = stamp.utcOffsetMinutes { text += utcOffset(minutes: offset) }
    return text
  }

  /// A UTC offset as `isoformat()` writes it: `+01:00`, `-05:30`, `+00:00`.
  public static func utcOffset(minutes: Int) -> String {
    (minutes < 0 ? "-" : "+") + padded(abs(minutes) / 60, 2) + ":" + padded(abs(minutes) % 60, 2)
  }

  /// `repr(datetime)`: trailing zero seconds and microseconds left out, an aware datetime's zone
  /// as PyYAML builds it (`datetime.timezone(timedelta)`, the UTC singleton for a zero offset).
  private static func dateTimeRepr(_ stamp: Timestamp) -> String {
    var fields = [stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute]
    if stamp.second != 0 || stamp.microsecond != 0 { fields.append(stamp.second) }
    if stamp.microsecond != 0 { fields.append(stamp.microsecond) }
    var text = "datetime.datetime(" + fields.map(String.init).joined(separator: ", ")
    if let offset = stamp.utcOffsetMinutes {
      text += ", tzinfo=" + timezoneRepr(offsetMinutes: offset)
    }
    return text + ")"
  }

  private static func timezoneRepr(offsetMinutes: Int) -> String {
    if offsetMinutes == 0 { return "datetime.timezone.utc" }
    // A timedelta keeps days, then seconds in 0 ..< 86400: -90 minutes is days=-1, seconds=81000.
    let seconds = offsetMinutes * 60
    let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
    let remainder = seconds - days * 86_400
    var parts: [String] = []
    if days != 0 { parts.append("days=\(days)") }
    if remainder != 0 { parts.append("seconds=\(remainder)") }
    return "datetime.timezone(datetime.timedelta(" + parts.joined(separator: ", ") + "))"
  }

  /// `str.isprintable()` for one code point: everything but controls, format characters,
  /// surrogates, private use, unassigned code points and separators other than the space.
  /// The answer for code points assigned after the Unicode version of the reference's Python
  /// can differ (Python then escapes them).
  private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == " " { return true }
    switch scalar.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
      .spaceSeparator:
      return false
    default:
      return true
    }
  }

  /// The shortest round-trip decimal digits of a positive finite double, without leading or
  /// trailing zeros, and the power of ten of the first digit. Swift's `description` picks the
  /// same digits as Python's `repr` (shortest, then closest to the exact value); only its layout
  /// differs, so the digits are taken from it and laid out again.
  private static func shortestDigits(of magnitude: Double) -> (digits: String, exponent: Int) {
    let text = magnitude.description
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      exponent = Int(text[text.index(after: e)...]) ?? 0
    }
    var integerPart = mantissa
    var fractionPart: Substring = ""
    if let dot = mantissa.firstIndex(of: ".") {
      integerPart = mantissa[..<dot]
      fractionPart = mantissa[mantissa.index(after: dot)...]
    }
    var digits = Substring(String(integerPart) + fractionPart)
    var firstPower = integerPart.count - 1 + exponent
    while digits.count > 1 && digits.first == "0" {
      digits = digits.dropFirst()
      firstPower -= 1
    }
    while digits.count > 1 && digits.last == "0" { digits = digits.dropLast() }
    return (String(digits), firstPower)
  }

  private static func padded(_ number: Int, _ width: Int) -> String {
    let digits = String(number.magnitude)
    let padding = String(repeating: "0", count: max(0, width - digits.count))
    return (number < 0 ? "-" : "") + padding + digits
  }

  private static func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
