import SliceSchema
import SliceSyntax

/// Values written as a person reads them in an editor: inside YAML or JSON text that the user
/// is editing, and in hovers. Unlike the reference writers (which reproduce the compile's
/// output byte for byte), these keep non-ASCII characters as they are and adapt to the
/// indentation around the insertion.
public enum ValueText {
  // MARK: YAML

  /// A scalar as it stands after `key: ` in a YAML block mapping, quoted only where PyYAML
  /// would read the plain text as something else (the reference writer decides).
  public static func yamlScalar(_ scalar: Scalar) -> String {
    let text = ReferenceYAMLWriter.text(for: .object([Value.Member("k", .scalar(scalar))]))
    var body = Substring(text)
    if body.hasPrefix("k: ") { body = body.dropFirst(3) }
    while body.hasSuffix("\n") { body = body.dropLast() }
    // A folded or literal block would need the following lines: write the string quoted instead.
    if body.contains("\n"), case .string(let string) = scalar { return TextRendering.jsonQuoted(string) }
    return String(body)
  }

  /// A value in YAML flow style (`{switch: sw1, port: 1}`, `[a, b]`).
  public static func yamlFlow(_ value: Value) -> String {
    switch value {
    case .scalar(let scalar):
      let text = yamlScalar(scalar)
      // Flow indicators inside a plain scalar would end it.
      if text.contains(where: { ",[]{}".contains($0) }), case .string(let string) = scalar {
        return TextRendering.jsonQuoted(string)
      }
      return text
    case .array(let elements):
      return "[" + elements.map(yamlFlow).joined(separator: ", ") + "]"
    case .object(let members):
      return "{" + members.map { yamlFlow(.scalar($0.key.scalar)) + ": " + yamlFlow($0.value) }.joined(separator: ", ") + "}"
    }
  }

  /// The members of an object as YAML block lines (the reference writer's layout), each line
  /// prefixed with `indent` except the first when `indentFirst` is false.
  public static func yamlBlockLines(_ members: [Value.Member], indent: String) -> [String] {
    let text = ReferenceYAMLWriter.text(for: .object(members))
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while lines.last == "" { lines.removeLast() }
    return lines.map { indent + $0 }
  }

  // MARK: JSON

  /// A value as compact JSON on one line (`{"a": 1, "b": [true]}`), non-ASCII kept.
  static func jsonCompact(_ value: Value) -> String {
    switch value {
    case .scalar(let scalar): return jsonScalar(scalar)
    case .array(let elements): return "[" + elements.map(jsonCompact).joined(separator: ", ") + "]"
    case .object(let members):
      return "{" + members.map { jsonKey($0.key.scalar) + ": " + jsonCompact($0.value) }.joined(separator: ", ") + "}"
    }
  }

  /// A value as indented JSON: nested lines start with `indent` plus one `unit` per level; the
  /// first line has no indentation (it follows whatever precedes it).
  public static func jsonPretty(_ value: Value, indent: String = "", unit: String = "  ", lineBreak: String = "\n") -> String {
    var output = ""
    writeJSON(value, indent: indent, unit: unit, lineBreak: lineBreak, into: &output)
    return output
  }

  private static func writeJSON(_ value: Value, indent: String, unit: String, lineBreak: String, into output: inout String) {
    switch value {
    case .scalar(let scalar):
      output += jsonScalar(scalar)
    case .array(let elements):
      guard !elements.isEmpty else {
        output += "[]"
        return
      }
      output += "["
      for (index, element) in elements.enumerated() {
        output += (index == 0 ? "" : ",") + lineBreak + indent + unit
        writeJSON(element, indent: indent + unit, unit: unit, lineBreak: lineBreak, into: &output)
      }
      output += lineBreak + indent + "]"
    case .object(let members):
      guard !members.isEmpty else {
        output += "{}"
        return
      }
      output += "{"
      for (index, member) in members.enumerated() {
        output += (index == 0 ? "" : ",") + lineBreak + indent + unit + jsonKey(member.key.scalar) + ": "
        writeJSON(member.value, indent: indent + unit, unit: unit, lineBreak: lineBreak, into: &output)
      }
      output += lineBreak + indent + "}"
    }
  }

  public static func jsonScalar(_ scalar: Scalar) -> String {
    switch scalar {
    case .string(let text): return TextRendering.jsonQuoted(text)
    case .integer(let number): return number.description
    case .float(let number):
      if number.isNaN { return "NaN" }
      if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
      return PythonText.float(number)
    case .boolean(let flag): return flag ? "true" : "false"
    case .null: return "null"
    case .date, .datetime: return TextRendering.jsonQuoted(PythonText.str(scalar))
    }
  }

  static func jsonKey(_ scalar: Scalar) -> String {
    if case .string(let text) = scalar { return TextRendering.jsonQuoted(text) }
    return TextRendering.jsonQuoted(jsonScalar(scalar))
  }

  // MARK: Both

  /// A scalar as the user would write it in a file of this format.
  static func scalar(_ scalar: Scalar, format: SliceFormat) -> String {
    format == .json ? jsonScalar(scalar) : yamlScalar(scalar)
  }

  /// A value on one line for a hover, shortened past `limit` characters.
  public static func short(_ value: Value, format: SliceFormat, limit: Int = 80) -> String {
    let text = format == .json ? jsonCompact(value) : yamlFlow(value)
    guard text.count > limit else { return text }
    return String(text.prefix(limit - 1)) + "…"
  }
}
