public struct DocumentLink: Codable, Hashable, Sendable {
  public var range: LSPRange
  public var target: DocumentURI?
  public var tooltip: String?
  public var data: LSPAny?

  public init(range: LSPRange, target: DocumentURI? = nil, tooltip: String? = nil, data: LSPAny? = nil) {
    self.range = range
    self.target = target
    self.tooltip = tooltip
    self.data = data
  }
}

public struct DocumentLinkRequest: RequestType, Hashable, TextDocumentRequest, WorkDoneProgressParams,
  PartialResultParams
{
  public static let method = "textDocument/documentLink"
  public typealias Response = [DocumentLink]?

  public var textDocument: TextDocumentIdentifier
  public var workDoneToken: ProgressToken?
  public var partialResultToken: ProgressToken?

  public init(textDocument: TextDocumentIdentifier, workDoneToken: ProgressToken? = nil, partialResultToken: ProgressToken? = nil) {
    self.textDocument = textDocument
    self.workDoneToken = workDoneToken
    self.partialResultToken = partialResultToken
  }

  /// `resolveProvider` follows whether `documentLink/resolve` is handled.
  public static func advertise(
    _ options: NoCapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.documentLinkProvider = DocumentLinkOptions(
      resolveProvider: handledMethods.contains(DocumentLinkResolveRequest.method))
  }
}

/// The params and the result are both a document link.
public struct DocumentLinkResolveRequest: RequestType, Hashable {
  public static let method = "documentLink/resolve"
  public typealias Response = DocumentLink

  public var link: DocumentLink
  public init(link: DocumentLink) { self.link = link }
  public init(from decoder: any Decoder) throws { link = try DocumentLink(from: decoder) }
  public func encode(to encoder: any Encoder) throws { try link.encode(to: encoder) }
}
