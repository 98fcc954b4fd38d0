import Foundation
import SliceStore

/// One slice file of a project's stores, as the folder listings name it (nothing is read).
public struct SliceDirectoryEntry: Sendable, Hashable {
  public var store: String
  public var slice: String
  public var role: SliceFileRole
  /// The version of an active file.
  public var version: Int?
  public var path: String

  public init(store: String, slice: String, role: SliceFileRole, version: Int?, path: String) {
    self.store = store
    self.slice = slice
    self.role = role
    self.version = version
    self.path = path
  }
}

extension ProjectState {
  /// Every slice file of every store, from the listings the analysis holds. A store whose
  /// whole listing is still waiting for its background step is listed now: directory entries
  /// only, no file content is read.
  func sliceDirectory() -> [SliceDirectoryEntry] {
    var entries: [SliceDirectoryEntry] = []
    for store in stores {
      let folders = store.listed ? store.folders : SliceFileAnalyzer.scanFolders(store.configuration, unsaved: openFiles)
      for entry in folders.sources + folders.active {
        entries.append(
          SliceDirectoryEntry(
            store: store.configuration.name, slice: entry.name, role: entry.role, version: entry.fileName.version,
            path: entry.path))
      }
    }
    return entries
  }
}
