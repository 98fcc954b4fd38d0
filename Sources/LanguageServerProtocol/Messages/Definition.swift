/// Where a definition is: plain locations, or links when the client has `linkSupport`.
public enum DefinitionResponse: Codable, Hashable, Sendable {
  case locations([Location])
  case links([LocationLink])

  public init(from decoder: any Decoder) throws {
    if let single = try? Location(from: decoder) {
      self = .locations([single])
    } else if let links = try? [LocationLink](from: decoder), !links.isEmpty {
      self = .links(links)
    } else {
      self = .locations(try [Location](from: decoder))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .locations(let locations): try locations.encode(to: encoder)
    case .links(let links): try links.encode(to: encoder)
    }
  }
}

public struct DefinitionRequest: RequestType, Hashable, TextDocumentRequest, WorkDoneProgressParams,
  PartialResultParams
{
  public static let method = "textDocument/definition"
  public typealias Response = DefinitionResponse?

  public var textDocument: TextDocumentIdentifier
  public var position: LSPPosition
  public var workDoneToken: ProgressToken?
  public var partialResultToken: ProgressToken?

  public init(
    textDocument: TextDocumentIdentifier, position: LSPPosition, workDoneToken: ProgressToken? = nil,
    partialResultToken: ProgressToken? = nil
  ) {
    self.textDocument = textDocument
    self.position = position
    self.workDoneToken = workDoneToken
    self.partialResultToken = partialResultToken
  }

  public static func advertise(
    _ options: NoCapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.definitionProvider = true
  }
}
