import SliceSyntax

/// Python's text forms of loaded scalars, as the reference produces them.
///
/// The reference is Python: identities of list items are built with `str()`, `json.dumps` writes
/// floats with `float.__repr__`, and PyYAML's representer starts from `repr()` too. Getting these
/// byte-exact is what lets slicels match the reference's identities and written files.
public enum PythonRepr {
  /// Python's `str()` of a value after loading: `True`, `False`, `None`, `1.0`, `1e+16`, `inf`,
  /// integers in decimal, strings as they are, dates as `2024-01-31` and datetimes as
  /// `2024-01-31 10:00:00+01:00`.
  public static func str(_ scalar: Scalar) -> String {
    switch scalar {
    case .string(let text): return text
    case .integer(let number): return number.description
    case .float(let number): return float(number)
    case .boolean(let flag): return flag ? "True" : "False"
    case .null: return "None"
    case .date(let timestamp): return isoDate(timestamp)
    case .datetime(let timestamp): return isoDateTime(timestamp, separator: " ")
    }
  }

  /// Python's `repr(float)` (which `str(float)` equals): the shortest digits that read back as
  /// the same double, in fixed notation when the decimal exponent is in -4 ..< 16 and in
  /// exponent notation (`1e+16`, `1.5e-07`) otherwise; `nan`, `inf`, `-inf` for the rest.
  public static func float(_ number: Double) -> String {
    if number.isNaN { return "nan" }
    if number.isInfinite { return number < 0 ? "-inf" : "inf" }
    let sign = number.sign == .minus ? "-" : ""
    guard number != 0 else { return sign + "0.0" }
    let decimal = ShortestDecimal(number.magnitude)
    let digits = decimal.digits
    // CPython's `float_repr_style == 'short'`, mode 'r': exponent notation when the position of
    // the decimal point is at most -4 or beyond 16 digits.
    let point = decimal.pointPosition
    if point <= -4 || point > 16 {
      var mantissa = String(digits.first ?? "0")
      if digits.count > 1 { mantissa += "." + digits.dropFirst() }
      let exponent = point - 1
      let exponentDigits = String(abs(exponent))
      let paddedExponent = exponentDigits.count < 2 ? "0" + exponentDigits : exponentDigits
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + paddedExponent
    }
    if point <= 0 {
      return sign + "0." + String(repeating: "0", count: -point) + digits
    }
    if point >= digits.count {
      return sign + digits + String(repeating: "0", count: point - digits.count) + ".0"
    }
    let splitIndex = digits.index(digits.startIndex, offsetBy: point)
    return sign + digits[..<splitIndex] + "." + digits[splitIndex...]
  }

  /// `date.isoformat()`: the year is zero-padded to four digits.
  static func isoDate(_ timestamp: Timestamp) -> String {
    padded(timestamp.year, 4) + "-" + padded(timestamp.month, 2) + "-" + padded(timestamp.day, 2)
  }

  /// `datetime.isoformat(separator)`, which is also `str(datetime)` with a space: microseconds
  /// only when non-zero, the UTC offset as `+HH:MM` when the datetime is aware.
  static func isoDateTime(_ timestamp: Timestamp, separator: String) -> String {
    var text = isoDate(timestamp) + separator
    text += padded(timestamp.hour, 2) + ":" + padded(timestamp.minute, 2) + ":" + padded(timestamp.second, 2)
    if timestamp.microsecond != 0 { text += "." + padded(timestamp.microsecond, 6) }
    if let offset = timestamp.utcOffsetMinutes {
      text += (offset < 0 ? "-" : "+") + padded(abs(offset) / 60, 2) + ":" + padded(abs(offset) % 60, 2)
    }
    return text
  }

  private static func padded(_ number: Int, _ width: Int) -> String {
    let digits = String(abs(number))
    let padding = String(repeating: "0", count: max(0, width - digits.count))
    return (number < 0 ? "-" : "") + padding + digits
  }
}

/// The shortest decimal digits that round-trip a positive finite double, with the position of the
/// decimal point: value = 0.DIGITS × 10^pointPosition.
///
/// Swift's `description` already computes the shortest round-tripping digits (choosing the one
/// closest to the exact value, as Python's dtoa does); only its layout differs from Python's, so
/// the digits are taken from it and laid out again.
struct ShortestDecimal {
  /// Significant digits without leading or trailing zeros.
  var digits: String
  var pointPosition: Int

  init(_ magnitude: Double) {
    let text = magnitude.description
    let parts = text.split(separator: "e", maxSplits: 1)
    let mantissa = parts.first.map(String.init) ?? text
    let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    let mantissaParts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let integerPart = mantissaParts.first.map(String.init) ?? ""
    let fractionPart = mantissaParts.count > 1 ? String(mantissaParts[1]) : ""
    var allDigits = Substring(integerPart + fractionPart)
    var point = integerPart.count + exponent
    while allDigits.first == "0" {
      allDigits = allDigits.dropFirst()
      point -= 1
    }
    while allDigits.last == "0" { allDigits = allDigits.dropLast() }
    digits = allDigits.isEmpty ? "0" : String(allDigits)
    pointPosition = allDigits.isEmpty ? 1 : point
  }
}
