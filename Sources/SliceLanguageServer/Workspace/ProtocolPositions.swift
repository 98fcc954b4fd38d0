import LanguageServerProtocol
import SliceSyntax

// The one place where engine byte offsets meet LSP positions. Features call these helpers.

extension PositionEncodingKind {
  /// The engine's encoding for this LSP kind (UTF-16 for anything unknown, LSP's default).
  public var engineEncoding: PositionEncoding {
    switch self {
    case .utf8: return .utf8
    case .utf32: return .utf32
    default: return .utf16
    }
  }
}

extension TextDocument {
  public func lspPosition(of offset: Int, in encoding: PositionEncodingKind) -> LSPPosition {
    let position = position(of: offset, in: encoding.engineEncoding)
    return LSPPosition(line: position.line, character: position.character)
  }

  public func lspRange(of range: ByteRange, in encoding: PositionEncodingKind) -> LSPRange {
    LSPRange(start: lspPosition(of: range.lowerBound, in: encoding), end: lspPosition(of: range.upperBound, in: encoding))
  }

  /// The byte offset of a client position (clamped into the document).
  public func offset(of position: LSPPosition, in encoding: PositionEncodingKind) -> Int {
    offset(of: Position(line: position.line, character: position.character), in: encoding.engineEncoding)
  }

  /// The byte range of a client range; a reversed range is read as empty at its start.
  public func byteRange(of range: LSPRange, in encoding: PositionEncodingKind) -> ByteRange {
    let start = offset(of: range.start, in: encoding)
    return start..<max(start, offset(of: range.end, in: encoding))
  }

  /// The whole document as an LSP range.
  public func lspFullRange(in encoding: PositionEncodingKind) -> LSPRange {
    lspRange(of: 0..<bytes.count, in: encoding)
  }
}

extension LSPRange {
  init(_ range: PositionRange) {
    self.init(
      start: LSPPosition(line: range.start.line, character: range.start.character),
      end: LSPPosition(line: range.end.line, character: range.end.character))
  }

  func contains(_ other: LSPRange) -> Bool {
    start <= other.start && other.end <= end
  }

  func intersectsOrTouches(_ other: LSPRange) -> Bool {
    !(end < other.start || other.end < start)
  }
}
