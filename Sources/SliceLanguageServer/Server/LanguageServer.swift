import Foundation
import LanguageServerProtocol
import Locking

public typealias RequestHandler<Request: RequestType> =
  @Sendable (Request, RequestContext) async throws -> Request.Response
public typealias NotificationHandler<Notification: NotificationType> =
  @Sendable (Notification, NotificationContext) async throws -> Void

/// The language server's lifecycle and dispatch. Features register one handler per request or
/// notification before `run()`; the server advertises exactly the registered capabilities,
/// handles `initialize`, `initialized`, `shutdown` and `exit` itself, and answers everything
/// else per LSP: `ServerNotInitialized` before initialize, `InvalidRequest` after shutdown,
/// `MethodNotFound` for requests nobody handles, `InvalidParams` naming the field at fault.
///
/// ```swift
/// server.register(HoverRequest.self) { params, context in
///   try context.checkCancellation()
///   return Hover(contents: MarkupContent(kind: .markdown, value: "…"))
/// }
/// ```
public final class LanguageServer: Sendable {
  private struct RequestRegistration: Sendable {
    let advertise: @Sendable (Set<String>, inout ServerCapabilities) -> Void
    let handle: @Sendable (LSPAny?, RequestContext) async -> Result<LSPAny, ResponseError>
  }

  private struct NotificationRegistration: Sendable {
    let advertise: @Sendable (Set<String>, inout ServerCapabilities) -> Void
    let handle: @Sendable (LSPAny?, NotificationContext) async throws -> Void
  }

  private enum Phase {
    case waitingForInitialize
    case running(Session)
    case shutDown(Session)
  }

  private struct State {
    var requests: [String: RequestRegistration] = [:]
    var notifications: [String: NotificationRegistration] = [:]
    var initializedHooks: [@Sendable (NotificationContext) async -> Void] = []
    var shutdownHooks: [@Sendable (RequestContext) async -> Void] = []
    var phase = Phase.waitingForInitialize
    var exitCode: Int32?
    var currentGate: OrderGate?
    var parentProcessWatch: Task<Void, Never>?
  }

  public let connection: Connection
  public let serverInfo: ServerInfo
  private let parentProcessPollInterval: Duration
  /// What the parent-process watch waits on.
  public let clock: any ServerClock
  private let state: Locked<State>

  /// - Parameters:
  ///   - parentProcessPollInterval: how often to check that the client process given in
  ///     `initialize` is still alive.
  ///   - clock: the time the parent-process watch waits on (tests advance their own).
  public init(
    connection: Connection, serverInfo: ServerInfo, parentProcessPollInterval: Duration = .seconds(3),
    clock: any ServerClock = ContinuousServerClock()
  ) {
    self.connection = connection
    self.serverInfo = serverInfo
    self.parentProcessPollInterval = parentProcessPollInterval
    self.clock = clock
    self.state = Locked(State())
  }

  // MARK: Registration

  /// Methods the lifecycle handles itself; use `onInitialized` and `onShutdown` to hook into them.
  private static let lifecycleMethods: Set<String> = [
    InitializeRequest.method, InitializedNotification.method, ShutdownRequest.method, ExitNotification.method,
    CancelRequestNotification.method, SetTraceNotification.method, WorkDoneProgressCancelNotification.method,
  ]

  /// Handles `Request`; advertises its capability with `options` (see the request type's
  /// `advertise`). Registering a method twice replaces the first handler.
  public func register<Request: RequestType>(
    _ type: Request.Type, options: Request.CapabilityOptions? = nil, handler: @escaping RequestHandler<Request>
  ) {
    assert(!Self.lifecycleMethods.contains(Request.method), "\(Request.method) is handled by the lifecycle")
    let registration = RequestRegistration(
      advertise: { handled, capabilities in Request.advertise(options, handledMethods: handled, in: &capabilities) },
      handle: { params, context in
        let request: Request
        do {
          request = try LSPAnyDecoder().decode(Request.self, from: params ?? .object([:]))
        } catch let error as DecodingError {
          return .failure(.invalidParams("invalid params for \(Request.method): \(error.fieldDescription)"))
        } catch {
          return .failure(.invalidParams("invalid params for \(Request.method): \(error)"))
        }
        do {
          let response = try await handler(request, context)
          return .success(try LSPAnyEncoder().encode(response))
        } catch let error as ResponseError {
          return .failure(error)
        } catch is CancellationError {
          return .failure(.cancelled)
        } catch let error as EncodingError {
          return .failure(.internalError("could not encode the result of \(Request.method): \(error)"))
        } catch {
          return .failure(.requestFailed("\(error)"))
        }
      })
    state.withLock { $0.requests[Request.method] = registration }
  }

  /// Handles `Notification`; advertises its capability with `options` where it has one.
  public func register<Notification: NotificationType>(
    _ type: Notification.Type, options: Notification.CapabilityOptions? = nil,
    handler: @escaping NotificationHandler<Notification>
  ) {
    assert(!Self.lifecycleMethods.contains(Notification.method), "\(Notification.method) is handled by the lifecycle")
    let registration = NotificationRegistration(
      advertise: { handled, capabilities in
        Notification.advertise(options, handledMethods: handled, in: &capabilities)
      },
      handle: { params, context in
        let notification = try LSPAnyDecoder().decode(Notification.self, from: params ?? .object([:]))
        try await handler(notification, context)
      })
    state.withLock { $0.notifications[Notification.method] = registration }
  }

  /// Runs when the client sends `initialized` (load the workspace, register file watchers…).
  public func onInitialized(_ hook: @escaping @Sendable (NotificationContext) async -> Void) {
    state.withLock { $0.initializedHooks.append(hook) }
  }

  /// Runs when the client sends `shutdown`, before it is answered.
  public func onShutdown(_ hook: @escaping @Sendable (RequestContext) async -> Void) {
    state.withLock { $0.shutdownHooks.append(hook) }
  }

  /// The capabilities the registered handlers advertise, in the negotiated encoding.
  public func capabilities(positionEncoding: PositionEncodingKind) -> ServerCapabilities {
    let (requests, notifications) = state.withLock { ($0.requests, $0.notifications) }
    let handled = Set(requests.keys).union(notifications.keys)
    var capabilities = ServerCapabilities()
    capabilities.positionEncoding = positionEncoding
    for (_, registration) in requests { registration.advertise(handled, &capabilities) }
    for (_, registration) in notifications { registration.advertise(handled, &capabilities) }
    return capabilities
  }

  /// The session once initialized (nil before `initialize`).
  public var session: Session? {
    state.withLock { state in
      switch state.phase {
      case .waitingForInitialize: return nil
      case .running(let session), .shutDown(let session): return session
      }
    }
  }

  // MARK: Running

  /// Handles messages until `exit`, the end of input or the client process's death, and returns
  /// the process exit status: 0 after a `shutdown`, 1 without.
  public func run() async -> Int32 {
    for await message in connection.start() {
      switch message {
      case .request(let request): await handle(request)
      case .notification(let method, let params): await handleNotification(method, params)
      }
      if state.withLock({ $0.exitCode }) != nil { break }
    }
    connection.stop()
    connection.flush()
    state.withLock { $0.parentProcessWatch }?.cancel()
    return state.withLock { state in
      if let exitCode = state.exitCode { return exitCode }
      if case .shutDown = state.phase { return 0 }
      return 1
    }
  }

  /// Stops the message loop (used when the client process is gone).
  public func terminate(reason: String) {
    connection.logMessage("exiting: \(reason)", type: .info)
    let gate = state.withLock { state -> OrderGate? in
      if state.exitCode == nil {
        if case .shutDown = state.phase { state.exitCode = 0 } else { state.exitCode = 1 }
      }
      return state.currentGate
    }
    connection.stop()
    gate?.open()
  }

  private func handle(_ request: IncomingRequest) async {
    let phase = state.withLock { $0.phase }
    if request.method == InitializeRequest.method {
      guard case .waitingForInitialize = phase else {
        connection.reply(to: request.id, with: .failure(.invalidRequest("the server is already initialized")))
        return
      }
      guard !request.cancellation.isCancelled else {
        connection.reply(to: request.id, with: .failure(.cancelled))
        return
      }
      initialize(request)
      return
    }
    let session: Session
    switch phase {
    case .waitingForInitialize:
      connection.reply(to: request.id, with: .failure(.serverNotInitialized))
      return
    case .shutDown:
      connection.reply(to: request.id, with: .failure(.invalidRequest("the server is shutting down")))
      return
    case .running(let running):
      session = running
    }
    if request.cancellation.isCancelled {
      connection.reply(to: request.id, with: .failure(.cancelled))
      return
    }
    connection.logTrace("Received request '\(request.method) - (\(request.id))'.", verbose: request.params?.description)
    let context = RequestContext(
      id: request.id, method: request.method, session: session,
      client: Client(connection: connection, session: session), cancellation: request.cancellation,
      workDoneToken: request.params?["workDoneToken"].flatMap { try? LSPAnyDecoder().decode(ProgressToken.self, from: $0) },
      gate: OrderGate())
    if request.method == ShutdownRequest.method {
      await shutdown(context)
      return
    }
    guard let registration = state.withLock({ $0.requests[request.method] }) else {
      connection.reply(to: request.id, with: .failure(.methodNotFound(request.method)))
      return
    }
    let started = ContinuousClock.now
    let task = Task {
      let result = await registration.handle(request.params, context)
      connection.logTrace(
        "Sending response '\(request.method) - (\(request.id))'. Processing request took \(ContinuousClock.now - started).")
      connection.reply(to: request.id, with: result)
      context.gate.open()
    }
    request.cancellation.onCancel { task.cancel() }
    await waitForRelease(context.gate)
  }

  private func initialize(_ request: IncomingRequest) {
    let params: InitializeRequest
    do {
      params = try LSPAnyDecoder().decode(InitializeRequest.self, from: request.params ?? .object([:]))
    } catch let error as DecodingError {
      connection.reply(to: request.id, with: .failure(.invalidParams("invalid params for initialize: \(error.fieldDescription)")))
      return
    } catch {
      connection.reply(to: request.id, with: .failure(.invalidParams("invalid params for initialize: \(error)")))
      return
    }
    let encoding = Session.negotiatePositionEncoding(offered: params.capabilities.general?.positionEncodings)
    let session = Session(initializeParams: params, positionEncoding: encoding)
    if let trace = params.trace { connection.trace = trace }
    let result = InitializeResult(capabilities: capabilities(positionEncoding: encoding), serverInfo: serverInfo)
    state.withLock { $0.phase = .running(session) }
    connection.reply(to: request.id, with: Result<InitializeResult, ResponseError>.success(result))
    if let processId = params.processId, processId > 0 {
      watchParentProcess(processId)
    }
  }

  private func shutdown(_ context: RequestContext) async {
    let hooks = state.withLock { $0.shutdownHooks }
    for hook in hooks { await hook(context) }
    state.withLock { $0.phase = .shutDown(context.session) }
    connection.reply(to: context.id, with: Result<VoidResponse, ResponseError>.success(VoidResponse()))
  }

  private func handleNotification(_ method: String, _ params: LSPAny?) async {
    let phase = state.withLock { $0.phase }
    if method == ExitNotification.method {
      state.withLock { state in
        if case .shutDown = state.phase { state.exitCode = 0 } else { state.exitCode = 1 }
      }
      return
    }
    guard case .running(let session) = phase else { return }  // Dropped before initialize and after shutdown.
    connection.logTrace("Received notification '\(method)'.", verbose: params?.description)
    let context = NotificationContext(
      method: method, session: session, client: Client(connection: connection, session: session), gate: OrderGate())
    if method == InitializedNotification.method {
      let hooks = state.withLock { $0.initializedHooks }
      Task {
        for hook in hooks { await hook(context) }
        context.gate.open()
      }
      await waitForRelease(context.gate)
      return
    }
    guard let registration = state.withLock({ $0.notifications[method] }) else {
      if !method.hasPrefix("$/") {
        connection.logMessage("ignored notification \(method): no handler", type: .log)
      }
      return
    }
    Task {
      do {
        try await registration.handle(params, context)
      } catch let error as DecodingError {
        connection.logMessage("invalid params for \(method): \(error.fieldDescription)", type: .error)
      } catch {
        connection.logMessage("\(method) failed: \(error)", type: .error)
      }
      context.gate.open()
    }
    await waitForRelease(context.gate)
  }

  private func waitForRelease(_ gate: OrderGate) async {
    let stopped = state.withLock { state -> Bool in
      state.currentGate = gate
      return state.exitCode != nil
    }
    if stopped { gate.open() }
    await gate.wait()
    state.withLock { $0.currentGate = nil }
  }

  private func watchParentProcess(_ processId: Int) {
    let interval = parentProcessPollInterval
    let clock = clock
    let watch = Task.detached { [weak self] in
      var next = clock.now + interval
      while true {
        do {
          try await clock.sleep(until: next)
        } catch {
          return
        }
        next = clock.now + interval
        guard let self else { return }
        if state.withLock({ $0.exitCode }) != nil { return }
        if kill(pid_t(processId), 0) == -1, errno == ESRCH {
          terminate(reason: "the client process \(processId) is gone")
          return
        }
      }
    }
    state.withLock { $0.parentProcessWatch = watch }
  }
}
