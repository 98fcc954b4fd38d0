import SliceSyntax

/// How `textDocument/formatting` lays a document out, from the client's `FormattingOptions`.
public struct FormattingStyle: Sendable, Hashable {
  /// Spaces per JSON level (the client's `tabSize`).
  public var indentWidth: Int
  /// Indent JSON with tabs (the client's `insertSpaces: false`); YAML never gets tabs.
  public var usesTabs: Bool
  /// Add a line break at the end when there is none (default: keep the document's choice).
  public var insertFinalNewline: Bool
  /// Remove blank lines at the end.
  public var trimFinalNewlines: Bool

  public init(indentWidth: Int = 2, usesTabs: Bool = false, insertFinalNewline: Bool = false, trimFinalNewlines: Bool = false) {
    self.indentWidth = indentWidth
    self.usesTabs = usesTabs
    self.insertFinalNewline = insertFinalNewline
    self.trimFinalNewlines = trimFinalNewlines
  }
}

extension EditorQueries {
  /// The edits that format a document, never changing what it says:
  /// - JSON is pretty-printed: one member or item a line, indented by `style`, `": "` after a
  ///   key, `{}` and `[]` when empty; every key and scalar keeps its exact text (escapes,
  ///   number spelling), and members keep their order. One edit, the changed span only.
  /// - YAML keeps its layout (indentation, flow style, quoting, comments, anchors are the
  ///   user's): trailing spaces and tabs are removed where they are not part of a value, and
  ///   the end of the document is tidied per `style`. One edit per line changed.
  /// A document with syntax errors gets no edits (nil): formatting never guesses.
  public static func formattingEdits(document: TextDocument, tree: SyntaxTree, style: FormattingStyle) -> [TextEdit]? {
    guard tree.loads, !tree.findings.contains(where: { $0.severity == .error }) else { return nil }
    switch tree.format {
    case .json: return JSONFormatter.edits(document.bytes, tree: tree, style: style)
    case .yaml: return YAMLWhitespaceFormatter.edits(document.bytes, tree: tree, style: style)
    }
  }
}

/// The one edit that replaces the span where `old` and `new` differ (nil when they are equal).
func spanEdit(from old: [UInt8], to new: [UInt8]) -> TextEdit? {
  guard old != new else { return nil }
  var prefix = 0
  while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
  // Never split a UTF-8 sequence: back off to a character boundary.
  while prefix > 0, prefix < old.count, old[prefix] & 0xC0 == 0x80 { prefix -= 1 }
  var suffix = 0
  while suffix < old.count - prefix, suffix < new.count - prefix, old[old.count - 1 - suffix] == new[new.count - 1 - suffix] {
    suffix += 1
  }
  while suffix > 0, old.count - suffix < old.count, old[old.count - suffix] & 0xC0 == 0x80 { suffix -= 1 }
  return TextEdit(range: prefix..<(old.count - suffix), newText: String(decoding: new[prefix..<(new.count - suffix)], as: UTF8.self))
}

/// The line break a document uses: CRLF when its first line ends so.
func lineBreak(of bytes: [UInt8]) -> [UInt8] {
  guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return [UInt8(ascii: "\n")] }
  return newline > 0 && bytes[newline - 1] == UInt8(ascii: "\r") ? [UInt8(ascii: "\r"), UInt8(ascii: "\n")] : [UInt8(ascii: "\n")]
}

enum JSONFormatter {
  private enum Piece {
    case node(Node, depth: Int)
    case text([UInt8])
  }

  static func edits(_ bytes: [UInt8], tree: SyntaxTree, style: FormattingStyle) -> [TextEdit]? {
    guard let root = tree.root else { return [] }
    let newline = lineBreak(of: bytes)
    let unit: [UInt8] = style.usesTabs ? [UInt8(ascii: "\t")] : Array(repeating: UInt8(ascii: " "), count: max(1, style.indentWidth))
    func indent(_ depth: Int) -> [UInt8] { Array(Array(repeating: unit, count: depth).joined()) }
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count + bytes.count / 4)
    // What comes before the value (a byte-order mark) stays.
    output += bytes[0..<root.range.lowerBound].filter { !isJSONSpace($0) }
    // Iterative: a document may nest a thousand levels deep.
    var pending: [Piece] = [.node(root, depth: 0)]
    while let piece = pending.popLast() {
      switch piece {
      case .text(let text):
        output += text
      case .node(let node, let depth):
        var parts: [Piece] = []
        switch node.kind {
        case .mapping(let entries) where !entries.isEmpty:
          parts.append(.text([UInt8(ascii: "{")] + newline))
          for (index, entry) in entries.enumerated() {
            parts.append(.text(indent(depth + 1) + bytes[entry.key.range] + [UInt8(ascii: ":"), UInt8(ascii: " ")]))
            parts.append(.node(entry.value, depth: depth + 1))
            parts.append(.text((index == entries.count - 1 ? [] : [UInt8(ascii: ",")]) + newline))
          }
          parts.append(.text(indent(depth) + [UInt8(ascii: "}")]))
        case .mapping:
          parts.append(.text(Array("{}".utf8)))
        case .sequence(let items) where !items.isEmpty:
          parts.append(.text([UInt8(ascii: "[")] + newline))
          for (index, item) in items.enumerated() {
            parts.append(.text(indent(depth + 1)))
            parts.append(.node(item, depth: depth + 1))
            parts.append(.text((index == items.count - 1 ? [] : [UInt8(ascii: ",")]) + newline))
          }
          parts.append(.text(indent(depth) + [UInt8(ascii: "]")]))
        case .sequence:
          parts.append(.text(Array("[]".utf8)))
        case .scalar:
          parts.append(.text(Array(bytes[node.range])))
        }
        pending += parts.reversed()
      }
    }
    let endsWithBreak = bytes.last == UInt8(ascii: "\n")
    if endsWithBreak || style.insertFinalNewline { output += newline }
    // The safety net: the same characters outside the layout, or no edit at all.
    guard significant(bytes) == significant(output) else { return nil }
    return spanEdit(from: bytes, to: output).map { [$0] } ?? []
  }

  static func isJSONSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  /// The bytes with the whitespace between tokens left out.
  static func significant(_ bytes: [UInt8]) -> [UInt8] {
    var kept: [UInt8] = []
    kept.reserveCapacity(bytes.count)
    var inString = false
    var escaped = false
    for byte in bytes {
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        kept.append(byte)
      } else if !isJSONSpace(byte) {
        if byte == UInt8(ascii: "\"") { inString = true }
        kept.append(byte)
      }
    }
    return kept
  }
}

enum YAMLWhitespaceFormatter {
  static func edits(_ bytes: [UInt8], tree: SyntaxTree, style: FormattingStyle) -> [TextEdit] {
    let protected = scalarRanges(tree, bytes: bytes)
    var edits: [TextEdit] = []
    var lineStart = 0
    var lastContentEnd = 0
    var index = 0
    while index <= bytes.count {
      let atEnd = index == bytes.count
      guard atEnd || bytes[index] == UInt8(ascii: "\n") else {
        index += 1
        continue
      }
      var contentEnd = index
      if contentEnd > lineStart, bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
      var trimmed = contentEnd
      while trimmed > lineStart, bytes[trimmed - 1] == 0x20 || bytes[trimmed - 1] == 0x09 { trimmed -= 1 }
      if trimmed < contentEnd, !isProtected(trimmed, protected) {
        edits.append(TextEdit(range: trimmed..<contentEnd, newText: ""))
      } else {
        trimmed = contentEnd
      }
      if trimmed > lineStart { lastContentEnd = trimmed }
      lineStart = index + 1
      index += 1
    }
    if bytes.isEmpty { return edits }
    let newline = lineBreak(of: bytes)
    let breakStart = lastContentEnd
    let tail = bytes[breakStart...]
    let tailIsBlank = tail.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    // A value that runs to the end (a `|+` block keeps its trailing blank lines) keeps it.
    guard tailIsBlank, (protected.last?.upperBound ?? 0) <= breakStart else { return edits }
    let hasBreak = tail.contains(UInt8(ascii: "\n"))
    if style.trimFinalNewlines, lastContentEnd > 0 {
      // Everything after the last content becomes one line break (or none if there was none).
      let replacement = hasBreak || style.insertFinalNewline ? String(decoding: newline, as: UTF8.self) : ""
      if Array(tail) != Array(replacement.utf8) {
        edits.removeAll { $0.range.lowerBound >= breakStart }
        edits.append(TextEdit(range: breakStart..<bytes.count, newText: replacement))
      }
    } else if style.insertFinalNewline, !hasBreak, lastContentEnd > 0 {
      edits.removeAll { $0.range.lowerBound >= breakStart }
      edits.append(TextEdit(range: breakStart..<bytes.count, newText: String(decoding: newline, as: UTF8.self)))
    }
    return edits
  }

  /// The ranges of the scalars, merged where they touch: trailing spaces inside a block or
  /// quoted scalar written over several lines are content.
  private static func scalarRanges(_ tree: SyntaxTree, bytes: [UInt8]) -> [ByteRange] {
    guard let root = tree.root else { return [] }
    var ranges: [ByteRange] = []
    var pending = [root]
    while let node = pending.popLast() {
      // An alias repeats a value written elsewhere: its range is the `*name` only.
      if node.yaml?.alias != nil {
        ranges.append(node.range)
        continue
      }
      switch node.kind {
      case .mapping(let entries):
        for entry in entries {
          pending.append(entry.key)
          pending.append(entry.value)
        }
      case .sequence(let items): pending += items
      case .scalar where node.style == .literal || node.style == .folded:
        ranges.append(node.range.lowerBound..<blockScalarEnd(node.range.upperBound, in: bytes))
      case .scalar: ranges.append(node.range)
      }
    }
    ranges.sort { $0.lowerBound < $1.lowerBound }
    var merged: [ByteRange] = []
    for range in ranges {
      if let last = merged.last, range.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
      } else {
        merged.append(range)
      }
    }
    return merged
  }

  /// Where a block scalar's text really ends: the reader's range stops at its last non-blank
  /// byte, but the spaces after it on that line and the blank lines that follow may be content
  /// (`|` keeps trailing spaces, `|+` trailing lines).
  private static func blockScalarEnd(_ end: Int, in bytes: [UInt8]) -> Int {
    var lineEnd = end
    while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
    var covered = lineEnd
    while covered < bytes.count {
      var next = covered + 1
      while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 || bytes[next] == 0x0D { next += 1 }
      guard next >= bytes.count || bytes[next] == UInt8(ascii: "\n") else { break }
      covered = next
    }
    return min(bytes.count, covered + 1)
  }

  /// Whether `offset` is inside (or at the end of) a scalar's text.
  private static func isProtected(_ offset: Int, _ ranges: [ByteRange]) -> Bool {
    var low = 0
    var high = ranges.count
    while low < high {
      let middle = (low + high) / 2
      if ranges[middle].lowerBound <= offset { low = middle + 1 } else { high = middle }
    }
    // The ranges are merged: the last one starting at or before `offset` decides.
    guard low > 0 else { return false }
    let range = ranges[low - 1]
    return offset >= range.lowerBound && offset < range.upperBound
  }
}
