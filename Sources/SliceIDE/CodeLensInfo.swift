import Foundation
import SliceSchema
import SliceStore
import SliceSyntax

/// A code lens, protocol-neutral: a title over a range, and what clicking it should do (the
/// server maps the action to a command of its own).
public struct CodeLensInfo: Sendable, Hashable {
  public enum Action: Sendable, Hashable {
    /// Open the merged view of a slice (see `EditorQueries.mergedViewPreview`).
    case previewMergedView(store: String, slice: String)
    /// Open a file at a range.
    case open(path: String, range: ByteRange)
    /// Apply the update compile's edit to this file (`updatePreview`).
    case applyUpdate
    /// Run the project's real compile (inmanta) in update mode.
    case runInmantaUpdate
    /// Information only.
    case none
  }

  public var range: ByteRange
  public var title: String
  public var action: Action

  public init(range: ByteRange, title: String, action: Action) {
    self.range = range
    self.title = title
    self.action = action
  }
}

extension EditorQueries {
  /// The code lenses of a slice file: on a source slice, what the next sync does (version and
  /// object changes, from the plan); on an active version, where it stands among the versions.
  public static func codeLenses(for file: EditorFile) -> [CodeLensInfo] {
    guard let name = file.sliceName, let store = file.store else { return [] }
    let range = file.document.lineContentRange(0)
    let history = store.snapshot.active[name] ?? []
    switch file.role {
    case .source:
      if store.failedSlices.contains(name) {
        return [CodeLensInfo(range: range, title: "\(name): does not load or validate, so the next compile fails on it", action: .none)]
      }
      guard let plan = store.plan(for: name) else { return [] }
      var lenses = [CodeLensInfo(range: range, title: planSummary(plan), action: .previewMergedView(store: store.name, slice: name))]
      if let latest = Versions.latest(of: history), let path = latest.path {
        lenses.append(CodeLensInfo(range: range, title: "open active v\(latest.version)", action: .open(path: path, range: 0..<0)))
      }
      return lenses
    case .active:
      guard let own = SliceFileName.parse(file.url.lastPathComponent)?.version, let latest = Versions.latest(of: history) else {
        return []
      }
      var title = "active v\(own) of \(name)"
      if own >= latest.version {
        title += " · latest"
        if let decision = store.snapshot.decision(for: name), decision.version != own, !store.failedSlices.contains(name) {
          title += " · next sync: v\(decision.version)" + (decision.deleted ? " (deleted)" : "")
        }
      } else {
        title += " · superseded by v\(latest.version)"
      }
      if own == latest.version, latest.isDeleted { title += " · deleted slice" }
      var lenses = [CodeLensInfo(range: range, title: title, action: .previewMergedView(store: store.name, slice: name))]
      if let source = store.folders.source(named: name) {
        lenses.append(CodeLensInfo(range: range, title: "open source", action: .open(path: source.path, range: 0..<0)))
      }
      return lenses
    case .outsideStores:
      return []
    }
  }

  /// `update: +3 defaults · 1 rewritten · 1 dropped` over the first line of a source slice the
  /// update compile would change (for editors without inlay hints); clicking applies the edit.
  public static func updateLens(for file: EditorFile) -> CodeLensInfo? {
    guard let review = updateReview(for: file) else { return nil }
    return CodeLensInfo(range: file.document.lineContentRange(0), title: UpdatePreview.summary(of: review), action: .applyUpdate)
  }

  /// `v4 next (active v3) · 1 created · 2 updated · 3 purged`.
  static func planSummary(_ plan: SlicePlan) -> String {
    let decision = plan.decision
    var parts: [String] = []
    switch decision.change {
    case .new: parts.append("v\(decision.version) next (new slice)")
    case .modified: parts.append("v\(decision.version) next (active v\(decision.latestActiveVersion))")
    case .unchanged: parts.append("active v\(decision.version) · no pending change")
    case .deleted: parts.append("v\(decision.version) next: deleted (active v\(decision.latestActiveVersion))")
    case .stillDeleted: parts.append("deleted (active v\(decision.version))")
    }
    if let failure = plan.failure {
      parts.append("the compile fails: \(failure.referenceMessage)")
      return parts.joined(separator: " · ")
    }
    var counts: [String] = []
    for change in [SlicePlan.Change.created, .updated, .purged] {
      let count = plan.elements(change).count
      if count > 0 { counts.append("\(count) \(change.rawValue)") }
    }
    // Without a new version the model still sees what older versions changed (until a prune).
    if decision.change == .unchanged || decision.change == .stillDeleted {
      if !counts.isEmpty { parts.append("export: " + counts.joined(separator: ", ")) }
      return parts.joined(separator: " · ")
    }
    return (parts + counts).joined(separator: " · ")
  }
}
