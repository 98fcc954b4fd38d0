import SliceSyntax

/// Writes new YAML values into an existing file: block collections laid out with the file's own
/// indentation habits, every scalar (and key) in the style PyYAML's emitter would choose at
/// that point.
///
/// Columns are absolute (code points from the start of the line): the text a function returns
/// continues the line it is written on, and every later line carries its full indentation.
/// Line breaks are `\n`; the caller converts them to the file's.
struct YAMLFragments {
  /// How much deeper a block mapping's keys sit than the key holding it.
  var mappingIndent = 2
  /// How much deeper the dashes of a block sequence sit than the key holding it (PyYAML: 0).
  var sequenceIndent = 0
  /// From a dash to the start of its item (`- a`: 2).
  var itemOffset = 2

  /// A scalar or an empty collection on the current line, or nil for a collection that needs
  /// lines of its own.
  func inline(_ value: Value, inFlow: Bool, indent: Int, column: Int) -> String? {
    switch value {
    case .scalar(let scalar):
      return ReferenceYAMLWriter.scalarText(scalar, inFlow: inFlow, asSimpleKey: false, indent: indent, column: column)
    case .object(let members) where members.isEmpty:
      return "{}"
    case .array(let elements) where elements.isEmpty:
      return "[]"
    default:
      return nil
    }
  }

  /// What follows the `:` of a key at `keyColumn` (`column` is just after the `:`): ` value`, or
  /// the block collection on the following lines. `anchor` keeps a node's `&name`.
  func afterKeyIndicator(_ value: Value, keyColumn: Int, column: Int, anchor: String? = nil) -> String {
    let properties = anchor.map { " &" + $0 } ?? ""
    let start = column + codePointWidth(properties) + 1
    if let text = inline(value, inFlow: false, indent: keyColumn, column: start) {
      return properties + " " + text
    }
    switch value {
    case .object:
      let inner = keyColumn + mappingIndent
      return properties + "\n" + spaces(inner) + body(value, column: inner)
    default:
      let inner = keyColumn + sequenceIndent
      return properties + "\n" + spaces(inner) + body(value, column: inner)
    }
  }

  /// What follows a `-` at `dashColumn`.
  func afterDash(_ value: Value, dashColumn: Int, anchor: String? = nil) -> String {
    let contentColumn = dashColumn + itemOffset
    if let anchor {
      let properties = " &" + anchor
      let start = dashColumn + 1 + codePointWidth(properties) + 1
      if let text = inline(value, inFlow: false, indent: dashColumn, column: start) {
        return properties + " " + text
      }
      return properties + "\n" + spaces(contentColumn) + body(value, column: contentColumn)
    }
    let gap = spaces(itemOffset - 1)
    if let text = inline(value, inFlow: false, indent: dashColumn, column: contentColumn) {
      return gap + text
    }
    return gap + body(value, column: contentColumn)
  }

  /// A value that starts at `column` on the current line; a collection's later entries are
  /// written on their own lines at that column.
  func body(_ value: Value, column: Int) -> String {
    switch value {
    case .object(let members) where !members.isEmpty:
      var text = ""
      for (index, member) in members.enumerated() {
        if index > 0 { text += "\n" + spaces(column) }
        text += entry(key: member.key.scalar, value: member.value, column: column)
      }
      return text
    case .array(let elements) where !elements.isEmpty:
      var text = ""
      for (index, element) in elements.enumerated() {
        if index > 0 { text += "\n" + spaces(column) }
        text += item(element, dashColumn: column)
      }
      return text
    default:
      return inline(value, inFlow: false, indent: max(column - mappingIndent, 0), column: column) ?? ""
    }
  }

  /// `key: value` for a key at `column`; keys that cannot be simple (long or multi-line) take
  /// the explicit `? key` form, as PyYAML writes them.
  func entry(key: Scalar, value: Value, column: Int) -> String {
    if ReferenceYAMLWriter.isSimpleKey(key) {
      let keyText = ReferenceYAMLWriter.scalarText(key, inFlow: false, asSimpleKey: true, indent: column, column: column)
      return keyText + ":" + afterKeyIndicator(value, keyColumn: column, column: columnAfter(keyText, startingAt: column) + 1)
    }
    let keyText = ReferenceYAMLWriter.scalarText(key, inFlow: false, asSimpleKey: false, indent: column, column: column + 2)
    return "? " + keyText + "\n" + spaces(column) + ":" + afterKeyIndicator(value, keyColumn: column, column: column + 1)
  }

  /// `- value` for a dash at `dashColumn`.
  func item(_ value: Value, dashColumn: Int) -> String {
    "-" + afterDash(value, dashColumn: dashColumn)
  }

  /// A value in flow style on one line (`{a: 1, b: [x, y]}`), for flow collections.
  func flow(_ value: Value, indent: Int, column: Int) -> String {
    var text = ""
    var column = column
    writeFlow(value, indent: indent, column: &column, into: &text)
    return text
  }

  /// Appends `value` to `text`, with `column` following the end of the text (counted per piece:
  /// re-counting the whole text for each scalar would make long flow lists quadratic).
  private func writeFlow(_ value: Value, indent: Int, column: inout Int, into text: inout String) {
    func append(_ piece: String) {
      text += piece
      column = columnAfter(piece, startingAt: column)
    }
    switch value {
    case .scalar(let scalar):
      append(ReferenceYAMLWriter.scalarText(scalar, inFlow: true, asSimpleKey: false, indent: indent, column: column))
    case .array(let elements):
      append("[")
      for (index, element) in elements.enumerated() {
        if index > 0 { append(", ") }
        writeFlow(element, indent: indent, column: &column, into: &text)
      }
      append("]")
    case .object(let members):
      append("{")
      for (index, member) in members.enumerated() {
        if index > 0 { append(", ") }
        append(flowKey(member.key.scalar, indent: indent, column: column))
        append(": ")
        writeFlow(member.value, indent: indent, column: &column, into: &text)
      }
      append("}")
    }
  }

  /// A key inside a flow mapping.
  func flowKey(_ key: Scalar, indent: Int, column: Int) -> String {
    ReferenceYAMLWriter.scalarText(key, inFlow: true, asSimpleKey: true, indent: indent, column: column)
  }

  /// A key of a block mapping written over an existing one (same column).
  func blockKey(_ key: Scalar, indent: Int, column: Int) -> String {
    ReferenceYAMLWriter.scalarText(key, inFlow: false, asSimpleKey: true, indent: indent, column: column)
  }
}

/// The layouts the preserving writer uses for JSON values written into an existing file.
struct JSONFragments {
  /// The file's indentation unit (two spaces unless the file shows another).
  var indentUnit = "  "
  /// Between items on one line (`, ` as `json.dumps` writes them without indent).
  var itemSeparator = ", "
  var keySeparator = ": "

  /// Over several lines, each later line starting with `linePrefix` (the indentation of the
  /// line the value starts on).
  func pretty(_ value: Value, linePrefix: String) throws(ReferenceWriterError) -> String {
    try ReferenceJSONWriter.text(
      for: value,
      layout: ReferenceJSONWriter.Layout(
        indentUnit: indentUnit, basePrefix: linePrefix, itemSeparator: itemSeparator, keySeparator: keySeparator))
  }

  /// On one line.
  func compact(_ value: Value, itemSeparator: String? = nil) throws(ReferenceWriterError) -> String {
    try ReferenceJSONWriter.text(
      for: value,
      layout: ReferenceJSONWriter.Layout(
        indentUnit: nil, itemSeparator: itemSeparator ?? self.itemSeparator, keySeparator: keySeparator))
  }

  func key(_ key: Scalar) throws(ReferenceWriterError) -> String {
    try ReferenceJSONWriter.keyText(for: key)
  }
}
