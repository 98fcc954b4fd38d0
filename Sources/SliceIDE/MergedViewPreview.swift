import Foundation
import SliceSchema
import SliceStore
import SliceSyntax

/// What the server opens as a virtual document for "Preview purged elements".
public struct MergedViewPreview: Sendable, Hashable {
  public enum Status: Sendable, Hashable {
    /// The merged view of the slice (`text` is the model's input for it).
    case emitted
    /// A deleted slice that never had an undeleted version: the model does not see it.
    case notEmitted
    /// The reference's compile fails on the slice (merge error, or its files do not validate).
    case failed(String)
    /// Not enough to compute it (no usable schema, no such slice).
    case unavailable(String)
  }

  public var store: String
  public var slice: String
  /// The version the model receives.
  public var version: Int?
  public var status: Status
  /// A title for the document (`web01 v4 — merged view after the next sync`).
  public var title: String
  /// Pretty JSON (2 spaces, non-ASCII kept): `{"name", "store_name", "version", "attributes",
  /// "deleted"}` as `git_ops::unroll_slices` gives it to the model, every object with its
  /// `operation` and `path`; for the other statuses an object with a `note`.
  public var text: String
  /// How many objects the view creates, updates and purges.
  public var created: Int
  public var updated: Int
  public var purged: Int
}

extension EditorQueries {
  // MARK: Merged view

  /// The merged view of one slice as the model gets it: by default from the sources, i.e. what
  /// the next export after a sync gives the model (purged objects included, `operation: delete`);
  /// with `mode: .export`, what an export gives it now (the active store only).
  public static func mergedViewPreview(store: StoreAnalysis, slice: String, mode: CompileMode = .sync) -> MergedViewPreview {
    let when = mode == .export ? "merged view of the active store" : "merged view after the next sync"
    var preview = MergedViewPreview(
      store: store.name, slice: slice, version: nil, status: .unavailable(""), title: "\(slice) — \(when)", text: "",
      created: 0, updated: 0, purged: 0)
    func note(_ status: MergedViewPreview.Status, _ message: String) -> MergedViewPreview {
      var result = preview
      result.status = status
      result.text =
        ValueText.jsonPretty(
          .object([
            Value.Member("name", .string(slice)), Value.Member("store_name", .string(store.name)),
            Value.Member("note", .string(message)),
          ])) + "\n"
      return result
    }
    guard let schema = store.schema, schema.isUsable else {
      return note(.unavailable("no schema"), "the store has no usable schema: the merged view needs its classes")
    }
    if store.failedSlices.contains(slice) {
      let message = "the files of this slice do not load or validate: the compile fails on it"
      return note(.failed(message), message)
    }
    // The one slice only (`StoreSnapshot.outcomes` would merge every slice of the store).
    let history = store.snapshot.active[slice] ?? []
    let current: CurrentSlice?
    if mode == .export {
      current = Versions.latest(of: history).map(CurrentSlice.init)
    } else {
      current = store.snapshot.decision(for: slice).map(CurrentSlice.init)
    }
    guard let current else {
      return note(.unavailable("no such slice"), "the store has no slice '\(slice)' in this mode")
    }
    preview.version = current.version
    preview.title = "\(slice) v\(current.version) — \(when)"
    let result: StoreSnapshot.Outcome.Result
    do throws(MergeError) {
      if let unrolled = try MergedView.unroll(
        name: slice, storeName: store.name, current: current, history: history, catalog: schema.catalog)
      {
        result = .emitted(unrolled.slice, elements: unrolled.elements)
      } else {
        result = .notEmitted
      }
    } catch {
      result = .failed(error)
    }
    switch result {
    case .emitted(let unrolled, let elements):
      preview.status = .emitted
      preview.text = ValueText.jsonPretty(unrolled.value) + "\n"
      for element in elements {
        switch SlicePlan.Change(element) {
        case .created: preview.created += 1
        case .updated: preview.updated += 1
        case .purged: preview.purged += 1
        case .unchanged: break
        }
      }
      return preview
    case .notEmitted:
      return note(.notEmitted, "deleted before any version was synced: the model does not receive this slice")
    case .failed(let error):
      return note(.failed(error.referenceMessage), "the compile fails: \(error.referenceMessage)")
    }
  }
}
