import Foundation

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

  public static func plan(
    root: URL, stores: [String]? = nil, slices: [String]? = nil, maximumFileSize: Int? = nil
  ) throws(CompileSetupError) -> PlanOutcome {
    let analysis = ProjectAnalysis.analyze(
      root: root, options: ProjectAnalysis.Options(compileHints: false, maximumFileSize: maximumFileSize))
    return try plan(analysis: analysis, stores: stores, slices: slices)
  }

  public static func plan(analysis: ProjectAnalysis, stores: [String]? = nil, slices: [String]? = nil) throws(CompileSetupError)
    -> PlanOutcome
  {
    let configurationFailures = CompileFailures.configurationFailures(analysis)
    guard configurationFailures.isEmpty else {
      return PlanOutcome(stores: [], failedFiles: configurationFailures, problems: [])
    }
    let touched = try touchedStores(analysis, names: stores, needsSchema: true)
    let selection = try sliceSelection(slices, in: touched)
    var outcome = PlanOutcome(stores: [], failedFiles: [], problems: [])
    for store in touched {
      let failures = CompileFailures.collect(store: store, analysis: analysis, mode: .sync, selection: selection)
      outcome.failedFiles += failures.files
      outcome.problems += failures.problems
      let plans = store.plans.filter { selection?.contains($0.name) ?? true }
      outcome.stores.append(PlanReport.StorePlans(store: store.name, plans: plans))
    }
    return outcome
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
