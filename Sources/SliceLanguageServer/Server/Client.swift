import LanguageServerProtocol
import Locking

/// The server's way to talk to the client from a handler: notifications, requests that wait for
/// the client's answer, log lines and progress.
public struct Client: Sendable {
  public let connection: Connection
  public let session: Session

  public func send<Notification: NotificationType>(_ notification: Notification) {
    connection.send(notification)
  }

  /// Sends a request and waits for the answer; throws `ResponseError` when the client answers
  /// with an error, `CancellationError` when the calling task is cancelled.
  public func request<Request: RequestType>(_ request: Request) async throws -> Request.Response {
    try await connection.request(request)
  }

  public func logMessage(_ message: String, type: MessageType = .log) {
    connection.logMessage(message, type: type)
  }

  public func showMessage(_ message: String, type: MessageType = .info) {
    connection.send(ShowMessageNotification(type: type, message: message))
  }

  public func logTrace(_ message: @autoclosure () -> String, verbose: @autoclosure () -> String? = nil) {
    connection.logTrace(message(), verbose: verbose())
  }

  /// Starts work-done progress. Uses `token` when the client supplied one with the request;
  /// otherwise creates one with `window/workDoneProgress/create` if the client supports it.
  /// When neither is possible the returned progress reports nothing, so callers need not care.
  /// A cancellable progress cancelled by the user cancels `cancellation`.
  public func beginProgress(
    title: String, message: String? = nil, percentage: Int? = nil, token: ProgressToken? = nil,
    cancellation: CancellationToken? = nil
  ) async -> WorkDoneProgress {
    var progressToken = token
    if progressToken == nil, session.clientCapabilities.window?.workDoneProgress == true {
      let created = ProgressToken.string("slicels-progress-\(WorkDoneProgress.nextNumber())")
      if (try? await connection.request(WorkDoneProgressCreateRequest(token: created))) != nil {
        progressToken = created
      }
    }
    guard let progressToken else { return WorkDoneProgress(token: nil, connection: connection) }
    if let cancellation { connection.cancelOnProgressCancel(progressToken, cancellation) }
    connection.send(
      ProgressNotification(
        token: progressToken,
        workDone: .begin(title: title, cancellable: cancellation != nil, message: message, percentage: percentage)))
    return WorkDoneProgress(token: progressToken, connection: connection)
  }
}

/// Reports the steps of one piece of work-done progress; ends it when told or when released.
public final class WorkDoneProgress: Sendable {
  /// The token, nil when the client cannot show progress (then nothing is sent).
  public let token: ProgressToken?
  private let connection: Connection
  private let ended = Locked(false)

  init(token: ProgressToken?, connection: Connection) {
    self.token = token
    self.connection = connection
  }

  private static let counter = Locked(0)

  static func nextNumber() -> Int {
    counter.withLock { count in
      count += 1
      return count
    }
  }

  public func report(message: String? = nil, percentage: Int? = nil) {
    guard let token, !ended.withLock({ $0 }) else { return }
    connection.send(ProgressNotification(token: token, workDone: .report(message: message, percentage: percentage)))
  }

  public func end(message: String? = nil) {
    guard let token, ended.withLock({ wasEnded in
      defer { wasEnded = true }
      return !wasEnded
    }) else { return }
    connection.forgetProgress(token)
    connection.send(ProgressNotification(token: token, workDone: .end(message: message)))
  }

  deinit {
    end()
  }
}
