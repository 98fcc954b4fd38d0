import Foundation
import LanguageServerProtocol
import SliceSyntax

/// `textDocument/documentSymbol`: the outline of a slice file.
///
/// A mapping entry is a symbol named by its key, of the kind of its value (Object, Array,
/// String, Number, Boolean, Null); its selection range is the key. A list item is named by its
/// `name` or `id` field when it has one (its index is the detail), else `[i]`. Merged (`<<`)
/// entries and the content of aliases are not repeated: they are outlined where they are written.
public enum DocumentSymbols {
  /// Deeper levels are left out of the outline (a hostile document must not exhaust the stack).
  public static let maximumDepth = 64
  /// At most this many symbols, outer levels first.
  public static let maximumCount = 10_000

  struct Symbol {
    var name: String
    var detail: String?
    var kind: SymbolKind
    var range: ByteRange
    var selectionRange: ByteRange
    var children: [Symbol]
  }

  /// Hierarchical symbols (clients with `hierarchicalDocumentSymbolSupport`).
  public static func documentSymbols(in tree: SyntaxTree, document: TextDocument, encoding: PositionEncodingKind)
    -> [DocumentSymbol]
  {
    func convert(_ symbol: Symbol) -> DocumentSymbol {
      DocumentSymbol(
        name: symbol.name, detail: symbol.detail, kind: symbol.kind,
        range: document.lspRange(of: symbol.range, in: encoding),
        selectionRange: document.lspRange(of: symbol.selectionRange, in: encoding),
        children: symbol.children.isEmpty ? nil : symbol.children.map(convert))
    }
    return symbols(in: tree, documentLength: document.bytes.count).map(convert)
  }

  /// Flat symbols for older clients: each with the name of its parent as `containerName`.
  public static func symbolInformation(
    in tree: SyntaxTree, document: TextDocument, uri: DocumentURI, encoding: PositionEncodingKind
  ) -> [SymbolInformation] {
    var flat: [SymbolInformation] = []
    var pending: [(Symbol, String?)] = symbols(in: tree, documentLength: document.bytes.count).reversed().map { ($0, nil) }
    while let (symbol, container) = pending.popLast() {
      flat.append(
        SymbolInformation(
          name: symbol.name, kind: symbol.kind,
          location: Location(uri: uri, range: document.lspRange(of: symbol.range, in: encoding)), containerName: container))
      pending += symbol.children.reversed().map { ($0, symbol.name) }
    }
    return flat
  }

  static func symbols(in tree: SyntaxTree, documentLength: Int) -> [Symbol] {
    guard let root = tree.root else { return [] }
    var budget = maximumCount
    return children(of: root, within: 0..<documentLength, depth: 0, budget: &budget)
  }

  /// The symbols of a collection's members. All members of a collection are counted against the
  /// budget before any of their children, so that a huge document keeps its outer levels.
  private static func children(of node: Node, within bounds: ByteRange, depth: Int, budget: inout Int) -> [Symbol] {
    guard depth < maximumDepth, node.yaml?.alias == nil else { return [] }
    var symbols: [Symbol] = []
    var members: [Node] = []
    switch node.kind {
    case .mapping(let entries):
      for entry in entries {
        let range = entryRange(entry)
        guard budget > 0, contains(bounds, range) else { continue }
        budget -= 1
        symbols.append(
          Symbol(
            name: displayName(of: entry.key), detail: detail(of: entry.value), kind: kind(of: entry.value), range: range,
            selectionRange: entry.key.range, children: []))
        members.append(entry.value)
      }
    case .sequence(let items):
      for (index, item) in items.enumerated() {
        guard budget > 0, contains(bounds, item.range) else { continue }
        budget -= 1
        let identity = identityField(of: item)
        symbols.append(
          Symbol(
            name: identity.map { displayName(of: $0) } ?? "[\(index)]",
            detail: identity == nil ? detail(of: item) : "[\(index)]", kind: kind(of: item), range: item.range,
            selectionRange: identity?.range ?? item.range, children: []))
        members.append(item)
      }
    case .scalar:
      return []
    }
    for index in symbols.indices {
      symbols[index].children = children(of: members[index], within: symbols[index].range, depth: depth + 1, budget: &budget)
    }
    return symbols
  }

  /// From the key to the end of the value; the key alone when the value is written elsewhere.
  static func entryRange(_ entry: MappingEntry) -> ByteRange {
    let key = entry.key.range
    let value = entry.value.range
    guard value.lowerBound >= key.lowerBound else { return key }
    return key.lowerBound..<max(key.upperBound, value.upperBound)
  }

  private static func contains(_ outer: ByteRange, _ inner: ByteRange) -> Bool {
    outer.lowerBound <= inner.lowerBound && inner.upperBound <= outer.upperBound
  }

  /// The `name` or `id` scalar of a list item that is a mapping.
  private static func identityField(of item: Node) -> Node? {
    for field in ["name", "id"] {
      if let value = item.lookup(field), value.scalar != nil, value.scalar != .null,
        contains(item.range, value.range)
      {
        return value
      }
    }
    return nil
  }

  static func kind(of node: Node) -> SymbolKind {
    switch node.kind {
    case .mapping: return .object
    case .sequence: return .array
    case .scalar(.string), .scalar(.date), .scalar(.datetime): return .string
    case .scalar(.integer), .scalar(.float): return .number
    case .scalar(.boolean): return .boolean
    case .scalar(.null): return .null
    }
  }

  /// A name for the outline: never empty (clients reject empty names).
  static func displayName(of node: Node) -> String {
    guard let scalar = node.scalar else { return node.items != nil ? "[…]" : "{…}" }
    let text = render(scalar)
    return text.isEmpty ? "\"\"" : shortened(text)
  }

  private static func detail(of node: Node) -> String? {
    guard let scalar = node.scalar else { return nil }
    if case .string(let text) = scalar { return shortened(text) }
    return render(scalar)
  }

  static func render(_ scalar: Scalar) -> String {
    switch scalar {
    case .string(let text): return text
    case .integer(let number): return "\(number)"
    case .float(let number):
      if number.isNaN { return ".nan" }
      if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
      return String(number)
    case .boolean(let value): return value ? "true" : "false"
    case .null: return "null"
    case .date(let date): return String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
    case .datetime(let time):
      return String(
        format: "%04d-%02d-%02d %02d:%02d:%02d", time.year, time.month, time.day, time.hour, time.minute, time.second)
    }
  }

  private static func shortened(_ text: String) -> String {
    let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
    if line.count <= 80, line.count == text.count { return text }
    return String(line.prefix(79)) + "…"
  }
}

extension FeatureHandlers {
  /// `textDocument/documentSymbol`: the outline, hierarchical when the client supports it.
  static func registerDocumentSymbols(on server: LanguageServer, workspace: Workspace) {
    server.register(DocumentSymbolRequest.self) { params, context in
      guard let document = await workspace.document(params.textDocument.uri) else { return nil }
      context.releaseMessageOrder()
      try context.checkCancellation()
      let tree = document.syntaxTree
      try context.checkCancellation()
      if context.clientCapabilities.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport == true {
        return .documentSymbols(
          DocumentSymbols.documentSymbols(in: tree, document: document.document, encoding: context.positionEncoding))
      }
      return .symbolInformation(
        DocumentSymbols.symbolInformation(
          in: tree, document: document.document, uri: document.uri, encoding: context.positionEncoding))
    }
  }
}
