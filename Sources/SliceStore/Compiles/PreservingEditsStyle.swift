import SliceSyntax

/// The `.preserve` style of the update compile: minimal edits to the file as it is (comments,
/// key order and quoting survive), from `PreservingEdits`. A file the preserving writer cannot
/// handle falls back to the reference's text.
public struct PreservingEditsStyle: PreservingStyle {
  public init() {}

  public func rewrite(_ document: TextDocument, tree: SyntaxTree, format: SliceFormat, to normalized: Value) -> String? {
    guard let edits = try? PreservingEdits.edits(source: document.bytes, tree: tree, normalized: normalized) else {
      return nil
    }
    return String(decoding: PreservingEdits.apply(edits, to: document.bytes), as: UTF8.self)
  }
}
