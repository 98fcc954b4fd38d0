import Foundation
import SliceStore

/// The last files read in full (tree, validation, attributes), by path and content: a slice
/// analysed again because one of its files changed finds its other files here instead of
/// parsing them again. Bounded by the bytes of the texts it holds, least recently used first
/// out: closed files keep only their findings (see `ProjectState`), so memory follows what is
/// open and recently touched, not the project's size. Thread-safe (slices are analysed on every
/// core).
final class ReadCache: @unchecked Sendable {
  struct Key: Hashable {
    var path: String
    var content: Int
    /// The schema revision and role the file was read with.
    var context: Int
  }

  private struct Entry {
    var read: SliceFileAnalyzer.Read
    var size: Int
    var lastUse: Int
  }

  private let lock = NSLock()
  private var entries: [Key: Entry] = [:]
  private var latestKey: [String: Key] = [:]
  private var totalSize = 0
  private var clock = 0
  let capacity: Int

  /// `capacity`: the bytes of file text kept at most (a file larger than it is never kept).
  init(capacity: Int) {
    self.capacity = capacity
  }

  var count: Int { lock.withLock { entries.count } }

  func read(_ key: Key) -> SliceFileAnalyzer.Read? {
    lock.withLock {
      guard var entry = entries[key] else { return nil }
      clock += 1
      entry.lastUse = clock
      entries[key] = entry
      return entry.read
    }
  }

  func insert(_ read: SliceFileAnalyzer.Read, for key: Key) {
    // A tree costs several times its text; count the text, the bound is what matters.
    let size = max(read.file.document.bytes.count, 256)
    guard size <= capacity else { return }
    lock.withLock {
      clock += 1
      // One content per file: an older version of the file (a buffer before this keystroke)
      // is never asked for again.
      if let stale = latestKey[key.path], stale != key, let previous = entries.removeValue(forKey: stale) {
        totalSize -= previous.size
      }
      latestKey[key.path] = key
      if let previous = entries[key] { totalSize -= previous.size }
      entries[key] = Entry(read: read, size: size, lastUse: clock)
      totalSize += size
      guard totalSize > capacity else { return }
      // Evict the least recently used until under the bound (rare: amortised over inserts).
      let oldestFirst = entries.sorted { $0.value.lastUse < $1.value.lastUse }
      for (oldKey, oldEntry) in oldestFirst where totalSize > capacity * 3 / 4 && oldKey != key {
        entries[oldKey] = nil
        if latestKey[oldKey.path] == oldKey { latestKey[oldKey.path] = nil }
        totalSize -= oldEntry.size
      }
    }
  }

  func removeAll(path: String) {
    lock.withLock {
      guard let key = latestKey.removeValue(forKey: path), let entry = entries.removeValue(forKey: key) else { return }
      totalSize -= entry.size
    }
  }
}
