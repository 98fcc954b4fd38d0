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
    try text(for: value, layout: .reference)
  }

  /// The reference's text as UTF-8 bytes, ready to be written to a file. Written into one
  /// growing byte buffer: time and memory are linear in the output.
  public static func bytes(for value: Value) throws(ReferenceWriterError) -> [UInt8] {
    var output: [UInt8] = []
    try write(value, depth: 0, layout: .reference, into: &output)
    return output
  }

  /// The reference's text of a top-level list written one item at a time: the same bytes as
  /// `bytes(for: .array(items))`, without holding every item at once.
  public struct ListWriter: Sendable {
    public private(set) var count = 0

    public init() {}

    /// Appends one item; on an error nothing of it is appended.
    public mutating func append(_ item: Value, into output: inout [UInt8]) throws(ReferenceWriterError) {
      var rendered: [UInt8] = []
      try Self.render(item, into: &rendered)
      append(rendered: rendered, into: &output)
    }

    /// An item's text as it stands in the list, without what separates it from the others:
    /// items can be rendered apart (on other threads) and appended in order.
    public static func render(_ item: Value, into output: inout [UInt8]) throws(ReferenceWriterError) {
      try ReferenceJSONWriter.write(item, depth: 1, layout: .reference, into: &output)
    }

    /// Appends an item made by `render`.
    public mutating func append(rendered: [UInt8], into output: inout [UInt8]) {
      output.append(UInt8(ascii: count == 0 ? "[" : ","))
      ReferenceJSONWriter.writeBreak(1, layout: .reference, into: &output)
      output.append(contentsOf: rendered)
      count += 1
    }

    /// Closes the list (`[]` when it got no item).
    public func finish(into output: inout [UInt8]) {
      if count == 0 {
        output.appendUTF8(of: "[]")
      } else {
        ReferenceJSONWriter.writeBreak(0, layout: .reference, into: &output)
        output.append(UInt8(ascii: "]"))
      }
    }
  }

  /// How to lay a value out when it is written into an existing file rather than as a whole
  /// file: the file's own indentation unit (or one line, as `json.dumps` without `indent`
  /// writes), separators and line break, and the indentation of the line it starts on.
  struct Layout {
    /// One level of indentation; nil writes everything on one line.
    var indentUnit: String?
    /// What follows each line break before the level's indentation.
    var basePrefix: String = ""
    /// Between items on one line (`", "` for `json.dumps` without indent).
    var itemSeparator: String = ", "
    /// Between a key and its value.
    var keySeparator: String = ": "
    var newline: String = "\n"

    static let reference = Layout(indentUnit: "  ")

    /// Whether this is `reference` (asked once per value written, not at every line).
    var isReference: Bool {
      indentUnit == "  " && basePrefix.isEmpty && keySeparator == ": " && newline == "\n"
    }
  }

  static func text(for value: Value, layout: Layout) throws(ReferenceWriterError) -> String {
    var output: [UInt8] = []
    try write(value, depth: 0, layout: layout, into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// A scalar as `json.dumps` writes it.
  static func scalarText(_ scalar: Scalar) throws(ReferenceWriterError) -> String {
    var output: [UInt8] = []
    try writeScalar(scalar, into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// A mapping key as `json.dumps` writes it (non-string keys converted).
  static func keyText(for key: Scalar) throws(ReferenceWriterError) -> String {
    var output: [UInt8] = []
    writeString(try keyText(key), into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  fileprivate static func write(
    _ value: Value, depth: Int, layout: Layout, into output: inout [UInt8]
  ) throws(ReferenceWriterError) {
    if layout.isReference {
      try writeInReferenceLayout(value, depth: depth, into: &output)
      return
    }
    switch value {
    case .scalar(let scalar):
      try writeScalar(scalar, into: &output)
    case .array(let elements):
      guard !elements.isEmpty else {
        output.appendUTF8(of: "[]")
        return
      }
      output.append(UInt8(ascii: "["))
      for (index, element) in elements.enumerated() {
        if index > 0 { writeItemSeparator(layout, into: &output) }
        writeBreak(depth + 1, layout: layout, into: &output)
        try write(element, depth: depth + 1, layout: layout, into: &output)
      }
      writeBreak(depth, layout: layout, into: &output)
      output.append(UInt8(ascii: "]"))
    case .object(let members):
      guard !members.isEmpty else {
        output.appendUTF8(of: "{}")
        return
      }
      output.append(UInt8(ascii: "{"))
      for (index, member) in members.enumerated() {
        if index > 0 { writeItemSeparator(layout, into: &output) }
        writeBreak(depth + 1, layout: layout, into: &output)
        writeString(try keyText(member.key.scalar), into: &output)
        output.appendUTF8(of: layout.keySeparator)
        try write(member.value, depth: depth + 1, layout: layout, into: &output)
      }
      writeBreak(depth, layout: layout, into: &output)
      output.append(UInt8(ascii: "}"))
    }
  }

  /// `write` in the reference's own layout, the one of every export and every written file:
  /// the same bytes without asking the layout at every line (a fifth of an export's writing).
  static func writeInReferenceLayout(_ value: Value, depth: Int, into output: inout [UInt8]) throws(ReferenceWriterError) {
    switch value {
    case .scalar(let scalar):
      try writeScalar(scalar, into: &output)
    case .array(let elements):
      var list = ReferenceContainer.list(depth: depth)
      for element in elements {
        list.startItem(into: &output)
        try writeInReferenceLayout(element, depth: depth + 1, into: &output)
      }
      list.finish(into: &output)
    case .object(let members):
      var object = ReferenceContainer.object(depth: depth)
      for member in members {
        if case .string(let key) = member.key.scalar {
          object.startMember(key, into: &output)
        } else {
          object.startMember(try keyText(member.key.scalar), into: &output)
        }
        try writeInReferenceLayout(member.value, depth: depth + 1, into: &output)
      }
      object.finish(into: &output)
    }
  }

  /// A list or an object written in the reference layout: its opening, the separator and line
  /// break before each item, its closing (`[]` or `{}` when it got no item). Shared by
  /// `writeInReferenceLayout` and the export's merge writer (`MergedViewJSONWriter`).
  struct ReferenceContainer {
    private let open: UInt8
    private let close: UInt8
    /// The depth of the container itself; its items are one deeper.
    private let depth: Int
    private var count = 0

    static func list(depth: Int) -> ReferenceContainer {
      ReferenceContainer(open: UInt8(ascii: "["), close: UInt8(ascii: "]"), depth: depth)
    }

    static func object(depth: Int) -> ReferenceContainer {
      ReferenceContainer(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), depth: depth)
    }

    /// Before the next item: the opening or a comma, then the item's line.
    mutating func startItem(into output: inout [UInt8]) {
      output.append(count == 0 ? open : UInt8(ascii: ","))
      count += 1
      ReferenceJSONWriter.writeReferenceBreak(depth + 1, into: &output)
    }

    /// Before an object's next value: its key and `": "`.
    mutating func startMember(_ key: String, into output: inout [UInt8]) {
      startItem(into: &output)
      ReferenceJSONWriter.writeString(key, into: &output)
      output.append(UInt8(ascii: ":"))
      output.append(UInt8(ascii: " "))
    }

    func finish(into output: inout [UInt8]) {
      if count == 0 {
        output.append(open)
      } else {
        ReferenceJSONWriter.writeReferenceBreak(depth, into: &output)
      }
      output.append(close)
    }
  }

  /// A line break and `depth` levels of two spaces, copied from one run of spaces.
  static func writeReferenceBreak(_ depth: Int, into output: inout [UInt8]) {
    output.append(UInt8(ascii: "\n"))
    var remaining = 2 * depth
    while remaining > 0 {
      let count = min(remaining, spaces.count)
      spaces.withUnsafeBufferPointer { output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<count])) }
      remaining -= count
    }
  }

  private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 128)

  private static func writeItemSeparator(_ layout: Layout, into output: inout [UInt8]) {
    if layout.indentUnit == nil {
      output.appendUTF8(of: layout.itemSeparator)
    } else {
      output.append(UInt8(ascii: ","))
    }
  }

  /// A line break and the indentation of `depth` (nothing on a one-line layout).
  fileprivate static func writeBreak(_ depth: Int, layout: Layout, into output: inout [UInt8]) {
    guard let unit = layout.indentUnit else { return }
    if unit == "  ", layout.newline == "\n", layout.basePrefix.isEmpty {
      // The reference's own layout, at every line of an export: no string copies.
      output.append(UInt8(ascii: "\n"))
      output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
      return
    }
    output.appendUTF8(of: layout.newline)
    output.appendUTF8(of: layout.basePrefix)
    for _ in 0..<depth { output.appendUTF8(of: unit) }
  }

  private static func writeScalar(_ scalar: Scalar, into output: inout [UInt8]) throws(ReferenceWriterError) {
    switch scalar {
    case .string(let text): writeString(text, into: &output)
    case .integer(let number): output.appendUTF8(of: PythonText.integer(number))
    case .float(let number): output.appendUTF8(of: floatText(number))
    case .boolean(let flag): output.appendUTF8(of: (flag ? "true" : "false"))
    case .null: output.appendUTF8(of: "null")
    case .date: throw .notJSONSerializable(pythonType: "date")
    case .datetime: throw .notJSONSerializable(pythonType: "datetime")
    }
  }

  /// `json`'s `_floatstr`: `repr` for finite floats, JavaScript's names for the others.
  private static func floatText(_ number: Double) -> String {
    if number.isNaN { return "NaN" }
    if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
    return PythonText.float(number)
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

  /// `json.encoder.encode_basestring_ascii` (`ensure_ascii=True`).
  static func writeString(_ text: String, into output: inout [UInt8]) {
    JSONStringQuoting.write(text, style: .pythonASCII, into: &output)
  }
}
