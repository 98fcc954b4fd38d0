/// A range and the ranges enclosing it, innermost first. A class because it nests itself.
public final class SelectionRange: Codable, Hashable, Sendable {
  public let range: LSPRange
  public let parent: SelectionRange?

  public init(range: LSPRange, parent: SelectionRange? = nil) {
    self.range = range
    self.parent = parent
  }

  public static func == (lhs: SelectionRange, rhs: SelectionRange) -> Bool {
    lhs.range == rhs.range && lhs.parent == rhs.parent
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(range)
    hasher.combine(parent)
  }
}

public struct SelectionRangeRequest: RequestType, Hashable, TextDocumentRequest, WorkDoneProgressParams,
  PartialResultParams
{
  public static let method = "textDocument/selectionRange"
  public typealias Response = [SelectionRange]?

  public var textDocument: TextDocumentIdentifier
  public var positions: [LSPPosition]
  public var workDoneToken: ProgressToken?
  public var partialResultToken: ProgressToken?

  public init(
    textDocument: TextDocumentIdentifier, positions: [LSPPosition], workDoneToken: ProgressToken? = nil,
    partialResultToken: ProgressToken? = nil
  ) {
    self.textDocument = textDocument
    self.positions = positions
    self.workDoneToken = workDoneToken
    self.partialResultToken = partialResultToken
  }

  public static func advertise(
    _ options: NoCapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.selectionRangeProvider = true
  }
}
