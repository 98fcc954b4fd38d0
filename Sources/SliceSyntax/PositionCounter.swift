/// Converts many byte offsets of one document into positions, remembering how far it has already
/// counted on each line.
///
/// `TextDocument.position(of:in:)` counts characters from the start of the line at every call,
/// so thousands of findings on one long line (a minified JSON file) cost the line's length each:
/// quadratic. A counter keeps, per line it has seen, points where the count is known (the
/// offsets it was asked about, and one every `checkpointSpacing` bytes of the scanned part), so
/// offsets in increasing order cost the distance between them, and any other order at most
/// `checkpointSpacing` bytes each once the line is scanned. The positions are exactly those of
/// `TextDocument.position(of:in:)`.
public struct PositionCounter: Sendable {
  public let document: TextDocument
  /// Known counts of each line seen, by increasing offset; the first is the line's start.
  private var checkpointsByLine: [Int: [CharacterCount]] = [:]

  /// Bounds the rescanning of an offset that falls behind the ones already asked about.
  static let checkpointSpacing = 1024

  public init(document: TextDocument) {
    self.document = document
  }

  public mutating func position(of offset: Int, in encoding: PositionEncoding) -> Position {
    let (line, start, contentEnd, target) = document.clampedTarget(of: offset)
    if encoding == .utf8 { return Position(line: line, character: target - start) }
    var checkpoints = checkpointsByLine.removeValue(forKey: line) ?? [CharacterCount(offset: start)]
    // The last known count at or before the target: a place the scan from the line start passes.
    var low = 0
    var high = checkpoints.count
    while high - low > 1 {
      let middle = (low + high) / 2
      if checkpoints[middle].offset <= target { low = middle } else { high = middle }
    }
    let extendsScannedPart = low == checkpoints.count - 1
    let count = document.bytes.withUnsafeBufferPointer { buffer in
      CharacterCount.advance(
        from: checkpoints[low], to: target, contentEnd: contentEnd, in: buffer,
        checkpointSpacing: extendsScannedPart ? Self.checkpointSpacing : nil
      ) { checkpoints.append($0) }
    }
    if extendsScannedPart, count.offset > checkpoints[checkpoints.count - 1].offset { checkpoints.append(count) }
    checkpointsByLine[line] = checkpoints
    return Position(line: line, character: count.units(in: encoding))
  }

  public mutating func range(of byteRange: ByteRange, in encoding: PositionEncoding) -> PositionRange {
    PositionRange(
      start: position(of: byteRange.lowerBound, in: encoding), end: position(of: byteRange.upperBound, in: encoding))
  }

  /// As `TextDocument.displayLocation(of:)`.
  public mutating func displayLocation(of offset: Int) -> DisplayLocation {
    let position = position(of: offset, in: .utf32)
    return DisplayLocation(line: position.line + 1, column: position.character + 1)
  }
}

/// The characters of a line before `offset`, counted in UTF-16 and UTF-32 units (UTF-8 units
/// are bytes: the offset itself).
struct CharacterCount: Sendable {
  var offset: Int
  var utf16 = 0
  var utf32 = 0

  init(offset: Int) {
    self.offset = offset
  }

  func units(in encoding: PositionEncoding) -> Int {
    switch encoding {
    case .utf8: return offset
    case .utf16: return utf16
    case .utf32: return utf32
    }
  }

  /// Counts on from `count` (a character boundary of the line) until the offset reaches `target`;
  /// like the count from the line start, it ends after a character that `target` falls inside.
  /// With `checkpointSpacing`, hands out a count at least that many bytes after the previous one.
  @inline(__always)
  static func advance(
    from count: CharacterCount, to target: Int, contentEnd: Int, in buffer: UnsafeBufferPointer<UInt8>,
    checkpointSpacing: Int?, checkpoint: (CharacterCount) -> Void
  ) -> CharacterCount {
    var index = count.offset
    var utf16 = count.utf16
    var utf32 = count.utf32
    var nextCheckpoint = checkpointSpacing.map { index + $0 } ?? Int.max
    while index < target {
      if buffer[index] < 0x80 {
        index += 1
        utf16 += 1
        utf32 += 1
      } else {
        let width = UTF8Character.width(buffer, at: index, end: contentEnd)
        index += width
        utf16 += width == 4 ? 2 : 1
        utf32 += 1
      }
      if index >= nextCheckpoint, index < target, let spacing = checkpointSpacing {
        var reached = CharacterCount(offset: index)
        reached.utf16 = utf16
        reached.utf32 = utf32
        checkpoint(reached)
        nextCheckpoint = index + spacing
      }
    }
    var reached = CharacterCount(offset: index)
    reached.utf16 = utf16
    reached.utf32 = utf32
    return reached
  }
}
