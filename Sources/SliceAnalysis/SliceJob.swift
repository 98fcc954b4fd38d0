import Foundation
import SliceSchema
import SliceStore
import SliceSyntax

/// Identifies one slice of a project: its store (by position in the configuration) and name.
struct SliceID: Hashable, Sendable {
  var store: Int
  var name: String

  // Slice names compare by code points: NFC and NFD spellings are two slices.
  static func == (lhs: SliceID, rhs: SliceID) -> Bool {
    lhs.store == rhs.store && lhs.name.isScalarExact(to: rhs.name)
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(store)
    name.hashScalars(into: &hasher)
  }
}

/// The files of one slice as the store's folders list them, in the folders' order.
struct SliceFiles: Sendable {
  var sources: [SliceFileEntry] = []
  var active: [SliceFileEntry] = []

  var urls: [URL] { (sources + active).map { URL.standardFile($0.path) } }
}

/// An open buffer: its text and fingerprint.
struct Buffer: Sendable {
  var bytes: [UInt8]
  var key: Int
}

/// The last plan of a slice with the data it was computed from: a new analysis of the slice
/// whose normalised data is identical (a comment or formatting edit) reuses it (early cut-off).
struct PlanMemo: Sendable {
  var schemaRevision: Int
  var sources: [SourceSlice]
  var active: [ActiveVersion]
  var plan: SlicePlan?

  func matches(schemaRevision: Int, sources: [SourceSlice], active: [ActiveVersion]) -> Bool {
    guard self.schemaRevision == schemaRevision, self.sources.count == sources.count, self.active.count == active.count
    else { return false }
    for (old, new) in zip(self.sources, sources) {
      guard old.name == new.name, old.fileVersion == new.fileVersion, old.path == new.path, old.format == new.format,
        Fingerprint.identical(old.attributes, new.attributes)
      else { return false }
    }
    for (old, new) in zip(self.active, active) {
      guard old.version == new.version, old.path == new.path, Fingerprint.identical(old.attributes, new.attributes)
      else { return false }
    }
    return true
  }
}

/// One slice file as this analysis read it.
struct AnalysedSliceFile: Sendable {
  var url: URL
  var entry: SliceFileEntry
  var read: SliceFileAnalyzer.Read
  /// The fingerprint of the content read (the buffer's or the disk's, or of the read failure).
  var contentKey: Int
  /// Everything this file reports at the file and slice level (not the configuration's, the
  /// folders' or the schema's findings, added when published).
  var findings: [Finding]
}

/// Everything one slice's analysis gives.
struct SliceResult: Sendable {
  var id: SliceID
  var files: [AnalysedSliceFile]
  /// A file of the slice does not load or validate: the compile fails on the slice.
  var failed: Bool
  var sources: [SourceSlice]
  var active: [ActiveVersion]
  var plan: SlicePlan?
  var planMemo: PlanMemo?
  /// The plan was reused from the memo (tests check the early cut-off).
  var reusedPlan: Bool
  /// The slice has no active version: its merge is left for an editor query (`completingPlan`).
  var planDeferred: Bool
  /// Reads the read cache let go while this slice was read: freed by the host's `StaleResults`,
  /// never kept with the result.
  var evicted: [SliceFileAnalyzer.Read] = []
}

/// The inputs of one slice's analysis, taken from the project state so that slices can be
/// analysed on every core at once: a pure function of this value (and the disk's content of
/// the closed files, through the read cache).
struct SliceJob: Sendable {
  var id: SliceID
  var files: SliceFiles
  var store: StoreConfiguration
  var projectRoot: URL
  var schema: StoreSchema?
  var schemaRevision: Int
  var buffers: [URL: Buffer]
  /// The content fingerprint each closed file had when last read (the read cache is searched
  /// with it; a disk event drops the cache's entries for the file first).
  var knownKeys: [URL: Int]
  var reader: FileReader
  var compileHints: Bool
  var planMemo: PlanMemo?
  /// Keep what is read in the read cache: for the slices of open files (analysed again at
  /// each edit), not for the background's one-off reads.
  var cachesReads: Bool

  func run(reads: ReadCache) -> SliceResult {
    var analysed: [AnalysedSliceFile] = []
    var failed = false
    var active: [ActiveVersion] = []
    var activeTrees: NameMap<(tree: SyntaxTree, version: Int)> = [:]
    var evicted: [SliceFileAnalyzer.Read] = []

    for entry in files.sources {
      let url = URL.standardFile(entry.path)
      let (read, key) = readFile(url, role: .source(store: store.name), format: entry.format, checkUnknown: true, reads: reads, evicted: &evicted)
      // The read form itself waits for what needs it (see `sourceSlices`).
      if !read.hasAttributes { failed = true }
      analysed.append(AnalysedSliceFile(url: url, entry: entry, read: read, contentKey: key, findings: read.file.findings))
    }
    for entry in files.active {
      let url = URL.standardFile(entry.path)
      let (read, key) = readFile(url, role: .active(store: store.name), format: entry.format ?? .json, checkUnknown: false, reads: reads, evicted: &evicted)
      if let version = entry.fileName.version {
        if let attributes = read.attributes {
          active.append(ActiveVersion(version: version, attributes: attributes, path: entry.path))
        } else {
          failed = true
        }
        activeTrees[entry.path] = (read.file.tree, version)
      }
      var findings = read.file.findings
      if let buffer = buffers[url], let disk = reader.contents(url.path), disk != buffer.bytes {
        findings.append(SliceFileAnalyzer.activeFileEdited(store: store, projectRoot: projectRoot))
      }
      analysed.append(AnalysedSliceFile(url: url, entry: entry, read: read, contentKey: key, findings: findings))
    }

    var plan: SlicePlan?
    var memo: PlanMemo?
    var reused = false
    var decision: VersionDecision?
    let usableSchema = schema.flatMap { $0.isUsable ? $0 : nil }
    // Nothing active, nothing purged: the hint is the first version's number, whatever the
    // data. The read forms and the merge (the created elements the lens counts) wait until an
    // editor query asks for them (`completingPlan`).
    let deferred = usableSchema != nil && !failed && active.isEmpty
    let sources = deferred ? [] : Self.sourceSlices(analysed)
    if let schema = usableSchema {
      if !failed, !deferred {
        let snapshot = StoreSnapshot(storeName: store.name, sources: sources, active: [id.name: active])
        if let planMemo, planMemo.matches(schemaRevision: schemaRevision, sources: sources, active: active) {
          plan = planMemo.plan
          reused = true
        } else {
          plan = snapshot.plan(catalog: schema.catalog).first { $0.name == id.name }
        }
        memo = PlanMemo(schemaRevision: schemaRevision, sources: sources, active: active, plan: plan)
        decision = plan?.decision
      }
      if compileHints, deferred, let last = files.sources.last {
        // `Versions.decide` without history: the file version of the source the snapshot
        // keeps (the last of the name), else 1.
        let version = last.fileName.version ?? 1
        for index in analysed.indices where analysed[index].entry.role == .source {
          guard let root = analysed[index].read.file.tree.root else { continue }
          analysed[index].findings.append(SliceFileAnalyzer.newSliceHint(version: version, root: root))
        }
      }
      for source in sources {
        guard let path = source.path,
          let index = analysed.firstIndex(where: { $0.entry.path == path && $0.entry.role == .source }),
          let root = analysed[index].read.file.tree.root
        else { continue }
        if compileHints, let decision {
          analysed[index].findings += SliceFileAnalyzer.compileHints(
            decision: decision, purged: plan?.elements(.purged) ?? [], source: source.attributes, root: root, schema: schema,
            history: active, activeTrees: activeTrees)
        }
      }
    }
    return SliceResult(
      id: id, files: analysed, failed: failed, sources: sources, active: active, plan: plan, planMemo: memo, reusedPlan: reused,
      planDeferred: deferred, evicted: evicted)
  }

  /// The source slices of the files read, in the folders' order: their read forms are built
  /// here if nothing asked for them before (a slice read for its diagnostics only).
  static func sourceSlices(_ analysed: [AnalysedSliceFile]) -> [SourceSlice] {
    analysed.compactMap { file in
      guard file.entry.role == .source, let attributes = file.read.attributes else { return nil }
      let entry = file.entry
      return SourceSlice(name: entry.name, attributes: attributes, fileVersion: entry.fileName.version, path: entry.path, format: entry.format)
    }
  }

  /// The plan of a slice whose merge was deferred (see `run`), with its source slices.
  func completingPlan(of result: SliceResult) -> SliceResult {
    guard result.planDeferred, let schema, schema.isUsable else { return result }
    var result = result
    result.sources = Self.sourceSlices(result.files)
    let snapshot = StoreSnapshot(storeName: store.name, sources: result.sources, active: [:])
    result.plan = snapshot.plan(catalog: schema.catalog).first { $0.name == id.name }
    result.planDeferred = false
    return result
  }

  /// A file of the slice: the buffer's text or the disk's, from the read cache when the same
  /// content was read with the same schema before.
  private func readFile(
    _ url: URL, role: SliceFileAnalysis.Role, format: SliceFormat?, checkUnknown: Bool, reads: ReadCache,
    evicted: inout [SliceFileAnalyzer.Read]
  ) -> (SliceFileAnalyzer.Read, Int) {
    let context = schemaRevision &* 4 &+ (checkUnknown ? 1 : 2)
    if let buffer = buffers[url] {
      let key = ReadCache.Key(path: url.path, content: buffer.key, context: context)
      if let cached = reads.read(key) { return (cached, buffer.key) }
      let read: SliceFileAnalyzer.Read
      switch FileReadFindings.checked(buffer.bytes, reader: reader) {
      case .success(let bytes):
        read = SliceFileAnalyzer.read(url, bytes: bytes, role: role, format: format, schema: schema, checkUnknown: checkUnknown)
      case .failure(let failure):
        read = SliceFileAnalyzer.unread(url, failure: failure, role: role)
      }
      if cachesReads { evicted += reads.insert(read, for: key) }
      return (read, buffer.key)
    }
    if let known = knownKeys[url], let cached = reads.read(ReadCache.Key(path: url.path, content: known, context: context)) {
      return (cached, known)
    }
    switch reader.read(url.path) {
    case .success(let bytes):
      let key = Fingerprint.of(bytes)
      let cacheKey = ReadCache.Key(path: url.path, content: key, context: context)
      if let cached = reads.read(cacheKey) { return (cached, key) }
      let read = SliceFileAnalyzer.read(url, bytes: bytes, role: role, format: format, schema: schema, checkUnknown: checkUnknown)
      if cachesReads { evicted += reads.insert(read, for: cacheKey) }
      return (read, key)
    case .failure(let failure):
      return (SliceFileAnalyzer.unread(url, failure: failure, role: role), Fingerprint.of("\(failure)"))
    }
  }
}
