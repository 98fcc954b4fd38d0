import Foundation

/// The hidden files a commit makes next to its targets: `.slicels-<pid>-<random>.tmp` (a new
/// content) and `.slicels-<pid>-<random>.bak` (an old content kept until the commit is complete).
/// Their length does not depend on the target's name, so a target whose name is close to
/// NAME_MAX can still be replaced; the process id tells whether the slicels that made one still
/// runs (its files are left alone then).
public enum CommitFileNames {
  static let prefix = ".slicels-"
  static let temporarySuffix = ".tmp"
  static let backupSuffix = ".bak"

  static func temporary(processID: Int32) -> String {
    "\(prefix)\(processID)-\(randomTag())\(temporarySuffix)"
  }

  static func backup(processID: Int32) -> String {
    "\(prefix)\(processID)-\(randomTag())\(backupSuffix)"
  }

  static func randomTag() -> String {
    let text = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    return String(repeating: "0", count: 8 - text.count) + text
  }

  /// The process that made a commit file: for this version's names, and for the
  /// `.<target name>.slicels-<pid>-<n>.tmp` names of earlier versions. nil for any other name.
  public static func owner(ofName name: String) -> Int32? {
    guard name.hasPrefix("."), name.hasSuffix(temporarySuffix) || name.hasSuffix(backupSuffix) else { return nil }
    guard let marker = name.range(of: prefix, options: .backwards) else { return nil }
    if marker.lowerBound != name.startIndex {
      // An earlier version's name: the target's name, then `.slicels-`, only for `.tmp`.
      guard name.hasSuffix(temporarySuffix) else { return nil }
    }
    let rest = name[marker.upperBound...].dropLast(temporarySuffix.count)
    let parts = rest.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 2, let processID = Int32(parts[0]), processID > 0, !parts[1].isEmpty,
      parts[1].allSatisfy(\.isHexDigit)
    else { return nil }
    return processID
  }

  /// Removes the commit files that slicels processes which no longer run left in `folders`
  /// (a killed commit leaves them behind), and returns their paths. The files of a slicels
  /// that still runs, this process included, stay: they may belong to a commit under way.
  public static func removeStale(in folders: [String], fileSystem: any FileSystem) -> [String] {
    var removed: [String] = []
    var seen: Set<String> = []
    var liveness: [Int32: Bool] = [:]
    for folder in folders where seen.insert(folder).inserted {
      guard let names = try? fileSystem.folderEntries(folder) else { continue }
      // Only the few temporary names are sorted, not a store's every file name.
      for (name, owner) in names.compactMap({ name in owner(ofName: name).map { (name, $0) } }).sorted(by: { $0.0 < $1.0 }) {
        guard owner != fileSystem.processID else { continue }
        let running = liveness[owner] ?? fileSystem.processIsRunning(owner)
        liveness[owner] = running
        guard !running else { continue }
        let path = StoreFolders.join(folder, name)
        guard (try? fileSystem.status(path))?.kind == .regular else { continue }
        if (try? fileSystem.unlink(path)) != nil { removed.append(path) }
      }
    }
    return removed
  }
}

/// The plan of a commit under way, written (and flushed to disk) once every new content is
/// complete and flushed, before the first target changes. While it exists, the targets may be
/// half changed: the next writing command completes the commit from it (or undoes it, when
/// `direction` says so) before it reads anything.
struct CommitJournal: Codable, Sendable, Equatable {
  enum Direction: String, Codable, Sendable {
    /// Every new content is on disk: rename the rest of them into place.
    case finish
    /// A failure stopped the commit: put every old content back.
    case undo
  }

  struct Entry: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable {
      case create, replace, delete
    }

    var kind: Kind
    var target: String
    /// The new content (create and replace).
    var temporary: String?
    /// The old content (replace and delete): a hard link to the target, or a copy where the file
    /// system has no hard links.
    var backup: String?
    var backupIsCopy: Bool = false
  }

  var format = 1
  var command: String
  var processID: Int32
  var started: String
  var direction: Direction
  var entries: [Entry]
  /// Outermost first.
  var createdFolders: [String]

  static let fileName = ".slicels-commit.json"

  /// `<project>/git_ops/.slicels-commit.json`: one fixed place per project, so that every command
  /// finds it before it knows which stores it touches.
  static func path(root: URL) -> String {
    StoreFolders.join(StoreFolders.join(root.standardizedFileURL.path, "git_ops"), fileName)
  }

  /// The journal as written at `path`: paths inside the project (the folder above the
  /// journal's) relative to it, so that a project moved or mounted elsewhere still recovers.
  func encoded(at path: String) -> [UInt8] {
    let base = Self.projectFolder(ofJournal: path)
    let stored = mapPaths { Self.relative($0, to: base) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return ((try? encoder.encode(stored)).map { [UInt8]($0) } ?? []) + [10]
  }

  static func decode(_ bytes: [UInt8], at path: String) throws -> CommitJournal {
    let base = projectFolder(ofJournal: path)
    return try JSONDecoder().decode(CommitJournal.self, from: Data(bytes)).mapPaths { stored in
      stored.hasPrefix("/") ? stored : StoreFolders.join(base, stored)
    }
  }

  static func projectFolder(ofJournal path: String) -> String {
    ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
  }

  static func relative(_ path: String, to base: String) -> String {
    let prefix = base.hasSuffix("/") ? base : base + "/"
    guard path.hasPrefix(prefix), path.count > prefix.count else { return path }
    let rest = String(path.dropFirst(prefix.count))
    // Kept absolute where a relative form would not name the same file.
    return rest.split(separator: "/").contains("..") ? path : rest
  }

  func mapPaths(_ transform: (String) -> String) -> CommitJournal {
    var copy = self
    copy.entries = entries.map { entry in
      var entry = entry
      entry.target = transform(entry.target)
      entry.temporary = entry.temporary.map(transform)
      entry.backup = entry.backup.map(transform)
      return entry
    }
    copy.createdFolders = createdFolders.map(transform)
    return copy
  }

  static func now() -> String {
    ISO8601DateFormatter().string(from: Date())
  }

  /// The folders of its targets, its new contents and its backups.
  var folders: [String] {
    var folders: [String] = []
    for entry in entries {
      for path in [entry.target, entry.temporary, entry.backup].compactMap({ $0 }) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folders.contains(folder) { folders.append(folder) }
      }
    }
    return folders
  }
}

/// Where one target of a commit stands, read from the disk.
public enum CommitTargetState: Sendable, Hashable {
  case asBefore
  case changed(FileChange.Kind)
  case unknown(String)
}

/// Running a journal forwards or backwards, and telling where each target stands. Every step
/// looks at the disk first, so that running it again after an interruption is harmless.
struct JournalReplay {
  let fileSystem: any FileSystem

  typealias Failures = [(path: String, error: FileSystemError)]

  /// Renames every new content still waiting into place and deletes the targets to delete.
  func finish(_ journal: CommitJournal) -> Failures {
    var failures: Failures = []
    for entry in journal.entries where entry.kind != .delete {
      guard let temporary = entry.temporary else { continue }
      do {
        if try fileSystem.status(temporary) != nil { try fileSystem.rename(temporary, to: entry.target) }
      } catch {
        failures.append((entry.target, error))
      }
    }
    for entry in journal.entries where entry.kind == .delete {
      do {
        if try isOriginal(entry) { try fileSystem.unlink(entry.target) }
      } catch {
        failures.append((entry.target, error))
      }
    }
    return failures
  }

  /// Puts every old content back, removes the created files and folders and the new contents.
  func undo(_ journal: CommitJournal) -> Failures {
    var failures: Failures = []
    for entry in journal.entries.reversed() {
      do {
        switch entry.kind {
        case .replace, .delete:
          if let backup = entry.backup, let kept = try fileSystem.status(backup) {
            if entry.kind == .delete, let current = try fileSystem.status(entry.target) {
              // Not deleted yet: the backup is only a second name.
              if current.isSameFile(as: kept) || entry.backupIsCopy { try fileSystem.unlink(backup) }
            } else {
              try fileSystem.rename(backup, to: entry.target)
              // Renaming a name onto another name of the same file does nothing: drop it.
              if try fileSystem.status(backup) != nil { try fileSystem.unlink(backup) }
            }
          }
          if let temporary = entry.temporary, try fileSystem.status(temporary) != nil {
            try fileSystem.unlink(temporary)
          }
        case .create:
          if let temporary = entry.temporary, try fileSystem.status(temporary) != nil {
            try fileSystem.unlink(temporary)
          } else if try fileSystem.status(entry.target) != nil {
            try fileSystem.unlink(entry.target)
          }
        }
      } catch {
        failures.append((entry.target, error))
      }
    }
    for folder in journal.createdFolders.reversed() {
      do {
        if try fileSystem.status(folder) != nil { try fileSystem.removeFolder(folder) }
      } catch {
        failures.append((folder, error))
      }
    }
    return failures
  }

  /// Removes the old contents once nothing can need them; failures leave stale files that the
  /// next writing command removes.
  func discardBackups(_ journal: CommitJournal) {
    for backup in journal.entries.compactMap(\.backup) {
      if (try? fileSystem.status(backup)) != nil { try? fileSystem.unlink(backup) }
    }
  }

  /// Replaces a journal in one step (a hidden new one renamed over it), flushed to disk.
  func rewrite(_ journal: CommitJournal, at path: String) throws(FileSystemError) {
    let folder = (path as NSString).deletingLastPathComponent
    var attempts = 0
    while true {
      let temporary = StoreFolders.join(folder, CommitFileNames.temporary(processID: fileSystem.processID))
      do {
        try fileSystem.createFile(temporary, bytes: journal.encoded(at: path), like: nil)
      } catch {
        attempts += 1
        if error.code != EEXIST || attempts >= 16 { throw error }
        continue
      }
      do {
        try fileSystem.rename(temporary, to: path)
      } catch {
        try? fileSystem.unlink(temporary)
        throw error
      }
      try? fileSystem.syncFolder(folder)
      return
    }
  }

  func syncFolders(_ folders: [String]) {
    for folder in folders { try? fileSystem.syncFolder(folder) }
  }

  /// Whether a target to delete is still the file the commit meant to delete.
  func isOriginal(_ entry: CommitJournal.Entry) throws(FileSystemError) -> Bool {
    guard let current = try fileSystem.status(entry.target) else { return false }
    guard let backup = entry.backup, let kept = try fileSystem.status(backup) else { return false }
    if entry.backupIsCopy {
      guard current.kind == .regular else { return false }
      let now = try fileSystem.contents(entry.target)
      let before = try fileSystem.contents(backup)
      return now == before
    }
    return current.isSameFile(as: kept)
  }

  /// Where a target stands now.
  func state(of entry: CommitJournal.Entry) -> CommitTargetState {
    do {
      switch entry.kind {
      case .create:
        if let temporary = entry.temporary, try fileSystem.status(temporary) != nil { return .asBefore }
        return try fileSystem.status(entry.target) == nil ? .asBefore : .changed(.created)
      case .replace:
        if let temporary = entry.temporary, try fileSystem.status(temporary) != nil { return .asBefore }
        guard let backup = entry.backup, let kept = try fileSystem.status(backup) else {
          // Without its backup, the old content is either back in place or gone: the journal
          // only loses a backup by renaming it onto the target.
          return .asBefore
        }
        guard let current = try fileSystem.status(entry.target) else { return .changed(.deleted) }
        if entry.backupIsCopy {
          let now = try fileSystem.contents(entry.target)
          let before = try fileSystem.contents(backup)
          return now == before ? .asBefore : .changed(.modified)
        }
        return current.isSameFile(as: kept) ? .asBefore : .changed(.modified)
      case .delete:
        return try fileSystem.status(entry.target) == nil ? .changed(.deleted) : .asBefore
      }
    } catch {
      return .unknown(error.description)
    }
  }
}
