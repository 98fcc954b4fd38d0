/// A test that waits on another task failed to see it finish in time.
public struct TimedOut: Error {
  public init() {}
}

/// Runs `body`, failing with `TimedOut` after `seconds`: no test waits forever. A hang guard, not a
/// performance bound: generous, since the whole suite runs in parallel on two cores.
public func withDeadline<Value: Sendable>(
  _ seconds: Double = 30, _ body: @escaping @Sendable () async throws -> Value
) async throws -> Value {
  try await withThrowingTaskGroup(of: Value.self) { group in
    group.addTask { try await body() }
    group.addTask {
      try await Task.sleep(for: .seconds(seconds))
      throw TimedOut()
    }
    defer { group.cancelAll() }
    guard let first = try await group.next() else { throw TimedOut() }
    return first
  }
}
