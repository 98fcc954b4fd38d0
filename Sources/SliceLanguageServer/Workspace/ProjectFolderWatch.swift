import Foundation
import LanguageServerProtocol
import SliceStore

/// The server's own file watching, for clients that cannot watch files for it (no dynamic
/// registration of `workspace/didChangeWatchedFiles`, as in Neovim 0.7): without it a `git
/// checkout` or a `slicels sync` run from a shell would leave stale diagnostics until the next edit.
///
/// It watches, for every project of the open documents and of the workspace folders, the folders
/// whose files the analysis reads: the project root (`project.yml`, `slicels.yml`), `files/`
/// (`git-ops-config.yml`), each store's source and active folder, and the folders of the schemas.
/// What changes there goes the way `workspace/didChangeWatchedFiles` goes: to the workspace (a
/// project file that comes or goes moves documents between projects), then to the diagnostics,
/// debounced. The folders are derived again when a configuration file or a folder changes, and
/// when the open documents or workspace folders bring or take away a project.
actor ProjectFolderWatch {
  private let workspace: Workspace
  private let pipeline: DiagnosticsPipeline
  private let makeWatcher: @Sendable () -> FolderWatcher
  private var watcher: FolderWatcher?
  private var consumer: Task<Void, Never>?
  private var client: Client?
  /// The projects the watched folders were derived from.
  private var roots: [URL] = []
  private var droppedWarned = false
  private var announced = false
  private var stopped = false

  init(workspace: Workspace, pipeline: DiagnosticsPipeline, makeWatcher: @escaping @Sendable () -> FolderWatcher) {
    self.workspace = workspace
    self.pipeline = pipeline
    self.makeWatcher = makeWatcher
  }

  /// Starts watching (once), and derives the folders to watch.
  func start(client: Client) async {
    guard !stopped, watcher == nil else { return }
    let watcher = makeWatcher()
    self.watcher = watcher
    self.client = client
    consumer = Task { [weak self] in
      for await batch in watcher.changes {
        await self?.handle(batch)
      }
    }
    await refresh(force: true)
  }

  /// Derives the folders again when the projects changed (or always, with `force`).
  func refresh(force: Bool = false) async {
    guard !stopped, let watcher else { return }
    let snapshot = await workspace.snapshot()
    var roots = snapshot.projectRoots
    for folder in snapshot.folderLocations {
      if let root = ProjectLocator.projectRoot(containing: folder), !roots.contains(root) { roots.append(root) }
    }
    guard force || roots != self.roots else { return }
    self.roots = roots
    let contents = snapshot.unsavedContents
    var folders: [URL] = []
    for root in roots {
      folders += Self.folders(of: ProjectConfiguration.load(root: root, contents: contents))
    }
    let coverage = watcher.watch(folders)
    if !folders.isEmpty, !announced {
      announced = true
      client?.logMessage(
        "slicels watches the project folders itself: the client does not register file watchers"
          + (watcher.usesNotifications ? "" : " (polling every \(watcher.pollInterval))"),
        type: .log)
    }
    if !coverage.dropped.isEmpty, !droppedWarned {
      droppedWarned = true
      client?.logMessage(
        "slicels watches at most \(watcher.maximumFolders) folders; changes made outside the editor in "
          + "\(coverage.dropped.count) more (\(coverage.dropped[0].path)…) are seen at the next edit",
        type: .warning)
    }
  }

  func stop() async {
    stopped = true
    consumer?.cancel()
    consumer = nil
    await watcher?.stop()
    watcher = nil
  }

  private func handle(_ batch: [WorkspaceChange]) async {
    guard !stopped else { return }
    // A configuration file saved from the editor moves folders too.
    let movesFolders = batch.contains {
      $0.location.hasDirectoryPath || Self.configurationNames.contains($0.location.lastPathComponent)
    }
    // The analysis reads open documents from the editor, never from disk: the editor's own saves
    // would only analyse them again.
    let snapshot = await workspace.snapshot()
    let changes = batch.filter { snapshot.document(at: $0.location) == nil }
    if !changes.isEmpty {
      let events = changes.map { change in
        FileEvent(
          uri: FileURI.uri(forFileAt: change.location),
          type: change.kind == .created ? .created : change.kind == .deleted ? .deleted : .changed)
      }
      _ = await workspace.filesChanged(events)
      await pipeline.schedule(changes, debounced: true)
    }
    if movesFolders { await refresh(force: true) }
  }

  private static let configurationNames: Set<String> = [
    "project.yml", ProjectConfiguration.ownConfigPath, (ProjectConfiguration.moduleConfigPath as NSString).lastPathComponent,
  ]

  /// The folders whose files a project's analysis reads, each once.
  static func folders(of configuration: ProjectConfiguration) -> [URL] {
    var folders = [configuration.root, configuration.moduleConfigFile.deletingLastPathComponent()]
    for store in configuration.stores {
      folders.append(store.sourceFolder)
      folders.append(store.activeFolder)
      if let schema = store.schemaFile { folders.append(schema.deletingLastPathComponent()) }
    }
    var seen = Set<String>()
    return folders.map(\.standardizedFileURL).filter { seen.insert($0.path).inserted }
  }
}
