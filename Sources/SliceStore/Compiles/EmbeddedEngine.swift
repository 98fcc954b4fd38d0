import Foundation
import SliceSchema
import SliceSyntax

/// The compile modes run in Swift: what the reference's update, sync, export and prune
/// compiles do to a project's slice files, from the exposed schemas alone.
///
/// What it cannot do, because only the Python model knows it: run attribute processors (so a
/// sync is never blocked: only the model can change a slice during a compile), apply
/// migrations, fill model-only attributes, or tell which stores the model really unrolls (every
/// configured store is taken as touched). When it creates a store's active folder it writes
/// `.migrations.json` with no applied migration: the file can only exist in a folder that
/// exists, so there is nothing to take the registered migrations from. A store that registers
/// migrations should get its first compile from the real compiler (`--engine inmanta`).
///
/// A compile that the reference would fail (a file that does not load or validate, a name the
/// module rejects, a merge it cannot make) fails here too, before anything is written; and it
/// also fails where the reference would silently pick one of two files (name clashes).
public enum EmbeddedEngine {
  /// Runs one compile mode on the project at `root`.
  ///
  /// - Parameters:
  ///   - stores: the stores to compile; nil for every configured store.
  ///   - slices: only these slices are written, pruned or exported; nil for all. Failures of
  ///     other slices' files do not stop the compile then.
  ///   - style: how update writes source files back.
  ///   - preserving: the text editor of the `.preserve` style; nil rewrites changed files with
  ///     the reference's bytes.
  ///   - fileSystem: what the commit writes through.
  ///   - nearMisses: update: what to do with a file where a dropped key looks like a typo of a
  ///     known property; `.drop` is the reference's behaviour.
  ///   - dryRun: write nothing; the outcome's `plannedWrites` and `changes` say what would be.
  ///   - allowsEmptiedStores: sync: a store whose source folder is missing or holds no slice
  ///     while slices of it are active gets all of them deleted, as the reference does; by
  ///     default such a store fails the compile (`store-sources-missing`).
  ///   - compileStreaming: update and sync: how the slices are read and their files rendered
  ///     group by group in bounded memory; nil keeps every file's tree until the commit.
  ///
  /// A commit an earlier run left half done is completed first (see `CommitRecovery`), before
  /// anything is read; the outcome's notes say what that did. A dry run refuses to start then.
  public static func run(
    mode: CompileMode, root: URL, stores: [String]? = nil, slices: [String]? = nil,
    style: CompileStyle = .reference, preserving: (any PreservingStyle)? = PreservingEditsStyle(),
    maximumFileSize: Int? = nil, fileReader: FileReader = FileReader(), fileSystem: any FileSystem = PosixFileSystem(),
    nearMisses: UpdateReview.NearMissPolicy = .drop, dryRun: Bool = false, allowsEmptiedStores: Bool = false,
    workers: Int = BoundedWorkQueue.defaultWorkerCount, export streaming: ExportStreaming? = nil,
    compileStreaming: CompileStreaming? = CompileStreaming()
  ) throws(CompileSetupError) -> CompileOutcome {
    let recovery: CommitRecoveryReport?
    if dryRun {
      // Completing the commit would write; reading around it would report half a commit.
      if (try? fileSystem.status(CommitRecovery.journalPath(root: root))) != nil {
        throw .interruptedCommit(
          "an earlier slicels commit was interrupted (\(CommitRecovery.journalPath(root: root))): run `slicels \(mode.rawValue)` without --check/--diff to complete it first")
      }
      recovery = nil
    } else {
      do {
        recovery = try CommitRecovery.recover(root: root, fileSystem: fileSystem)
      } catch {
        throw .interruptedCommit(error.description)
      }
    }
    let analysis = ProjectAnalysis.analyze(
      root: root,
      options: ProjectAnalysis.Options(
        compileHints: false, computePlans: false, maximumFileSize: maximumFileSize, fileReader: fileReader,
        sourceFiles: sourceReading(mode, streaming: compileStreaming != nil),
        activeFiles: activeReading(mode, streamingExport: streaming != nil, streaming: compileStreaming != nil),
        workers: workers))
    var outcome = try run(
      mode: mode, analysis: analysis, stores: stores, slices: slices, style: style, preserving: preserving,
      fileSystem: fileSystem, nearMisses: nearMisses, dryRun: dryRun, allowsEmptiedStores: allowsEmptiedStores,
      workers: workers, export: streaming, compileStreaming: compileStreaming)
    if let recovery {
      outcome.recovery = recovery
      outcome.notes.insert(recovery.description, at: 0)
    }
    return outcome
  }

  /// What a mode needs of the source files: export and prune read only the active store;
  /// update's preserving writer edits the source files' text, so it keeps their trees; a
  /// streamed update or sync reads each slice's files when it compiles it.
  static func sourceReading(_ mode: CompileMode, streaming: Bool) -> ProjectAnalysis.FileReading {
    if mode.readsSources, streaming { return .skipped }
    switch mode {
    case .update: return .whole
    case .sync: return .findingsAndData
    case .export, .prune: return .skipped
    }
  }

  /// What a mode needs of the active files: a streamed export, update or sync reads each
  /// slice's files when it merges it; prune merges nothing, so only the files' read errors.
  static func activeReading(_ mode: CompileMode, streamingExport: Bool, streaming: Bool) -> ProjectAnalysis.FileReading {
    if mode.readsSources, streaming { return .skipped }
    switch mode {
    case .export where streamingExport: return .skipped
    case .prune: return .findingsOnly
    case .update, .sync, .export: return .findingsAndData
    }
  }

  /// Runs a compile mode on an analysis made just before (see the other `run`). It does not
  /// complete an interrupted commit: that must happen before the analysis reads the files
  /// (`CommitRecovery.recover`).
  ///
  /// - Parameters:
  ///   - streaming: export only: instead of `views`, the outcome's `streamedExport` holds the
  ///     output in that format, made slice group by slice group from the active files (read
  ///     here, whatever the analysis kept of them) in bounded memory.
  ///   - compileStreaming: update and sync only: the selected slices' files are read here
  ///     (whatever the analysis kept of them, which need not be more than the folder listings)
  ///     group by group, and the new files' bytes wait in its spool; nil compiles from the
  ///     analysis's snapshots and trees.
  public static func run(
    mode: CompileMode, analysis: ProjectAnalysis, stores: [String]? = nil, slices: [String]? = nil,
    style: CompileStyle = .reference, preserving: (any PreservingStyle)? = PreservingEditsStyle(),
    fileSystem: any FileSystem = PosixFileSystem(), nearMisses: UpdateReview.NearMissPolicy = .drop, dryRun: Bool = false,
    allowsEmptiedStores: Bool = false, workers: Int = BoundedWorkQueue.defaultWorkerCount, export streaming: ExportStreaming? = nil,
    compileStreaming: CompileStreaming? = nil
  ) throws(CompileSetupError) -> CompileOutcome {
    var analysis = analysis
    // A configuration that cannot be read or leads outside the project stops every compile
    // first: the stores it would give are not the project's.
    let configurationFailures = CompileFailures.configurationFailures(analysis)
    guard configurationFailures.isEmpty else {
      return CompileOutcome(mode: mode, stores: stores ?? [], failedFiles: configurationFailures)
    }
    let touched = try touchedStores(analysis, names: stores, needsSchema: mode != .prune)
    let selection = try sliceSelection(slices, in: touched)
    var outcome = CompileOutcome(mode: mode, stores: touched.map(\.name))

    // Each store's merges, once: the failures, the plans and the exported view all read them.
    // A streamed export writes each view as it merges it and keeps only the failures.
    var merges: NameMap<[StoreSnapshot.Outcome]> = [:]
    let streamingExport = mode == .export ? streaming : nil
    var stream: ExportStream? = nil
    var unwritable: ExportStream.UnwritableSlice? = nil
    var streamedStores: NameMap<StreamedStore> = [:]
    if let streamingExport {
      let spool = streamingExport.spool
      var exportStream = ExportStream(format: streamingExport.format, chunkSize: streamingExport.chunkSize) { spool.append($0) }
      for store in touched {
        guard let schema = store.schema else { continue }
        merges[store.name] = streamExport(
          store: store, schema: schema, selection: selection, reader: analysis.configuration.fileReader,
          files: &analysis.files, stream: &exportStream, unwritable: &unwritable, streaming: streamingExport,
          workers: workers)
      }
      stream = exportStream
    } else if let compileStreaming, mode.readsSources {
      let writing = StreamedWriting(
        mode: mode, style: style, preserving: preserving, nearMisses: nearMisses, spool: compileStreaming.spool)
      for store in touched {
        guard let schema = store.schema else { continue }
        let streamed = streamCompile(
          store: store, schema: schema, selection: selection, reader: analysis.configuration.fileReader,
          files: &analysis.files, writing: writing, streaming: compileStreaming, workers: workers)
        merges[store.name] = streamed.failedMerges
        streamedStores[store.name] = streamed
      }
    } else {
      for store in touched where mode != .prune {
        guard let schema = store.schema else { continue }
        merges[store.name] = store.snapshot.outcomes(mode: mode, catalog: schema.catalog, workers: workers)
      }
    }

    // 1. Everything that makes the reference fail, before anything is written.
    for store in touched {
      let failures = CompileFailures.collect(
        store: store, analysis: analysis, mode: mode, selection: selection, merges: merges[store.name],
        allowsEmptiedStores: allowsEmptiedStores)
      outcome.failedFiles += failures.files
      outcome.problems += failures.problems
    }
    guard outcome.succeeded else { return outcome }

    // 2. The file operations of every store, rendered to bytes.
    var transaction = FileTransaction()
    for store in touched {
      if let streamed = streamedStores[store.name] {
        streamedStores[store.name] = nil
        addStreamedWrites(streamed, store: store, mode: mode, transaction: &transaction, outcome: &outcome)
        continue
      }
      do {
        let operations = try plannedOperations(
          store: store, mode: mode, selection: selection, reader: analysis.configuration.fileReader, merges: merges[store.name])
        for operation in operations {
          if mode == .update, case .write(let path, let content, _) = operation,
            let file = analysis.files[URL(fileURLWithPath: path).standardizedFileURL]
          {
            let review = UpdateReview.review(file.tree, normalized: content, policy: nearMisses)
            if !review.isEmpty {
              outcome.reviews.append(ReportedFile(file: file.file, document: file.document, findings: review.findings))
            }
            if nearMisses == .hold, !review.nearMisses.isEmpty {
              outcome.heldFiles.append(path)
              continue
            }
          }
          let file = analysis.files[URL(fileURLWithPath: operation.path).standardizedFileURL]
          if let step = try render(operation, mode: mode, file: file, style: style, preserving: preserving) {
            transaction.add(step)
          }
        }
      } catch {
        outcome.problems.append(writeProblem(store: store.name, error: error))
      }
      if mode == .export, streamingExport == nil, store.schema != nil {
        let view = (try? StoreSnapshot.unrolledSlices(merges[store.name] ?? [])) ?? []
        outcome.views.append((store.name, view.filter { selection?.contains($0.name) ?? true }))
        merges[store.name] = nil  // The view is all export keeps of them.
      }
    }
    guard outcome.succeeded else {
      outcome.views = []
      return outcome
    }
    if let streamingExport, var stream {
      // A refused slice ends the output where the refusal left it, as a stream to stdout would.
      if unwritable == nil { stream.finish() }
      outcome.streamedExport = StreamedExport(spool: streamingExport.spool, unwritable: unwritable)
    }

    if dryRun {
      outcome.changes = transaction.pendingChanges(fileSystem: fileSystem)
      outcome.plannedWrites = plannedWrites(outcome.changes, transaction: transaction, fileSystem: fileSystem)
      return outcome
    }

    // 3. All or nothing, after removing what killed runs left in the folders it writes to.
    let stale = CommitFileNames.removeStale(
      in: writtenFolders(touched, mode: mode, root: analysis.root), fileSystem: fileSystem)
    if !stale.isEmpty {
      let shown = stale.prefix(5).map { FindingReport.displayPath(URL(fileURLWithPath: $0), relativeTo: analysis.root) }
      let more = stale.count > shown.count ? ", …" : ""
      outcome.notes.append(
        "removed \(stale.count) temporary file\(stale.count == 1 ? "" : "s") that earlier slicels runs left behind (\(shown.joined(separator: ", "))\(more))")
    }
    do {
      outcome.changes = try transaction.commit(
        fileSystem: fileSystem, journal: CommitJournal.path(root: analysis.root), command: mode.rawValue)
    } catch {
      outcome.changes = error.changesLeft
      outcome.problems.append(error.wroteNothing ? "nothing was written: \(error)" : "the commit failed midway: \(error)")
    }
    return outcome
  }

  /// The bytes before and after of each file a dry run would change.
  static func plannedWrites(_ changes: [FileChange], transaction: FileTransaction, fileSystem: any FileSystem)
    -> [PlannedWrite]
  {
    var writes: NameMap<FileTransaction.Step> = [:]
    for step in transaction.steps {
      switch step {
      case .write(let path, _), .writeSpooled(let path, _): writes[path] = step
      case .createFolder, .delete: break
      }
    }
    func written(_ path: String) -> [UInt8]? { try? writes[path]?.written()?.bytes }
    return changes.compactMap { change in
      switch change.kind {
      case .createdFolder, .rewritten: return nil
      case .created: return PlannedWrite(path: change.path, before: nil, after: written(change.path))
      case .modified:
        return PlannedWrite(path: change.path, before: try? fileSystem.contents(change.path), after: written(change.path))
      case .deleted: return PlannedWrite(path: change.path, before: try? fileSystem.contents(change.path), after: nil)
      }
    }
  }

  /// The folders a compile mode writes to: the source folders for update, the active ones
  /// otherwise, and the folder of the commit journal.
  static func writtenFolders(_ stores: [StoreAnalysis], mode: CompileMode, root: URL) -> [String] {
    var folders = stores.map { mode == .update ? $0.folders.sourceFolder : $0.folders.activeFolder }
    folders.append((CommitJournal.path(root: root) as NSString).deletingLastPathComponent)
    return folders
  }

  // MARK: Stores and slices

  static func touchedStores(_ analysis: ProjectAnalysis, names: [String]?, needsSchema: Bool) throws(CompileSetupError)
    -> [StoreAnalysis]
  {
    guard !analysis.stores.isEmpty else { throw .noStores(root: analysis.root.path) }
    var touched: [StoreAnalysis] = []
    if let names {
      for name in names {
        guard let store = analysis.store(named: name) else {
          throw .unknownStore(name: name, known: analysis.stores.map(\.name))
        }
        if !touched.contains(where: { $0.name.isScalarExact(to: name) }) { touched.append(store) }
      }
    } else {
      touched = analysis.stores
    }
    if needsSchema {
      for store in touched where store.schema == nil {
        throw .unusableSchema(store: store.name, reason: schemaProblem(store, analysis: analysis))
      }
    }
    return touched
  }

  /// Why a store has no usable schema, and what to do about it.
  static func schemaProblem(_ store: StoreAnalysis, analysis: ProjectAnalysis) -> String {
    let root = analysis.root
    guard let file = store.configuration.schemaFile else {
      return store.configuration.schemaProblem ?? "no schema is configured for it"
    }
    let shown = FindingReport.displayPath(file, relativeTo: root)
    if let unreadable = analysis.findings[file.standardizedFileURL]?.first(where: { FileReadFindings.codes.contains($0.code) }) {
      return "its schema \(shown): \(unreadable.message)"
    }
    if !FileManager.default.fileExists(atPath: file.path) {
      return
        "its schema \(shown) does not exist yet: run the real update compile once (`slicels update --engine inmanta`), which writes it, or set `schema` for this store in slicels.yml"
    }
    return "its schema \(shown) does not load (run `slicels check` to see why): fix it or regenerate it with `slicels update --engine inmanta`"
  }

  /// The selected slice names; throws when one is in no touched store.
  static func sliceSelection(_ slices: [String]?, in stores: [StoreAnalysis]) throws(CompileSetupError) -> NameSet? {
    guard let slices else { return nil }
    var known: NameSet = []
    for store in stores {
      known.formUnion(names: store.snapshot.sliceNames)
      known.formUnion(store.failedSlices)
      known.formUnion(names: store.folders.sources.map(\.name))
      known.formUnion(names: store.folders.active.map(\.name))
    }
    let unknown = slices.filter { !known.contains($0) }
    if !unknown.isEmpty { throw .unknownSlices(names: unknown, stores: stores.map(\.name)) }
    return NameSet(names: slices)
  }

  // MARK: Operations

  static func plannedOperations(
    store: StoreAnalysis, mode: CompileMode, selection: NameSet?, reader: FileReader = FileReader(),
    merges: [StoreSnapshot.Outcome]? = nil
  ) throws -> [FileOperation] {
    let folders = store.folders
    let plan: CompilePlan
    switch mode {
    case .update, .sync:
      guard let schema = store.schema else { return [] }
      plan =
        mode == .update
        ? try CompilePlans.update(
          snapshot: store.snapshot, folders: folders, registeredMigrations: [], catalog: schema.catalog, writer: schema,
          merges: merges)
        : try CompilePlans.sync(
          snapshot: store.snapshot, folders: folders, registeredMigrations: [], catalog: schema.catalog, writer: schema,
          merges: merges)
    case .export:
      plan = CompilePlans.export(folders: folders, registeredMigrations: [])
    case .prune:
      plan = try CompilePlans.prune(folders: folders, registeredMigrations: []) { file in
        try RawSliceReading.isDeleted(file, reader: reader)
      }
    }
    guard let selection else { return plan.operations }
    return plan.operations.filter { operation in
      guard let name = sliceName(of: operation, folders: folders) else { return true }
      return selection.contains(name)
    }
  }

  /// The slice a write or delete is about; nil for folders and `.migrations.json`.
  static func sliceName(of operation: FileOperation, folders: StoreFolders) -> String? {
    switch operation {
    case .createDirectory: return nil
    case .write(let path, _, _), .delete(let path):
      let fileName = (path as NSString).lastPathComponent
      if fileName == SliceFileName.migrationsFileName { return nil }
      return SliceFileName.parse(fileName)?.name
    }
  }

  /// What the commit does for an operation; `file` is update's source file as read (the
  /// preserving style edits its text).
  static func render(
    _ operation: FileOperation, mode: CompileMode, file: SliceFileAnalysis?, style: CompileStyle,
    preserving: (any PreservingStyle)?
  ) throws(ReferenceWriterError) -> FileTransaction.Step? {
    switch operation {
    case .createDirectory(let path):
      return .createFolder(path: path)
    case .delete(let path):
      return .delete(path: path)
    case .write(let path, let content, let format):
      guard mode == .update, style == .preserve, let file else {
        return .write(path: path, bytes: try referenceBytes(content, format: format))
      }
      if let held = heldData(file.tree), !file.tree.hasDuplicateKeys, StrictJSONEquality.equal(held, content) {
        return nil  // Already the normalised data: no churn.
      }
      // (A value the reference cannot write, a date in JSON, is never in a JSON source: the
      // preserving style cannot keep it and leaves it to the reference's writer, which fails.)
      if let preserving, let text = preserving.rewrite(file.document, tree: file.tree, format: format, to: content) {
        return .write(path: path, bytes: Array(text.utf8))
      }
      return .write(path: path, bytes: try referenceBytes(content, format: format))
    }
  }

  /// Why a store's files cannot be written, as the compile reports it.
  static func writeProblem(store: String, error: any Error) -> String {
    if let error = error as? ReferenceWriterError {
      return
        "store '\(store)': Attributes can not be serialized (\(error)): the module fails the same way; quote the value in the source file"
    }
    return "store '\(store)': \(error)"
  }

  /// The reference's text for a document.
  public static func referenceText(_ content: Value, format: SliceFormat) throws(ReferenceWriterError) -> String {
    switch format {
    case .json: return try ReferenceJSONWriter.text(for: content)
    case .yaml: return ReferenceYAMLWriter.text(for: content)
    }
  }

  /// The reference's bytes for a document (without going through a `String`).
  public static func referenceBytes(_ content: Value, format: SliceFormat) throws(ReferenceWriterError) -> [UInt8] {
    switch format {
    case .json: return try ReferenceJSONWriter.bytes(for: content)
    case .yaml: return ReferenceYAMLWriter.bytes(for: content)
    }
  }

  /// The data a file holds as the update compile would compare it: a deleted document (empty,
  /// `null`, `{}`) holds `{}`.
  static func heldData(_ tree: SyntaxTree) -> Value? {
    switch tree.sliceKind {
    case .deleted: return .deletedSlice
    case .slice(let root): return root.value
    case .invalid: return nil
    }
  }
}

/// Reading a file the way the reference's `SliceFile.read_raw()` does (prune reads only that):
/// no schema, only the document.
enum RawSliceReading {
  struct Failure: Error, CustomStringConvertible {
    var path: String
    var message: String
    var description: String { "\(path): \(message)" }
  }

  /// Whether the file holds a deleted slice (empty, `null` or `{}`); throws where `read_raw` raises.
  static func isDeleted(_ file: SliceFileEntry, reader: FileReader) throws -> Bool {
    guard let format = file.format else {
      throw Failure(path: file.path, message: "Unsupported slice file extension: \(file.fileName.fileExtension)")
    }
    let bytes: [UInt8]
    switch reader.read(file.path) {
    case .success(let read): bytes = read
    case .failure(let failure): throw Failure(path: file.path, message: "cannot read the file: \(failure)")
    }
    let tree = SliceReader.read(bytes, format: format == .json ? .json : .yaml)
    switch tree.sliceKind {
    case .deleted: return true
    case .slice: return false
    case .invalid(let finding): throw Failure(path: file.path, message: finding.message)
    }
  }
}

/// Equality of JSON data with types: `1`, `1.0` and `true` differ (Python's `==` says they are
/// equal, but the files would not be), key order does not matter.
enum StrictJSONEquality {
  static func equal(_ left: Value, _ right: Value) -> Bool {
    switch (left, right) {
    case (.object(let leftMembers), .object(let rightMembers)):
      guard leftMembers.count == rightMembers.count else { return false }
      var byKey: [Scalar: Value] = [:]
      for member in rightMembers { byKey[member.key.scalar] = member.value }
      guard byKey.count == rightMembers.count else { return false }
      return leftMembers.allSatisfy { member in byKey[member.key.scalar].map { equal(member.value, $0) } ?? false }
    case (.array(let leftItems), .array(let rightItems)):
      return leftItems.count == rightItems.count && zip(leftItems, rightItems).allSatisfy { equal($0, $1) }
    case (.scalar(let leftScalar), .scalar(let rightScalar)):
      return leftScalar == rightScalar
    default:
      return false
    }
  }
}
