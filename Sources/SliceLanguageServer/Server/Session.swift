import LanguageServerProtocol

/// What the client and server agreed at `initialize`; fixed for the rest of the session.
public struct Session: Sendable {
  public let initializeParams: InitializeRequest
  /// How `LSPPosition.character` counts in every message of this session. Convert engine byte
  /// offsets with it at the protocol boundary, nowhere else.
  public let positionEncoding: PositionEncodingKind

  public init(initializeParams: InitializeRequest, positionEncoding: PositionEncodingKind) {
    self.initializeParams = initializeParams
    self.positionEncoding = positionEncoding
  }

  public var clientCapabilities: ClientCapabilities { initializeParams.capabilities }
  public var clientInfo: ClientInfo? { initializeParams.clientInfo }
  public var initializationOptions: LSPAny? { initializeParams.initializationOptions }

  /// The workspace folders, or the root URI as the only folder for clients that predate folders.
  public var workspaceFolders: [WorkspaceFolder] {
    if let folders = initializeParams.workspaceFolders { return folders }
    if let root = initializeParams.rootUri {
      return [WorkspaceFolder(uri: root, name: root.split(separator: "/").last.map(String.init) ?? root)]
    }
    return []
  }

  /// Picks the cheapest encoding for the server among those the client offers: UTF-8 (the
  /// engine's own), else UTF-16 (every client supports it, and it is LSP's default), else UTF-32.
  public static func negotiatePositionEncoding(offered: [PositionEncodingKind]?) -> PositionEncodingKind {
    let offered = offered ?? []
    for preferred in [PositionEncodingKind.utf8, .utf16, .utf32] where offered.contains(preferred) {
      return preferred
    }
    return .utf16
  }
}
