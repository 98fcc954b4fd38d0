/// A document's URI, as the client sent it (`file:///…`, `untitled:…`). Kept verbatim: clients
/// match published diagnostics by comparing strings.
public typealias DocumentURI = String

/// A position between characters. `character` counts code units of the negotiated
/// `PositionEncodingKind` (UTF-16 unless the client offered another).
public struct LSPPosition: Codable, Hashable, Sendable, Comparable {
  public var line: Int
  public var character: Int

  public init(line: Int, character: Int) {
    self.line = line
    self.character = character
  }

  public static func < (lhs: LSPPosition, rhs: LSPPosition) -> Bool {
    (lhs.line, lhs.character) < (rhs.line, rhs.character)
  }
}

public struct LSPRange: Codable, Hashable, Sendable {
  public var start: LSPPosition
  public var end: LSPPosition

  public init(start: LSPPosition, end: LSPPosition) {
    self.start = start
    self.end = end
  }

  /// An empty range at `position`.
  public init(at position: LSPPosition) {
    self.init(start: position, end: position)
  }
}

public struct Location: Codable, Hashable, Sendable {
  public var uri: DocumentURI
  public var range: LSPRange

  public init(uri: DocumentURI, range: LSPRange) {
    self.uri = uri
    self.range = range
  }
}

public struct LocationLink: Codable, Hashable, Sendable {
  public var originSelectionRange: LSPRange?
  public var targetUri: DocumentURI
  public var targetRange: LSPRange
  public var targetSelectionRange: LSPRange

  public init(originSelectionRange: LSPRange? = nil, targetUri: DocumentURI, targetRange: LSPRange, targetSelectionRange: LSPRange) {
    self.originSelectionRange = originSelectionRange
    self.targetUri = targetUri
    self.targetRange = targetRange
    self.targetSelectionRange = targetSelectionRange
  }
}

/// How `LSPPosition.character` counts: the client offers encodings in `general.positionEncodings`,
/// the server picks one in `ServerCapabilities.positionEncoding`.
public struct PositionEncodingKind: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }

  public static let utf8 = PositionEncodingKind(rawValue: "utf-8")
  public static let utf16 = PositionEncodingKind(rawValue: "utf-16")
  public static let utf32 = PositionEncodingKind(rawValue: "utf-32")
}
