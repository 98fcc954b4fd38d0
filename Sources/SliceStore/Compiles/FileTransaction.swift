import Foundation

/// What a compile did to one file.
public struct FileChange: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    case created
    case modified
    case deleted
    /// Written again with the same bytes (only its modification time changed).
    case rewritten
    /// A folder the compile created.
    case createdFolder
  }

  public var path: String
  public var kind: Kind

  public init(path: String, kind: Kind) {
    self.path = path
    self.kind = kind
  }
}

/// Why a commit failed, and where its files stand.
public struct FileTransactionError: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var reason: String
  /// The changes that stayed: the commit failed midway and putting some files back failed too.
  /// Empty (with `unknown`): every file is as it was.
  public var changesLeft: [FileChange] = []
  /// The commit's files that are as they were; listed when some are not.
  public var unchanged: [String] = []
  /// The commit's files whose state could not be read, with the reason.
  public var unknown: [String] = []
  /// The steps of the rollback that failed, with the operating system's reason.
  public var rollbackFailures: [String] = []
  /// The journal left for the next writing command to complete the commit or its undo.
  public var journal: String?
  /// Whether that journal has the commit completed (else undone).
  public var journalCompletesTheCommit = false

  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  init(_ error: FileSystemError) {
    self.init(path: error.path, reason: error.description)
  }

  /// Every file is as it was before the commit.
  public var wroteNothing: Bool { changesLeft.isEmpty && unknown.isEmpty }

  public var description: String {
    var text = reason.hasPrefix("cannot") && reason.contains(path) ? reason : "\(path): \(reason)"
    guard !wroteNothing else { return text }
    if !rollbackFailures.isEmpty {
      text += "; putting the files back failed too (\(rollbackFailures.joined(separator: "; ")))"
    }
    text += ". Changed: " + changesLeft.map { "\($0.path) (\($0.kind.rawValue))" }.joined(separator: ", ")
    if !unknown.isEmpty { text += ". Unknown: " + unknown.joined(separator: ", ") }
    text += ". As before: " + (unchanged.isEmpty ? "no other file" : unchanged.joined(separator: ", "))
    if let journal {
      let action = journalCompletesTheCommit ? "completes the commit" : "puts the changed files back"
      text += ". The next update, sync, prune or export \(action) (from \(journal))"
    }
    return text
  }
}

/// A set of file changes applied all together or not at all.
///
/// Every new content goes to a hidden temporary file next to its target first (mode and owner
/// of the file it replaces), and every file to replace or delete gets a hidden second name (a
/// hard link) that keeps its old content; then, with a journal of the plan flushed to disk,
/// the temporary files are renamed over their targets and the deletions made. A failure before
/// the first rename removes what was made, so every file stays as it was; a failure after it
/// puts every old content back from its second name, removes the created files and folders,
/// and, where even that fails, says exactly which files changed. A commit killed midway leaves
/// its journal, from which the next writing command completes it (see `CommitRecovery`).
///
/// Writes that would not change a file's bytes are left out, so an unchanged file keeps its
/// modification time (editors and build tools do not see a change that is none). A file this
/// user may not write (`access(W_OK)`, what Python's `write_text` needs) is refused before
/// anything is written, as the reference fails with PermissionError.
public struct FileTransaction: Sendable {
  public enum Step: Sendable, Hashable {
    case createFolder(path: String)
    case write(path: String, bytes: [UInt8])
    /// A write whose bytes wait in a spool (a streamed compile keeps no file's bytes in memory).
    case writeSpooled(path: String, content: SpooledBytes)
    case delete(path: String)

    /// The path and new bytes of a write (read back from the spool); nil for other steps.
    func written() throws(FileSystemError) -> (path: String, bytes: [UInt8])? {
      switch self {
      case .write(let path, let bytes): return (path, bytes)
      case .writeSpooled(let path, let content): return (path, try content.load(for: path))
      case .createFolder, .delete: return nil
      }
    }
  }

  public private(set) var steps: [Step] = []

  public init(steps: [Step] = []) {
    self.steps = steps
  }

  public mutating func add(_ step: Step) { steps.append(step) }

  public var isEmpty: Bool { steps.isEmpty }

  /// The changes `commit` would make, without touching anything.
  public func pendingChanges(fileSystem: any FileSystem = PosixFileSystem()) -> [FileChange] {
    var changes: [FileChange] = []
    var folders: Set<String> = []
    for step in steps {
      switch step {
      case .createFolder(let path):
        if (try? fileSystem.status(path))?.kind != .folder && folders.insert(path).inserted {
          changes.append(FileChange(path: path, kind: .createdFolder))
        }
      case .write(let path, _), .writeSpooled(let path, _):
        // Bytes the spool lost would fail the commit: never reported as no change.
        let bytes = try? step.written()?.bytes
        let target = (try? resolvedTarget(path, fileSystem)) ?? path
        if let status = try? fileSystem.status(target) {
          let sameSize = status.size.map { $0 == bytes?.count } ?? true
          if bytes == nil || !sameSize || (try? fileSystem.contents(target)) != bytes {
            changes.append(FileChange(path: path, kind: .modified))
          }
        } else {
          changes.append(FileChange(path: path, kind: .created))
        }
      case .delete(let path):
        if let status = try? fileSystem.status(path), status.kind != .folder {
          changes.append(FileChange(path: path, kind: .deleted))
        }
      }
    }
    return changes
  }

  /// Applies the steps (see the type's description) and returns what changed.
  ///
  /// - Parameters:
  ///   - journal: where to keep the plan while targets change (see `CommitRecovery`); nil for
  ///     none: a commit killed midway then leaves a partial result.
  ///   - command: the command named in the journal.
  @discardableResult
  public func commit(
    fileSystem: any FileSystem = PosixFileSystem(), journal journalPath: String? = nil, command: String = "commit"
  ) throws(FileTransactionError) -> [FileChange] {
    var run = CommitRun(fileSystem: fileSystem, journalPath: journalPath, command: command)
    return try run.commit(steps)
  }

  /// Python's `write_text` writes through symbolic links; a rename would replace the link.
  func resolvedTarget(_ path: String, _ fileSystem: any FileSystem) throws(FileSystemError) -> String {
    var current = path
    // As many links as the kernel follows before ELOOP.
    for _ in 0..<40 {
      guard try fileSystem.status(current)?.kind == .symbolicLink else { return current }
      let destination = try fileSystem.destinationOfLink(current)
      current = destination.hasPrefix("/") ? destination : StoreFolders.join((current as NSString).deletingLastPathComponent, destination)
    }
    throw FileSystemError(.readLink, path: path, code: ELOOP)
  }
}

/// One commit under way: what it made so far, to undo on failure.
struct CommitRun {
  let fileSystem: any FileSystem
  let journalPath: String?
  let command: String

  var entries: [CommitJournal.Entry] = []
  /// The new content of each entry (nil for deletions): spooled bytes stay in their spool
  /// until their temporary file is written.
  var contents: [FileTransaction.Step?] = []
  var createdFolders: [String] = []
  /// Hidden files made before the journal exists (new contents, backups, the journal's own).
  var madeFiles: [String] = []
  var journalFolderCreated = false

  init(fileSystem: any FileSystem, journalPath: String?, command: String) {
    self.fileSystem = fileSystem
    self.journalPath = journalPath
    self.command = command
  }

  mutating func commit(_ steps: [FileTransaction.Step]) throws(FileTransactionError) -> [FileChange] {
    try plan(steps)
    if entries.isEmpty && !needsFolders(steps) { return [] }
    do {
      try prepare(steps)
    } catch {
      discardPreparation()
      throw FileTransactionError(error)
    }
    let journal = CommitJournal(
      command: command, processID: fileSystem.processID, started: CommitJournal.now(), direction: .finish,
      entries: entries, createdFolders: createdFolders)
    if let journalPath {
      do {
        try writeJournal(journal, at: journalPath)
      } catch {
        discardPreparation()
        if error.code == EEXIST && error.path == journalPath {
          throw FileTransactionError(
            path: journalPath,
            reason: "another slicels started a commit in this project meanwhile (this is its journal); nothing was written: run the command again")
        }
        throw FileTransactionError(error)
      }
    }
    let replay = JournalReplay(fileSystem: fileSystem)
    // The point of no return: the targets change one by one.
    for entry in entries where entry.kind != .delete {
      guard let temporary = entry.temporary else { continue }
      do {
        try fileSystem.rename(temporary, to: entry.target)
      } catch {
        throw rollBack(journal, after: error, target: entry.target)
      }
    }
    for entry in entries where entry.kind == .delete {
      do {
        try fileSystem.unlink(entry.target)
      } catch {
        throw rollBack(journal, after: error, target: entry.target)
      }
    }
    replay.syncFolders(journal.folders)
    if let journalPath {
      // A commit whose journal outlives it is completed again by the next run: harmless.
      try? fileSystem.unlink(journalPath)
      let folder = (journalPath as NSString).deletingLastPathComponent
      try? fileSystem.syncFolder(folder)
      if journalFolderCreated { try? fileSystem.removeFolder(folder) }
    }
    replay.discardBackups(journal)

    var changes = createdFolders.map { FileChange(path: $0, kind: .createdFolder) }
    for entry in entries where entry.kind != .delete {
      changes.append(FileChange(path: entry.target, kind: entry.kind == .create ? .created : .modified))
    }
    for entry in entries where entry.kind == .delete {
      changes.append(FileChange(path: entry.target, kind: .deleted))
    }
    return changes
  }

  private func needsFolders(_ steps: [FileTransaction.Step]) -> Bool {
    steps.contains { step in
      if case .createFolder(let path) = step { return (try? fileSystem.status(path))?.kind != .folder }
      return false
    }
  }

  /// Which targets change, without touching anything; refuses files this user may not write.
  private mutating func plan(_ steps: [FileTransaction.Step]) throws(FileTransactionError) {
    var readOnly: [String] = []
    let transaction = FileTransaction(steps: steps)
    for step in steps {
      do {
        switch step {
        case .createFolder:
          break
        case .write, .writeSpooled:
          guard let (path, bytes) = try step.written() else { continue }
          let target = try transaction.resolvedTarget(path, fileSystem)
          guard let status = try fileSystem.status(target) else {
            entries.append(.init(kind: .create, target: target))
            contents.append(step)
            continue
          }
          if status.kind == .folder {
            throw FileTransactionError(path: path, reason: "is a folder where a file is to be written")
          }
          if status.kind == .other {
            // Reading a FIFO would block; replacing a device or socket is never what a compile means.
            throw FileTransactionError(path: path, reason: "is a special file (FIFO, socket or device) where a file is to be written")
          }
          // A file that cannot be read is not known to hold these bytes: it is replaced.
          if status.kind == .regular, status.size.map({ $0 == bytes.count }) ?? true,
            let existing = try? fileSystem.contents(target), existing == bytes
          {
            continue
          }
          if !fileSystem.isWritable(target) {
            readOnly.append(path)
            continue
          }
          entries.append(.init(kind: .replace, target: target))
          contents.append(step)
        case .delete(let path):
          guard let status = try fileSystem.status(path), status.kind != .folder else { continue }
          entries.append(.init(kind: .delete, target: path))
          contents.append(nil)
        }
      } catch let error as FileSystemError {
        throw FileTransactionError(error)
      } catch let error as FileTransactionError {
        throw error
      } catch {
        throw FileTransactionError(path: "?", reason: "\(error)")
      }
    }
    if let first = readOnly.first {
      let others = readOnly.count > 1 ? " (and \(readOnly.count - 1) more: \(readOnly.dropFirst().joined(separator: ", ")))" : ""
      throw FileTransactionError(
        path: first,
        reason:
          "the file is read-only for this user\(others); the reference fails with PermissionError too: make it writable (chmod u+w) or leave its slice out")
    }
  }

  /// Folders, new contents and backups, all flushed to disk; no target changes yet.
  private mutating func prepare(_ steps: [FileTransaction.Step]) throws(FileSystemError) {
    var wanted: [String] = []
    for step in steps {
      if case .createFolder(let path) = step { wanted.append(path) }
    }
    for entry in entries where entry.kind != .delete {
      wanted.append((entry.target as NSString).deletingLastPathComponent)
    }
    for folder in wanted where !folder.isEmpty {
      try createFolder(folder)
    }
    let processID = fileSystem.processID
    let fileSystem = self.fileSystem
    for index in entries.indices {
      let entry = entries[index]
      let folder = (entry.target as NSString).deletingLastPathComponent
      let existing = entry.kind == .create ? nil : try fileSystem.status(entry.target)
      if entry.kind != .create {
        let (backup, isCopy) = try makeBackup(of: entry.target, status: existing, in: folder, processID: processID)
        entries[index].backup = backup
        entries[index].backupIsCopy = isCopy
      }
      if let (_, bytes) = try contents[index]?.written() {
        let temporary = try createUnique(in: folder, processID: processID) { name throws(FileSystemError) in
          try fileSystem.createFile(name, bytes: bytes, like: existing)
        } named: { CommitFileNames.temporary(processID: $0) }
        entries[index].temporary = temporary
      }
    }
    var folders: [String] = []
    for entry in entries {
      let folder = (entry.target as NSString).deletingLastPathComponent
      if !folders.contains(folder) { folders.append(folder) }
    }
    for folder in folders { try fileSystem.syncFolder(folder) }
  }

  /// A second name that keeps a file's old content: a hard link, or a copy where the file
  /// system has none.
  private mutating func makeBackup(of target: String, status: FileStatus?, in folder: String, processID: Int32)
    throws(FileSystemError) -> (String, Bool)
  {
    let fileSystem = self.fileSystem
    do {
      let backup = try createUnique(in: folder, processID: processID) { name throws(FileSystemError) in
        try fileSystem.link(target, to: name)
      } named: { CommitFileNames.backup(processID: $0) }
      return (backup, false)
    } catch {
      let noHardLinks: Set<Int32> = [EPERM, EXDEV, ENOTSUP, EOPNOTSUPP, EMLINK, ENOSYS]
      guard error.operation == .link, noHardLinks.contains(error.code), status?.kind == .regular else { throw error }
      let bytes = try fileSystem.contents(target)
      let backup = try createUnique(in: folder, processID: processID) { name throws(FileSystemError) in
        try fileSystem.createFile(name, bytes: bytes, like: status)
      } named: { CommitFileNames.backup(processID: $0) }
      return (backup, true)
    }
  }

  /// Makes a hidden file under a fresh name (another name when one is taken) and remembers it.
  private mutating func createUnique(
    in folder: String, processID: Int32, make: (String) throws(FileSystemError) -> Void, named: (Int32) -> String
  ) throws(FileSystemError) -> String {
    var attempts = 0
    while true {
      let path = StoreFolders.join(folder, named(processID))
      do {
        try make(path)
        madeFiles.append(path)
        return path
      } catch {
        attempts += 1
        if error.code != EEXIST || attempts >= 16 { throw error }
      }
    }
  }

  /// Like `mkdir -p`, remembering each folder it made (outermost first).
  private mutating func createFolder(_ path: String) throws(FileSystemError) {
    if let status = try fileSystem.status(path) {
      if status.kind == .folder { return }
      if status.kind == .symbolicLink {
        let destination = try fileSystem.destinationOfLink(path)
        let resolved =
          destination.hasPrefix("/") ? destination : StoreFolders.join((path as NSString).deletingLastPathComponent, destination)
        if try fileSystem.status(resolved)?.kind == .folder { return }
      }
      throw FileSystemError(.makeFolder, path: path, code: EEXIST)
    }
    let parent = (path as NSString).deletingLastPathComponent
    if !parent.isEmpty, parent != path { try createFolder(parent) }
    try fileSystem.makeFolder(path)
    createdFolders.append(path)
  }

  /// Written under a hidden name, flushed, then linked to its place: it appears complete or not
  /// at all, and never replaces the journal of another commit under way.
  private mutating func writeJournal(_ journal: CommitJournal, at path: String) throws(FileSystemError) {
    let folder = (path as NSString).deletingLastPathComponent
    let fileSystem = self.fileSystem
    if try fileSystem.status(folder) == nil {
      try fileSystem.makeFolder(folder)
      journalFolderCreated = true
    }
    let temporary = try createUnique(in: folder, processID: journal.processID) { name throws(FileSystemError) in
      try fileSystem.createFile(name, bytes: journal.encoded(at: path), like: nil)
    } named: { CommitFileNames.temporary(processID: $0) }
    do {
      try fileSystem.link(temporary, to: path)
    } catch {
      guard error.code == EEXIST else { throw error }
      throw FileSystemError(.link, path: path, code: EEXIST)
    }
    try? fileSystem.unlink(temporary)
    madeFiles.removeAll { $0 == temporary }
    try fileSystem.syncFolder(folder)
  }

  /// Before the journal exists: nothing changed yet, only hidden files and new folders to remove.
  private func discardPreparation() {
    for path in madeFiles.reversed() { try? fileSystem.unlink(path) }
    for folder in createdFolders.reversed() { try? fileSystem.removeFolder(folder) }
    if journalFolderCreated, let journalPath {
      try? fileSystem.removeFolder((journalPath as NSString).deletingLastPathComponent)
    }
  }

  /// After the first target changed: marks the journal for an undo (so that an interruption
  /// now is undone by the next run, not completed), puts every old content back, and describes
  /// where every file stands when that fails.
  private func rollBack(_ journal: CommitJournal, after failure: FileSystemError, target: String) -> FileTransactionError {
    var error = FileTransactionError(path: target, reason: failure.description)
    let replay = JournalReplay(fileSystem: fileSystem)
    var undoing = journal
    undoing.direction = .undo
    if let journalPath {
      do {
        try replay.rewrite(undoing, at: journalPath)
      } catch {
        // The journal still says finish: leave the files for the next run to complete.
        return describe(
          error: failure, target: target, rollbackFailures: ["cannot mark the journal for undo: \(error)"], journal: journal)
      }
    }
    let failures = replay.undo(undoing)
    replay.syncFolders(journal.folders)
    guard failures.isEmpty else {
      return describe(
        error: failure, target: target, rollbackFailures: failures.map(\.error.description), journal: undoing)
    }
    if let journalPath {
      try? fileSystem.unlink(journalPath)
      let folder = (journalPath as NSString).deletingLastPathComponent
      if journalFolderCreated { try? fileSystem.removeFolder(folder) }
    }
    error.reason += " (every file is as it was: the commit was undone)"
    return error
  }

  private func describe(error failure: FileSystemError, target: String, rollbackFailures: [String], journal: CommitJournal)
    -> FileTransactionError
  {
    var error = FileTransactionError(path: target, reason: failure.description)
    error.rollbackFailures = rollbackFailures
    let replay = JournalReplay(fileSystem: fileSystem)
    for entry in journal.entries {
      switch replay.state(of: entry) {
      case .asBefore: error.unchanged.append(entry.target)
      case .changed(let kind): error.changesLeft.append(FileChange(path: entry.target, kind: kind))
      case .unknown(let reason): error.unknown.append("\(entry.target) (\(reason))")
      }
    }
    for folder in journal.createdFolders where (try? fileSystem.status(folder)) != nil {
      error.changesLeft.append(FileChange(path: folder, kind: .createdFolder))
    }
    if let journalPath, (try? fileSystem.status(journalPath)) != nil {
      error.journal = journalPath
      error.journalCompletesTheCommit = journal.direction == .finish
    }
    return error
  }
}
