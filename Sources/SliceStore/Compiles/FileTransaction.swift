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

/// Why the files could not be written; every file is as it was before.
public struct FileTransactionError: Error, Sendable, CustomStringConvertible {
  public var path: String
  public var reason: String
  public var description: String { "\(path): \(reason)" }
}

/// A set of file changes applied all together or not at all (as far as a file system allows):
/// every new content goes to a hidden temporary file next to its target first, and only when
/// all of them are written are they renamed over their targets; deletions come last. A failure
/// before the renames removes the temporary files and the folders made for them, so every file
/// stays as it was.
///
/// Writes that would not change a file's bytes are left out, so an unchanged file keeps its
/// modification time (editors and build tools do not see a change that is none).
public struct FileTransaction: Sendable {
  public enum Step: Sendable, Hashable {
    case createFolder(path: String)
    case write(path: String, bytes: [UInt8])
    case delete(path: String)
  }

  public private(set) var steps: [Step] = []

  public init(steps: [Step] = []) {
    self.steps = steps
  }

  public mutating func add(_ step: Step) { steps.append(step) }

  public var isEmpty: Bool { steps.isEmpty }

  /// The changes `commit` would make, without touching anything.
  public func pendingChanges(fileManager: FileManager = .default) -> [FileChange] {
    var changes: [FileChange] = []
    var folders: Set<String> = []
    for step in steps {
      switch step {
      case .createFolder(let path):
        if !isDirectory(path, fileManager) && folders.insert(path).inserted {
          changes.append(FileChange(path: path, kind: .createdFolder))
        }
      case .write(let path, let bytes):
        if let existing = fileManager.contents(atPath: path) {
          if [UInt8](existing) != bytes { changes.append(FileChange(path: path, kind: .modified)) }
        } else {
          changes.append(FileChange(path: path, kind: .created))
        }
      case .delete(let path):
        if fileManager.fileExists(atPath: path) { changes.append(FileChange(path: path, kind: .deleted)) }
      }
    }
    return changes
  }

  /// Applies the steps. Throws, leaving every file as it was, when a folder, a temporary file
  /// or a rename fails before any target changed.
  @discardableResult
  public func commit(fileManager: FileManager = .default) throws(FileTransactionError) -> [FileChange] {
    var changes: [FileChange] = []
    var createdFolders: [String] = []
    var temporaries: [(temporary: String, target: String, created: Bool)] = []

    func rollBack() {
      for entry in temporaries { try? fileManager.removeItem(atPath: entry.temporary) }
      for folder in createdFolders.reversed() { try? fileManager.removeItem(atPath: folder) }
    }

    // Folders first (the writes may need them), then every temporary file.
    var wanted: [String] = []
    for step in steps {
      if case .createFolder(let path) = step { wanted.append(path) }
    }
    for step in steps {
      if case .write(let path, _) = step { wanted.append((path as NSString).deletingLastPathComponent) }
    }
    for folder in wanted where !folder.isEmpty {
      do {
        try createFolder(folder, fileManager: fileManager, created: &createdFolders)
      } catch {
        rollBack()
        throw error
      }
    }
    for folder in createdFolders { changes.append(FileChange(path: folder, kind: .createdFolder)) }

    var counter = 0
    for step in steps {
      guard case .write(let path, let bytes) = step else { continue }
      let target = resolvedTarget(path)
      let existing = fileManager.contents(atPath: target)
      if let existing, [UInt8](existing) == bytes { continue }
      counter += 1
      let folder = (target as NSString).deletingLastPathComponent
      let name = (target as NSString).lastPathComponent
      // Hidden, so that a compile running meanwhile (which skips hidden files) never reads it.
      let temporary = (folder as NSString).appendingPathComponent(".\(name).slicels-\(getpid())-\(counter).tmp")
      var attributes: [FileAttributeKey: Any]?
      if existing != nil, let mode = try? fileManager.attributesOfItem(atPath: target)[.posixPermissions] {
        attributes = [.posixPermissions: mode]
      }
      guard fileManager.createFile(atPath: temporary, contents: Data(bytes), attributes: attributes) else {
        rollBack()
        throw FileTransactionError(path: path, reason: "cannot write \(temporary) (permissions? disk full?)")
      }
      temporaries.append((temporary, target, existing == nil))
    }

    // The point of no return: renames are atomic one by one.
    for (index, entry) in temporaries.enumerated() {
      if rename(entry.temporary, entry.target) != 0 {
        let reason = String(cString: strerror(errno))
        if index == 0 {
          rollBack()
          throw FileTransactionError(path: entry.target, reason: "cannot replace it: \(reason)")
        }
        // Some targets already changed: remove what is left and say which file stayed old.
        for rest in temporaries[index...] { try? fileManager.removeItem(atPath: rest.temporary) }
        throw FileTransactionError(
          path: entry.target,
          reason: "cannot replace it (\(reason)) after \(index) other file\(index == 1 ? "" : "s") changed; run the compile again")
      }
      changes.append(FileChange(path: entry.target, kind: entry.created ? .created : .modified))
    }

    for step in steps {
      guard case .delete(let path) = step else { continue }
      var isFolder: ObjCBool = false
      guard fileManager.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
      do {
        try fileManager.removeItem(atPath: path)
        changes.append(FileChange(path: path, kind: .deleted))
      } catch {
        throw FileTransactionError(path: path, reason: "cannot delete it: \(error.localizedDescription)")
      }
    }
    return changes
  }

  private func isDirectory(_ path: String, _ fileManager: FileManager) -> Bool {
    var isFolder: ObjCBool = false
    return fileManager.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
  }

  /// Like `mkdir -p`, remembering each folder it made (outermost first).
  private func createFolder(_ path: String, fileManager: FileManager, created: inout [String]) throws(FileTransactionError) {
    if isDirectory(path, fileManager) { return }
    if fileManager.fileExists(atPath: path) {
      throw FileTransactionError(path: path, reason: "is a file where a folder is needed")
    }
    let parent = (path as NSString).deletingLastPathComponent
    if !parent.isEmpty, parent != path { try createFolder(parent, fileManager: fileManager, created: &created) }
    do {
      try fileManager.createDirectory(atPath: path, withIntermediateDirectories: false)
      created.append(path)
    } catch {
      throw FileTransactionError(path: path, reason: "cannot create the folder: \(error.localizedDescription)")
    }
  }

  /// Python's `write_text` writes through a symbolic link; a rename would replace the link.
  private func resolvedTarget(_ path: String) -> String {
    guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return path }
    if destination.hasPrefix("/") { return destination }
    return ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(destination)
  }
}
