/// How the client wants a document formatted (the LSP `FormattingOptions` this server reads;
/// other members the client sends are ignored).
public struct FormattingOptions: Codable, Hashable, Sendable {
  public var tabSize: Int
  public var insertSpaces: Bool
  public var trimTrailingWhitespace: Bool?
  public var insertFinalNewline: Bool?
  public var trimFinalNewlines: Bool?

  public init(
    tabSize: Int, insertSpaces: Bool, trimTrailingWhitespace: Bool? = nil, insertFinalNewline: Bool? = nil,
    trimFinalNewlines: Bool? = nil
  ) {
    self.tabSize = tabSize
    self.insertSpaces = insertSpaces
    self.trimTrailingWhitespace = trimTrailingWhitespace
    self.insertFinalNewline = insertFinalNewline
    self.trimFinalNewlines = trimFinalNewlines
  }
}

public struct DocumentFormattingRequest: RequestType, Hashable, TextDocumentRequest, WorkDoneProgressParams {
  public static let method = "textDocument/formatting"
  public typealias Response = [LSPTextEdit]?

  public var textDocument: TextDocumentIdentifier
  public var options: FormattingOptions
  public var workDoneToken: ProgressToken?

  public init(textDocument: TextDocumentIdentifier, options: FormattingOptions, workDoneToken: ProgressToken? = nil) {
    self.textDocument = textDocument
    self.options = options
    self.workDoneToken = workDoneToken
  }

  public static func advertise(
    _ options: NoCapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.documentFormattingProvider = true
  }
}
