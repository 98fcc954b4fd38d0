import Foundation

/// One run of the built `slicels` executable with a deadline: how it ended and what it wrote.
/// Output beyond `outputCap` is counted but not kept, so a flood cannot exhaust the test's memory.
struct BoundedCommandRun {
  enum Ending: Equatable {
    case exited(Int32)
    case signaled(Int32)
    /// Still running at the deadline: killed by the test.
    case timedOut
  }

  var ending: Ending
  var standardOutput: [UInt8]
  var standardError: [UInt8]
  /// Every byte written to stdout, including any beyond the cap.
  var standardOutputCount: Int
  var standardErrorCount: Int
  var elapsed: TimeInterval

  var standardErrorText: String { String(decoding: standardError.prefix(4096), as: UTF8.self) }

  static func run(
    _ arguments: [String], in directory: URL, timeout: TimeInterval, outputCap: Int = 16 << 20
  ) throws -> BoundedCommandRun {
    // A child that dies must not take the test runner with it through a broken pipe.
    signal(SIGPIPE, SIG_IGN)
    let process = Process()
    process.executableURL = try ServerProcess.binary()
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    let ended = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in ended.signal() }
    let outputReader = PipeDrain(output.fileHandleForReading.fileDescriptor, cap: outputCap)
    let errorReader = PipeDrain(errors.fileHandleForReading.fileDescriptor, cap: outputCap)
    let started = Date()
    try process.run()
    var timedOut = false
    if ended.wait(timeout: .now() + timeout) == .timedOut {
      timedOut = true
      kill(process.processIdentifier, SIGKILL)
      ended.wait()
    }
    let elapsed = Date().timeIntervalSince(started)
    // Process closes the parent's write ends once the child runs: the drains end with it.
    let (outputBytes, outputCount) = outputReader.finish()
    let (errorBytes, errorCount) = errorReader.finish()
    let ending: Ending =
      timedOut ? .timedOut
      : process.terminationReason == .uncaughtSignal ? .signaled(process.terminationStatus) : .exited(process.terminationStatus)
    return BoundedCommandRun(
      ending: ending, standardOutput: outputBytes, standardError: errorBytes, standardOutputCount: outputCount,
      standardErrorCount: errorCount, elapsed: elapsed)
  }
}

/// Reads a pipe to its end on a thread of its own, so a child writing a lot never blocks.
private final class PipeDrain: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  // Written by the reading thread only, read after `done`.
  private var kept: [UInt8] = []
  private var count = 0

  init(_ descriptor: Int32, cap: Int) {
    Thread { [self] in
      var buffer = [UInt8](repeating: 0, count: 1 << 16)
      while true {
        let read = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
        if read < 0, errno == EINTR { continue }
        if read <= 0 { break }
        count += read
        if kept.count < cap { kept.append(contentsOf: buffer[0..<min(read, cap - kept.count)]) }
      }
      done.signal()
    }.start()
  }

  func finish() -> ([UInt8], Int) {
    done.wait()
    return (kept, count)
  }
}
