import SliceSyntax

/// Where one entry of a collection stands in the text.
struct EntryLayout {
  /// The key's start (mapping), the `-` (block sequence) or the item's start (flow sequence).
  var start: Int
  var lineStart: Int
  /// Only blanks before `start` on its line.
  var atLineStart: Bool
  /// The first entry of a block collection written on the line of a `-` (`- a: 1`).
  var compact: Bool
  /// Just after the `:` (mapping) or the `-` (block sequence).
  var indicatorEnd: Int?
  /// A flow mapping key's end.
  var keyEnd: Int?
  /// The end of the entry's value (of its indicator when the value is empty).
  var end: Int
  /// The `,` after the entry (flow collections and JSON).
  var comma: Range<Int>?
  /// The start of the next line, when the rest of the entry's last line holds nothing but a
  /// comma, blanks and a comment (for a block scalar: after its trailing blank lines).
  var nextLineStart: Int?
}

/// How a collection is laid out, which decides how entries are removed and added.
struct ContainerLayout {
  enum Kind {
    /// YAML block collection: one entry per line at `column`.
    case block
    /// Flow collection (YAML or JSON) with one entry per line, each starting with `entryPrefix`.
    case flowLines
    /// Flow collection with entries sharing lines: entries are separated by `separator`.
    case flowInline
  }

  var kind: Kind
  var isMapping: Bool
  /// Block: the column of the keys or dashes. Flow: the indentation of the line the collection
  /// starts on (continuation lines of long scalars go deeper).
  var column: Int
  var entryPrefix = ""
  var separator = ", "
  var keySeparator = ": "
  var entries: [EntryLayout]

  func slot(for index: Int) -> PreservingEditPlanner.Slot {
    let entry = entries[index]
    switch kind {
    case .block:
      return PreservingEditPlanner.Slot(
        position: isMapping ? .blockMappingValue : .blockSequenceItem, column: column, indicatorEnd: entry.indicatorEnd)
    case .flowLines, .flowInline:
      return PreservingEditPlanner.Slot(
        position: .flow, column: column, indicatorEnd: entry.indicatorEnd, keyEnd: entry.keyEnd,
        containerPrefix: kind == .flowLines ? entryPrefix : nil)
    }
  }
}

extension PreservingEditPlanner {
  /// The layout of a mapping (`keyed`) or sequence (`items`), or nil when it is one the planner
  /// does not edit in place (explicit `? ` keys, entries that share lines in block style, …).
  func analyzeContainer(_ node: Node, keyed entries: [MappingEntry]?, items: [Node]?) -> ContainerLayout? {
    switch node.style {
    case .blockMapping:
      guard let entries else { return nil }
      return analyzeBlockMapping(entries)
    case .blockSequence:
      guard let items else { return nil }
      return analyzeBlockSequence(node, items)
    case .flowMapping, .flowSequence, .json:
      return analyzeFlow(node, entries: entries, items: items)
    default:
      return nil
    }
  }

  private var allowsComments: Bool { format == .yaml }

  private func analyzeBlockMapping(_ entries: [MappingEntry]) -> ContainerLayout? {
    var layouts: [EntryLayout] = []
    var column = 0
    for (index, entry) in entries.enumerated() {
      let start = entry.key.range.lowerBound
      guard !entry.key.range.isEmpty, entry.key.yaml?.alias == nil else { return nil }
      // A simple key: its `:` follows on the same line.
      var indicator = entry.key.range.upperBound
      while let byte = source.byte(at: indicator), PreservingSource.isBlank(byte) { indicator += 1 }
      guard source.byte(at: indicator) == UInt8(ascii: ":") else { return nil }
      let indicatorEnd = indicator + 1
      guard let valueEnd = valueEnd(of: entry.value, after: indicatorEnd) else { return nil }
      guard
        let layout = blockEntry(
          index: index, start: start, indicatorEnd: indicatorEnd, end: valueEnd,
          isBlockScalar: entry.value.style == .literal || entry.value.style == .folded)
      else { return nil }
      if index == 0 {
        column = source.column(of: start)
      } else if source.column(of: start) != column {
        return nil
      }
      layouts.append(layout)
    }
    return ContainerLayout(kind: .block, isMapping: true, column: column, entries: layouts)
  }

  private func analyzeBlockSequence(_ node: Node, _ items: [Node]) -> ContainerLayout? {
    var layouts: [EntryLayout] = []
    var column = 0
    var searchFrom = source.skipProperties(from: node.range.lowerBound)
    for (index, item) in items.enumerated() {
      let dash = source.skipTrivia(from: searchFrom, acrossLines: true, comments: true)
      guard source.byte(at: dash) == UInt8(ascii: "-") else { return nil }
      guard let valueEnd = valueEnd(of: item, after: dash + 1) else { return nil }
      guard
        let layout = blockEntry(
          index: index, start: dash, indicatorEnd: dash + 1, end: valueEnd,
          isBlockScalar: item.style == .literal || item.style == .folded)
      else { return nil }
      if index == 0 {
        column = source.column(of: dash)
      } else if source.column(of: dash) != column {
        return nil
      }
      layouts.append(layout)
      searchFrom = valueEnd
    }
    return ContainerLayout(kind: .block, isMapping: false, column: column, entries: layouts)
  }

  /// The end of a value that follows an indicator, or nil when the tree places it elsewhere.
  private func valueEnd(of value: Node, after indicatorEnd: Int) -> Int? {
    if value.range.isEmpty { return indicatorEnd }
    guard value.range.lowerBound >= indicatorEnd else { return nil }
    return value.range.upperBound
  }

  private func blockEntry(index: Int, start: Int, indicatorEnd: Int, end: Int, isBlockScalar: Bool) -> EntryLayout? {
    let atLineStart = source.onlyBlanksBefore(start)
    let compact = !atLineStart && index == 0 && source.previousNonBlankOnLine(start) == UInt8(ascii: "-")
    guard atLineStart || compact else { return nil }
    let tail = self.tail(after: end, allowsComma: false, isBlockScalar: isBlockScalar)
    return EntryLayout(
      start: start, lineStart: source.lineStart(of: start), atLineStart: atLineStart, compact: compact,
      indicatorEnd: indicatorEnd, keyEnd: nil, end: end, comma: tail.comma, nextLineStart: tail.nextLineStart)
  }

  /// What follows an entry on its last line.
  private func tail(after end: Int, allowsComma: Bool, isBlockScalar: Bool) -> (comma: Range<Int>?, nextLineStart: Int?) {
    var index = source.skipTrivia(from: end, acrossLines: false, comments: false)
    var comma: Range<Int>?
    if allowsComma, source.byte(at: index) == UInt8(ascii: ",") {
      comma = index..<index + 1
      index = source.skipTrivia(from: index + 1, acrossLines: false, comments: false)
    }
    if allowsComments, source.byte(at: index) == UInt8(ascii: "#") {
      index = source.lineContentEnd(from: index)
    }
    guard index == source.count || PreservingSource.isLineBreak(source.bytes[index]) else { return (comma, nil) }
    var next = source.afterLineBreak(at: index)
    if isBlockScalar {
      // Blank lines after a block scalar belong to it (its chomping decides whether they count).
      while next < source.count {
        let lineEnd = source.lineContentEnd(from: next)
        guard lineEnd < source.count, source.bytes[next..<lineEnd].allSatisfy(PreservingSource.isBlank) else { break }
        next = source.afterLineBreak(at: lineEnd)
      }
    }
    return (comma, next)
  }

  private func analyzeFlow(_ node: Node, entries: [MappingEntry]?, items: [Node]?) -> ContainerLayout? {
    let isMapping = entries != nil
    let open = source.skipProperties(from: node.range.lowerBound)
    let close = node.range.upperBound - 1
    guard open < close,
      source.byte(at: open) == UInt8(ascii: isMapping ? "{" : "["),
      source.byte(at: close) == UInt8(ascii: isMapping ? "}" : "]")
    else { return nil }

    var layouts: [EntryLayout] = []
    let count = entries?.count ?? items?.count ?? 0
    for index in 0..<count {
      let start: Int
      var indicatorEnd: Int?
      var keyEnd: Int?
      let end: Int
      if let entries {
        let entry = entries[index]
        guard !entry.key.range.isEmpty, entry.key.yaml?.alias == nil else { return nil }
        start = entry.key.range.lowerBound
        // `? key : value` in a flow mapping: left alone.
        if source.previousSignificant(start) == UInt8(ascii: "?") { return nil }
        keyEnd = entry.key.range.upperBound
        let indicator = source.skipTrivia(from: entry.key.range.upperBound, acrossLines: true, comments: allowsComments)
        if source.byte(at: indicator) == UInt8(ascii: ":") { indicatorEnd = indicator + 1 }
        if entry.value.range.isEmpty {
          end = indicatorEnd ?? entry.key.range.upperBound
        } else {
          guard let indicatorEnd, entry.value.range.lowerBound >= indicatorEnd else { return nil }
          end = entry.value.range.upperBound
        }
      } else if let items {
        let item = items[index]
        guard !item.range.isEmpty else { return nil }
        start = item.range.lowerBound
        end = item.range.upperBound
      } else {
        return nil
      }
      guard start > open, end <= close else { return nil }
      let after = source.skipTrivia(from: end, acrossLines: true, comments: allowsComments)
      let isFollowed = source.byte(at: after) == UInt8(ascii: ",")
      guard isFollowed || after == close else { return nil }
      let tail = self.tail(after: end, allowsComma: true, isBlockScalar: false)
      layouts.append(
        EntryLayout(
          start: start, lineStart: source.lineStart(of: start), atLineStart: source.onlyBlanksBefore(start),
          compact: false, indicatorEnd: indicatorEnd, keyEnd: keyEnd, end: end,
          comma: isFollowed ? after..<after + 1 : nil, nextLineStart: tail.nextLineStart))
    }
    for index in layouts.indices.dropFirst() where layouts[index - 1].end >= layouts[index].start {
      return nil
    }

    let column = source.indentationWidth(ofLineAt: open)
    let oneEntryPerLine =
      !layouts.isEmpty
      && layouts.allSatisfy { $0.atLineStart && $0.nextLineStart != nil && ($0.comma == nil || $0.comma!.lowerBound < $0.nextLineStart!) }
    var layout = ContainerLayout(
      kind: oneEntryPerLine ? .flowLines : .flowInline, isMapping: isMapping, column: column, entries: layouts)
    if oneEntryPerLine, let first = layouts.first {
      layout.entryPrefix = source.text(first.lineStart..<first.start)
    }
    if layouts.count >= 2 {
      let gap = source.text(layouts[0].end..<layouts[1].start)
      if gap.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "," }), gap.filter({ $0 == "," }).count == 1 {
        layout.separator = gap
      }
    }
    if format == .json, let entries, let first = entries.first, !first.value.range.isEmpty {
      let gap = source.text(first.key.range.upperBound..<first.value.range.lowerBound)
      if gap.allSatisfy({ $0 == " " || $0 == "\t" || $0 == ":" }), gap.filter({ $0 == ":" }).count == 1 {
        layout.keySeparator = gap
      }
    }
    return layout
  }

  // MARK: File habits

  /// The indentation habits of a YAML file, from its first nested collections.
  mutating func detectYAMLStyle(_ root: Node) {
    var mappingIndent: Int?
    var sequenceIndent: Int?
    var itemOffset: Int?
    var stack: [Node] = [root]
    var visited = 0
    while let node = stack.popLast(), visited < 10_000 {
      visited += 1
      if node.yaml?.alias != nil { continue }
      switch node.kind {
      case .mapping(let entries):
        for entry in entries.reversed() { stack.append(entry.value) }
        guard node.style == .blockMapping else { continue }
        for entry in entries where entry.value.yaml?.alias == nil && !entry.key.range.isEmpty {
          let keyColumn = source.column(of: entry.key.range.lowerBound)
          if mappingIndent == nil, entry.value.style == .blockMapping, let first = entry.value.entries?.first,
            source.onlyBlanksBefore(first.key.range.lowerBound)
          {
            let step = source.column(of: first.key.range.lowerBound) - keyColumn
            if step > 0 { mappingIndent = step }
          }
          if sequenceIndent == nil, entry.value.style == .blockSequence {
            let dash = source.skipProperties(from: entry.value.range.lowerBound)
            if source.byte(at: dash) == UInt8(ascii: "-"), source.onlyBlanksBefore(dash) {
              let step = source.column(of: dash) - keyColumn
              if step >= 0 { sequenceIndent = step }
            }
          }
        }
      case .sequence(let items):
        for item in items.reversed() { stack.append(item) }
        guard node.style == .blockSequence, itemOffset == nil, let first = items.first, !first.range.isEmpty else { continue }
        let dash = source.skipProperties(from: node.range.lowerBound)
        guard source.byte(at: dash) == UInt8(ascii: "-"),
          source.lineStart(of: dash) == source.lineStart(of: first.range.lowerBound)
        else { continue }
        let offset = source.column(of: first.range.lowerBound) - source.column(of: dash)
        if offset >= 2 { itemOffset = offset }
      case .scalar:
        break
      }
    }
    // Without a nested mapping to learn from, indented sequences show the file's step.
    if mappingIndent == nil, let sequenceIndent, sequenceIndent > 0 { mappingIndent = sequenceIndent }
    if let mappingIndent { yaml.mappingIndent = mappingIndent }
    if let sequenceIndent { yaml.sequenceIndent = sequenceIndent }
    if let itemOffset { yaml.itemOffset = itemOffset }
  }

  /// The indentation unit and separators of a JSON file, from its root.
  mutating func detectJSONStyle(_ root: Node) {
    guard let layout = analyzeContainer(root, keyed: root.entries, items: root.items), !layout.entries.isEmpty else {
      return
    }
    json.keySeparator = layout.keySeparator
    switch layout.kind {
    case .flowLines:
      jsonIsPretty = true
      let rootPrefix = source.indentation(ofLineAt: root.range.lowerBound)
      if layout.entryPrefix.hasPrefix(rootPrefix), layout.entryPrefix.count > rootPrefix.count {
        json.indentUnit = String(layout.entryPrefix.dropFirst(rootPrefix.count))
      }
    case .flowInline:
      // Entries sharing lines: new values are written on one line too.
      jsonIsPretty = source.lineStart(of: root.range.lowerBound) != source.lineStart(of: root.range.upperBound - 1)
      if layout.entries.count >= 2 { json.itemSeparator = layout.separator }
    case .block:
      break
    }
  }
}
