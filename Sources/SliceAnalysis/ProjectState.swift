import Foundation
import SliceSchema
import SliceStore
import SliceSyntax

/// One store as the incremental analysis keeps it between changes.
struct StoreState {
  var configuration: StoreConfiguration
  /// The usable schema (nil: none, unreadable, or not usable: slices are only syntax-checked).
  var schema: StoreSchema?
  var schemaKey: Int?
  /// Bumped whenever the schema changes: every read of the store's files depends on it.
  var schemaRevision: Int
  /// Findings at the schema file (and problems of the store as a whole), as loading gave them.
  var schemaFindings: [URL: [Finding]] = [:]
  var problems: [String] = []
  var folders: StoreFolders
  /// Whether `folders` is the whole listing. Until the first background step lists the store,
  /// only the slices of open files are indexed (`provisional`): an open file's first
  /// diagnostics need its own slice's files, not the thousands of others.
  var listed = false
  var provisional: NameSet = []
  var folderIssues: [URL: [Finding]] = [:]
  var slices: NameMap<SliceFiles> = [:]
  /// The slice of each file of the store's folders.
  var sliceOfFile: [URL: String] = [:]
  /// What each analysed file of the store reports, and the content it was read with. Closed
  /// files keep this record only: no text, no tree.
  var records: [URL: FileRecord] = [:]
}

struct FileRecord: Sendable {
  var contentKey: Int
  /// The content was an open buffer's: once the buffer is closed the disk's content counts.
  var fromBuffer: Bool
  var findings: [Finding]
}

/// The incremental analysis of one project: inputs (open buffers, what the disk said, the
/// configuration, the schemas, the folder listings) and the results derived from them, each
/// recomputed only when an input it depends on changed. A file's findings depend on its own
/// content and its store's schema; a slice's plan and hints on its source and active versions;
/// name clashes on the store's folder listing. Not thread-safe: `AnalysisHost` owns it.
final class ProjectState {
  let root: URL
  private let baseReader: FileReader
  private let maximumFileSize: Int?
  private let reads: ReadCache
  private let schemaDirectory: SchemaDirectory
  private(set) var compileHints: Bool
  private(set) var configuration: ProjectConfiguration
  private var configFindings: [URL: [Finding]] = [:]
  private(set) var stores: [StoreState] = []
  private var buffers: [URL: Buffer] = [:]
  /// Open files in no store: their findings (with `outside-store`) and their last analysis.
  private var outside: [URL: SliceFileAnalyzer.Read] = [:]
  private(set) var problems: [String] = []
  /// Slices waiting for analysis, in order, each once.
  private var pendingQueue: [SliceID] = []
  private var pendingHead = 0
  private var pending: Set<SliceID> = []
  /// Files whose findings changed since the last update handed them out, with their text when
  /// the analysis had it.
  private var changed: Set<URL> = []
  private var changedDocuments: [URL: TextDocument] = [:]
  /// The last analysis of each slice that has an open file: what editor queries read.
  private var openSlices: [SliceID: SliceResult] = [:]
  /// Plans kept for the slices of open files (early cut-off while typing).
  private var planMemos: [SliceID: PlanMemo] = [:]
  /// How many slice analyses ran, and how many reused their plan (for tests).
  private(set) var slicesAnalysed = 0
  private(set) var plansReused = 0
  /// How many times each open file was analysed (for tests: a query on an unchanged buffer
  /// analyses nothing).
  private(set) var openFileAnalyses: [URL: Int] = [:]
  /// What the last call replaced (reads, slice results, buffers): the host hands it to its
  /// `StaleResults` once the call's results are made, so that freeing a large file's previous
  /// tree is not on the path from an edit to its diagnostics.
  var stale: [any Sendable] = []

  init(
    root: URL, reader: FileReader, maximumFileSize: Int?, reads: ReadCache, schemas: SchemaDirectory, buffers: [URL: [UInt8]],
    compileHints: Bool
  ) {
    self.root = root.standardFile
    self.baseReader = reader
    self.maximumFileSize = maximumFileSize
    self.reads = reads
    self.schemaDirectory = schemas
    self.compileHints = compileHints
    for (url, bytes) in buffers { self.buffers[url.standardFile] = Buffer(bytes: bytes, key: Fingerprint.of(bytes)) }
    configuration = ProjectConfiguration.load(
      root: self.root, contents: self.buffers.mapValues(\.bytes), maximumFileSize: maximumFileSize, reader: reader)
    loadConfigurationFindings()
    loadStores()
  }

  var reader: FileReader { configuration.fileReader }
  /// A store not listed yet counts as one slice waiting (its listing is a background step).
  var remainingSlices: Int { pending.count + stores.filter { !$0.listed }.count }
  var totalSlices: Int { stores.reduce(0) { $0 + ($1.listed ? $1.slices.count : 1) } }
  var openFiles: [URL] { Array(buffers.keys) }

  // MARK: Loading

  private func loadConfigurationFindings() {
    var found: [URL: [Finding]] = [:]
    for fileFinding in configuration.findings {
      found[fileFinding.file.standardFile, default: []].append(fileFinding.finding)
    }
    for url in Set(found.keys).union(configFindings.keys) where found[url] != configFindings[url] { changed.insert(url) }
    configFindings = found
  }

  /// (Re)loads every store: schemas, listings; every slice waits for analysis.
  private func loadStores() {
    for store in stores {
      for url in store.records.keys { changed.insert(url) }
      for url in store.folderIssues.keys { changed.insert(url) }
      for url in store.schemaFindings.keys { changed.insert(url) }
    }
    stores = []
    stale.append(contentsOf: openSlices.values.map { $0 as any Sendable })
    stale.append(contentsOf: planMemos.values.map { $0 as any Sendable })
    openSlices = [:]
    planMemos = [:]
    pendingQueue = []
    pendingHead = 0
    pending = []
    for configuration in configuration.stores {
      var store = StoreState(
        configuration: configuration, schema: nil, schemaKey: nil, schemaRevision: 0,
        folders: StoreFolders.classify(sourceFolder: "", sourceListing: .missing, activeFolder: "", activeListing: .missing))
      loadSchema(&store)
      stores.append(store)
    }
    updateProblems()
    for url in buffers.keys { indexProvisionally(url) }
  }

  /// Indexes the slice of a file of a store not listed yet, from a listing narrowed to the
  /// slice's name (with every other slice indexed so far this way).
  private func indexProvisionally(_ url: URL) {
    let folder = url.deletingLastPathComponent().path
    for index in stores.indices where !stores[index].listed {
      let configuration = stores[index].configuration
      guard folder == configuration.sourceFolder.standardFile.path
        || folder == configuration.activeFolder.standardFile.path,
        let name = SliceFileName.parse(url.lastPathComponent)?.name, !stores[index].provisional.contains(name)
      else { continue }
      stores[index].provisional.insert(name)
      let names = stores[index].provisional
      rescanFolders(index, prefixes: names.map(\.text)) { file in
        names.contains { file.hasPrefix($0.text) } && SliceFileName.parse(file).map { names.contains($0.name) } == true
      }
    }
  }

  /// Loads the store's schema from the buffer or the disk, as `ProjectAnalysis` does. Returns
  /// whether the schema (or its absence) changed.
  @discardableResult
  private func loadSchema(_ store: inout StoreState) -> Bool {
    var problems: [String] = []
    var findings: [URL: [Finding]] = [:]
    var schema: StoreSchema?
    var key: Int?
    defer {
      for url in Set(findings.keys).union(store.schemaFindings.keys) where findings[url] != store.schemaFindings[url] {
        changed.insert(url)
      }
      store.schemaFindings = findings
      store.problems = problems + (schema.map { schema in schema.catalog.issues.map { "store '\(store.configuration.name)': \($0)" } } ?? [])
    }
    let configured = store.configuration
    guard let file = configured.schemaFile else {
      if let problem = configured.schemaProblem { problems.append(problem) }
      return replaceSchema(&store, with: nil, key: nil)
    }
    let url = file.standardFile
    let bytes: [UInt8]
    let read = buffers[url].map { FileReadFindings.checked($0.bytes, reader: reader) } ?? reader.read(url.path)
    switch read {
    case .success(let found):
      bytes = found
    case .failure(.notFound):
      problems.append(
        "store '\(configured.name)': the schema \(FindingReport.displayPath(url, relativeTo: root)) does not exist yet: an update compile of the real compiler writes it (`slicels update --engine inmanta`); until then its slices are only syntax-checked")
      return replaceSchema(&store, with: nil, key: nil)
    case .failure(let failure):
      findings[url, default: []].append(FileReadFindings.finding(failure, purpose: .schema))
      problems.append(
        "store '\(configured.name)': the schema \(FindingReport.displayPath(url, relativeTo: root)) cannot be read (\(failure)): its slices are only syntax-checked and no compile of the store runs")
      return replaceSchema(&store, with: nil, key: nil)
    }
    let loaded = StoreSchema.load(
      file: url, projectRoot: root, configuredKeys: configured.keys, modelOnly: configured.modelOnly, contents: bytes, reader: reader)
    if !loaded.findings.isEmpty { findings[url, default: []] += loaded.findings }
    key = Fingerprint.of(bytes)
    if !loaded.isUsable {
      problems.append("store '\(configured.name)': its schema does not load, so its slices are only syntax-checked")
      return replaceSchema(&store, with: nil, key: key.map { $0 &+ 1 })
    }
    schema = loaded
    return replaceSchema(&store, with: loaded, key: key)
  }

  private func replaceSchema(_ store: inout StoreState, with schema: StoreSchema?, key: Int?) -> Bool {
    store.schema = schema
    // A schema read again is a new schema even with the same bytes: a `$ref`'d file may differ.
    store.schemaKey = key
    store.schemaRevision += 1
    return true
  }

  /// Lists the store's folders again (unsaved new buffers count as files), re-indexes its
  /// slices, and queues the slices whose files came or went.
  private func rescanFolders(
    _ index: Int, prefixes: [String] = [], including include: ((String) -> Bool)? = nil, listed: StoreIndex? = nil
  ) {
    var store = stores[index]
    let scanned =
      listed
      ?? StoreIndex(
        include.map { SliceFileAnalyzer.scanFolders(store.configuration, unsaved: buffers.keys, including: $0, prefixes: prefixes) }
          ?? SliceFileAnalyzer.scanFolders(store.configuration, unsaved: buffers.keys, reader: reader))
    // The first whole listing queues every slice in order; later ones the changed slices first.
    let wasListed = store.listed
    if include == nil { store.listed = true }
    for url in Set(scanned.issues.keys).union(store.folderIssues.keys) where scanned.issues[url] != store.folderIssues[url] {
      changed.insert(url)
    }
    // Slices whose list of files changed, and files that left the store.
    for name in scanned.sortedNames {
      guard let files = scanned.slices[name],
        store.slices[name]?.sources != files.sources || store.slices[name]?.active != files.active
      else { continue }
      enqueue(SliceID(store: index, name: name), front: wasListed)
    }
    for (url, _) in store.records where scanned.sliceOfFile[url] == nil {
      store.records[url] = nil
      changed.insert(url)
    }
    for name in store.slices.keys where scanned.slices[name] == nil {
      if let gone = openSlices.removeValue(forKey: SliceID(store: index, name: name)) { stale.append(gone) }
    }
    store.folders = scanned.folders
    store.folderIssues = scanned.issues
    store.slices = scanned.slices
    store.sliceOfFile = scanned.sliceOfFile
    stores[index] = store
  }

  /// Publishes the stores' schemas for lock-free lookups (completion).
  private func publishSchemas() {
    var folders: [String: StoreSchema?] = [:]
    for store in stores {
      folders[store.configuration.sourceFolder.standardFile.path] = .some(store.schema)
      folders[store.configuration.activeFolder.standardFile.path] = .some(store.schema)
    }
    schemaDirectory.set(root: root.path, folders: folders, maximumFileSize: reader.maximumSize)
  }

  private func updateProblems() {
    publishSchemas()
    let now = stores.flatMap(\.problems)
    if now != problems {
      problems = now
      // Problems are told in every open document of the project.
      for url in buffers.keys { changed.insert(url) }
    }
  }

  private func enqueue(_ id: SliceID, front: Bool = false) {
    guard pending.insert(id).inserted else { return }
    if front, pendingHead > 0 {
      pendingHead -= 1
      pendingQueue[pendingHead] = id
    } else {
      pendingQueue.append(id)
    }
  }

  // MARK: Changes

  /// Takes the editor's buffers of this project (all of them: a buffer missing since the last
  /// call was closed) and the files changed on disk, and analyses at once what the open files
  /// depend on plus at most `foregroundLimit` other slices touched; the rest waits for
  /// `analyseBackground`.
  /// The files whose findings changed are kept until `takeUpdate` hands them out (an editor
  /// query may bring the state up to date before the diagnostics ask).
  func update(buffers newBuffers: [URL: [UInt8]], diskChanges: [URL], compileHints: Bool, foregroundLimit: Int = 200) {
    var touched = applyChanges(buffers: newBuffers, diskChanges: diskChanges)
    if reloadConfigurationIfTouched(touched) { touched = Touched() }
    if compileHints != self.compileHints {
      self.compileHints = compileHints
      for index in stores.indices {
        for name in stores[index].slices.keys.sorted(by: <) { enqueue(SliceID(store: index, name: name)) }
      }
    }
    for index in stores.indices where !touched.files.isEmpty {
      applyTouches(touched, toStore: index)
    }
    analyse(foregroundSlices(touched: touched.files, limit: foregroundLimit))
    analyseOutsideFiles(touched: touched.files)
    // An open document's findings go out with each of its versions (their places may move).
    for url in touched.files where buffers[url] != nil { changed.insert(url) }
  }

  /// The files an update touches.
  private struct Touched {
    /// Every file whose text changed: buffers edited, opened or closed, and files changed on disk.
    var files: Set<URL> = []
    var onDisk: Set<URL> = []
    var openedOrClosed: Set<URL> = []
  }

  /// Takes the new buffers and the files changed on disk in.
  private func applyChanges(buffers newBuffers: [URL: [UInt8]], diskChanges: [URL]) -> Touched {
    var touched = Touched()
    for (rawURL, bytes) in newBuffers {
      let url = rawURL.standardFile
      let key = Fingerprint.of(bytes)
      if buffers[url]?.key != key {
        if let previous = buffers.updateValue(Buffer(bytes: bytes, key: key), forKey: url) {
          stale.append(previous)
        } else {
          touched.openedOrClosed.insert(url)
        }
        touched.files.insert(url)
      }
    }
    let open = Set(newBuffers.keys.map(\.standardFile))
    for url in buffers.keys where !open.contains(url) {
      if let closed = buffers.removeValue(forKey: url) { stale.append(closed) }
      touched.files.insert(url)
      touched.openedOrClosed.insert(url)
      if let read = outside.removeValue(forKey: url) {
        stale.append(read)
        changed.insert(url)
      }
    }
    for rawURL in diskChanges {
      let url = rawURL.standardFile
      touched.files.insert(url)
      touched.onDisk.insert(url)
      if let read = reads.removeAll(path: url.path) { stale.append(read) }
    }
    return touched
  }

  /// Reloads the configuration when one of its files (or a folder re-scan that may hide one) is
  /// touched; true when the stores changed, which means every store anew.
  private func reloadConfigurationIfTouched(_ touched: Touched) -> Bool {
    let configFiles = [configuration.moduleConfigFile, configuration.ownConfigFile, root.appendingPathComponent("project.yml")]
      .map(\.standardFile)
    // A folder re-scan of the root or of files/ (a file watcher's overflow) may hide one too.
    let configFolders = [root, configuration.moduleConfigFile.deletingLastPathComponent().standardFile]
    if configFiles.contains(where: touched.files.contains) || configFolders.contains(where: touched.onDisk.contains) {
      let reloaded = ProjectConfiguration.load(
        root: root, contents: buffers.mapValues(\.bytes), maximumFileSize: maximumFileSize, reader: baseReader)
      let storesChanged = reloaded.stores != configuration.stores || reloaded.fileReader.maximumSize != reader.maximumSize
      configuration = reloaded
      loadConfigurationFindings()
      if storesChanged {
        loadStores()
        return true
      }
    }
    return false
  }

  /// What touched files mean for one store: its schema reloaded, its folders listed again, the
  /// slices of the files queued first.
  private func applyTouches(_ touched: Touched, toStore index: Int) {
    let store = stores[index]
    // The schema: its file, or (on disk) any file beside it a `$ref` may name.
    if let schemaFile = store.configuration.schemaFile?.standardFile {
      let schemaFolder = schemaFile.deletingLastPathComponent().path
      let schemaTouched =
        touched.files.contains(schemaFile)
        || touched.onDisk.contains { $0.path == schemaFolder || $0.deletingLastPathComponent().path == schemaFolder && $0.pathExtension == "json" }
      if schemaTouched {
        loadSchema(&stores[index])
        for name in stores[index].slices.keys.sorted(by: <) { enqueue(SliceID(store: index, name: name)) }
        updateProblems()
      }
    }
    // The listing: a file or folder that came or went (on disk, or a new unsaved buffer).
    let folders = [store.configuration.sourceFolder, store.configuration.activeFolder].map(\.standardFile.path)
    // (A store not listed yet is listed whole by the next background step.)
    let relisting = store.listed && touched.files.contains { url in
      if folders.contains(url.path) { return true }
      guard folders.contains(url.deletingLastPathComponent().path) else { return false }
      guard touched.onDisk.contains(url) || touched.openedOrClosed.contains(url) else { return false }
      // Listed or not, as it is now: on disk (any kind but a regular file is an issue) or an
      // unsaved buffer.
      let known = store.sliceOfFile[url] != nil || store.folderIssues[url] != nil
      var status = stat()
      let onDisk = lstat(url.path, &status) == 0
      let present = onDisk || buffers[url] != nil
      return known != present || (onDisk && (status.st_mode & S_IFMT) != S_IFREG)
    }
    if relisting { rescanFolders(index) }
    if !store.listed {
      for url in touched.files where buffers[url] != nil { indexProvisionally(url) }
    }
    for url in touched.files {
      if let name = stores[index].sliceOfFile[url] { enqueue(SliceID(store: index, name: name), front: true) }
    }
  }

  /// What must be analysed now: the slices of open files, then touched ones up to the limit.
  private func foregroundSlices(touched: Set<URL>, limit foregroundLimit: Int) -> [SliceID] {
    var foreground: [SliceID] = []
    var seen: Set<SliceID> = []
    for url in buffers.keys.sortedByPath(\.self) {
      guard let id = slice(of: url), pending.contains(id) || openSlices[id] == nil, seen.insert(id).inserted else { continue }
      foreground.append(id)
    }
    for url in touched.sortedByPath(\.self) where foreground.count < foregroundLimit + buffers.count {
      guard let id = slice(of: url), pending.contains(id), seen.insert(id).inserted else { continue }
      foreground.append(id)
    }
    return foreground
  }

  /// The next store to list whole, and what listing it needs (done off the host's actor, so
  /// that edits are analysed meanwhile: a folder of 20 000 entries takes a while).
  func nextListing() -> (store: Int, configuration: StoreConfiguration, unsaved: [URL], buffersKey: Int)? {
    guard let index = stores.firstIndex(where: { !$0.listed }) else { return nil }
    let unsaved = Array(buffers.keys)
    return (index, stores[index].configuration, unsaved, Self.key(of: unsaved))
  }

  /// Takes a store's whole listing made off the actor; dropped if the open buffers (which count
  /// as files) changed meanwhile: the next step lists again.
  func applyListing(store index: Int, listing: StoreIndex, buffersKey: Int) -> AnalysisUpdate {
    if stores.indices.contains(index), !stores[index].listed, Self.key(of: Array(buffers.keys)) == buffersKey {
      rescanFolders(index, listed: listing)
    }
    return takeUpdate()
  }

  private static func key(of urls: [URL]) -> Int {
    var hasher = Hasher()
    for path in urls.map(\.path).sorted() { hasher.combine(path) }
    return hasher.finalize()
  }

  /// Analyses up to `limit` waiting slices (the start-up's and a schema change's backlog).
  func analyseBackground(limit: Int) -> AnalysisUpdate {
    if let index = stores.firstIndex(where: { !$0.listed }) {
      rescanFolders(index)
      return takeUpdate()
    }
    var batch: [SliceID] = []
    while batch.count < limit, pendingHead < pendingQueue.count {
      let id = pendingQueue[pendingHead]
      pendingHead += 1
      if pending.contains(id) { batch.append(id) }
    }
    if pendingHead > 4096, pendingHead * 2 > pendingQueue.count {
      pendingQueue.removeFirst(pendingHead)
      pendingHead = 0
    }
    analyse(batch)
    return takeUpdate()
  }

  private func slice(of url: URL) -> SliceID? {
    for index in stores.indices {
      if let name = stores[index].sliceOfFile[url] { return SliceID(store: index, name: name) }
    }
    return nil
  }

  // MARK: Analysis

  private func job(_ id: SliceID) -> SliceJob? {
    let store = stores[id.store]
    guard let files = store.slices[id.name] else { return nil }
    var slicesBuffers: [URL: Buffer] = [:]
    var knownKeys: [URL: Int] = [:]
    for url in files.urls {
      if let buffer = buffers[url] { slicesBuffers[url] = buffer }
      if let record = store.records[url], !record.fromBuffer { knownKeys[url] = record.contentKey }
    }
    return SliceJob(
      id: id, files: files, store: store.configuration, projectRoot: root, schema: store.schema,
      schemaRevision: store.schemaRevision, buffers: slicesBuffers, knownKeys: knownKeys, reader: reader,
      compileHints: compileHints, planMemo: planMemos[id],
      cachesReads: files.urls.contains { buffers[$0] != nil })
  }

  /// Analyses slices on every core, a few at a time, then records what they gave. Between two
  /// groups it looks at the calling task: once cancelled (a newer edit is waiting), the slices
  /// not analysed yet go back to the front of the queue, to be picked up by the next call.
  private func analyse(_ ids: [SliceID]) {
    let reads = self.reads
    var next = 0
    while next < ids.count {
      if Task.isCancelled {
        for id in ids[next...].reversed() { requeueFirst(id) }
        return
      }
      let group = ids[next..<min(ids.count, next + Self.groupSize)]
      next = group.endIndex
      for id in group { pending.remove(id) }
      let jobs = group.compactMap(job)
      guard !jobs.isEmpty else { continue }
      let results = ResultSlots<SliceResult>(count: jobs.count)
      if jobs.count == 1 {
        results.set(0, jobs[0].run(reads: reads))
      } else {
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
          results.set(index, jobs[index].run(reads: reads))
        }
      }
      for result in results.values() { record(result) }
    }
  }

  /// Slices analysed between two looks at cancellation: enough to keep both cores busy.
  static let groupSize = 8

  private func requeueFirst(_ id: SliceID) {
    pending.remove(id)
    if pendingHead > 0 {
      pending.insert(id)
      pendingHead -= 1
      pendingQueue[pendingHead] = id
    } else {
      pending.insert(id)
      pendingQueue.insert(id, at: 0)
    }
  }

  private func record(_ result: SliceResult) {
    var result = result
    stale.append(contentsOf: result.evicted.map { $0 as any Sendable })
    result.evicted = []
    slicesAnalysed += 1
    if result.reusedPlan { plansReused += 1 }
    let id = result.id
    for file in result.files where buffers[file.url] != nil { openFileAnalyses[file.url, default: 0] += 1 }
    for file in result.files {
      let previous = stores[id.store].records[file.url]
      stores[id.store].records[file.url] = FileRecord(contentKey: file.contentKey, fromBuffer: buffers[file.url] != nil, findings: file.findings)
      let moved = previous?.contentKey != file.contentKey && !file.findings.isEmpty
      if previous?.findings != file.findings || moved || buffers[file.url] != nil || previous == nil {
        changed.insert(file.url)
        changedDocuments[file.url] = file.read.file.document
      }
    }
    let replaced: SliceResult?
    let replacedMemo: PlanMemo?
    if result.files.contains(where: { buffers[$0.url] != nil }) {
      replaced = openSlices.updateValue(result, forKey: id)
      if let memo = result.planMemo {
        replacedMemo = planMemos.updateValue(memo, forKey: id)
      } else {
        replacedMemo = planMemos.removeValue(forKey: id)
      }
    } else {
      replaced = openSlices.removeValue(forKey: id)
      replacedMemo = planMemos.removeValue(forKey: id)
    }
    if let replaced { stale.append(replaced) }
    if let replacedMemo { stale.append(replacedMemo) }
  }

  /// Open files in no store: read as slices without a schema, with a note.
  private func analyseOutsideFiles(touched: Set<URL>) {
    for (url, buffer) in buffers where slice(of: url) == nil {
      guard outside[url] == nil || touched.contains(url) else { continue }
      guard SliceFileAnalyzer.isAnalysedOutsideStores(url, configuration: configuration) else {
        outside[url] = nil
        continue
      }
      var read: SliceFileAnalyzer.Read
      switch FileReadFindings.checked(buffer.bytes, reader: reader) {
      case .success(let bytes):
        read = SliceFileAnalyzer.read(
          url, bytes: bytes, role: .outsideStores, format: SliceFormat(fileExtension: url.pathExtension), schema: nil,
          checkUnknown: false)
      case .failure(let failure):
        read = SliceFileAnalyzer.unread(url, failure: failure, role: .outsideStores)
      }
      read.file.findings.append(SliceFileAnalyzer.outsideStore(configuration: configuration))
      if let previous = outside.updateValue(read, forKey: url) { stale.append(previous) }
      changed.insert(url)
      changedDocuments[url] = read.file.document
    }
    for url in Array(outside.keys) where slice(of: url) != nil {
      if let read = outside.removeValue(forKey: url) { stale.append(read) }
    }
  }

  // MARK: Results

  /// Every finding of a file, in the order `ProjectAnalysis` gathers them, sorted alike.
  func findings(of url: URL) -> [Finding] {
    var found = configFindings[url] ?? []
    for store in stores {
      found += store.folderIssues[url] ?? []
      found += store.schemaFindings[url] ?? []
    }
    for store in stores {
      if let record = store.records[url] {
        found += record.findings
        break
      }
    }
    if let read = outside[url] { found += read.file.findings }
    return SliceFileAnalyzer.sorted(found)
  }

  /// Every file with findings now (the whole project's, for tests and `workspace/diagnostic`).
  func allFindings() -> [URL: [Finding]] {
    var urls = Set(configFindings.keys).union(outside.keys)
    for store in stores {
      urls.formUnion(store.folderIssues.keys)
      urls.formUnion(store.schemaFindings.keys)
      urls.formUnion(store.records.keys)
    }
    var result: [URL: [Finding]] = [:]
    for url in urls {
      let found = findings(of: url)
      if !found.isEmpty { result[url] = found }
    }
    return result
  }

  func takeUpdate() -> AnalysisUpdate {
    var files: [ReportedFile] = []
    for url in changed.sortedByPath(\.self) {
      let found = findings(of: url)
      let document =
        changedDocuments[url] ?? buffers[url].map { TextDocument(bytes: $0.bytes) }
        ?? (found.isEmpty ? TextDocument(bytes: []) : TextDocument(bytes: reader.contents(url.path) ?? []))
      files.append(ReportedFile(file: url, document: document, findings: found))
    }
    changed = []
    changedDocuments = [:]
    return AnalysisUpdate(files: files, problems: problems, remainingSlices: remainingSlices, totalSlices: totalSlices)
  }

  // MARK: Editor queries

  /// The schema of the store whose folders hold `url` (source or active), as last loaded: what
  /// completion needs, without analysing the buffer or its slice.
  func schema(of url: URL) -> StoreSchema? {
    let folder = url.standardFile.deletingLastPathComponent().path
    for store in stores
    where store.configuration.sourceFolder.standardFile.path == folder
      || store.configuration.activeFolder.standardFile.path == folder
    {
      return store.schema
    }
    return nil
  }

  /// What the editor queries need of `url` (an open buffer, or a closed file analysed now).
  func context(of url: URL) -> FileContext? {
    let url = url.standardFile
    indexProvisionally(url)
    if let read = outside[url] {
      return FileContext(
        file: url, role: .outsideStores, analysed: read.file, store: nil, sliceFiles: [:], configuration: configuration)
    }
    guard let id = slice(of: url) else { return nil }
    guard let job = job(id) else { return nil }
    var result: SliceResult
    if let open = openSlices[id], !pending.contains(id) {
      result = open
    } else {
      result = job.run(reads: reads)
      stale.append(contentsOf: result.evicted.map { $0 as any Sendable })
      result.evicted = []
    }
    if result.planDeferred {
      result = job.completingPlan(of: result)
      if openSlices[id] != nil, let replaced = openSlices.updateValue(result, forKey: id) { stale.append(replaced) }
    }
    guard let analysed = result.files.first(where: { $0.url == url }) else { return nil }
    let store = stores[id.store]
    let narrowed = StoreAnalysis(
      configuration: store.configuration, schema: store.schema, folders: store.folders,
      snapshot: StoreSnapshot(
        storeName: store.configuration.name, sources: result.sources,
        active: [id.name: result.active].filter { !$0.value.isEmpty }),
      failedSlices: result.failed ? NameSet(names: [id.name]) : [], plans: result.plan.map { [$0] } ?? [])
    var sliceFiles: [URL: SliceFileAnalysis] = [:]
    for file in result.files {
      var analysedFile = file.read.file
      analysedFile.findings = file.findings
      sliceFiles[file.url] = analysedFile
    }
    return FileContext(
      file: url, role: analysed.read.file.role, analysed: sliceFiles[url] ?? analysed.read.file, store: narrowed,
      sliceFiles: sliceFiles, configuration: configuration)
  }
}

/// A store's folders as listed, indexed by slice and by file: built off the host's actor for a
/// whole listing (tens of thousands of entries).
struct StoreIndex: Sendable {
  var folders: StoreFolders
  var issues: [URL: [Finding]] = [:]
  var slices: NameMap<SliceFiles> = [:]
  var sliceOfFile: [URL: String] = [:]
  var sortedNames: [String] = []

  init(_ folders: StoreFolders) {
    self.folders = folders
    for issue in folders.issues {
      issues[URL.standardFile(issue.path), default: []].append(issue.finding)
    }
    for entry in folders.sources {
      slices[entry.name, default: SliceFiles()].sources.append(entry)
      sliceOfFile[URL.standardFile(entry.path)] = entry.name
    }
    for entry in folders.active {
      slices[entry.name, default: SliceFiles()].active.append(entry)
      sliceOfFile[URL.standardFile(entry.path)] = entry.name
    }
    sortedNames = slices.keys.sorted(by: <)
  }
}
