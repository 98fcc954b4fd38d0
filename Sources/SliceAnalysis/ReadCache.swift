import Foundation
import Locking
import SliceStore
import SliceSyntax

/// The last files read in full (tree, validation, attributes), by path and content: a slice
/// analysed again because one of its files changed finds its other files here instead of
/// parsing them again. Bounded by the bytes of the texts it holds, least recently used first
/// out: closed files keep only their findings (see `ProjectState`), so memory follows what is
/// open and recently touched, not the project's size. Thread-safe (slices are analysed on every
/// core).
final class ReadCache: Sendable {
  struct Key: Hashable {
    var path: String
    var content: Int
    /// The schema revision and role the file was read with.
    var context: Int

    // Paths compare by code points: NFC and NFD file names are two files.
    static func == (lhs: Key, rhs: Key) -> Bool {
      lhs.path.isScalarExact(to: rhs.path) && lhs.content == rhs.content && lhs.context == rhs.context
    }

    func hash(into hasher: inout Hasher) {
      path.hashScalars(into: &hasher)
      hasher.combine(content)
      hasher.combine(context)
    }
  }

  private struct Entry {
    var read: SliceFileAnalyzer.Read
    var size: Int
    var lastUse: Int
  }

  private struct State {
    var entries: [Key: Entry] = [:]
    var latestKey: NameMap<Key> = [:]
    var totalSize = 0
    var clock = 0
  }

  private let state = Locked(State())
  let capacity: Int

  /// `capacity`: the bytes of file text kept at most (a file larger than it is never kept).
  init(capacity: Int) {
    self.capacity = capacity
  }

  var count: Int { state.withLock { $0.entries.count } }

  func read(_ key: Key) -> SliceFileAnalyzer.Read? {
    state.withLock { state in
      guard var entry = state.entries[key] else { return nil }
      state.clock += 1
      entry.lastUse = state.clock
      state.entries[key] = entry
      return entry.read
    }
  }

  /// Returns the reads it let go (the file's previous content, the least recently used), for
  /// the caller to free off the path to the diagnostics (see `StaleResults`).
  @discardableResult
  func insert(_ read: SliceFileAnalyzer.Read, for key: Key) -> [SliceFileAnalyzer.Read] {
    // A tree costs several times its text; count the text, the bound is what matters.
    let size = max(read.file.document.bytes.count, 256)
    guard size <= capacity else { return [] }
    var evicted: [SliceFileAnalyzer.Read] = []
    state.withLock { state in
      state.clock += 1
      // One content per file: an older version of the file (a buffer before this keystroke)
      // is never asked for again.
      if let stale = state.latestKey[key.path], stale != key, let previous = state.entries.removeValue(forKey: stale) {
        state.totalSize -= previous.size
        evicted.append(previous.read)
      }
      state.latestKey[key.path] = key
      if let previous = state.entries[key] {
        state.totalSize -= previous.size
        evicted.append(previous.read)
      }
      state.entries[key] = Entry(read: read, size: size, lastUse: state.clock)
      state.totalSize += size
      guard state.totalSize > capacity else { return }
      // Evict the least recently used until under the bound (rare: amortised over inserts).
      let oldestFirst = state.entries.sorted { $0.value.lastUse < $1.value.lastUse }
      for (oldKey, oldEntry) in oldestFirst where state.totalSize > capacity * 3 / 4 && oldKey != key {
        if let old = state.entries.removeValue(forKey: oldKey) { evicted.append(old.read) }
        if state.latestKey[oldKey.path] == oldKey { state.latestKey[oldKey.path] = nil }
        state.totalSize -= oldEntry.size
      }
    }
    return evicted
  }

  /// Forgets the file's read, returned for the caller to free (see `insert`).
  @discardableResult
  func removeAll(path: String) -> SliceFileAnalyzer.Read? {
    state.withLock { state in
      guard let key = state.latestKey[path] else { return nil }
      state.latestKey[path] = nil
      guard let entry = state.entries.removeValue(forKey: key) else { return nil }
      state.totalSize -= entry.size
      return entry.read
    }
  }
}
