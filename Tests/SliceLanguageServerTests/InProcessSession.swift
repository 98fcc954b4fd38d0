import Foundation
import LanguageServerProtocol
import SliceTestSupport
import Testing

@testable import SliceLanguageServer

/// Polls `condition` until it holds or the deadline passes.
/// The hang guard of the in-process sessions: long, because a guard only has to end a hang; the
/// whole suite runs its tests in parallel on two cores, where an awaited step was seen to wait
/// more than 30 s for a thread.
let hangGuardSeconds: Double = 120

func eventually(_ seconds: Double = hangGuardSeconds, _ condition: @Sendable () async -> Bool) async throws {
  let deadline = ContinuousClock.now + .seconds(seconds)
  while !(await condition()) {
    guard ContinuousClock.now < deadline else { throw TimedOut() }
    try await Task.sleep(for: .milliseconds(5))
  }
}

/// An ordered record shared between handlers and the test.
actor Log {
  private(set) var entries: [String] = []
  func append(_ entry: String) { entries.append(entry) }
}

/// A `LanguageServer` and a client `Connection` talking through pipes in this process. The client
/// answers the server's requests with `answer` and keeps every notification it gets.
final class InProcessSession: Sendable {
  let server: LanguageServer
  let client: Connection
  let notifications = Log()
  private let received = NotificationStore()
  private let running: Task<Int32, Never>
  private let responder: Task<Void, Never>
  private let descriptors: [Int32]

  init(
    answer: @escaping @Sendable (IncomingRequest) -> Result<LSPAny, ResponseError> = { _ in .success(.null) },
    clock: any ServerClock = ContinuousServerClock(), parentProcessPollInterval: Duration = .seconds(3),
    configure: (LanguageServer) -> Void
  ) throws {
    var toServer: [Int32] = [0, 0]
    var toClient: [Int32] = [0, 0]
    guard pipe(&toServer) == 0, pipe(&toClient) == 0 else { throw POSIXError(.EMFILE) }
    descriptors = toServer + toClient
    server = LanguageServer(
      connection: Connection(input: toServer[0], output: toClient[1], errorLog: { _ in }),
      serverInfo: ServerInfo(name: "test", version: "0"), parentProcessPollInterval: parentProcessPollInterval, clock: clock)
    client = Connection(input: toClient[0], output: toServer[1], errorLog: { _ in })
    configure(server)
    let server = server
    running = Task { await server.run() }
    let incoming = client.start()
    let client = client
    let received = received
    responder = Task {
      for await message in incoming {
        switch message {
        case .request(let request): client.reply(to: request.id, with: answer(request))
        case .notification(let method, let params): await received.add(method, params ?? .null)
        }
      }
    }
  }

  @discardableResult
  func initialize(
    _ capabilities: ClientCapabilities = ClientCapabilities(), processId: Int? = nil, rootUri: DocumentURI? = nil
  ) async throws -> InitializeResult {
    let client = client
    let result = try await withDeadline(hangGuardSeconds) {
      try await client.request(
        InitializeRequest(
          processId: processId, clientInfo: ClientInfo(name: "in-process"), rootUri: rootUri, capabilities: capabilities))
    }
    client.send(InitializedNotification())
    return result
  }

  func request<Request: RequestType>(_ request: Request) async throws -> Request.Response {
    let client = client
    return try await withDeadline(hangGuardSeconds) { try await client.request(request) }
  }

  /// Notifications of `method` received so far.
  func notifications(_ method: String) async -> [LSPAny] {
    await received.all(method)
  }

  /// The server's exit status once it stopped by itself.
  func exitStatus() async throws -> Int32 {
    let running = running
    let status = try await withDeadline(hangGuardSeconds) { await running.value }
    close()
    return status
  }

  /// Shuts down, exits and returns the server's exit status.
  func finish() async throws -> Int32 {
    _ = try await request(ShutdownRequest())
    client.send(ExitNotification())
    let running = running
    let status = try await withDeadline(hangGuardSeconds) { await running.value }
    close()
    return status
  }

  func close() {
    client.flush()
    server.connection.flush()
    // Closing the write ends ends both readers; the read ends stay open until then.
    Foundation.close(descriptors[1])
    Foundation.close(descriptors[3])
    responder.cancel()
  }
}

actor NotificationStore {
  private var messages: [(String, LSPAny)] = []
  func add(_ method: String, _ params: LSPAny) { messages.append((method, params)) }
  func all(_ method: String) -> [LSPAny] { messages.filter { $0.0 == method }.map(\.1) }
}
