public struct InlayHintKind: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  public static let type = InlayHintKind(rawValue: 1)
  public static let parameter = InlayHintKind(rawValue: 2)
}

public struct InlayHintLabelPart: Codable, Hashable, Sendable {
  public var value: String
  public var tooltip: StringOrMarkupContent?
  public var location: Location?
  public var command: Command?

  public init(value: String, tooltip: StringOrMarkupContent? = nil, location: Location? = nil, command: Command? = nil) {
    self.value = value
    self.tooltip = tooltip
    self.location = location
    self.command = command
  }
}

public enum InlayHintLabel: Codable, Hashable, Sendable {
  case string(String)
  case parts([InlayHintLabelPart])

  public init(from decoder: any Decoder) throws {
    if let text = try? String(from: decoder) {
      self = .string(text)
    } else {
      self = .parts(try [InlayHintLabelPart](from: decoder))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .string(let text): try text.encode(to: encoder)
    case .parts(let parts): try parts.encode(to: encoder)
    }
  }
}

public struct InlayHint: Codable, Hashable, Sendable {
  public var position: LSPPosition
  public var label: InlayHintLabel
  public var kind: InlayHintKind?
  public var textEdits: [LSPTextEdit]?
  public var tooltip: StringOrMarkupContent?
  public var paddingLeft: Bool?
  public var paddingRight: Bool?
  public var data: LSPAny?

  public init(
    position: LSPPosition, label: InlayHintLabel, kind: InlayHintKind? = nil, textEdits: [LSPTextEdit]? = nil,
    tooltip: StringOrMarkupContent? = nil, paddingLeft: Bool? = nil, paddingRight: Bool? = nil, data: LSPAny? = nil
  ) {
    self.position = position
    self.label = label
    self.kind = kind
    self.textEdits = textEdits
    self.tooltip = tooltip
    self.paddingLeft = paddingLeft
    self.paddingRight = paddingRight
    self.data = data
  }
}

public struct InlayHintRequest: RequestType, Hashable, TextDocumentRequest, WorkDoneProgressParams {
  public static let method = "textDocument/inlayHint"
  public typealias Response = [InlayHint]?

  public var textDocument: TextDocumentIdentifier
  public var range: LSPRange
  public var workDoneToken: ProgressToken?

  public init(textDocument: TextDocumentIdentifier, range: LSPRange, workDoneToken: ProgressToken? = nil) {
    self.textDocument = textDocument
    self.range = range
    self.workDoneToken = workDoneToken
  }

  /// `resolveProvider` follows whether `inlayHint/resolve` is handled.
  public static func advertise(
    _ options: NoCapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.inlayHintProvider = LSPInlayHintOptions(
      resolveProvider: handledMethods.contains(InlayHintResolveRequest.method))
  }
}

/// The params and the result are both an inlay hint.
public struct InlayHintResolveRequest: RequestType, Hashable {
  public static let method = "inlayHint/resolve"
  public typealias Response = InlayHint

  public var hint: InlayHint
  public init(hint: InlayHint) { self.hint = hint }
  public init(from decoder: any Decoder) throws { hint = try InlayHint(from: decoder) }
  public func encode(to encoder: any Encoder) throws { try hint.encode(to: encoder) }
}

/// Server to client: ask the client to request inlay hints again.
public struct InlayHintRefreshRequest: RequestType, ParameterlessMessage, Hashable {
  public static let method = "workspace/inlayHint/refresh"
  public typealias Response = VoidResponse
  public init() {}
}
