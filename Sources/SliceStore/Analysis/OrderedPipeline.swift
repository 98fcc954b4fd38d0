import Foundation

/// Runs numbered jobs on every core and hands their results, in job order and one at a time, to
/// a consumer that runs while the next jobs do: the streamed compiles' shape (read and merge
/// slices in parallel, append their output in name order).
///
/// Whichever worker finds the next result in order ready consumes it, so no core waits for a
/// group to end and the consumer's work (appending output, keeping findings) overlaps the
/// jobs'. At most `window` jobs are started and not yet consumed: that is the memory bound.
public enum OrderedPipeline {
  /// Runs `work(0..<count)` on at most `workers` threads and calls `use` with each result in
  /// index order, never two at once; returns when every result is used. With one worker or one
  /// job everything runs on the calling thread, job then use.
  public static func run<Result: Sendable>(
    count: Int, window: Int, workers: Int = BoundedWorkQueue.defaultWorkerCount,
    work: @Sendable (Int) -> Result, use: (Result) -> Void
  ) {
    let workerCount = min(max(1, workers), count)
    guard workerCount > 1 else {
      for index in 0..<count { use(work(index)) }
      return
    }
    let pipeline = Pipeline<Result>(count: count, window: max(1, window))
    withoutActuallyEscaping(use) { use in
      let consumer = SerialConsumer(use)
      DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
        pipeline.drive(work: work, consumer: consumer)
      }
    }
  }
}

/// `use` called from whichever worker holds the pipeline's consumer turn. The turn is taken
/// and given back under the pipeline's lock, so calls never overlap and each one sees what the
/// previous one did (the lock orders them), which is what the caller's closure, written for one
/// thread, relies on.
private final class SerialConsumer<Result>: @unchecked Sendable {
  let use: (Result) -> Void
  init(_ use: @escaping (Result) -> Void) { self.use = use }
}

private final class Pipeline<Result: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private let count: Int
  private let window: Int
  // Guarded by `condition`.
  private var nextJob = 0
  private var nextToUse = 0
  private var consuming = false
  /// Results done and not yet used; job `index` waits at `index % window` (the started and
  /// unused jobs are fewer than `window`, so no two share a slot).
  private var slots: [Result?]

  init(count: Int, window: Int) {
    self.count = count
    self.window = window
    slots = Array(repeating: nil, count: window)
  }

  func drive(work: @Sendable (Int) -> Result, consumer: SerialConsumer<Result>) {
    condition.lock()
    defer { condition.unlock() }
    while nextToUse < count {
      // Using the next result first keeps the live results few.
      if !consuming, let result = slots[nextToUse % window] {
        slots[nextToUse % window] = nil
        consuming = true
        condition.unlock()
        consumer.use(result)
        condition.lock()
        consuming = false
        nextToUse += 1
        condition.broadcast()
        continue
      }
      if nextJob < count && nextJob < nextToUse + window {
        let index = nextJob
        nextJob += 1
        condition.unlock()
        let result = work(index)
        condition.lock()
        slots[index % window] = result
        condition.broadcast()
        continue
      }
      // The next result is being made or used by another worker, which broadcasts when done.
      condition.wait()
    }
  }
}
