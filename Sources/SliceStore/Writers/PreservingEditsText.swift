import SliceSyntax

/// The source bytes as the preserving writer looks at them: lines, columns, and the trivia
/// (blanks, line breaks, comments) between the tokens the reader located.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`, as YAML and LSP count them. Columns are counted in
/// code points, as libyaml (and so YAML's indentation rules) counts them; a byte order mark is
/// not part of the first line.
struct PreservingSource {
  let bytes: [UInt8]
  /// After a UTF-8 byte order mark, if any.
  let contentStart: Int
  /// Where each line starts (a minified file is one long line: no position is found by
  /// scanning a line).
  private let lineStarts: [Int]

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
    let contentStart = Self.contentStart(of: bytes)
    self.contentStart = contentStart
    var starts = [contentStart]
    var index = contentStart
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) {
        starts.append(index + 1)
      }
      index += 1
    }
    lineStarts = starts
  }

  /// Columns past this are not counted exactly: only folding at 80 columns depends on them.
  private static let columnLimit = 4096

  var count: Int { bytes.count }

  @inline(__always) static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
  @inline(__always) static func isLineBreak(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }

  func byte(at offset: Int) -> UInt8? {
    offset >= 0 && offset < bytes.count ? bytes[offset] : nil
  }

  /// The start of the line holding `offset`.
  func lineStart(of offset: Int) -> Int {
    let target = min(max(offset, contentStart), bytes.count)
    var low = 0
    var high = lineStarts.count
    while high - low > 1 {
      let middle = (low + high) / 2
      if lineStarts[middle] <= target { low = middle } else { high = middle }
    }
    return lineStarts[low]
  }

  /// Where the line holding `offset` ends, before its line break (or at the end of the bytes).
  func lineContentEnd(from offset: Int) -> Int {
    var index = max(offset, 0)
    while index < bytes.count, !Self.isLineBreak(bytes[index]) { index += 1 }
    return index
  }

  /// The start of the next line, given the position of a line break (or the end of the bytes).
  func afterLineBreak(at offset: Int) -> Int {
    guard offset < bytes.count else { return bytes.count }
    if bytes[offset] == 0x0D, offset + 1 < bytes.count, bytes[offset + 1] == 0x0A { return offset + 2 }
    return offset + 1
  }

  /// The column of `offset` on its line, in code points.
  func column(of offset: Int) -> Int {
    let start = lineStart(of: offset)
    let end = min(offset, bytes.count)
    guard end - start <= Self.columnLimit else { return end - start }
    var column = 0
    for index in start..<end where bytes[index] & 0xC0 != 0x80 {
      column += 1
    }
    return column
  }

  /// Whether only blanks stand between the start of the line and `offset`.
  func onlyBlanksBefore(_ offset: Int) -> Bool {
    var index = min(offset, bytes.count) - 1
    while index >= contentStart {
      let byte = bytes[index]
      if Self.isLineBreak(byte) { return true }
      if !Self.isBlank(byte) { return false }
      index -= 1
    }
    return true
  }

  /// The first non-blank byte before `offset` on the same line.
  func previousNonBlankOnLine(_ offset: Int) -> UInt8? {
    var index = min(offset, bytes.count) - 1
    while index >= contentStart {
      let byte = bytes[index]
      if Self.isLineBreak(byte) { return nil }
      if !Self.isBlank(byte) { return byte }
      index -= 1
    }
    return nil
  }

  /// The first byte before `offset` that is not a blank or a line break.
  func previousSignificant(_ offset: Int) -> UInt8? {
    var index = min(offset, bytes.count) - 1
    while index >= contentStart {
      let byte = bytes[index]
      if !Self.isBlank(byte) && !Self.isLineBreak(byte) { return byte }
      index -= 1
    }
    return nil
  }

  /// Skips blanks and, when `acrossLines`, line breaks and comments (a `#` met between tokens
  /// always starts a comment: the reader has already placed every scalar).
  func skipTrivia(from offset: Int, acrossLines: Bool, comments: Bool) -> Int {
    var index = offset
    while index < bytes.count {
      let byte = bytes[index]
      if Self.isBlank(byte) || (acrossLines && Self.isLineBreak(byte)) {
        index += 1
      } else if comments && acrossLines && byte == UInt8(ascii: "#") {
        index = lineContentEnd(from: index)
      } else {
        break
      }
    }
    return index
  }

  /// Skips a node's anchor (`&name`) and tag (`!tag`) and the trivia after them.
  func skipProperties(from offset: Int) -> Int {
    var index = offset
    while let byte = byte(at: index), byte == UInt8(ascii: "&") || byte == UInt8(ascii: "!") {
      index += 1
      while let next = self.byte(at: index), !Self.isBlank(next), !Self.isLineBreak(next),
        next != UInt8(ascii: "{"), next != UInt8(ascii: "["), next != UInt8(ascii: ","),
        next != UInt8(ascii: "]"), next != UInt8(ascii: "}")
      {
        index += 1
      }
      index = skipTrivia(from: index, acrossLines: true, comments: true)
    }
    return index
  }

  func text(_ range: Range<Int>) -> String {
    String(decoding: bytes[max(range.lowerBound, 0)..<min(range.upperBound, bytes.count)], as: UTF8.self)
  }

  /// The leading blanks of the line holding `offset`.
  func indentation(ofLineAt offset: Int) -> String {
    let start = lineStart(of: offset)
    var end = start
    while end < bytes.count, Self.isBlank(bytes[end]) { end += 1 }
    return text(start..<end)
  }

  /// The number of leading spaces of the line holding `offset`.
  func indentationWidth(ofLineAt offset: Int) -> Int {
    let start = lineStart(of: offset)
    var end = start
    while end < bytes.count, bytes[end] == 0x20 { end += 1 }
    return end - start
  }

  /// The line break the file uses: the first one found, `\n` when there is none.
  var lineBreak: String { Self.lineBreak(of: bytes) }

  var endsWithLineBreak: Bool { Self.endsWithLineBreak(bytes) }

  // The same facts without the line index, for callers that need nothing else.

  static func contentStart(of bytes: [UInt8]) -> Int {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
  }

  static func lineBreak(of bytes: [UInt8]) -> String {
    for index in contentStart(of: bytes)..<bytes.count {
      if bytes[index] == 0x0A { return "\n" }
      if bytes[index] == 0x0D {
        return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? "\r\n" : "\r"
      }
    }
    return "\n"
  }

  static func endsWithLineBreak(_ bytes: [UInt8]) -> Bool {
    guard let last = bytes.last else { return false }
    return isLineBreak(last)
  }
}

/// The number of code points of a text, as a column advance.
func codePointWidth(_ text: String) -> Int {
  text.unicodeScalars.count
}

/// The column after writing `text` from `column` (a line break starts again at 0).
func columnAfter(_ text: String, startingAt column: Int) -> Int {
  var result = column
  for scalar in text.unicodeScalars {
    if scalar == "\n" { result = 0 } else { result += 1 }
  }
  return result
}

func spaces(_ count: Int) -> String {
  String(repeating: " ", count: max(count, 0))
}
