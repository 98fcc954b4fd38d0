import Foundation
import SliceSchema
import SliceSyntax

/// How update, sync and plan run in bounded memory: each slice's files are read (each once),
/// checked, merged and (update, sync) their new files rendered on every core, in name order
/// with at most `groupSize` slices in flight; the new bytes go to the spool and a slice's trees
/// and data are let go once it is used. Nothing is written before every slice is known to
/// compile; the commit then reads the new bytes back one file at a time. (`plan` keeps each
/// slice's plan, its output.)
public struct CompileStreaming: Sendable {
  /// Slices read (on every core) or waiting to be used at once: the memory bound.
  public var groupSize: Int
  /// Where the new files' bytes wait for the commit.
  public var spool: ByteSpool
  /// Counts the slices whose files, data or merges are alive (tests).
  public var probe: LiveSliceProbe?

  public init(groupSize: Int = ExportStreaming.defaultGroupSize, spool: ByteSpool = ByteSpool(), probe: LiveSliceProbe? = nil) {
    self.groupSize = max(1, groupSize)
    self.spool = spool
    self.probe = probe
  }
}

extension EmbeddedEngine {
  /// How a streamed update or sync writes the files of a store.
  struct StreamedWriting: Sendable {
    var mode: CompileMode
    var style: CompileStyle
    var preserving: (any PreservingStyle)?
    var nearMisses: UpdateReview.NearMissPolicy
    var spool: ByteSpool
  }

  /// A file a streamed update or sync writes, made on the worker that read its slice.
  struct StreamedWrite: Sendable {
    /// Where the whole compile writes it: the index of the source file (update) or of the
    /// slice name (sync), so that the commit's steps keep the order of the unstreamed compile.
    var order: Int
    var path: String
    /// Update: what the normalisation drops or rewrites in the source file.
    var review: ReportedFile?
    /// Update: a near miss keeps the file as it is.
    var isHeld = false
    /// The commit's step (nil: the file already holds these bytes), or why it cannot be made.
    var step: Result<FileTransaction.Step?, WriteFailure>
  }

  /// Why a file cannot be written, and when the unstreamed compile finds it: a content the
  /// schema cannot give stops the whole store before any file is reviewed; a text the writer
  /// cannot make stops it at that file.
  struct WriteFailure: Error, Sendable {
    var whilePlanning: Bool
    var problem: String
  }

  /// One slice of a streamed update or sync.
  struct StreamedCompileSlice: Sendable {
    var files: [(url: URL, file: SliceFileAnalysis)]
    var failedMerge: StoreSnapshot.Outcome?
    var writes: [StreamedWrite]
  }

  /// What a store's streamed compile leaves: its failing merges (by name) and its writes (in
  /// the order the unstreamed compile makes them).
  struct StreamedStore: Sendable {
    var failedMerges: [StoreSnapshot.Outcome] = []
    var writes: [StreamedWrite] = []
  }

  /// The selected slices' files of a store by slice name (each source file with its index
  /// in the store's listing), and the names in Python's sort order.
  struct SliceFiles: Sendable {
    var sources: NameMap<[(order: Int, entry: SliceFileEntry)]> = [:]
    var active: NameMap<[SliceFileEntry]> = [:]
    var names: [String] = []

    init(_ folders: StoreFolders, selection: NameSet?) {
      for (order, entry) in folders.sources.enumerated() where selection?.contains(entry.name) ?? true {
        sources[entry.name, default: []].append((order, entry))
      }
      for entry in folders.active where selection?.contains(entry.name) ?? true {
        active[entry.name, default: []].append(entry)
      }
      names = Set((sources.keys + active.keys).map(ExactString.init)).map(\.text).sorted(by: codePointLess)
    }
  }

  /// Runs `work` on every name on every core and hands the results to `use` in name order,
  /// while the next names are worked on; at most `groupSize` names are worked on or waiting to
  /// be used at once, so what their work keeps alive stays bounded (`OrderedPipeline`).
  static func inNameOrder<Result: Sendable>(
    _ names: [String], groupSize: Int, workers: Int, probe: LiveSliceProbe?,
    work: @Sendable (_ index: Int, _ name: String) -> Result, use: (Result) -> Void
  ) {
    OrderedPipeline.run(count: names.count, window: groupSize, workers: workers) { index in
      probe?.loaded()
      return work(index, names[index])
    } use: { result in
      use(result)
      probe?.released()
    }
  }

  /// One slice's files, read once on a worker as the batch analysis reads them.
  struct SliceRead {
    /// Every file reduced to its findings and read errors (what the failure collection reads).
    var files: [(url: URL, file: SliceFileAnalysis)] = []
    /// The store's snapshot of this one slice.
    var snapshot: StoreSnapshot
    /// The source files whole, when asked for (update's writer edits them).
    var sourceFiles: [(order: Int, entry: SliceFileEntry, file: SliceFileAnalysis)] = []
    /// The bytes read, by path: a write of the same bytes is no change.
    var readBytes: [String: [UInt8]] = [:]
    /// A file has errors the reference's reading fails on.
    var hasReadErrors = false
    /// A file gives no slice data: the analysis counts the slice among the failed ones.
    var hasUnloadedFile = false
  }

  /// One slice file read as the batch analysis reads it (a file that cannot be read gets its
  /// failure), with the bytes read.
  static func readSliceFile(
    _ entry: SliceFileEntry, role: SliceFileAnalysis.Role, format: SliceFormat?, schema: StoreSchema, reader: FileReader,
    checkUnknown: Bool, keepsDocumentWithoutFindings: Bool = true
  ) -> (url: URL, read: SliceFileAnalyzer.Read, bytes: [UInt8]?) {
    let url = entry.url
    // A listed entry: the listing found a regular file there.
    switch reader.read(url.path, listedAsRegularFile: true) {
    case .success(let bytes):
      return (
        url,
        SliceFileAnalyzer.read(
          url, bytes: bytes, role: role, format: format, schema: schema, checkUnknown: checkUnknown,
          keepsDocumentWithoutFindings: keepsDocumentWithoutFindings),
        bytes
      )
    case .failure(let failure):
      return (url, SliceFileAnalyzer.unread(url, failure: failure, role: role), nil)
    }
  }

  static func readSlice(
    named name: String, sources: [(order: Int, entry: SliceFileEntry)], active: [SliceFileEntry], store: StoreAnalysis,
    schema: StoreSchema, reader: FileReader, keepsSourceFiles: Bool
  ) -> SliceRead {
    var slice = SliceRead(snapshot: StoreSnapshot(storeName: store.name, sources: [], active: NameMap<[ActiveVersion]>()))
    func read(_ entry: SliceFileEntry, role: SliceFileAnalysis.Role, format: SliceFormat?) -> SliceFileAnalyzer.Read {
      let isSource = role == .source(store: store.name)
      // Only update's source files are kept whole (its writer edits their text).
      let (url, read, bytes) = readSliceFile(
        entry, role: role, format: format, schema: schema, reader: reader, checkUnknown: isSource,
        keepsDocumentWithoutFindings: isSource && keepsSourceFiles)
      if let bytes { slice.readBytes[entry.path] = bytes }
      slice.files.append((url, read.file.droppingContents()))
      if !read.file.readErrors.validated.isEmpty { slice.hasReadErrors = true }
      return read
    }
    var sourceSlices: [SourceSlice] = []
    for (order, entry) in sources {
      let sourceRead = read(entry, role: .source(store: store.name), format: entry.format)
      if let attributes = sourceRead.attributes {
        sourceSlices.append(
          SourceSlice(
            name: entry.name, attributes: attributes, fileVersion: entry.fileName.version, path: entry.path, format: entry.format))
      } else {
        slice.hasUnloadedFile = true
      }
      if keepsSourceFiles { slice.sourceFiles.append((order, entry, sourceRead.file)) }
    }
    var versions: [ActiveVersion] = []
    for entry in active {
      let activeRead = read(entry, role: .active(store: store.name), format: entry.format ?? .json)
      guard let version = entry.fileName.version else { continue }
      if let attributes = activeRead.attributes {
        versions.append(ActiveVersion(version: version, attributes: attributes, path: entry.path))
      } else {
        slice.hasUnloadedFile = true
      }
    }
    slice.snapshot = StoreSnapshot(storeName: store.name, sources: sourceSlices, active: versions.isEmpty ? [:] : [name: versions])
    return slice
  }

  /// Reads, checks and merges one store's selected slices group by group in name order, and
  /// renders the files the compile writes into the spool. The files' analyses, reduced to
  /// their findings, go into `files` (what the failure collection reads).
  static func streamCompile(
    store: StoreAnalysis, schema: StoreSchema, selection: NameSet?, reader: FileReader,
    files: inout [URL: SliceFileAnalysis], writing: StreamedWriting, streaming: CompileStreaming, workers: Int
  ) -> StreamedStore {
    let sliceFiles = SliceFiles(store.folders, selection: selection)
    var streamed = StreamedStore()
    inNameOrder(sliceFiles.names, groupSize: streaming.groupSize, workers: workers, probe: streaming.probe) { order, name in
      compiledSlice(
        named: name, order: order, sources: sliceFiles.sources[name] ?? [], active: sliceFiles.active[name] ?? [],
        store: store, schema: schema, reader: reader, writing: writing)
    } use: { slice in
      for (url, file) in slice.files { files[url] = file }
      if let failed = slice.failedMerge { streamed.failedMerges.append(failed) }
      streamed.writes += slice.writes
    }
    streamed.writes.sort { $0.order < $1.order }
    return streamed
  }

  private static func compiledSlice(
    named name: String, order: Int, sources: [(order: Int, entry: SliceFileEntry)], active: [SliceFileEntry],
    store: StoreAnalysis, schema: StoreSchema, reader: FileReader, writing: StreamedWriting
  ) -> StreamedCompileSlice {
    let slice = readSlice(
      named: name, sources: sources, active: active, store: store, schema: schema, reader: reader,
      keepsSourceFiles: writing.mode == .update)
    let snapshot = slice.snapshot
    var failedMerge: StoreSnapshot.Outcome?
    if let outcome = snapshot.outcomes(mode: writing.mode, catalog: schema.catalog, workers: 1).first,
      case .failed = outcome.result
    {
      failedMerge = outcome
    }
    // A slice that fails fails the compile: nothing of it is written.
    guard failedMerge == nil, !slice.hasReadErrors, let decision = snapshot.decision(for: name) else {
      return StreamedCompileSlice(files: slice.files, failedMerge: failedMerge, writes: [])
    }
    let content: Result<Value, WriteFailure>
    do {
      content = .success(
        decision.attributes.isDeletedSlice ? Value.deletedSlice : try schema.fileContent(for: decision.attributes))
    } catch {
      content = .failure(WriteFailure(whilePlanning: true, problem: writeProblem(store: store.name, error: error)))
    }

    var writes: [StreamedWrite] = []
    func spooled(_ step: FileTransaction.Step?) -> FileTransaction.Step? {
      guard case .write(let path, let bytes) = step else { return step }
      // The file already holds these bytes: the commit would leave it alone, read again.
      if slice.readBytes[path] == bytes { return nil }
      return .writeSpooled(path: path, content: SpooledBytes(spool: writing.spool, range: writing.spool.append(bytes)))
    }
    switch writing.mode {
    case .update:
      for (sourceOrder, entry, file) in slice.sourceFiles {
        guard let format = entry.format else { continue }
        var write = StreamedWrite(order: sourceOrder, path: entry.path, step: .success(nil))
        switch content {
        case .failure(let failure):
          write.step = .failure(failure)
        case .success(let content):
          let review = UpdateReview.review(file.tree, normalized: content, policy: writing.nearMisses)
          if !review.isEmpty {
            write.review = ReportedFile(file: file.file, document: file.document, findings: review.findings)
          }
          if writing.nearMisses == .hold, !review.nearMisses.isEmpty {
            write.isHeld = true
          } else {
            write.step = renderedStep(
              .write(path: entry.path, content: content, format: format), store: store, file: file, writing: writing
            ).map(spooled)
          }
        }
        writes.append(write)
      }
    case .sync:
      let path = StoreFolders.join(
        store.folders.activeFolder, SliceFileName.activeFileName(name: name, version: decision.version))
      var write = StreamedWrite(order: order, path: path, step: .success(nil))
      switch content {
      case .failure(let failure):
        write.step = .failure(failure)
      case .success(let content):
        write.step = renderedStep(
          .write(path: path, content: content, format: .json), store: store, file: nil, writing: writing
        ).map(spooled)
      }
      writes.append(write)
    case .export, .prune:
      break
    }
    return StreamedCompileSlice(files: slice.files, failedMerge: failedMerge, writes: writes)
  }

  private static func renderedStep(
    _ operation: FileOperation, store: StoreAnalysis, file: SliceFileAnalysis?, writing: StreamedWriting
  ) -> Result<FileTransaction.Step?, WriteFailure> {
    do {
      return .success(
        try render(operation, mode: writing.mode, file: file, style: writing.style, preserving: writing.preserving))
    } catch {
      return .failure(WriteFailure(whilePlanning: false, problem: writeProblem(store: store.name, error: error)))
    }
  }

  /// Adds a streamed store's writes to the transaction, with their reviews and held files, as
  /// the unstreamed compile would: the folders first, then each file in its order.
  static func addStreamedWrites(
    _ streamed: StreamedStore, store: StoreAnalysis, mode: CompileMode, transaction: inout FileTransaction,
    outcome: inout CompileOutcome
  ) {
    if let failure = streamed.writes.lazy.compactMap({ $0.step.failure }).first(where: \.whilePlanning) {
      outcome.problems.append(failure.problem)
      return
    }
    do {
      for operation in CompilePlans.activeFolderSetup(folders: store.folders, registeredMigrations: [])
        + CompilePlans.sourceFolderSetup(folders: store.folders)
      {
        if let step = try render(operation, mode: mode, file: nil, style: .reference, preserving: nil) {
          transaction.add(step)
        }
      }
    } catch {
      outcome.problems.append(writeProblem(store: store.name, error: error))
      return
    }
    for write in streamed.writes {
      if let review = write.review { outcome.reviews.append(review) }
      if write.isHeld {
        outcome.heldFiles.append(write.path)
        continue
      }
      switch write.step {
      case .success(let step):
        if let step { transaction.add(step) }
      case .failure(let failure):
        outcome.problems.append(failure.problem)
        return
      }
    }
  }
}

extension Result {
  fileprivate var failure: Failure? {
    if case .failure(let failure) = self { return failure }
    return nil
  }
}
