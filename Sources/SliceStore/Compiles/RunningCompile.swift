import Foundation
import Locking

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A real compile started by `InmantaEngine.start`: wait for it on one thread, stop it from
/// another. The compile runs in a process group of its own (Foundation's `Process` starts its
/// children so), so `stop()` also ends the processes it started (Python workers, a shell's
/// children).
public final class RunningCompile: Sendable {
  /// The collected output keeps its last this many bytes: a chatty compile must not grow the
  /// server's memory, and the tail is what tells why it failed.
  public static let outputTailLimit = 64 * 1024
  /// How long a stopped compile gets to exit on SIGTERM before the group gets SIGKILL.
  public static let stopGracePeriod: DispatchTimeInterval = .seconds(3)

  public let command: [String]
  public let processIdentifier: Int32
  private let root: URL
  private let process: ProcessBox
  private let pipe: Pipe?
  private let before: FileStateSnapshot
  private let state = Locked(State())

  private struct State {
    var stopped = false
    var exited = false
  }

  /// `Process` is not Sendable; it is only touched at start, by `wait` and for its identifier.
  private final class ProcessBox: @unchecked Sendable {
    let process: Process
    init(_ process: Process) { self.process = process }
  }

  init(
    executable: URL, command: [String], root: URL, environment: [String: String], output: InmantaEngine.Output
  ) throws(InmantaEngine.LaunchError) {
    self.command = command
    self.root = root
    let process = Process()
    process.executableURL = executable
    process.arguments = Array(command.dropFirst())
    process.currentDirectoryURL = root
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    var pipe: Pipe?
    if output == .collect {
      let collected = Pipe()
      process.standardOutput = collected
      process.standardError = collected
      pipe = collected
    }
    self.pipe = pipe
    before = FileStateSnapshot.take(root: root, folders: InmantaEngine.watchedFolders)
    do {
      try process.run()
    } catch {
      throw InmantaEngine.LaunchError(command: command, reason: error.localizedDescription)
    }
    self.process = ProcessBox(process)
    processIdentifier = process.processIdentifier
  }

  /// Whether `stop()` was called.
  public var wasStopped: Bool { state.withLock { $0.stopped } }

  /// Waits for the compile to exit; `onOutput` gets its output (`.collect`) as it comes, in
  /// chunks of whole lines where the compile writes whole lines.
  public func wait(onOutput: (String) -> Void = { _ in }) -> InmantaEngine.Result {
    var tail: [UInt8] = []
    if let handle = pipe?.fileHandleForReading {
      while true {
        let chunk = handle.availableData
        if chunk.isEmpty { break }
        tail.append(contentsOf: chunk)
        if tail.count > Self.outputTailLimit { tail.removeFirst(tail.count - Self.outputTailLimit) }
        onOutput(String(decoding: chunk, as: UTF8.self))
      }
    }
    process.process.waitUntilExit()
    state.withLock { $0.exited = true }
    let after = FileStateSnapshot.take(root: root, folders: InmantaEngine.watchedFolders)
    let status =
      process.process.terminationReason == .uncaughtSignal ? 128 + process.process.terminationStatus : process.process.terminationStatus
    return InmantaEngine.Result(exitStatus: status, changes: before.changes(to: after, root: root), output: String(decoding: tail, as: UTF8.self))
  }

  /// Ends the compile and every process of its group: SIGTERM, then SIGKILL after
  /// `stopGracePeriod` to whatever of the group is left.
  public func stop() {
    let first = state.withLock { state -> Bool in
      defer { state.stopped = true }
      return !state.stopped && !state.exited
    }
    guard first else { return }
    let target = processGroup
    kill(target, SIGTERM)
    DispatchQueue.global().asyncAfter(deadline: .now() + Self.stopGracePeriod) { [state] in
      // A group outlives its leader; a lone process id may be reused once it exited.
      if target < 0 || !state.withLock({ $0.exited }) { kill(target, SIGKILL) }
    }
  }

  /// The group to signal: the compile's own group (negative), or the process alone should a
  /// platform start it in ours (never signal our own group).
  private var processGroup: pid_t {
    let group = getpgid(processIdentifier)
    return group == processIdentifier && group != getpgrp() ? -group : processIdentifier
  }
}
