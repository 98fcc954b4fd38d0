public struct DidOpenTextDocumentNotification: NotificationType, Hashable {
  public static let method = "textDocument/didOpen"
  public var textDocument: TextDocumentItem
  public init(textDocument: TextDocumentItem) { self.textDocument = textDocument }

  public static func advertise(
    _ options: NoCapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.textDocumentSync = capabilities.textDocumentSync ?? TextDocumentSyncOptions()
    capabilities.textDocumentSync?.openClose = true
  }
}

/// One change: the whole text when `range` is nil, else a replacement of `range`.
public struct TextDocumentContentChangeEvent: Codable, Hashable, Sendable {
  public var range: LSPRange?
  public var rangeLength: Int?
  public var text: String

  public init(range: LSPRange? = nil, rangeLength: Int? = nil, text: String) {
    self.range = range
    self.rangeLength = rangeLength
    self.text = text
  }
}

public struct DidChangeTextDocumentNotification: NotificationType, Hashable {
  public static let method = "textDocument/didChange"
  public var textDocument: VersionedTextDocumentIdentifier
  public var contentChanges: [TextDocumentContentChangeEvent]

  public init(textDocument: VersionedTextDocumentIdentifier, contentChanges: [TextDocumentContentChangeEvent]) {
    self.textDocument = textDocument
    self.contentChanges = contentChanges
  }

  /// The sync kind to ask for; incremental unless told otherwise.
  public static func advertise(
    _ options: TextDocumentSyncKind?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.textDocumentSync = capabilities.textDocumentSync ?? TextDocumentSyncOptions()
    capabilities.textDocumentSync?.change = options ?? .incremental
  }
}

public struct DidCloseTextDocumentNotification: NotificationType, Hashable {
  public static let method = "textDocument/didClose"
  public var textDocument: TextDocumentIdentifier
  public init(textDocument: TextDocumentIdentifier) { self.textDocument = textDocument }

  public static func advertise(
    _ options: NoCapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.textDocumentSync = capabilities.textDocumentSync ?? TextDocumentSyncOptions()
    capabilities.textDocumentSync?.openClose = true
  }
}

public struct DidSaveTextDocumentNotification: NotificationType, Hashable {
  public static let method = "textDocument/didSave"
  public var textDocument: TextDocumentIdentifier
  public var text: String?

  public init(textDocument: TextDocumentIdentifier, text: String? = nil) {
    self.textDocument = textDocument
    self.text = text
  }

  public static func advertise(
    _ options: SaveOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.textDocumentSync = capabilities.textDocumentSync ?? TextDocumentSyncOptions()
    capabilities.textDocumentSync?.save = options ?? SaveOptions(includeText: false)
  }
}
