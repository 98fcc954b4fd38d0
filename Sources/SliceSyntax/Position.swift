/// The unit in which an editor counts the `character` of a position (LSP `PositionEncodingKind`).
public enum PositionEncoding: String, Sendable, Hashable, CaseIterable {
  case utf8 = "utf-8"
  case utf16 = "utf-16"
  case utf32 = "utf-32"
}

/// An editor position: zero-based line and zero-based character offset within the line, counted
/// in the code units of a `PositionEncoding`.
public struct Position: Sendable, Hashable, Comparable {
  public var line: Int
  public var character: Int

  public init(line: Int, character: Int) {
    self.line = line
    self.character = character
  }

  public static func < (lhs: Position, rhs: Position) -> Bool {
    (lhs.line, lhs.character) < (rhs.line, rhs.character)
  }
}

/// An editor range: from `start` up to, not including, `end`.
public struct PositionRange: Sendable, Hashable {
  public var start: Position
  public var end: Position

  public init(start: Position, end: Position) {
    self.start = start
    self.end = end
  }
}

/// A place for people to read, as compilers print it (`path:line:column`): both numbers start at 1,
/// and the column counts Unicode scalars (code points), so `é` and `😀` each advance it by one,
/// whatever the file's byte or UTF-16 layout. A tab counts as one column.
public struct DisplayLocation: Sendable, Hashable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public var description: String { "\(line):\(column)" }
}

/// Decoding of one UTF-8 character for position arithmetic. A byte that does not start a valid
/// sequence counts as one character of one code unit in every encoding (as an editor shows
/// U+FFFD), so that conversions stay total on invalid input.
enum UTF8Character {
  /// The byte length of the character starting at `index` (1 for an invalid byte).
  @inline(__always)
  static func width(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> Int {
    let lead = bytes[index]
    if lead < 0x80 { return 1 }
    let expected: Int
    if lead & 0xE0 == 0xC0, lead >= 0xC2 {
      expected = 2
    } else if lead & 0xF0 == 0xE0 {
      expected = 3
    } else if lead & 0xF8 == 0xF0, lead <= 0xF4 {
      expected = 4
    } else {
      return 1
    }
    guard index + expected <= end else { return 1 }
    for next in index + 1..<index + expected where bytes[next] & 0xC0 != 0x80 { return 1 }
    // Reject overlong and surrogate encodings the way a validating decoder would.
    let second = bytes[index + 1]
    switch lead {
    case 0xE0 where second < 0xA0: return 1
    case 0xED where second >= 0xA0: return 1
    case 0xF0 where second < 0x90: return 1
    case 0xF4 where second >= 0x90: return 1
    default: return expected
    }
  }

  /// The number of code units the character of `width` bytes takes in `encoding`.
  @inline(__always)
  static func units(width: Int, in encoding: PositionEncoding) -> Int {
    switch encoding {
    case .utf8: return width
    case .utf16: return width == 4 ? 2 : 1
    case .utf32: return 1
    }
  }

  /// The start of the character that contains byte `index`, looking back at most three bytes.
  static func boundary(_ bytes: UnsafeBufferPointer<UInt8>, atOrBefore index: Int, lowerLimit: Int) -> Int {
    guard index < bytes.count, bytes[index] & 0xC0 == 0x80 else { return index }
    var candidate = index - 1
    while candidate >= lowerLimit, candidate >= index - 3 {
      if bytes[candidate] & 0xC0 != 0x80 {
        let width = UTF8Character.width(bytes, at: candidate, end: bytes.count)
        return candidate + width > index ? candidate : index
      }
      candidate -= 1
    }
    return index
  }
}
