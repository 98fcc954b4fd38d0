import Foundation
import Locking

/// Runs numbered jobs on a fixed number of workers, one per core: each worker takes the next
/// job when it is done with one, so a large file does not hold up the small ones behind it, and
/// no more than `workers` jobs are ever in progress (their memory is what stays alive at once).
public enum BoundedWorkQueue {
  /// One worker per core the process may use.
  public static var defaultWorkerCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  /// Runs `job(0..<count)` on at most `workers` threads; returns when every job is done. With
  /// one worker or one job everything runs on the calling thread.
  public static func run(count: Int, workers: Int = defaultWorkerCount, _ job: @Sendable (Int) -> Void) {
    let workerCount = min(max(1, workers), count)
    guard workerCount > 1 else {
      for index in 0..<count { job(index) }
      return
    }
    let next = NextJob(count: count)
    DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
      while let index = next.take() { job(index) }
    }
  }
}

/// The shared counter the workers take job numbers from.
private struct NextJob: Sendable {
  private let next = Locked(0)
  private let count: Int

  init(count: Int) { self.count = count }

  func take() -> Int? {
    next.withLock { next in
      guard next < count else { return nil }
      defer { next += 1 }
      return next
    }
  }
}
