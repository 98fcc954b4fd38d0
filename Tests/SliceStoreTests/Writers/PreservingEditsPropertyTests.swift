import SliceStore
import SliceSyntax
import Testing

/// Seeded property test: random source documents (YAML in block, flow and mixed styles with
/// comments, CRLF, BOM, missing final line breaks; JSON pretty with any indentation or
/// compact), random normalisations derived from them (keys dropped, keys added with nested
/// values, scalars changed in value or kind, lists shortened or extended, duplicates resolved,
/// key order shuffled), then: the edited file must read back as exactly the normalisation, the
/// edits must be minimal in kind (no whole-document rewrite), and every comment that belongs to
/// a kept entry of a kept collection must survive, on the line of its entry when it trails it.
@Suite struct PreservingEditsPropertyTests {
  @Test func randomYAMLDocuments() throws {
    var totals = PropertyTotals()
    for seed in 0..<3000 {
      var random = PropertyRandom(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
      try runCase(format: .yaml, random: &random, seed: seed, totals: &totals)
    }
    print("YAML property cases: \(totals)")
    #expect(totals.cases >= 2900)
    #expect(totals.generatorMismatches == 0)
    #expect(totals.wholeDocument == 0)
    #expect(totals.requiredComments > 5000)
  }

  @Test func randomJSONDocuments() throws {
    var totals = PropertyTotals()
    for seed in 0..<2000 {
      var random = PropertyRandom(seed: UInt64(seed) &* 0xD1B5_4A32_D192_ED03 &+ 7)
      try runCase(format: .json, random: &random, seed: seed, totals: &totals)
    }
    print("JSON property cases: \(totals)")
    #expect(totals.cases >= 1900)
    #expect(totals.generatorMismatches == 0)
    #expect(totals.wholeDocument == 0)
  }

  @Test func randomYAMLDocumentsWithAnchorsAliasesAndMergeKeys() throws {
    var totals = PropertyTotals()
    for seed in 0..<1500 {
      var random = PropertyRandom(seed: UInt64(seed) &* 0xA24B_AED4_963E_E407 &+ 3)
      try runCase(format: .yaml, random: &random, seed: seed, totals: &totals, withAnchors: true)
    }
    print("YAML property cases with anchors: \(totals)")
    #expect(totals.cases >= 1400)
    #expect(totals.generatorMismatches == 0)
    #expect(totals.wholeDocument == 0)
  }

  private func runCase(
    format: SliceFormat, random: inout PropertyRandom, seed: Int, totals: inout PropertyTotals, withAnchors: Bool = false
  ) throws {
    var generator = SourceGenerator(format: format, withAnchors: withAnchors)
    let model = generator.document(&random)
    let source = generator.render(model, &random)
    let bytes = Array(source.utf8)
    let tree = SliceReader.read(bytes, format: format)
    guard tree.loads, let root = tree.root else {
      totals.generatorMismatches += 1
      Issue.record("seed \(seed): the generated \(format) does not load:\n\(source)\n\(tree.findings.map(\.message))")
      return
    }
    guard PreservingCheck.strictlyEqual(root.value, model.value) else {
      totals.generatorMismatches += 1
      Issue.record("seed \(seed): the generated \(format) reads as something else:\n\(source)")
      return
    }
    var derivation = Derivation(format: format, rendered: generator.renderedComments)
    let normalized = derivation.derive(model, &random, chainRetained: true, compactItem: false)
    totals.cases += 1

    let outcome: PreservingEdits.Outcome
    do {
      outcome = try PreservingEdits.outcome(source: bytes, tree: tree, normalized: normalized)
    } catch {
      Issue.record("seed \(seed): \(error)\n\(source)")
      return
    }
    let edited = String(decoding: PreservingEdits.apply(outcome.edits, to: bytes), as: UTF8.self)
    let reread = SliceReader.read(edited, format: format)
    let readBack = reread.root?.value ?? .null
    guard reread.loads, PreservingCheck.strictlyEqual(readBack, normalized) else {
      totals.valueMismatches += 1
      Issue.record(
        "seed \(seed): read back\n\(PreservingCheck.canonical(readBack))\nexpected\n\(PreservingCheck.canonical(normalized))\nsource:\n\(source)\nedited:\n\(edited)"
      )
      return
    }
    for (left, right) in zip(outcome.edits, outcome.edits.dropFirst()) where left.range.upperBound > right.range.lowerBound {
      Issue.record("seed \(seed): overlapping edits")
    }
    switch outcome.method {
    case .unchanged: totals.unchanged += 1
    case .preserving: totals.preserving += 1
    case .wholeDocument:
      totals.wholeDocument += 1
      Issue.record("seed \(seed): whole document rewritten\nsource:\n\(source)\nnormalized: \(PreservingCheck.canonical(normalized))")
      return
    }
    totals.edits += outcome.edits.count
    // Idempotent: the edited file needs no further edits.
    let again = try PreservingEdits.outcome(source: Array(edited.utf8), tree: reread, normalized: normalized)
    #expect(again.edits.isEmpty, "seed \(seed): a second run still edits:\n\(edited)")
    // The final line break (or its absence) and the line break style stay.
    if !source.isEmpty {
      let endsWithBreak = { (text: String) in text.utf8.last == 0x0A || text.utf8.last == 0x0D }
      #expect(endsWithBreak(edited) == endsWithBreak(source), "seed \(seed): the file's final line break changed:\n\(edited)")
    }
    if source.contains("\r\n") {
      let bare = edited.utf8.enumerated().filter { $0.element == 0x0A && ($0.offset == 0 || Array(edited.utf8)[$0.offset - 1] != 0x0D) }
      #expect(bare.isEmpty, "seed \(seed): LF line breaks in a CRLF file:\n\(edited.debugDescription)")
    }
    let lines = edited.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    for comment in derivation.mustSurvive {
      totals.requiredComments += 1
      let token = "# \(comment.token)"
      guard let line = lines.first(where: { $0.hasSuffix(token) }) else {
        totals.lostComments += 1
        Issue.record("seed \(seed): the comment \(token) was lost\nsource:\n\(source)\nedited:\n\(edited)")
        continue
      }
      if let entryText = comment.verbatimEntry {
        if !(line.contains(entryText + "  " + token) || line.contains(entryText + ",  " + token)) {
          Issue.record("seed \(seed): the entry '\(entryText)' of \(token) changed its text:\n\(line)\nsource:\n\(source)\nedited:\n\(edited)")
        }
      }
    }
  }
}

struct PropertyTotals: CustomStringConvertible {
  var cases = 0
  var unchanged = 0
  var preserving = 0
  var wholeDocument = 0
  var edits = 0
  var generatorMismatches = 0
  var valueMismatches = 0
  var requiredComments = 0
  var lostComments = 0

  var description: String {
    "\(cases) cases: \(preserving) preserving (\(edits) edits), \(unchanged) unchanged, \(wholeDocument) whole-document; "
      + "\(requiredComments) comments required, \(lostComments) lost; \(valueMismatches) value mismatches"
  }
}

// MARK: - Randomness

struct PropertyRandom {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  /// SplitMix64: small, fast, and the same on every platform.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func int(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(next() % UInt64(range.count))
  }

  mutating func chance(_ probability: Double) -> Bool {
    Double(next() % 1_000_000) / 1_000_000 < probability
  }

  mutating func pick<T>(_ options: [T]) -> T {
    options[int(0...options.count - 1)]
  }

  mutating func shuffle<T>(_ array: inout [T]) {
    guard array.count > 1 else { return }
    for index in stride(from: array.count - 1, to: 0, by: -1) {
      array.swapAt(index, int(0...index))
    }
  }
}

// MARK: - Source model

/// A scalar with the text it is written as (YAML; JSON texts are made from the value).
struct GeneratedScalar {
  var value: Scalar
  var yaml: String
  /// Can stand inside a flow collection.
  var flowSafe: Bool = true
}

indirect enum GeneratedNode {
  enum Style { case block, flowInline, flowLines }
  case scalar(GeneratedScalar)
  case mapping([GeneratedEntry], Style)
  case sequence([GeneratedEntry], Style)
  /// `*name`, standing for the anchored node.
  case alias(String, GeneratedNode)

  /// What PyYAML (or json.loads) makes of it: a later duplicate key wins in the first one's place.
  var value: Value {
    switch self {
    case .scalar(let scalar):
      return .scalar(scalar.value)
    case .sequence(let items, _):
      return .array(items.map(\.node.value))
    case .alias(_, let anchored):
      return anchored.value
    case .mapping(let entries, _):
      var members: [Value.Member] = []
      for entry in entries {
        if entry.isMerge {
          // `<<: *name`: the anchored mapping's entries first, the mapping's own win.
          for member in entry.node.value.members ?? [] where !members.contains(where: { $0.key == member.key }) {
            members.append(member)
          }
          continue
        }
        let key = Value.Key.string(entry.key?.name ?? "")
        if let index = members.firstIndex(where: { $0.key == key }) {
          members[index].value = entry.node.value
        } else {
          members.append(Value.Member(key: key, value: entry.node.value))
        }
      }
      return .object(members)
    }
  }

  var isInlineInYAML: Bool {
    switch self {
    case .scalar, .alias: return true
    case .mapping(let entries, let style), .sequence(let entries, let style): return entries.isEmpty || style == .flowInline
    }
  }
}

struct GeneratedKey {
  var name: String
  var yaml: String
}

struct GeneratedEntry {
  var key: GeneratedKey?
  var node: GeneratedNode
  /// Comment identifiers, used only when the layout allows a comment there.
  var leading: Int
  var trailing: Int
  /// `&name` on the value.
  var anchor: String? = nil
  /// A `<<: *name` merge entry.
  var isMerge = false
}

struct RenderedComment {
  var leading: Bool
  /// The entry's text before its trailing comment (`key: value`), for scalar entries.
  var entryText: String?
}

struct SourceGenerator {
  let format: SliceFormat
  private var nextComment = 0
  /// Comments actually written, by identifier.
  private(set) var renderedComments: [Int: RenderedComment] = [:]
  private var lines: [String] = []
  private var mappingStep = 2
  private var sequenceIndent = 0
  private var itemOffset = 2
  private var commentRate = 0.0
  /// Whether to write anchors, aliases and merge keys.
  var withAnchors = false
  private var anchors: [(name: String, node: GeneratedNode)] = []

  init(format: SliceFormat, withAnchors: Bool = false) {
    self.format = format
    self.withAnchors = withAnchors
  }

  static let keyPool: [GeneratedKey] = [
    .init(name: "name", yaml: "name"), .init(name: "port", yaml: "port"), .init(name: "mode", yaml: "mode"),
    .init(name: "id", yaml: "id"), .init(name: "enabled", yaml: "enabled"), .init(name: "tags", yaml: "tags"),
    .init(name: "settings", yaml: "'settings'"), .init(name: "items", yaml: "items"), .init(name: "ratio", yaml: "\"ratio\""),
    .init(name: "café", yaml: "café"), .init(name: "数据", yaml: "数据"), .init(name: "with space", yaml: "with space"),
    .init(name: "yes", yaml: "'yes'"), .init(name: "x", yaml: "x"), .init(name: "y", yaml: "y"), .init(name: "k_1", yaml: "k_1"),
    .init(name: "emoji😀", yaml: "\"emoji\\U0001F600\""), .init(name: "z", yaml: "z"),
  ]

  static let scalarPool: [GeneratedScalar] = [
    .init(value: .string("eth0"), yaml: "eth0"), .init(value: .string("eth0"), yaml: "'eth0'"),
    .init(value: .string("eth0"), yaml: "\"eth0\""), .init(value: .string("a b"), yaml: "a b"),
    .init(value: .string("café"), yaml: "café"), .init(value: .string("café"), yaml: "\"caf\\xE9\""),
    .init(value: .string("80"), yaml: "'80'"), .init(value: .string("80"), yaml: "\"80\""),
    .init(value: .string("yes"), yaml: "'yes'"), .init(value: .string("it's"), yaml: "'it''s'"),
    .init(value: .string("x: y"), yaml: "\"x: y\""), .init(value: .string("😀 ok"), yaml: "😀 ok"),
    .init(value: .string(""), yaml: "''"), .init(value: .string("l1\nl2"), yaml: "\"l1\\nl2\""),
    .init(value: .string("ключ значение"), yaml: "ключ значение"), .init(value: .string("a,b"), yaml: "a,b", flowSafe: false),
    .init(value: .string("#x"), yaml: "'#x'"),
    .init(value: .integer(80), yaml: "80"), .init(value: .integer(-7), yaml: "-7"), .init(value: .integer(0), yaml: "0"),
    .init(value: .integer(31), yaml: "0x1f"), .init(value: .integer(1), yaml: "1"),
    .init(value: .float(1.5), yaml: "1.5"), .init(value: .float(3.0), yaml: "3.0"), .init(value: .float(-0.25), yaml: "-0.25"),
    .init(value: .float(1000.0), yaml: "1.0e+3"),
    .init(value: .boolean(true), yaml: "true"), .init(value: .boolean(true), yaml: "yes"),
    .init(value: .boolean(false), yaml: "false"), .init(value: .boolean(false), yaml: "off"),
    .init(value: .null, yaml: "null"), .init(value: .null, yaml: "~"), .init(value: .null, yaml: "", flowSafe: false),
  ]

  mutating func document(_ random: inout PropertyRandom) -> GeneratedNode {
    mappingStep = random.pick([2, 2, 4])
    sequenceIndent = random.pick([0, 0, mappingStep])
    itemOffset = random.pick([2, 2, 2, 3])
    commentRate = random.pick([0.0, 0.3, 0.6])
    let style: GeneratedNode.Style = format == .yaml && random.chance(0.05) ? random.pick([.flowInline, .flowLines]) : .block
    return .mapping(entries(&random, count: random.int(1...7), depth: 0, inFlow: style != .block), style)
  }

  private mutating func entries(_ random: inout PropertyRandom, count: Int, depth: Int, inFlow: Bool) -> [GeneratedEntry] {
    var result: [GeneratedEntry] = []
    var used: [String] = []
    // A merge key comes first: it can only use anchors defined before this mapping.
    let earlierAnchors = anchors
    for _ in 0..<count {
      var key = random.pick(Self.keyPool)
      if used.contains(key.name) {
        // A duplicate now and then; otherwise another key.
        if !random.chance(0.15) {
          guard let fresh = Self.keyPool.first(where: { !used.contains($0.name) }) else { break }
          key = fresh
        }
      }
      used.append(key.name)
      var generated = entry(&random, key: key, depth: depth, inFlow: inFlow)
      if withAnchors && !inFlow, random.chance(0.2) {
        if case .alias = generated.node {} else {
          generated.anchor = "a\(generated.leading)"
          anchors.append((name: "a\(generated.leading)", node: generated.node))
        }
      }
      result.append(generated)
    }
    if withAnchors && !inFlow && random.chance(0.2),
      let base = earlierAnchors.last(where: { if case .mapping(let entries, _) = $0.node { return !entries.isEmpty } else { return false } })
    {
      let identifier = nextComment
      nextComment += 2
      result.insert(
        GeneratedEntry(
          key: GeneratedKey(name: "<<", yaml: "<<"), node: .alias(base.name, base.node), leading: identifier,
          trailing: identifier + 1, isMerge: true),
        at: 0)
    }
    return result
  }

  private mutating func entry(_ random: inout PropertyRandom, key: GeneratedKey?, depth: Int, inFlow: Bool) -> GeneratedEntry {
    let identifier = nextComment
    nextComment += 2
    let child = node(&random, depth: depth + 1, inFlow: inFlow)
    return GeneratedEntry(key: key, node: child, leading: identifier, trailing: identifier + 1)
  }

  private mutating func node(_ random: inout PropertyRandom, depth: Int, inFlow: Bool) -> GeneratedNode {
    if withAnchors, !anchors.isEmpty, random.chance(0.1) {
      let anchor = random.pick(anchors)
      return .alias(anchor.name, anchor.node)
    }
    let roll = random.int(0...99)
    if depth >= 4 || roll < 55 {
      var scalar = random.pick(Self.scalarPool)
      while inFlow && !scalar.flowSafe { scalar = random.pick(Self.scalarPool) }
      return .scalar(scalar)
    }
    let style: GeneratedNode.Style =
      inFlow ? .flowInline : format == .json ? random.pick([.block, .block, .block, .flowInline]) : random.pick([.block, .block, .block, .block, .flowInline, .flowLines])
    let childInFlow = style != .block
    if roll < 60 { return roll < 58 ? .mapping([], style) : .sequence([], style) }
    if roll < 80 {
      return .mapping(entries(&random, count: random.int(1...4), depth: depth, inFlow: childInFlow), style)
    }
    return .sequence((0..<random.int(1...3)).map { _ in entry(&random, key: nil, depth: depth, inFlow: childInFlow) }, style)
  }

  // MARK: Rendering

  mutating func render(_ model: GeneratedNode, _ random: inout PropertyRandom) -> String {
    var text: String
    switch format {
    case .yaml:
      lines = []
      switch model {
      case .mapping(let entries, .block):
        for entry in entries { mappingEntry(entry, column: 0, inline: false, &random) }
      case .mapping(_, .flowLines):
        lines.append("")
        flowLines(model, column: 0, &random)
      default:
        lines.append(flowText(model))
      }
      text = lines.joined(separator: "\n") + "\n"
    case .json:
      let unit: String? = random.pick(["  ", "  ", "    ", "\t", nil])
      let separator = random.pick([", ", ","])
      text = json(model, unit: unit, depth: 0, separator: separator)
      if random.chance(0.3) { text += "\n" }
    }
    if random.chance(0.2) {
      while text.hasSuffix("\n") { text.removeLast() }
    }
    if random.chance(0.15) { text = text.replacingOccurrences(of: "\n", with: "\r\n") }
    if format == .yaml && random.chance(0.03) { text = "\u{FEFF}" + text }
    return text
  }

  private mutating func emit(_ text: String, inline: Bool) {
    if inline, !lines.isEmpty { lines[lines.count - 1] += text } else { lines.append(text) }
  }

  private mutating func comment(_ identifier: Int, leading: Bool, entryText: String?, _ random: inout PropertyRandom) -> String? {
    guard random.chance(commentRate) else { return nil }
    renderedComments[identifier] = RenderedComment(leading: leading, entryText: entryText)
    return "# c\(identifier)"
  }

  private mutating func mappingEntry(_ entry: GeneratedEntry, column: Int, inline: Bool, _ random: inout PropertyRandom) {
    guard let key = entry.key else { return }
    if !inline, let lead = comment(entry.leading, leading: true, entryText: nil, &random) {
      lines.append(String(repeating: " ", count: column) + lead)
    }
    let properties = entry.anchor.map { " &" + $0 } ?? ""
    var head = (inline ? "" : String(repeating: " ", count: column)) + key.yaml + ":" + properties
    switch entry.node {
    case .scalar(let scalar):
      let entryText = key.yaml + ":" + properties + (scalar.yaml.isEmpty ? "" : " " + scalar.yaml)
      head += scalar.yaml.isEmpty ? "" : " " + scalar.yaml
      if let trail = comment(entry.trailing, leading: false, entryText: entryText, &random) { head += "  " + trail }
      emit(head, inline: inline)
    case .alias(let name, _):
      head += " *" + name
      if !entry.isMerge, let trail = comment(entry.trailing, leading: false, entryText: nil, &random) { head += "  " + trail }
      emit(head, inline: inline)
    case .mapping(let children, let style), .sequence(let children, let style):
      if children.isEmpty || style == .flowInline {
        head += " " + flowText(entry.node)
        if let trail = comment(entry.trailing, leading: false, entryText: nil, &random) { head += "  " + trail }
        emit(head, inline: inline)
      } else if style == .flowLines {
        emit(head + " ", inline: inline)
        flowLines(entry.node, column: column, &random)
      } else {
        if let trail = comment(entry.trailing, leading: false, entryText: nil, &random) { head += "  " + trail }
        emit(head, inline: inline)
        if case .mapping = entry.node {
          for child in children { mappingEntry(child, column: column + mappingStep, inline: false, &random) }
        } else {
          for child in children { sequenceItem(child, column: column + sequenceIndent, inline: false, &random) }
        }
      }
    }
  }

  private mutating func sequenceItem(_ entry: GeneratedEntry, column: Int, inline: Bool, _ random: inout PropertyRandom) {
    if !inline, let lead = comment(entry.leading, leading: true, entryText: nil, &random) {
      lines.append(String(repeating: " ", count: column) + lead)
    }
    var head = (inline ? "" : String(repeating: " ", count: column)) + "-"
    let gap = String(repeating: " ", count: itemOffset - 1)
    switch entry.node {
    case .alias(let name, _):
      head += gap + "*" + name
      if let trail = comment(entry.trailing, leading: false, entryText: nil, &random) { head += "  " + trail }
      emit(head, inline: inline)
    case .scalar(let scalar):
      let entryText = scalar.yaml.isEmpty ? nil : "-" + gap + scalar.yaml
      head += scalar.yaml.isEmpty ? "" : gap + scalar.yaml
      if let trail = comment(entry.trailing, leading: false, entryText: entryText, &random) { head += "  " + trail }
      emit(head, inline: inline)
    case .mapping(let children, let style), .sequence(let children, let style):
      if children.isEmpty || style == .flowInline {
        head += gap + flowText(entry.node)
        if let trail = comment(entry.trailing, leading: false, entryText: nil, &random) { head += "  " + trail }
        emit(head, inline: inline)
      } else if style == .flowLines {
        emit(head + gap, inline: inline)
        flowLines(entry.node, column: column + itemOffset, &random)
      } else {
        emit(head + gap, inline: inline)
        let inner = column + itemOffset
        if case .mapping = entry.node {
          for (index, child) in children.enumerated() { mappingEntry(child, column: inner, inline: index == 0, &random) }
        } else {
          for (index, child) in children.enumerated() { sequenceItem(child, column: inner, inline: index == 0, &random) }
        }
      }
    }
  }

  /// `{` on the current line, one entry per line deeper than `column`, `}` on its own line.
  private mutating func flowLines(_ node: GeneratedNode, column: Int, _ random: inout PropertyRandom) {
    let isMapping: Bool
    let children: [GeneratedEntry]
    switch node {
    case .mapping(let entries, _): (isMapping, children) = (true, entries)
    case .sequence(let entries, _): (isMapping, children) = (false, entries)
    case .scalar, .alias: return
    }
    emit(isMapping ? "{" : "[", inline: true)
    let inner = String(repeating: " ", count: column + mappingStep)
    for (index, child) in children.enumerated() {
      if let lead = comment(child.leading, leading: true, entryText: nil, &random) { lines.append(inner + lead) }
      let text = (child.key.map { $0.yaml + ": " } ?? "") + flowText(child.node)
      var line = inner + text + (index == children.count - 1 ? "" : ",")
      if let trail = comment(child.trailing, leading: false, entryText: child.node.isScalar ? text : nil, &random) {
        line += "  " + trail
      }
      lines.append(line)
    }
    lines.append(String(repeating: " ", count: column) + (isMapping ? "}" : "]"))
  }

  private func flowText(_ node: GeneratedNode) -> String {
    switch node {
    case .scalar(let scalar): return scalar.yaml
    case .alias(let name, _): return "*" + name
    case .mapping(let entries, _):
      return "{" + entries.map { ($0.key?.yaml ?? "") + ": " + flowText($0.node) }.joined(separator: ", ") + "}"
    case .sequence(let entries, _):
      return "[" + entries.map { flowText($0.node) }.joined(separator: ", ") + "]"
    }
  }

  private func json(_ node: GeneratedNode, unit: String?, depth: Int, separator: String) -> String {
    switch node {
    case .scalar(let scalar):
      return Self.jsonScalar(scalar.value)
    case .alias(_, let anchored):
      return json(anchored, unit: unit, depth: depth, separator: separator)
    case .mapping(let entries, let style), .sequence(let entries, let style):
      let isMapping: Bool
      if case .mapping = node { isMapping = true } else { isMapping = false }
      let (open, close) = isMapping ? ("{", "}") : ("[", "]")
      if entries.isEmpty { return open + close }
      let texts = entries.map { entry in
        (entry.key.map { Self.jsonString($0.name) + ": " } ?? "")
          + json(entry.node, unit: style == .flowInline ? nil : unit, depth: depth + 1, separator: separator)
      }
      guard let unit, style != .flowInline else { return open + texts.joined(separator: separator) + close }
      let inner = "\n" + String(repeating: unit, count: depth + 1)
      return open + texts.map { inner + $0 }.joined(separator: ",") + "\n" + String(repeating: unit, count: depth) + close
    }
  }

  static func jsonScalar(_ scalar: Scalar) -> String {
    switch scalar {
    case .string(let text): return jsonString(text)
    case .integer(let number): return "\(number)"
    case .float(let number): return number == 1000 ? "1.0e3" : "\(number)"
    case .boolean(let flag): return flag ? "true" : "false"
    case .null: return "null"
    case .date, .datetime: return "null"
    }
  }

  static func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "é": result += "\\u00e9"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}

extension GeneratedNode {
  var isScalar: Bool {
    if case .scalar = self { return true }
    return false
  }
}

// MARK: - Normalisations

/// Derives a normalised value from a source model the way a compile could change it, and
/// works out which comments have to survive.
struct Derivation {
  struct RequiredComment {
    var token: String
    /// The entry text that must still stand before the comment, when the entry is unchanged.
    var verbatimEntry: String?
  }

  let format: SliceFormat
  let rendered: [Int: RenderedComment]
  private(set) var mustSurvive: [RequiredComment] = []

  init(format: SliceFormat, rendered: [Int: RenderedComment]) {
    self.format = format
    self.rendered = rendered
  }

  mutating func derive(_ node: GeneratedNode, _ random: inout PropertyRandom, chainRetained: Bool, compactItem: Bool) -> Value {
    switch node {
    case .scalar(let scalar):
      lastDerivedRetained = false
      return .scalar(changedScalar(scalar.value, &random))
    case .mapping(let entries, let style):
      if random.chance(0.03) {
        lastDerivedRetained = false
        return randomValue(&random, depth: 2)
      }
      return deriveMapping(entries, style: style, &random, chainRetained: chainRetained, compactItem: compactItem)
    case .sequence(let entries, let style):
      if random.chance(0.03) {
        lastDerivedRetained = false
        return randomValue(&random, depth: 2)
      }
      return deriveSequence(entries, style: style, &random, chainRetained: chainRetained)
    case .alias(_, let anchored):
      // What the alias stands for, or something else (then the alias must go).
      let value = random.chance(0.6) ? anchored.value : derive(anchored, &random, chainRetained: false, compactItem: false)
      lastDerivedRetained = false
      return value
    }
  }

  /// Whether the collection derived last keeps some of its source entries (so that it is
  /// edited in place rather than replaced).
  private var lastDerivedRetained = false

  private mutating func deriveMapping(
    _ entries: [GeneratedEntry], style: GeneratedNode.Style, _ random: inout PropertyRandom, chainRetained: Bool, compactItem: Bool
  ) -> Value {
    if entries.contains(where: \.isMerge) {
      // A mapping with a merge key is edited as a whole: keep it, or change its value.
      let value = GeneratedNode.mapping(entries, style).value
      lastDerivedRetained = false
      guard random.chance(0.5), var members = value.members, !members.isEmpty else { return value }
      members.removeFirst()
      members.append(Value.Member("version", .scalar(randomScalar(&random))))
      return .object(members)
    }
    var lastIndex: [String: Int] = [:]
    var order: [String] = []
    for (index, entry) in entries.enumerated() {
      guard let name = entry.key?.name else { continue }
      if lastIndex[name] == nil { order.append(name) }
      lastIndex[name] = index
    }
    let dropRate = random.pick([0.0, 0.2, 0.5])
    let keptNames = order.filter { _ in !random.chance(dropRate) }
    let keptIndices = Set(keptNames.compactMap { lastIndex[$0] })
    let retained = !keptIndices.isEmpty
    let firstKept = keptIndices.min()

    var members: [Value.Member] = []
    for (index, entry) in entries.enumerated() where keptIndices.contains(index) {
      guard let key = entry.key else { continue }
      let childValue = derive(entry.node, &random, chainRetained: chainRetained && retained, compactItem: false)
      let childRetained = lastDerivedRetained
      members.append(Value.Member(key: .string(key.name), value: childValue))
      guard chainRetained && retained, style != .flowInline else { continue }
      if rendered[entry.leading] != nil, !(compactItem && index == firstKept && index > 0) {
        mustSurvive.append(RequiredComment(token: "c\(entry.leading)", verbatimEntry: nil))
      }
      if let trailing = rendered[entry.trailing], entry.node.isInlineInYAML || childRetained {
        let unchanged = PreservingCheck.strictlyEqual(entry.node.value, childValue)
        mustSurvive.append(RequiredComment(token: "c\(entry.trailing)", verbatimEntry: unchanged ? trailing.entryText : nil))
      }
    }
    // New keys, then an order: the source's with the new ones spread in, or any order.
    var newMembers: [Value.Member] = []
    let existing = Set(order)
    for _ in 0..<random.pick([0, 0, 1, 2, 3]) {
      let name = random.pick(Derivation.newKeys)
      if existing.contains(name) || newMembers.contains(where: { $0.key.string == name }) { continue }
      newMembers.append(Value.Member(name, randomValue(&random, depth: 0)))
    }
    for member in newMembers { members.insert(member, at: random.int(0...members.count)) }
    if random.chance(0.3) { random.shuffle(&members) }
    lastDerivedRetained = retained
    return .object(members)
  }

  private mutating func deriveSequence(
    _ entries: [GeneratedEntry], style: GeneratedNode.Style, _ random: inout PropertyRandom, chainRetained: Bool
  ) -> Value {
    var count = entries.count
    let roll = random.int(0...9)
    if roll < 2 { count = random.int(0...entries.count) }
    let keptCount = min(count, entries.count)
    let retained = keptCount > 0
    var elements: [Value] = []
    for entry in entries.prefix(keptCount) {
      let isCompactMapping: Bool
      if case .mapping(let children, .block) = entry.node, !children.isEmpty, style == .block { isCompactMapping = true } else {
        isCompactMapping = false
      }
      let childValue = derive(entry.node, &random, chainRetained: chainRetained && retained, compactItem: isCompactMapping)
      let childRetained = lastDerivedRetained
      elements.append(childValue)
      guard chainRetained && retained, style != .flowInline else { continue }
      if rendered[entry.leading] != nil {
        mustSurvive.append(RequiredComment(token: "c\(entry.leading)", verbatimEntry: nil))
      }
      if let trailing = rendered[entry.trailing], entry.node.isInlineInYAML || childRetained {
        let unchanged = PreservingCheck.strictlyEqual(entry.node.value, childValue)
        mustSurvive.append(RequiredComment(token: "c\(entry.trailing)", verbatimEntry: unchanged ? trailing.entryText : nil))
      }
    }
    if roll >= 8 {
      for _ in 0..<random.int(1...2) { elements.append(randomValue(&random, depth: 1)) }
    }
    lastDerivedRetained = retained && !elements.isEmpty
    return .array(elements)
  }

  static let newKeys = [
    "version", "description", "limits", "children", "port", "mode", "enabled", "a: b", "yes", "with \"quotes\"",
    "ünï", "😀", "long_" + String(repeating: "k", count: 20), "multi\nline", "",
  ]

  /// A changed scalar, as coercion or a processor would change it (often the same one).
  private func changedScalar(_ scalar: Scalar, _ random: inout PropertyRandom) -> Scalar {
    guard random.chance(0.3) else { return scalar }
    switch (scalar, random.int(0...3)) {
    case (.integer(let number), 0): return .float(Double(number.description) ?? 0)
    case (.integer(let number), 1): return .string(number.description)
    case (.float(let number), 0) where number.rounded() == number: return .integer(.init(Int(number)))
    case (.string(let text), 0) where Int(text) != nil: return .integer(.init(Int(text) ?? 0))
    case (.boolean(let flag), 0): return .integer(flag ? 1 : 0)
    case (.boolean(let flag), 1): return .string(flag ? "yes" : "no")
    case (.null, 0): return .string("")
    default: return randomScalar(&random)
    }
  }

  func randomScalar(_ random: inout PropertyRandom) -> Scalar {
    switch random.int(0...19) {
    case 0: return .integer(.init(random.int(-1000...1000)))
    case 1: return .integer(.init(random.int(0...9)) * .init(10).power(25))
    case 2: return .float(Double(random.int(-10000...10000)) / 64)
    case 3: return .float(random.pick([0.1, 1e16, 1e-7, -0.0, 123456789.125, 2.5e-300]))
    case 4: return format == .json ? .float(random.pick([1.5, 2.0])) : .float(random.pick([.infinity, -.infinity, .nan]))
    case 5: return .boolean(random.chance(0.5))
    case 6: return .null
    case 7: return .string(random.pick(["yes", "no", "on", "null", "~", "80", "1.5", "0x10", "1:30", "2024-01-31", "true"]))
    case 8: return .string(random.pick([" lead", "trail ", "a: b", "#hash", "a #b", "- dash", "[x]", "{y}", "@at", "`tick", "it's", "\"q\""]))
    case 9: return .string(random.pick(["line\nbreak", "two\n\nbreaks", "tab\there", "cr\rhere", "end\n", "\u{85}nel", "é ü", "😀", "日本語"]))
    case 10: return .string(String(repeating: "word ", count: random.int(10...30)) + "end")
    case 11: return .string(String(repeating: "x", count: random.int(81...120)))
    case 12: return .string("")
    case 13:
      guard format == .yaml else { return .string("date") }
      return .date(Timestamp(year: 2024, month: 1, day: random.int(1...28)))
    case 14:
      guard format == .yaml else { return .string("datetime") }
      return .datetime(Timestamp(year: 2024, month: 2, day: 3, hour: 4, minute: 5, second: 6, microsecond: random.pick([0, 500]), utcOffsetMinutes: random.pick([nil, 0, 60])))
    default: return .string(random.pick(["value", "eth1", "a b c", "Ünïcode", "x-y_z", "path/to/file", "C:\\dir"]))
    }
  }

  func randomValue(_ random: inout PropertyRandom, depth: Int) -> Value {
    let roll = random.int(0...9)
    if depth >= 3 || roll < 5 { return .scalar(randomScalar(&random)) }
    if roll < 6 { return random.chance(0.5) ? .object([]) : .array([]) }
    if roll < 8 {
      var members: [Value.Member] = []
      for _ in 0..<random.int(1...3) {
        let name = random.pick(Derivation.newKeys)
        if members.contains(where: { $0.key.string == name }) { continue }
        members.append(Value.Member(name, randomValue(&random, depth: depth + 1)))
      }
      return .object(members)
    }
    return .array((0..<random.int(1...3)).map { _ in randomValue(&random, depth: depth + 1) })
  }
}
