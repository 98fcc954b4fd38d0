import SliceSyntax

/// How a file is laid out, so that inserted text looks like its neighbours.
public struct TextLayout {
  /// The line break the file uses (`\n` unless the file uses `\r\n` or `\r`).
  public var lineBreak: String
  /// One level of indentation (two spaces unless the file shows another width or tabs).
  public var indentUnit: String
  /// YAML: how far a block sequence under a key is indented relative to the key (PyYAML writes
  /// 0, people often 2).
  public var sequenceIndent: Int

  public init(document: TextDocument, tree: SyntaxTree?) {
    lineBreak = TextLayout.lineBreak(in: document.bytes)
    indentUnit = TextLayout.indentUnit(in: document)
    sequenceIndent = 2
    if tree?.format == .yaml, let root = tree?.root, let offset = TextLayout.sequenceOffset(in: root, document: document) {
      sequenceIndent = offset
    }
  }

  static func lineBreak(in bytes: [UInt8]) -> String {
    guard let index = bytes.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) else { return "\n" }
    if bytes[index] == 0x0A { return "\n" }
    return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? "\r\n" : "\r"
  }

  /// The smallest positive indentation of a line, as written (tabs kept).
  static func indentUnit(in document: TextDocument) -> String {
    var best: [UInt8]?
    let limit = min(document.lineCount, 400)
    for line in 0..<limit {
      let range = document.lineContentRange(line)
      var end = range.lowerBound
      while end < range.upperBound, document.bytes[end] == 0x20 || document.bytes[end] == 0x09 { end += 1 }
      guard end > range.lowerBound, end < range.upperBound else { continue }
      let prefix = Array(document.bytes[range.lowerBound..<end])
      if prefix.first == 0x09 { return "\t" }
      if best.map({ prefix.count < $0.count }) ?? true { best = prefix }
    }
    guard let best, !best.isEmpty, best.count <= 8 else { return "  " }
    return String(decoding: best, as: UTF8.self)
  }

  /// The first block sequence that is a mapping value: its dash column minus its key column.
  static func sequenceOffset(in root: Node, document: TextDocument) -> Int? {
    var pending = [root]
    var visited = 0
    while let node = pending.popLast(), visited < 2000 {
      visited += 1
      switch node.kind {
      case .mapping(let entries):
        for entry in entries {
          if entry.value.style == .blockSequence {
            let keyColumn = entry.key.range.lowerBound - document.lineStarts[document.line(containing: entry.key.range.lowerBound)]
            let dashLine = document.line(containing: entry.value.range.lowerBound)
            let dashColumn = entry.value.range.lowerBound - document.lineStarts[dashLine]
            if dashLine != document.line(containing: entry.key.range.lowerBound) {
              return max(0, dashColumn - keyColumn)
            }
          }
          pending.append(entry.value)
        }
      case .sequence(let items):
        pending.append(contentsOf: items)
      case .scalar:
        break
      }
    }
    return nil
  }

  /// The whitespace that starts the line holding `offset`.
  public static func lineIndentation(of offset: Int, in document: TextDocument) -> String {
    let range = document.lineContentRange(document.line(containing: offset))
    var end = range.lowerBound
    while end < range.upperBound, document.bytes[end] == 0x20 || document.bytes[end] == 0x09 { end += 1 }
    return String(decoding: document.bytes[range.lowerBound..<end], as: UTF8.self)
  }

  /// The column of `offset` on its line as spaces (what a new line aligned with it starts with).
  /// Only whitespace and `- ` indicators stand before YAML keys, so counting characters is exact.
  public static func alignment(of offset: Int, in document: TextDocument) -> String {
    let lineStart = document.lineStarts[document.line(containing: offset)]
    var result = ""
    var index = lineStart
    while index < offset {
      let byte = document.bytes[index]
      result += byte == 0x09 ? "\t" : " "
      // A multi-byte character counts once.
      index += byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
    }
    return result
  }
}
