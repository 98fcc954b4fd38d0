import Foundation
import SliceStore
import SliceSyntax

/// What one project analysis reads from a workspace snapshot: the project's open buffers (in
/// place of the disk) and the open files to analyse even outside the stores. Two snapshots
/// with the same key give the same analysis as long as the closed files did not change.
public struct ProjectAnalysisInput: Sendable {
  public struct Key: Hashable, Sendable {
    public var root: String
    /// The versions of the project's open files, by standardized path.
    public var versions: [String: Int]
    public var compileHints: Bool
  }

  public let root: URL
  public let contents: [URL: [UInt8]]
  public let openFiles: [URL]
  public let options: ProjectAnalysis.Options
  public let key: Key

  public init(root: URL, snapshot: WorkspaceSnapshot) {
    let root = root.standardizedFileURL
    let prefix = root.path + "/"
    var contents: [URL: [UInt8]] = [:]
    var versions: [String: Int] = [:]
    var openFiles: [URL] = []
    for document in snapshot.documents.values where document.isFile {
      let location = document.location.standardizedFileURL
      guard location.path.hasPrefix(prefix) else { continue }
      contents[location] = document.document.bytes
      versions[location.path] = document.version
      if document.projectRoot?.standardizedFileURL == root { openFiles.append(document.location) }
    }
    self.root = root
    self.contents = contents
    self.openFiles = openFiles.sorted { $0.path < $1.path }
    self.options = ProjectAnalysis.Options(compileHints: snapshot.settings.showHints, extraFiles: self.openFiles)
    self.key = Key(root: root.path, versions: versions, compileHints: snapshot.settings.showHints)
  }

  /// `fileReads` keeps what reading each file gave, so only changed files are read again.
  public func analyze(fileReads: AnalysisCache? = nil) -> ProjectAnalysis {
    ProjectAnalysis.analyze(root: root, contents: contents, options: options, cache: fileReads)
  }
}

/// The latest project analysis of each project, shared by the diagnostics and the editor
/// features, so that completion or hover on an unchanged workspace does not analyse again.
///
/// An entry is reused only for the same open-document versions. Changes to closed files (seen
/// through file events) reach the diagnostics source, which always analyses afresh and
/// replaces the entry (`refresh: true`); features asking meanwhile join that run.
public actor ProjectAnalysisCache {
  private var latest: [String: (key: ProjectAnalysisInput.Key, analysis: ProjectAnalysis)] = [:]
  private var running: [ProjectAnalysisInput.Key: Task<ProjectAnalysis, Never>] = [:]
  /// The engine's cache of file reads, shared by every analysis of this cache.
  private let fileReads = AnalysisCache()
  /// How many analyses this cache ran (tests check that unchanged workspaces reuse them).
  public private(set) var analysesRun = 0

  public init() {}

  /// The analysis for `input`: the cached one when its key matches and `refresh` is false, the
  /// running one for the same key, else a new one.
  public func analysis(for input: ProjectAnalysisInput, refresh: Bool = false) async -> ProjectAnalysis {
    let key = input.key
    if !refresh {
      if let entry = latest[key.root], entry.key == key { return entry.analysis }
      if let task = running[key] { return await task.value }
    }
    analysesRun += 1
    let fileReads = self.fileReads
    let task = Task.detached(priority: .userInitiated) { input.analyze(fileReads: fileReads) }
    running[key] = task
    let analysis = await task.value
    if running[key] == task { running[key] = nil }
    latest[key.root] = (key, analysis)
    return analysis
  }

  /// The analysis of the project at `root` for the documents of `snapshot`.
  public func analysis(root: URL, snapshot: WorkspaceSnapshot) async -> ProjectAnalysis {
    await analysis(for: ProjectAnalysisInput(root: root, snapshot: snapshot))
  }

  /// Forgets a project (its folder was removed).
  public func forget(root: URL) {
    latest[root.standardizedFileURL.path] = nil
  }
}
