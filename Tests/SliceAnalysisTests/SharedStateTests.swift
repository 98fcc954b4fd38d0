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
}
