import Foundation

/// A value guarded by a lock, for state shared between the reader thread and async code.
/// (`Synchronization.Mutex` would do, but needs macOS 15.)
final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) {
    self.value = value
  }

  func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}
