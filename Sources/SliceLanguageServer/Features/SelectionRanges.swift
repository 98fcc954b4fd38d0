import LanguageServerProtocol
import SliceSyntax

/// `textDocument/selectionRange`: expanding the selection goes from the scalar (or key) under the
/// cursor to its entry (`key: value`), to the collection holding it, to that collection's entry,
/// and so on up to the whole document.
public enum SelectionRanges {
  public static func ranges(
    at positions: [LSPPosition], in tree: SyntaxTree, document: TextDocument, encoding: PositionEncodingKind
  ) -> [SelectionRange] {
    positions.map { position in
      let offset = document.offset(of: position, in: encoding)
      var selection: SelectionRange?
      for range in chain(at: offset, in: tree.root, documentLength: document.bytes.count) {
        selection = SelectionRange(range: document.lspRange(of: range, in: encoding), parent: selection)
      }
      // The chain always holds the document; this only satisfies the type.
      return selection ?? SelectionRange(range: document.lspFullRange(in: encoding))
    }
  }

  /// The byte ranges around `offset`, outermost (the document) first, each inside the previous.
  static func chain(at offset: Int, in root: Node?, documentLength: Int) -> [ByteRange] {
    var chain: [ByteRange] = [0..<documentLength]
    func add(_ range: ByteRange) {
      guard let outer = chain.last, outer.lowerBound <= range.lowerBound, range.upperBound <= outer.upperBound,
        range != outer
      else { return }
      chain.append(range)
    }
    func holds(_ range: ByteRange) -> Bool { range.lowerBound <= offset && offset <= range.upperBound }

    guard var node = root, holds(node.range) else { return chain }
    add(node.range)
    while node.yaml?.alias == nil {
      let bounds = node.range
      let inside = { (range: ByteRange) in bounds.lowerBound <= range.lowerBound && range.upperBound <= bounds.upperBound }
      switch node.kind {
      case .mapping(let entries):
        guard
          let entry = entries.first(where: { entry in
            let range = DocumentSymbols.entryRange(entry)
            return inside(range) && holds(range)
          })
        else { return chain }
        add(DocumentSymbols.entryRange(entry))
        if holds(entry.key.range) {
          add(entry.key.range)
          return chain
        }
        guard holds(entry.value.range), inside(entry.value.range) else { return chain }
        node = entry.value
        add(node.range)
      case .sequence(let items):
        guard let item = items.first(where: { inside($0.range) && holds($0.range) }) else { return chain }
        node = item
        add(node.range)
      case .scalar:
        return chain
      }
    }
    return chain
  }
}

extension FeatureHandlers {
  /// `textDocument/selectionRange`.
  static func registerSelectionRanges(on server: LanguageServer, workspace: Workspace) {
    server.register(SelectionRangeRequest.self) { params, context in
      guard let document = await workspace.document(params.textDocument.uri) else { return nil }
      context.releaseMessageOrder()
      try context.checkCancellation()
      return SelectionRanges.ranges(
        at: params.positions, in: document.syntaxTree, document: document.document, encoding: context.positionEncoding)
    }
  }
}
