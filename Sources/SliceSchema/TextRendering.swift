import BigInt
import Foundation
import SliceSyntax

/// Source text for small replacements (a fix's new key or value), in the style of the node it
/// replaces: JSON strings are JSON-quoted, YAML keeps its quoting style where the text allows.
public enum TextRendering {
  /// A string written like `node` was (JSON, or YAML plain / single / double quoted).
  public static func string(_ text: String, like node: Node) -> String {
    switch node.style {
    case .json, .doubleQuoted: return jsonQuoted(text)
    case .singleQuoted: return singleQuoted(text)
    default: return isPlainSafe(text) ? text : singleQuoted(text)
    }
  }

  /// A scalar written for the file `node` is in; nil when the rendering is not obvious.
  public static func scalar(_ scalar: Scalar, like node: Node) -> String? {
    let isJSON = node.style == .json
    switch scalar {
    case .string(let text): return string(text, like: node)
    case .integer(let value): return value.description
    case .boolean(let flag): return isJSON ? (flag ? "true" : "false") : (flag ? "true" : "false")
    case .null: return isJSON ? "null" : "null"
    case .float(let value):
      if value.isNaN { return isJSON ? "NaN" : ".nan" }
      if value.isInfinite { return isJSON ? (value < 0 ? "-Infinity" : "Infinity") : (value < 0 ? "-.inf" : ".inf") }
      return PythonText.float(value)
    case .date, .datetime: return nil
    }
  }

  public static func jsonQuoted(_ text: String) -> String {
    JSONStringQuoting.quoted(text, style: .readable)
  }

  static func singleQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }

  /// Whether PyYAML reads `text` written plain back as the same string.
  static func isPlainSafe(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first else { return false }
    let isLetter = (first >= "a" && first <= "z") || (first >= "A" && first <= "Z") || first == "_"
    guard isLetter else { return false }
    for scalar in text.unicodeScalars {
      let ok =
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
        || scalar == "_" || scalar == "-" || scalar == "." || scalar == "/"
      if !ok { return false }
    }
    let reserved: Set<String> = [
      "yes", "no", "true", "false", "on", "off", "null", "y", "n",
    ]
    return !reserved.contains(text.lowercased())
  }
}
