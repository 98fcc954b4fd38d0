import Foundation
import Testing

@testable import SliceLanguageServer

/// A clock that moves only when the test says so. `advance(by:)` resumes every sleeper whose
/// deadline it reaches, and none other: what a timer does is decided by the test, never by how
/// loaded the machine is. `sleepers` tells whether a timer is armed, so that a test advances
/// only once the code under test waits.
final class ManualClock: ServerClock, @unchecked Sendable {
  private struct Sleeper {
    var deadline: ContinuousClock.Instant
    var waiter: CheckedContinuation<Void, any Error>
  }

  private let lock = NSLock()
  private var current = ContinuousClock.now
  private var sleepersById: [Int: Sleeper] = [:]
  private var nextId = 0

  var now: ContinuousClock.Instant {
    lock.withLock { current }
  }

  /// How many tasks sleep on this clock now.
  var sleepers: Int {
    lock.withLock { sleepersById.count }
  }

  func sleep(until deadline: ContinuousClock.Instant) async throws {
    let id = lock.withLock {
      nextId += 1
      return nextId
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
        let outcome = lock.withLock { () -> Result<Void, any Error>? in
          if Task.isCancelled { return .failure(CancellationError()) }
          if deadline <= current { return .success(()) }
          sleepersById[id] = Sleeper(deadline: deadline, waiter: waiter)
          return nil
        }
        if let outcome { waiter.resume(with: outcome) }
      }
    } onCancel: {
      let sleeper = lock.withLock { sleepersById.removeValue(forKey: id) }
      sleeper?.waiter.resume(throwing: CancellationError())
    }
  }

  /// Moves the time on and wakes the sleepers whose deadline it reached.
  func advance(by duration: Duration) {
    let due = lock.withLock { () -> [Sleeper] in
      current = current + duration
      let due = sleepersById.filter { $0.value.deadline <= current }
      for id in due.keys { sleepersById[id] = nil }
      return Array(due.values)
    }
    for sleeper in due { sleeper.waiter.resume() }
  }

  /// Waits (hang guard: 30 s) until at least `count` tasks sleep on the clock.
  func waitForSleepers(_ count: Int = 1) async throws {
    try await eventually { self.sleepers >= count }
  }
}

@Suite struct ManualClockTests {
  @Test func wakesOnlyTheSleepersWhoseDeadlineIsReached() async throws {
    let clock = ManualClock()
    let start = clock.now
    let woken = Log()
    let early = Task {
      try await clock.sleep(until: start + .seconds(1))
      await woken.append("early")
    }
    let late = Task {
      try await clock.sleep(until: start + .seconds(5))
      await woken.append("late")
    }
    try await clock.waitForSleepers(2)
    clock.advance(by: .seconds(1))
    try await early.value
    #expect(await woken.entries == ["early"])
    #expect(clock.sleepers == 1)
    clock.advance(by: .seconds(4))
    try await late.value
    #expect(await woken.entries == ["early", "late"])
    #expect(clock.now == start + .seconds(5))
  }

  @Test func returnsAtOnceForAPastDeadlineAndThrowsWhenCancelled() async throws {
    let clock = ManualClock()
    try await clock.sleep(until: clock.now)
    let sleeping = Task { try await clock.sleep(for: .seconds(60)) }
    try await clock.waitForSleepers()
    sleeping.cancel()
    await #expect(throws: CancellationError.self) { try await sleeping.value }
    #expect(clock.sleepers == 0)
  }
}
