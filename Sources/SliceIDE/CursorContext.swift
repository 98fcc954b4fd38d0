import SliceSchema
import SliceStore
import SliceSyntax

/// Where the cursor stands in a slice that the user is typing, found even when the text does
/// not parse.
///
/// The finder reads the token under the cursor from the line (YAML) or from a tolerant scan of
/// the text before it (JSON), replaces the token with a placeholder that completes the
/// syntax (`__slicels_cursor__:` for a key being typed, `"__slicels_cursor__": null` in JSON),
/// re-reads the patched text and looks where the placeholder landed in the tree. The YAML or
/// JSON reader thus decides the structure (indentation, flow collections, nesting), and the
/// patched tree carries the sibling values a discriminated union needs to pick its member.
/// When the whole patched text still does not load, the text after the cursor's line (YAML) or
/// after the token, closed by the brackets still open (JSON), is dropped and the rest tried.
struct CursorContext {
  enum Role: Equatable {
    /// A property name of the mapping at `path`.
    case key
    /// The value at `path` (a property's value, or a list item when `path` ends with an index).
    case value
  }

  enum Quote: Equatable {
    case single
    case double
  }

  var role: Role
  /// Key: the mapping's path. Value: the value's path.
  var path: [InstancePathComponent]
  /// The patched document's root (unions on the way pick their member from it).
  var root: Node
  /// Key: the mapping the key is typed in (placeholder included).
  var mapping: Node?
  /// Key: names already present in the mapping.
  var existingKeys: Set<String>
  /// The bytes of the original document a candidate replaces (the token under the cursor).
  var replaceRange: ByteRange
  /// Set when the token is quoted.
  var quote: Quote?
  /// YAML: the cursor follows `name:` directly, so a value needs a leading space.
  var needsLeadingSpace = false
  /// YAML: the line has no `- ` yet although the placeholder only fits as a new list item.
  var needsDash = false
  /// The key is the first of a new list item (`- na|`), or the value is a new list item.
  var isNewListItem = false
  /// Inside a YAML flow collection (`{…}`, `[…]`): values and keys stay on the line.
  var isFlow = false
  /// YAML: the column of the token as spaces, for the following lines of a multi-line insert.
  var alignment: String
  /// The whitespace starting the cursor's line (JSON nesting).
  var lineIndentation: String
  /// JSON: where a comma must go before the insertion (after the previous member), if any.
  var commaBefore: Int?
  /// JSON: the insertion must end with a comma (another member follows).
  var commaAfter = false
  /// JSON: a value typed after a key without its colon.
  var colonBefore = false
  /// The token text as typed (without quotes).
  var typed: String
  /// Key: the key already has its `:` and value after it (only the name is replaced).
  var keyHasSeparator = false
  /// Value of a property: where the property's key starts (the same offset in the original text).
  var ownerKeyStart: Int?
  /// The part of the text that was re-read to find the context.
  var rereadRange: ByteRange = 0..<0
}

/// The raw outcome of the finder before the placeholder tree is read.
private struct Patch {
  var bytes: [UInt8]
  /// Where the placeholder starts in `bytes`.
  var placeholderStart: Int
}

enum CursorContextFinder {
  static let placeholder = "__slicels_cursor__"
  private static let placeholderBytes = Array(placeholder.utf8)

  /// Whether the document holds nothing but whitespace and comments (a new file).
  static func isBlank(_ document: TextDocument, format: SliceFormat) -> Bool {
    var inComment = false
    for byte in document.bytes {
      switch byte {
      case 0x0A, 0x0D: inComment = false
      case 0x20, 0x09: continue
      case UInt8(ascii: "#") where format == .yaml: inComment = true
      default: if !inComment { return false }
      }
    }
    return true
  }

  /// `windowed: false` re-reads the whole text always (the reference the windows are tested against).
  static func find(document: TextDocument, tree: SyntaxTree?, format: SliceFormat, offset: Int, windowed: Bool = true) -> CursorContext? {
    let offset = min(max(offset, 0), document.bytes.count)
    switch format {
    case .yaml: return findYAML(document, tree: tree, offset: offset, windowed: windowed)
    case .json: return findJSON(document, offset: offset, windowed: windowed)
    }
  }

  // MARK: Locating the placeholder

  fileprivate struct Landing {
    var path: [InstancePathComponent]
    var isKey: Bool
    /// Key: the mapping holding it.
    var mapping: Node?
    /// Value: the mapping or sequence holding it (nil at the root).
    var parent: Node?
    var root: Node
    /// Value of a mapping entry: where its key starts.
    var ownerKeyStart: Int?
  }

  /// Descends the patched tree to the node starting at `start` that holds the placeholder.
  private static func land(_ tree: SyntaxTree, at start: Int) -> Landing? {
    guard let root = tree.root else { return nil }
    var node = root
    var parent: Node?
    var path: [InstancePathComponent] = []
    var keyStart: Int?
    for _ in 0..<10_000 {
      switch node.kind {
      case .mapping(let entries):
        guard let entry = entries.last(where: { $0.key.range.contains(start) || $0.value.range.contains(start) }) else {
          return nil
        }
        if entry.key.range.lowerBound == start, entry.keyString == placeholder {
          return Landing(path: path, isKey: true, mapping: node, parent: parent, root: root)
        }
        if entry.key.range.contains(start) { return nil }
        path.append(.key(entry.keyString ?? ""))
        parent = node
        keyStart = entry.key.range.lowerBound
        node = entry.value
      case .sequence(let items):
        guard let index = items.lastIndex(where: { $0.range.contains(start) }) else { return nil }
        path.append(.index(index))
        parent = node
        keyStart = nil
        node = items[index]
      case .scalar(let scalar):
        guard case .string(let text) = scalar, text == placeholder, node.range.lowerBound == start else { return nil }
        return Landing(path: path, isKey: false, mapping: nil, parent: parent, root: root, ownerKeyStart: keyStart)
      }
    }
    return nil
  }

  private static func read(_ patch: Patch, format: SliceFormat) -> Landing? {
    land(SliceReader.read(patch.bytes, format: format), at: patch.placeholderStart)
  }

  // MARK: Shared

  static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

  private static func isIndex(_ component: InstancePathComponent) -> Bool {
    if case .index = component { return true }
    return false
  }

  private static func existingKeys(_ mapping: Node?) -> Set<String> {
    Set((mapping?.entries ?? []).compactMap(\.keyString).filter { $0 != placeholder })
  }

  private static func tokenText(_ bytes: [UInt8], _ token: ByteRange, quote: CursorContext.Quote?) -> String {
    var range = token
    while !range.isEmpty, isSpace(bytes[range.lowerBound]) { range = range.lowerBound + 1..<range.upperBound }
    if quote != nil, !range.isEmpty {
      let open = bytes[range.lowerBound]
      range = range.lowerBound + 1..<range.upperBound
      if let last = range.last, bytes[last] == open { range = range.lowerBound..<last }
    }
    return String(decoding: bytes[range], as: UTF8.self)
  }

  // MARK: YAML

  private static func findYAML(_ document: TextDocument, tree: SyntaxTree?, offset: Int, windowed: Bool) -> CursorContext? {
    if let root = tree?.root, insideMultiLineScalar(root, offset: offset, document: document) { return nil }
    guard let scanned = YAMLCursorScanner.scan(document, offset: offset) else { return nil }
    if windowed {
      // The cursor's own item first (`- type: fol|`: the smallest text that holds the context),
      // then the item enclosing the line.
      let ownItemDash = scanned.dashes > 0 ? scanned.indentEnd : nil
      for dash in [ownItemDash, nil] where dash != nil || scanned.line > 0 {
        guard
          let window = yamlWindow(
            document, tree: tree, line: scanned.line, column: scanned.column, token: scanned.token, itemDash: dash)
        else { continue }
        if let found = yamlContext(scanned, document: document, offset: offset, window: window) { return found }
      }
    }
    return yamlContext(scanned, document: document, offset: offset, window: nil)
  }

  /// Tries each way of writing the placeholder, in the window or the whole text, then with the
  /// text after the cursor's line dropped.
  private static func yamlContext(_ scanned: YAMLCursorLine, document: TextDocument, offset: Int, window: YAMLWindow?) -> CursorContext? {
    let bytes = document.bytes
    let token = scanned.token
    let base = window?.range ?? 0..<bytes.count
    for truncate in [false, true] {
      for attempt in scanned.attempts {
        var patched = Array(bytes[base.lowerBound..<token.lowerBound])
        patched += Array(attempt.prefix.utf8)
        let start = patched.count
        patched += placeholderBytes + Array(attempt.suffix.utf8)
        let end = truncate ? max(token.upperBound, min(scanned.truncateAt, base.upperBound)) : base.upperBound
        patched += Array(bytes[token.upperBound..<end])
        guard var landing = read(Patch(bytes: patched, placeholderStart: start), format: .yaml) else { continue }
        if let window {
          guard let placed = window.place(landing) else { continue }
          landing = placed
        }
        return yamlContext(scanned, attempt: attempt, landing: landing, document: document, offset: offset, reread: base)
      }
    }
    return nil
  }

  private static func yamlContext(
    _ scanned: YAMLCursorLine, attempt: YAMLCursorLine.Attempt, landing: Landing, document: TextDocument, offset: Int,
    reread: ByteRange
  ) -> CursorContext {
    let token = scanned.token
    var context = CursorContext(
      role: landing.isKey ? .key : .value, path: landing.path, root: landing.root, mapping: landing.mapping,
      existingKeys: existingKeys(landing.mapping), replaceRange: token, quote: scanned.quote,
      alignment: TextLayout.alignment(of: token.lowerBound, in: document),
      lineIndentation: TextLayout.lineIndentation(of: offset, in: document),
      typed: tokenText(document.bytes, token, quote: scanned.quote))
    context.needsLeadingSpace = scanned.needsLeadingSpace
    context.ownerKeyStart = landing.ownerKeyStart
    context.rereadRange = reread
    context.needsDash = attempt.needsDash
    context.isFlow = scanned.isFlow
    context.keyHasSeparator =
      scanned.keyHasSeparator || (scanned.isFlow && landing.isKey && YAMLCursorScanner.followedByColon(document.bytes, token.upperBound))
    if attempt.needsDash { context.alignment += "  " }
    let atLineStart = token.lowerBound == scanned.contentStart || scanned.isBareDash
    if landing.isKey {
      context.isNewListItem =
        atLineStart && scanned.dashes > 0 && landing.path.last.map(isIndex) == true && (landing.mapping?.entries?.count ?? 0) == 1
    } else {
      context.isNewListItem = landing.path.last.map(isIndex) == true && (atLineStart || attempt.needsDash)
    }
    return context
  }

  /// A part of a YAML text that holds the cursor's context by itself: the innermost block
  /// sequence item above the cursor's line that encloses it by indentation, from its line to
  /// the next line indented no deeper than its `- `. Re-reading only that part keeps completion
  /// fast in a large file; the last tree (partial while the user types) places it.
  private struct YAMLWindow {
    var range: ByteRange
    /// The item's path in the last tree.
    var itemPath: [InstancePathComponent]
    var root: Node

    /// Where the placeholder landed in the window's text, put back in its place in the last
    /// tree (the window holds one item).
    fileprivate func place(_ landing: Landing) -> Landing? {
      guard case .index(0)? = landing.path.first, let item = landing.root.items?.first,
        let root = root.replacing(at: itemPath[...], with: item.shifted(by: range.lowerBound))
      else { return nil }
      var placed = landing
      placed.path = itemPath + landing.path.dropFirst()
      placed.root = root
      placed.mapping = landing.mapping?.shifted(by: range.lowerBound)
      placed.ownerKeyStart = landing.ownerKeyStart.map { $0 + range.lowerBound }
      return placed
    }
  }

  /// `itemDash`: the `- ` of the item to re-read, on the cursor's line; nil for the nearest item
  /// above that encloses the line.
  private static func yamlWindow(
    _ document: TextDocument, tree: SyntaxTree?, line: Int, column: Int, token: ByteRange, itemDash: Int?
  ) -> YAMLWindow? {
    guard let root = tree?.root else { return nil }
    let bytes = document.bytes
    func firstContent(_ line: Int) -> Int? {
      let range = document.lineContentRange(line)
      var index = range.lowerBound
      while index < range.upperBound, isSpace(bytes[index]) { index += 1 }
      guard index < range.upperBound, bytes[index] != UInt8(ascii: "#") else { return nil }
      return index
    }
    // Up: the nearest `- ` less indented than the cursor's line, through keys of its item.
    var limit = column
    var dash = itemDash
    var dashLine = line - 1
    while dash == nil, dashLine >= 0, line - dashLine < 20_000 {
      defer { dashLine -= 1 }
      guard let first = firstContent(dashLine) else { continue }
      let indent = first - document.lineStarts[dashLine]
      guard indent < limit else { continue }
      let isDash = bytes[first] == UInt8(ascii: "-") && (first + 1 >= bytes.count || isSpace(bytes[first + 1]))
      if isDash {
        dash = first
        break
      }
      if indent == 0 { return nil }
      limit = indent
    }
    guard let dash else { return nil }
    let windowLine = document.line(containing: dash)
    let dashColumn = dash - document.lineStarts[windowLine]
    var itemStart = dash + 1
    let dashLineEnd = document.lineContentRange(windowLine).upperBound
    while itemStart < dashLineEnd, isSpace(bytes[itemStart]) { itemStart += 1 }
    guard itemStart < dashLineEnd, bytes[itemStart] != UInt8(ascii: "-"), bytes[itemStart] != UInt8(ascii: "#") else { return nil }
    // Down: the end of the item.
    var end = bytes.count
    var next = line + 1
    while next < document.lineCount {
      if let first = firstContent(next), first - document.lineStarts[next] <= dashColumn {
        end = document.lineStarts[next]
        break
      }
      next += 1
    }
    let start = document.lineStarts[windowLine]
    guard start <= token.lowerBound, token.upperBound <= end else { return nil }
    guard let itemPath = itemPath(in: root, startingAt: itemStart, bytes: bytes) else { return nil }
    return YAMLWindow(range: start..<end, itemPath: itemPath, root: root)
  }

  /// The path of the block sequence item starting at `itemStart` in the last tree.
  private static func itemPath(in root: Node, startingAt itemStart: Int, bytes: [UInt8]) -> [InstancePathComponent]? {
    var node = root
    var path: [InstancePathComponent] = []
    for _ in 0..<10_000 {
      switch node.kind {
      case .mapping(let entries):
        guard let entry = entries.last(where: { $0.value.range.contains(itemStart) }) else { return nil }
        path.append(.key(entry.keyString ?? ""))
        node = entry.value
      case .sequence(let items):
        guard let index = items.lastIndex(where: { $0.range.contains(itemStart) }) else { return nil }
        path.append(.index(index))
        if items[index].range.lowerBound == itemStart {
          guard node.style == .blockSequence else { return nil }
          // A tree of another text would place the window wrongly: its first key must be here.
          if let key = items[index].entries?.first?.key.range {
            guard key.upperBound <= bytes.count, key.lowerBound == itemStart,
              case .string(let name)? = items[index].entries?.first?.key.scalar,
              String(decoding: bytes[key], as: UTF8.self) == name || key.count != name.utf8.count
            else { return nil }
          }
          return path
        }
        node = items[index]
      case .scalar:
        return nil
      }
    }
    return nil
  }

  /// Whether `offset` is inside a block scalar or a quoted scalar spanning lines (no completion there).
  private static func insideMultiLineScalar(_ root: Node, offset: Int, document: TextDocument) -> Bool {
    var node = root
    for _ in 0..<10_000 {
      switch node.kind {
      case .mapping(let entries):
        guard let entry = entries.last(where: { $0.value.range.contains(offset) }) else { return false }
        node = entry.value
      case .sequence(let items):
        guard let item = items.last(where: { $0.range.contains(offset) }) else { return false }
        node = item
      case .scalar:
        if node.style == .literal || node.style == .folded {
          return document.line(containing: offset) > document.line(containing: node.range.lowerBound)
        }
        let first = document.line(containing: node.range.lowerBound)
        let last = document.line(containing: max(node.range.lowerBound, node.range.upperBound - 1))
        return first != last && document.line(containing: offset) != first
      }
    }
    return false
  }

  // MARK: JSON

  /// How the placeholder goes in at the JSON cursor: as a key or a value, with the punctuation
  /// the text around it lacks.
  private struct JSONInsertion {
    var role: CursorContext.Role
    /// Where a comma must go before the placeholder (after the previous member), if any.
    var commaBefore: Int?
    /// A value typed after a key without its colon.
    var colonBefore = false
    /// The key already has its `:` after it (only the name is replaced).
    var keyHasSeparator: Bool
    /// Another member or item follows the token.
    var commaAfter: Bool

    init(_ scan: JSONCursorScan, bytes: [UInt8]) {
      let top = scan.stack[scan.stack.count - 1]
      switch (top.isObject, scan.state) {
      case (true, .expectKey): role = .key
      case (true, .afterKey):
        role = .value
        colonBefore = true
      case (true, .expectValue): role = .value
      case (true, .afterValue):
        role = .key
        commaBefore = top.lastValueEnd
      case (false, .afterValue):
        role = .value
        commaBefore = top.lastValueEnd
      default: role = .value
      }
      // Another member or item after the token needs a comma between.
      var next = scan.token.upperBound
      while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 || bytes[next] == 0x0A || bytes[next] == 0x0D { next += 1 }
      keyHasSeparator = role == .key && next < bytes.count && bytes[next] == UInt8(ascii: ":")
      commaAfter =
        !keyHasSeparator && next < bytes.count
        && (bytes[next] == UInt8(ascii: "\"") || bytes[next] == UInt8(ascii: "{") || bytes[next] == UInt8(ascii: "[")
          || JSONCursorScanner.isWordByte(bytes[next]))
    }

    /// What goes before the placeholder.
    var prefix: String { (commaBefore != nil ? "," : "") + (colonBefore ? ": " : "") }
    /// The placeholder as a member or item where the text goes on after it.
    var body: String {
      role == .key && !keyHasSeparator ? "\"\(CursorContextFinder.placeholder)\": null" : "\"\(CursorContextFinder.placeholder)\""
    }
    /// The placeholder as the last member or item, the brackets still open closed after it.
    var closedBody: String { role == .key ? "\"\(CursorContextFinder.placeholder)\": null" : body }
  }

  private static func findJSON(_ document: TextDocument, offset: Int, windowed: Bool) -> CursorContext? {
    let bytes = document.bytes
    guard let scan = JSONCursorScanner.scan(bytes, offset: offset) else { return nil }
    let insertion = JSONInsertion(scan, bytes: bytes)
    var tries: [(patched: [UInt8], window: Int?)] = []
    // First only the innermost list item holding the cursor: re-reading a large file for a
    // keystroke is what makes completion slow. The items and keys on the way give the path, and
    // their string members (a union's tag) the parents a tree for the schema to pick members in.
    if windowed, let window = jsonWindow(bytes, scan) {
      let frame = window.frame
      tries += jsonPatches(bytes, scan, insertion, from: scan.stack[frame].start, to: window.end, closing: scan.stack[frame...])
        .map { ($0, frame) }
    }
    tries += jsonPatches(bytes, scan, insertion, from: 0, to: bytes.count, closing: scan.stack[...]).map { ($0, nil) }
    let prefixCount = insertion.prefix.utf8.count
    for (patched, window) in tries {
      guard
        let landing = jsonLanding(
          in: patched, placeholderStart: scan.token.lowerBound + prefixCount, window: window, stack: scan.stack)
      else { continue }
      let reread = window.map { scan.stack[$0].start..<(scan.stack[$0].start + patched.count - prefixCount) } ?? 0..<bytes.count
      var context = CursorContext(
        role: landing.isKey ? .key : .value, path: landing.path, root: landing.root, mapping: landing.mapping,
        existingKeys: existingKeys(landing.mapping), replaceRange: scan.token, quote: scan.quote,
        alignment: TextLayout.alignment(of: scan.token.lowerBound, in: document),
        lineIndentation: TextLayout.lineIndentation(of: offset, in: document),
        typed: tokenText(bytes, scan.token, quote: scan.quote))
      context.commaBefore = insertion.commaBefore
      context.commaAfter = insertion.commaAfter
      context.colonBefore = insertion.colonBefore
      context.ownerKeyStart = landing.ownerKeyStart
      context.rereadRange = reread
      context.keyHasSeparator = insertion.keyHasSeparator
      context.isNewListItem = !landing.isKey && landing.path.last.map(isIndex) == true
      return context
    }
    return nil
  }

  /// The text from `from` with the placeholder in place of the token: once followed by the rest
  /// of the text up to `to`, once closed right after the placeholder by the brackets of `frames`.
  private static func jsonPatches(
    _ bytes: [UInt8], _ scan: JSONCursorScan, _ insertion: JSONInsertion, from: Int, to: Int,
    closing frames: ArraySlice<JSONCursorScanner.Frame>
  ) -> [[UInt8]] {
    let prefix = Array(bytes[from..<scan.token.lowerBound]) + Array(insertion.prefix.utf8)
    var closers = ""
    for frame in frames.reversed() { closers += frame.isObject ? "}" : "]" }
    return [
      prefix + Array((insertion.body + (insertion.commaAfter ? "," : "")).utf8) + Array(bytes[scan.token.upperBound..<to]),
      prefix + Array((insertion.closedBody + closers).utf8),
    ]
  }

  /// The innermost list item holding the cursor (an object in an array): its frame, and where it
  /// ends in the text.
  private static func jsonWindow(_ bytes: [UInt8], _ scan: JSONCursorScan) -> (frame: Int, end: Int)? {
    let stack = scan.stack
    guard let item = stack.indices.last(where: { $0 > 0 && stack[$0].isObject && !stack[$0 - 1].isObject }) else { return nil }
    let openAbove = stack.count - item
    var depth = 0
    var index = scan.token.upperBound
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        index = JSONCursorScanner.stringEnd(bytes, start: index).end
        continue
      }
      if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
      if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
        depth -= 1
        if depth == -openAbove { return (item, index + 1) }
      }
      index += 1
    }
    return (item, bytes.count)
  }

  /// Where the placeholder landed; in a window, with the parents around the re-read item rebuilt
  /// as far as the scan read them.
  private static func jsonLanding(
    in patched: [UInt8], placeholderStart: Int, window: Int?, stack: [JSONCursorScanner.Frame]
  ) -> Landing? {
    guard let window else { return read(Patch(bytes: patched, placeholderStart: placeholderStart), format: .json) }
    let windowStart = stack[window].start
    guard var landing = read(Patch(bytes: patched, placeholderStart: placeholderStart - windowStart), format: .json) else {
      return nil
    }
    var node = landing.root.shifted(by: windowStart)
    var path: [InstancePathComponent] = []
    for frame in stack[..<window].reversed() {
      if frame.isObject {
        guard let key = frame.key else { return nil }
        var entries = frame.strings.map { member in
          MappingEntry(
            key: Node(kind: .scalar(.string(member.key)), range: 0..<0, style: .json),
            value: Node(kind: .scalar(.string(member.value)), range: 0..<0, style: .json))
        }
        entries.append(MappingEntry(key: Node(kind: .scalar(.string(key)), range: 0..<0, style: .json), value: node))
        node = Node(kind: .mapping(entries), range: 0..<0, style: .json)
        path.insert(.key(key), at: 0)
      } else {
        let fillers = Array(repeating: Node(kind: .scalar(.null), range: 0..<0, style: .json), count: frame.itemCount)
        node = Node(kind: .sequence(fillers + [node]), range: 0..<0, style: .json)
        path.insert(.index(frame.itemCount), at: 0)
      }
    }
    landing.path = path + landing.path
    landing.root = node
    landing.mapping = landing.mapping?.shifted(by: windowStart)
    landing.ownerKeyStart = landing.ownerKeyStart.map { $0 + windowStart }
    return landing
  }
}

extension Node {
  /// The same tree with every range moved by `delta` bytes.
  func shifted(by delta: Int) -> Node {
    var copy = self
    copy.range = range.lowerBound + delta..<range.upperBound + delta
    switch kind {
    case .scalar: break
    case .sequence(let items): copy.kind = .sequence(items.map { $0.shifted(by: delta) })
    case .mapping(let entries):
      copy.kind = .mapping(entries.map { MappingEntry(key: $0.key.shifted(by: delta), value: $0.value.shifted(by: delta)) })
    }
    return copy
  }

  /// The same tree with the node at `path` replaced, or nil when there is no node there.
  func replacing(at path: ArraySlice<InstancePathComponent>, with replacement: Node) -> Node? {
    guard let first = path.first else { return replacement }
    var copy = self
    switch (kind, first) {
    case (.mapping(var entries), .key(let name)):
      guard let index = entries.lastIndex(where: { $0.keyString == name }),
        let child = entries[index].value.replacing(at: path.dropFirst(), with: replacement)
      else { return nil }
      entries[index].value = child
      copy.kind = .mapping(entries)
    case (.sequence(var items), .index(let index)):
      guard items.indices.contains(index), let child = items[index].replacing(at: path.dropFirst(), with: replacement) else {
        return nil
      }
      items[index] = child
      copy.kind = .sequence(items)
    default:
      return nil
    }
    return copy
  }
}
