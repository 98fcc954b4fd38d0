import SliceSyntax

/// `slicels plan`: per slice, what the next sync activates and what the model will then do
/// with each object: the merged view the following export compile gives the model.
public struct SlicePlan: Sendable {
  /// What happens to one object of the slice.
  public enum Change: String, Sendable, Hashable, CaseIterable {
    /// New: not in any older version still in the active store.
    case created
    /// Changed (in itself or below it), or changed in an older version not pruned yet.
    case updated
    /// Removed: the model purges what it deployed for it (until a prune forgets it).
    case purged
    /// Equal to its previous state.
    case unchanged

    public init(_ element: MergedElement) {
      switch element.operation {
      case .delete: self = .purged
      case .update: self = .updated
      case .create: self = element.inPrevious ? .unchanged : .created
      }
    }
  }

  public struct Element: Sendable, Hashable {
    public var path: DictPath
    public var operation: ElementOperation
    public var change: Change
    public var shape: EntityShape.ID
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
}

extension StoreSnapshot {
  /// The plan of every slice (in name order), from the source view an update or sync compile has.
  public func plan(catalog: ShapeCatalog) -> [SlicePlan] {
    outcomes(mode: .sync, catalog: catalog).compactMap { outcome in
      guard let decision = decision(for: outcome.name) else { return nil }
      switch outcome.result {
      case .emitted(_, let elements):
        return SlicePlan(
          name: outcome.name, decision: decision,
          elements: elements.map {
            SlicePlan.Element(path: $0.path, operation: $0.operation, change: SlicePlan.Change($0), shape: $0.shape)
          },
          emitted: true, failure: nil)
      case .notEmitted:
        return SlicePlan(name: outcome.name, decision: decision, elements: [], emitted: false, failure: nil)
      case .failed(let error):
        return SlicePlan(name: outcome.name, decision: decision, elements: [], emitted: true, failure: error)
      }
    }
  }
}
