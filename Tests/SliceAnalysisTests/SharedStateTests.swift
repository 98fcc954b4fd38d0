import Foundation
import SliceStore
import Testing

@testable import SliceAnalysis

/// The host's state shared between threads: the read cache and the continuation gate.
@Suite struct SharedStateTests {
  private func read(_ text: String, path: String) -> SliceFileAnalyzer.Read {
    SliceFileAnalyzer.read(
      URL(fileURLWithPath: path), bytes: Array(text.utf8), role: .source(store: "files"), format: .yaml, schema: nil,
      checkUnknown: true)
  }

  @Test func theReadCacheKeepsOneContentPerFileAndStaysUnderItsBound() {
    let cache = ReadCache(capacity: 1_000)
    let first = ReadCache.Key(path: "/p/a.yaml", content: 1, context: 0)
    cache.insert(read("name: a\n", path: first.path), for: first)
    #expect(cache.read(first) != nil)
    // A new content of the same file replaces the old one.
    let edited = ReadCache.Key(path: "/p/a.yaml", content: 2, context: 0)
    cache.insert(read("name: b\n", path: edited.path), for: edited)
    #expect(cache.read(first) == nil)
    #expect(cache.count == 1)
    // Files counted at 256 bytes at least: the fifth evicts the least recently used ones.
    for index in 0..<4 {
      let key = ReadCache.Key(path: "/p/f\(index).yaml", content: 1, context: 0)
      cache.insert(read("name: f\n", path: key.path), for: key)
    }
    #expect(cache.count <= 3)
    #expect(cache.read(edited) == nil)
    cache.removeAll(path: "/p/f3.yaml")
    #expect(cache.read(ReadCache.Key(path: "/p/f3.yaml", content: 1, context: 0)) == nil)
  }

  @Test func aResumeBeforeTheInstallIsDeliveredOnce() async {
    let gate = ResumeOnce<Int>()
    gate.resume(1)
    gate.resume(2)
    let value = await withCheckedContinuation { gate.install($0) }
    #expect(value == 1)
  }

  @Test func aResumeAfterTheInstallWinsOverLaterOnes() async {
    let gate = ResumeOnce<Int>()
    let value = await withCheckedContinuation { continuation in
      gate.install(continuation)
      gate.resume(3)
      gate.resume(4)
    }
    #expect(value == 3)
  }

  @Test func staleResultsAreFreedByTheDrainNotByTheBurial() {
    let drains = HeldDrains()
    let graveyard = StaleResults(capacity: 2, scheduler: drains.scheduler)
    let census = Census()
    var batch: [any Sendable] = [census.tracked(), census.tracked()]
    graveyard.bury(&batch)
    // The caller keeps nothing that could free the batch on its own thread.
    #expect(batch.isEmpty)
    #expect(census.alive == 2)
    #expect(graveyard.counts.waiting == 1)
    #expect(drains.pending == 1)
    drains.runAll()
    #expect(census.alive == 0)
    #expect(graveyard.counts.waiting == 0)
    #expect(graveyard.counts.drained == 1)
  }

  @Test func aStreamOfBurialsNeverKeepsMoreThanTheCapacity() {
    let drains = HeldDrains()
    let graveyard = StaleResults(capacity: 2, scheduler: drains.scheduler)
    let census = Census()
    for _ in 0..<100 {
      var batch: [any Sendable] = [census.tracked()]
      graveyard.bury(&batch)
      #expect(census.alive <= 2)
      #expect(graveyard.counts.waiting <= 2)
    }
    // One drain scheduled while one is pending, whatever the number of burials.
    #expect(drains.pending == 1)
    #expect(graveyard.counts.freedInline == 98)
    #expect(graveyard.counts.mostWaiting == 2)
    drains.runAll()
    #expect(census.alive == 0)
    // The next burial schedules a drain again.
    var batch: [any Sendable] = [census.tracked()]
    graveyard.bury(&batch)
    #expect(drains.pending == 1)
  }
}

/// Drains a test runs when it says, counted (no timing).
final class HeldDrains: @unchecked Sendable {
  private let lock = NSLock()
  private var held: [@Sendable () -> Void] = []

  var scheduler: StaleResults.Scheduler { { work in self.lock.withLock { self.held.append(work) } } }
  var pending: Int { lock.withLock { held.count } }

  func runAll() {
    let work = lock.withLock {
      defer { held = [] }
      return held
    }
    for drain in work { drain() }
  }
}

/// Objects that count themselves while alive.
final class Census: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  var alive: Int { lock.withLock { count } }

  final class Tracked: Sendable {
    let census: Census
    init(_ census: Census) {
      self.census = census
      census.lock.withLock { census.count += 1 }
    }
    deinit { census.lock.withLock { census.count -= 1 } }
  }

  func tracked() -> Tracked { Tracked(self) }
}
