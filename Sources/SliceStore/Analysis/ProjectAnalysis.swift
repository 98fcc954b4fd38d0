import Foundation
import SliceSchema
import SliceSyntax

/// What the engine makes of a project: every slice file read, validated and placed in its
/// store, the version and merged view of every slice, and every finding at its place.
/// The CLI prints it, the language server publishes it; neither re-derives any of it.
public struct ProjectAnalysis: Sendable {
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

    public init(
      compileHints: Bool = true, extraFiles: [URL] = [], computePlans: Bool = true, maximumFileSize: Int? = nil,
      fileReader: FileReader = FileReader()
    ) {
      self.compileHints = compileHints
      self.extraFiles = extraFiles
      self.computePlans = computePlans || compileHints
      self.maximumFileSize = maximumFileSize
      self.fileReader = fileReader
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

  /// Reads and analyses the project at `root`. `contents` overrides what is on disk for some
  /// files (an editor's unsaved buffers), by standardized file URL.
  /// `cache` keeps what reading files gave between analyses of the same project: only files
  /// whose content changed are read again.
  public static func analyze(
    root: URL, contents: [URL: [UInt8]] = [:], options: Options = Options(), cache: AnalysisCache? = nil
  ) -> ProjectAnalysis {
    var builder = AnalysisBuilder(root: root.standardizedFileURL, contents: contents, options: options, cache: cache)
    let analysis = builder.run()
    cache?.retain(paths: builder.touched, under: root)
    return analysis
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
  public var failedSlices: Set<String>
  /// Per slice: the next version and each element created, updated, purged (schema needed).
  public var plans: [SlicePlan]

  public var name: String { configuration.name }

  public func plan(for slice: String) -> SlicePlan? { plans.first { $0.name == slice } }
}

private struct AnalysisBuilder {
  let root: URL
  let contents: [URL: [UInt8]]
  let options: ProjectAnalysis.Options
  let cache: AnalysisCache?
  /// The schema and slice files read, by path (what the cache keeps).
  var touched: Set<String> = []
  /// The cache's id of each store's schema, by schema path.
  var schemaIDs: [String: Int] = [:]
  var files: [URL: SliceFileAnalysis] = [:]
  var findings: [URL: [Finding]] = [:]
  var problems: [String] = []
  /// The configuration's reader (with the project's size limit) once it is loaded.
  var reader: FileReader

  init(root: URL, contents: [URL: [UInt8]], options: ProjectAnalysis.Options, cache: AnalysisCache?) {
    self.root = root
    self.contents = contents
    self.options = options
    self.cache = cache
    self.reader = options.fileReader
  }

  mutating func run() -> ProjectAnalysis {
    let configuration = ProjectConfiguration.load(
      root: root, contents: contents, maximumFileSize: options.maximumFileSize, reader: options.fileReader)
    reader = configuration.fileReader
    for fileFinding in configuration.findings {
      findings[fileFinding.file.standardizedFileURL, default: []].append(fileFinding.finding)
    }
    var stores: [StoreAnalysis] = []
    for store in configuration.stores {
      stores.append(analyze(store))
    }
    for extra in options.extraFiles.map(\.standardizedFileURL) where files[extra] == nil && isSliceLike(extra) {
      analyzeOutsideFile(extra, configuration: configuration)
    }
    for (url, analysis) in files {
      findings[url, default: []] += analysis.findings
    }
    for url in findings.keys {
      findings[url]?.sort { ($0.range.lowerBound, $0.severity) < ($1.range.lowerBound, $1.severity) }
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

  private mutating func analyze(_ store: StoreConfiguration) -> StoreAnalysis {
    let folders = scanFolders(store)
    for issue in folders.issues {
      findings[URL(fileURLWithPath: issue.path).standardizedFileURL, default: []].append(issue.finding)
    }

    let schema = loadSchema(store)
    var failed: Set<String> = []
    var sources: [SourceSlice] = []
    var activeTrees: [String: (tree: SyntaxTree, version: Int)] = [:]
    var active: [String: [ActiveVersion]] = [:]

    // Reading files is independent work: spread it over the cores, then use the results in order.
    let sourceURLs = folders.sources.map { URL(fileURLWithPath: $0.path).standardizedFileURL }
    let activeURLs = folders.active.map { URL(fileURLWithPath: $0.path).standardizedFileURL }
    let sourceReads = readSliceFiles(
      sourceURLs, formats: folders.sources.map(\.format), role: .source(store: store.name), schema: schema, checkUnknown: true)
    let activeReads = readSliceFiles(
      activeURLs, formats: folders.active.map { $0.format ?? .json }, role: .active(store: store.name), schema: schema,
      checkUnknown: false)

    for (index, entry) in folders.sources.enumerated() {
      let url = sourceURLs[index]
      let analysis = sourceReads[index]
      switch analysis.attributes {
      case .some(let attributes):
        sources.append(SourceSlice(name: entry.name, attributes: attributes, fileVersion: entry.fileName.version, path: entry.path, format: entry.format))
      case .none:
        failed.insert(entry.name)
      }
      files[url] = analysis.file
    }
    for (index, entry) in folders.active.enumerated() {
      let url = activeURLs[index]
      let analysis = activeReads[index]
      if let version = entry.fileName.version {
        if let attributes = analysis.attributes {
          active[entry.name, default: []].append(ActiveVersion(version: version, attributes: attributes, path: entry.path))
        } else {
          failed.insert(entry.name)
        }
        activeTrees[entry.path] = (analysis.file.tree, version)
      }
      var file = analysis.file
      if let override = contents[url], let disk = reader.contents(url.path), disk != override {
        file.findings.append(
          Finding(
            range: 0..<0, severity: .warning, code: "active-file-edited",
            message: "files of the active store are written by sync and read by export: this edit will be overwritten; edit the source slice in \(FindingReport.displayPath(store.sourceFolder, relativeTo: root))/ instead"))
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
      for source in sources {
        guard let path = source.path else { continue }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        guard var file = files[url], let root = file.tree.root else { continue }
        file.findings += identityCollisionFindings(source.attributes, root: root, schema: schema)
        if options.compileHints, let plan = plans.first(where: { $0.name == source.name }) {
          file.findings += compileHints(
            plan, source: source.attributes, root: root, schema: schema, history: active[source.name] ?? [],
            activeTrees: activeTrees)
        }
        files[url] = file
      }
    }
    return StoreAnalysis(
      configuration: store, schema: schema, folders: folders, snapshot: snapshot, failedSlices: failed, plans: plans)
  }

  /// Lists the store's folders like `StoreFolders.scan`, counting the editor's unsaved new files
  /// as present: a new buffer in the source folder is a source slice (and may clash).
  private func scanFolders(_ store: StoreConfiguration) -> StoreFolders {
    func listing(_ folder: URL) -> FolderListing {
      let listing = StoreFolders.list(folder: folder.path)
      let unsaved = contents.keys.filter { $0.deletingLastPathComponent().path == folder.standardizedFileURL.path }
      guard !unsaved.isEmpty else { return listing }
      var entries: [FolderEntry]
      switch listing {
      case .unusable: return listing
      case .missing: entries = []
      case .entries(let found): entries = found
      }
      for url in unsaved where !entries.contains(where: { $0.name == url.lastPathComponent }) {
        entries.append(FolderEntry(name: url.lastPathComponent, kind: .file))
      }
      return .entries(entries)
    }
    var folders = StoreFolders.classify(
      sourceFolder: store.sourceFolder.path, sourceListing: listing(store.sourceFolder),
      activeFolder: store.activeFolder.path, activeListing: listing(store.activeFolder))
    // An unsaved buffer in a missing folder does not create the folder.
    folders.sourceFolderExists = FileManager.default.fileExists(atPath: store.sourceFolder.path)
    folders.activeFolderExists = FileManager.default.fileExists(atPath: store.activeFolder.path)
    return folders
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
    let projectRoot = root
    let schemaReader = reader
    let load = {
      StoreSchema.load(
        file: url, projectRoot: projectRoot, configuredKeys: store.keys, modelOnly: store.modelOnly, contents: bytes,
        reader: schemaReader)
    }
    let schema: StoreSchema
    if let cache {
      touched.insert(url.path)
      let key = AnalysisCache.fingerprint(bytes, "\(store.keys)|\(store.modelOnly)")
      let cached = cache.schema(path: url.path, key: key, load: load)
      schema = cached.schema
      schemaIDs[url.path] = cached.id
    } else {
      schema = load()
    }
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

  struct ReadResult {
    var file: SliceFileAnalysis
    /// The slice as the reference reads it; nil when the reference would fail on the file.
    var attributes: Value?
  }

  /// Reads files on every core; results in the order of `urls`.
  private mutating func readSliceFiles(
    _ urls: [URL], formats: [SliceFileFormat?], role: SliceFileAnalysis.Role, schema: StoreSchema?, checkUnknown: Bool
  ) -> [ReadResult] {
    if cache != nil { touched.formUnion(urls.map(\.path)) }
    let results = ReadResults(count: urls.count)
    let reader = self
    DispatchQueue.concurrentPerform(iterations: urls.count) { index in
      results.set(
        index,
        reader.readSliceFileContent(urls[index], role: role, format: formats[index], schema: schema, checkUnknown: checkUnknown))
    }
    return results.values()
  }

  private mutating func readSliceFile(_ url: URL, role: SliceFileAnalysis.Role, format: SliceFileFormat?, schema: StoreSchema?, checkUnknown: Bool) -> ReadResult {
    if cache != nil { touched.insert(url.path) }
    return readSliceFileContent(url, role: role, format: format, schema: schema, checkUnknown: checkUnknown)
  }

  private func readSliceFileContent(
    _ url: URL, role: SliceFileAnalysis.Role, format: SliceFileFormat?, schema: StoreSchema?, checkUnknown: Bool
  ) -> ReadResult {
    let bytes: [UInt8]
    switch self.bytes(of: url) {
    case .success(let read): bytes = read
    case .failure(let failure): return Self.unread(url, failure: failure, role: role)
    }
    guard let cache else { return Self.read(url, bytes: bytes, role: role, format: format, schema: schema, checkUnknown: checkUnknown) }
    let schemaID = schema.flatMap { schemaIDs[$0.file.standardizedFileURL.path] } ?? -1
    let key = AnalysisCache.fingerprint(bytes, "\(role)|\(String(describing: format))|\(schemaID)|\(checkUnknown)")
    let cached = cache.read(path: url.path, key: key) {
      let result = Self.read(url, bytes: bytes, role: role, format: format, schema: schema, checkUnknown: checkUnknown)
      return AnalysisCache.CachedRead(file: result.file, attributes: result.attributes)
    }
    return ReadResult(file: cached.file, attributes: cached.attributes)
  }

  /// A file that could not be read: one error, an empty document, no slice (never a deletion).
  private static func unread(_ url: URL, failure: FileReadFailure, role: SliceFileAnalysis.Role) -> ReadResult {
    let file = SliceFileAnalysis(
      file: url, role: role, document: TextDocument(bytes: []), tree: SliceReader.read([], format: .json), validation: nil,
      findings: [FileReadFindings.finding(failure)], readFailure: failure)
    return ReadResult(file: file, attributes: nil)
  }

  private static func read(
    _ url: URL, bytes: [UInt8], role: SliceFileAnalysis.Role, format: SliceFileFormat?, schema: StoreSchema?, checkUnknown: Bool
  ) -> ReadResult {
    let document = TextDocument(bytes: bytes)
    let syntaxFormat: SliceFormat = format == .json ? .json : .yaml
    let tree = SliceReader.read(bytes, format: syntaxFormat)
    var fileFindings = tree.findings
    var validation: SliceValidation?
    var attributes: Value?
    if tree.loads {
      switch tree.sliceKind {
      case .deleted:
        attributes = Value.deletedSlice
      case .invalid(let finding):
        fileFindings.append(finding)
      case .slice(let root):
        if let schema {
          let result = schema.validator.validate(root)
          validation = result
          var schemaFindings = result.findings
          if !checkUnknown {
            // Active files are written by sync: only what would make a compile fail matters.
            schemaFindings = schemaFindings.filter { $0.severity == .error }
          }
          if checkUnknown, !result.missing.isEmpty {
            // "Add missing required properties" rides on the `schema-required` findings.
            schemaFindings = MissingPropertiesFixes.attaching(
              MissingPropertiesFixes.fixes(document: document, tree: tree, validation: result), to: schemaFindings)
          }
          fileFindings += schemaFindings
          if checkUnknown, tree.format == .yaml {
            let errorRanges = Set(result.findings.filter { $0.severity == .error }.map(\.range))
            fileFindings += YAMLSurpriseFindings.findings(in: root, source: bytes, errorRanges: errorRanges)
          }
          if let normalized = result.normalized, result.isValid {
            attributes = schema.readForm(of: normalized, source: root.value)
          }
        } else {
          attributes = root.value
        }
      }
    }
    let file = SliceFileAnalysis(file: url, role: role, document: document, tree: tree, validation: validation, findings: fileFindings)
    return ReadResult(file: file, attributes: attributes)
  }

  private mutating func analyzeOutsideFile(_ url: URL, configuration: ProjectConfiguration) {
    let configFiles = [configuration.moduleConfigFile, configuration.ownConfigFile, root.appendingPathComponent("project.yml")]
      .map(\.standardizedFileURL)
    let schemaFiles = configuration.stores.compactMap { $0.schemaFile?.standardizedFileURL }
    guard !configFiles.contains(url), !schemaFiles.contains(url) else { return }
    var result = readSliceFile(url, role: .outsideStores, format: SliceFileFormat(fileExtension: url.pathExtension), schema: nil, checkUnknown: false)
    let folders = configuration.stores.map { FindingReport.displayPath($0.sourceFolder, relativeTo: root) + "/" }
    let message =
      folders.isEmpty
      ? "this file is in no slice store: the project configures no store"
      : "this file is in no slice store's source folder (\(folders.joined(separator: ", "))): the compile does not read it"
    result.file.findings.append(Finding(range: 0..<0, severity: .information, code: "outside-store", message: message))
    files[url] = result.file
  }

  // MARK: Store-level findings in a source file

  private func identityCollisionFindings(_ attributes: Value, root: Node, schema: StoreSchema) -> [Finding] {
    var result: [Finding] = []
    for collision in schema.catalog.identityCollisions(in: attributes) {
      guard let kept = collision.items.last, let keptNode = NodeLocator.node(at: kept, in: root) else { continue }
      for steps in collision.items.dropLast() {
        guard let node = NodeLocator.node(at: steps, in: root) else { continue }
        result.append(
          Finding(
            range: NodeLocator.anchor(of: node), severity: .warning, code: "identity-collision",
            message: "another item has the same identity (\(collision.path)): the compile keeps only the last one's content and drops this one",
            related: [Finding.Related(path: nil, range: NodeLocator.anchor(of: keptNode), message: "the item that is kept")]))
      }
    }
    return result
  }

  private func compileHints(
    _ plan: SlicePlan, source: Value, root: Node, schema: StoreSchema, history: [ActiveVersion],
    activeTrees: [String: (tree: SyntaxTree, version: Int)]
  ) -> [Finding] {
    var result: [Finding] = []
    let top = root.entries?.first.map { $0.key.range } ?? (root.range.lowerBound..<root.range.lowerBound)
    let decision = plan.decision
    switch decision.change {
    case .new:
      result.append(Finding(range: top, severity: .hint, code: "next-version", message: "the next sync activates this new slice as v\(decision.version)"))
    case .modified:
      result.append(
        Finding(
          range: top, severity: .hint, code: "next-version",
          message: "the next sync activates v\(decision.version) (changed since active v\(decision.latestActiveVersion))"))
    case .deleted:
      result.append(
        Finding(
          range: top, severity: .hint, code: "next-version",
          message: "the next sync activates v\(decision.version) as a deleted slice: the model then purges everything it deployed for it"))
    case .unchanged, .stillDeleted:
      break
    }
    let purged = plan.elements(.purged)
    let purgedPaths = Set(purged.map(\.path))
    let latestFirst = history.sorted { $0.version > $1.version }
    for element in purged {
      // Report the topmost purged object: its children go with it.
      var parent = element.path
      if parent.segments.popLast() != nil, purgedPaths.contains(parent) { continue }
      let nested = purged.filter { $0.path != element.path && $0.path.segments.starts(with: element.path.segments) }.count
      var anchor = top
      if let steps = schema.catalog.locate(parent, in: source), let parentNode = NodeLocator.node(at: steps, in: root) {
        let relation: String?
        switch element.path.segments.last {
        case .relation(let name)?: relation = name
        case .item(let name, _)?: relation = name
        case nil: relation = nil
        }
        if let relation, let entry = parentNode.entry(relation) {
          anchor = entry.key.range
        } else {
          anchor = NodeLocator.anchor(of: parentNode)
        }
      }
      var related: [Finding.Related] = []
      for version in latestFirst {
        guard let path = version.path, let steps = schema.catalog.locate(element.path, in: version.attributes),
          let tree = activeTrees[path]?.tree.root, let node = NodeLocator.node(at: steps, in: tree)
        else { continue }
        related.append(Finding.Related(path: path, range: NodeLocator.anchor(of: node), message: "as it is in active v\(version.version)"))
        break
      }
      let what = nested > 0 ? " and \(nested) object\(nested == 1 ? "" : "s") below it" : ""
      result.append(
        Finding(
          range: anchor, severity: .hint, code: "purged-element",
          message: "\(element.path) (\(element.shape))\(what) was removed: the next export purges what the model deployed for it",
          related: related))
    }
    return result
  }
}

/// Walks a located tree with the steps the store layer uses to locate objects in values.
public enum NodeLocator {
  public static func node(at steps: [ValueStep], in root: Node) -> Node? {
    var node = root
    for step in steps {
      switch step {
      case .key(let name):
        guard let child = node.lookup(name) else { return nil }
        node = child
      case .index(let index):
        guard let items = node.items, items.indices.contains(index) else { return nil }
        node = items[index]
      }
    }
    return node
  }

  /// Where to point at an object in an editor: its first key (a whole block would underline
  /// many lines), or the node itself when it is not a mapping.
  public static func anchor(of node: Node) -> ByteRange {
    if let first = node.entries?.first { return first.key.range.lowerBound..<first.value.range.upperBound }
    return node.range
  }
}

/// Slots for results computed concurrently, each written once by one thread.
private final class ReadResults: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [AnalysisBuilder.ReadResult?]

  init(count: Int) {
    slots = Array(repeating: nil, count: count)
  }

  func set(_ index: Int, _ result: AnalysisBuilder.ReadResult) {
    lock.withLock { slots[index] = result }
  }

  func values() -> [AnalysisBuilder.ReadResult] {
    lock.withLock { slots.compactMap { $0 } }
  }
}
