import SliceSyntax

/// Walks the located tree and the normalised value side by side and plans the smallest edits
/// that turn one into the other (see `PreservingEdits`).
///
/// Every collection is edited at its own level: entries the value keeps are left where they
/// are (their own differences are planned recursively), entries it drops lose their lines, and
/// new ones are written next to their neighbours in the container's own layout. Whatever the
/// planner does not know how to edit in place is replaced as a whole, one value at a time.
///
/// The planner works on the source with a line break appended when it has none, so that every
/// entry ends with one; `PreservingEdits` maps the result back.
struct PreservingEditPlanner {
  struct PlannedEdit {
    var range: Range<Int>
    var text: String
    /// Creation order: edits at the same place apply in this order (inner before outer).
    var order: Int
  }

  struct Unsupported: Error {}

  let source: PreservingSource
  let format: SliceFormat
  let lineBreak: String
  var yaml = YAMLFragments()
  var json = JSONFragments()
  /// JSON: whether the document is laid out over lines (else values are written on one line).
  var jsonIsPretty = true
  private(set) var edits: [PlannedEdit] = []

  /// Anchors (`&name`) and the value each will hold once the edits are applied.
  private var anchorValues: [String: Value] = [:]
  /// Anchors whose value changes, or that disappear with a removed or replaced node: aliases
  /// and merge keys that use them must be looked at again.
  private var unstableAnchors: Set<String> = []

  /// Deeper than this, values are replaced rather than walked (a slice is never that deep).
  private let maximumDepth = 200

  init(source: PreservingSource, format: SliceFormat, root: Node?) {
    self.source = source
    self.format = format
    let lineBreak = source.lineBreak
    self.lineBreak = lineBreak == "\r" ? "\n" : lineBreak
    if let root {
      switch format {
      case .yaml: detectYAMLStyle(root)
      case .json: detectJSONStyle(root)
      }
    }
  }

  // MARK: Slots

  /// Where a value sits, which says how to write a new value in its place.
  struct Slot {
    enum Position {
      case root
      /// After the `:` of a block mapping key at `column`.
      case blockMappingValue
      /// After a `-` at `column`.
      case blockSequenceItem
      /// Inside a flow collection (YAML) or anywhere in JSON.
      case flow
    }
    var position: Position
    /// Block: the container's column. Flow (YAML): the indentation of the enclosing block line.
    var column: Int
    /// Block: just after the `:` or `-`. Flow mapping value: just after the `:`, if there is one.
    var indicatorEnd: Int?
    /// Flow mapping value without `:` (`{a}`): the key's end, where `: value` goes.
    var keyEnd: Int?
    /// Flow: the container is laid out one entry per line (JSON: write values pretty).
    var containerPrefix: String?
  }

  // MARK: Reconciling

  mutating func reconcileRoot(_ root: Node, target: Value) throws(Unsupported) {
    // A YAML flow root stays in flow style; JSON and block roots are rewritten from their start.
    let position: Slot.Position = format == .yaml && root.style.isFlowOrJSON ? .flow : .root
    try reconcile(root, target, Slot(position: position, column: 0), depth: 0)
  }

  private mutating func reconcile(_ node: Node, _ target: Value, _ slot: Slot, depth: Int) throws(Unsupported) {
    if let alias = node.yaml?.alias {
      // The alias will read what its anchor holds after the edits.
      let current = anchorValues[alias] ?? (unstableAnchors.contains(alias) ? nil : node.value)
      if let current, PreservingEdits.identical(current, target) { return }
      try writeValue(node, target, slot)
      return
    }
    let unchanged = PreservingEdits.matches(node, target)
    if let anchor = node.yaml?.anchor {
      anchorValues[anchor] = target
      if !unchanged { unstableAnchors.insert(anchor) }
    }
    if unchanged && (unstableAnchors.isEmpty || !dependsOnAnchors(node)) { return }
    if depth < maximumDepth, node.yaml?.hasMergeKey != true {
      let checkpoint = (edits.count, anchorValues, unstableAnchors)
      var handled = false
      switch (node.kind, target) {
      case (.mapping(let entries), .object(let members)):
        handled = try reconcileMapping(node, entries, members, slot, depth: depth)
      case (.sequence(let items), .array(let elements)):
        handled = try reconcileSequence(node, items, elements, slot, depth: depth)
      default:
        break
      }
      if handled { return }
      edits.removeLast(edits.count - checkpoint.0)
      anchorValues = checkpoint.1
      unstableAnchors = checkpoint.2
    }
    try writeValue(node, target, slot)
  }

  /// Whether a node's value can change without its text changing: it holds an alias or a
  /// merge key.
  private func dependsOnAnchors(_ node: Node) -> Bool {
    if node.yaml?.alias != nil || node.yaml?.hasMergeKey == true { return true }
    switch node.kind {
    case .mapping(let entries):
      return entries.contains { dependsOnAnchors($0.key) || dependsOnAnchors($0.value) }
    case .sequence(let items):
      return items.contains(where: dependsOnAnchors)
    case .scalar:
      return false
    }
  }

  /// Anchors defined in a subtree that is about to disappear: aliases to them must be rewritten.
  private mutating func forgetAnchors(in node: Node, keepingOwn: Bool) {
    if node.yaml?.alias != nil { return }
    if let anchor = node.yaml?.anchor, !keepingOwn {
      unstableAnchors.insert(anchor)
      anchorValues[anchor] = nil
    }
    switch node.kind {
    case .mapping(let entries):
      for entry in entries {
        forgetAnchors(in: entry.key, keepingOwn: false)
        forgetAnchors(in: entry.value, keepingOwn: false)
      }
    case .sequence(let items):
      for item in items { forgetAnchors(in: item, keepingOwn: false) }
    case .scalar:
      break
    }
  }

  // MARK: Mappings

  private enum NewEntry {
    case member(Value.Member)
    case item(Value)
  }

  /// What happens to a container's entries: which source entries stay, and the new entries
  /// written before or after a kept one (keyed by source index).
  private struct EntryPlan {
    var kept: [Bool]
    var before: [Int: [NewEntry]] = [:]
    var after: [Int: [NewEntry]] = [:]
    var keptIndices: [Int] { kept.indices.filter { kept[$0] } }
  }

  private mutating func reconcileMapping(
    _ node: Node, _ entries: [MappingEntry], _ members: [Value.Member], _ slot: Slot, depth: Int
  ) throws(Unsupported) -> Bool {
    guard !entries.isEmpty, !members.isEmpty else { return false }
    var lastIndexByKey: [Value.Key: Int] = [:]
    for (index, entry) in entries.enumerated() {
      guard let key = entry.key.scalar else { return false }
      lastIndexByKey[Value.Key(key)] = index
    }
    var plan = EntryPlan(kept: Array(repeating: false, count: entries.count))
    var sourceIndexOfMember: [Int?] = []
    for member in members {
      let index = lastIndexByKey[member.key]
      if let index { plan.kept[index] = true }
      sourceIndexOfMember.append(index)
    }
    guard plan.kept.contains(true) else { return false }
    // A new member goes after its previous present sibling in the normalised order, else
    // before the next one.
    var previousKept: Int?
    var leading: [NewEntry] = []
    for (memberIndex, member) in members.enumerated() {
      if let index = sourceIndexOfMember[memberIndex] {
        if previousKept == nil, !leading.isEmpty { plan.before[index] = leading }
        previousKept = index
      } else if let previous = previousKept {
        plan.after[previous, default: []].append(.member(member))
      } else {
        leading.append(.member(member))
      }
    }
    guard let layout = analyzeContainer(node, keyed: entries, items: nil) else { return false }

    var memberByKey: [Value.Key: Value.Member] = [:]
    for member in members { memberByKey[member.key] = member }
    for index in entries.indices {
      let entry = entries[index]
      guard plan.kept[index], let key = entry.key.scalar, let member = memberByKey[Value.Key(key)] else {
        forgetAnchors(in: entry.key, keepingOwn: false)
        forgetAnchors(in: entry.value, keepingOwn: false)
        continue
      }
      if let keyScalar = entry.key.scalar, !PreservingEdits.identical(keyScalar, member.key.scalar) {
        try rewriteKey(entry.key, to: member.key.scalar, layout: layout)
      }
      try reconcile(entry.value, member.value, layout.slot(for: index), depth: depth + 1)
    }
    return try emitStructure(layout, plan)
  }

  private mutating func rewriteKey(_ key: Node, to scalar: Scalar, layout: ContainerLayout) throws(Unsupported) {
    guard !key.range.isEmpty, key.yaml?.alias == nil, key.yaml?.anchor == nil else { throw Unsupported() }
    switch format {
    case .json:
      do { addEdit(key.range, try json.key(scalar)) } catch { throw Unsupported() }
    case .yaml:
      let column = source.column(of: key.range.lowerBound)
      let text =
        layout.kind == .block
        ? yaml.blockKey(scalar, indent: layout.column, column: column)
        : yaml.flowKey(scalar, indent: layout.column, column: column)
      addEdit(key.range, text)
    }
  }

  // MARK: Sequences

  private mutating func reconcileSequence(
    _ node: Node, _ items: [Node], _ elements: [Value], _ slot: Slot, depth: Int
  ) throws(Unsupported) -> Bool {
    // Normalisation never reorders a list: items are matched by position.
    guard !items.isEmpty, !elements.isEmpty else { return false }
    guard let layout = analyzeContainer(node, keyed: nil, items: items) else { return false }
    let keptCount = min(items.count, elements.count)
    var plan = EntryPlan(kept: items.indices.map { $0 < keptCount })
    if elements.count > keptCount {
      plan.after[keptCount - 1] = elements[keptCount...].map { .item($0) }
    }
    for index in items.indices {
      if index < keptCount {
        try reconcile(items[index], elements[index], layout.slot(for: index), depth: depth + 1)
      } else {
        forgetAnchors(in: items[index], keepingOwn: false)
      }
    }
    return try emitStructure(layout, plan)
  }

  // MARK: Structure edits

  /// Removes the dropped entries and writes the new ones; false when the layout does not allow
  /// it (the container is then replaced as a whole).
  private mutating func emitStructure(_ layout: ContainerLayout, _ plan: EntryPlan) throws(Unsupported) -> Bool {
    let kept = plan.keptIndices
    guard let firstKept = kept.first, let lastKept = kept.last else { return false }
    let entries = layout.entries
    switch layout.kind {
    case .block:
      let compactStart: Int? = entries[0].compact ? firstKept : nil
      for index in entries.indices where !plan.kept[index] {
        if entries[0].compact && index < firstKept {
          // The first entry shares its line with a `-`: the next kept entry moves up there.
          if index == 0 { addEdit(entries[0].start..<entries[firstKept].start, "") }
          continue
        }
        guard entries[index].atLineStart, let next = entries[index].nextLineStart else { return false }
        addEdit(entries[index].lineStart..<next, "")
      }
      for index in kept {
        if let before = plan.before[index] {
          var text = ""
          if compactStart == index {
            for entry in before { text += try render(entry, layout) + "\n" + spaces(layout.column) }
            addEdit(entries[index].start..<entries[index].start, text)
          } else {
            guard entries[index].atLineStart else { return false }
            for entry in before { text += spaces(layout.column) + (try render(entry, layout)) + "\n" }
            addEdit(entries[index].lineStart..<entries[index].lineStart, text)
          }
        }
        if let after = plan.after[index] {
          guard let next = entries[index].nextLineStart else { return false }
          var text = ""
          for entry in after { text += spaces(layout.column) + (try render(entry, layout)) + "\n" }
          addEdit(next..<next, text)
        }
      }
      return true

    case .flowLines:
      let lastFinalIsKept = plan.after[lastKept] == nil
      for index in entries.indices where !plan.kept[index] {
        guard let next = entries[index].nextLineStart else { return false }
        addEdit(entries[index].lineStart..<next, "")
      }
      for index in kept {
        if let before = plan.before[index] {
          var text = ""
          for entry in before { text += layout.entryPrefix + (try render(entry, layout)) + ",\n" }
          addEdit(entries[index].lineStart..<entries[index].lineStart, text)
        }
        let isLast = index == lastKept && lastFinalIsKept
        if !isLast && entries[index].comma == nil {
          addEdit(entries[index].end..<entries[index].end, ",")
        } else if isLast, let comma = entries[index].comma, index != entries.count - 1 {
          addEdit(comma, "")
        }
        if let after = plan.after[index] {
          guard let next = entries[index].nextLineStart else { return false }
          var text = ""
          for (position, entry) in after.enumerated() {
            let isLastNew = index == lastKept && position == after.count - 1
            text += layout.entryPrefix + (try render(entry, layout)) + (isLastNew ? "" : ",") + "\n"
          }
          addEdit(next..<next, text)
        }
      }
      return true

    case .flowInline:
      let separator = layout.separator
      if firstKept > 0 || plan.before[firstKept] != nil {
        var text = ""
        for entry in plan.before[firstKept] ?? [] { text += try render(entry, layout) + separator }
        addEdit(entries[0].start..<entries[firstKept].start, text)
      }
      for (left, right) in zip(kept, kept.dropFirst()) {
        let between = (plan.after[left] ?? []) + (plan.before[right] ?? [])
        guard right > left + 1 || !between.isEmpty else { continue }
        var text = separator
        for entry in between { text += try render(entry, layout) + separator }
        addEdit(entries[left].end..<entries[right].start, text)
      }
      if lastKept < entries.count - 1 || plan.after[lastKept] != nil {
        var text = ""
        for entry in plan.after[lastKept] ?? [] { text += separator + (try render(entry, layout)) }
        addEdit(entries[lastKept].end..<entries[entries.count - 1].end, text)
      }
      return true
    }
  }

  /// A new entry in the container's layout (without indentation or separators).
  private func render(_ entry: NewEntry, _ layout: ContainerLayout) throws(Unsupported) -> String {
    do {
      switch (format, layout.kind, entry) {
      case (.yaml, .block, .member(let member)):
        return yaml.entry(key: member.key.scalar, value: member.value, column: layout.column)
      case (.yaml, .block, .item(let value)):
        return yaml.item(value, dashColumn: layout.column)
      case (.yaml, _, .member(let member)):
        let key = yaml.flowKey(member.key.scalar, indent: layout.column, column: layout.column)
        return key + ": " + yaml.flow(member.value, indent: layout.column, column: layout.column + codePointWidth(key) + 2)
      case (.yaml, _, .item(let value)):
        return yaml.flow(value, indent: layout.column, column: layout.column)
      case (.json, .flowLines, .member(let member)):
        return try json.key(member.key.scalar) + layout.keySeparator + json.pretty(member.value, linePrefix: layout.entryPrefix)
      case (.json, .flowLines, .item(let value)):
        return try json.pretty(value, linePrefix: layout.entryPrefix)
      case (.json, _, .member(let member)):
        return try json.key(member.key.scalar) + layout.keySeparator + json.compact(member.value)
      case (.json, _, .item(let value)):
        return try json.compact(value)
      }
    } catch {
      throw Unsupported()
    }
  }

  // MARK: Whole values

  /// Replaces a node's value with `target`, written as the reference writer would write it at
  /// that place (keeping the node's anchor, which aliases may use).
  private mutating func writeValue(_ node: Node, _ target: Value, _ slot: Slot) throws(Unsupported) {
    let anchor = node.yaml?.alias == nil ? node.yaml?.anchor : nil
    forgetAnchors(in: node, keepingOwn: true)
    if let anchor { anchorValues[anchor] = target }
    let isInline: Bool
    switch target {
    case .scalar: isInline = true
    case .object(let members): isInline = members.isEmpty
    case .array(let elements): isInline = elements.isEmpty
    }
    switch format {
    case .json:
      do {
        if slot.position == .root {
          let prefix = source.indentation(ofLineAt: node.range.lowerBound)
          addEdit(node.range, jsonIsPretty ? try json.pretty(target, linePrefix: prefix) : try json.compact(target))
        } else if let prefix = slot.containerPrefix {
          addEdit(node.range, try json.pretty(target, linePrefix: prefix))
        } else {
          addEdit(node.range, try json.compact(target))
        }
      } catch {
        throw Unsupported()
      }

    case .yaml:
      let properties = anchor.map { "&" + $0 + " " } ?? ""
      let inPlace = !node.range.isEmpty && (node.scalar != nil || node.yaml?.alias != nil || node.style.isFlowOrJSON)
      switch slot.position {
      case .flow:
        if node.range.isEmpty {
          let at = slot.indicatorEnd ?? slot.keyEnd ?? node.range.lowerBound
          let lead = slot.indicatorEnd == nil && slot.keyEnd != nil ? ": " : " "
          addEdit(at..<at, lead + yaml.flow(target, indent: slot.column, column: source.column(of: at) + 2))
        } else {
          let column = source.column(of: node.range.lowerBound) + codePointWidth(properties)
          addEdit(node.range, properties + yaml.flow(target, indent: slot.column, column: column))
        }
      case .root:
        let column = source.column(of: node.range.lowerBound)
        addEdit(node.range, yaml.body(target, column: column))
      case .blockMappingValue, .blockSequenceItem:
        guard let indicatorEnd = slot.indicatorEnd else { throw Unsupported() }
        let column = source.column(of: node.range.lowerBound) + codePointWidth(properties)
        if isInline && inPlace {
          let text = yaml.inline(target, inFlow: false, indent: slot.column, column: column) ?? ""
          addEdit(node.range, properties + text)
        } else if inPlace && node.style.isFlowOrJSON && node.yaml?.alias == nil {
          // A flow collection the planner could not edit stays a flow collection.
          addEdit(node.range, properties + yaml.flow(target, indent: slot.column, column: column))
        } else {
          var end = max(indicatorEnd, node.range.upperBound)
          if node.style == .blockMapping || node.style == .blockSequence, node.yaml?.alias == nil {
            // The comment on a block collection's last line went with its last entry.
            let after = source.skipTrivia(from: end, acrossLines: false, comments: false)
            if source.byte(at: after) == UInt8(ascii: "#") { end = source.lineContentEnd(from: after) }
          }
          let text =
            slot.position == .blockMappingValue
            ? yaml.afterKeyIndicator(target, keyColumn: slot.column, column: source.column(of: indicatorEnd), anchor: anchor)
            : yaml.afterDash(target, dashColumn: slot.column, anchor: anchor)
          addEdit(indicatorEnd..<end, text)
        }
      }
    }
  }

  // MARK: Edits

  private mutating func addEdit(_ range: Range<Int>, _ text: String) {
    let converted = lineBreak == "\n" ? text : text.replacingLineBreaks(with: lineBreak)
    edits.append(PlannedEdit(range: range, text: converted, order: edits.count))
  }
}

extension String {
  func replacingLineBreaks(with lineBreak: String) -> String {
    var result = ""
    result.reserveCapacity(utf8.count + 16)
    for character in unicodeScalars {
      if character == "\n" { result += lineBreak } else { result.unicodeScalars.append(character) }
    }
    return result
  }
}

extension NodeStyle {
  var isFlowOrJSON: Bool {
    switch self {
    case .flowMapping, .flowSequence, .json: return true
    default: return false
    }
  }
}
