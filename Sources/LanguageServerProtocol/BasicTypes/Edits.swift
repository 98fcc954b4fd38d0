public struct LSPTextEdit: Codable, Hashable, Sendable {
  public var range: LSPRange
  public var newText: String
  /// Set for an `AnnotatedTextEdit`: the id of a `ChangeAnnotation` in the workspace edit.
  public var annotationId: String?

  public init(range: LSPRange, newText: String, annotationId: String? = nil) {
    self.range = range
    self.newText = newText
    self.annotationId = annotationId
  }
}

public struct TextDocumentEdit: Codable, Hashable, Sendable {
  public var textDocument: OptionalVersionedTextDocumentIdentifier
  public var edits: [LSPTextEdit]

  public init(textDocument: OptionalVersionedTextDocumentIdentifier, edits: [LSPTextEdit]) {
    self.textDocument = textDocument
    self.edits = edits
  }
}

public struct CreateFileOptions: Codable, Hashable, Sendable {
  public var overwrite: Bool?
  public var ignoreIfExists: Bool?
  public init(overwrite: Bool? = nil, ignoreIfExists: Bool? = nil) {
    self.overwrite = overwrite
    self.ignoreIfExists = ignoreIfExists
  }
}

public struct DeleteFileOptions: Codable, Hashable, Sendable {
  public var recursive: Bool?
  public var ignoreIfNotExists: Bool?
  public init(recursive: Bool? = nil, ignoreIfNotExists: Bool? = nil) {
    self.recursive = recursive
    self.ignoreIfNotExists = ignoreIfNotExists
  }
}

/// One entry of `WorkspaceEdit.documentChanges`: a text edit or a file operation, told apart by
/// the `kind` member.
public enum DocumentChange: Codable, Hashable, Sendable {
  case edit(TextDocumentEdit)
  case create(uri: DocumentURI, options: CreateFileOptions?)
  case rename(oldUri: DocumentURI, newUri: DocumentURI, options: CreateFileOptions?)
  case delete(uri: DocumentURI, options: DeleteFileOptions?)

  enum CodingKeys: String, CodingKey { case kind, uri, oldUri, newUri, options }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    switch try container.decodeIfPresent(String.self, forKey: .kind) {
    case nil: self = .edit(try TextDocumentEdit(from: decoder))
    case "create":
      self = .create(
        uri: try container.decode(DocumentURI.self, forKey: .uri),
        options: try container.decodeIfPresent(CreateFileOptions.self, forKey: .options))
    case "rename":
      self = .rename(
        oldUri: try container.decode(DocumentURI.self, forKey: .oldUri),
        newUri: try container.decode(DocumentURI.self, forKey: .newUri),
        options: try container.decodeIfPresent(CreateFileOptions.self, forKey: .options))
    case "delete":
      self = .delete(
        uri: try container.decode(DocumentURI.self, forKey: .uri),
        options: try container.decodeIfPresent(DeleteFileOptions.self, forKey: .options))
    case let kind?:
      throw DecodingError.dataCorruptedError(
        forKey: .kind, in: container, debugDescription: "unknown document change kind '\(kind)'")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .edit(let edit):
      try edit.encode(to: encoder)
    case .create(let uri, let options):
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode("create", forKey: .kind)
      try container.encode(uri, forKey: .uri)
      try container.encodeIfPresent(options, forKey: .options)
    case .rename(let oldUri, let newUri, let options):
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode("rename", forKey: .kind)
      try container.encode(oldUri, forKey: .oldUri)
      try container.encode(newUri, forKey: .newUri)
      try container.encodeIfPresent(options, forKey: .options)
    case .delete(let uri, let options):
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode("delete", forKey: .kind)
      try container.encode(uri, forKey: .uri)
      try container.encodeIfPresent(options, forKey: .options)
    }
  }
}

public struct ChangeAnnotation: Codable, Hashable, Sendable {
  public var label: String
  public var needsConfirmation: Bool?
  public var description: String?

  public init(label: String, needsConfirmation: Bool? = nil, description: String? = nil) {
    self.label = label
    self.needsConfirmation = needsConfirmation
    self.description = description
  }
}

public struct WorkspaceEdit: Codable, Hashable, Sendable {
  public var changes: [DocumentURI: [LSPTextEdit]]?
  public var documentChanges: [DocumentChange]?
  public var changeAnnotations: [String: ChangeAnnotation]?

  public init(
    changes: [DocumentURI: [LSPTextEdit]]? = nil, documentChanges: [DocumentChange]? = nil,
    changeAnnotations: [String: ChangeAnnotation]? = nil
  ) {
    self.changes = changes
    self.documentChanges = documentChanges
    self.changeAnnotations = changeAnnotations
  }
}
