import Foundation

/// A minimal LSP client over the real stdio protocol of a `slicels` process, for timing.
///
/// A reader thread frames the server's messages (`Content-Length` headers) and stamps each with
/// the monotonic time at which its last byte arrived, before decoding it, so that a latency is
/// "request written → answer fully received" and not the harness's own wake-up. Requests the
/// server sends to the client (`workspace/configuration`, `client/registerCapability`,
/// `window/workDoneProgress/create`, ...) are answered from the reader thread at once.
final class LSPClient: @unchecked Sendable {
  struct Received {
    var message: [String: Any]
    /// `DispatchTime.now().uptimeNanoseconds` when the message's last byte was read.
    var arrival: UInt64
  }

  private let process = Process()
  private let toServer: FileHandle
  private let fromServer: FileHandle
  private let condition = NSCondition()
  private let writeLock = NSLock()
  private var inbox: [Received] = []
  private var closed = false
  private var nextId = 0

  /// Starts `executable` with `arguments` (in `directory` when given); its stderr goes to `logPath`.
  init(executable: String, arguments: [String], logPath: String, directory: URL? = nil) throws {
    let input = Pipe()
    let output = Pipe()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    process.standardInput = input
    process.standardOutput = output
    _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    process.standardError = FileHandle(forWritingAtPath: logPath) ?? FileHandle.nullDevice
    toServer = input.fileHandleForWriting
    fromServer = output.fileHandleForReading
    try process.run()
    let thread = Thread { [self] in readLoop() }
    thread.stackSize = 1 << 20
    thread.start()
  }

  static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

  var serverProcessIdentifier: Int32 { process.processIdentifier }

  // MARK: Sending

  /// The framed bytes of a message (encode before timing: a 10 MB text takes a while).
  static func frame(_ message: [String: Any]) -> Data {
    var object = message
    object["jsonrpc"] = "2.0"
    let body = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data()
    var framed = Data("Content-Length: \(body.count)\r\n\r\n".utf8)
    framed.append(body)
    return framed
  }

  /// Writes framed bytes; returns the time just before the first byte was written.
  @discardableResult
  func write(_ framed: Data) -> UInt64 {
    writeLock.lock()
    defer { writeLock.unlock() }
    let start = Self.now()
    // Throws instead of trapping when the server has gone (a crashed or killed server).
    try? toServer.write(contentsOf: framed)
    return start
  }

  func makeRequest(_ method: String, _ params: Any) -> (id: Int, framed: Data) {
    condition.lock()
    nextId += 1
    let id = nextId
    condition.unlock()
    return (id, Self.frame(["id": id, "method": method, "params": params]))
  }

  func notify(_ method: String, _ params: Any) {
    write(Self.frame(["method": method, "params": params]))
  }

  /// Sends a request and waits for its response: (response, latency in seconds).
  func request(_ method: String, _ params: Any, timeout: Double = 120) -> (response: [String: Any], seconds: Double)? {
    let (id, framed) = makeRequest(method, params)
    let start = write(framed)
    guard let received = wait(timeout: timeout, where: { ($0["id"] as? Int) == id && $0["method"] == nil }) else {
      return nil
    }
    return (received.message, Double(received.arrival - start) / 1e9)
  }

  // MARK: Receiving

  /// Waits for the first message that satisfies `predicate`; messages before it are dropped.
  func wait(timeout: Double, where predicate: ([String: Any]) -> Bool) -> Received? {
    let deadline = Date(timeIntervalSinceNow: timeout)
    condition.lock()
    defer { condition.unlock() }
    while true {
      while !inbox.isEmpty {
        let next = inbox.removeFirst()
        if predicate(next.message) { return next }
      }
      if closed { return nil }
      if !condition.wait(until: deadline) { return nil }
    }
  }

  /// Drops every message received so far.
  func drain() {
    condition.lock()
    inbox.removeAll()
    condition.unlock()
  }

  private func readLoop() {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 16)
    var start = 0
    let descriptor = fromServer.fileDescriptor
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count <= 0 { break }
      buffer.append(contentsOf: chunk[0..<count])
      let arrival = Self.now()
      // Every complete message in the buffer.
      while let (bodyStart, length) = Self.header(in: buffer, from: start), buffer.count >= bodyStart + length {
        let body = Data(buffer[bodyStart..<(bodyStart + length)])
        start = bodyStart + length
        if let message = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] {
          deliver(Received(message: message, arrival: arrival))
        }
      }
      if start > 0 && start == buffer.count {
        buffer.removeAll(keepingCapacity: true)
        start = 0
      } else if start > 1 << 20 {
        buffer.removeFirst(start)
        start = 0
      }
    }
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }

  /// The body's offset and length of the message whose header starts at `from`, once complete.
  private static func header(in buffer: [UInt8], from: Int) -> (Int, Int)? {
    guard buffer.count - from >= 4 else { return nil }
    var index = from
    while index + 3 < buffer.count {
      if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 {
        let headers = String(decoding: buffer[from..<index], as: UTF8.self)
        for line in headers.split(separator: "\r\n") {
          let parts = line.split(separator: ":", maxSplits: 1)
          if parts.count == 2, parts[0].lowercased() == "content-length",
            let length = Int(parts[1].trimmingCharacters(in: .whitespaces))
          {
            return (index + 4, length)
          }
        }
        return nil
      }
      index += 1
    }
    return nil
  }

  private func deliver(_ received: Received) {
    let message = received.message
    if let method = message["method"] as? String, let id = message["id"] {
      // A request from the server: answer at once.
      var result: Any = NSNull()
      if method == "workspace/configuration",
        let items = (message["params"] as? [String: Any])?["items"] as? [Any]
      {
        result = items.map { _ in NSNull() }
      }
      write(Self.frame(["id": id, "result": result]))
      return
    }
    condition.lock()
    inbox.append(received)
    condition.broadcast()
    condition.unlock()
  }

  // MARK: Ending

  func shutdown() {
    _ = request("shutdown", NSNull(), timeout: 10)
    notify("exit", NSNull())
    let deadline = Date(timeIntervalSinceNow: 5)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning { process.terminate() }
    try? toServer.close()
  }

  /// Ends a server that may be stuck (a session over its time limit): no shutdown handshake.
  func kill() {
    if process.isRunning { process.terminate() }
    let deadline = Date(timeIntervalSinceNow: 5)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
    try? toServer.close()
  }
}
