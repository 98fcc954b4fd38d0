/// What the server advertises in its initialize result. `LanguageServer` fills it from the
/// registered handlers (each request type's `advertise`), so nothing is advertised that is not
/// handled.
public struct ServerCapabilities: Codable, Hashable, Sendable {
  public var positionEncoding: PositionEncodingKind?
  public var textDocumentSync: TextDocumentSyncOptions?
  public var completionProvider: CompletionOptions?
  public var hoverProvider: Bool?
  public var definitionProvider: Bool?
  public var documentSymbolProvider: Bool?
  public var codeActionProvider: CodeActionOptions?
  public var codeLensProvider: CodeLensOptions?
  public var documentLinkProvider: DocumentLinkOptions?
  public var documentFormattingProvider: Bool?
  public var workspaceSymbolProvider: Bool?
  public var foldingRangeProvider: Bool?
  public var selectionRangeProvider: Bool?
  public var executeCommandProvider: ExecuteCommandOptions?
  public var inlayHintProvider: LSPInlayHintOptions?
  public var diagnosticProvider: DiagnosticOptions?
  public var workspace: WorkspaceServerCapabilities?
  public var experimental: LSPAny?

  public init() {}
}

public struct TextDocumentSyncKind: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  public static let none = TextDocumentSyncKind(rawValue: 0)
  public static let full = TextDocumentSyncKind(rawValue: 1)
  public static let incremental = TextDocumentSyncKind(rawValue: 2)
}

public struct SaveOptions: Codable, Hashable, Sendable {
  public var includeText: Bool?
  public init(includeText: Bool? = nil) { self.includeText = includeText }
}

public struct TextDocumentSyncOptions: Codable, Hashable, Sendable {
  public var openClose: Bool?
  public var change: TextDocumentSyncKind?
  public var willSave: Bool?
  public var willSaveWaitUntil: Bool?
  public var save: SaveOptions?

  public init(
    openClose: Bool? = nil, change: TextDocumentSyncKind? = nil, willSave: Bool? = nil,
    willSaveWaitUntil: Bool? = nil, save: SaveOptions? = nil
  ) {
    self.openClose = openClose
    self.change = change
    self.willSave = willSave
    self.willSaveWaitUntil = willSaveWaitUntil
    self.save = save
  }
}

public struct CompletionOptions: Codable, Hashable, Sendable {
  public var triggerCharacters: [String]?
  public var allCommitCharacters: [String]?
  public var resolveProvider: Bool?
  public var completionItem: CompletionItemOptions?

  public struct CompletionItemOptions: Codable, Hashable, Sendable {
    public var labelDetailsSupport: Bool?
    public init(labelDetailsSupport: Bool? = nil) { self.labelDetailsSupport = labelDetailsSupport }
  }

  public init(
    triggerCharacters: [String]? = nil, allCommitCharacters: [String]? = nil, resolveProvider: Bool? = nil,
    completionItem: CompletionItemOptions? = nil
  ) {
    self.triggerCharacters = triggerCharacters
    self.allCommitCharacters = allCommitCharacters
    self.resolveProvider = resolveProvider
    self.completionItem = completionItem
  }
}

public struct CodeActionOptions: Codable, Hashable, Sendable {
  public var codeActionKinds: [CodeActionKind]?
  public var resolveProvider: Bool?
  public init(codeActionKinds: [CodeActionKind]? = nil, resolveProvider: Bool? = nil) {
    self.codeActionKinds = codeActionKinds
    self.resolveProvider = resolveProvider
  }
}

public struct CodeLensOptions: Codable, Hashable, Sendable {
  public var resolveProvider: Bool?
  public init(resolveProvider: Bool? = nil) { self.resolveProvider = resolveProvider }
}

public struct DocumentLinkOptions: Codable, Hashable, Sendable {
  public var resolveProvider: Bool?
  public init(resolveProvider: Bool? = nil) { self.resolveProvider = resolveProvider }
}

public struct ExecuteCommandOptions: Codable, Hashable, Sendable {
  public var commands: [String]
  public init(commands: [String]) { self.commands = commands }
}

public struct LSPInlayHintOptions: Codable, Hashable, Sendable {
  public var resolveProvider: Bool?
  public init(resolveProvider: Bool? = nil) { self.resolveProvider = resolveProvider }
}

public struct DiagnosticOptions: Codable, Hashable, Sendable {
  public var identifier: String?
  public var interFileDependencies: Bool
  public var workspaceDiagnostics: Bool

  public init(identifier: String? = nil, interFileDependencies: Bool, workspaceDiagnostics: Bool) {
    self.identifier = identifier
    self.interFileDependencies = interFileDependencies
    self.workspaceDiagnostics = workspaceDiagnostics
  }
}

public struct WorkspaceServerCapabilities: Codable, Hashable, Sendable {
  public var workspaceFolders: WorkspaceFoldersServerCapabilities?

  public struct WorkspaceFoldersServerCapabilities: Codable, Hashable, Sendable {
    public var supported: Bool?
    public var changeNotifications: Bool?
    public init(supported: Bool? = nil, changeNotifications: Bool? = nil) {
      self.supported = supported
      self.changeNotifications = changeNotifications
    }
  }

  public init(workspaceFolders: WorkspaceFoldersServerCapabilities? = nil) {
    self.workspaceFolders = workspaceFolders
  }
}
