/// Rewrites a pattern of the Rust `regex` crate (what pydantic-core runs `pattern` constraints
/// with) into an ICU pattern that accepts the same texts, once, when the schema loads.
///
/// The two engines read most syntax alike; they differ on what some spellings mean:
/// - `.` excludes only `\n` in Rust (ICU also excludes `\r`, U+0085, U+2028, U+2029);
/// - `$` is the end of the text in Rust (ICU also matches before a final line terminator), and
///   under `m` Rust's `^`/`$` only know `\n` as a line end;
/// - `\s` is `\p{White_Space}` in Rust; `\b`/`\B` compare `\w` on both sides of the position,
///   where ICU's boundary skips combining marks;
/// - `\v` is U+000B in Rust (a class of vertical spaces in ICU); `\u{…}`/`\U{…}` are Rust only;
/// - in classes, `[:alpha:]` and its kin are ASCII in Rust (Unicode in ICU), `~~` (symmetric
///   difference) is Rust only, and `&&`/`--` take the union of everything on their left.
/// `\d` and `\w` are Unicode (`\p{Nd}`, UTS#18 word characters) in both and stay as they are.
/// The flags `i`, `m`, `s`, `x`, `R` are tracked through groups the way Rust scopes them; `U`
/// (swap greed) is dropped: greed changes which match is found, never whether one is.
/// Constructs Rust refuses (look-around, backreferences, `\Z`) are kept as written: ICU runs or
/// rejects them as it does any pattern.
struct RustRegexTranslation {
  private struct Flags {
    var multiLine = false
    var dotMatchesNewline = false
    var ignoreWhitespace = false
    /// `R`: `\r`, `\n` and `\r\n` end lines (for `.` and multi-line anchors).
    var crlf = false
    /// `u` (on unless `(?-u)`): `\d`, `\s`, `\w` and word boundaries are Unicode.
    var unicode = true
  }

  private let scalars: [Unicode.Scalar]
  private var position = 0
  private var flags = Flags()
  /// The flags to restore when each open group closes.
  private var enclosing: [Flags] = []

  private init(_ pattern: String) {
    scalars = Array(pattern.unicodeScalars)
  }

  /// The ICU pattern that matches what `pattern` matches in the Rust `regex` crate.
  static func icuPattern(fromRust pattern: String) -> String {
    var translation = RustRegexTranslation(pattern)
    return translation.translate()
  }

  static let anyScalar = "[\\x{0}-\\x{10FFFF}]"
  static let notNewline = "[^\\n]"
  /// A position preceded by `\n` or at the start (Rust's `(?m)^`).
  static let lineStart = "(?<![^\\n])"
  /// A position followed by `\n` or at the end (Rust's `(?m)$`).
  static let lineEnd = "(?![^\\n])"
  static let notLineTerminator = "[^\\r\\n]"
  /// Under `R`, never between the `\r` and `\n` of a `\r\n`.
  static let notInsideCRLF = "(?!(?<=\\r)\\n)"
  static let crlfLineStart = "(?<![^\\r\\n])" + notInsideCRLF
  static let crlfLineEnd = "(?![^\\r\\n])" + notInsideCRLF
  /// The classes `\d`, `\s`, `\w` stand for under `(?-u)`: ASCII only.
  static let asciiDigit = "0-9"
  static let asciiSpace = "\\t\\n\\x{B}\\f\\r\\x{20}"
  static let asciiWord = "0-9A-Za-z_"

  /// `\w` as the flags in effect read it, for word boundaries.
  private var word: String { flags.unicode ? "\\w" : "[" + Self.asciiWord + "]" }
  private var wordBoundary: String { "(?:(?<=\(word))(?!\(word))|(?<!\(word))(?=\(word)))" }
  private var notWordBoundary: String { "(?:(?<=\(word))(?=\(word))|(?<!\(word))(?!\(word)))" }
  private var wordStart: String { "(?<!\(word))(?=\(word))" }
  private var wordEnd: String { "(?<=\(word))(?!\(word))" }

  // MARK: Outside classes

  private mutating func translate() -> String {
    var output = ""
    while let scalar = current {
      if flags.ignoreWhitespace && skipWhitespaceOrComment(scalar) { continue }
      switch scalar {
      case "\\":
        output += escape(inClass: false).text
      case "[":
        output += characterClass()
      case ".":
        position += 1
        output += flags.dotMatchesNewline ? Self.anyScalar : flags.crlf ? Self.notLineTerminator : Self.notNewline
      case "^":
        position += 1
        output += !flags.multiLine ? "\\A" : flags.crlf ? Self.crlfLineStart : Self.lineStart
      case "$":
        position += 1
        output += !flags.multiLine ? "\\z" : flags.crlf ? Self.crlfLineEnd : Self.lineEnd
      case "(":
        output += groupOpening()
      case ")":
        position += 1
        output += ")"
        if let outer = enclosing.popLast() { flags = outer }
      default:
        position += 1
        output.unicodeScalars.append(scalar)
      }
    }
    return output
  }

  private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

  private func scalar(at offset: Int) -> Unicode.Scalar? {
    position + offset < scalars.count ? scalars[position + offset] : nil
  }

  /// Under `x`, Rust ignores white space and `#` comments up to the end of the line.
  private mutating func skipWhitespaceOrComment(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.properties.isWhitespace {
      position += 1
      return true
    }
    guard scalar == "#" else { return false }
    while let next = current, next != "\n" { position += 1 }
    position += 1
    return true
  }

  /// At `(`: a group, a named group (names are of no use without backreferences), a flag group.
  private mutating func groupOpening() -> String {
    position += 1
    guard current == "?" else {
      enclosing.append(flags)
      return "("
    }
    if scalar(at: 1) == "P" && scalar(at: 2) == "<" || scalar(at: 1) == "<" && scalar(at: 2) != "=" && scalar(at: 2) != "!" {
      if let closing = scalars[position...].firstIndex(of: ">") {
        position = closing + 1
        enclosing.append(flags)
        return "("
      }
    }
    if let flagGroup = flagGroup() { return flagGroup }
    // `(?:`, look-around and anything else: the group as written.
    enclosing.append(flags)
    return "("
  }

  /// `(?flags)` sets flags for the rest of the enclosing group, `(?flags:` for a group of its own.
  private mutating func flagGroup() -> String? {
    var end = position + 1
    while end < scalars.count, scalars[end] != ")" && scalars[end] != ":" {
      guard "imsxuUR-".unicodeScalars.contains(scalars[end]) else { return nil }
      end += 1
    }
    guard end < scalars.count, end > position + 1 else { return nil }
    let letters = scalars[(position + 1)..<end]
    let scoped = scalars[end] == ":"
    var updated = flags
    var enabled = ""
    var disabled = ""
    var negating = false
    for letter in letters {
      switch letter {
      case "-": negating = true
      case "m": updated.multiLine = !negating
      case "s": updated.dotMatchesNewline = !negating
      case "x": updated.ignoreWhitespace = !negating
      case "R": updated.crlf = !negating
      case "u": updated.unicode = !negating
      default: break
      }
      // ICU has no `u`, `U` nor `R`: they are handled here.
      if letter == "u" || letter == "U" || letter == "R" || letter == "-" { continue }
      if negating { disabled.unicodeScalars.append(letter) } else { enabled.unicodeScalars.append(letter) }
    }
    position = end + 1
    if scoped { enclosing.append(flags) }
    flags = updated
    let spelled = enabled + (disabled.isEmpty ? "" : "-" + disabled)
    if scoped { return "(?" + spelled + ":" }
    return spelled.isEmpty ? "" : "(?" + spelled + ")"
  }

  // MARK: Escapes

  /// At `\`: the ICU spelling of the escape, and whether it stands for one character (a range end).
  private mutating func escape(inClass: Bool) -> (text: String, isSingleCharacter: Bool) {
    position += 1
    guard let letter = current else { return ("\\", false) }
    position += 1
    switch letter {
    case "d", "D", "s", "S", "w", "W":
      return (perlClass(letter), false)
    case "v": return ("\\x{B}", true)
    case "b" where !inClass:
      guard current == "{" else { return (wordBoundary, false) }
      let spelled = braced()
      switch spelled {
      case "{start}": return (wordStart, false)
      case "{end}": return (wordEnd, false)
      case "{start-half}": return ("(?<!\(word))", false)
      case "{end-half}": return ("(?!\(word))", false)
      default: return ("\\b" + spelled, false)
      }
    case "B" where !inClass: return (notWordBoundary, false)
    case "<" where !inClass: return (wordStart, false)
    case ">" where !inClass: return (wordEnd, false)
    case "u", "U":
      guard current == "{" else { return ("\\" + String(letter), true) }
      return ("\\x" + braced(), true)
    case "p", "P":
      // `\pL` is Rust's short form of `\p{L}`, which is ICU's only form.
      let name = current == "{" ? braced() : (next().map { "{" + String($0) + "}" } ?? "")
      return ("\\" + String(letter) + name, false)
    case "x":
      guard current == "{" else { return ("\\x", true) }
      return ("\\x" + braced(), true)
    default:
      return ("\\" + String(letter), true)
    }
  }

  /// `\d`, `\s`, `\w` and their negations. ICU's `\d` and `\w` are Rust's Unicode ones already.
  private func perlClass(_ letter: Unicode.Scalar) -> String {
    let negated = letter.properties.isUppercase
    if flags.unicode {
      if letter == "s" || letter == "S" { return negated ? "\\P{White_Space}" : "\\p{White_Space}" }
      return "\\" + String(letter)
    }
    let members: String
    switch letter {
    case "d", "D": members = Self.asciiDigit
    case "s", "S": members = Self.asciiSpace
    default: members = Self.asciiWord
    }
    return "[" + (negated ? "^" : "") + members + "]"
  }

  private mutating func next() -> Unicode.Scalar? {
    guard let scalar = current else { return nil }
    position += 1
    return scalar
  }

  /// At `{`: the text up to and with the closing `}` (or to the end of the pattern).
  private mutating func braced() -> String {
    var text = ""
    while let scalar = next() {
      text.unicodeScalars.append(scalar)
      if scalar == "}" { break }
    }
    return text
  }

  // MARK: Classes

  private enum SetOperator: String {
    case intersection = "&&"
    case difference = "--"
    case symmetricDifference = "~~"
  }

  /// At `[`: the class in ICU's set syntax.
  private mutating func characterClass() -> String {
    position += 1
    let negated = current == "^"
    if negated { position += 1 }
    var operands: [(operator: SetOperator?, items: String)] = []
    var items = ""
    var pendingOperator: SetOperator?
    var atStart = true
    // `a-z`: `a` may start a range, `z` closes one and starts none.
    var previousIsRangeStart = false
    var closingRange = false
    while let scalar = current {
      if flags.ignoreWhitespace && scalar.properties.isWhitespace {
        position += 1
        continue
      }
      if scalar == "]" && !atStart {
        position += 1
        operands.append((pendingOperator, items))
        return Self.assemble(operands, negated: negated)
      }
      atStart = false
      if let second = self.scalar(at: 1), let setOperator = SetOperator(rawValue: String(scalar) + String(second)) {
        position += 2
        operands.append((pendingOperator, items))
        items = ""
        pendingOperator = setOperator
        previousIsRangeStart = false
        continue
      }
      switch scalar {
      case "[":
        items += asciiClass() ?? characterClass()
        previousIsRangeStart = false
        closingRange = false
        continue
      case "\\":
        let escaped = escape(inClass: true)
        items += escaped.text
        previousIsRangeStart = escaped.isSingleCharacter && !closingRange
      case "-" where previousIsRangeStart && self.scalar(at: 1) != "]" && self.scalar(at: 1) != nil:
        position += 1
        items += "-"
        previousIsRangeStart = false
        closingRange = true
        continue
      case "]", "-", "^", "&", "~", ":":
        // Literal in Rust here; ICU reads some of them as set syntax.
        position += 1
        items += "\\" + String(scalar)
        previousIsRangeStart = !closingRange
      default:
        position += 1
        items.unicodeScalars.append(scalar)
        previousIsRangeStart = !closingRange
      }
      closingRange = false
    }
    // Unterminated: left open for ICU to reject, as Rust does.
    return "[" + (negated ? "^" : "") + items
  }

  /// Rust's left-to-right set operations, each operand made a set of its own for ICU;
  /// `A~~B` is `(A--B) ∪ (B--A)`.
  private static func assemble(_ operands: [(operator: SetOperator?, items: String)], negated: Bool) -> String {
    let sign = negated ? "^" : ""
    guard operands.count > 1, let first = operands.first else {
      return "[" + sign + (operands.first?.items ?? "") + "]"
    }
    var combined = "[" + first.items + "]"
    for operand in operands.dropFirst() {
      let right = "[" + operand.items + "]"
      switch operand.operator {
      case .intersection: combined = "[" + combined + "&&" + right + "]"
      case .difference, nil: combined = "[" + combined + "--" + right + "]"
      case .symmetricDifference: combined = "[[" + combined + "--" + right + "][" + right + "--" + combined + "]]"
      }
    }
    return "[" + sign + combined + "]"
  }

  /// Rust's ASCII classes (`[:alpha:]`, `[:^digit:]`) are ASCII only; ICU reads the same names
  /// as Unicode properties.
  private mutating func asciiClass() -> String? {
    guard scalar(at: 1) == ":" else { return nil }
    var end = position + 2
    while end + 1 < scalars.count, !(scalars[end] == ":" && scalars[end + 1] == "]") { end += 1 }
    guard end + 1 < scalars.count else { return nil }
    var name = String(String.UnicodeScalarView(scalars[(position + 2)..<end]))
    let negated = name.hasPrefix("^")
    if negated { name.removeFirst() }
    guard let members = Self.asciiClasses[name] else { return nil }
    position = end + 2
    return "[" + (negated ? "^" : "") + members + "]"
  }

  static let asciiClasses: [String: String] = [
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x{0}-\\x{7F}",
    "blank": "\\x{9}\\x{20}",
    "cntrl": "\\x{0}-\\x{1F}\\x{7F}",
    "digit": "0-9",
    "graph": "\\x{21}-\\x{7E}",
    "lower": "a-z",
    "print": "\\x{20}-\\x{7E}",
    "punct": "\\x{21}-\\x{2F}\\x{3A}-\\x{40}\\x{5B}-\\x{60}\\x{7B}-\\x{7E}",
    "space": "\\x{9}-\\x{D}\\x{20}",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
  ]
}
