import SliceSyntax

/// The exact text the reference writes into a YAML slice: PyYAML's
/// `yaml.safe_dump(obj, sort_keys=False)` with its defaults (indent 2, width 80,
/// `allow_unicode=False`, `default_flow_style=False`).
///
/// The work is split the way PyYAML splits it: the representer turns each value into a tagged
/// scalar text (`true`, `1.0e+16`, `.inf`, `2024-01-31`), and the emitter decides the layout
/// (block collections, `{}`/`[]` when empty, simple or `?` keys) and each scalar's style (plain,
/// single-quoted or double-quoted) from an analysis of its characters and from whether the
/// plain form would read back as something else. Columns are counted in code points, as Python
/// counts them, because long scalars are folded at 80 columns.
///
/// The value is emitted as it is walked (each scalar represented just before it is written) into
/// one growing byte buffer, so time and memory stay linear in the output.
public enum ReferenceYAMLWriter {
  public static func text(for value: Value) -> String {
    String(decoding: bytes(for: value), as: UTF8.self)
  }

  /// The reference's text as UTF-8 bytes, ready to be written to a file.
  public static func bytes(for value: Value) -> [UInt8] {
    var emitter = PyYAMLBlockEmitter()
    emitter.emitDocument(value)
    return emitter.output
  }

  /// One scalar as the emitter writes it at a given point of a document: the style choice
  /// (plain, single- or double-quoted) and, past 80 columns, the folding. `indent` is the
  /// indentation of the collection holding the scalar (continuation lines go two columns
  /// deeper), `column` where the scalar starts. Line breaks are `\n`.
  ///
  /// The preserving writer uses it to write one value into an existing file the way
  /// `safe_dump` would have written it there.
  static func scalarText(_ scalar: Scalar, inFlow: Bool, asSimpleKey: Bool, indent: Int, column: Int) -> String {
    var emitter = PyYAMLBlockEmitter()
    emitter.emitScalarFragment(PyYAMLScalar(representing: scalar), indent: indent, column: column, inFlow: inFlow, simpleKey: asSimpleKey)
    return String(decoding: emitter.output, as: UTF8.self)
  }

  /// Whether `safe_dump` writes this key as `key: value` (else it uses the explicit `? key` form).
  static func isSimpleKey(_ scalar: Scalar) -> Bool {
    PyYAMLBlockEmitter.isSimpleKey(PyYAMLScalar(representing: scalar))
  }
}

// MARK: - Representer

/// What `SafeRepresenter` makes of a scalar: its text and the tag it has to read back with.
/// Collections need no representation: the emitter walks the `Value` itself.
struct PyYAMLScalar {
  var tag: PyYAMLImplicitTag
  var text: [Unicode.Scalar]

  init(representing scalar: Scalar) {
    let (tag, text) = Self.represent(scalar)
    self.tag = tag
    self.text = Array(text.unicodeScalars)
  }

  private static func represent(_ scalar: Scalar) -> (PyYAMLImplicitTag, String) {
    switch scalar {
    case .string(let text): return (.string, text)
    case .integer(let number): return (.integer, number.description)
    case .float(let number): return (.float, floatText(number))
    case .boolean(let flag): return (.boolean, flag ? "true" : "false")
    case .null: return (.null, "null")
    case .date(let timestamp): return (.timestamp, PythonText.isoDate(timestamp))
    case .datetime(let timestamp): return (.timestamp, PythonText.isoDateTime(timestamp, separator: " "))
    }
  }

  /// `represent_float`: YAML's names for the non-finite values, otherwise `repr()` in lower case
  /// with `.0` put before a bare exponent (`1e+16` → `1.0e+16`), because YAML 1.1's float
  /// pattern needs a point.
  private static func floatText(_ number: Double) -> String {
    if number.isNaN { return ".nan" }
    if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
    let text = PythonText.float(number).lowercased()
    if !text.contains("."), let exponent = text.firstIndex(of: "e") {
      return text[..<exponent] + ".0" + text[exponent...]
    }
    return text
  }
}

// MARK: - Scalar analysis

/// `Emitter.analyze_scalar`: which styles can carry a scalar's characters faithfully.
struct PyYAMLScalarAnalysis {
  var isEmpty = false
  var isMultiline = false
  var allowsFlowPlain = true
  var allowsBlockPlain = true
  var allowsSingleQuoted = true

  /// Characters that end a line in YAML 1.1.
  static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "\n" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}"
  }

  /// What `analyze_scalar` counts as whitespace around indicators.
  static func isWhitespaceOrEnd(_ scalar: Unicode.Scalar) -> Bool {
    scalar == "\0" || scalar == " " || scalar == "\t" || scalar == "\r" || isBreak(scalar)
  }

  init(_ text: [Unicode.Scalar]) {
    guard !text.isEmpty else {
      isEmpty = true
      allowsFlowPlain = false
      return
    }
    var blockIndicators = false
    var flowIndicators = false
    var lineBreaks = false
    var specialCharacters = false
    var leadingSpace = false
    var leadingBreak = false
    var trailingSpace = false
    var trailingBreak = false
    var breakSpace = false
    var spaceBreak = false

    if text.starts(with: ["-", "-", "-"]) || text.starts(with: [".", ".", "."]) {
      // A document marker at the start of a line.
      blockIndicators = true
      flowIndicators = true
    }
    var precededByWhitespace = true
    var followedByWhitespace = text.count == 1 || Self.isWhitespaceOrEnd(text[1])
    var previousSpace = false
    var previousBreak = false

    for (index, character) in text.enumerated() {
      if index == 0 {
        // Indicators that would start another construct if written first.
        switch character {
        case "#", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`":
          flowIndicators = true
          blockIndicators = true
        default: break
        }
        if character == "?" || character == ":" {
          flowIndicators = true
          if followedByWhitespace { blockIndicators = true }
        }
        if character == "-" && followedByWhitespace {
          flowIndicators = true
          blockIndicators = true
        }
      } else {
        switch character {
        case ",", "?", "[", "]", "{", "}": flowIndicators = true
        default: break
        }
        if character == ":" {
          // `a: b` would read as a mapping.
          flowIndicators = true
          if followedByWhitespace { blockIndicators = true }
        }
        if character == "#" && precededByWhitespace {
          // ` #` starts a comment.
          flowIndicators = true
          blockIndicators = true
        }
      }

      if Self.isBreak(character) { lineBreaks = true }
      if !(character == "\n" || (0x20...0x7E).contains(character.value)) {
        // Non-ASCII printable characters are "unicode" (escaped since allow_unicode is off);
        // control characters and the rest are special: both need double quotes.
        specialCharacters = true
      }

      if character == " " {
        if index == 0 { leadingSpace = true }
        if index == text.count - 1 { trailingSpace = true }
        if previousBreak { breakSpace = true }
        previousSpace = true
        previousBreak = false
      } else if Self.isBreak(character) {
        if index == 0 { leadingBreak = true }
        if index == text.count - 1 { trailingBreak = true }
        if previousSpace { spaceBreak = true }
        previousSpace = false
        previousBreak = true
      } else {
        previousSpace = false
        previousBreak = false
      }

      precededByWhitespace = Self.isWhitespaceOrEnd(character)
      followedByWhitespace = index + 2 >= text.count || Self.isWhitespaceOrEnd(text[index + 2])
    }

    // Leading and trailing whitespace would be lost by a plain scalar.
    if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
      allowsFlowPlain = false
      allowsBlockPlain = false
    }
    // A space after a line break would be read as indentation.
    if breakSpace {
      allowsFlowPlain = false
      allowsBlockPlain = false
      allowsSingleQuoted = false
    }
    // A space before a break would be folded away; special characters need escapes.
    if spaceBreak || specialCharacters {
      allowsFlowPlain = false
      allowsBlockPlain = false
      allowsSingleQuoted = false
    }
    // PyYAML never writes multi-line plain scalars.
    if lineBreaks {
      allowsFlowPlain = false
      allowsBlockPlain = false
    }
    if flowIndicators { allowsFlowPlain = false }
    if blockIndicators { allowsBlockPlain = false }
    isMultiline = lineBreaks
  }
}

// MARK: - Emitter

/// The part of PyYAML's `Emitter` state machine that `safe_dump` with block style exercises,
/// written as recursion over the represented tree. The state it keeps (column, indentation
/// stack, whether the last character was whitespace or indentation) is PyYAML's own, because
/// the exact spacing and line folding depend on it.
struct PyYAMLBlockEmitter {
  private(set) var output: [UInt8] = []

  private let bestIndent = 2
  private let bestWidth = 80

  private var column = 0
  private var indent: Int?
  private var indents: [Int?] = []
  private var flowLevel = 0
  /// The last character written was whitespace (no separating space needed).
  private var whitespace = true
  /// Only indentation (spaces, `-`, `?`, `:`) has been written on this line.
  private var indention = true
  /// A plain root scalar leaves the document open: the stream then ends with `...`.
  private var openEnded = false
  private var rootContext = false

  private enum Style { case plain, singleQuoted, doubleQuoted }

  mutating func emitDocument(_ root: Value) {
    emitNode(root, root: true, mapping: false)
    // DocumentEndEvent (implicit end), then StreamEndEvent.
    writeIndent()
    if openEnded {
      writeIndicator("...", needWhitespace: true)
      writeIndent()
    }
  }

  /// Emits a lone scalar as if the emitter stood at `column` inside a collection indented at
  /// `indent` (in a flow collection when `inFlow`), right after a separating space.
  mutating func emitScalarFragment(_ scalar: PyYAMLScalar, indent: Int, column: Int, inFlow: Bool, simpleKey: Bool) {
    self.indent = indent
    self.column = column
    flowLevel = inFlow ? 1 : 0
    whitespace = true
    indention = false
    rootContext = false
    emitScalar(scalar, simpleKey: simpleKey)
  }

  private mutating func emitNode(_ value: Value, root: Bool, mapping: Bool) {
    rootContext = root
    switch value {
    case .scalar(let scalar):
      emitScalar(PyYAMLScalar(representing: scalar), simpleKey: false)
    case .array(let items):
      if items.isEmpty || flowLevel > 0 {
        emitFlowCollection(open: "[", close: "]")
        return
      }
      // A sequence that is a mapping value sits at the key's indentation (`key:\n- a`).
      increaseIndent(flow: false, indentless: mapping && !indention)
      for item in items {
        writeIndent()
        writeIndicator("-", needWhitespace: true, indention: true)
        emitNode(item, root: false, mapping: false)
      }
      indent = indents.popLast() ?? nil
    case .object(let members):
      if members.isEmpty || flowLevel > 0 {
        emitFlowCollection(open: "{", close: "}")
        return
      }
      increaseIndent(flow: false, indentless: false)
      for member in members {
        writeIndent()
        let key = PyYAMLScalar(representing: member.key.scalar)
        rootContext = false
        if Self.isSimpleKey(key) {
          emitScalar(key, simpleKey: true)
          writeIndicator(":", needWhitespace: false)
        } else {
          // Empty, multi-line or long keys need the explicit `? key` / `: value` form.
          writeIndicator("?", needWhitespace: true, indention: true)
          emitScalar(key, simpleKey: false)
          writeIndent()
          writeIndicator(":", needWhitespace: true, indention: true)
        }
        emitNode(member.value, root: false, mapping: true)
      }
      indent = indents.popLast() ?? nil
    }
  }

  /// Only empty collections are written in flow style (`[]`, `{}`) with `default_flow_style=False`.
  private mutating func emitFlowCollection(open: String, close: String) {
    writeIndicator(open, needWhitespace: true, whitespace: true)
    flowLevel += 1
    increaseIndent(flow: true, indentless: false)
    indent = indents.popLast() ?? nil
    flowLevel -= 1
    writeIndicator(close, needWhitespace: false)
  }

  /// `check_simple_key`: a key fits on one line before `:` when it is a non-empty single-line
  /// scalar shorter than 128 characters counting its tag (`!!str` and the like are counted
  /// even though they are not written).
  static func isSimpleKey(_ key: PyYAMLScalar) -> Bool {
    let analysis = PyYAMLScalarAnalysis(key.text)
    return key.tag.shorthand.unicodeScalars.count + key.text.count < 128 && !analysis.isEmpty && !analysis.isMultiline
  }

  private mutating func emitScalar(_ scalar: PyYAMLScalar, simpleKey: Bool) {
    let tag = scalar.tag
    let text = scalar.text
    let analysis = PyYAMLScalarAnalysis(text)
    // The plain form is only possible when it reads back with the same tag.
    let plainReadsBack = PyYAMLImplicitResolver.tag(ofPlain: text) == tag
    let style = chooseStyle(analysis, plainReadsBack: plainReadsBack, simpleKey: simpleKey)
    // Quoted scalars read back as strings; any other tag must then be written out.
    if style == .plain ? !plainReadsBack : tag != .string {
      writeIndicator(tag.shorthand, needWhitespace: true)
    }
    increaseIndent(flow: true, indentless: false)
    let split = !simpleKey
    switch style {
    case .plain: writePlain(text, split: split)
    case .singleQuoted: writeSingleQuoted(text, split: split)
    case .doubleQuoted: writeDoubleQuoted(text, split: split)
    }
    indent = indents.popLast() ?? nil
  }

  /// `choose_scalar_style` for scalars without a requested style.
  private func chooseStyle(_ analysis: PyYAMLScalarAnalysis, plainReadsBack: Bool, simpleKey: Bool) -> Style {
    if plainReadsBack && !(simpleKey && (analysis.isEmpty || analysis.isMultiline))
      && (flowLevel > 0 ? analysis.allowsFlowPlain : analysis.allowsBlockPlain)
    {
      return .plain
    }
    if analysis.allowsSingleQuoted && !(simpleKey && analysis.isMultiline) {
      return .singleQuoted
    }
    return .doubleQuoted
  }

  // MARK: Low-level writing

  private mutating func increaseIndent(flow: Bool, indentless: Bool) {
    indents.append(indent)
    if let current = indent {
      if !indentless { indent = current + bestIndent }
    } else {
      indent = flow ? bestIndent : 0
    }
  }

  private mutating func write(_ text: ArraySlice<Unicode.Scalar>) {
    column += text.count
    for character in text { append(character) }
  }

  private mutating func write(_ text: String) {
    column += text.unicodeScalars.count
    output.append(contentsOf: text.utf8)
  }

  @inline(__always)
  private mutating func append(_ character: Unicode.Scalar) {
    if character.isASCII {
      output.append(UInt8(truncatingIfNeeded: character.value))
    } else {
      UTF8.encode(character) { output.append($0) }
    }
  }

  private mutating func writeIndicator(
    _ indicator: String, needWhitespace: Bool, whitespace newWhitespace: Bool = false, indention keepsIndention: Bool = false
  ) {
    let data = whitespace || !needWhitespace ? indicator : " " + indicator
    whitespace = newWhitespace
    indention = indention && keepsIndention
    openEnded = false
    write(data)
  }

  private mutating func writeIndent() {
    let target = indent ?? 0
    if !indention || column > target || (column == target && !whitespace) {
      writeLineBreak()
    }
    if column < target {
      whitespace = true
      write(String(repeating: " ", count: target - column))
    }
  }

  private mutating func writeLineBreak(_ lineBreak: Unicode.Scalar = "\n") {
    whitespace = true
    indention = true
    column = 0
    append(lineBreak)
  }

  /// Writes the breaks of `text[start..<end]` the way the quoted and plain writers do: a leading
  /// `\n` is doubled, because one line break inside a flow scalar folds into a space.
  private mutating func writeBreaks(_ breaks: ArraySlice<Unicode.Scalar>) {
    if breaks.first == "\n" { writeLineBreak() }
    for lineBreak in breaks { writeLineBreak(lineBreak) }
  }

  // MARK: Scalar writers

  /// `write_plain`: words are written as they are; a single space past column 80 becomes a line
  /// break (folding), longer runs of spaces are kept.
  private mutating func writePlain(_ text: [Unicode.Scalar], split: Bool) {
    if rootContext { openEnded = true }
    if text.isEmpty { return }
    if !whitespace { write(" ") }
    whitespace = false
    indention = false
    var spaces = false
    var breaks = false
    var start = 0
    for end in 0...text.count {
      let character: Unicode.Scalar? = end < text.count ? text[end] : nil
      if spaces {
        if character != " " {
          if start + 1 == end && column > bestWidth && split {
            writeIndent()
            whitespace = false
            indention = false
          } else {
            write(text[start..<end])
          }
          start = end
        }
      } else if breaks {
        if character.map(PyYAMLScalarAnalysis.isBreak) != true {
          writeBreaks(text[start..<end])
          writeIndent()
          whitespace = false
          indention = false
          start = end
        }
      } else if character.map({ $0 == " " || PyYAMLScalarAnalysis.isBreak($0) }) ?? true {
        write(text[start..<end])
        start = end
      }
      if let character {
        spaces = character == " "
        breaks = PyYAMLScalarAnalysis.isBreak(character)
      }
    }
  }

  /// `write_single_quoted`: `'` doubled, line breaks doubled (one break would fold into a
  /// space), and a single space between words past column 80 replaced by a line break, except
  /// at the very start or end of the text where it must stay visible.
  private mutating func writeSingleQuoted(_ text: [Unicode.Scalar], split: Bool) {
    writeIndicator("'", needWhitespace: true)
    var spaces = false
    var breaks = false
    var start = 0
    for end in 0...text.count {
      let character: Unicode.Scalar? = end < text.count ? text[end] : nil
      if spaces {
        if character != " " {
          if start + 1 == end && column > bestWidth && split && start != 0 && end != text.count {
            writeIndent()
          } else {
            write(text[start..<end])
          }
          start = end
        }
      } else if breaks {
        if character.map(PyYAMLScalarAnalysis.isBreak) != true {
          writeBreaks(text[start..<end])
          writeIndent()
          start = end
        }
      } else if character.map({ $0 == " " || $0 == "'" || PyYAMLScalarAnalysis.isBreak($0) }) ?? true {
        if start < end {
          write(text[start..<end])
          start = end
        }
      }
      if character == "'" {
        write("''")
        start = end + 1
      }
      if let character {
        spaces = character == " "
        breaks = PyYAMLScalarAnalysis.isBreak(character)
      }
    }
    writeIndicator("'", needWhitespace: false)
  }

  private static let escapeReplacements: [Unicode.Scalar: String] = [
    "\0": "0", "\u{07}": "a", "\u{08}": "b", "\t": "t", "\n": "n", "\u{0B}": "v", "\u{0C}": "f",
    "\r": "r", "\u{1B}": "e", "\"": "\"", "\\": "\\", "\u{85}": "N", "\u{A0}": "_",
    "\u{2028}": "L", "\u{2029}": "P",
  ]

  /// `\xXX`, `\uXXXX` or `\UXXXXXXXX` with uppercase hex, the shortest that fits.
  private static func escape(_ character: Unicode.Scalar) -> String {
    if let replacement = escapeReplacements[character] { return "\\" + replacement }
    let hex = String(character.value, radix: 16, uppercase: true)
    let (prefix, width) = character.value <= 0xFF ? ("\\x", 2) : character.value <= 0xFFFF ? ("\\u", 4) : ("\\U", 8)
    return prefix + String(repeating: "0", count: width - hex.count) + hex
  }

  /// `write_double_quoted`: everything outside printable ASCII escaped (allow_unicode is off);
  /// past column 80 the line is cut at a space (or right after an escape) with a trailing `\`,
  /// and a continuation that starts with a space gets a `\` so the space is kept.
  private mutating func writeDoubleQuoted(_ text: [Unicode.Scalar], split: Bool) {
    writeIndicator("\"", needWhitespace: true)
    var start = 0
    for end in 0...text.count {
      let character: Unicode.Scalar? = end < text.count ? text[end] : nil
      if let character, (0x20...0x7E).contains(character.value) && character != "\"" && character != "\\" {
        // Printable ASCII is written as is (in runs).
      } else {
        if start < end {
          write(text[start..<end])
          start = end
        }
        if let character {
          write(Self.escape(character))
          start = end + 1
        }
      }
      if 0 < end && end < text.count - 1 && (character == " " || start >= end)
        && column + (end - start) > bestWidth && split
      {
        // `start > end` right after an escape: nothing pending.
        var data = start < end ? String(String.UnicodeScalarView(text[start..<end])) : ""
        data += "\\"
        if start < end { start = end }
        write(data)
        writeIndent()
        whitespace = false
        indention = false
        if text[start] == " " { write("\\") }
      }
    }
    writeIndicator("\"", needWhitespace: false)
  }
}
