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

  // MARK: YAML

  private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

  private static func findYAML(_ document: TextDocument, tree: SyntaxTree?, offset: Int, windowed: Bool) -> CursorContext? {
    let bytes = document.bytes
    if let root = tree?.root, insideMultiLineScalar(root, offset: offset, document: document) { return nil }
    let line = document.line(containing: offset)
    let lineRange = document.lineContentRange(line)
    let lineEnd = lineRange.upperBound
    var indentEnd = lineRange.lowerBound
    while indentEnd < lineEnd, isSpace(bytes[indentEnd]) { indentEnd += 1 }
    // Sequence indicators: `- `, possibly several (`- - a`).
    var contentStart = indentEnd
    var dashes = 0
    while contentStart < lineEnd, bytes[contentStart] == UInt8(ascii: "-"),
      contentStart + 1 == lineEnd || isSpace(bytes[contentStart + 1])
    {
      dashes += 1
      contentStart += 1
      while contentStart < lineEnd, isSpace(bytes[contentStart]) { contentStart += 1 }
    }
    // `-` just typed, its space not yet: a new item, the dash replaced by `- ` and what follows.
    let bareDash = dashes > 0 && contentStart == lineEnd && offset == lineEnd && bytes[offset - 1] == UInt8(ascii: "-")
    // A comment ends the content; the cursor in it gets nothing.
    let commentStart = yamlCommentStart(bytes, from: contentStart, to: lineEnd)
    if let commentStart, offset > commentStart { return nil }
    var contentEnd = commentStart ?? lineEnd
    while contentEnd > contentStart, isSpace(bytes[contentEnd - 1]) { contentEnd -= 1 }
    if offset < contentStart {
      // In the indentation (or before a dash): only a blank line takes a key there.
      guard contentStart == contentEnd, dashes == 0 else { return nil }
    }

    var token = offset..<offset
    var quote: CursorContext.Quote?
    var needsLeadingSpace = false
    var appendColon = false
    var alternatives: [(suffix: String, prefix: String, needsDash: Bool)] = []
    var isFlow = false
    var keyHasSeparator = false

    if offset >= contentStart, contentStart < contentEnd, bytes[contentStart] == UInt8(ascii: "[") || bytes[contentStart] == UInt8(ascii: "{") {
      isFlow = true
      (token, quote) = flowToken(bytes, flowStart: contentStart, end: contentEnd, offset: offset)
      needsLeadingSpace = token.isEmpty && offset > 0 && bytes[offset - 1] == UInt8(ascii: ":")
    } else if let separator = yamlSeparator(bytes, from: contentStart, to: contentEnd), offset > separator {
      // In the value of `key: value`.
      var valueStart = separator + 1
      while valueStart < contentEnd, isSpace(bytes[valueStart]) { valueStart += 1 }
      if valueStart >= contentEnd {
        token = offset..<offset
        needsLeadingSpace = offset > 0 && bytes[offset - 1] == UInt8(ascii: ":")
      } else if offset < valueStart {
        // Between the colon and the value: the value is replaced from the cursor on.
        token = offset..<contentEnd
        needsLeadingSpace = bytes[offset - 1] == UInt8(ascii: ":")
      } else if bytes[valueStart] == UInt8(ascii: "[") || bytes[valueStart] == UInt8(ascii: "{") {
        isFlow = true
        (token, quote) = flowToken(bytes, flowStart: valueStart, end: contentEnd, offset: offset)
        // `{a: 1, b:|}`: `b:` and the value read as one plain scalar without the space.
        needsLeadingSpace = token.isEmpty && bytes[offset - 1] == UInt8(ascii: ":")
      } else if bytes[valueStart] == UInt8(ascii: "\"") || bytes[valueStart] == UInt8(ascii: "'") {
        let end = quotedEnd(bytes, start: valueStart, limit: contentEnd)
        token = valueStart..<end
        quote = bytes[valueStart] == UInt8(ascii: "'") ? .single : .double
      } else {
        token = valueStart..<contentEnd
      }
    } else if let separator = yamlSeparator(bytes, from: contentStart, to: contentEnd) {
      // On the key of `key: value`.
      var keyEnd = separator
      while keyEnd > contentStart, isSpace(bytes[keyEnd - 1]) { keyEnd -= 1 }
      token = contentStart..<max(keyEnd, offset)
      keyHasSeparator = true
      if contentStart < keyEnd, bytes[contentStart] == UInt8(ascii: "\"") || bytes[contentStart] == UInt8(ascii: "'") {
        quote = bytes[contentStart] == UInt8(ascii: "'") ? .single : .double
      }
    } else {
      // A bare word: a key being typed, or (after `- `) a scalar item.
      token = contentStart < contentEnd ? contentStart..<max(contentEnd, offset) : offset..<offset
      if contentStart < contentEnd, bytes[contentStart] == UInt8(ascii: "\"") || bytes[contentStart] == UInt8(ascii: "'") {
        quote = bytes[contentStart] == UInt8(ascii: "'") ? .single : .double
      }
      appendColon = true
      if dashes > 0 {
        alternatives.append(("", "", false))
      } else if contentStart == contentEnd {
        // A blank line under a block sequence's items takes a new item only.
        alternatives.append(("", "- ", true))
      }
    }

    let typed = tokenText(bytes, token, quote: quote)
    var attempts: [(suffix: String, prefix: String, needsDash: Bool)] = [(appendColon ? ":" : "", needsLeadingSpace ? " " : "", false)]
    attempts += alternatives
    if bareDash {
      token = (offset - 1)..<offset
      attempts = [(":", "- ", true), ("", "- ", true)]
    }
    // With the text after the cursor's line dropped, an error further down cannot hide the cursor.
    let truncateAt = document.lineRange(line).upperBound
    let column = contentStart == contentEnd && dashes == 0 ? offset - lineRange.lowerBound : indentEnd - lineRange.lowerBound

    func context(in window: YAMLWindow?) -> CursorContext? {
      let base = window?.range ?? 0..<bytes.count
      for truncate in [false, true] {
        for attempt in attempts {
          var patched = Array(bytes[base.lowerBound..<token.lowerBound])
          patched += Array(attempt.prefix.utf8)
          let start = patched.count
          patched += placeholderBytes + Array(attempt.suffix.utf8)
          let end = truncate ? max(token.upperBound, min(truncateAt, base.upperBound)) : base.upperBound
          patched += Array(bytes[token.upperBound..<end])
          guard var landing = read(Patch(bytes: patched, placeholderStart: start), format: .yaml) else { continue }
          if let window {
            // The window holds one item: put it back in its place in the last tree.
            guard case .index(0)? = landing.path.first, let item = landing.root.items?.first,
              let root = window.root.replacing(at: window.itemPath[...], with: item.shifted(by: base.lowerBound))
            else { continue }
            landing.path = window.itemPath + landing.path.dropFirst()
            landing.root = root
            landing.mapping = landing.mapping?.shifted(by: base.lowerBound)
            landing.ownerKeyStart = landing.ownerKeyStart.map { $0 + base.lowerBound }
          }
          var context = CursorContext(
            role: landing.isKey ? .key : .value, path: landing.path, root: landing.root, mapping: landing.mapping,
            existingKeys: existingKeys(landing.mapping), replaceRange: token, quote: quote,
            alignment: TextLayout.alignment(of: token.lowerBound, in: document),
            lineIndentation: TextLayout.lineIndentation(of: offset, in: document), typed: typed)
          context.needsLeadingSpace = needsLeadingSpace
          context.ownerKeyStart = landing.ownerKeyStart
          context.rereadRange = base
          context.needsDash = attempt.needsDash
          context.isFlow = isFlow
          context.keyHasSeparator = keyHasSeparator || (isFlow && landing.isKey && followedByColon(bytes, token.upperBound))
          if attempt.needsDash { context.alignment += "  " }
          let atLineStart = token.lowerBound == contentStart || bareDash
          if landing.isKey {
            context.isNewListItem = atLineStart && dashes > 0 && landing.path.last.map(isIndex) == true && (landing.mapping?.entries?.count ?? 0) == 1
          } else {
            context.isNewListItem = landing.path.last.map(isIndex) == true && (atLineStart || attempt.needsDash)
          }
          return context
        }
      }
      return nil
    }

    if windowed {
      // The cursor's own item first (`- type: fol|`: the smallest text that holds the context),
      // then the item enclosing the line.
      let ownItemDash = dashes > 0 ? indentEnd : nil
      for dash in [ownItemDash, nil] where dash != nil || line > 0 {
        guard let window = yamlWindow(document, tree: tree, line: line, column: column, token: token, itemDash: dash) else { continue }
        if let found = context(in: window) { return found }
      }
    }
    return context(in: nil)
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
    // The item in the last tree.
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
          return YAMLWindow(range: start..<end, itemPath: path, root: root)
        }
        node = items[index]
      case .scalar:
        return nil
      }
    }
    return nil
  }

  private static func followedByColon(_ bytes: [UInt8], _ offset: Int) -> Bool {
    var index = offset
    while index < bytes.count, isSpace(bytes[index]) { index += 1 }
    return index < bytes.count && bytes[index] == UInt8(ascii: ":")
  }

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

  /// Where a comment starts on a YAML line (`#` at the content start or after a blank, outside quotes).
  private static func yamlCommentStart(_ bytes: [UInt8], from start: Int, to end: Int) -> Int? {
    var index = start
    var quote: UInt8?
    while index < end {
      let byte = bytes[index]
      if let open = quote {
        if byte == open {
          if open == UInt8(ascii: "'"), index + 1 < end, bytes[index + 1] == open {
            index += 2
            continue
          }
          quote = nil
        } else if open == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
          index += 1
        }
      } else if byte == UInt8(ascii: "#"), index == start || isSpace(bytes[index - 1]) {
        return index
      } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'"), index == start || isSpace(bytes[index - 1]) || bytes[index - 1] == UInt8(ascii: ":") {
        quote = byte
      }
      index += 1
    }
    return nil
  }

  /// The `:` that separates a block mapping key from its value (followed by a blank or the end).
  private static func yamlSeparator(_ bytes: [UInt8], from start: Int, to end: Int) -> Int? {
    var index = start
    if index < end, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
      index = quotedEnd(bytes, start: index, limit: end)
    }
    while index < end {
      if bytes[index] == UInt8(ascii: ":"), index + 1 >= end || isSpace(bytes[index + 1]) { return index }
      index += 1
    }
    return nil
  }

  /// The end of a quoted scalar starting at `start` (after its closing quote), or `limit` when it is not closed.
  private static func quotedEnd(_ bytes: [UInt8], start: Int, limit: Int) -> Int {
    let quote = bytes[start]
    var index = start + 1
    while index < limit {
      if bytes[index] == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
        index += 2
        continue
      }
      if bytes[index] == quote {
        if quote == UInt8(ascii: "'"), index + 1 < limit, bytes[index + 1] == quote {
          index += 2
          continue
        }
        return index + 1
      }
      index += 1
    }
    return limit
  }

  /// The token at the cursor inside a flow collection on one line.
  private static func flowToken(_ bytes: [UInt8], flowStart: Int, end: Int, offset: Int) -> (ByteRange, CursorContext.Quote?) {
    // Quoted scalars first: is the cursor inside one?
    var index = flowStart
    while index < end {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
        let close = quotedEnd(bytes, start: index, limit: end)
        if index < offset, offset <= close { return (index..<close, byte == UInt8(ascii: "'") ? .single : .double) }
        index = close
        continue
      }
      if index >= offset { break }
      index += 1
    }
    func isBoundary(_ byte: UInt8) -> Bool {
      isSpace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
        || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
    }
    var start = offset
    while start > flowStart, !isBoundary(bytes[start - 1]) { start -= 1 }
    var stop = offset
    while stop < end, !isBoundary(bytes[stop]) {
      if bytes[stop] == UInt8(ascii: ":"), stop + 1 >= end || isBoundary(bytes[stop + 1]) { break }
      stop += 1
    }
    // `key:|` — the cursor after a key's colon: the value is empty.
    if start < offset, bytes[offset - 1] == UInt8(ascii: ":"), stop == offset { return (offset..<offset, nil) }
    return (start..<stop, nil)
  }

  // MARK: JSON

  private enum JSONState {
    case expectKey
    case afterKey
    case expectValue
    case afterValue
  }

  private struct JSONFrame {
    var isObject: Bool
    var state: JSONState
    /// Where the last complete member or item ends (a comma goes there).
    var lastValueEnd: Int?
    /// Where the `{` or `[` is.
    var start: Int = 0
    /// Object: the last key read (the key of the open child, if any).
    var key: String?
    /// Array: how many items are complete (the index of the open child, if any).
    var itemCount = 0
    /// Object: the string members read so far (a union's tag among them).
    var strings: [(key: String, value: String)] = []
  }

  /// The text of a JSON string token.
  private static func jsonString(_ bytes: [UInt8], _ range: ByteRange) -> String? {
    guard range.count >= 2, bytes[range.upperBound - 1] == UInt8(ascii: "\"") else { return nil }
    let content = bytes[range.lowerBound + 1..<range.upperBound - 1]
    if !content.contains(UInt8(ascii: "\\")) { return String(decoding: content, as: UTF8.self) }
    if case .scalar(.string(let text))? = JSONReader().read(Array(bytes[range])).root?.kind { return text }
    return nil
  }

  private static func isWordByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
      || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte >= 0x80
  }

  private static func jsonStringEnd(_ bytes: [UInt8], start: Int) -> (end: Int, closed: Bool) {
    var index = start + 1
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\\") {
        index += 2
        continue
      }
      if byte == UInt8(ascii: "\"") { return (index + 1, true) }
      // A string cannot hold a raw line break: an unclosed string ends with its line.
      if byte == 0x0A || byte == 0x0D { return (index, false) }
      index += 1
    }
    return (bytes.count, false)
  }

  private static func findJSON(_ document: TextDocument, offset: Int, windowed: Bool) -> CursorContext? {
    let bytes = document.bytes
    var stack: [JSONFrame] = []
    var sawRoot = false
    var token: ByteRange?
    var quote: CursorContext.Quote?
    var tokenState: JSONState?

    // The state a value or key starting now meets, and the transition it causes.
    func begin(at index: Int) -> JSONState? {
      guard let top = stack.last else { return nil }
      return top.state
    }
    func completeValue(end: Int, string: ByteRange? = nil) {
      guard !stack.isEmpty else {
        sawRoot = true
        return
      }
      let top = stack.count - 1
      switch stack[top].state {
      case .expectKey:
        stack[top].state = .afterKey
        stack[top].key = string.flatMap { jsonString(bytes, $0) }
      default:
        if stack[top].isObject, stack[top].state == .expectValue, let string, let key = stack[top].key,
          let text = jsonString(bytes, string)
        {
          stack[top].strings.append((key, text))
        }
        stack[top].state = .afterValue
        stack[top].lastValueEnd = end
        if !stack[top].isObject { stack[top].itemCount += 1 }
      }
    }

    var index = 0
    scan: while index < offset {
      let byte = bytes[index]
      switch byte {
      case 0x20, 0x09, 0x0A, 0x0D:
        index += 1
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        if stack.last?.state == .expectKey { stack[stack.count - 1].state = .afterKey }
        stack.append(JSONFrame(isObject: byte == UInt8(ascii: "{"), state: byte == UInt8(ascii: "{") ? .expectKey : .expectValue, start: index))
        index += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        if !stack.isEmpty { stack.removeLast() }
        completeValue(end: index + 1)
        index += 1
      case UInt8(ascii: ":"):
        if stack.last?.state == .afterKey { stack[stack.count - 1].state = .expectValue }
        index += 1
      case UInt8(ascii: ","):
        if let top = stack.last { stack[stack.count - 1].state = top.isObject ? .expectKey : .expectValue }
        index += 1
      case UInt8(ascii: "\""):
        let (end, _) = jsonStringEnd(bytes, start: index)
        if offset <= end, index < offset {
          token = index..<end
          quote = .double
          tokenState = begin(at: index)
          break scan
        }
        completeValue(end: end, string: index..<end)
        index = end
      default:
        if isWordByte(byte) {
          var end = index
          while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
          if offset <= end {
            token = index..<end
            tokenState = begin(at: index)
            break scan
          }
          completeValue(end: end)
          index = end
        } else {
          index += 1
        }
      }
    }
    // A word that starts right at the cursor belongs to the cursor too (`|tru`).
    if token == nil, offset < bytes.count, isWordByte(bytes[offset]) {
      var end = offset
      while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
      token = offset..<end
    }
    let state = tokenState ?? stack.last?.state
    // Before a property's value (`"root": | "/srv"`): the value is replaced, there is only one.
    if token == nil, let top = stack.last, top.isObject, state == .expectValue {
      var next = offset
      while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 { next += 1 }
      if next < bytes.count, bytes[next] == UInt8(ascii: "\"") {
        let (end, _) = jsonStringEnd(bytes, start: next)
        token = offset..<end
        quote = .double
      } else if next < bytes.count, isWordByte(bytes[next]) {
        var end = next
        while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
        token = offset..<end
      }
    }
    let replace = token ?? offset..<offset
    guard let top = stack.last, let state else {
      // Outside any object: only an empty document takes something (the file scaffold).
      _ = sawRoot
      return nil
    }

    var role: CursorContext.Role
    var commaBefore: Int?
    var colonBefore = false
    switch (top.isObject, state) {
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
    var next = replace.upperBound
    while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 || bytes[next] == 0x0A || bytes[next] == 0x0D { next += 1 }
    let keyHasSeparator = role == .key && next < bytes.count && bytes[next] == UInt8(ascii: ":")
    let commaAfter =
      !keyHasSeparator && next < bytes.count
      && (bytes[next] == UInt8(ascii: "\"") || bytes[next] == UInt8(ascii: "{") || bytes[next] == UInt8(ascii: "[")
        || isWordByte(bytes[next]))

    let body = role == .key && !keyHasSeparator ? "\"\(placeholder)\": null" : "\"\(placeholder)\""
    let prefix = (commaBefore != nil ? "," : "") + (colonBefore ? ": " : "")
    let patchPrefix = Array(bytes[..<replace.lowerBound]) + Array(prefix.utf8)
    let start = patchPrefix.count
    var attempts: [[UInt8]] = []
    attempts.append(patchPrefix + Array((body + (commaAfter ? "," : "")).utf8) + Array(bytes[replace.upperBound...]))
    var closers = ""
    for frame in stack.reversed() { closers += frame.isObject ? "}" : "]" }
    let closedBody = role == .key ? "\"\(placeholder)\": null" : body
    attempts.append(patchPrefix + Array((closedBody + closers).utf8))

    // First only the innermost list item holding the cursor: re-reading a large file for a
    // keystroke is what makes completion slow. The items and keys on the way give the path, and
    // their string members (a union's tag) the parents a tree for the schema to pick members in.
    var window: (frame: Int, attempts: [[UInt8]])?
    if windowed, let item = stack.indices.last(where: { $0 > 0 && stack[$0].isObject && !stack[$0 - 1].isObject }) {
      let windowStart = stack[item].start
      var end = bytes.count
      var depth = 0
      var scan = replace.upperBound
      let openAbove = stack.count - item
      while scan < bytes.count {
        let byte = bytes[scan]
        if byte == UInt8(ascii: "\"") {
          scan = jsonStringEnd(bytes, start: scan).end
          continue
        }
        if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
        if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
          depth -= 1
          if depth == -openAbove {
            end = scan + 1
            break
          }
        }
        scan += 1
      }
      let windowPrefix = Array(bytes[windowStart..<replace.lowerBound]) + Array(prefix.utf8)
      var windowClosers = ""
      for frame in stack[item...].reversed() { windowClosers += frame.isObject ? "}" : "]" }
      window = (
        item,
        [
          windowPrefix + Array((body + (commaAfter ? "," : "")).utf8) + Array(bytes[replace.upperBound..<end]),
          windowPrefix + Array((closedBody + windowClosers).utf8),
        ]
      )
    }

    func landing(in patched: [UInt8], window: Int?) -> Landing? {
      guard let window else { return read(Patch(bytes: patched, placeholderStart: start), format: .json) }
      let windowStart = stack[window].start
      guard var landing = read(Patch(bytes: patched, placeholderStart: start - windowStart), format: .json) else { return nil }
      // The parents, as far as they were read, around the re-read item.
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

    let tries = (window.map { window in window.attempts.map { ($0, Optional(window.frame)) } } ?? []) + attempts.map { ($0, Int?.none) }
    for (attempt, frame) in tries {
      guard let landing = landing(in: attempt, window: frame) else { continue }
      let reread = frame.map { stack[$0].start..<(stack[$0].start + attempt.count - prefix.utf8.count) } ?? 0..<bytes.count
      var context = CursorContext(
        role: landing.isKey ? .key : .value, path: landing.path, root: landing.root, mapping: landing.mapping,
        existingKeys: existingKeys(landing.mapping), replaceRange: replace, quote: quote,
        alignment: TextLayout.alignment(of: replace.lowerBound, in: document),
        lineIndentation: TextLayout.lineIndentation(of: offset, in: document),
        typed: tokenText(bytes, replace, quote: quote))
      context.commaBefore = commaBefore
      context.commaAfter = commaAfter
      context.colonBefore = colonBefore
      context.ownerKeyStart = landing.ownerKeyStart
      context.rereadRange = reread
      context.keyHasSeparator = keyHasSeparator
      context.isNewListItem = !landing.isKey && landing.path.last.map(isIndex) == true
      return context
    }
    return nil
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
