import Foundation
import SliceStore
import SliceTestSupport
import Testing

@testable import SliceLanguageServer

/// Gathers a watcher's batches as they come (until the watcher stops).
final class ChangeLog: @unchecked Sendable {
  private let lock = NSLock()
  private var gathered: [[WorkspaceChange]] = []

  init(_ watcher: FolderWatcher) {
    let changes = watcher.changes
    Task {
      for await batch in changes { self.lock.withLock { self.gathered.append(batch) } }
    }
  }

  var batches: [[WorkspaceChange]] { lock.withLock { gathered } }
  var all: [WorkspaceChange] { batches.flatMap { $0 } }

  /// Waits (hang guard) until `change` was reported; returns everything reported until then.
  @discardableResult
  func waitFor(_ change: WorkspaceChange) async throws -> [WorkspaceChange] {
    try await eventually { self.all.contains(change) }
    return all
  }
}

private func file(_ folder: URL, _ name: String) -> URL {
  URL(fileURLWithPath: folder.path, isDirectory: true).appendingPathComponent(name, isDirectory: false)
}

private func folderURL(_ folder: URL) -> URL {
  URL(fileURLWithPath: folder.standardizedFileURL.path, isDirectory: true)
}

/// One `struct inotify_event` as the kernel writes it (little-endian, name NUL-padded to 4 bytes).
private func record(descriptor: Int32, mask: UInt32, name: String = "") -> [UInt8] {
  func word(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
  var nameBytes = Array(name.utf8)
  if !nameBytes.isEmpty {
    nameBytes.append(0)
    while nameBytes.count % 4 != 0 { nameBytes.append(0) }
  }
  return word(UInt32(bitPattern: descriptor)) + word(mask) + word(0) + word(UInt32(nameBytes.count)) + nameBytes
}

@Suite struct FolderWatcherTests {
  @Test func reportsFilesCreatedChangedRenamedAndDeleted() async throws {
    let temporary = try TemporaryFolder()
    let folder = temporary.url.standardizedFileURL
    let watcher = FolderWatcher(mechanism: .native)
    let log = ChangeLog(watcher)
    #expect(watcher.usesNotifications)
    #expect(watcher.watch([folder]) == FolderWatcher.Coverage(notified: [folderURL(folder)]))

    try temporary.write("a.yaml", "a: 1\n")
    try await log.waitFor(WorkspaceChange(file(folder, "a.yaml"), .created))
    try await log.waitFor(WorkspaceChange(file(folder, "a.yaml"), .changed))

    try FileManager.default.moveItem(at: file(folder, "a.yaml"), to: file(folder, "b.yaml"))
    try await log.waitFor(WorkspaceChange(file(folder, "a.yaml"), .deleted))
    try await log.waitFor(WorkspaceChange(file(folder, "b.yaml"), .created))

    try FileManager.default.removeItem(at: file(folder, "b.yaml"))
    try await log.waitFor(WorkspaceChange(file(folder, "b.yaml"), .deleted))

    // A commit's way: a hidden temporary file renamed over the target. Only the target is told.
    try temporary.write(".slicels-1-0000abcd.tmp", "c: 1\n")
    try temporary.write("old.bak", "c: 0\n")
    try FileManager.default.moveItem(at: file(folder, ".slicels-1-0000abcd.tmp"), to: file(folder, "c.yaml"))
    let reported = try await log.waitFor(WorkspaceChange(file(folder, "c.yaml"), .created))
    #expect(!reported.contains { $0.location.lastPathComponent.hasPrefix(".") || $0.location.pathExtension == "bak" })

    // A subfolder: re-scan it.
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: false)
    try await log.waitFor(WorkspaceChange(folder.appendingPathComponent("sub", isDirectory: true), .changed))
    await watcher.stop()
  }

  @Test func pollsAFolderThatIsGoneUntilItIsBack() async throws {
    let temporary = try TemporaryFolder()
    let folder = temporary.url.appendingPathComponent("store").standardizedFileURL
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    let clock = ManualClock()
    let watcher = FolderWatcher(mechanism: .native, pollInterval: .seconds(1), clock: clock)
    let log = ChangeLog(watcher)
    #expect(watcher.watch([folder]).notified == [folderURL(folder)])

    try FileManager.default.removeItem(at: folder)
    try await log.waitFor(WorkspaceChange(folderURL(folder), .changed))

    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    try Data("a: 1\n".utf8).write(to: file(folder, "a.yaml"))
    // Polled since the kernel dropped the watch: the poll sees it back, says so, and hands it
    // back to inotify.
    try await clock.waitForSleepers()
    clock.advance(by: .seconds(1))
    try await eventually { watcher.watch([folder]).notified == [folderURL(folder)] }
    try await eventually { log.all.filter { $0 == WorkspaceChange(folderURL(folder), .changed) }.count >= 2 }
    try Data("a: 2\n".utf8).write(to: file(folder, "a.yaml"))
    try await log.waitFor(WorkspaceChange(file(folder, "a.yaml"), .changed))
    await watcher.stop()
  }

  @Test func reportsEveryFolderAsChangedWhenTheQueueOverflows() async throws {
    let temporary = try TemporaryFolder()
    let first = temporary.url.appendingPathComponent("one").standardizedFileURL
    let second = temporary.url.appendingPathComponent("two").standardizedFileURL
    for folder in [first, second] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false) }
    let watcher = FolderWatcher(mechanism: .native)
    let log = ChangeLog(watcher)
    watcher.watch([first, second])
    // What the kernel writes when its queue is full (max_queued_events): descriptor -1, IN_Q_OVERFLOW.
    watcher.process(notificationBytes: record(descriptor: -1, mask: 0x4000))
    try await eventually { log.batches.count == 1 }
    #expect(log.batches == [[WorkspaceChange(folderURL(first), .changed), WorkspaceChange(folderURL(second), .changed)]])
    await watcher.stop()
  }

  @Test func readsRecordsAsTheKernelWritesThem() {
    let bytes =
      record(descriptor: 3, mask: 0x100, name: "a.yaml") + record(descriptor: 3, mask: 0x400)
      + record(descriptor: 4, mask: 0x200, name: "b")
    let records = FolderWatcher.records(in: bytes)
    #expect(records.map(\.descriptor) == [3, 3, 4])
    #expect(records.map(\.name) == ["a.yaml", nil, "b"])
    // A record cut short (a partial read) ends the list; a name that is not UTF-8 has no name.
    #expect(FolderWatcher.records(in: Array(bytes.dropLast(2))).count == 2)
    var invalid = record(descriptor: 5, mask: 0x100, name: "xx")
    invalid[16] = 0xFF
    let unnamed = FolderWatcher.records(in: invalid)
    #expect(unnamed.first?.name == nil && unnamed.first?.hasName == true)
    let folder = URL(fileURLWithPath: "/p/files/fs", isDirectory: true)
    #expect(FolderWatcher.changes(for: unnamed[0], in: folder) == [WorkspaceChange(folder, .changed)])
  }

  @Test func pollsWithTheInjectedClock() async throws {
    let temporary = try TemporaryFolder()
    let folder = temporary.url.standardizedFileURL
    try temporary.write("kept.yaml", "k: 1\n")
    try temporary.write("changed.yaml", "c: 1\n")
    try temporary.write("deleted.yaml", "d: 1\n")
    let missing = folder.appendingPathComponent("later")
    let clock = ManualClock()
    let watcher = FolderWatcher(mechanism: .polling, pollInterval: .seconds(2), clock: clock)
    let log = ChangeLog(watcher)
    #expect(!watcher.usesNotifications)
    #expect(watcher.watch([folder, missing]) == FolderWatcher.Coverage(polled: [folderURL(folder), folderURL(missing)]))

    try temporary.write("changed.yaml", "c: 22\n")
    try FileManager.default.removeItem(at: file(folder, "deleted.yaml"))
    try temporary.write("created.yaml", "n: 1\n")
    try temporary.write(".slicels-1-0000abcd.tmp", "hidden\n")
    try temporary.write("later/a.yaml", "a: 1\n")
    try await clock.waitForSleepers()
    clock.advance(by: .seconds(2))
    try await eventually { log.batches.count == 1 }
    #expect(
      Set(log.batches[0]) == [
        WorkspaceChange(file(folder, "changed.yaml"), .changed), WorkspaceChange(file(folder, "created.yaml"), .created),
        WorkspaceChange(file(folder, "deleted.yaml"), .deleted), WorkspaceChange(folderURL(missing), .changed),
        WorkspaceChange(folder.appendingPathComponent("later", isDirectory: true), .changed),
      ])

    // Nothing changed: the next poll reports nothing, and the one after reports the next change.
    try await clock.waitForSleepers()
    clock.advance(by: .seconds(2))
    try await clock.waitForSleepers()
    try FileManager.default.removeItem(at: file(folder, "kept.yaml"))
    clock.advance(by: .seconds(2))
    try await eventually { log.batches.count == 2 }
    #expect(log.batches[1] == [WorkspaceChange(file(folder, "kept.yaml"), .deleted)])
    await watcher.stop()
  }

  @Test func watchesAtMostItsLimitAndLetsGoOfFoldersNoLongerWanted() async throws {
    let temporary = try TemporaryFolder()
    let folders = try ["a", "b", "c"].map { name in
      let folder = temporary.url.appendingPathComponent(name).standardizedFileURL
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
      return folder
    }
    let watcher = FolderWatcher(mechanism: .native, maximumFolders: 2)
    let log = ChangeLog(watcher)
    let coverage = watcher.watch(folders + [folders[0]])
    #expect(coverage.notified == folders.prefix(2).map(folderURL))
    #expect(coverage.dropped == [folderURL(folders[2])])

    // A folder inotify refuses (here: one that does not exist yet) is polled instead.
    let missing = temporary.url.appendingPathComponent("missing").standardizedFileURL
    #expect(watcher.watch([folders[1], missing]) == FolderWatcher.Coverage(notified: [folderURL(folders[1])], polled: [folderURL(missing)]))
    try Data("x: 1\n".utf8).write(to: file(folders[0], "let-go.yaml"))
    try Data("x: 1\n".utf8).write(to: file(folders[1], "kept.yaml"))
    let reported = try await log.waitFor(WorkspaceChange(file(folders[1], "kept.yaml"), .created))
    #expect(!reported.contains { $0.location.lastPathComponent == "let-go.yaml" })
    await watcher.stop()
  }

  @Test func stopsReadingAndEndsTheStream() async throws {
    let temporary = try TemporaryFolder()
    let watcher = FolderWatcher(mechanism: .native)
    watcher.watch([temporary.url])
    let changes = watcher.changes
    let drained = Task {
      var count = 0
      for await _ in changes { count += 1 }
      return count
    }
    await watcher.stop()
    #expect(try await withDeadline { await drained.value } == 0)
    #expect(watcher.watch([temporary.url]) == FolderWatcher.Coverage())
  }

  @Test func derivesTheFoldersOfAProject() throws {
    let temporary = try TemporaryFolder()
    try temporary.write("project.yml", "name: p\n")
    try temporary.write(
      "files/git-ops-config.yml",
      "stores:\n  - store_name: fs\n    schema_path: inmanta:///files/schemas/fs.json\n")
    let root = temporary.url.standardizedFileURL
    let folders = ProjectFolderWatch.folders(of: ProjectConfiguration.load(root: root))
    #expect(
      folders.map(\.path) == [
        root.path, root.appendingPathComponent("files").path, root.appendingPathComponent("files/fs").path,
        root.appendingPathComponent("git_ops/active/fs").path, root.appendingPathComponent("files/schemas").path,
      ])
  }
}
