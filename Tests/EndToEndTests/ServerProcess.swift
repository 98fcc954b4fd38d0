import Foundation
import LanguageServerProtocol
import SliceTestSupport

struct EndToEndFailure: Error, CustomStringConvertible {
  var description: String
}

/// The built `slicels serve` running as a child process, driven over stdio as an editor would.
/// Every wait has a deadline; a test that ends leaves no process behind.
final class ServerProcess: @unchecked Sendable {
  static let defaultTimeout: TimeInterval = 10

  private let process = Process()
  private let input = Pipe()
  private let output = Pipe()
  private let errors = Pipe()
  private let condition = NSCondition()
  // Guarded by `condition`.
  private var received: [LSPAny] = []
  private var outputEnded = false
  private var standardError = Data()

  init(arguments: [String] = []) throws {
    // Writing to a server that has exited must fail, not kill the test runner.
    signal(SIGPIPE, SIG_IGN)
    process.executableURL = try Self.binary()
    process.arguments = arguments
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let outputDescriptor = output.fileHandleForReading.fileDescriptor
    let errorDescriptor = errors.fileHandleForReading.fileDescriptor
    Thread { [self] in readMessages(from: outputDescriptor) }.start()
    Thread { [self] in readErrors(from: errorDescriptor) }.start()
  }

  deinit {
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
  }

  /// The `slicels` executable: `SLICELS_BINARY`, else next to the test runner in the build
  /// products directory, else `.build/debug/slicels` under the package root.
  static func binary() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["SLICELS_BINARY"] {
      return URL(fileURLWithPath: path)
    }
    var candidates: [URL] = []
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    candidates.append(runner.deletingLastPathComponent().appendingPathComponent("slicels"))
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
      candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("slicels"))
    }
    candidates.append(TestPackage.root.appendingPathComponent(".build/debug/slicels"))
    for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
      return candidate
    }
    throw EndToEndFailure(
      description: "slicels executable not found (looked at \(candidates.map(\.path))); run `swift build --build-tests` first")
  }

  private func readMessages(from descriptor: Int32) {
    var framer = MessageFramer()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      if count <= 0 { break }
      framer.append(buffer[0..<count])
      var parsed: [LSPAny] = []
      while let event = framer.next() {
        switch event {
        case .message(let body):
          parsed.append((try? LSPJSONParser.parse(body)) ?? ["unparsable output": .string(String(decoding: body, as: UTF8.self))])
        case .error(let message):
          parsed.append(["unframable output": .string(message)])
        }
      }
      condition.lock()
      received.append(contentsOf: parsed)
      condition.broadcast()
      condition.unlock()
    }
    condition.lock()
    outputEnded = true
    condition.broadcast()
    condition.unlock()
  }

  private func readErrors(from descriptor: Int32) {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      if count <= 0 { break }
      condition.lock()
      standardError.append(contentsOf: buffer[0..<count])
      condition.unlock()
    }
  }

  // MARK: Sending

  func send(raw bytes: [UInt8]) {
    let descriptor = input.fileHandleForWriting.fileDescriptor
    var written = 0
    while written < bytes.count {
      let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress.map { $0 + written }, bytes.count - written) }
      if count < 0, errno == EINTR { continue }
      if count <= 0 { return }
      written += count
    }
  }

  func send(_ message: LSPAny) {
    send(raw: MessageFramer.frame(JSONWriter.serialize(message)))
  }

  static func request(_ id: Int, _ method: String, _ params: LSPAny? = nil) -> LSPAny {
    var message: LSPAny = ["jsonrpc": "2.0", "id": .int(id), "method": .string(method)]
    if let params, case .object(var members) = message {
      members["params"] = params
      message = .object(members)
    }
    return message
  }

  static func notification(_ method: String, _ params: LSPAny? = nil) -> LSPAny {
    var members: [String: LSPAny] = ["jsonrpc": "2.0", "method": .string(method)]
    if let params { members["params"] = params }
    return .object(members)
  }

  func notify(_ method: String, _ params: LSPAny? = nil) {
    send(Self.notification(method, params))
  }

  /// Sends a request and returns its response (the whole message).
  func request(_ id: Int, _ method: String, _ params: LSPAny? = nil, timeout: TimeInterval = defaultTimeout) throws -> LSPAny {
    send(Self.request(id, method, params))
    return try response(to: .int(id), timeout: timeout)
  }

  func closeInput() {
    try? input.fileHandleForWriting.close()
  }

  // MARK: Receiving

  /// Removes and returns the first message received that matches, waiting for it until the deadline.
  func message(
    timeout: TimeInterval = defaultTimeout, _ description: String, where matches: (LSPAny) -> Bool
  ) throws -> LSPAny {
    let deadline = Date().addingTimeInterval(timeout)
    condition.lock()
    defer { condition.unlock() }
    while true {
      if let index = received.firstIndex(where: matches) {
        return received.remove(at: index)
      }
      if outputEnded {
        throw EndToEndFailure(description: "output ended before \(description); stderr: \(standardErrorText)")
      }
      if !condition.wait(until: deadline) {
        throw EndToEndFailure(description: "timed out waiting for \(description); received \(received)")
      }
    }
  }

  func response(to id: LSPAny, timeout: TimeInterval = defaultTimeout) throws -> LSPAny {
    try message(timeout: timeout, "the response to \(id)") { $0["id"] == id && $0["method"] == nil }
  }

  func notification(_ method: String, timeout: TimeInterval = defaultTimeout) throws -> LSPAny {
    try message(timeout: timeout, "a \(method) notification") { $0["method"] == .string(method) && $0["id"] == nil }
  }

  /// Everything received and not yet taken.
  var pending: [LSPAny] {
    condition.lock()
    defer { condition.unlock() }
    return received
  }

  private var standardErrorText: String { String(decoding: standardError, as: UTF8.self) }

  var standardErrorOutput: String {
    condition.lock()
    defer { condition.unlock() }
    return standardErrorText
  }

  /// Waits for the process to exit by itself and returns its exit status; a crash (signal) or
  /// a process still running at the deadline is a failure.
  func exitStatus(timeout: TimeInterval = defaultTimeout) throws -> Int32 {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
      guard Date() < deadline else {
        kill(process.processIdentifier, SIGKILL)
        throw EndToEndFailure(description: "slicels did not exit within \(timeout) s")
      }
      usleep(10_000)
    }
    guard process.terminationReason == .exit else {
      throw EndToEndFailure(description: "slicels died of signal \(process.terminationStatus); stderr: \(standardErrorOutput)")
    }
    return process.terminationStatus
  }

  // MARK: Lifecycle helpers

  static let clientProcessID = Int(ProcessInfo.processInfo.processIdentifier)

  /// `initialize` then `initialized`; returns the initialize result.
  @discardableResult
  func initialize(capabilities: LSPAny = [:], processId: Int? = clientProcessID, id: Int = 1) throws -> LSPAny {
    let response = try request(
      id, "initialize",
      [
        "processId": processId.map { .int($0) } ?? .null, "rootUri": .null, "capabilities": capabilities,
        "clientInfo": ["name": "slicels end-to-end tests"],
      ])
    guard let result = response["result"] else {
      throw EndToEndFailure(description: "initialize failed: \(response)")
    }
    notify("initialized", [:])
    return result
  }

  /// `shutdown` then `exit`; returns the exit status.
  func shutdownAndExit(id: Int = 999) throws -> Int32 {
    let response = try request(id, "shutdown")
    guard response["result"] == .null, response.objectValue?.keys.contains("result") == true else {
      throw EndToEndFailure(description: "shutdown failed: \(response)")
    }
    notify("exit")
    return try exitStatus()
  }
}
