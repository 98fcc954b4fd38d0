public struct Hover: Codable, Hashable, Sendable {
  public var contents: MarkupContent
  public var range: LSPRange?

  public init(contents: MarkupContent, range: LSPRange? = nil) {
    self.contents = contents
    self.range = range
  }
}

/// The result is null when there is nothing to show.
public struct HoverRequest: RequestType, Hashable, TextDocumentRequest, WorkDoneProgressParams {
  public static let method = "textDocument/hover"
  public typealias Response = Hover?

  public var textDocument: TextDocumentIdentifier
  public var position: LSPPosition
  public var workDoneToken: ProgressToken?

  public init(textDocument: TextDocumentIdentifier, position: LSPPosition, workDoneToken: ProgressToken? = nil) {
    self.textDocument = textDocument
    self.position = position
    self.workDoneToken = workDoneToken
  }

  public static func advertise(
    _ options: NoCapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.hoverProvider = true
  }
}
