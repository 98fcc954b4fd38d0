import SliceSyntax

/// Why the reference could not write a value: Python's `json.dumps` raises `TypeError` for
/// dates and datetimes (values or keys), which the reference reports as
/// "Attributes can not be serialized".
public enum ReferenceWriterError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A value of this Python type (`date`, `datetime`) is not JSON serializable.
  case notJSONSerializable(pythonType: String)
  /// A mapping key of this Python type is not allowed in JSON.
  case keyNotJSONSerializable(pythonType: String)

  /// The message Python gives.
  public var description: String {
    switch self {
    case .notJSONSerializable(let type):
      return "Object of type \(type) is not JSON serializable"
    case .keyNotJSONSerializable(let type):
      return "keys must be str, int, float, bool or None, not \(type)"
    }
  }
}

/// The exact text the reference writes into a JSON slice: Python's `json.dumps(obj, indent=2)`.
///
/// That is: two-space indentation, `,` at line ends and `: ` after keys, `{}`/`[]` for empty
/// collections, no trailing newline, every character outside printable ASCII escaped as
/// `\uXXXX` with lowercase hex (astral characters as surrogate pairs), floats as Python's `repr`
/// with `NaN`/`Infinity`/`-Infinity` for the non-finite ones, and non-string keys converted the
/// way `json.dumps` converts them (`1` → `"1"`, `True` → `"true"`, `None` → `"null"`).
public enum ReferenceJSONWriter {
  public static func text(for value: Value) throws(ReferenceWriterError) -> String {
    var output = ""
    try write(value, depth: 0, into: &output)
    return output
  }

  private static let indentWidth = 2

  private static func write(_ value: Value, depth: Int, into output: inout String) throws(ReferenceWriterError) {
    switch value {
    case .scalar(let scalar):
      try writeScalar(scalar, into: &output)
    case .array(let elements):
      guard !elements.isEmpty else {
        output += "[]"
        return
      }
      output += "["
      for (index, element) in elements.enumerated() {
        output += index == 0 ? "\n" : ",\n"
        writeIndent(depth + 1, into: &output)
        try write(element, depth: depth + 1, into: &output)
      }
      output += "\n"
      writeIndent(depth, into: &output)
      output += "]"
    case .object(let members):
      guard !members.isEmpty else {
        output += "{}"
        return
      }
      output += "{"
      for (index, member) in members.enumerated() {
        output += index == 0 ? "\n" : ",\n"
        writeIndent(depth + 1, into: &output)
        writeString(try keyText(member.key.scalar), into: &output)
        output += ": "
        try write(member.value, depth: depth + 1, into: &output)
      }
      output += "\n"
      writeIndent(depth, into: &output)
      output += "}"
    }
  }

  private static func writeIndent(_ depth: Int, into output: inout String) {
    output += String(repeating: " ", count: depth * indentWidth)
  }

  private static func writeScalar(_ scalar: Scalar, into output: inout String) throws(ReferenceWriterError) {
    switch scalar {
    case .string(let text): writeString(text, into: &output)
    case .integer(let number): output += number.description
    case .float(let number): output += floatText(number)
    case .boolean(let flag): output += flag ? "true" : "false"
    case .null: output += "null"
    case .date: throw .notJSONSerializable(pythonType: "date")
    case .datetime: throw .notJSONSerializable(pythonType: "datetime")
    }
  }

  /// `json`'s `_floatstr`: `repr` for finite floats, JavaScript's names for the others.
  private static func floatText(_ number: Double) -> String {
    if number.isNaN { return "NaN" }
    if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
    return PythonRepr.float(number)
  }

  /// The key conversion of `json.dumps`: a dict loaded from YAML may have int, float, bool or
  /// null keys, which are written as strings; dates are refused.
  private static func keyText(_ key: Scalar) throws(ReferenceWriterError) -> String {
    switch key {
    case .string(let text): return text
    case .float(let number): return floatText(number)
    case .boolean(let flag): return flag ? "true" : "false"
    case .null: return "null"
    case .integer(let number): return number.description
    case .date: throw .keyNotJSONSerializable(pythonType: "date")
    case .datetime: throw .keyNotJSONSerializable(pythonType: "datetime")
    }
  }

  private static let hexDigits: [Character] = Array("0123456789abcdef")

  /// `json.encoder.encode_basestring_ascii` (`ensure_ascii=True`).
  private static func writeString(_ text: String, into output: inout String) {
    output += "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      case " "..."~": output.unicodeScalars.append(scalar)
      default:
        if scalar.value > 0xFFFF {
          // UTF-16 surrogate pair, as Python writes astral characters.
          let offset = scalar.value - 0x10000
          writeUnicodeEscape(0xD800 + (offset >> 10), into: &output)
          writeUnicodeEscape(0xDC00 + (offset & 0x3FF), into: &output)
        } else {
          writeUnicodeEscape(scalar.value, into: &output)
        }
      }
    }
    output += "\""
  }

  private static func writeUnicodeEscape(_ unit: UInt32, into output: inout String) {
    output += "\\u"
    for shift in stride(from: 12, through: 0, by: -4) {
      output.append(hexDigits[Int((unit >> UInt32(shift)) & 0xF)])
    }
  }
}
