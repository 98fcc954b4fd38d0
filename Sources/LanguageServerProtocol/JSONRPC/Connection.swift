import Foundation

/// A request from the client, with the token its `$/cancelRequest` will set.
public struct IncomingRequest: Sendable {
  public var id: RequestID
  public var method: String
  public var params: LSPAny?
  public var cancellation: CancellationToken
}

/// What the connection hands to the server, in arrival order. Responses to the server's own
/// requests, `$/cancelRequest` and `$/setTrace` are handled inside the connection and never
/// appear here; neither do messages that are not valid JSON-RPC (they are answered directly).
public enum IncomingMessage: Sendable {
  case request(IncomingRequest)
  case notification(method: String, params: LSPAny?)
}

/// JSON-RPC over a pair of file descriptors (stdin/stdout for a language server).
///
/// Reading happens on a dedicated thread with blocking reads; each read's messages are parsed
/// there and cancellations and responses among them take effect at once, even while the server
/// is busy with earlier messages. Writing goes through one serial queue, so messages never
/// interleave and senders never block on a slow client.
public final class Connection: Sendable {
  private struct State {
    var inFlight: [RequestID: CancellationToken] = [:]
    var pendingResponses: [RequestID: CheckedContinuation<LSPAny, any Error>] = [:]
    var nextRequestNumber = 0
    var trace = TraceValue.off
    var progressCancellations: [ProgressToken: CancellationToken] = [:]
    var continuation: AsyncStream<IncomingMessage>.Continuation?
    var started = false
    var inputClosed = false
    var outputBroken = false
  }

  private let input: Int32
  private let output: Int32
  private let maximumContentLength: Int
  private let state = Locked(State())
  private let writeQueue = DispatchQueue(label: "slicels.connection.write")
  private let errorLog: @Sendable (String) -> Void

  /// - Parameters:
  ///   - errorLog: where protocol errors are reported besides the client's log (stderr by default).
  public init(
    input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO,
    maximumContentLength: Int = MessageFramer.defaultMaximumContentLength,
    errorLog: @escaping @Sendable (String) -> Void = Connection.writeToStandardError
  ) {
    self.input = input
    self.output = output
    self.maximumContentLength = maximumContentLength
    self.errorLog = errorLog
  }

  public static let writeToStandardError: @Sendable (String) -> Void = { message in
    FileHandle.standardError.write(Data("slicels: \(message)\n".utf8))
  }

  // MARK: Reading

  /// Starts the reader thread and returns the incoming messages; the stream ends at end of input
  /// or on `stop()`. Call once.
  public func start() -> AsyncStream<IncomingMessage> {
    let (stream, continuation) = AsyncStream<IncomingMessage>.makeStream()
    let alreadyStarted = state.withLock { state -> Bool in
      if state.started { return true }
      state.started = true
      state.continuation = continuation
      return false
    }
    guard !alreadyStarted else {
      continuation.finish()
      return stream
    }
    // A client that goes away must make writes fail, not kill the process.
    signal(SIGPIPE, SIG_IGN)
    let thread = Thread { [self] in readLoop() }
    thread.name = "slicels.connection.read"
    // Parsing recurses once per nesting level (bounded by LSPJSONParser.maximumDepth).
    thread.stackSize = 16 << 20
    thread.start()
    return stream
  }

  /// Ends the message stream; the server stops receiving messages.
  public func stop() {
    let continuation = state.withLock { state -> AsyncStream<IncomingMessage>.Continuation? in
      defer { state.continuation = nil }
      return state.continuation
    }
    continuation?.finish()
  }

  private func readLoop() {
    var framer = MessageFramer(maximumContentLength: maximumContentLength)
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = chunk.withUnsafeMutableBytes { buffer in read(input, buffer.baseAddress, buffer.count) }
      if count < 0 {
        if errno == EINTR { continue }
        reportProtocolError("reading input failed: \(String(cString: strerror(errno)))")
        break
      }
      if count == 0 { break }
      framer.append(chunk[0..<count])
      var received: [IncomingMessage] = []
      while let event = framer.next() {
        switch event {
        case .error(let message): reportProtocolError(message)
        case .message(let body): receive(body, into: &received)
        }
      }
      let continuation = state.withLock { $0.continuation }
      for message in received { continuation?.yield(message) }
    }
    if framer.bufferedByteCount > 0 {
      reportProtocolError("input ended inside a message (\(framer.bufferedByteCount) bytes unread)")
    }
    closeInput()
  }

  private func closeInput() {
    let (continuation, pending) = state.withLock { state in
      state.inputClosed = true
      defer {
        state.continuation = nil
        state.pendingResponses = [:]
      }
      return (state.continuation, state.pendingResponses)
    }
    for (_, waiter) in pending { waiter.resume(throwing: ResponseError.internalError("the connection closed")) }
    continuation?.finish()
  }

  private func receive(_ body: [UInt8], into received: inout [IncomingMessage]) {
    let json: LSPAny
    do {
      json = try LSPJSONParser.parse(body)
    } catch {
      reportProtocolError("invalid JSON: \(error)")
      sendMessage(.response(id: nil, result: .failure(.parseError("invalid JSON: \(error)"))))
      return
    }
    let message: JSONRPCMessage
    do {
      message = try JSONRPCMessage(json)
    } catch {
      reportProtocolError("invalid message: \(error.error.message)")
      sendMessage(.response(id: error.id, result: .failure(error.error)))
      return
    }
    switch message {
    case .request(let id, let method, let params):
      let token = CancellationToken()
      state.withLock { $0.inFlight[id] = token }
      received.append(.request(IncomingRequest(id: id, method: method, params: params, cancellation: token)))
    case .notification(CancelRequestNotification.method, let params):
      guard let params, let cancel = try? LSPAnyDecoder().decode(CancelRequestNotification.self, from: params)
      else { return }
      state.withLock { $0.inFlight[cancel.id] }?.cancel()
    case .notification(WorkDoneProgressCancelNotification.method, let params):
      guard let params,
        let cancel = try? LSPAnyDecoder().decode(WorkDoneProgressCancelNotification.self, from: params)
      else { return }
      state.withLock { $0.progressCancellations[cancel.token] }?.cancel()
    case .notification(SetTraceNotification.method, let params):
      guard let params, let setTrace = try? LSPAnyDecoder().decode(SetTraceNotification.self, from: params)
      else { return }
      trace = setTrace.value
    case .notification(let method, let params):
      received.append(.notification(method: method, params: params))
    case .response(let id, let result):
      let waiter = state.withLock { state in id.flatMap { state.pendingResponses.removeValue(forKey: $0) } }
      guard let waiter else {
        reportProtocolError("response to unknown request \(id.map(String.init(describing:)) ?? "null")")
        return
      }
      switch result {
      case .success(let value): waiter.resume(returning: value)
      case .failure(let error): waiter.resume(throwing: error)
      }
    }
  }

  /// Reports a protocol error both to stderr and to the client's log.
  private func reportProtocolError(_ message: String) {
    errorLog(message)
    logMessage(message, type: .error)
  }

  // MARK: Writing

  /// Answers a request. Each request is answered once; a request the client cancelled is
  /// answered with `RequestCancelled` whatever the result.
  public func reply(to id: RequestID, with result: Result<LSPAny, ResponseError>) {
    let token = state.withLock { $0.inFlight.removeValue(forKey: id) }
    guard let token else {
      errorLog("a second answer to request \(id) was dropped")
      return
    }
    sendMessage(.response(id: id, result: token.isCancelled ? .failure(.cancelled) : result))
  }

  /// Answers a request with a typed result.
  public func reply<Response: Encodable>(to id: RequestID, with result: Result<Response, ResponseError>) {
    switch result {
    case .success(let value):
      do {
        reply(to: id, with: .success(try LSPAnyEncoder().encode(value)))
      } catch {
        reply(to: id, with: .failure(.internalError("could not encode the result: \(error)")))
      }
    case .failure(let error):
      reply(to: id, with: Result<LSPAny, ResponseError>.failure(error))
    }
  }

  /// Whether a request is still waiting for its answer.
  public func isInFlight(_ id: RequestID) -> Bool {
    state.withLock { $0.inFlight[id] != nil }
  }

  public func send<Notification: NotificationType>(_ notification: Notification) {
    do {
      sendMessage(.notification(method: Notification.method, params: Self.params(try LSPAnyEncoder().encode(notification))))
    } catch {
      errorLog("could not encode \(Notification.method): \(error)")
    }
  }

  /// Sends a request to the client and waits for its answer. Cancelling the calling task sends
  /// `$/cancelRequest` and throws `CancellationError`; an error answer is thrown as
  /// `ResponseError`.
  public func request<Request: RequestType>(_ request: Request) async throws -> Request.Response {
    let params = Self.params(try LSPAnyEncoder().encode(request))
    let id = state.withLock { state -> RequestID in
      state.nextRequestNumber += 1
      return .string("slicels-\(state.nextRequestNumber)")
    }
    let result: LSPAny = try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<LSPAny, any Error>) in
        let refusal = state.withLock { state -> (any Error)? in
          if state.inputClosed { return ResponseError.internalError("the connection closed") }
          if Task.isCancelled { return CancellationError() }
          state.pendingResponses[id] = waiter
          return nil
        }
        if let refusal {
          waiter.resume(throwing: refusal)
        } else {
          sendMessage(.request(id: id, method: Request.method, params: params))
        }
      }
    } onCancel: {
      let waiter = state.withLock { $0.pendingResponses.removeValue(forKey: id) }
      if let waiter {
        send(CancelRequestNotification(id: id))
        waiter.resume(throwing: CancellationError())
      }
    }
    do {
      return try LSPAnyDecoder().decode(Request.Response.self, from: result)
    } catch let error as DecodingError {
      throw ResponseError.internalError("invalid answer to \(Request.method): \(error.fieldDescription)")
    }
  }

  /// Messages without params (encoded as null) are sent without a `params` member.
  private static func params(_ encoded: LSPAny) -> LSPAny? {
    encoded.isNull ? nil : encoded
  }

  public func sendMessage(_ message: JSONRPCMessage) {
    let framed = MessageFramer.frame(JSONWriter.serialize(message.json))
    writeQueue.async { [self] in write(framed) }
  }

  private func write(_ bytes: [UInt8]) {
    guard !state.withLock({ $0.outputBroken }) else { return }
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { buffer in
        Foundation.write(output, buffer.baseAddress.map { $0 + written }, bytes.count - written)
      }
      if count < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        let reason = String(cString: strerror(errno))
        state.withLock { $0.outputBroken = true }
        errorLog("writing output failed: \(reason); further output is dropped")
        return
      }
      written += count
    }
  }

  /// Waits until everything sent so far has been written.
  public func flush() {
    writeQueue.sync {}
  }

  /// Links a cancellable progress token to `token`: the client's
  /// `window/workDoneProgress/cancel` for it cancels `token`, at once like `$/cancelRequest`.
  public func cancelOnProgressCancel(_ progress: ProgressToken, _ token: CancellationToken) {
    state.withLock { $0.progressCancellations[progress] = token }
  }

  /// Ends the link made by `cancelOnProgressCancel` (when the progress ends).
  public func forgetProgress(_ progress: ProgressToken) {
    _ = state.withLock { $0.progressCancellations.removeValue(forKey: progress) }
  }

  // MARK: Logging and tracing

  /// `window/logMessage`: a line in the client's log for this server.
  public func logMessage(_ message: String, type: MessageType = .log) {
    send(LogMessageNotification(type: type, message: message))
  }

  /// The trace level the client asked for (initialize's `trace`, then `$/setTrace`).
  public var trace: TraceValue {
    get { state.withLock { $0.trace } }
    set { state.withLock { $0.trace = newValue } }
  }

  /// `$/logTrace`, sent only when tracing is on; `verbose` only when it is verbose.
  public func logTrace(_ message: @autoclosure () -> String, verbose: @autoclosure () -> String? = nil) {
    let level = trace
    guard level != .off else { return }
    send(LogTraceNotification(message: message(), verbose: level == .verbose ? verbose() : nil))
  }
}
