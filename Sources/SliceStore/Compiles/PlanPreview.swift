import Foundation
import SliceSyntax

extension EmbeddedEngine {
  /// What `slicels plan` shows: per slice of the selected stores, the version the next sync
  /// activates and what the export after it asks the model to do with each object.
  public struct PlanOutcome: Sendable {
    public var stores: [PlanReport.StorePlans]
    /// Files the next compile fails on (their slices have no plan).
    public var failedFiles: [ReportedFile]
    public var problems: [String]
    public var succeeded: Bool { failedFiles.isEmpty && problems.isEmpty }
  }

  /// `slices` holds what the user typed: slice names, `store/name`, slice files or store
  /// folders (relative to `currentDirectory`).
  ///
  /// - Parameter streaming: how the selected slices are read and planned group by group, in
  ///   memory that holds their plans but only a group's data; nil plans from an analysis that
  ///   keeps every slice's data.
  public static func plan(
    root: URL, stores: [String]? = nil, slices: [String]? = nil, maximumFileSize: Int? = nil,
    currentDirectory: URL? = nil, streaming: CompileStreaming? = CompileStreaming()
  ) throws -> PlanOutcome {
    // The plans need every slice's data, never a tree: a tree per file kept to the end is
    // most of a large project's memory, and freeing them most of its time.
    let reading: ProjectAnalysis.FileReading = streaming == nil ? .findingsAndData : .skipped
    let analysis = ProjectAnalysis.analyze(
      root: root,
      options: ProjectAnalysis.Options(
        compileHints: false, computePlans: streaming == nil, maximumFileSize: maximumFileSize, sourceFiles: reading,
        activeFiles: reading))
    return try plan(
      analysis: analysis, stores: stores, slices: slices, currentDirectory: currentDirectory, streaming: streaming)
  }

  /// - Parameter streaming: the selected slices' files are read here (whatever the analysis
  ///   kept of them, which need not be more than the folder listings); nil takes the plans the
  ///   analysis computed.
  public static func plan(
    analysis: ProjectAnalysis, stores: [String]? = nil, slices: [String]? = nil, currentDirectory: URL? = nil,
    streaming: CompileStreaming? = nil, workers: Int = BoundedWorkQueue.defaultWorkerCount
  ) throws -> PlanOutcome {
    var analysis = analysis
    let configurationFailures = CompileFailures.configurationFailures(analysis)
    guard configurationFailures.isEmpty else {
      return PlanOutcome(stores: [], failedFiles: configurationFailures, problems: [])
    }
    let touched = try touchedStores(analysis, names: stores, needsSchema: true)
    let selections = try SliceReferences.resolve(
      slices ?? [], in: touched, currentDirectory: currentDirectory ?? analysis.root)
    var outcome = PlanOutcome(stores: [], failedFiles: [], problems: [])
    for (store, selection) in selections {
      var plans: [SlicePlan]
      let failedMerges: [StoreSnapshot.Outcome]?
      if let streaming, let schema = store.schema {
        (plans, failedMerges) = streamPlans(
          store: store, schema: schema, selection: selection, reader: analysis.configuration.fileReader,
          files: &analysis.files, streaming: streaming, workers: workers)
      } else {
        plans = store.plans.filter { selection?.contains($0.name) ?? true }
        if let catalog = store.schema?.catalog {
          for index in plans.indices { store.snapshot.markAlreadyPurged(&plans[index], catalog: catalog) }
        }
        failedMerges = self.failedMerges(store)
      }
      // The plan shows what a sync that deletes a whole store would do, with a warning: the
      // sync itself refuses it unless allowed.
      let failures = CompileFailures.collect(
        store: store, analysis: analysis, mode: .sync, selection: selection, merges: failedMerges,
        allowsEmptiedStores: true)
      outcome.failedFiles += failures.files
      outcome.problems += failures.problems
      let warnings = store.folders.issues.filter { FindingCode.emptiedStoreCodes.contains($0.code) }.map(\.message)
      outcome.stores.append(PlanReport.StorePlans(store: store.name, plans: plans, warnings: warnings))
    }
    return outcome
  }

  /// One store's plans, its selected slices read and planned group by group in name order,
  /// with the sync merges that fail (as `failedMerges` gives them). The files' analyses,
  /// reduced to their findings, go into `files` (what the failure collection reads).
  static func streamPlans(
    store: StoreAnalysis, schema: StoreSchema, selection: NameSet?, reader: FileReader,
    files: inout [URL: SliceFileAnalysis], streaming: CompileStreaming, workers: Int
  ) -> (plans: [SlicePlan], failedMerges: [StoreSnapshot.Outcome]) {
    let sliceFiles = SliceFiles(store.folders, selection: selection)
    var plans: [SlicePlan] = []
    var failedMerges: [StoreSnapshot.Outcome] = []
    inNameOrder(sliceFiles.names, groupSize: streaming.groupSize, workers: workers, probe: streaming.probe) { _, name in
      let slice = readSlice(
        named: name, sources: sliceFiles.sources[name] ?? [], active: sliceFiles.active[name] ?? [], store: store,
        schema: schema, reader: reader, keepsSourceFiles: false)
      let snapshot = slice.snapshot
      // A slice with a file that does not load has no plan; its merge may fail still.
      guard !slice.hasUnloadedFile else {
        let failed = snapshot.outcomes(mode: .sync, catalog: schema.catalog, workers: 1).first {
          if case .failed = $0.result { return true }
          return false
        }
        return (files: slice.files, plan: SlicePlan?.none, failed: failed)
      }
      guard var plan = snapshot.plan(catalog: schema.catalog).first else {
        return (files: slice.files, plan: nil, failed: nil)
      }
      snapshot.markAlreadyPurged(&plan, catalog: schema.catalog)
      let failed = plan.failure.map {
        StoreSnapshot.Outcome(name: plan.name, current: CurrentSlice(plan.decision), result: .failed($0))
      }
      return (files: slice.files, plan: plan, failed: failed)
    } use: { slice in
      for (url, file) in slice.files { files[url] = file }
      if let plan = slice.plan { plans.append(plan) }
      if let failed = slice.failed { failedMerges.append(failed) }
    }
    return (plans, failedMerges)
  }
}

extension EmbeddedEngine {
  /// The sync merges that fail, by name, as `CompileFailures.collect` reads them: those of the
  /// plans, which the analysis merged already, and those of the slices a file failure kept out
  /// of the plans, merged here (merging every slice again doubled a plan's time).
  static func failedMerges(_ store: StoreAnalysis) -> [StoreSnapshot.Outcome]? {
    guard let catalog = store.schema?.catalog else { return nil }
    var failed: [StoreSnapshot.Outcome] = []
    for plan in store.plans {
      guard let failure = plan.failure else { continue }
      failed.append(StoreSnapshot.Outcome(name: plan.name, current: CurrentSlice(plan.decision), result: .failed(failure)))
    }
    let unplanned = store.failedSlices
    if !unplanned.isEmpty {
      let snapshot = store.snapshot
      let restricted = StoreSnapshot(
        storeName: snapshot.storeName, sources: snapshot.sources.values.filter { unplanned.contains($0.name) },
        active: snapshot.active.filter { unplanned.contains($0.key) })
      failed += restricted.outcomes(mode: .sync, catalog: catalog).filter {
        if case .failed = $0.result { return true }
        return false
      }
    }
    return failed.sorted { codePointLess($0.name, $1.name) }
  }
}

/// A slice argument that names nothing the selected stores hold.
public struct SliceReferenceError: Error, CustomStringConvertible {
  public var description: String
}

/// What `plan` accepts to select slices, the forms `check` and `plan` print: a slice name (in
/// every store that has it), `store/name`, a slice file (source or active), or a folder (the
/// stores whose source or active folder is in it).
enum SliceReferences {
  /// The stores to show, in their order, each with its selected slice names (nil: all).
  static func resolve(
    _ references: [String], in stores: [StoreAnalysis], currentDirectory: URL
  ) throws(SliceReferenceError) -> [(StoreAnalysis, NameSet?)] {
    guard !references.isEmpty else { return stores.map { ($0, nil) } }
    var selections: NameMap<NameSet?> = [:]
    func select(_ store: StoreAnalysis, _ name: String?) {
      guard let name else {
        selections[store.name] = .some(nil)
        return
      }
      if let existing = selections[store.name] {
        guard var names = existing else { return }
        names.insert(name)
        selections[store.name] = names
      } else {
        selections[store.name] = NameSet(names: [name])
      }
    }
    for reference in references {
      let url = URL(fileURLWithPath: reference, relativeTo: currentDirectory).standardizedFileURL
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
        if isDirectory.boolValue {
          let inside = stores.filter { store in
            [store.folders.sourceFolder, store.folders.activeFolder].contains { isWithin(folder: url, path: $0) }
          }
          guard !inside.isEmpty else {
            throw SliceReferenceError(
              description: "\(reference): holds no source or active folder of \(storeList(stores))")
          }
          inside.forEach { select($0, nil) }
        } else {
          guard let (store, name) = sliceFile(url, in: stores) else {
            throw SliceReferenceError(
              description: "\(reference): not a slice file of \(storeList(stores)) (a slice file is in a store's source or active folder)")
          }
          select(store, name)
        }
        continue
      }
      if let slash = reference.firstIndex(of: "/"),
        let store = stores.first(where: { $0.name == String(reference[..<slash]) })
      {
        let name = String(reference[reference.index(after: slash)...])
        guard knownNames(store).contains(name) else {
          throw SliceReferenceError(description: "\(reference): store '\(store.name)' has no slice '\(name)'")
        }
        select(store, name)
        continue
      }
      let holding = stores.filter { knownNames($0).contains(reference) }
      guard !holding.isEmpty else {
        throw SliceReferenceError(
          description:
            "\(reference): no such slice, store/name, slice file or folder in \(storeList(stores))")
      }
      holding.forEach { select($0, reference) }
    }
    return stores.compactMap { store in selections[store.name].map { (store, $0) } }
  }

  static func storeList(_ stores: [StoreAnalysis]) -> String {
    let names = stores.map { "'\($0.name)'" }
    return names.count == 1 ? "store \(names[0])" : "the stores \(names.joined(separator: ", "))"
  }

  static func knownNames(_ store: StoreAnalysis) -> NameSet {
    var known = NameSet(names: store.snapshot.sliceNames)
    known.formUnion(store.failedSlices)
    known.formUnion(names: store.folders.sources.map(\.name))
    known.formUnion(names: store.folders.active.map(\.name))
    return known
  }

  static func isWithin(folder: URL, path: String) -> Bool {
    let folderPath = folder.standardizedFileURL.path
    let candidate = URL(fileURLWithPath: path).standardizedFileURL.path
    return candidate.isScalarExact(to: folderPath) || candidate.hasPrefix(folderPath.hasSuffix("/") ? folderPath : folderPath + "/")
  }

  static func sliceFile(_ url: URL, in stores: [StoreAnalysis]) -> (StoreAnalysis, String)? {
    let path = url.standardizedFileURL.path
    for store in stores {
      for entry in store.folders.sources + store.folders.active
      where entry.url.path.isScalarExact(to: path) {
        return (store, entry.name)
      }
    }
    return nil
  }
}

extension EmbeddedEngine {
  /// What `slicels prune --dry-run` shows: the files a prune would delete (and the active
  /// folder setup it would create), with nothing written.
  public struct PruneDryRun: Sendable {
    public var stores: [String]
    public var operations: [FileOperation]
    public var failedFiles: [ReportedFile]
    public var problems: [String]
    public var succeeded: Bool { failedFiles.isEmpty && problems.isEmpty }
  }

  /// Reads the active folders as a prune does and returns its operations without running them.
  public static func pruneDryRun(
    root: URL, stores: [String]? = nil, slices: [String]? = nil, maximumFileSize: Int? = nil
  ) throws(CompileSetupError) -> PruneDryRun {
    let analysis = ProjectAnalysis.analyze(
      root: root,
      options: ProjectAnalysis.Options(compileHints: false, computePlans: false, maximumFileSize: maximumFileSize))
    let configurationFailures = CompileFailures.configurationFailures(analysis)
    guard configurationFailures.isEmpty else {
      return PruneDryRun(stores: stores ?? [], operations: [], failedFiles: configurationFailures, problems: [])
    }
    let touched = try touchedStores(analysis, names: stores, needsSchema: false)
    let selection = try sliceSelection(slices, in: touched)
    var result = PruneDryRun(stores: touched.map(\.name), operations: [], failedFiles: [], problems: [])
    for store in touched {
      let failures = CompileFailures.collect(store: store, analysis: analysis, mode: .prune, selection: selection)
      result.failedFiles += failures.files
      result.problems += failures.problems
    }
    guard result.succeeded else { return result }
    for store in touched {
      do {
        result.operations += try plannedOperations(
          store: store, mode: .prune, selection: selection, reader: analysis.configuration.fileReader)
      } catch {
        result.problems.append("store '\(store.name)': \(error)")
      }
    }
    if !result.succeeded { result.operations = [] }
    return result
  }
}

extension EmbeddedEngine {
  /// One store with a usable schema (for `new` and `schema`), or why not.
  public static func storeWithSchema(_ name: String, in analysis: ProjectAnalysis) throws(CompileSetupError) -> StoreAnalysis {
    guard let store = try touchedStores(analysis, names: [name], needsSchema: true).first else {
      throw .unknownStore(name: name, known: analysis.stores.map(\.name))
    }
    return store
  }
}
