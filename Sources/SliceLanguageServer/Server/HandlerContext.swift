import LanguageServerProtocol

/// What a request handler gets besides its params.
///
/// Messages are handled in arrival order: the server does not look at the next message until
/// the handler returns, so a handler always sees the effect of every earlier notification
/// (`didChange` …) and none of later ones. Long work calls `releaseMessageOrder()` once it has
/// taken what it needs, and lets the server carry on with later messages meanwhile.
public struct RequestContext: Sendable {
  public let id: RequestID
  public let method: String
  public let session: Session
  public let client: Client
  /// Set when the client cancels this request; the answer will then be `RequestCancelled`
  /// whatever the handler returns. The handler's task is cancelled too (`Task.isCancelled`).
  public let cancellation: CancellationToken
  /// The `workDoneToken` the client sent with the request, if any.
  public let workDoneToken: ProgressToken?
  let gate: OrderGate

  public var positionEncoding: PositionEncodingKind { session.positionEncoding }
  public var clientCapabilities: ClientCapabilities { session.clientCapabilities }
  public var isCancelled: Bool { cancellation.isCancelled }

  /// Throws `RequestCancelled` if the client cancelled the request.
  public func checkCancellation() throws(ResponseError) {
    try cancellation.checkCancellation()
  }

  /// Lets the server handle later messages while this handler keeps running.
  public func releaseMessageOrder() {
    gate.open()
  }

  /// Work-done progress for this request: the client's token if it sent one, else a created one.
  /// A cancellable progress cancelled by the user cancels this request.
  public func beginProgress(
    title: String, message: String? = nil, percentage: Int? = nil, cancellable: Bool = false
  ) async -> WorkDoneProgress {
    await client.beginProgress(
      title: title, message: message, percentage: percentage, token: workDoneToken,
      cancellation: cancellable ? cancellation : nil)
  }
}

/// What a notification handler gets besides its params. Same ordering rule as requests.
public struct NotificationContext: Sendable {
  public let method: String
  public let session: Session
  public let client: Client
  let gate: OrderGate

  public var positionEncoding: PositionEncodingKind { session.positionEncoding }
  public var clientCapabilities: ClientCapabilities { session.clientCapabilities }

  /// Lets the server handle later messages while this handler keeps running.
  public func releaseMessageOrder() {
    gate.open()
  }
}
