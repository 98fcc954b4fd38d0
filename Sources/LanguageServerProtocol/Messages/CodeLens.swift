public struct CodeLens: Codable, Hashable, Sendable {
  public var range: LSPRange
  public var command: Command?
  public var data: LSPAny?

  public init(range: LSPRange, command: Command? = nil, data: LSPAny? = nil) {
    self.range = range
    self.command = command
    self.data = data
  }
}

public struct CodeLensRequest: RequestType, Hashable, TextDocumentRequest, WorkDoneProgressParams,
  PartialResultParams
{
  public static let method = "textDocument/codeLens"
  public typealias Response = [CodeLens]?

  public var textDocument: TextDocumentIdentifier
  public var workDoneToken: ProgressToken?
  public var partialResultToken: ProgressToken?

  public init(textDocument: TextDocumentIdentifier, workDoneToken: ProgressToken? = nil, partialResultToken: ProgressToken? = nil) {
    self.textDocument = textDocument
    self.workDoneToken = workDoneToken
    self.partialResultToken = partialResultToken
  }

  /// `resolveProvider` follows whether `codeLens/resolve` is handled.
  public static func advertise(
    _ options: NoCapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.codeLensProvider = CodeLensOptions(
      resolveProvider: handledMethods.contains(CodeLensResolveRequest.method))
  }
}

/// The params and the result are both a code lens.
public struct CodeLensResolveRequest: RequestType, Hashable {
  public static let method = "codeLens/resolve"
  public typealias Response = CodeLens

  public var lens: CodeLens
  public init(lens: CodeLens) { self.lens = lens }
  public init(from decoder: any Decoder) throws { lens = try CodeLens(from: decoder) }
  public func encode(to encoder: any Encoder) throws { try lens.encode(to: encoder) }
}

/// Server to client: ask the client to request code lenses again.
public struct CodeLensRefreshRequest: RequestType, ParameterlessMessage, Hashable {
  public static let method = "workspace/codeLens/refresh"
  public typealias Response = VoidResponse
  public init() {}
}
