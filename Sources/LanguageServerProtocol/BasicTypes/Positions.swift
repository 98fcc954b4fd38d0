/// A document's URI, as the client sent it (`file:///…`, `untitled:…`). Kept verbatim: clients
/// match published diagnostics by comparing strings.
public typealias DocumentURI = String

/// A position between characters. `character` counts code units of the negotiated
/// `PositionEncodingKind` (UTF-16 unless the client offered another).
public struct Position: Codable, Hashable, Sendable, Comparable {
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

public struct Range: Codable, Hashable, Sendable {
  public var start: Position
  public var end: Position

  public init(start: Position, end: Position) {
    self.start = start
    self.end = end
  }

  /// An empty range at `position`.
  public init(at position: Position) {
    self.init(start: position, end: position)
  }
}

public struct Location: Codable, Hashable, Sendable {
  public var uri: DocumentURI
  public var range: Range

  public init(uri: DocumentURI, range: Range) {
    self.uri = uri
    self.range = range
  }
}

public struct LocationLink: Codable, Hashable, Sendable {
  public var originSelectionRange: Range?
  public var targetUri: DocumentURI
  public var targetRange: Range
  public var targetSelectionRange: Range

  public init(originSelectionRange: Range? = nil, targetUri: DocumentURI, targetRange: Range, targetSelectionRange: Range) {
    self.originSelectionRange = originSelectionRange
    self.targetUri = targetUri
    self.targetRange = targetRange
    self.targetSelectionRange = targetSelectionRange
  }
}

/// How `Position.character` counts: the client offers encodings in `general.positionEncodings`,
/// the server picks one in `ServerCapabilities.positionEncoding`.
public struct PositionEncodingKind: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }

  public static let utf8 = PositionEncodingKind(rawValue: "utf-8")
  public static let utf16 = PositionEncodingKind(rawValue: "utf-16")
  public static let utf32 = PositionEncodingKind(rawValue: "utf-32")
}
