import Foundation
import SliceSchema
import SliceStore
import SliceSyntax

/// What the update compile (embedded engine) would do to a source slice as the editor has it:
/// the edits that make the text what the update writes, and the review of the data it adds,
/// rewrites and drops. "Run update compile", the update lens and the update inlay hints all
/// show this one value, so their counts and their edit agree.
public struct UpdatePreview: Sendable {
  /// Minimal edits keeping comments and key order (`PreservingEdits`), or the reference's whole
  /// text where that writer cannot do it.
  public var edits: [TextEdit]
  /// Reviewed as the CLI's default does: near misses are errors with a rename fix.
  public var review: UpdateReview.FileReview

  public var summary: String { Self.summary(of: review) }

  /// `update: +3 defaults · 1 rewritten · 1 dropped`; only the parts that are not zero. A
  /// review without any (the data stays, only the text changes) says `update: reformat`.
  public static func summary(of review: UpdateReview.FileReview) -> String {
    let added = review.addedCount
    var parts: [String] = []
    if added > 0 { parts.append("+\(added) default\(added == 1 ? "" : "s")") }
    if review.rewrittenCount > 0 { parts.append("\(review.rewrittenCount) rewritten") }
    if !review.dropped.isEmpty { parts.append("\(review.dropped.count) dropped") }
    return "update: " + (parts.isEmpty ? "reformat" : parts.joined(separator: " · "))
  }
}

extension EditorQueries {
  /// The update compile's effect on `file`; nil when the file is no source slice, the compile
  /// fails on it, or the update would leave its text as it is.
  public static func updatePreview(for file: EditorFile) -> UpdatePreview? {
    guard let (content, format) = updateContent(for: file) else { return nil }
    let edits: [TextEdit]
    if let preserving = try? PreservingEdits.edits(source: file.document.bytes, tree: file.tree, normalized: content) {
      edits = preserving
    } else if let text = try? EmbeddedEngine.referenceText(content, format: format) {
      edits = [TextEdit(range: 0..<file.document.bytes.count, newText: text)]
    } else {
      return nil
    }
    guard PreservingEdits.apply(edits, to: file.document.bytes) != file.document.bytes else { return nil }
    return UpdatePreview(edits: edits, review: UpdateReview.review(file.tree, normalized: content, policy: .hold))
  }

  /// What the update compile does to `file`'s data, without the edit (the lens and the inlay
  /// hints need no more, and the edit costs several times the review on a large file); nil
  /// when the data stays as it is (or as `updatePreview`).
  public static func updateReview(for file: EditorFile) -> UpdateReview.FileReview? {
    guard let (content, _) = updateContent(for: file) else { return nil }
    let review = UpdateReview.review(file.tree, normalized: content, policy: .hold)
    return review.findings.isEmpty && review.added.isEmpty ? nil : review
  }

  /// The content the update compile writes to `file`, from the plan of its store.
  static func updateContent(for file: EditorFile) -> (Value, SliceFormat)? {
    guard file.isSource, let name = file.sliceName, let store = file.store, let schema = store.schema, schema.isUsable,
      !store.failedSlices.contains(name),
      // The store must have been analysed with this very text (a buffer typed since the
      // analysis would get the edit of the text the analysis read).
      file.projectFiles[file.url]?.document.bytes == file.document.bytes
    else { return nil }
    guard
      let plan = try? CompilePlans.update(
        snapshot: store.snapshot, folders: store.folders, registeredMigrations: [], catalog: schema.catalog, writer: schema),
      !plan.failures.contains(where: { $0.name == name })
    else { return nil }
    for operation in plan.operations {
      if case .write(let path, let content, let format) = operation, URL(fileURLWithPath: path).standardizedFileURL == file.url {
        return (content, format)
      }
    }
    return nil
  }
}
