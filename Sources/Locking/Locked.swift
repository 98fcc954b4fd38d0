import Foundation

/// A value guarded by a lock: the one lock wrapper of the package, for state shared between
/// threads and tasks (the engine's caches and the server's registries alike).
///
/// Its own module because both the engine and LanguageServerProtocol need it and neither may
/// import the other. `Synchronization.Mutex` would do, but needs macOS 15 and the package
/// supports macOS 13.
public final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  public init(_ value: Value) {
    self.value = value
  }

  /// Runs `body` with the value while holding the lock; keep it short and never await in it.
  public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}
