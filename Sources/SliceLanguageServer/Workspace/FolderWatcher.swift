import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Notices files created, changed or deleted in a set of folders, for editors that cannot watch
/// files for the server (Neovim 0.7 has no `workspace/didChangeWatchedFiles` registration).
///
/// Each folder is watched by itself, not its subfolders. On Linux the watcher uses inotify, read
/// on a thread of its own; a folder inotify refuses (no watch left, no permission) or that does
/// not exist yet is polled instead, and so is every folder on other systems: every
/// `pollInterval` on `clock`, comparing the folder's entries and their (size, modification
/// time, inode).
///
/// Batches arrive on `changes`, in order. A file gets `.created`, `.changed` or `.deleted`. When
/// the watcher cannot tell what changed inside a folder — the inotify queue overflowed, the
/// folder itself appeared, went away or was replaced, a subfolder came or went, an entry's name
/// is not UTF-8 — it reports `WorkspaceChange(folder, .changed)` with a directory URL: the analysis
/// must take a `.changed` on a folder as "re-scan this folder". Names a commit in progress uses
/// (`.slicels-*.tmp`, `*.bak`, the journal) and every other hidden name are never reported, so a
/// commit makes no storm of changes; its final rename reports the target.
///
/// At most `maximumFolders` folders are watched; `watch` tells which ones were left out.
/// `stop()` ends the thread and the polling and closes every descriptor.
public final class FolderWatcher: Sendable {
  public enum Mechanism: Sendable, Hashable {
    /// inotify where the system has it, polling elsewhere (and for the folders it refuses).
    case native
    /// Polling only.
    case polling

    /// inotify on Linux, polling elsewhere.
    public static var platformDefault: Mechanism { .native }
  }

  /// How `watch` covers the folders it was given.
  public struct Coverage: Sendable, Equatable {
    /// Watched by inotify.
    public var notified: [URL] = []
    /// Polled: inotify refused them, they do not exist yet, or the system has no inotify.
    public var polled: [URL] = []
    /// Beyond `maximumFolders`: not watched at all.
    public var dropped: [URL] = []
  }

  public static let defaultMaximumFolders = 1024
  public static let defaultPollInterval = Duration.seconds(2)

  /// What a folder's entries looked like at the last poll: nil when the folder could not be listed.
  typealias Listing = [String: EntrySignature]

  struct EntrySignature: Sendable, Equatable {
    var isFolder: Bool
    var size: UInt64
    var modified: Double
    var inode: UInt64
  }

  private enum Coverer: Sendable {
    case notified(descriptor: Int32)
    case polled(listing: Listing?)
  }

  private struct State: Sendable {
    /// By standardized path, in the order `watch` was given them.
    var folders: [String: (url: URL, coverer: Coverer)] = [:]
    var order: [String] = []
    var pathsByDescriptor: [Int32: [String]] = [:]
    var pollTask: Task<Void, Never>?
    var stopped = false
    var readerRunning = false
    var stopWaiters: [CheckedContinuation<Void, Never>] = []
  }

  public let changes: AsyncStream<[WorkspaceChange]>
  public let maximumFolders: Int
  public let pollInterval: Duration
  private let continuation: AsyncStream<[WorkspaceChange]>.Continuation
  private let clock: any ServerClock
  private let state = LockedState(State())
  /// One `watch` at a time: it adds watches outside `state`'s lock (system calls, listings).
  private let watchCalls = NSLock()
  /// The inotify descriptor and the pipe that wakes its reader at `stop()`; nil when polling.
  private let notifier: (inotify: Int32, wakeRead: Int32, wakeWrite: Int32)?
  /// Whether `notifier`'s descriptors are still open: once the reader closed them, their numbers
  /// may belong to another file.
  private let notifierOpen = LockedState(true)

  public init(
    mechanism: Mechanism = .platformDefault, maximumFolders: Int = FolderWatcher.defaultMaximumFolders,
    pollInterval: Duration = FolderWatcher.defaultPollInterval, clock: any ServerClock = ContinuousServerClock()
  ) {
    (changes, continuation) = AsyncStream<[WorkspaceChange]>.makeStream()
    self.maximumFolders = max(0, maximumFolders)
    self.pollInterval = pollInterval
    self.clock = clock
    notifier = mechanism == .native ? Self.openNotifier() : nil
    if notifier != nil {
      state.withLock { $0.readerRunning = true }
      let thread = Thread { [self] in readNotifications() }
      thread.name = "slicels.folder-watcher"
      thread.start()
    }
  }

  /// Whether inotify watches the folders (else they are all polled).
  public var usesNotifications: Bool { notifier != nil }

  // MARK: Watching

  /// Watches exactly `folders` from now on (the first `maximumFolders` of them): folders not in
  /// the list any more are let go, new ones are watched from their current state.
  @discardableResult
  public func watch(_ folders: [URL]) -> Coverage {
    watchCalls.lock()
    defer { watchCalls.unlock() }
    guard !state.withLock({ $0.stopped }) else { return Coverage() }
    var wanted: [(path: String, url: URL)] = []
    var seen = Set<String>()
    var coverage = Coverage()
    for folder in folders {
      let url = folder.standardizedFileURL
      let path = url.path
      guard seen.insert(path).inserted else { continue }
      if wanted.count >= maximumFolders {
        coverage.dropped.append(URL(fileURLWithPath: path, isDirectory: true))
      } else {
        wanted.append((path, URL(fileURLWithPath: path, isDirectory: true)))
      }
    }
    let wantedPaths = Set(wanted.map(\.path))
    let (released, current) = state.withLock { state -> ([Int32], [String: Coverer]) in
      guard !state.stopped else { return ([], [:]) }
      var released: [Int32] = []
      for path in state.order where !wantedPaths.contains(path) {
        if let descriptor = Self.forget(path, in: &state) { released.append(descriptor) }
      }
      return (released, state.folders.mapValues(\.coverer))
    }
    removeWatches(released)
    var added: [(path: String, url: URL, coverer: Coverer)] = []
    for (path, url) in wanted where current[path] == nil {
      added.append((path, url, cover(path)))
    }
    let startPolling = state.withLock { state -> Bool in
      guard !state.stopped else { return false }
      for (path, url, coverer) in added {
        state.folders[path] = (url, coverer)
        if case .notified(let descriptor) = coverer { state.pathsByDescriptor[descriptor, default: []].append(path) }
      }
      state.order = wanted.map(\.path)
      return needsPolling(state) && state.pollTask == nil
    }
    if startPolling { ensurePolling() }
    let final = state.withLock { $0.folders }
    for (path, url) in wanted {
      switch final[path]?.coverer {
      case .notified?: coverage.notified.append(url)
      case .polled?: coverage.polled.append(url)
      case nil: break
      }
    }
    return coverage
  }

  /// Stops watching: the reader thread ends, its descriptors are closed, `changes` finishes.
  public func stop() async {
    let (first, pollTask, waitForReader) = state.withLock { state -> (Bool, Task<Void, Never>?, Bool) in
      let first = !state.stopped
      state.stopped = true
      defer { state.pollTask = nil }
      return (first, state.pollTask, state.readerRunning)
    }
    pollTask?.cancel()
    if first {
      _ = withNotifier { notifier in
        var byte: UInt8 = 1
        return write(notifier.wakeWrite, &byte, 1)
      }
    }
    if waitForReader {
      await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
        let running = state.withLock { state -> Bool in
          if state.readerRunning { state.stopWaiters.append(waiter) }
          return state.readerRunning
        }
        if !running { waiter.resume() }
      }
    }
    continuation.finish()
  }

  /// Removes a folder from the state; returns its inotify watch when no other folder shares it
  /// (two paths to one folder get one watch).
  private static func forget(_ path: String, in state: inout State) -> Int32? {
    guard let entry = state.folders.removeValue(forKey: path) else { return nil }
    state.order.removeAll { $0 == path }
    guard case .notified(let descriptor) = entry.coverer else { return nil }
    state.pathsByDescriptor[descriptor]?.removeAll { $0 == path }
    guard state.pathsByDescriptor[descriptor]?.isEmpty ?? true else { return nil }
    state.pathsByDescriptor[descriptor] = nil
    return descriptor
  }

  /// inotify for a folder when it takes it, else polling from the folder's current listing.
  private func cover(_ path: String) -> Coverer {
    if let descriptor = addWatch(path) { return .notified(descriptor: descriptor) }
    return .polled(listing: Self.listing(of: path))
  }

  private func needsPolling(_ state: State) -> Bool {
    state.folders.values.contains { if case .polled = $0.coverer { return true } else { return false } }
  }

  private func emit(_ changes: [WorkspaceChange]) {
    guard !changes.isEmpty else { return }
    continuation.yield(Self.unique(changes))
  }

  private static func unique(_ changes: [WorkspaceChange]) -> [WorkspaceChange] {
    var seen = Set<WorkspaceChange>()
    return changes.filter { seen.insert($0).inserted }
  }

  // MARK: Names

  /// Hidden names (a commit's `.slicels-*.tmp` and `.bak` files and its journal among them) and
  /// backups: never analysed, so never reported.
  static func ignores(_ name: String) -> Bool {
    name.hasPrefix(".") || name.hasSuffix(".bak") || name.hasSuffix("~")
  }

  // MARK: inotify

  #if os(Linux)
    static let eventMask = UInt32(
      IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF
        | IN_ONLYDIR)
  #endif

  /// One inotify record as the kernel writes it.
  struct NotificationRecord: Sendable, Equatable {
    var descriptor: Int32
    var mask: UInt32
    /// The entry's name; nil for an event of the folder itself, or a name that is not UTF-8.
    var name: String?
    var hasName: Bool
  }

  enum NotificationBits {
    static let created: UInt32 = 0x100
    static let deleted: UInt32 = 0x200
    static let modified: UInt32 = 0x2
    static let closedAfterWriting: UInt32 = 0x8
    static let movedFrom: UInt32 = 0x40
    static let movedTo: UInt32 = 0x80
    static let selfDeleted: UInt32 = 0x400
    static let selfMoved: UInt32 = 0x800
    static let queueOverflow: UInt32 = 0x4000
    static let ignored: UInt32 = 0x8000
    static let isFolder: UInt32 = 0x4000_0000
  }

  /// The records in bytes read from an inotify descriptor (`struct inotify_event`: descriptor,
  /// mask, cookie, name length, then the NUL-padded name). A truncated record ends the list.
  static func records(in bytes: [UInt8]) -> [NotificationRecord] {
    var records: [NotificationRecord] = []
    var offset = 0
    func word(_ at: Int) -> UInt32 {
      UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
    while offset + 16 <= bytes.count {
      let descriptor = Int32(bitPattern: word(offset))
      let mask = word(offset + 4)
      let nameLength = Int(word(offset + 12))
      let nameStart = offset + 16
      guard nameLength <= bytes.count - nameStart else { break }
      var name: String?
      if nameLength > 0 {
        let raw = bytes[nameStart..<(nameStart + nameLength)].prefix { $0 != 0 }
        name = String(validating: raw, as: UTF8.self)
      }
      records.append(NotificationRecord(descriptor: descriptor, mask: mask, name: name, hasName: nameLength > 0))
      offset = nameStart + nameLength
    }
    return records
  }

  /// Handles bytes read from the inotify descriptor (the reader thread's work; tests hand it
  /// records the kernel would only write under pressure, like a queue overflow).
  func process(notificationBytes bytes: [UInt8]) {
    var changes: [WorkspaceChange] = []
    var movedAway: [Int32] = []
    let lostWatches = state.withLock { state -> Bool in
      guard !state.stopped else { return false }
      var lost = false
      for record in Self.records(in: bytes) {
        if record.mask & NotificationBits.queueOverflow != 0 {
          // Events were lost: every folder may have changed.
          changes += state.order.compactMap { state.folders[$0]?.url }.map { WorkspaceChange($0, .changed) }
          continue
        }
        let paths = state.pathsByDescriptor[record.descriptor] ?? []
        for path in paths {
          guard let folder = state.folders[path]?.url else { continue }
          changes += Self.changes(for: record, in: folder)
        }
        // The folder went away (the kernel dropped the watch) or moved (the watch would follow
        // it elsewhere): poll its path until a folder is there again.
        let moved = record.mask & NotificationBits.selfMoved != 0
        guard !paths.isEmpty, moved || record.mask & NotificationBits.ignored != 0 else { continue }
        if moved { movedAway.append(record.descriptor) }
        lost = true
        state.pathsByDescriptor[record.descriptor] = nil
        for path in paths {
          guard let folder = state.folders[path] else { continue }
          state.folders[path] = (folder.url, .polled(listing: nil))
          changes.append(WorkspaceChange(folder.url, .changed))
        }
      }
      return lost
    }
    removeWatches(movedAway)
    if lostWatches { ensurePolling() }
    emit(changes)
  }

  static func changes(for record: NotificationRecord, in folder: URL) -> [WorkspaceChange] {
    let bits = NotificationBits.self
    if record.mask & (bits.selfDeleted | bits.selfMoved) != 0 { return [WorkspaceChange(folder, .changed)] }
    guard record.hasName else { return [] }
    guard let name = record.name else { return [WorkspaceChange(folder, .changed)] }
    if ignores(name) { return [] }
    if record.mask & bits.isFolder != 0 {
      guard record.mask & (bits.created | bits.deleted | bits.movedFrom | bits.movedTo) != 0 else { return [] }
      return [WorkspaceChange(folder.appendingPathComponent(name, isDirectory: true), .changed)]
    }
    let file = folder.appendingPathComponent(name, isDirectory: false)
    var changes: [WorkspaceChange] = []
    if record.mask & (bits.created | bits.movedTo) != 0 { changes.append(WorkspaceChange(file, .created)) }
    if record.mask & (bits.modified | bits.closedAfterWriting) != 0 { changes.append(WorkspaceChange(file, .changed)) }
    if record.mask & (bits.deleted | bits.movedFrom) != 0 { changes.append(WorkspaceChange(file, .deleted)) }
    return changes
  }

  private static func openNotifier() -> (inotify: Int32, wakeRead: Int32, wakeWrite: Int32)? {
    #if os(Linux)
      let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
      guard descriptor >= 0 else { return nil }
      var wake: [Int32] = [0, 0]
      guard pipe(&wake) == 0 else {
        close(descriptor)
        return nil
      }
      // Not inherited by the compiles the server runs; the stop byte never blocks.
      for end in wake {
        _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
      }
      return (descriptor, wake[0], wake[1])
    #else
      return nil
    #endif
  }

  /// Runs `body` on the inotify descriptors while they are open.
  private func withNotifier<Result>(_ body: ((inotify: Int32, wakeRead: Int32, wakeWrite: Int32)) -> Result) -> Result? {
    guard let notifier else { return nil }
    return notifierOpen.withLock { open in open ? body(notifier) : nil }
  }

  private func addWatch(_ path: String) -> Int32? {
    #if os(Linux)
      let descriptor = withNotifier { inotify_add_watch($0.inotify, path, Self.eventMask) }
      return descriptor.flatMap { $0 >= 0 ? $0 : nil }
    #else
      return nil
    #endif
  }

  private func removeWatches(_ descriptors: [Int32]) {
    #if os(Linux)
      guard !descriptors.isEmpty else { return }
      _ = withNotifier { notifier in
        for descriptor in descriptors { _ = inotify_rm_watch(notifier.inotify, descriptor) }
      }
    #endif
  }

  private func readNotifications() {
    #if os(Linux)
      guard let notifier else { return }
      var buffer = [UInt8](repeating: 0, count: 64 * 1024)
      var descriptors = [
        pollfd(fd: notifier.inotify, events: Int16(POLLIN), revents: 0),
        pollfd(fd: notifier.wakeRead, events: Int16(POLLIN), revents: 0),
      ]
      reading: while true {
        let ready = poll(&descriptors, 2, -1)
        if ready < 0 {
          if errno == EINTR { continue }
          break
        }
        if descriptors[1].revents != 0 || state.withLock({ $0.stopped }) { break }
        guard descriptors[0].revents & Int16(POLLIN) != 0 else {
          if descriptors[0].revents != 0 { break }  // error or hang-up: nothing more will come
          continue
        }
        // Everything queued now, in one batch.
        var bytes: [UInt8] = []
        while true {
          let count = buffer.withUnsafeMutableBytes { read(notifier.inotify, $0.baseAddress, $0.count) }
          if count > 0 {
            bytes += buffer[0..<count]
            // A writer faster than this loop must not make one batch grow without end.
            if bytes.count >= 1 << 20 { break }
            continue
          }
          if count < 0, errno == EINTR { continue }
          if count < 0, errno != EAGAIN, errno != EWOULDBLOCK { break reading }
          break
        }
        process(notificationBytes: bytes)
      }
      notifierOpen.withLock { open in
        open = false
        close(notifier.inotify)
        close(notifier.wakeRead)
        close(notifier.wakeWrite)
      }
      // Not stopped: inotify failed. The folders are polled from now on, and anything may have
      // changed in them meanwhile.
      var unwatched: [WorkspaceChange] = []
      let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
        state.readerRunning = false
        if !state.stopped {
          state.pathsByDescriptor = [:]
          for path in state.order {
            guard let entry = state.folders[path], case .notified = entry.coverer else { continue }
            state.folders[path] = (entry.url, .polled(listing: Self.listing(of: path)))
            unwatched.append(WorkspaceChange(entry.url, .changed))
          }
        }
        defer { state.stopWaiters = [] }
        return state.stopWaiters
      }
      for waiter in waiters { waiter.resume() }
      if !unwatched.isEmpty {
        ensurePolling()
        emit(unwatched)
      }
    #endif
  }

  // MARK: Polling

  private func ensurePolling() {
    guard state.withLock({ !$0.stopped && $0.pollTask == nil }) else { return }
    let interval = pollInterval
    let clock = clock
    let task = Task { [weak self] in
      while true {
        do {
          try await clock.sleep(until: clock.now + interval)
        } catch {
          return
        }
        guard let self else { return }
        self.pollOnce()
      }
    }
    let keep = state.withLock { state -> Bool in
      guard !state.stopped, state.pollTask == nil else { return false }
      state.pollTask = task
      return true
    }
    if !keep { task.cancel() }
  }

  /// Compares each polled folder with its last listing; a folder that appeared is handed to
  /// inotify when it takes it.
  func pollOnce() {
    let polled = state.withLock { state -> [(path: String, url: URL, listing: Listing?)] in
      guard !state.stopped else { return [] }
      return state.order.compactMap { path in
        guard let entry = state.folders[path], case .polled(let listing) = entry.coverer else { return nil }
        return (path, entry.url, listing)
      }
    }
    var changes: [WorkspaceChange] = []
    var updates: [(path: String, coverer: Coverer)] = []
    for (path, url, old) in polled {
      let new = Self.listing(of: path)
      changes += Self.changes(from: old, to: new, in: url)
      if old == nil, new != nil, let descriptor = addWatch(path) {
        updates.append((path, .notified(descriptor: descriptor)))
      } else {
        updates.append((path, .polled(listing: new)))
      }
    }
    let orphaned = state.withLock { state -> [Int32] in
      var orphaned: [Int32] = []
      for (path, coverer) in updates {
        guard let entry = state.folders[path], case .polled = entry.coverer else {
          // Let go (or replaced) while this poll ran.
          if case .notified(let descriptor) = coverer, state.pathsByDescriptor[descriptor] == nil { orphaned.append(descriptor) }
          continue
        }
        state.folders[path] = (entry.url, coverer)
        if case .notified(let descriptor) = coverer { state.pathsByDescriptor[descriptor, default: []].append(path) }
      }
      return orphaned
    }
    removeWatches(orphaned)
    emit(changes)
  }

  static func listing(of path: String) -> Listing? {
    let fileManager = FileManager.default
    guard let names = try? fileManager.contentsOfDirectory(atPath: path) else { return nil }
    var listing: Listing = [:]
    for name in names where !ignores(name) {
      guard let attributes = try? fileManager.attributesOfItem(atPath: path + "/" + name) else { continue }
      listing[name] = EntrySignature(
        isFolder: attributes[.type] as? FileAttributeType == .typeDirectory,
        size: (attributes[.size] as? NSNumber)?.uint64Value ?? 0,
        modified: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0,
        inode: (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0)
    }
    return listing
  }

  static func changes(from old: Listing?, to new: Listing?, in folder: URL) -> [WorkspaceChange] {
    guard let old, let new else {
      return old == nil && new == nil ? [] : [WorkspaceChange(folder, .changed)]
    }
    var changes: [WorkspaceChange] = []
    for name in Set(old.keys).union(new.keys).sorted() {
      let before = old[name]
      let after = new[name]
      if before?.isFolder == true || after?.isFolder == true {
        // A subfolder's own entries are not watched: only its coming and going (and a file of
        // the same name that it replaced or that replaced it).
        if before?.isFolder != after?.isFolder {
          changes.append(WorkspaceChange(folder.appendingPathComponent(name, isDirectory: true), .changed))
        }
        let file = folder.appendingPathComponent(name, isDirectory: false)
        if before?.isFolder == false { changes.append(WorkspaceChange(file, .deleted)) }
        if after?.isFolder == false { changes.append(WorkspaceChange(file, .created)) }
        continue
      }
      let file = folder.appendingPathComponent(name, isDirectory: false)
      switch (before, after) {
      case (nil, _?): changes.append(WorkspaceChange(file, .created))
      case (_?, nil): changes.append(WorkspaceChange(file, .deleted))
      case (let before?, let after?) where before != after: changes.append(WorkspaceChange(file, .changed))
      default: break
      }
    }
    return changes
  }
}
