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

  public var addedCount: Int { review.addedCount }
  public var rewrittenCount: Int { review.rewrittenCount }
  public var droppedCount: Int { review.dropped.count }

  /// `update: +3 defaults · 1 rewritten · 1 dropped`; only the parts that are not zero. A
  /// preview whose data does not change (a reformat only) says `update: reformat`.
  public var summary: String {
    var parts: [String] = []
    if addedCount > 0 { parts.append("+\(addedCount) default\(addedCount == 1 ? "" : "s")") }
    if rewrittenCount > 0 { parts.append("\(rewrittenCount) rewritten") }
    if droppedCount > 0 { parts.append("\(droppedCount) dropped") }
    return "update: " + (parts.isEmpty ? "reformat" : parts.joined(separator: " · "))
  }
}

extension EditorQueries {
  /// The update compile's effect on `file`; nil when the file is no source slice, the compile
  /// fails on it, or the update would leave its text as it is.
  public static func updatePreview(for file: EditorFile) -> UpdatePreview? {
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
      guard case .write(let path, let content, let format) = operation,
        URL(fileURLWithPath: path).standardizedFileURL == file.url
      else { continue }
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
    return nil
  }
}
