public struct TextDocumentIdentifier: Codable, Hashable, Sendable {
  public var uri: DocumentURI
  public init(uri: DocumentURI) { self.uri = uri }
}

public struct VersionedTextDocumentIdentifier: Codable, Hashable, Sendable {
  public var uri: DocumentURI
  public var version: Int

  public init(uri: DocumentURI, version: Int) {
    self.uri = uri
    self.version = version
  }
}

/// A document and the version an edit applies to; `version` is written as null (not omitted)
/// when unknown, as LSP requires.
public struct OptionalVersionedTextDocumentIdentifier: Codable, Hashable, Sendable {
  public var uri: DocumentURI
  public var version: Int?

  public init(uri: DocumentURI, version: Int?) {
    self.uri = uri
    self.version = version
  }

  enum CodingKeys: String, CodingKey { case uri, version }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(uri, forKey: .uri)
    try container.encode(version, forKey: .version)
  }
}

public struct TextDocumentItem: Codable, Hashable, Sendable {
  public var uri: DocumentURI
  public var languageId: String
  public var version: Int
  public var text: String

  public init(uri: DocumentURI, languageId: String, version: Int, text: String) {
    self.uri = uri
    self.languageId = languageId
    self.version = version
    self.text = text
  }
}

public struct WorkspaceFolder: Codable, Hashable, Sendable {
  public var uri: DocumentURI
  public var name: String

  public init(uri: DocumentURI, name: String) {
    self.uri = uri
    self.name = name
  }
}

public struct MarkupKind: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }

  public static let plaintext = MarkupKind(rawValue: "plaintext")
  public static let markdown = MarkupKind(rawValue: "markdown")
}

public struct MarkupContent: Codable, Hashable, Sendable {
  public var kind: MarkupKind
  public var value: String

  public init(kind: MarkupKind, value: String) {
    self.kind = kind
    self.value = value
  }
}

/// A value that is either an integer or a string (diagnostic codes, progress tokens, ids).
public enum IntegerOrString: Codable, Hashable, Sendable, CustomStringConvertible {
  case integer(Int)
  case string(String)

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let number = try? container.decode(Int.self) {
      self = .integer(number)
    } else {
      self = .string(try container.decode(String.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .integer(let number): try container.encode(number)
    case .string(let text): try container.encode(text)
    }
  }

  public var description: String {
    switch self {
    case .integer(let number): return String(number)
    case .string(let text): return text
    }
  }
}

public typealias ProgressToken = IntegerOrString

/// Either of two shapes, decoded by trying the first, then the second (LSP's `A | B` types).
public enum OneOf<First: Codable & Hashable & Sendable, Second: Codable & Hashable & Sendable>:
  Codable, Hashable, Sendable
{
  case first(First)
  case second(Second)

  public init(from decoder: any Decoder) throws {
    if let value = try? First(from: decoder) {
      self = .first(value)
    } else {
      self = .second(try Second(from: decoder))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .first(let value): try value.encode(to: encoder)
    case .second(let value): try value.encode(to: encoder)
    }
  }
}

public struct Command: Codable, Hashable, Sendable {
  public var title: String
  public var command: String
  public var arguments: [LSPAny]?

  public init(title: String, command: String, arguments: [LSPAny]? = nil) {
    self.title = title
    self.command = command
    self.arguments = arguments
  }
}
