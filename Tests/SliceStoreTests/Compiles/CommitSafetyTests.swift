import Foundation
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// A commit that fails or is killed midway: rollback, journal recovery, stale temporary files,
/// long names, read-only files (issue 8 items 5, 6, 7 and 13).
@Suite("Commit safety")
struct CommitSafetyTests {
  /// A folder with files to replace (two modes), to create (one in a new folder) and to delete.
  struct Scenario {
    let root: URL

    init(gitOpsFolder: Bool = true) throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-commit-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
      try write("a.json", "old a", mode: 0o640)
      try write("b.json", "old b", mode: 0o600)
      try write("gone.json", "gone", mode: 0o644)
      try write("same.json", "same", mode: 0o644)
      if gitOpsFolder {
        try FileManager.default.createDirectory(at: root.appendingPathComponent("git_ops"), withIntermediateDirectories: true)
      }
    }

    func write(_ name: String, _ text: String, mode: Int) throws {
      let url = root.appendingPathComponent(name)
      try Data(text.utf8).write(to: url)
      try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    var journal: String { CommitRecovery.journalPath(root: root) }

    /// Four renames (a, b, sub/c, e) and one deletion.
    var transaction: FileTransaction {
      FileTransaction(steps: [
        .createFolder(path: path("made/deeper")),
        .write(path: path("a.json"), bytes: Array("new a".utf8)),
        .write(path: path("b.json"), bytes: Array("new b".utf8)),
        .write(path: path("same.json"), bytes: Array("same".utf8)),
        .write(path: path("sub/c.json"), bytes: Array("c".utf8)),
        .write(path: path("e.json"), bytes: Array("e".utf8)),
        .delete(path: path("gone.json")),
      ])
    }

    static let renames = 4

    var snapshot: FolderSnapshot { FolderSnapshot(root) }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// What a commit that nothing disturbed leaves.
    static func completed(gitOpsFolder: Bool = true) throws -> FolderSnapshot {
      let scenario = try Scenario(gitOpsFolder: gitOpsFolder)
      defer { scenario.remove() }
      try scenario.transaction.commit(journal: scenario.journal, command: "sync")
      return scenario.snapshot
    }
  }

  static let noSpace = String(cString: strerror(ENOSPC))
  /// Above any pid_max: a process that never runs.
  static let stoppedProcess = Int32.max - 1

  @Test(arguments: 1...Scenario.renames)
  func aRenameFailingAtAnyPositionPutsEveryFileBack(position: Int) throws {
    let scenario = try Scenario(gitOpsFolder: false)
    defer { scenario.remove() }
    let before = scenario.snapshot
    let fileSystem = FaultyFileSystem()
    fileSystem.fail(.rename, nth: position, code: ENOSPC)
    let error = try #require(throws: FileTransactionError.self) {
      try scenario.transaction.commit(fileSystem: fileSystem, journal: scenario.journal, command: "sync")
    }
    #expect(error.wroteNothing)
    #expect(error.reason.contains(Self.noSpace))
    #expect(error.reason.contains("every file is as it was"))
    #expect(scenario.snapshot == before, "\(scenario.snapshot)")
  }

  @Test func aDeletionFailingPutsEveryFileBack() throws {
    let scenario = try Scenario()
    defer { scenario.remove() }
    let before = scenario.snapshot
    let fileSystem = FaultyFileSystem()
    let gone = scenario.path("gone.json")
    fileSystem.fail(.unlink, nth: 1, code: EPERM) { $0 == gone }
    let error = try #require(throws: FileTransactionError.self) {
      try scenario.transaction.commit(fileSystem: fileSystem, journal: scenario.journal, command: "prune")
    }
    #expect(error.wroteNothing)
    #expect(error.path == gone)
    #expect(scenario.snapshot == before, "\(scenario.snapshot)")
  }

  @Test func aFailingRollbackSaysWhichFilesChangedAndTheNextRunUndoesThem() throws {
    let scenario = try Scenario()
    defer { scenario.remove() }
    let before = scenario.snapshot
    let fileSystem = FaultyFileSystem()
    fileSystem.fail(.rename, nth: 3, code: ENOSPC)
    // Putting b's old content back fails (the undo goes backwards: b is the first backup).
    fileSystem.fail(.rename, nth: 1, code: EIO) { $0.hasSuffix(".bak") }
    let error = try #require(throws: FileTransactionError.self) {
      try scenario.transaction.commit(fileSystem: fileSystem, journal: scenario.journal, command: "sync")
    }
    #expect(!error.wroteNothing)
    #expect(error.changesLeft == [FileChange(path: scenario.path("b.json"), kind: .modified)])
    #expect(Set(error.unchanged) == Set(["a.json", "sub/c.json", "e.json", "gone.json"].map(scenario.path)))
    #expect(error.journal == scenario.journal)
    #expect(error.description.contains("Changed: \(scenario.path("b.json")) (modified)"))
    #expect(error.description.contains(String(cString: strerror(EIO))))

    let warning = try #require(CommitRecovery.interruptedCommitReport(root: scenario.root))
    #expect(warning.findings.map(\.code) == [FindingCode.interruptedCommit.rawValue])
    #expect(warning.findings.first?.severity == .warning)

    let report = try #require(try CommitRecovery.recover(root: scenario.root))
    #expect(report.outcome == .undone(reason: nil))
    #expect(report.changes == [FileChange(path: scenario.path("b.json"), kind: .modified)])
    #expect(scenario.snapshot == before, "\(scenario.snapshot)")
  }

  /// A `kill -9` after the n-th rename (0: just after the journal was written).
  @Test(arguments: 0...Scenario.renames)
  func aKilledCommitIsCompletedByTheNextRun(renames: Int) throws {
    let expected = try Scenario.completed()
    let scenario = try Scenario()
    defer { scenario.remove() }
    let fileSystem = FaultyFileSystem(processID: Self.stoppedProcess)
    if renames == 0 {
      // Three backups, then the journal.
      fileSystem.crash(after: 4, of: .link)
    } else {
      fileSystem.crash(after: renames, of: .rename)
    }
    #expect(throws: FileTransactionError.self) {
      try scenario.transaction.commit(fileSystem: fileSystem, journal: scenario.journal, command: "sync")
    }
    #expect(fileSystem.crashed)
    #expect(FileManager.default.fileExists(atPath: scenario.journal))
    let warning = try #require(CommitRecovery.interruptedCommitReport(root: scenario.root))
    #expect(warning.findings.first?.message.contains("changed \(renames) of its 5 files") == true)

    let report = try #require(try CommitRecovery.recover(root: scenario.root))
    #expect(report.outcome == .finished)
    #expect(report.changes.count == 5 - renames)
    #expect(scenario.snapshot == expected, "\(scenario.snapshot)")
    #expect(scenario.snapshot.hiddenFiles.isEmpty)
    #expect(CommitRecovery.interruptedCommitReport(root: scenario.root) == nil)
    #expect(try CommitRecovery.recover(root: scenario.root) == nil)
  }

  @Test func aKilledCommitOfAProjectMovedSinceIsCompletedWhereItIsNow() throws {
    let expected = try Scenario.completed()
    let scenario = try Scenario()
    let moved = scenario.root.deletingLastPathComponent().appendingPathComponent("moved-\(UUID().uuidString)")
    defer {
      scenario.remove()
      try? FileManager.default.removeItem(at: moved)
    }
    let fileSystem = FaultyFileSystem(processID: Self.stoppedProcess)
    fileSystem.crash(after: 2, of: .rename)
    _ = try? scenario.transaction.commit(fileSystem: fileSystem, journal: scenario.journal, command: "sync")
    let journalText = try String(contentsOfFile: scenario.journal, encoding: .utf8)
    #expect(!journalText.contains(scenario.root.path))
    try FileManager.default.moveItem(at: scenario.root, to: moved)
    let report = try #require(try CommitRecovery.recover(root: moved))
    #expect(report.outcome == .finished)
    #expect(FolderSnapshot(moved) == expected, "\(FolderSnapshot(moved))")
  }

  @Test func theCommitOfAnotherRunningSlicelsIsLeftAlone() throws {
    let scenario = try Scenario()
    defer { scenario.remove() }
    let other = FaultyFileSystem(processID: 4242)
    other.crash(after: 1, of: .rename)
    _ = try? scenario.transaction.commit(fileSystem: other, journal: scenario.journal, command: "sync")
    let during = scenario.snapshot
    let fileSystem = FaultyFileSystem()
    fileSystem.markRunning(4242)
    #expect(CommitRecovery.interruptedCommitReport(root: scenario.root, fileSystem: fileSystem) == nil)
    let error = try #require(throws: CommitRecoveryError.self) {
      try CommitRecovery.recover(root: scenario.root, fileSystem: fileSystem)
    }
    #expect(error.description.contains("process 4242"))
    #expect(CommitFileNames.removeStale(in: [scenario.root.path], fileSystem: fileSystem).isEmpty)
    #expect(scenario.snapshot == during)
  }

  @Test func anUnreadableJournalStopsWritingCommandsAndIsReported() throws {
    let scenario = try Scenario()
    defer { scenario.remove() }
    try Data("{ not a journal".utf8).write(to: URL(fileURLWithPath: scenario.journal))
    #expect(throws: CommitRecoveryError.self) { try CommitRecovery.recover(root: scenario.root) }
    let warning = try #require(CommitRecovery.interruptedCommitReport(root: scenario.root))
    #expect(warning.findings.first?.message.contains("cannot be read") == true)
  }

  @Test func staleTemporaryFilesOfStoppedRunsAreRemoved() throws {
    let scenario = try Scenario()
    defer { scenario.remove() }
    let stopped = Self.stoppedProcess
    let stale = [".slicels-\(stopped)-0000abcd.tmp", ".slicels-\(stopped)-0000abcd.bak", ".office.yaml.slicels-\(stopped)-3.tmp"]
    let kept = [".slicels-4242-00000001.tmp", ".slicels-100-00000001.tmp", ".hidden.tmp", ".slicels-x-1.tmp", "office.slicels-\(stopped)-1.tmp"]
    for name in stale + kept { try scenario.write(name, "partial", mode: 0o600) }
    try FileManager.default.createDirectory(
      at: scenario.root.appendingPathComponent(".slicels-\(stopped)-0000abce.tmp"), withIntermediateDirectories: false)
    let fileSystem = FaultyFileSystem(processID: 100)
    fileSystem.markRunning(4242)
    let removed = CommitFileNames.removeStale(in: [scenario.root.path], fileSystem: fileSystem)
    #expect(Set(removed) == Set(stale.map(scenario.path)))
    for name in kept { #expect(FileManager.default.fileExists(atPath: scenario.path(name)), "\(name)") }
    #expect(CommitFileNames.owner(ofName: ".slicels-12-00c0ffee.tmp") == 12)
    #expect(CommitFileNames.owner(ofName: ".x.slicels-12-00c0ffee.bak") == nil)
  }

  @Test func aNameCloseToNameMaxCanBeReplaced() throws {
    let scenario = try Scenario()
    defer { scenario.remove() }
    let name = String(repeating: "n", count: 250) + ".json"
    try scenario.write(name, "old", mode: 0o600)
    try FileTransaction(steps: [
      .write(path: scenario.path(name), bytes: Array("new".utf8)),
      .write(path: scenario.path("x" + name.dropFirst()), bytes: Array("created".utf8)),
    ]).commit(journal: scenario.journal)
    #expect(try String(contentsOfFile: scenario.path(name), encoding: .utf8) == "new")
    #expect(scenario.snapshot.hiddenFiles.isEmpty)
  }

  @Test func aFailedWriteGivesTheOperatingSystemsReason() throws {
    let scenario = try Scenario()
    defer { scenario.remove() }
    let before = scenario.snapshot
    let fileSystem = FaultyFileSystem()
    fileSystem.fail(.create, nth: 2, code: ENOSPC)
    let error = try #require(throws: FileTransactionError.self) {
      try scenario.transaction.commit(fileSystem: fileSystem, journal: scenario.journal)
    }
    #expect(error.wroteNothing)
    #expect(error.description.contains(Self.noSpace))
    #expect(!error.description.contains("permissions?"))
    #expect(scenario.snapshot == before, "\(scenario.snapshot)")
  }

  @Test func aFileThisUserMayNotWriteIsRefusedBeforeAnythingIsWritten() throws {
    let scenario = try Scenario()
    defer { scenario.remove() }
    let before = scenario.snapshot
    let fileSystem = FaultyFileSystem()
    fileSystem.makeReadOnly(scenario.path("b.json"))
    let error = try #require(throws: FileTransactionError.self) {
      try scenario.transaction.commit(fileSystem: fileSystem, journal: scenario.journal)
    }
    #expect(error.wroteNothing)
    #expect(error.path == scenario.path("b.json"))
    #expect(error.reason.contains("read-only"))
    #expect(scenario.snapshot == before, "\(scenario.snapshot)")
  }

  @Test func rootReplacesAReadOnlyFileLikeTheReferenceAndKeepsItsMode() throws {
    guard getuid() == 0 else { return }  // access(W_OK) is true for root only
    let scenario = try Scenario()
    defer { scenario.remove() }
    try scenario.write("ro.json", "old", mode: 0o444)
    try FileTransaction(steps: [.write(path: scenario.path("ro.json"), bytes: Array("new".utf8))]).commit()
    #expect(scenario.snapshot.entries["ro.json"] == "file 444 new")
  }
}

@Suite("Commit safety of the embedded engine")
struct EngineCommitSafetyTests {
  /// Two edited sources after a sync: the next sync activates two new versions.
  func editedProject(_ name: String = #function) throws -> TemporaryProject {
    let project = try TemporaryProject.example(name)
    _ = try EmbeddedEngine.run(mode: .sync, root: project.root)
    let lab = try #require(project.read("files/vlans/lab.json"))
    try project.write("files/vlans/lab.json", lab.replacingOccurrences(of: "\"mtu\": 9000", with: "\"mtu\": 9001"))
    let database = try #require(project.read("files/fs/db01.json"))
    try project.write("files/fs/db01.json", database.replacingOccurrences(of: "max_connections = 100", with: "max_connections = 200"))
    return project
  }

  @Test func aFailedRenameLeavesTheProjectAsItWasAndSaysNothingWasWritten() throws {
    let project = try editedProject()
    defer { project.remove() }
    let before = FolderSnapshot(project.root)
    let fileSystem = FaultyFileSystem()
    fileSystem.fail(.rename, nth: 2, code: ENOSPC)
    let outcome = try EmbeddedEngine.run(mode: .sync, root: project.root, fileSystem: fileSystem)
    #expect(!outcome.succeeded)
    #expect(outcome.changes.isEmpty)
    #expect(outcome.problems.count == 1)
    #expect(outcome.problems.first?.hasPrefix("nothing was written") == true)
    #expect(FolderSnapshot(project.root) == before)
  }

  @Test func aFailedRollbackIsReportedAsChangesLeftAndUndoneByTheNextRun() throws {
    let project = try editedProject()
    defer { project.remove() }
    let before = FolderSnapshot(project.root)
    let fileSystem = FaultyFileSystem()
    fileSystem.fail(.rename, nth: 2, code: ENOSPC)
    // The first new version cannot be removed again.
    fileSystem.fail(.unlink, nth: 1, code: EROFS) { $0.contains("@v") && !$0.contains(".slicels-") }
    let outcome = try EmbeddedEngine.run(mode: .sync, root: project.root, fileSystem: fileSystem)
    #expect(!outcome.succeeded)
    #expect(outcome.changes.count == 1)
    #expect(outcome.changes.first?.kind == .created)
    let problem = try #require(outcome.problems.first)
    #expect(problem.hasPrefix("the commit failed midway"))
    #expect(!problem.contains("nothing was written"))
    #expect(problem.contains(String(cString: strerror(EROFS))))

    let next = try EmbeddedEngine.run(mode: .export, root: project.root)
    #expect(next.succeeded)
    #expect(next.notes.first?.hasPrefix("undid an interrupted sync") == true)
    #expect(FolderSnapshot(project.root) == before)
  }

  @Test func aKilledSyncIsCompletedByTheNextWritingCommand() throws {
    let reference = try editedProject()
    defer { reference.remove() }
    _ = try EmbeddedEngine.run(mode: .sync, root: reference.root)
    let completed = reference.state()

    let project = try editedProject()
    defer { project.remove() }
    let fileSystem = FaultyFileSystem(processID: CommitSafetyTests.stoppedProcess)
    fileSystem.crash(after: 1, of: .rename)
    _ = try EmbeddedEngine.run(mode: .sync, root: project.root, fileSystem: fileSystem)
    #expect(fileSystem.crashed)
    #expect(!treeDifferences(completed, project.state()).isEmpty)

    let next = try EmbeddedEngine.run(mode: .export, root: project.root)
    #expect(next.succeeded)
    #expect(next.recovery?.outcome == .finished)
    #expect(next.notes.first?.hasPrefix("completed an interrupted sync") == true)
    let differences = treeDifferences(completed, project.state())
    #expect(differences.isEmpty, "\(differences)")
    #expect(FolderSnapshot(project.root).hiddenFiles.filter { $0.contains("slicels") }.isEmpty)
  }

  @Test func aSliceNameOf235CharactersCanBeSynced() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let name = String(repeating: "l", count: 235)
    try project.write("files/vlans/\(name).json", try #require(project.read("files/vlans/lab.json")))
    let outcome = try EmbeddedEngine.run(mode: .sync, root: project.root)
    #expect(outcome.succeeded, "\(outcome.problems) \(outcome.failedFiles.map(\.findings))")
    #expect(project.read("git_ops/active/vlans/\(name)@v1.json") != nil)
  }

  @Test func aSyncRemovesTemporaryFilesThatKilledRunsLeft() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let stale = "git_ops/active/vlans/.lab@v3.json.slicels-\(Int32.max - 1)-7.tmp"
    try project.write(stale, "{}")
    let outcome = try EmbeddedEngine.run(mode: .sync, root: project.root)
    #expect(outcome.succeeded)
    #expect(project.read(stale) == nil)
    #expect(outcome.notes.contains { $0.hasPrefix("removed 1 temporary file") })
  }
}

@Suite("Commit targets")
struct CommitTargetTests {
  @Test func aSpecialFileIsNeverReplacedNorRead() throws {
    let scenario = try CommitSafetyTests.Scenario()
    defer { scenario.remove() }
    let fifo = scenario.path("fifo.json")
    #expect(mkfifo(fifo, 0o644) == 0)
    let before = scenario.snapshot
    let error = try #require(throws: FileTransactionError.self) {
      try FileTransaction(steps: [
        .write(path: scenario.path("a.json"), bytes: Array("new".utf8)), .write(path: fifo, bytes: Array("{}".utf8)),
      ]).commit(journal: scenario.journal)
    }
    #expect(error.path == fifo)
    #expect(error.wroteNothing)
    #expect(scenario.snapshot == before)
  }

  @Test func writesThroughAChainOfSymbolicLinks() throws {
    let scenario = try CommitSafetyTests.Scenario()
    defer { scenario.remove() }
    try FileManager.default.createSymbolicLink(atPath: scenario.path("middle.json"), withDestinationPath: "a.json")
    try FileManager.default.createSymbolicLink(atPath: scenario.path("first.json"), withDestinationPath: "middle.json")
    try FileTransaction(steps: [.write(path: scenario.path("first.json"), bytes: Array("new".utf8))]).commit()
    let snapshot = scenario.snapshot
    #expect(snapshot.entries["a.json"] == "file 640 new")
    #expect(snapshot.entries["first.json"] == "link -> middle.json")
    #expect(snapshot.entries["middle.json"] == "link -> a.json")
  }

  @Test func aCommitStartedMeanwhileByAnotherSlicelsWritesNothing() throws {
    let scenario = try CommitSafetyTests.Scenario()
    defer { scenario.remove() }
    try Data("{}".utf8).write(to: URL(fileURLWithPath: scenario.journal))
    let before = scenario.snapshot
    let error = try #require(throws: FileTransactionError.self) {
      try scenario.transaction.commit(journal: scenario.journal, command: "sync")
    }
    #expect(error.wroteNothing)
    #expect(error.reason.contains("another slicels"))
    #expect(scenario.snapshot == before)
  }
}
