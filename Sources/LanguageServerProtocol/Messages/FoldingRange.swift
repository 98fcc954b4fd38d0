public struct FoldingRangeKind: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }

  public static let comment = FoldingRangeKind(rawValue: "comment")
  public static let imports = FoldingRangeKind(rawValue: "imports")
  public static let region = FoldingRangeKind(rawValue: "region")
}

public struct FoldingRange: Codable, Hashable, Sendable {
  public var startLine: Int
  public var startCharacter: Int?
  public var endLine: Int
  public var endCharacter: Int?
  public var kind: FoldingRangeKind?
  public var collapsedText: String?

  public init(
    startLine: Int, startCharacter: Int? = nil, endLine: Int, endCharacter: Int? = nil,
    kind: FoldingRangeKind? = nil, collapsedText: String? = nil
  ) {
    self.startLine = startLine
    self.startCharacter = startCharacter
    self.endLine = endLine
    self.endCharacter = endCharacter
    self.kind = kind
    self.collapsedText = collapsedText
  }
}

public struct FoldingRangeRequest: RequestType, Hashable, TextDocumentRequest, WorkDoneProgressParams,
  PartialResultParams
{
  public static let method = "textDocument/foldingRange"
  public typealias Response = [FoldingRange]?

  public var textDocument: TextDocumentIdentifier
  public var workDoneToken: ProgressToken?
  public var partialResultToken: ProgressToken?

  public init(textDocument: TextDocumentIdentifier, workDoneToken: ProgressToken? = nil, partialResultToken: ProgressToken? = nil) {
    self.textDocument = textDocument
    self.workDoneToken = workDoneToken
    self.partialResultToken = partialResultToken
  }

  public static func advertise(
    _ options: NoCapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.foldingRangeProvider = true
  }
}
