import Foundation
import Locking
import SliceSchema
import SliceSyntax

/// What the engine makes of a project: every slice file read, validated and placed in its
/// store, the version and merged view of every slice, and every finding at its place.
/// The CLI prints it, the language server publishes it; neither re-derives any of it.
public struct ProjectAnalysis: Sendable {
  /// How much of a store's files of one role (sources, active files) the analysis reads and keeps.
  public enum FileReading: Sendable, Hashable {
    /// Not read: the store rules (names, clashes) need only the folder listing.
    case skipped
    /// Read and checked on a worker, which then drops the tree, the validation and (for a file
    /// without findings) the document; nor is the slice's data kept (the store's snapshot has
    /// none of these files): what `check` needs, in memory that grows with the largest file.
    case findingsOnly
    /// The same, but the slice's data goes into the store's snapshot: what the merges of the
    /// compile modes need.
    case findingsAndData
    /// Read and kept whole: editors, update's preserving writer and the hints need the trees.
    case whole
  }

  public struct Options: Sendable {
    /// Add hints about what the next compile does (new version, purged elements).
    public var compileHints: Bool
    /// Files to analyse even when they are in no store (open documents, paths given to `check`).
    public var extraFiles: [URL]
    /// Compute each store's plans (next version, created/updated/purged elements): the
    /// compile modes do without them, and they cost a merge per slice.
    public var computePlans: Bool
    /// The largest file read (a command-line option): overrides slicels.yml's `limits`.
    public var maximumFileSize: Int?
    /// Reads every file; tests replace its opener to simulate what the system refuses.
    public var fileReader: FileReader
    /// What is read of the source files and of the active files. Plans need every file's
    /// slice data and hints every tree, so they raise these (see `init`).
    public var sourceFiles: FileReading
    public var activeFiles: FileReading
    /// The files the caller names (`check`'s paths): read even when their role is `.skipped`.
    public var shownFiles: (@Sendable (URL) -> Bool)?
    /// How many files are read at once (one worker per core by default; 1 reads in order on
    /// the calling thread).
    public var workers: Int

    public init(
      compileHints: Bool = true, extraFiles: [URL] = [], computePlans: Bool = true, maximumFileSize: Int? = nil,
      fileReader: FileReader = FileReader(), sourceFiles: FileReading = .whole, activeFiles: FileReading = .whole,
      shownFiles: (@Sendable (URL) -> Bool)? = nil, workers: Int = BoundedWorkQueue.defaultWorkerCount
    ) {
      self.compileHints = compileHints
      self.extraFiles = extraFiles
      self.computePlans = computePlans || compileHints
      self.maximumFileSize = maximumFileSize
      self.fileReader = fileReader
      self.shownFiles = shownFiles
      self.workers = workers
      let plans = self.computePlans
      func raised(_ reading: FileReading) -> FileReading {
        if compileHints { return .whole }
        if plans, reading == .skipped || reading == .findingsOnly { return .findingsAndData }
        return reading
      }
      self.sourceFiles = raised(sourceFiles)
      self.activeFiles = raised(activeFiles)
    }
  }

  public var root: URL
  public var configuration: ProjectConfiguration
  public var stores: [StoreAnalysis]
  /// Every slice file analysed, by standardized file URL.
  public var files: [URL: SliceFileAnalysis]
  /// Findings by file (slice files, configuration and schema files).
  public var findings: [URL: [Finding]]
  /// Problems that belong to no file (a store without a schema), said once.
  public var problems: [String]

  public func store(named name: String) -> StoreAnalysis? {
    stores.first { $0.configuration.name == name }
  }

  /// Reads and analyses the project at `root`, every file once (the CLI's batch analysis; the
  /// language server keeps an incremental one, `SliceAnalysis.AnalysisHost`, made of the same
  /// per-file and per-slice functions, `SliceFileAnalyzer`). `contents` overrides what is on
  /// disk for some files (an editor's unsaved buffers), by standardized file URL.
  public static func analyze(root: URL, contents: [URL: [UInt8]] = [:], options: Options = Options()) -> ProjectAnalysis {
    var builder = AnalysisBuilder(root: root.standardizedFileURL, contents: contents, options: options)
    return builder.run()
  }
}

/// One slice file, read and checked.
public struct SliceFileAnalysis: Sendable {
  public enum Role: Sendable, Hashable {
    case source(store: String)
    case active(store: String)
    /// A YAML/JSON file of the project in no store's folders.
    case outsideStores
  }

  public var file: URL
  public var role: Role
  public var document: TextDocument
  public var tree: SyntaxTree
  public var validation: SliceValidation?
  public var findings: [Finding]
  /// Why the file could not be read at all (its document is then empty, never a deleted slice).
  public var readFailure: FileReadFailure?
  /// What makes the reference's reading of this file fail, found while the tree was at hand.
  public var readErrors = ReadErrors()
  /// False once the batch analysis dropped the tree, the validation and (for a file without
  /// findings) the document (`FileReading.findingsOnly`, `.findingsAndData`): `tree` is then an
  /// empty placeholder.
  public internal(set) var keepsContents = true

  /// The error findings of a file the reference cannot read.
  public struct ReadErrors: Sendable {
    /// `SliceFile.read()`: syntax errors, a top level that is not a mapping, schema errors.
    public var validated: [Finding] = []
    /// `SliceFile.read_raw()` (prune): the same without the schema.
    public var raw: [Finding] = []
  }

  /// The file with only its findings and read errors left: what a batch compile or check needs
  /// once the file's slice data is taken. The document stays when findings need its positions.
  func droppingContents() -> SliceFileAnalysis {
    var file = self
    file.tree = SyntaxTree(format: tree.format, root: nil, findings: [], loads: false)
    file.validation = nil
    if findings.isEmpty { file.document = TextDocument(bytes: []) }
    file.keepsContents = false
    return file
  }

  /// The slice name, for files of a store.
  public var sliceName: String? { SliceFileName.parse(file.lastPathComponent)?.name }
}

/// One store: its schema, files, slices and what the next compiles make of them.
public struct StoreAnalysis: Sendable {
  public var configuration: StoreConfiguration
  public var schema: StoreSchema?
  public var folders: StoreFolders
  /// Every slice that could be read, as the reference reads it.
  public var snapshot: StoreSnapshot
  /// Slices whose files do not load or validate: the real compile fails on them.
  public var failedSlices: NameSet
  /// Per slice: the next version and each element created, updated, purged (schema needed).
  public var plans: [SlicePlan]

  public init(
    configuration: StoreConfiguration, schema: StoreSchema?, folders: StoreFolders, snapshot: StoreSnapshot,
    failedSlices: NameSet, plans: [SlicePlan]
  ) {
    self.configuration = configuration
    self.schema = schema
    self.folders = folders
    self.snapshot = snapshot
    self.failedSlices = failedSlices
    self.plans = plans
  }

  public var name: String { configuration.name }

  public func plan(for slice: String) -> SlicePlan? { plans.first { $0.name.isScalarExact(to: slice) } }
}

private struct AnalysisBuilder {
  let root: URL
  let contents: [URL: [UInt8]]
  let options: ProjectAnalysis.Options
  var files: [URL: SliceFileAnalysis] = [:]
  var findings: [URL: [Finding]] = [:]
  var problems: [String] = []
  /// The configuration's reader (with the project's size limit) once it is loaded.
  var reader: FileReader

  init(root: URL, contents: [URL: [UInt8]], options: ProjectAnalysis.Options) {
    self.root = root
    self.contents = contents
    self.options = options
    self.reader = options.fileReader
  }

  mutating func run() -> ProjectAnalysis {
    let configuration = ProjectConfiguration.load(
      root: root, contents: contents, maximumFileSize: options.maximumFileSize, reader: options.fileReader)
    reader = configuration.fileReader
    for fileFinding in configuration.findings {
      findings[fileFinding.file.standardizedFileURL, default: []].append(fileFinding.finding)
    }
    // Listing and classifying a store's folders is independent of the other stores': one
    // store per core (a large project's two stores listed at once).
    let storeConfigurations = configuration.stores
    let unsaved = Array(contents.keys)
    let scans = ResultSlots<StoreFolders>(count: storeConfigurations.count)
    let fileReader = reader
    BoundedWorkQueue.run(count: storeConfigurations.count) { index in
      scans.set(index, SliceFileAnalyzer.scanFolders(storeConfigurations[index], unsaved: unsaved, reader: fileReader))
    }
    var stores: [StoreAnalysis] = []
    for (store, folders) in zip(storeConfigurations, scans.values()) {
      stores.append(analyze(store, folders: folders))
    }
    for extra in options.extraFiles.map(\.standardizedFileURL) where files[extra] == nil && isSliceLike(extra) {
      analyzeOutsideFile(extra, configuration: configuration)
    }
    for (url, analysis) in files {
      findings[url, default: []] += analysis.findings
    }
    for url in findings.keys {
      findings[url] = SliceFileAnalyzer.sorted(findings[url] ?? [])
    }
    return ProjectAnalysis(
      root: root, configuration: configuration, stores: stores, files: files, findings: findings, problems: problems)
  }

  private func isSliceLike(_ url: URL) -> Bool {
    SliceFormat(fileExtension: url.pathExtension) != nil
  }

  /// An editor's buffer for the file, else the disk's bytes; either within the size limit.
  func bytes(of url: URL) -> Result<[UInt8], FileReadFailure> {
    if let override = contents[url.standardizedFileURL] { return FileReadFindings.checked(override, reader: reader) }
    return reader.read(url.path)
  }

  // MARK: Stores

  private mutating func analyze(_ store: StoreConfiguration, folders: StoreFolders) -> StoreAnalysis {
    for issue in folders.issues {
      findings[URL(fileURLWithPath: issue.path).standardizedFileURL, default: []].append(issue.finding)
    }

    let schema = loadSchema(store)
    var failed: NameSet = []
    var sources: [SourceSlice] = []
    var activeTrees: NameMap<(tree: SyntaxTree, version: Int)> = [:]
    var active: NameMap<[ActiveVersion]> = [:]

    // Reading files is independent work: spread it over the cores, then use the results in order.
    let sourceReads = readSliceFiles(
      folders.sources, format: { $0.format }, role: .source(store: store.name), reading: options.sourceFiles, schema: schema)
    let activeReads = readSliceFiles(
      folders.active, format: { $0.format ?? .json }, role: .active(store: store.name), reading: options.activeFiles,
      schema: schema)

    for (entry, read) in zip(folders.sources, sourceReads) {
      guard let (url, analysis) = read else { continue }
      if !analysis.loads {
        failed.insert(entry.name)
      } else if let attributes = analysis.attributes {
        sources.append(SourceSlice(name: entry.name, attributes: attributes, fileVersion: entry.fileName.version, path: entry.path, format: entry.format))
      }
      files[url] = analysis.file
    }
    for (entry, read) in zip(folders.active, activeReads) {
      guard let (url, analysis) = read else { continue }
      if let version = entry.fileName.version {
        if !analysis.loads {
          failed.insert(entry.name)
        } else if let attributes = analysis.attributes {
          active[entry.name, default: []].append(ActiveVersion(version: version, attributes: attributes, path: entry.path))
        }
        if analysis.file.keepsContents { activeTrees[entry.path] = (analysis.file.tree, version) }
      }
      var file = analysis.file
      if let override = contents[url], let disk = reader.contents(url.path), disk != override {
        file.findings.append(SliceFileAnalyzer.activeFileEdited(store: store, projectRoot: root))
      }
      files[url] = file
    }

    let snapshot = StoreSnapshot(storeName: store.name, sources: sources, active: active)
    var plans: [SlicePlan] = []
    if let schema, schema.isUsable {
      if options.computePlans {
        plans = snapshot.plan(catalog: schema.catalog).filter { !failed.contains($0.name) }
      }
      for issue in schema.catalog.issues {
        problems.append("store '\(store.name)': \(issue)")
      }
      for source in sources where options.compileHints {
        guard let path = source.path, let plan = plans.first(where: { $0.name.isScalarExact(to: source.name) }) else { continue }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        guard var file = files[url], let root = file.tree.root else { continue }
        file.findings += SliceFileAnalyzer.compileHints(
          plan, source: source.attributes, root: root, schema: schema, history: active[source.name] ?? [],
          activeTrees: activeTrees)
        files[url] = file
      }
    }
    return StoreAnalysis(
      configuration: store, schema: schema, folders: folders, snapshot: snapshot, failedSlices: failed, plans: plans)
  }

  private mutating func loadSchema(_ store: StoreConfiguration) -> StoreSchema? {
    guard let file = store.schemaFile else {
      if let problem = store.schemaProblem { problems.append(problem) }
      return nil
    }
    let url = file.standardizedFileURL
    let bytes: [UInt8]
    switch self.bytes(of: url) {
    case .success(let read):
      bytes = read
    case .failure(.notFound):
      problems.append(
        "store '\(store.name)': the schema \(FindingReport.displayPath(url, relativeTo: root)) does not exist yet: an update compile of the real compiler writes it (`slicels update --engine inmanta`); until then its slices are only syntax-checked")
      return nil
    case .failure(let failure):
      findings[url, default: []].append(FileReadFindings.finding(failure, purpose: .schema))
      problems.append(
        "store '\(store.name)': the schema \(FindingReport.displayPath(url, relativeTo: root)) cannot be read (\(failure)): its slices are only syntax-checked and no compile of the store runs")
      return nil
    }
    let schema = StoreSchema.load(
      file: url, projectRoot: root, configuredKeys: store.keys, modelOnly: store.modelOnly, contents: bytes, reader: reader)
    if !schema.findings.isEmpty {
      findings[url, default: []] += schema.findings
    }
    if !schema.isUsable {
      problems.append("store '\(store.name)': its schema does not load, so its slices are only syntax-checked")
      return nil
    }
    return schema
  }

  // MARK: Files

  /// What the analysis keeps of a file read by a worker: its analysis (without its tree unless
  /// the reading keeps it) and its read form, built on the worker when the reading needs it.
  /// Nothing here holds the tree once the worker is done (a deferred read form would).
  struct ReadResult: Sendable {
    var file: SliceFileAnalysis
    /// Whether the reference reads the file (`SliceFileAnalyzer.Read.hasAttributes`).
    var loads: Bool
    /// The read form; nil for a file read for its findings only, or one that does not load.
    var attributes: Value?
  }

  /// Reads a store's files of one role on every core, as `reading` says (a shown file is read
  /// even when its role is skipped); results in the order of `entries`, nil for a file not read.
  /// Each worker finishes its file, store findings included, before dropping what `reading`
  /// does not keep: at most one tree per core is alive at a time.
  private func readSliceFiles(
    _ entries: [SliceFileEntry], format: (SliceFileEntry) -> SliceFormat?, role: SliceFileAnalysis.Role,
    reading: ProjectAnalysis.FileReading, schema: StoreSchema?
  ) -> [(URL, ReadResult)?] {
    // A file's URL is built on the worker that reads it (standardising thousands of paths is
    // a visible share of a clean check); a skipped role builds one only to ask `shownFiles`.
    let jobs: [(index: Int, url: URL?, format: SliceFormat?)] = entries.enumerated().compactMap { index, entry in
      guard reading == .skipped else { return (index, nil, format(entry)) }
      guard let shownFiles = options.shownFiles else { return nil }
      let url = entry.url
      return shownFiles(url) ? (index, url, format(entry)) : nil
    }
    let results = ResultSlots<(URL, ReadResult)>(count: jobs.count)
    let isSource: Bool
    if case .source = role { isSource = true } else { isSource = false }
    let analyzer = self
    BoundedWorkQueue.run(count: jobs.count, workers: options.workers) { jobIndex in
      let job = jobs[jobIndex]
      let url = job.url ?? URL(fileURLWithPath: entries[job.index].path).standardizedFileURL
      let read = analyzer.readSliceFileContent(url, role: role, format: job.format, schema: schema, checkUnknown: isSource)
      results.set(
        jobIndex,
        (url, ReadResult(
          file: reading == .whole ? read.file : read.file.droppingContents(), loads: read.hasAttributes,
          attributes: reading == .findingsOnly ? nil : read.attributes)))
    }
    var ordered = [(URL, ReadResult)?](repeating: nil, count: entries.count)
    for (job, read) in zip(jobs, results.values()) { ordered[job.index] = read }
    return ordered
  }

  private func readSliceFileContent(
    _ url: URL, role: SliceFileAnalysis.Role, format: SliceFormat?, schema: StoreSchema?, checkUnknown: Bool
  ) -> SliceFileAnalyzer.Read {
    let bytes: [UInt8]
    switch self.bytes(of: url) {
    case .success(let read): bytes = read
    case .failure(let failure): return SliceFileAnalyzer.unread(url, failure: failure, role: role)
    }
    return SliceFileAnalyzer.read(url, bytes: bytes, role: role, format: format, schema: schema, checkUnknown: checkUnknown)
  }

  private mutating func analyzeOutsideFile(_ url: URL, configuration: ProjectConfiguration) {
    guard SliceFileAnalyzer.isAnalysedOutsideStores(url, configuration: configuration) else { return }
    var result = readSliceFileContent(url, role: .outsideStores, format: SliceFormat(fileExtension: url.pathExtension), schema: nil, checkUnknown: false)
    result.file.findings.append(SliceFileAnalyzer.outsideStore(configuration: configuration))
    files[url] = result.file
  }
}

/// Where editors point at the objects of a located tree.
public enum NodeLocator {
  /// Where to point at an object in an editor: its first key (a whole block would underline
  /// many lines), or the node itself when it is not a mapping.
  public static func anchor(of node: Node) -> ByteRange {
    if let first = node.entries?.first { return first.key.range.lowerBound..<first.value.range.upperBound }
    return node.range
  }
}

/// Slots for results computed concurrently, each written once by one thread (the batch
/// analysis reads a store's files on every core; the incremental one analyses slices so).
public final class ResultSlots<Element: Sendable>: Sendable {
  private let slots: Locked<[Element?]>

  public init(count: Int) {
    slots = Locked(Array(repeating: nil, count: count))
  }

  public func set(_ index: Int, _ value: Element) {
    slots.withLock { $0[index] = value }
  }

  /// The values set, in index order.
  public func values() -> [Element] {
    slots.withLock { $0.compactMap { $0 } }
  }
}
