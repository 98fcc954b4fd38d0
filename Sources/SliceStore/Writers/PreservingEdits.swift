import SliceSyntax

/// Why no edits could be made.
public enum PreservingEditsError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The source does not load (its syntax error says why): there is nothing to preserve, and
  /// the reference would fail on the file too.
  case sourceDoesNotLoad(Finding)
  /// The normalised value cannot be written in the file's format (a date in a JSON file).
  case notWritable(ReferenceWriterError)
  /// Not even the reference rendering reads back as the normalised value (a defect).
  case couldNotReproduce

  public var description: String {
    switch self {
    case .sourceDoesNotLoad(let finding): return "the file does not load: \(finding.message)"
    case .notWritable(let error): return "the normalised value cannot be written: \(error)"
    case .couldNotReproduce: return "the normalised value could not be written back into the file"
    }
  }
}

/// The update compile's normalised content, written into the existing file as small text edits
/// (slicels' `--style preserve`, and the language server's "Run update compile").
///
/// Reading the edited file gives exactly the normalised value (same kinds: an int stays an
/// int, a float a float), while the file keeps what the data allows it to keep:
/// - entries present in both keep their place, text, quoting and comments, whatever the
///   normalised key order;
/// - entries the compile adds (defaults) are written next to their neighbours in the normalised
///   order — after the previous present sibling, else before the next one — in the container's
///   own layout: YAML block lines at the mapping's column (nested collections in block style
///   with the file's indentation), YAML flow and JSON with their commas, one per line or inline
///   as the container is written (JSON indentation detected from the file, two spaces by
///   default);
/// - entries it drops (unknown properties, managed attributes, earlier duplicates of a key)
///   lose their whole lines with the comment on them; other comments stay;
/// - scalars it changes (`"80"` → `80`, `1` → `1.0`) are rewritten in place, in the style the
///   reference writer would give them there (PyYAML's plain or quoted choice, `json.dumps`);
/// - list items are matched by position (normalisation never reorders a list);
/// - what cannot be edited in place (a scalar that became a mapping, explicit `? ` keys, a merge
///   key whose anchors change, …) is replaced one value at a time with the reference rendering,
///   keeping anchors that aliases use.
///
/// Every result is checked by reading it back; when the check fails the whole document is
/// replaced with the reference rendering (`Outcome.method` says so). A deleted slice (empty,
/// `null`, `{}`) is left as it is. A file without a final line break stays without one; CRLF
/// files get CRLF lines. Edits are byte ranges into `source`, sorted and non-overlapping.
public enum PreservingEdits {
  public enum Method: Sendable, Hashable {
    /// The file already reads as the normalised value.
    case unchanged
    /// Minimal edits that keep comments, order and quoting.
    case preserving
    /// The whole document replaced with the reference rendering (comments lost).
    case wholeDocument
  }

  public struct Outcome: Sendable {
    public var edits: [TextEdit]
    public var method: Method
  }

  public static func edits(source: [UInt8], tree: SyntaxTree, normalized: Value) throws(PreservingEditsError) -> [TextEdit] {
    try outcome(source: source, tree: tree, normalized: normalized).edits
  }

  public static func outcome(source: [UInt8], tree: SyntaxTree, normalized: Value) throws(PreservingEditsError) -> Outcome {
    guard tree.loads else {
      let finding =
        tree.findings.first(where: { $0.severity == .error })
        ?? Finding(range: 0..<0, severity: .error, code: tree.format == .json ? .jsonSyntax : .yamlSyntax, message: "the file does not load")
      throw .sourceDoesNotLoad(finding)
    }
    if case .deleted = tree.sliceKind, isDeletedSlice(normalized) {
      return Outcome(edits: [], method: .unchanged)
    }
    if let root = tree.root, !tree.hasDuplicateKeys, matches(root, normalized) {
      return Outcome(edits: [], method: .unchanged)
    }
    if let root = tree.root, let edits = preservingEdits(source: source, format: tree.format, root: root, normalized: normalized),
      reproduces(edits, source: source, format: tree.format, normalized: normalized)
    {
      return Outcome(edits: edits, method: .preserving)
    }
    let edits = try wholeDocumentEdits(source: source, format: tree.format, normalized: normalized)
    guard reproduces(edits, source: source, format: tree.format, normalized: normalized) else {
      throw .couldNotReproduce
    }
    return Outcome(edits: edits, method: .wholeDocument)
  }

  /// Applies byte-range edits (non-overlapping; at one position, in array order).
  public static func apply(_ edits: [TextEdit], to source: [UInt8]) -> [UInt8] {
    let ordered = edits.enumerated().sorted {
      ($0.element.range.lowerBound, $0.element.range.upperBound, $0.offset)
        < ($1.element.range.lowerBound, $1.element.range.upperBound, $1.offset)
    }
    var result: [UInt8] = []
    result.reserveCapacity(source.count + edits.reduce(0) { $0 + $1.newText.utf8.count })
    var position = 0
    for (_, edit) in ordered {
      let start = min(max(edit.range.lowerBound, position), source.count)
      result.append(contentsOf: source[position..<start])
      result.append(contentsOf: edit.newText.utf8)
      position = max(start, min(edit.range.upperBound, source.count))
    }
    result.append(contentsOf: source[position...])
    return result
  }

  // MARK: Strict equality

  /// Whether a located node already is `value` as the compile writes it: identical, and without
  /// duplicate keys (the compile writes each key once).
  static func matches(_ node: Node, _ value: Value) -> Bool {
    switch (node.kind, value) {
    case (.scalar(let scalar), .scalar(let other)):
      return identical(scalar, other)
    case (.sequence(let items), .array(let elements)):
      return items.count == elements.count && zip(items, elements).allSatisfy { matches($0, $1) }
    case (.mapping(let entries), .object(let members)):
      if node.yaml?.hasMergeKey == true { return !hasDuplicateOwnKey(node, entries) && identical(node.value, value) }
      guard entries.count == members.count else { return false }
      var byKey: [Value.Key: Value.Member] = [:]
      for member in members { byKey[member.key] = member }
      // Each member must be met exactly once: a duplicated key can stand in for a missing one
      // and keep the counts equal, but the compile writes every key once (and the missing one).
      var met: Set<Value.Key> = []
      met.reserveCapacity(entries.count)
      return entries.allSatisfy { entry in
        guard let key = entry.key.scalar, let member = byKey[Value.Key(key)], met.insert(member.key).inserted else {
          return false
        }
        return identical(key, member.key.scalar) && matches(entry.value, member.value)
      }
    default:
      return false
    }
  }

  /// Whether a mapping with a merge key gives one of its own keys twice. Its merged entries come
  /// first (from anchors, located elsewhere) and may be overridden by its own; only a repeat
  /// among the entries written inside the mapping is a duplicate the compile would remove.
  private static func hasDuplicateOwnKey(_ node: Node, _ entries: [MappingEntry]) -> Bool {
    var seen: Set<Value.Key> = []
    for entry in entries where node.range.contains(entry.key.range.lowerBound) {
      guard let key = entry.key.scalar else { continue }
      if !seen.insert(Value.Key(key)).inserted { return true }
    }
    return false
  }

  /// Python equality without its leniency: same kinds (`1`, `1.0` and `true` differ), floats
  /// bit for bit (NaN equals NaN); mappings compare without regard to key order.
  static func identical(_ left: Value, _ right: Value) -> Bool {
    switch (left, right) {
    case (.scalar(let a), .scalar(let b)):
      return identical(a, b)
    case (.array(let a), .array(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { identical($0, $1) }
    case (.object(let a), .object(let b)):
      guard a.count == b.count else { return false }
      if zip(a, b).allSatisfy({ identical($0.key.scalar, $1.key.scalar) && identical($0.value, $1.value) }) {
        return true
      }
      var byKey: [Value.Key: Value.Member] = [:]
      for member in b { byKey[member.key] = member }
      return a.allSatisfy { member in
        guard let other = byKey[member.key] else { return false }
        return identical(member.key.scalar, other.key.scalar) && identical(member.value, other.value)
      }
    default:
      return false
    }
  }

  static func identical(_ left: Scalar, _ right: Scalar) -> Bool {
    if case .float(let a) = left, case .float(let b) = right {
      return a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
    }
    return left == right
  }

  private static func isDeletedSlice(_ value: Value) -> Bool {
    switch value {
    case .scalar(.null): return true
    case .object(let members): return members.isEmpty
    default: return false
    }
  }

  // MARK: Planning

  private static func preservingEdits(source: [UInt8], format: SliceFormat, root: Node, normalized: Value) -> [TextEdit]? {
    // Plan on the source with a final line break, so that every entry ends with one.
    var working = source
    if !source.isEmpty && !PreservingSource.endsWithLineBreak(source) {
      working.append(contentsOf: (PreservingSource.lineBreak(of: source) == "\r\n" ? "\r\n" : "\n").utf8)
    }
    var planner = PreservingEditPlanner(source: PreservingSource(working), format: format, root: root)
    do {
      try planner.reconcileRoot(root, target: normalized)
    } catch {
      return nil
    }
    guard var edits = sortedAndMerged(planner.edits) else { return nil }
    if working.count > source.count {
      guard let mapped = withoutAddedLineBreak(edits, working: working, originalCount: source.count) else { return nil }
      edits = mapped
    }
    return edits.filter { edit in
      edit.range.upperBound > source.count || source[edit.range].elementsEqual(edit.newText.utf8) == false
    }
  }

  /// Sorted, checked for overlaps, and merged where they touch (so that no two edits share a
  /// position, whatever order an editor applies them in).
  private static func sortedAndMerged(_ planned: [PreservingEditPlanner.PlannedEdit]) -> [TextEdit]? {
    let sorted = planned.sorted {
      ($0.range.lowerBound, $0.range.upperBound, $0.order) < ($1.range.lowerBound, $1.range.upperBound, $1.order)
    }
    // Touching edits are gathered first and joined once: appending each to the merged text so
    // far would copy it again for every edit of a long run (thousands of added list items).
    var result: [TextEdit] = []
    var runRange: Range<Int>?
    var runTexts: [String] = []
    func closeRun() {
      if let range = runRange { result.append(TextEdit(range: range, newText: runTexts.joined())) }
      runTexts.removeAll(keepingCapacity: true)
    }
    for edit in sorted {
      if let range = runRange {
        if edit.range.lowerBound < range.upperBound { return nil }
        if edit.range.lowerBound == range.upperBound {
          runRange = range.lowerBound..<edit.range.upperBound
          runTexts.append(edit.text)
          continue
        }
      }
      closeRun()
      runRange = edit.range
      runTexts.append(edit.text)
    }
    closeRun()
    return result
  }

  /// Edits planned on `working` (the source plus a final line break) turned into edits on the
  /// source whose result is the same minus that final line break.
  private static func withoutAddedLineBreak(_ edits: [TextEdit], working: [UInt8], originalCount: Int) -> [TextEdit]? {
    guard let first = edits.firstIndex(where: { $0.range.upperBound > originalCount || $0.range.lowerBound > originalCount })
    else {
      // The added line break is untouched: it stays last, and is simply not there.
      return edits
    }
    var result = apply(edits, to: working)
    if result.last == 0x0A {
      result.removeLast()
      if result.last == 0x0D { result.removeLast() }
    } else if result.last == 0x0D {
      result.removeLast()
    } else {
      return nil
    }
    // Everything from `cut` on is rewritten as one edit; the edits before it stay.
    var cut = min(originalCount, edits[first].range.lowerBound)
    var keptCount = first
    while true {
      let shift = edits[0..<keptCount].reduce(0) { $0 + $1.newText.utf8.count - $1.range.count }
      let position = cut + shift
      if position <= result.count {
        let tail = String(decoding: result[position...], as: UTF8.self)
        return Array(edits[0..<keptCount]) + [TextEdit(range: cut..<originalCount, newText: tail)]
      }
      if keptCount > 0, edits[keptCount - 1].range.upperBound == cut {
        keptCount -= 1
        cut = edits[keptCount].range.lowerBound
      } else if cut > 0 {
        cut -= 1
      } else {
        return nil
      }
    }
  }

  // MARK: Checking and falling back

  /// Whether the edited file reads back as exactly the normalised value, each key once. Compared
  /// on the tree: a `Value` copy of a large file would cost as much memory as the tree again.
  private static func reproduces(_ edits: [TextEdit], source: [UInt8], format: SliceFormat, normalized: Value) -> Bool {
    let tree = SliceReader.read(apply(edits, to: source), format: format)
    guard tree.loads, !tree.hasDuplicateKeys, let root = tree.root else { return false }
    return matches(root, normalized)
  }

  /// The reference rendering in place of the whole document (after a byte order mark), with
  /// the file's line breaks and its final line break (or its absence).
  private static func wholeDocumentEdits(source: [UInt8], format: SliceFormat, normalized: Value) throws(PreservingEditsError) -> [TextEdit] {
    var rendering: String
    switch format {
    case .yaml:
      rendering = ReferenceYAMLWriter.text(for: normalized)
    case .json:
      do { rendering = try ReferenceJSONWriter.text(for: normalized) } catch { throw .notWritable(error) }
    }
    if !source.isEmpty {
      while rendering.hasSuffix("\n") { rendering.removeLast() }
      if PreservingSource.endsWithLineBreak(source) { rendering += "\n" }
    }
    let lineBreak = PreservingSource.lineBreak(of: source)
    if lineBreak != "\n" { rendering = rendering.replacingLineBreaks(with: lineBreak == "\r" ? "\n" : lineBreak) }
    return [TextEdit(range: PreservingSource.contentStart(of: source)..<source.count, newText: rendering)]
  }
}
