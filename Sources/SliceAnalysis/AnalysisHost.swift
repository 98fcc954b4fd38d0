import Foundation
import Locking
import SliceSchema
import SliceStore
import SliceSyntax

/// The incremental analysis of every project the editor works in (rust-analyzer's
/// `AnalysisHost`, hand-rolled for slices): the inputs of each project — the editor's buffers,
/// what changed on disk, the settings — go in with `update`, and only what depends on a changed
/// input is analysed again: an edit re-reads the edited file and re-plans its slice; a file
/// created or deleted re-lists its folder; a schema change re-reads the store, in the background.
///
/// Every call runs to completion on the actor, so callers always see one consistent state;
/// long work (a project's start-up, a schema change) is cut into `analyseBackground` steps that
/// callers interleave with the editor's requests, and each step checks for cancellation.
public actor AnalysisHost {
  private var projects: [URL: ProjectState] = [:]
  private let reader: FileReader
  private let maximumFileSize: Int?
  private let reads: ReadCache
  /// A store's whole listing being made off the actor, by project.
  private struct Listing {
    var store: Int
    var buffersKey: Int
    var task: Task<StoreIndex, Never>
  }
  private var listings: [URL: Listing] = [:]
  /// Each store folder's schema, readable without the actor.
  private let schemas = SchemaDirectory()
  /// Where what a call replaced goes to be freed off the path to the diagnostics.
  public nonisolated let staleResults: StaleResults

  /// - Parameters:
  ///   - readCacheBytes: how much file text the cache of recent full reads holds (trees of
  ///     closed files are dropped beyond it).
  ///   - staleResults: frees what each call replaced (tests pass one whose drain they hold).
  public init(
    fileReader: FileReader = FileReader(), maximumFileSize: Int? = nil, readCacheBytes: Int = 8 << 20,
    staleResults: StaleResults = StaleResults()
  ) {
    self.reader = fileReader
    self.maximumFileSize = maximumFileSize
    self.reads = ReadCache(capacity: readCacheBytes)
    self.staleResults = staleResults
  }

  /// Brings the project at `root` up to date: `buffers` are all the editor's open files of the
  /// project (by file URL), `diskChanges` the files or folders changed on disk since the last
  /// call (a folder: list it again). Analyses the open files' slices and the touched ones;
  /// a project seen for the first time is listed, its other slices queued for the background.
  public func update(
    root: URL, buffers: [URL: [UInt8]], diskChanges: [URL] = [], compileHints: Bool
  ) -> AnalysisUpdate {
    let project = self.project(root)
    defer { staleResults.bury(&project.stale) }
    project.update(buffers: buffers, diskChanges: diskChanges, compileHints: compileHints)
    return project.takeUpdate()
  }

  private func project(_ root: URL) -> ProjectState {
    let key = root.standardFile
    if let project = projects[key] { return project }
    let project = ProjectState(
      root: key, reader: reader, maximumFileSize: maximumFileSize, reads: reads, schemas: schemas, buffers: [:],
      compileHints: false)
    projects[key] = project
    return project
  }

  /// Analyses up to `limit` slices still waiting in the project (nothing when none wait).
  public func analyseBackground(root: URL, limit: Int = 64) async -> AnalysisUpdate {
    let key = root.standardFile
    guard let project = projects[key] else { return AnalysisUpdate() }
    if let listing = project.nextListing() {
      // Listing a store stats every entry of its folders: done off the actor, which goes on
      // answering edits and queries meanwhile. A step cancelled while it waits (an edit is
      // queued) returns at once; the next step takes the same listing in.
      let running: Listing
      if let inFlight = listings[key], inFlight.store == listing.store, inFlight.buffersKey == listing.buffersKey {
        running = inFlight
      } else {
        running = Listing(
          store: listing.store, buffersKey: listing.buffersKey,
          task: Task.detached(priority: .utility) {
            StoreIndex(SliceFileAnalyzer.scanFolders(listing.configuration, unsaved: listing.unsaved))
          })
        listings[key] = running
      }
      guard let index = await valueUnlessCancelled(running.task) else {
        return AnalysisUpdate(remainingSlices: project.remainingSlices, totalSlices: project.totalSlices)
      }
      if listings[key]?.task == running.task { listings[key] = nil }
      guard projects[key] === project else { return AnalysisUpdate() }
      defer { staleResults.bury(&project.stale) }
      return project.applyListing(store: running.store, listing: index, buffersKey: running.buffersKey)
    }
    defer { staleResults.bury(&project.stale) }
    return project.analyseBackground(limit: limit)
  }

  /// What the editor queries need of a file of the project with these buffers: the file's own
  /// slice is analysed if it changed (never the rest of the project); a closed file's slice is
  /// analysed for the occasion. The findings that changed on the way wait for the next `update`.
  public func context(root: URL, file: URL, buffers: [URL: [UInt8]], compileHints: Bool) -> FileContext? {
    let project = self.project(root)
    defer { staleResults.bury(&project.stale) }
    project.update(buffers: buffers, diskChanges: [], compileHints: compileHints)
    return project.context(of: file)
  }

  /// The schema of the store a file belongs to (by its folder), as last loaded: completion
  /// needs nothing else of the project, so it never waits for an analysis of the buffer.
  /// Read without waiting for the actor (a background step may be running) once the project
  /// is known; the first call for a project loads it.
  public nonisolated func schema(root: URL, file: URL) async -> StoreSchema? {
    let folder = file.standardFile.deletingLastPathComponent().path
    if let known = schemas.schema(forFolder: folder, root: root.standardFile.path) { return known }
    return await loadedSchema(root: root, file: file)
  }

  private func loadedSchema(root: URL, file: URL) -> StoreSchema? {
    project(root).schema(of: file)
  }

  /// The largest file the project reads (its configuration's limit), without waiting for the
  /// actor once the project is known.
  public nonisolated func maximumFileSize(root: URL) async -> Int {
    if let known = schemas.maximumFileSize(root: root.standardFile.path) { return known }
    return await configuration(root: root)?.fileReader.maximumSize ?? FileReader.defaultMaximumSize
  }

  /// The project's configuration as last loaded.
  public func configuration(root: URL) -> ProjectConfiguration? {
    projects[root.standardFile]?.configuration
  }

  /// Every slice file of the project's stores by name, from the folder listings (see
  /// `ProjectState.sliceDirectory`); a project seen for the first time is loaded.
  public func sliceDirectory(root: URL) -> [SliceDirectoryEntry] {
    project(root).sliceDirectory()
  }

  /// Every finding of the project as it stands (tests compare it with the batch analysis).
  public func allFindings(root: URL) -> [URL: [Finding]] {
    projects[root.standardFile]?.allFindings() ?? [:]
  }

  /// The project's problems as last analysed.
  public func problems(root: URL) -> [String] {
    projects[root.standardFile]?.problems ?? []
  }

  /// Counters for tests: slice analyses run, plans reused by the early cut-off.
  public func statistics(root: URL) -> (slicesAnalysed: Int, plansReused: Int) {
    guard let project = projects[root.standardFile] else { return (0, 0) }
    return (project.slicesAnalysed, project.plansReused)
  }

  /// How many times an open file's slice was analysed (for tests).
  public func timesAnalysed(root: URL, file: URL) -> Int {
    projects[root.standardFile]?.openFileAnalyses[file.standardFile] ?? 0
  }

  /// Forgets a project (its folder left the workspace).
  public func forget(root: URL) {
    projects[root.standardFile] = nil
    schemas.forget(root: root.standardFile.path)
  }

  public var knownRoots: [URL] { projects.keys.sortedByPath(\.self) }
}

/// The schema of each store folder of the known projects, behind a lock: completion reads it
/// while the host analyses in the background.
final class SchemaDirectory: Sendable {
  private struct Tables {
    /// By project root, then by folder path (a store's source and active folders).
    var byRoot: [String: [String: StoreSchema?]] = [:]
    var maximumSizes: [String: Int] = [:]
  }

  private let tables = Locked(Tables())

  func maximumFileSize(root: String) -> Int? {
    tables.withLock { $0.maximumSizes[root] }
  }

  func schema(forFolder folder: String, root: String) -> StoreSchema?? {
    tables.withLock { $0.byRoot[root]?[folder] }
  }

  /// The whole table of one project (what its stores give now).
  func set(root: String, folders: [String: StoreSchema?], maximumFileSize: Int) {
    tables.withLock {
      $0.byRoot[root] = folders
      $0.maximumSizes[root] = maximumFileSize
    }
  }

  func forget(root: String) {
    tables.withLock {
      $0.byRoot[root] = nil
      $0.maximumSizes[root] = nil
    }
  }
}

/// The task's value, or nil as soon as the calling task is cancelled (the task goes on).
func valueUnlessCancelled<Value: Sendable>(_ task: Task<Value, Never>) async -> Value? {
  let gate = ResumeOnce<Value?>()
  return await withTaskCancellationHandler {
    await withCheckedContinuation { continuation in
      gate.install(continuation)
      Task { gate.resume(await task.value) }
    }
  } onCancel: {
    gate.resume(nil)
  }
}

/// A continuation resumed once, by whichever comes first (it may come before it is installed).
final class ResumeOnce<Value: Sendable>: Sendable {
  private struct Gate {
    var continuation: CheckedContinuation<Value, Never>?
    var early: Value??
    var done = false
  }

  private let gate = Locked(Gate())

  func install(_ continuation: CheckedContinuation<Value, Never>) {
    let ready: Value?? = gate.withLock { gate in
      if let early = gate.early {
        gate.done = true
        return .some(early)
      }
      gate.continuation = continuation
      return nil
    }
    if let ready, let value = ready { continuation.resume(returning: value) }
  }

  func resume(_ value: Value) {
    let waiting: CheckedContinuation<Value, Never>? = gate.withLock { gate in
      guard !gate.done else { return nil }
      guard let continuation = gate.continuation else {
        if gate.early == nil { gate.early = .some(value) }
        return nil
      }
      gate.done = true
      gate.continuation = nil
      return continuation
    }
    waiting?.resume(returning: value)
  }
}
