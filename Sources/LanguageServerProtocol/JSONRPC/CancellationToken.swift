import Locking

/// Set when the client cancels a request (`$/cancelRequest`). Handlers check it between steps of
/// long work; the connection answers a cancelled request with `RequestCancelled` (-32800)
/// whatever the handler returns.
public final class CancellationToken: Sendable {
  private struct State {
    var isCancelled = false
    var handlers: [@Sendable () -> Void] = []
  }

  private let state = Locked(State())

  public init() {}

  public var isCancelled: Bool { state.withLock { $0.isCancelled } }

  /// Throws `ResponseError.cancelled` once cancelled.
  public func checkCancellation() throws(ResponseError) {
    if isCancelled { throw ResponseError.cancelled }
  }

  public func cancel() {
    let handlers = state.withLock { state -> [@Sendable () -> Void] in
      guard !state.isCancelled else { return [] }
      state.isCancelled = true
      defer { state.handlers = [] }
      return state.handlers
    }
    for handler in handlers { handler() }
  }

  /// Runs `handler` on cancellation, at once if already cancelled.
  public func onCancel(_ handler: @escaping @Sendable () -> Void) {
    let runNow = state.withLock { state -> Bool in
      if state.isCancelled { return true }
      state.handlers.append(handler)
      return false
    }
    if runNow { handler() }
  }
}
