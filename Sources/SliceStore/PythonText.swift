import BigInt
import SliceSyntax

// Python's `str()` of loaded values, as the reference renders identity values in dict paths.
// Kept internal and small: the values it sees went through pydantic's JSON dump, so they are
// strings, numbers, booleans, None, and rarely lists or dicts.

/// Python's `str(value)`.
func pythonStr(_ value: Value) -> String {
  switch value {
  case .scalar(let scalar): return pythonStr(scalar)
  default: return pythonRepr(value)
  }
}

/// Python's `str(scalar)`.
func pythonStr(_ scalar: Scalar) -> String {
  switch scalar {
  case .string(let text): return text
  case .integer(let number): return number.description
  case .float(let number): return pythonFloatRepr(number)
  case .boolean(let flag): return flag ? "True" : "False"
  case .null: return "None"
  case .date(let stamp): return pythonDate(stamp)
  case .datetime(let stamp): return pythonDateTime(stamp)
  }
}

/// Python's `repr(value)` (what `str()` shows for a list or dict).
func pythonRepr(_ value: Value) -> String {
  switch value {
  case .scalar(.string(let text)): return pythonStringRepr(text)
  case .scalar(.date(let stamp)):
    return "datetime.date(\(stamp.year), \(stamp.month), \(stamp.day))"
  case .scalar(.datetime(let stamp)):
    // Rare enough in identities that the constructor form is not spelled out.
    return pythonDateTime(stamp)
  case .scalar(let scalar): return pythonStr(scalar)
  case .array(let elements): return "[" + elements.map(pythonRepr).joined(separator: ", ") + "]"
  case .object(let members):
    return "{"
      + members.map { pythonRepr(.scalar($0.key.scalar)) + ": " + pythonRepr($0.value) }
      .joined(separator: ", ") + "}"
  }
}

/// Python's `repr(str)`: single quotes unless the text holds a single quote and no double one.
func pythonStringRepr(_ text: String) -> String {
  let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
  var result = String(quote)
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\\": result += "\\\\"
    case "\n": result += "\\n"
    case "\r": result += "\\r"
    case "\t": result += "\\t"
    default:
      if Character(scalar) == quote {
        result += "\\" + String(quote)
      } else if scalar.value < 0x20 || scalar.value == 0x7F {
        result += "\\x" + hex(scalar.value, width: 2)
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
  }
  result.append(quote)
  return result
}

/// Python's `repr(float)`: the shortest digits that read back the same number, in fixed
/// notation when the decimal exponent is in [-4, 16), else scientific with a signed exponent of
/// at least two digits.
func pythonFloatRepr(_ number: Double) -> String {
  if number.isNaN { return "nan" }
  if number.isInfinite { return number < 0 ? "-inf" : "inf" }
  if number == 0 { return number.sign == .minus ? "-0.0" : "0.0" }
  let (digits, exponent) = shortestDigits(of: abs(number))
  let sign = number < 0 ? "-" : ""
  // `exponent` is the power of ten of the first digit: number = d.ddd × 10^exponent.
  if exponent >= -4 && exponent < 16 {
    if exponent < 0 {
      return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
    }
    let integerCount = exponent + 1
    if digits.count <= integerCount {
      return sign + digits + String(repeating: "0", count: integerCount - digits.count) + ".0"
    }
    let splitIndex = digits.index(digits.startIndex, offsetBy: integerCount)
    return sign + digits[..<splitIndex] + "." + digits[splitIndex...]
  }
  let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + digits.dropFirst()
  let exponentDigits = String(abs(exponent))
  return sign + mantissa + "e" + (exponent < 0 ? "-" : "+")
    + (exponentDigits.count < 2 ? "0" + exponentDigits : exponentDigits)
}

/// The shortest round-trip decimal digits of a positive finite double (Swift's `description`
/// computes the same digits as Python's `repr`), without leading or trailing zeros, and the
/// power of ten of the first digit.
private func shortestDigits(of number: Double) -> (digits: String, exponent: Int) {
  let text = number.description
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
  var digits = String(integerPart) + fractionPart
  // The first digit's power: the integer part's length - 1, shifted by the exponent.
  var firstPower = integerPart.count - 1 + exponent
  while digits.hasPrefix("0") && digits.count > 1 {
    digits.removeFirst()
    firstPower -= 1
  }
  while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
  return (digits, firstPower)
}

private func pythonDate(_ stamp: Timestamp) -> String {
  pad(stamp.year, 4) + "-" + pad(stamp.month, 2) + "-" + pad(stamp.day, 2)
}

private func pythonDateTime(_ stamp: Timestamp) -> String {
  var text = pythonDate(stamp) + " " + pad(stamp.hour, 2) + ":" + pad(stamp.minute, 2) + ":"
    + pad(stamp.second, 2)
  if stamp.microsecond != 0 { text += "." + pad(stamp.microsecond, 6) }
  if let offset = stamp.utcOffsetMinutes {
    let sign = offset < 0 ? "-" : "+"
    text += sign + pad(abs(offset) / 60, 2) + ":" + pad(abs(offset) % 60, 2)
  }
  return text
}

private func pad(_ number: Int, _ width: Int) -> String {
  let digits = String(number)
  return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

private func hex(_ value: UInt32, width: Int) -> String {
  let digits = String(value, radix: 16)
  return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

extension Identity.Pair {
  /// A key's value as identities hold it: Python's `str()` of the loaded value (`1`, `True`, `None`).
  public init(key: String, loadedValue: Value) {
    self.init(key: key, value: pythonStr(loadedValue))
  }
}
