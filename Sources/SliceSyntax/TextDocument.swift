import Foundation

/// The text of one file as UTF-8 bytes, with an index of where each line starts.
///
/// Line ends are the three LSP knows: `\n`, `\r\n` and `\r`. Every conversion clamps instead of
/// failing: a line past the end is the end of the document, a character past a line's end is the
/// end of its content (before the line break), and a position inside a character (in the middle
/// of a UTF-8 sequence or of a UTF-16 surrogate pair) moves back to the start of that character.
///
/// Edits touch only the line starts around the edited bytes; later line starts are shifted, so
/// typing in a 10 MB document does not rescan it.
public struct TextDocument: Sendable {
  public private(set) var bytes: [UInt8]
  /// The byte offset where each line starts; `lineStarts[0] == 0`. A document ending with a line
  /// break has an empty last line.
  public private(set) var lineStarts: [Int]

  public init(bytes: [UInt8]) {
    self.bytes = bytes
    self.lineStarts = [0]
    lineStarts.append(contentsOf: TextDocument.lineStarts(in: bytes, from: 0, through: bytes.count))
  }

  public init(text: String) {
    self.init(bytes: Array(text.utf8))
  }

  /// The text; invalid UTF-8 reads as U+FFFD.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  public var lineCount: Int { lineStarts.count }

  /// The zero-based line that contains byte `offset` (clamped into the document).
  public func line(containing offset: Int) -> Int {
    let target = min(max(offset, 0), bytes.count)
    // The last line start that is <= target.
    var low = 0
    var high = lineStarts.count
    while high - low > 1 {
      let middle = (low + high) / 2
      if lineStarts[middle] <= target { low = middle } else { high = middle }
    }
    return low
  }

  /// The bytes of a line without its line break (a line past the end is empty, at the end).
  public func lineContentRange(_ line: Int) -> ByteRange {
    guard line >= 0 else { return 0..<lineContentEnd(0) }
    guard line < lineStarts.count else { return bytes.count..<bytes.count }
    return lineStarts[line]..<lineContentEnd(line)
  }

  /// The bytes of a line including its line break.
  public func lineRange(_ line: Int) -> ByteRange {
    guard line >= 0, line < lineStarts.count else { return bytes.count..<bytes.count }
    let end = line + 1 < lineStarts.count ? lineStarts[line + 1] : bytes.count
    return lineStarts[line]..<end
  }

  private func lineContentEnd(_ line: Int) -> Int {
    var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : bytes.count
    if end > lineStarts[line], bytes[end - 1] == 0x0A { end -= 1 }
    if end > lineStarts[line], bytes[end - 1] == 0x0D { end -= 1 }
    return end
  }

  // MARK: Conversions

  /// The editor position of byte `offset`, counted in `encoding`.
  public func position(of offset: Int, in encoding: PositionEncoding) -> Position {
    let (line, start, contentEnd, target) = clampedTarget(of: offset)
    if encoding == .utf8 { return Position(line: line, character: target - start) }
    let count = bytes.withUnsafeBufferPointer { buffer in
      CharacterCount.advance(
        from: CharacterCount(offset: start), to: target, contentEnd: contentEnd, in: buffer, checkpointSpacing: nil
      ) { _ in }
    }
    return Position(line: line, character: count.units(in: encoding))
  }

  /// The line of `offset` and the offset itself clamped into the line's content and moved back to
  /// the start of the character it falls inside.
  func clampedTarget(of offset: Int) -> (line: Int, start: Int, contentEnd: Int, target: Int) {
    var target = min(max(offset, 0), bytes.count)
    let line = line(containing: target)
    let start = lineStarts[line]
    let contentEnd = lineContentEnd(line)
    target = min(target, contentEnd)
    target = bytes.withUnsafeBufferPointer { buffer in
      UTF8Character.boundary(buffer, atOrBefore: target, lowerLimit: start)
    }
    return (line, start, contentEnd, target)
  }

  /// The byte offset of an editor position counted in `encoding`, clamped into the document and
  /// onto a character boundary.
  public func offset(of position: Position, in encoding: PositionEncoding) -> Int {
    if position.line < 0 { return 0 }
    guard position.line < lineStarts.count else { return bytes.count }
    let start = lineStarts[position.line]
    let contentEnd = lineContentEnd(position.line)
    let wanted = max(position.character, 0)
    return bytes.withUnsafeBufferPointer { buffer in
      if encoding == .utf8 {
        let target = min(start + wanted, contentEnd)
        return UTF8Character.boundary(buffer, atOrBefore: target, lowerLimit: start)
      }
      var index = start
      var remaining = wanted
      while remaining > 0, index < contentEnd {
        if buffer[index] < 0x80 {
          index += 1
          remaining -= 1
          continue
        }
        let width = UTF8Character.width(buffer, at: index, end: contentEnd)
        let units = UTF8Character.units(width: width, in: encoding)
        // A position between the two halves of a surrogate pair stays before the character.
        if units > remaining { break }
        index += width
        remaining -= units
      }
      return index
    }
  }

  public func range(of byteRange: ByteRange, in encoding: PositionEncoding) -> PositionRange {
    PositionRange(
      start: position(of: byteRange.lowerBound, in: encoding), end: position(of: byteRange.upperBound, in: encoding))
  }

  /// The byte range of an editor range; a reversed range is read as empty at its start.
  public func byteRange(of range: PositionRange, in encoding: PositionEncoding) -> ByteRange {
    let start = offset(of: range.start, in: encoding)
    let end = offset(of: range.end, in: encoding)
    return start..<max(start, end)
  }

  /// `line:column` for people: 1-based, the column counting Unicode scalars (see `DisplayLocation`).
  public func displayLocation(of offset: Int) -> DisplayLocation {
    let position = position(of: offset, in: .utf32)
    return DisplayLocation(line: position.line + 1, column: position.character + 1)
  }

  // MARK: Edits

  /// An LSP content change: replace `range` (in the negotiated encoding) with `text`, or the
  /// whole document when `range` is nil.
  public struct Change: Sendable, Hashable {
    public var range: PositionRange?
    public var text: String

    public init(range: PositionRange?, text: String) {
      self.range = range
      self.text = text
    }
  }

  /// Applies LSP content changes in order (each change's range refers to the text after the
  /// previous ones, as LSP specifies).
  public mutating func apply(_ changes: [Change], encoding: PositionEncoding) {
    for change in changes {
      if let range = change.range {
        replace(byteRange(of: range, in: encoding), with: Array(change.text.utf8))
      } else {
        self = TextDocument(bytes: Array(change.text.utf8))
      }
    }
  }

  /// Applies byte-range edits that all refer to the current text and do not overlap (as a
  /// finding's fix holds them).
  public mutating func apply(_ edits: [TextEdit]) {
    for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
      replace(edit.range, with: Array(edit.newText.utf8))
    }
  }

  /// Replaces the bytes in `range` (clamped into the document) with `newBytes`, updating the line
  /// index around the edit only.
  public mutating func replace(_ range: ByteRange, with newBytes: [UInt8]) {
    let lower = min(max(range.lowerBound, 0), bytes.count)
    let upper = min(max(range.upperBound, lower), bytes.count)
    bytes.replaceSubrange(lower..<upper, with: newBytes)
    let delta = newBytes.count - (upper - lower)

    // Whether offset s starts a line depends on bytes s-1 and s only. Starts below `lower` and
    // above `upper` (old coordinates) keep their status; those in lower...upper are recomputed
    // over lower...lower+newBytes.count (new coordinates).
    let firstAffected = firstLineStartIndex(atLeast: lower)
    let firstKept = firstLineStartIndex(atLeast: upper + 1)
    var recomputed: [Int] = []
    if lower == 0 { recomputed.append(0) }
    recomputed.append(
      contentsOf: TextDocument.lineStarts(in: bytes, from: max(lower, 1), through: lower + newBytes.count))
    if delta != 0 {
      lineStarts.withUnsafeMutableBufferPointer { starts in
        for index in firstKept..<starts.count { starts[index] += delta }
      }
    }
    lineStarts.replaceSubrange(firstAffected..<firstKept, with: recomputed)
  }

  /// The index of the first line start >= offset (lineStarts.count when there is none).
  private func firstLineStartIndex(atLeast offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count
    while low < high {
      let middle = (low + high) / 2
      if lineStarts[middle] < offset { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// The offsets s in `from...through` (s >= 1) where a line starts: after `\n`, or after a `\r`
  /// that is not followed by `\n`.
  /// Whether one of the eight bytes of `word` is `byte` (the classic "has a zero byte" test).
  private static func holdsByte(_ byte: UInt8, _ word: UInt64) -> Bool {
    let spread = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
    return (spread &- 0x0101_0101_0101_0101) & ~spread & 0x8080_8080_8080_8080 != 0
  }

  static func lineStarts(in bytes: [UInt8], from: Int, through: Int) -> [Int] {
    var starts: [Int] = []
    guard from <= through else { return starts }
    bytes.withUnsafeBufferPointer { buffer in
      let count = buffer.count
      var s = max(from, 1)
      let last = min(through, count)
      guard let base = buffer.baseAddress, s <= last else { return }
      // Without a carriage return, a line starts after each `\n`: `memchr` finds them, at a
      // fraction of a byte's look each (the index of every file read was 1.5 % of the `check`
      // of a large slice).
      if memchr(base + (s - 1), 0x0D, last - (s - 1)) == nil {
        var position = s - 1
        while position < last, let found = memchr(base + position, 0x0A, last - position) {
          let offset = UnsafeRawPointer(found) - UnsafeRawPointer(base)
          starts.append(offset + 1)
          position = offset + 1
        }
        return
      }
      while s <= last {
        // Eight bytes at a time while none ends a line (most of a large document): a byte-by-byte
        // scan was a fortieth of a large slice's `check`, and an index is built at each read.
        if s + 7 <= last {
          let word = UnsafeRawPointer(base + s - 1).loadUnaligned(as: UInt64.self)
          if !Self.holdsByte(0x0A, word), !Self.holdsByte(0x0D, word) {
            s += 8
            continue
          }
        }
        let previous = buffer[s - 1]
        if previous == 0x0A {
          starts.append(s)
        } else if previous == 0x0D, s == count || buffer[s] != 0x0A {
          starts.append(s)
        }
        s += 1
      }
    }
    return starts
  }
}
