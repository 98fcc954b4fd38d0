/// A typed LSP message: its method name and, by being `Codable`, its params.
public protocol LSPMessage: Codable, Sendable {
  static var method: String { get }
}

/// A request whose params are `Self` and whose result is `Response`, in the style of
/// sourcekit-lsp. A request the server handles may contribute to the capabilities the server
/// advertises: registering a handler is the only way a capability gets advertised.
public protocol RequestType: LSPMessage {
  associatedtype Response: Codable & Sendable
  /// What a handler registration may tune in the advertised capability (trigger characters,
  /// commands, …). `NoCapabilityOptions` when there is nothing to tune.
  associatedtype CapabilityOptions: Sendable = NoCapabilityOptions
  /// Adds this request's capability to `capabilities`. `options` are the registration's, nil when
  /// it gave none; `handledMethods` are all methods with a handler, so that a capability can
  /// say whether a companion request (`…/resolve`, `workspace/diagnostic`) is handled too.
  static func advertise(
    _ options: CapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  )
}

public protocol NotificationType: LSPMessage {
  associatedtype CapabilityOptions: Sendable = NoCapabilityOptions
  static func advertise(
    _ options: CapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  )
}

public struct NoCapabilityOptions: Sendable {
  public init() {}
}

extension RequestType {
  public static func advertise(
    _ options: CapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {}
}

extension NotificationType {
  public static func advertise(
    _ options: CapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {}
}

/// The result of requests that return nothing: written as `null`, read from anything.
public struct VoidResponse: Codable, Hashable, Sendable {
  public init() {}
  public init(from decoder: any Decoder) throws {}
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encodeNil()
  }
}

/// Requests and notifications that take no params decode from absent, null or `{}` params.
public protocol ParameterlessMessage: LSPMessage {
  init()
}

extension ParameterlessMessage {
  public init(from decoder: any Decoder) throws { self.init() }
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encodeNil()
  }
}

/// Params that may carry a client-created work-done progress token.
public protocol WorkDoneProgressParams {
  var workDoneToken: ProgressToken? { get }
}

/// Params that may carry a partial-result token.
public protocol PartialResultParams {
  var partialResultToken: ProgressToken? { get }
}

/// Params naming a text document (most `textDocument/…` requests).
public protocol TextDocumentRequest {
  var textDocument: TextDocumentIdentifier { get }
}
