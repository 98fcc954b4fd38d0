import Foundation
import SliceSyntax

/// What a writing command did about a commit that an earlier run left half done.
public struct CommitRecoveryReport: Sendable, CustomStringConvertible {
  public enum Outcome: Sendable, Hashable {
    /// The rest of its new contents were renamed into place.
    case finished
    /// Its old contents were put back (the journal asked for it, or finishing failed: why).
    case undone(reason: String?)
  }

  public var journal: String
  public var command: String
  public var processID: Int32
  public var started: String
  public var outcome: Outcome
  /// The files the recovery changed.
  public var changes: [FileChange]
  /// The hidden files of killed runs it removed from the folders the commit wrote to.
  public var removedTemporaries: [String] = []

  public var description: String {
    let what = "an interrupted \(command) (slicels process \(processID), started \(started))"
    let files = changes.filter { $0.kind != .createdFolder }.count
    switch outcome {
    case .finished:
      return "completed \(what): \(files) more file\(files == 1 ? "" : "s") changed as it planned"
    case .undone(let reason):
      let why = reason.map { " (completing it failed: \($0))" } ?? ""
      return "undid \(what)\(why): \(files) file\(files == 1 ? "" : "s") put back as \(files == 1 ? "it was" : "they were") before it"
    }
  }
}

/// Why a writing command cannot start: an interrupted commit is there that it cannot resolve.
public enum CommitRecoveryError: Error, Sendable, CustomStringConvertible {
  /// Another slicels is committing in this project right now.
  case inProgress(journal: String, processID: Int32, command: String)
  case unreadableJournal(journal: String, reason: String)
  /// Neither completing nor undoing the commit worked: where every file stands.
  case failed(journal: String, command: String, error: FileTransactionError)

  public var description: String {
    switch self {
    case .inProgress(let journal, let processID, let command):
      return
        "another slicels (process \(processID)) is running a \(command) in this project (\(journal)); run this command again when it has ended"
    case .unreadableJournal(let journal, let reason):
      return
        "an interrupted commit left \(journal), which cannot be read (\(reason)): check the files it lists (their new contents are in the hidden .slicels-*.tmp files next to them, the old ones in .slicels-*.bak), then remove it"
    case .failed(let journal, let command, let error):
      return "the interrupted \(command) recorded in \(journal) can be neither completed nor undone: \(error)"
    }
  }
}

/// Interrupted commits: the journal a killed commit leaves (see `FileTransaction`), completed by
/// the next writing command, reported by the read-only ones.
public enum CommitRecovery {
  /// Where the journal of a project's commits lives.
  public static func journalPath(root: URL) -> String { CommitJournal.path(root: root) }

  /// Completes an interrupted commit of the project, if there is one; nil when there is none.
  ///
  /// A journal exists only once every new content is complete and flushed to disk, so the
  /// commit is FINISHED rather than undone: the killed command had validated everything and
  /// asked for exactly this result, which a rerun would rebuild anyway; undoing would throw a
  /// complete result away. A journal marked for undo (its commit failed and was being put back)
  /// is undone, and a commit that cannot be finished (a rename fails again) is undone too.
  public static func recover(root: URL, fileSystem: any FileSystem = PosixFileSystem())
    throws(CommitRecoveryError) -> CommitRecoveryReport?
  {
    let path = journalPath(root: root)
    guard let journal = try pendingJournal(at: path, fileSystem: fileSystem) else { return nil }
    let replay = JournalReplay(fileSystem: fileSystem)
    var report = CommitRecoveryReport(
      journal: path, command: journal.command, processID: journal.processID, started: journal.started, outcome: .finished,
      changes: [])

    var undoing = journal
    var finishFailure: String?
    if journal.direction == .finish {
      let waiting = journal.entries.filter { replay.state(of: $0) == .asBefore }
      let failures = replay.finish(journal)
      if failures.isEmpty {
        replay.syncFolders(journal.folders)
        try? fileSystem.unlink(path)
        try? fileSystem.syncFolder((path as NSString).deletingLastPathComponent)
        replay.discardBackups(journal)
        report.changes = waiting.map { FileChange(path: $0.target, kind: changeKind($0.kind)) }
        report.removedTemporaries = removeLeftovers(of: journal, journalPath: path, fileSystem: fileSystem)
        return report
      }
      finishFailure = failures.map(\.error.description).joined(separator: "; ")
      undoing.direction = .undo
      do {
        try replay.rewrite(undoing, at: path)
      } catch {
        throw .failed(journal: path, command: journal.command, error: describe(journal, replay, reason: finishFailure ?? ""))
      }
    }
    let changed = undoing.entries.filter {
      if case .changed = replay.state(of: $0) { return true }
      return false
    }
    let failures = replay.undo(undoing)
    replay.syncFolders(undoing.folders)
    guard failures.isEmpty else {
      var error = describe(undoing, replay, reason: finishFailure ?? "undoing it failed")
      error.rollbackFailures = failures.map(\.error.description)
      throw .failed(journal: path, command: journal.command, error: error)
    }
    try? fileSystem.unlink(path)
    report.removedTemporaries = removeLeftovers(of: undoing, journalPath: path, fileSystem: fileSystem)
    report.outcome = .undone(reason: finishFailure)
    report.changes = changed.map { entry in
      FileChange(path: entry.target, kind: entry.kind == .create ? .deleted : (entry.kind == .delete ? .created : .modified))
    }
    return report
  }

  /// For read-only commands and the language server: a warning at the journal of an interrupted
  /// commit (nil when there is none, or when its slicels still runs). Never writes.
  public static func interruptedCommitReport(root: URL, fileSystem: any FileSystem = PosixFileSystem()) -> ReportedFile? {
    let path = journalPath(root: root)
    guard (try? fileSystem.status(path)) != nil else { return nil }
    let bytes = (try? fileSystem.contents(path)) ?? []
    let message: String
    do {
      guard let journal = try pendingJournal(at: path, fileSystem: fileSystem) else { return nil }
      let replay = JournalReplay(fileSystem: fileSystem)
      let total = journal.entries.count
      let waiting = journal.entries.filter { replay.state(of: $0) == .asBefore }.count
      let what = "an interrupted \(journal.command) (slicels process \(journal.processID), started \(journal.started))"
      switch journal.direction {
      case .finish:
        message =
          "\(what) changed \(total - waiting) of its \(total) files and stopped: the project is half written. The next update, sync, prune or export completes it (its new contents are complete)"
      case .undo:
        message =
          "\(what) failed and was being undone: \(total - waiting) of its \(total) files still changed. The next update, sync, prune or export puts them back"
      }
    } catch .inProgress {
      return nil
    } catch {
      message = error.description
    }
    return ReportedFile(
      file: URL(fileURLWithPath: path), document: TextDocument(bytes: bytes),
      findings: [Finding(range: 0..<0, severity: .warning, code: .interruptedCommit, message: message)])
  }

  /// The journal of an interrupted commit; nil when there is none.
  static func pendingJournal(at path: String, fileSystem: any FileSystem) throws(CommitRecoveryError) -> CommitJournal? {
    let bytes: [UInt8]
    do {
      guard try fileSystem.status(path) != nil else { return nil }
      bytes = try fileSystem.contents(path)
    } catch {
      throw .unreadableJournal(journal: path, reason: error.description)
    }
    let journal: CommitJournal
    do {
      journal = try CommitJournal.decode(bytes, at: path)
    } catch {
      throw .unreadableJournal(journal: path, reason: "not a slicels commit journal: \(error)")
    }
    // A journal of this very process is one of its own commits that failed to clean up.
    if journal.processID != fileSystem.processID && fileSystem.processIsRunning(journal.processID) {
      throw .inProgress(journal: path, processID: journal.processID, command: journal.command)
    }
    return journal
  }

  /// What the killed run left besides its journal (e.g. the journal's own temporary file).
  static func removeLeftovers(of journal: CommitJournal, journalPath: String, fileSystem: any FileSystem) -> [String] {
    CommitFileNames.removeStale(
      in: journal.folders + [(journalPath as NSString).deletingLastPathComponent], fileSystem: fileSystem)
  }

  static func changeKind(_ kind: CommitJournal.Entry.Kind) -> FileChange.Kind {
    switch kind {
    case .create: return .created
    case .replace: return .modified
    case .delete: return .deleted
    }
  }

  static func describe(_ journal: CommitJournal, _ replay: JournalReplay, reason: String) -> FileTransactionError {
    var error = FileTransactionError(path: journal.entries.first?.target ?? "?", reason: reason)
    for entry in journal.entries {
      switch replay.state(of: entry) {
      case .asBefore: error.unchanged.append(entry.target)
      case .changed(let kind): error.changesLeft.append(FileChange(path: entry.target, kind: kind))
      case .unknown(let why): error.unknown.append("\(entry.target) (\(why))")
      }
    }
    return error
  }
}
