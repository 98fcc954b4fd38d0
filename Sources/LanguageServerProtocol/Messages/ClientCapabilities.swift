// The part of LSP 3.17's client capabilities slicels reads. Every member is optional and unknown
// members are ignored, so any client's capabilities decode; absent means "not supported".

public struct ClientCapabilities: Codable, Hashable, Sendable {
  public var workspace: WorkspaceClientCapabilities?
  public var textDocument: TextDocumentClientCapabilities?
  public var window: WindowClientCapabilities?
  public var general: GeneralClientCapabilities?
  public var experimental: LSPAny?

  public init(
    workspace: WorkspaceClientCapabilities? = nil, textDocument: TextDocumentClientCapabilities? = nil,
    window: WindowClientCapabilities? = nil, general: GeneralClientCapabilities? = nil,
    experimental: LSPAny? = nil
  ) {
    self.workspace = workspace
    self.textDocument = textDocument
    self.window = window
    self.general = general
    self.experimental = experimental
  }
}

/// `{ dynamicRegistration?: boolean }`, shared by many capabilities.
public struct DynamicRegistrationCapability: Codable, Hashable, Sendable {
  public var dynamicRegistration: Bool?
  public init(dynamicRegistration: Bool? = nil) { self.dynamicRegistration = dynamicRegistration }
}

/// `{ refreshSupport?: boolean }`: the client accepts `…/refresh` requests.
public struct RefreshCapability: Codable, Hashable, Sendable {
  public var refreshSupport: Bool?
  public init(refreshSupport: Bool? = nil) { self.refreshSupport = refreshSupport }
}

public struct ValueSet<Value: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
  public var valueSet: [Value]?
  public init(valueSet: [Value]? = nil) { self.valueSet = valueSet }
}

public struct ResolveSupport: Codable, Hashable, Sendable {
  public var properties: [String]
  public init(properties: [String]) { self.properties = properties }
}

public struct GeneralClientCapabilities: Codable, Hashable, Sendable {
  /// The encodings the client can use, in its order of preference.
  public var positionEncodings: [PositionEncodingKind]?
  public var staleRequestSupport: StaleRequestSupport?

  public struct StaleRequestSupport: Codable, Hashable, Sendable {
    public var cancel: Bool
    public var retryOnContentModified: [String]
    public init(cancel: Bool, retryOnContentModified: [String]) {
      self.cancel = cancel
      self.retryOnContentModified = retryOnContentModified
    }
  }

  public init(positionEncodings: [PositionEncodingKind]? = nil, staleRequestSupport: StaleRequestSupport? = nil) {
    self.positionEncodings = positionEncodings
    self.staleRequestSupport = staleRequestSupport
  }
}

public struct WindowClientCapabilities: Codable, Hashable, Sendable {
  public var workDoneProgress: Bool?
  public var showDocument: ShowDocumentClientCapabilities?
  public var showMessage: LSPAny?

  public struct ShowDocumentClientCapabilities: Codable, Hashable, Sendable {
    public var support: Bool
    public init(support: Bool) { self.support = support }
  }

  public init(workDoneProgress: Bool? = nil, showDocument: ShowDocumentClientCapabilities? = nil, showMessage: LSPAny? = nil) {
    self.workDoneProgress = workDoneProgress
    self.showDocument = showDocument
    self.showMessage = showMessage
  }
}

public struct WorkspaceClientCapabilities: Codable, Hashable, Sendable {
  public var applyEdit: Bool?
  public var workspaceEdit: WorkspaceEditClientCapabilities?
  public var didChangeConfiguration: DynamicRegistrationCapability?
  public var didChangeWatchedFiles: DidChangeWatchedFilesClientCapabilities?
  public var executeCommand: DynamicRegistrationCapability?
  public var workspaceFolders: Bool?
  public var configuration: Bool?
  public var codeLens: RefreshCapability?
  public var inlayHint: RefreshCapability?
  public var diagnostics: RefreshCapability?

  public init(
    applyEdit: Bool? = nil, workspaceEdit: WorkspaceEditClientCapabilities? = nil,
    didChangeConfiguration: DynamicRegistrationCapability? = nil,
    didChangeWatchedFiles: DidChangeWatchedFilesClientCapabilities? = nil,
    executeCommand: DynamicRegistrationCapability? = nil, workspaceFolders: Bool? = nil,
    configuration: Bool? = nil, codeLens: RefreshCapability? = nil, inlayHint: RefreshCapability? = nil,
    diagnostics: RefreshCapability? = nil
  ) {
    self.applyEdit = applyEdit
    self.workspaceEdit = workspaceEdit
    self.didChangeConfiguration = didChangeConfiguration
    self.didChangeWatchedFiles = didChangeWatchedFiles
    self.executeCommand = executeCommand
    self.workspaceFolders = workspaceFolders
    self.configuration = configuration
    self.codeLens = codeLens
    self.inlayHint = inlayHint
    self.diagnostics = diagnostics
  }
}

public struct WorkspaceEditClientCapabilities: Codable, Hashable, Sendable {
  public var documentChanges: Bool?
  /// Of "create", "rename", "delete".
  public var resourceOperations: [String]?
  public var failureHandling: String?
  public var normalizesLineEndings: Bool?
  public var changeAnnotationSupport: ChangeAnnotationSupport?

  public struct ChangeAnnotationSupport: Codable, Hashable, Sendable {
    public var groupsOnLabel: Bool?
    public init(groupsOnLabel: Bool? = nil) { self.groupsOnLabel = groupsOnLabel }
  }

  public init(
    documentChanges: Bool? = nil, resourceOperations: [String]? = nil, failureHandling: String? = nil,
    normalizesLineEndings: Bool? = nil, changeAnnotationSupport: ChangeAnnotationSupport? = nil
  ) {
    self.documentChanges = documentChanges
    self.resourceOperations = resourceOperations
    self.failureHandling = failureHandling
    self.normalizesLineEndings = normalizesLineEndings
    self.changeAnnotationSupport = changeAnnotationSupport
  }
}

public struct DidChangeWatchedFilesClientCapabilities: Codable, Hashable, Sendable {
  public var dynamicRegistration: Bool?
  public var relativePatternSupport: Bool?
  public init(dynamicRegistration: Bool? = nil, relativePatternSupport: Bool? = nil) {
    self.dynamicRegistration = dynamicRegistration
    self.relativePatternSupport = relativePatternSupport
  }
}

public struct TextDocumentClientCapabilities: Codable, Hashable, Sendable {
  public var synchronization: SynchronizationCapabilities?
  public var completion: CompletionClientCapabilities?
  public var hover: HoverClientCapabilities?
  public var publishDiagnostics: PublishDiagnosticsClientCapabilities?
  public var diagnostic: DiagnosticClientCapabilities?
  public var codeAction: CodeActionClientCapabilities?
  public var definition: DefinitionClientCapabilities?
  public var documentSymbol: DocumentSymbolClientCapabilities?
  public var foldingRange: FoldingRangeClientCapabilities?
  public var selectionRange: DynamicRegistrationCapability?
  public var inlayHint: InlayHintClientCapabilities?
  public var codeLens: DynamicRegistrationCapability?
  public var documentLink: DocumentLinkClientCapabilities?

  public init(
    synchronization: SynchronizationCapabilities? = nil, completion: CompletionClientCapabilities? = nil,
    hover: HoverClientCapabilities? = nil, publishDiagnostics: PublishDiagnosticsClientCapabilities? = nil,
    diagnostic: DiagnosticClientCapabilities? = nil, codeAction: CodeActionClientCapabilities? = nil,
    definition: DefinitionClientCapabilities? = nil, documentSymbol: DocumentSymbolClientCapabilities? = nil,
    foldingRange: FoldingRangeClientCapabilities? = nil, selectionRange: DynamicRegistrationCapability? = nil,
    inlayHint: InlayHintClientCapabilities? = nil, codeLens: DynamicRegistrationCapability? = nil,
    documentLink: DocumentLinkClientCapabilities? = nil
  ) {
    self.synchronization = synchronization
    self.completion = completion
    self.hover = hover
    self.publishDiagnostics = publishDiagnostics
    self.diagnostic = diagnostic
    self.codeAction = codeAction
    self.definition = definition
    self.documentSymbol = documentSymbol
    self.foldingRange = foldingRange
    self.selectionRange = selectionRange
    self.inlayHint = inlayHint
    self.codeLens = codeLens
    self.documentLink = documentLink
  }

  public struct SynchronizationCapabilities: Codable, Hashable, Sendable {
    public var dynamicRegistration: Bool?
    public var willSave: Bool?
    public var willSaveWaitUntil: Bool?
    public var didSave: Bool?
    public init(dynamicRegistration: Bool? = nil, willSave: Bool? = nil, willSaveWaitUntil: Bool? = nil, didSave: Bool? = nil) {
      self.dynamicRegistration = dynamicRegistration
      self.willSave = willSave
      self.willSaveWaitUntil = willSaveWaitUntil
      self.didSave = didSave
    }
  }
}

public struct CompletionClientCapabilities: Codable, Hashable, Sendable {
  public var dynamicRegistration: Bool?
  public var completionItem: CompletionItemCapabilities?
  public var completionItemKind: ValueSet<CompletionItemKind>?
  public var contextSupport: Bool?
  public var insertTextMode: InsertTextMode?
  public var completionList: CompletionListCapabilities?

  public struct CompletionItemCapabilities: Codable, Hashable, Sendable {
    public var snippetSupport: Bool?
    public var commitCharactersSupport: Bool?
    public var documentationFormat: [MarkupKind]?
    public var deprecatedSupport: Bool?
    public var preselectSupport: Bool?
    public var tagSupport: ValueSet<CompletionItemTag>?
    public var insertReplaceSupport: Bool?
    public var resolveSupport: ResolveSupport?
    public var insertTextModeSupport: ValueSet<InsertTextMode>?
    public var labelDetailsSupport: Bool?

    public init(
      snippetSupport: Bool? = nil, commitCharactersSupport: Bool? = nil, documentationFormat: [MarkupKind]? = nil,
      deprecatedSupport: Bool? = nil, preselectSupport: Bool? = nil, tagSupport: ValueSet<CompletionItemTag>? = nil,
      insertReplaceSupport: Bool? = nil, resolveSupport: ResolveSupport? = nil,
      insertTextModeSupport: ValueSet<InsertTextMode>? = nil, labelDetailsSupport: Bool? = nil
    ) {
      self.snippetSupport = snippetSupport
      self.commitCharactersSupport = commitCharactersSupport
      self.documentationFormat = documentationFormat
      self.deprecatedSupport = deprecatedSupport
      self.preselectSupport = preselectSupport
      self.tagSupport = tagSupport
      self.insertReplaceSupport = insertReplaceSupport
      self.resolveSupport = resolveSupport
      self.insertTextModeSupport = insertTextModeSupport
      self.labelDetailsSupport = labelDetailsSupport
    }
  }

  public struct CompletionListCapabilities: Codable, Hashable, Sendable {
    public var itemDefaults: [String]?
    public init(itemDefaults: [String]? = nil) { self.itemDefaults = itemDefaults }
  }

  public init(
    dynamicRegistration: Bool? = nil, completionItem: CompletionItemCapabilities? = nil,
    completionItemKind: ValueSet<CompletionItemKind>? = nil, contextSupport: Bool? = nil,
    insertTextMode: InsertTextMode? = nil, completionList: CompletionListCapabilities? = nil
  ) {
    self.dynamicRegistration = dynamicRegistration
    self.completionItem = completionItem
    self.completionItemKind = completionItemKind
    self.contextSupport = contextSupport
    self.insertTextMode = insertTextMode
    self.completionList = completionList
  }
}

public struct HoverClientCapabilities: Codable, Hashable, Sendable {
  public var dynamicRegistration: Bool?
  public var contentFormat: [MarkupKind]?
  public init(dynamicRegistration: Bool? = nil, contentFormat: [MarkupKind]? = nil) {
    self.dynamicRegistration = dynamicRegistration
    self.contentFormat = contentFormat
  }
}

public struct PublishDiagnosticsClientCapabilities: Codable, Hashable, Sendable {
  public var relatedInformation: Bool?
  public var tagSupport: ValueSet<DiagnosticTag>?
  public var versionSupport: Bool?
  public var codeDescriptionSupport: Bool?
  public var dataSupport: Bool?
  public init(
    relatedInformation: Bool? = nil, tagSupport: ValueSet<DiagnosticTag>? = nil, versionSupport: Bool? = nil,
    codeDescriptionSupport: Bool? = nil, dataSupport: Bool? = nil
  ) {
    self.relatedInformation = relatedInformation
    self.tagSupport = tagSupport
    self.versionSupport = versionSupport
    self.codeDescriptionSupport = codeDescriptionSupport
    self.dataSupport = dataSupport
  }
}

/// `textDocument.diagnostic`: present when the client pulls diagnostics.
public struct DiagnosticClientCapabilities: Codable, Hashable, Sendable {
  public var dynamicRegistration: Bool?
  public var relatedDocumentSupport: Bool?
  public init(dynamicRegistration: Bool? = nil, relatedDocumentSupport: Bool? = nil) {
    self.dynamicRegistration = dynamicRegistration
    self.relatedDocumentSupport = relatedDocumentSupport
  }
}

public struct CodeActionClientCapabilities: Codable, Hashable, Sendable {
  public var dynamicRegistration: Bool?
  public var codeActionLiteralSupport: CodeActionLiteralSupport?
  public var isPreferredSupport: Bool?
  public var disabledSupport: Bool?
  public var dataSupport: Bool?
  public var resolveSupport: ResolveSupport?
  public var honorsChangeAnnotations: Bool?

  public struct CodeActionLiteralSupport: Codable, Hashable, Sendable {
    public var codeActionKind: ValueSet<CodeActionKind>
    public init(codeActionKind: ValueSet<CodeActionKind>) { self.codeActionKind = codeActionKind }
  }

  public init(
    dynamicRegistration: Bool? = nil, codeActionLiteralSupport: CodeActionLiteralSupport? = nil,
    isPreferredSupport: Bool? = nil, disabledSupport: Bool? = nil, dataSupport: Bool? = nil,
    resolveSupport: ResolveSupport? = nil, honorsChangeAnnotations: Bool? = nil
  ) {
    self.dynamicRegistration = dynamicRegistration
    self.codeActionLiteralSupport = codeActionLiteralSupport
    self.isPreferredSupport = isPreferredSupport
    self.disabledSupport = disabledSupport
    self.dataSupport = dataSupport
    self.resolveSupport = resolveSupport
    self.honorsChangeAnnotations = honorsChangeAnnotations
  }
}

public struct DefinitionClientCapabilities: Codable, Hashable, Sendable {
  public var dynamicRegistration: Bool?
  public var linkSupport: Bool?
  public init(dynamicRegistration: Bool? = nil, linkSupport: Bool? = nil) {
    self.dynamicRegistration = dynamicRegistration
    self.linkSupport = linkSupport
  }
}

public struct DocumentSymbolClientCapabilities: Codable, Hashable, Sendable {
  public var dynamicRegistration: Bool?
  public var symbolKind: ValueSet<SymbolKind>?
  public var hierarchicalDocumentSymbolSupport: Bool?
  public var labelSupport: Bool?
  public init(
    dynamicRegistration: Bool? = nil, symbolKind: ValueSet<SymbolKind>? = nil,
    hierarchicalDocumentSymbolSupport: Bool? = nil, labelSupport: Bool? = nil
  ) {
    self.dynamicRegistration = dynamicRegistration
    self.symbolKind = symbolKind
    self.hierarchicalDocumentSymbolSupport = hierarchicalDocumentSymbolSupport
    self.labelSupport = labelSupport
  }
}

public struct FoldingRangeClientCapabilities: Codable, Hashable, Sendable {
  public var dynamicRegistration: Bool?
  public var rangeLimit: Int?
  public var lineFoldingOnly: Bool?
  public var foldingRangeKind: ValueSet<FoldingRangeKind>?
  public var foldingRange: FoldingRangeOptions?

  public struct FoldingRangeOptions: Codable, Hashable, Sendable {
    public var collapsedText: Bool?
    public init(collapsedText: Bool? = nil) { self.collapsedText = collapsedText }
  }

  public init(
    dynamicRegistration: Bool? = nil, rangeLimit: Int? = nil, lineFoldingOnly: Bool? = nil,
    foldingRangeKind: ValueSet<FoldingRangeKind>? = nil, foldingRange: FoldingRangeOptions? = nil
  ) {
    self.dynamicRegistration = dynamicRegistration
    self.rangeLimit = rangeLimit
    self.lineFoldingOnly = lineFoldingOnly
    self.foldingRangeKind = foldingRangeKind
    self.foldingRange = foldingRange
  }
}

public struct InlayHintClientCapabilities: Codable, Hashable, Sendable {
  public var dynamicRegistration: Bool?
  public var resolveSupport: ResolveSupport?
  public init(dynamicRegistration: Bool? = nil, resolveSupport: ResolveSupport? = nil) {
    self.dynamicRegistration = dynamicRegistration
    self.resolveSupport = resolveSupport
  }
}

public struct DocumentLinkClientCapabilities: Codable, Hashable, Sendable {
  public var dynamicRegistration: Bool?
  public var tooltipSupport: Bool?
  public init(dynamicRegistration: Bool? = nil, tooltipSupport: Bool? = nil) {
    self.dynamicRegistration = dynamicRegistration
    self.tooltipSupport = tooltipSupport
  }
}
