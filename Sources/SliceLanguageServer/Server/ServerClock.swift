/// The time the server's timers run on: the diagnostics debounce, the parent-process watch and the
/// folder watcher's polling. The server runs on `ContinuousServerClock`; tests substitute a clock
/// they advance by hand, so that what a timer does (or does not do yet) is decided by the test
/// and never by how loaded the machine is.
public protocol ServerClock: Sendable {
  var now: ContinuousClock.Instant { get }
  /// Returns once the clock reached `deadline` (at once when it already has); throws
  /// `CancellationError` when the calling task is cancelled first.
  func sleep(until deadline: ContinuousClock.Instant) async throws
}

extension ServerClock {
  public func sleep(for duration: Duration) async throws {
    try await sleep(until: now + duration)
  }
}

/// Wall-clock time: `ContinuousClock`, which keeps counting while the machine sleeps.
public struct ContinuousServerClock: ServerClock {
  public init() {}

  public var now: ContinuousClock.Instant { ContinuousClock.now }

  public func sleep(until deadline: ContinuousClock.Instant) async throws {
    try await Task.sleep(until: deadline, clock: .continuous)
  }
}
