import SliceSyntax

/// `slicels plan`: per slice, what the next sync activates and what the model will then do
/// with each object: the merged view the following export compile gives the model.
public struct SlicePlan: Sendable {
  /// What happens to one object of the slice.
  public enum Change: String, Sendable, Hashable, CaseIterable {
    /// New: not in any older version still in the active store.
    case created
    /// One of its own attributes changed (a change below it alone does not count).
    case updated
    /// Removed: the model purges what it deployed for it (until a prune forgets it).
    case purged
    /// Its own attributes are equal to their previous state (something below it may differ).
    case unchanged

    public init(_ element: MergedElement) {
      switch element.operation {
      case .delete: self = .purged
      case .create where !element.inPrevious: self = .created
      case .create, .update:
        self = AttributeChange.changes(of: element).isEmpty ? .unchanged : .updated
      }
    }
  }

  public struct Element: Sendable, Equatable {
    public var path: DictPath
    public var operation: ElementOperation
    public var change: Change
    public var shape: EntityShape.ID
    /// Created: its attributes that have a value; updated: the ones that differ; purged: the
    /// values it had.
    public var attributeChanges: [AttributeChange]
    /// Purged, but already by the latest active version: every export carries the purge
    /// until a prune, whether or not the next sync happens.
    public var alreadyPurged = false

    public init(
      path: DictPath, operation: ElementOperation, change: Change, shape: EntityShape.ID,
      attributeChanges: [AttributeChange] = []
    ) {
      self.path = path
      self.operation = operation
      self.change = change
      self.shape = shape
      self.attributeChanges = attributeChanges
    }

    public init(_ element: MergedElement) {
      let changes = AttributeChange.changes(of: element)
      let change: Change
      switch element.operation {
      case .delete: change = .purged
      case .create where !element.inPrevious: change = .created
      case .create, .update: change = changes.isEmpty ? .unchanged : .updated
      }
      self.init(path: element.path, operation: element.operation, change: change, shape: element.shape, attributeChanges: changes)
    }

    /// Unchanged itself, but the model is told to update it because something below it
    /// changed: shown as the context of those changes, never counted.
    public var isContext: Bool { change == .unchanged && operation == .update }
  }

  public var name: String
  public var decision: VersionDecision
  /// The merged view's objects, parents first; empty when the slice is not emitted.
  public var elements: [Element]
  /// False for a slice deleted without any undeleted version: the model never sees it.
  public var emitted: Bool
  /// Set when the real compile fails on this slice.
  public var failure: MergeError?

  /// The objects with a given change.
  public func elements(_ change: Change) -> [Element] { elements.filter { $0.change == change } }

  /// Whether the next sync changes anything for this slice.
  public var hasChanges: Bool { decision.change != .unchanged && decision.change != .stillDeleted }

  /// The objects the active versions already purge: exports carry them with `operation:
  /// delete` until a prune removes the older versions. For a slice the next sync leaves alone,
  /// every purge.
  public var pendingPurges: [Element] { elements.filter { $0.change == .purged && (!hasChanges || $0.alreadyPurged) } }

  /// The purges the next sync adds.
  public var newPurges: [Element] { hasChanges ? elements.filter { $0.change == .purged && !$0.alreadyPurged } : [] }
}

/// One attribute of an object that the next export changes: `before` nil when it had no
/// value (absent or null), `after` nil when it has none any more.
public struct AttributeChange: Sendable, Equatable {
  public enum Kind: String, Sendable, Hashable {
    case added, removed, changed
  }

  public var name: String
  public var before: Value?
  public var after: Value?

  public init(name: String, before: Value?, after: Value?) {
    self.name = name
    self.before = before
    self.after = after
  }

  public var kind: Kind {
    switch (before, after) {
    case (nil, _): return .added
    case (_, nil): return .removed
    default: return .changed
    }
  }

  /// The own attributes of an object that differ between its previous and current state, in
  /// the shape's order; null counts as no value.
  public static func changes(of element: MergedElement) -> [AttributeChange] {
    let before = element.previousAttributes ?? []
    let after = element.currentAttributes ?? []
    // The compile sets these on every root; the source does not choose them.
    let skipped: Set<String> = element.path == .root ? ["version", "slice_store", "slice_name"] : []
    var names: [String] = []
    var seen: NameSet = []
    func values(_ members: [Value.Member]) -> NameMap<Value> {
      var values: NameMap<Value> = [:]
      for member in members {
        let name = InlineJSON.keyText(member.key.scalar)
        guard !skipped.contains(name), values[name] == nil else { continue }
        if seen.insert(name) { names.append(name) }
        values[name] = member.value
      }
      return values
    }
    let newValues = values(after)
    let oldValues = values(before)
    // Null counts as no value.
    return names.compactMap { name in
      let old = oldValues[name].flatMap { $0.isNull ? nil : $0 }
      let new = newValues[name].flatMap { $0.isNull ? nil : $0 }
      return old == new ? nil : AttributeChange(name: name, before: old, after: new)
    }
  }
}

extension StoreSnapshot {
  /// The plan of every slice (in name order), from the source view an update or sync compile has.
  public func plan(catalog: ShapeCatalog) -> [SlicePlan] {
    outcomes(mode: .sync, catalog: catalog).compactMap { outcome in
      guard let decision = decision(for: outcome.name) else { return nil }
      switch outcome.result {
      case .emitted(_, let elements):
        return SlicePlan(
          name: outcome.name, decision: decision, elements: elements.map(SlicePlan.Element.init), emitted: true,
          failure: nil)
      case .notEmitted:
        return SlicePlan(name: outcome.name, decision: decision, elements: [], emitted: false, failure: nil)
      case .failed(let error):
        return SlicePlan(name: outcome.name, decision: decision, elements: [], emitted: true, failure: error)
      }
    }
  }

  /// Marks the purges the latest active version already carries: those an export run now
  /// (the latest version merged with the older ones) purges too. Only a slice the next sync
  /// changes needs that second merge: otherwise the latest version is the sync's current one.
  /// Left to `slicels plan`: the editor's counts do not tell these purges apart, and a large
  /// slice would pay the second merge on every edit.
  public func markAlreadyPurged(_ plan: inout SlicePlan, catalog: ShapeCatalog) {
    guard plan.hasChanges, plan.elements.contains(where: { $0.change == .purged }),
      let history = active[plan.name], let latest = Versions.latest(of: history)
    else { return }
    guard
      let export = try? MergedView.unroll(
        name: plan.name, storeName: storeName, current: CurrentSlice(latest), history: history, catalog: catalog)
    else { return }
    let purgedNow = Set(export.elements.filter { $0.operation == .delete }.map(\.path))
    for index in plan.elements.indices where plan.elements[index].change == .purged {
      plan.elements[index].alreadyPurged = purgedNow.contains(plan.elements[index].path)
    }
  }
}
