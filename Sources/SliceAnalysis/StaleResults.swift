import Dispatch
import Locking

/// Results an analysis replaced (the previous read of an edited file: its tree, normalised data
/// and read form; the slice's last result and plan memo; the buffer's old text), dropped off the
/// path from a change to its diagnostics. Freeing a large slice's tree costs about a fifth of
/// reading it; the host hands what it replaced here once the new results are made, and a
/// low-priority queue frees them while the diagnostics go out.
///
/// Bounded: at most `capacity` batches (one per host call) wait. A burial beyond it frees the
/// oldest waiting batch at once, on the caller's thread, so memory never grows under a stream of
/// edits faster than the background drains.
public final class StaleResults: Sendable {
  /// Runs the drain (tests pass one that holds it, to count what waits without timing).
  public typealias Scheduler = @Sendable (@escaping @Sendable () -> Void) -> Void

  /// What the graveyard did so far, for tests and benches.
  public struct Counts: Sendable, Equatable {
    /// Batches handed over, batches waiting now, and the most that ever waited at once.
    public var buried = 0
    public var waiting = 0
    public var mostWaiting = 0
    /// Values (reads, results, buffers) waiting now.
    public var waitingValues = 0
    /// Batches freed by the background drain, and by a burial over the bound.
    public var drained = 0
    public var freedInline = 0
  }

  private struct State {
    var waiting: [[any Sendable]] = []
    var drainScheduled = false
    var counts = Counts()
  }

  private let state = Locked(State())
  private let scheduler: Scheduler
  public let capacity: Int

  /// The drain runs on a utility-priority global queue by default.
  public static let background: Scheduler = { work in DispatchQueue.global(qos: .utility).async(execute: work) }

  public init(capacity: Int = 2, scheduler: @escaping Scheduler = StaleResults.background) {
    self.capacity = max(capacity, 1)
    self.scheduler = scheduler
  }

  public var counts: Counts { state.withLock { $0.counts } }

  /// Takes `batch` (left empty: the caller keeps no reference that could end up freeing it on
  /// its own thread) and schedules its release.
  func bury(_ batch: inout [any Sendable]) {
    guard !batch.isEmpty else { return }
    var overflow: [[any Sendable]] = []
    let schedule = state.withLock { state -> Bool in
      state.waiting.append([])
      swap(&state.waiting[state.waiting.count - 1], &batch)
      state.counts.buried += 1
      while state.waiting.count > capacity {
        overflow.append(state.waiting.removeFirst())
        state.counts.freedInline += 1
      }
      state.counts.waiting = state.waiting.count
      state.counts.waitingValues = state.waiting.reduce(0) { $0 + $1.count }
      state.counts.mostWaiting = max(state.counts.mostWaiting, state.waiting.count)
      guard !state.drainScheduled else { return false }
      state.drainScheduled = true
      return true
    }
    // Freed here, out of the lock.
    overflow.removeAll()
    if schedule { scheduler { [self] in drain() } }
  }

  /// Frees every batch waiting now.
  func drain() {
    var taken = state.withLock { state -> [[any Sendable]] in
      let taken = state.waiting
      state.waiting = []
      state.drainScheduled = false
      state.counts.drained += taken.count
      state.counts.waiting = 0
      state.counts.waitingValues = 0
      return taken
    }
    taken.removeAll()
  }
}
