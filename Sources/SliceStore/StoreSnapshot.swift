import SliceSyntax

/// The compile modes of the module (`INMANTA_GIT_OPS_COMPILE_MODE`) that the embedded engine runs.
public enum CompileMode: String, Sendable, Hashable, CaseIterable {
  case update
  case sync
  case export
  case prune

  /// Update and sync take the current version of a slice from its source file; export takes
  /// the latest active version; prune looks at no slice at all.
  public var readsSources: Bool { self == .update || self == .sync }
}

/// A source slice as read.
public struct SourceSlice: Sendable, Equatable {
  public var name: String
  /// As `SliceFile.read()` returns them (see `ActiveVersion`); `{}` for a deleted slice.
  public var attributes: Value
  /// A version written in the file name (`a@v5.json`): the reference uses it (see `FindingCode.sourceFileVersion`).
  public var fileVersion: Int?
  public var path: String?
  public var format: SliceFormat?

  public init(
    name: String, attributes: Value, fileVersion: Int? = nil, path: String? = nil,
    format: SliceFormat? = nil
  ) {
    self.name = name
    self.attributes = attributes
    self.fileVersion = fileVersion
    self.path = path
    self.format = format
  }
}

/// Everything the engine needs to know about a store's slices, already read and normalised.
public struct StoreSnapshot: Sendable {
  public var storeName: String
  /// One per slice name.
  /// Keyed as Python compares names: NFC and NFD spellings are two slices.
  public var sources: NameMap<SourceSlice>
  /// Every active version of every slice, in any order.
  public var active: NameMap<[ActiveVersion]>

  public init(storeName: String, sources: [SourceSlice], active: NameMap<[ActiveVersion]>) {
    self.storeName = storeName
    var byName: NameMap<SourceSlice> = [:]
    for source in sources { byName[source.name] = source }
    self.sources = byName
    self.active = active
  }

  public init(storeName: String, sources: [SourceSlice], active: [String: [ActiveVersion]]) {
    self.init(storeName: storeName, sources: sources, active: NameMap(active))
  }

  /// Every slice name the store knows, in Python's sort order.
  public var sliceNames: [String] {
    Set((sources.keys + active.keys).map(ExactString.init)).map(\.text).sorted(by: codePointLess)
  }

  /// The version the next update or sync assigns to a slice.
  public func decision(for name: String) -> VersionDecision? {
    let source = sources[name]
    return Versions.decide(
      source: source?.attributes, sourceFileVersion: source?.fileVersion,
      history: active[name] ?? [])
  }

  /// The current version of every slice in a compile mode, by name.
  public func currentSlices(mode: CompileMode) -> [(name: String, current: CurrentSlice)] {
    switch mode {
    case .prune:
      return []
    case .export:
      return active.keys.sorted(by: codePointLess).compactMap { name in
        Versions.latest(of: active[name] ?? []).map { (name, CurrentSlice($0)) }
      }
    case .update, .sync:
      return sliceNames.compactMap { name in decision(for: name).map { (name, CurrentSlice($0)) } }
    }
  }

  /// What becomes of one slice in a compile's merged view.
  public struct Outcome: Sendable {
    public enum Result: Sendable {
      case emitted(UnrolledSlice, elements: [MergedElement])
      /// Deleted without ever having had an undeleted version: not in the model.
      case notEmitted
      /// The reference's compile fails on this slice.
      case failed(MergeError)
    }

    public var name: String
    public var current: CurrentSlice
    public var result: Result

    public var slice: UnrolledSlice? {
      if case .emitted(let slice, _) = result { return slice }
      return nil
    }
  }

  /// The merged view of every slice, sorted by name, with the ones that fail kept apart. The
  /// slices merge independently, on every core.
  public func outcomes(
    mode: CompileMode, catalog: ShapeCatalog, workers: Int = BoundedWorkQueue.defaultWorkerCount
  ) -> [Outcome] {
    let slices = currentSlices(mode: mode)
    let results = ResultSlots<Outcome>(count: slices.count)
    BoundedWorkQueue.run(count: slices.count, workers: workers) { index in
      let (name, current) = slices[index]
      results.set(index, outcome(name: name, current: current, catalog: catalog, keepsElements: mode != .export))
    }
    return results.values()
  }

  /// `keepsElements`: the plans of update and sync read the merged elements; export's view
  /// does not, and a large project's lists of them would otherwise all be alive at once.
  private func outcome(name: String, current: CurrentSlice, catalog: ShapeCatalog, keepsElements: Bool) -> Outcome {
    let result: Outcome.Result
    do throws(MergeError) {
      if let unrolled = try MergedView.unroll(
        name: name, storeName: storeName, current: current, history: active[name] ?? [],
        catalog: catalog, listingElements: keepsElements)
      {
        result = .emitted(unrolled.slice, elements: unrolled.elements)
      } else {
        result = .notEmitted
      }
    } catch {
      result = .failed(error)
    }
    return Outcome(name: name, current: current, result: result)
  }

  /// Exactly what `git_ops::unroll_slices(store)` returns in this mode; throws where the
  /// reference's compile fails (the first failing slice by name).
  public func unrollSlices(mode: CompileMode, catalog: ShapeCatalog) throws(MergeError) -> [UnrolledSlice] {
    try Self.unrolledSlices(outcomes(mode: mode, catalog: catalog))
  }

  /// `unrollSlices` from outcomes already computed.
  public static func unrolledSlices(_ outcomes: [Outcome]) throws(MergeError) -> [UnrolledSlice] {
    var slices: [UnrolledSlice] = []
    for outcome in outcomes {
      switch outcome.result {
      case .emitted(let slice, _): slices.append(slice)
      case .notEmitted: break
      case .failed(let error): throw error
      }
    }
    return slices
  }
}
