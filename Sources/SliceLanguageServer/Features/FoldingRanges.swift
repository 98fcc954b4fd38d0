import LanguageServerProtocol
import SliceSyntax

/// `textDocument/foldingRange`: every mapping, list and block scalar that spans several lines
/// folds from the line of its key (or list dash) to its last line.
///
/// A flow collection (`{…}`, `[…]`, all of JSON) keeps its closing bracket visible: with
/// `lineFoldingOnly` the fold ends on the line before the bracket, otherwise at the bracket.
public enum FoldingRanges {
  /// At most this many ranges (outer ones first) when the client sets no `rangeLimit`.
  public static let defaultLimit = 10_000

  public static func ranges(
    in tree: SyntaxTree, document: TextDocument, encoding: PositionEncodingKind, lineFoldingOnly: Bool,
    limit: Int? = nil
  ) -> [FoldingRange] {
    guard let root = tree.root else { return [] }
    let limit = max(0, limit ?? defaultLimit)
    var ranges: [FoldingRange] = []
    var usedStartLines = Set<Int>()
    // (node, where its fold starts, the range it must stay inside): an iterative walk, since the
    // depth of a document is the writer's choice.
    var pending: [(node: Node, start: Int, bounds: ByteRange)] = [(root, root.range.lowerBound, 0..<document.bytes.count)]
    while let (node, start, bounds) = pending.popLast(), ranges.count < limit {
      guard bounds.lowerBound <= node.range.lowerBound, node.range.upperBound <= bounds.upperBound,
        node.yaml?.alias == nil
      else { continue }
      // A block collection at the top would fold the whole file under its first line.
      let isBlockRoot = ranges.isEmpty && node.range == root.range && node.style != .json
        && node.style != .flowMapping && node.style != .flowSequence
      if !isBlockRoot,
        let range = foldingRange(node, start: start, document: document, encoding: encoding, lineFoldingOnly: lineFoldingOnly),
        usedStartLines.insert(range.startLine).inserted
      {
        ranges.append(range)
      }
      switch node.kind {
      case .mapping(let entries):
        for entry in entries.reversed() {
          pending.append((entry.value, entry.key.range.lowerBound, node.range))
        }
      case .sequence(let items):
        for item in items.reversed() { pending.append((item, item.range.lowerBound, node.range)) }
      case .scalar:
        break
      }
    }
    return ranges.sorted { ($0.startLine, $0.endLine) < ($1.startLine, $1.endLine) }
  }

  private static func foldingRange(
    _ node: Node, start: Int, document: TextDocument, encoding: PositionEncodingKind, lineFoldingOnly: Bool
  ) -> FoldingRange? {
    guard !node.range.isEmpty, start <= node.range.lowerBound else { return nil }
    let startLine = document.line(containing: start)
    let last = node.range.upperBound - 1
    switch node.style {
    case .flowMapping, .flowSequence, .json:
      guard node.scalar == nil else { return nil }
      let closing = document.lspPosition(of: last, in: encoding)
      if lineFoldingOnly {
        let endLine = closing.line - 1
        return endLine > startLine ? FoldingRange(startLine: startLine, endLine: endLine) : nil
      }
      return closing.line > startLine
        ? FoldingRange(startLine: startLine, endLine: closing.line, endCharacter: closing.character) : nil
    case .blockMapping, .blockSequence, .literal, .folded:
      let endLine = document.line(containing: last)
      return endLine > startLine ? FoldingRange(startLine: startLine, endLine: endLine) : nil
    case .plain, .singleQuoted, .doubleQuoted:
      return nil
    }
  }
}

extension FeatureHandlers {
  /// `textDocument/foldingRange`.
  static func registerFoldingRanges(on server: LanguageServer, workspace: Workspace) {
    server.register(FoldingRangeRequest.self) { params, context in
      guard let document = await workspace.document(params.textDocument.uri) else { return nil }
      context.releaseMessageOrder()
      try context.checkCancellation()
      let capabilities = context.clientCapabilities.textDocument?.foldingRange
      return FoldingRanges.ranges(
        in: document.syntaxTree, document: document.document, encoding: context.positionEncoding,
        lineFoldingOnly: capabilities?.lineFoldingOnly == true, limit: capabilities?.rangeLimit)
    }
  }
}
