import BigInt
import CLibYAML

/// Reads YAML the way the reference does — PyYAML's `safe_load` — into the located tree.
///
/// libyaml's event API does the scanning and parsing; this reader composes the events into
/// nodes with PyYAML's rules: YAML 1.1 resolution of plain scalars (`YAMLScalarResolver`),
/// PyYAML's constructors for explicit tags, merge keys (`<<`), anchors and aliases, keys built as
/// values, and a single document per stream.
///
/// Where `safe_load` would fail, the tree is still built as far as it makes sense (a scalar whose
/// construction fails stays a string, a syntax error closes the open collections) so that an
/// editor can go on helping, but `loads` is false and the findings say why.
///
/// Composition is iterative, so no input can exhaust the stack: nesting is refused beyond
/// `maximumDepth`, and aliases may expand the document by at most `maximumAliasExpansion` nodes
/// (aliases share the anchored node — arrays are copy-on-write — but every consumer that walks
/// the tree pays for the expansion, so a "billion laughs" document is refused).
public struct YAMLReader: Sendable {
  public var maximumDepth: Int
  public var maximumAliasExpansion: Int

  public init(maximumDepth: Int = 1000, maximumAliasExpansion: Int = 1_000_000) {
    self.maximumDepth = maximumDepth
    self.maximumAliasExpansion = maximumAliasExpansion
  }

  public func read(_ bytes: [UInt8]) -> SyntaxTree {
    bytes.withUnsafeBufferPointer { buffer in
      let validation = UTF8Validation.check(buffer)
      if let invalid = validation.invalidRange {
        return SyntaxTree(
          format: .yaml, root: nil, findings: [UTF8Validation.finding(invalid, bytes: buffer)], loads: false)
      }
      var composer = YAMLComposer(
        bytes: buffer, isASCII: validation.isASCII, containsTab: validation.containsTab, maximumDepth: maximumDepth,
        maximumAliasExpansion: maximumAliasExpansion)
      return composer.compose()
    }
  }

  public func read(_ text: String) -> SyntaxTree {
    read(Array(text.utf8))
  }
}

/// libyaml's marks count code points (a CR LF pair counts two); the tree counts UTF-8 bytes.
/// Marks arrive almost in order, so a cursor that walks from the previous mark converts them in
/// amortised constant time. Pure ASCII needs no walk at all.
struct CodePointToByteOffsets {
  let bytes: UnsafeBufferPointer<UInt8>
  let isASCII: Bool
  /// libyaml skips a byte order mark without counting it.
  let origin: Int
  var codePoint = 0
  var byte: Int

  init(bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) {
    self.bytes = bytes
    self.isASCII = isASCII
    let hasByteOrderMark = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    origin = hasByteOrderMark ? 3 : 0
    byte = origin
  }

  @inline(__always)
  mutating func byteOffset(ofCodePoint target: Int) -> Int {
    if isASCII { return min(target, bytes.count) }
    while codePoint < target, byte < bytes.count {
      let lead = bytes[byte]
      byte += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
      codePoint += 1
    }
    while codePoint > target, byte > origin {
      byte -= 1
      while byte > origin, bytes[byte] & 0xC0 == 0x80 { byte -= 1 }
      codePoint -= 1
    }
    return min(byte, bytes.count)
  }
}

private struct AnchoredNode {
  var node: Node
  var size: Int
  var height: Int
}

/// A collection being composed. Its children wait on the composer's scratch stacks (from
/// `childStart` on) and move into an exactly sized array when it ends.
private struct Frame {
  var isMapping: Bool
  var start: Int
  var style: NodeStyle
  /// Tag, anchor and merge state: rare, so boxed to keep frames small.
  var extras: FrameExtras?
  var childStart: Int
  /// Where its entries' key fingerprints start (one per entry, where children count two).
  var fingerprintStart = 0
  var hasPendingKey = false
  var pendingKeyIsMerge = false
  /// The fingerprint of the pending key (see `KeyFingerprint`).
  var pendingKeyFingerprint: UInt64 = 0
  var size = 1
  var height = 1
  /// The end of the last content (a block collection ends there, not where libyaml's end event is).
  var contentEnd: Int
  /// The sentinel below the outermost collection: what attaches to it is the document's root.
  var isDocumentLevel = false

  static var documentLevel: Frame {
    Frame(isMapping: false, start: 0, style: .plain, childStart: 0, contentEnd: 0, isDocumentLevel: true)
  }
}

/// What few collections need: their tag and anchor, and the entries merge keys bring in (in
/// PyYAML's order; they come before the mapping's own entries).
private final class FrameExtras {
  var details: YAMLDetails?
  var merged: [MappingEntry] = []
  var hasMergeKey = false
  /// Texts of merged keys that CPython holds as one shared object (see `mergeKeyIsShared`).
  var sharedMergedKeys: Set<String> = []
  /// Where the other merged keys start: a key node met again through an alias is the same
  /// Python object, so its pair is dropped (see `appendMerged`).
  var mergedKeyStarts: Set<Int> = []
  init(_ details: YAMLDetails?) { self.details = details }
}

private let yamlTagPrefix = "tag:yaml.org,2002:"

private struct YAMLComposer {
  let bytes: UnsafeBufferPointer<UInt8>
  let maximumDepth: Int
  let maximumAliasExpansion: Int
  var offsets: CodePointToByteOffsets
  /// The innermost open collection (a sentinel for the document level when none is open), and
  /// the collections around it. Kept apart so that the hot path updates a plain stored struct.
  var current = Frame.documentLevel
  var parents: [Frame] = []
  /// Children of open collections; a mapping's keys and values alternate.
  let items = MoveStack<Node>()
  /// One fingerprint per completed entry of the open mappings, for the duplicate key check.
  let keyFingerprints = MoveStack<UInt64>()
  var anchors: [String: AnchoredNode] = [:]
  var findings: [Finding] = []
  var loads = true
  var aliasExpansion = 0
  var root: Node?
  var documentCount = 0
  /// Set when composing must stop (a syntax error, a limit, a second document).
  var stopped = false
  /// Set when the partial tree must not be handed out (it would be too big to walk).
  var discardTree = false
  /// Scalars whose YAML 1.1 reading may surprise (see `SyntaxTree.mayHoldYAMLSurprises`).
  var surprisingScalars = 0
  /// Where tabs may stand for PyYAML (quoted and block scalars), recorded only when there are tabs.
  let containsTab: Bool
  var tabSafeRanges: [ByteRange] = []
  /// Where flow collections end (a '#' right after one starts a comment), recorded with tabs only.
  var flowCollectionEnds: Set<Int> = []
  /// How far the events reached.
  var parsedEnd = 0

  init(
    bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool, containsTab: Bool, maximumDepth: Int, maximumAliasExpansion: Int
  ) {
    self.bytes = bytes
    self.containsTab = containsTab
    self.maximumDepth = maximumDepth
    self.maximumAliasExpansion = maximumAliasExpansion
    offsets = CodePointToByteOffsets(bytes: bytes, isASCII: isASCII)
  }

  mutating func compose() -> SyntaxTree {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    defer { parser.deallocate() }
    guard yaml_parser_initialize(parser) != 0 else {
      let finding = Finding(range: 0..<0, severity: .error, code: .yamlSyntax, message: "could not start the YAML parser")
      return SyntaxTree(format: .yaml, root: nil, findings: [finding], loads: false)
    }
    defer { yaml_parser_delete(parser) }
    if let base = bytes.baseAddress {
      yaml_parser_set_input_string(parser, base, bytes.count)
    } else {
      var empty: UInt8 = 0
      yaml_parser_set_input_string(parser, &empty, 0)
    }

    var event = yaml_event_t()
    while !stopped {
      guard yaml_parser_parse(parser, &event) != 0 else {
        reportParserError(parser.pointee)
        break
      }
      let type = event.type
      if containsTab { parsedEnd = offset(event.end_mark) }
      handle(&event)
      yaml_event_delete(&event)
      if type == YAML_STREAM_END_EVENT { break }
    }
    if !current.isDocumentLevel { closeOpenCollections() }
    if containsTab { reportTabs() }
    if discardTree { root = nil }
    findings.sort { $0.range.lowerBound < $1.range.lowerBound }
    var tree = SyntaxTree(format: .yaml, root: root, findings: findings, loads: loads)
    tree.mayHoldYAMLSurprises = surprisingScalars > 0
    return tree
  }

  // MARK: Events

  private mutating func handle(_ event: inout yaml_event_t) {
    switch event.type {
    case YAML_SCALAR_EVENT:
      scalar(&event)
    case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
      startCollection(&event, isMapping: event.type == YAML_MAPPING_START_EVENT)
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      endCollection(end: offset(event.end_mark))
    case YAML_ALIAS_EVENT:
      alias(&event)
    case YAML_DOCUMENT_START_EVENT:
      documentCount += 1
      if documentCount > 1 {
        let start = offset(event.start_mark)
        let end = max(offset(event.end_mark), characterEnd(start))
        error(
          start..<end, .yamlMultipleDocuments,
          "a slice file holds one YAML document, but a second one starts here (safe_load refuses the file)")
        stopped = true
      }
    default:
      break
    }
  }

  @inline(__always)
  private mutating func offset(_ mark: yaml_mark_t) -> Int {
    offsets.byteOffset(ofCodePoint: Int(mark.index))
  }

  /// Whether the next completed node is a mapping key.
  private var atKeyPosition: Bool {
    current.isMapping && !current.hasPendingKey
  }

  private mutating func scalar(_ event: inout yaml_event_t) {
    let data = event.data.scalar
    let start = offset(event.start_mark)
    var end = offset(event.end_mark)
    let style: NodeStyle
    switch data.style {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
    case YAML_LITERAL_SCALAR_STYLE: style = .literal
    case YAML_FOLDED_SCALAR_STYLE: style = .folded
    default: style = .plain
    }
    if containsTab, style != .plain { tabSafeRanges.append(start..<end) }
    if style == .literal || style == .folded {
      checkBlockScalarHeader(from: start)
      // libyaml ends a block scalar where the next token starts; the value ends at its last
      // non-blank byte.
      while end > start + 1, isBlank(bytes[end - 1]) { end -= 1 }
    }
    let value = UnsafeBufferPointer(start: data.value, count: data.length)
    let isKey = atKeyPosition
    // The most common number: plain digits (PyYAML's int expression, nothing else, matches them).
    if data.tag == nil, data.anchor == nil, data.plain_implicit != 0, let small = YAMLScalarResolver.plainDecimal(value) {
      attach(Node(integer: small, range: start..<end, style: .plain))
      return
    }

    var details: YAMLDetails?
    var isMergeKey = false
    let scalar: Scalar
    if let tagPointer = data.tag {
      let tag = String(cString: tagPointer)
      details = YAMLDetails(tag: tag)
      if tag == "!" {
        // PyYAML's own parser marks a `!`-tagged scalar implicit, so it is resolved like a plain one.
        scalar = resolve(value, start: start, end: end, isKey: isKey, details: &details, isMergeKey: &isMergeKey)
      } else {
        scalar = construct(tag: tag, value, range: start..<end, isKey: isKey, isMergeKey: &isMergeKey)
      }
    } else if data.plain_implicit != 0 {
      scalar = resolve(value, start: start, end: end, isKey: isKey, details: &details, isMergeKey: &isMergeKey)
    } else {
      scalar = .string(String(decoding: value, as: UTF8.self))
    }
    if let anchorPointer = data.anchor {
      if details == nil { details = YAMLDetails() }
      details?.anchor = String(cString: anchorPointer)
    }
    var fingerprint = KeyFingerprint.unknown
    if isKey, case .string = scalar { fingerprint = KeyFingerprint.of(value) }
    if let anchor = details?.anchor {
      let node = Node(kind: .scalar(scalar), range: start..<end, style: style, yaml: details)
      register(anchor: anchor, at: start)
      anchors[anchor] = AnchoredNode(node: node, size: 1, height: 1)
      attach(node, isMergeKey: isMergeKey, keyFingerprint: fingerprint)
      return
    }
    // Built in place, so the scalar moves into the tree without a copy.
    attach(
      Node(kind: .scalar(consume scalar), range: start..<end, style: style, yaml: details),
      isMergeKey: isMergeKey, keyFingerprint: fingerprint)
  }

  /// Implicit resolution of a plain scalar.
  private mutating func resolve(
    _ value: UnsafeBufferPointer<UInt8>, start: Int, end: Int, isKey: Bool, details: inout YAMLDetails?,
    isMergeKey: inout Bool
  ) -> Scalar {
    // The common case first: a word that no resolver claims (PyYAML's resolvers are keyed by
    // the first character).
    if let first = value.first, !YAMLScalarResolver.mayResolve(first) {
      return .string(String(decoding: value, as: UTF8.self))
    }
    var surprise: YAMLSurprise?
    let scalar: Scalar
    switch YAMLScalarResolver.implicitTag(value) {
    case .string:
      scalar = .string(String(decoding: value, as: UTF8.self))
    case .null:
      scalar = .null
      surprise = .nullWord
    case .boolean:
      let word = YAMLScalarResolver.booleanValue(value)
      scalar = .boolean(word?.value ?? false)
      if word?.isYAML11Word == true { surprise = .booleanWord }
    case .integer:
      if let small = YAMLScalarResolver.plainDecimal(value) {
        scalar = .integer(BigInt(integerLiteral: Int64(small)))  // non-generic: BigInt's generic init is not specialised across modules
      } else {
        let text = String(decoding: value, as: UTF8.self)
        do {
          let (number, kind) = try YAMLScalarResolver.constructInteger(text)
          scalar = .integer(number)
          surprise = kind
        } catch {
          constructionFailed(start..<end, error)
          scalar = .string(text)
        }
      }
    case .float:
      let text = String(decoding: value, as: UTF8.self)
      do {
        let (number, kind) = try YAMLScalarResolver.constructFloat(text)
        scalar = .float(number)
        surprise = kind
      } catch {
        constructionFailed(start..<end, error.message)
        scalar = .string(text)
      }
    case .timestamp:
      do {
        scalar = try YAMLScalarResolver.constructTimestamp(value, resolverForm: true)
        surprise = .timestamp
      } catch {
        constructionFailed(start..<end, "'\(String(decoding: value, as: UTF8.self))' reads as a timestamp, but \(error.message)")
        scalar = .string(String(decoding: value, as: UTF8.self))
      }
    case .merge:
      scalar = .string("<<")
      if isKey {
        isMergeKey = true
      } else {
        undefinedConstructor(start..<end, tag: yamlTagPrefix + "merge")
      }
    case .value:
      scalar = .string("=")
      if !isKey { undefinedConstructor(start..<end, tag: yamlTagPrefix + "value") }
    }
    if let surprise {
      if details == nil { details = YAMLDetails() }
      details?.surprise = surprise
      surprisingScalars += 1
    }
    return scalar
  }

  /// PyYAML's `SafeConstructor` for a scalar with an explicit tag.
  private mutating func construct(
    tag: String, _ value: UnsafeBufferPointer<UInt8>, range: ByteRange, isKey: Bool, isMergeKey: inout Bool
  ) -> Scalar {
    let text = String(decoding: value, as: UTF8.self)
    guard tag.hasPrefix(yamlTagPrefix) else {
      undefinedConstructor(range, tag: tag)
      return .string(text)
    }
    do {
      switch tag.dropFirst(yamlTagPrefix.count) {
      case "str":
        return .string(text)
      case "null":
        return .null
      case "bool":
        return .boolean(try YAMLScalarResolver.constructBoolean(text))
      case "int":
        return .integer(try YAMLScalarResolver.constructInteger(text).0)
      case "float":
        return .float(try YAMLScalarResolver.constructFloat(text).0)
      case "timestamp":
        return try YAMLScalarResolver.constructTimestamp(value, resolverForm: false)
      case "merge" where isKey:
        isMergeKey = true
        return .string(text)
      case "value" where isKey:
        // flatten_mapping retags a `=` key as a string.
        return .string(text)
      case "map", "seq":
        error(
          range, .yamlInvalidTag,
          "the tag '\(tag)' needs a \(tag.hasSuffix("map") ? "mapping" : "sequence"), but this is a scalar")
        return .string(text)
      case "binary":
        return binary(value, range: range)
      case "omap", "pairs", "set":
        error(
          range, .yamlInvalidTag,
          "the tag '\(tag)' needs a \(tag.hasSuffix("set") ? "mapping" : "sequence"), but this is a scalar")
        return .string(text)
      default:
        undefinedConstructor(range, tag: tag)
        return .string(text)
      }
    } catch {
      if error.isBeyondIntegerStringLimit {
        constructionFailed(range, error)
      } else {
        constructionFailed(range, "the tag '\(tag)' cannot read this value: \(error.message)")
      }
      return .string(text)
    }
  }

  private mutating func startCollection(_ event: inout yaml_event_t, isMapping: Bool) {
    let start = offset(event.start_mark)
    let anchorPointer = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
    let tagPointer = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
    let isFlow =
      isMapping
      ? event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
      : event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
    if parents.count >= maximumDepth {
      error(
        start..<characterEnd(start), .yamlTooDeep,
        "nesting deeper than \(maximumDepth) levels is not supported")
      stopped = true
      return
    }
    var details: YAMLDetails?
    if let tagPointer {
      let tag = String(cString: tagPointer)
      details = YAMLDetails(tag: tag)
      checkCollectionTag(tag, isMapping: isMapping, at: start..<offset(event.end_mark))
    }
    if let anchorPointer {
      let anchor = String(cString: anchorPointer)
      if details == nil { details = YAMLDetails() }
      details?.anchor = anchor
      register(anchor: anchor, at: start)
    }
    let style: NodeStyle =
      isMapping ? (isFlow ? .flowMapping : .blockMapping) : (isFlow ? .flowSequence : .blockSequence)
    parents.append(current)
    current = Frame(
      isMapping: isMapping, start: start, style: style, extras: details.map(FrameExtras.init),
      childStart: items.count, fingerprintStart: keyFingerprints.count, contentEnd: offset(event.end_mark))
  }

  private mutating func checkCollectionTag(_ tag: String, isMapping: Bool, at range: ByteRange) {
    if tag == "!" { return }
    guard tag.hasPrefix(yamlTagPrefix) else {
      undefinedConstructor(range, tag: tag)
      return
    }
    switch tag.dropFirst(yamlTagPrefix.count) {
    case "map" where isMapping, "seq" where !isMapping, "omap" where !isMapping, "pairs" where !isMapping,
      "set" where isMapping:
      return
    case "str", "int", "float", "bool", "null", "timestamp", "map", "seq", "omap", "pairs", "set", "binary":
      let found = isMapping ? "mapping" : "sequence"
      error(range, .yamlInvalidTag, "the tag '\(tag)' cannot be given to a \(found)")
    default:
      undefinedConstructor(range, tag: tag)
    }
  }

  private mutating func endCollection(end: Int) {
    guard !current.isDocumentLevel, var frame = parents.popLast() else { return }
    swap(&frame, &current)
    let isBlock = frame.style == .blockMapping || frame.style == .blockSequence
    let rangeEnd = isBlock ? max(frame.contentEnd, frame.start) : max(end, frame.start)
    if containsTab, !isBlock { flowCollectionEnds.insert(rangeEnd) }
    let node: Node
    if frame.isMapping {
      if frame.hasPendingKey {
        items.push(nullNode(at: rangeEnd))
        keyFingerprints.push(frame.pendingKeyFingerprint)
      }
      let mayHaveDuplicates = keyFingerprints.withElements(from: frame.fingerprintStart, KeyFingerprint.mayCollide)
      keyFingerprints.truncate(to: frame.fingerprintStart)
      var own = items.takeEntries(from: frame.childStart)
      if mayHaveDuplicates, DuplicateKeys.mayExist(in: own) {
        for finding in DuplicateKeys.findings(in: own) { findings.append(finding) }
      }
      if let extras = frame.extras, extras.hasMergeKey {
        if extras.details == nil { extras.details = YAMLDetails() }
        extras.details?.hasMergeKey = true
        own = extras.merged + own
      }
      if frame.extras?.details?.tag == yamlTagPrefix + "set" {
        node = pythonSet(own, range: frame.start..<rangeEnd, style: frame.style, details: frame.extras?.details)
      } else {
        node = Node(kind: .mapping(own), range: frame.start..<rangeEnd, style: frame.style, yaml: frame.extras?.details)
      }
    } else {
      let children = items.take(from: frame.childStart)
      if let tag = frame.extras?.details?.tag, tag == yamlTagPrefix + "omap" || tag == yamlTagPrefix + "pairs" {
        node = pairList(children, tag: tag, range: frame.start..<rangeEnd, style: frame.style, details: frame.extras?.details)
      } else {
        node = Node(kind: .sequence(children), range: frame.start..<rangeEnd, style: frame.style, yaml: frame.extras?.details)
      }
    }
    if let anchor = frame.extras?.details?.anchor {
      anchors[anchor] = AnchoredNode(node: node, size: frame.size, height: frame.height)
    }
    attach(consume node, size: frame.size, height: frame.height)
  }

  private func nullNode(at offset: Int) -> Node {
    Node(kind: .scalar(.null), range: offset..<offset, style: .plain, yaml: YAMLDetails(surprise: .nullWord))
  }

  private mutating func alias(_ event: inout yaml_event_t) {
    let start = offset(event.start_mark)
    let end = offset(event.end_mark)
    let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
    guard let anchored = anchors[name] else {
      if isOpen(anchor: name) {
        error(
          start..<end, .yamlRecursiveAlias,
          "the alias '*\(name)' refers to the node that contains it: a recursive structure cannot be a slice")
      } else {
        error(start..<end, .yamlUndefinedAlias, "found undefined alias '\(name)'")
      }
      attach(nullNode(at: start))
      return
    }
    aliasExpansion += anchored.size
    if aliasExpansion > maximumAliasExpansion {
      error(
        start..<end, .yamlAliasLimit,
        "aliases expand this document to more than \(maximumAliasExpansion) nodes; it is refused to protect the tools that read it")
      stopped = true
      discardTree = true
      return
    }
    if parents.count + anchored.height > maximumDepth {
      error(
        start..<end, .yamlTooDeep,
        "the alias '*\(name)' makes the nesting deeper than \(maximumDepth) levels, which is not supported")
      stopped = true
      return
    }
    var details = YAMLDetails(alias: name)
    details.hasMergeKey = anchored.node.yaml?.hasMergeKey ?? false
    let node = Node(kind: anchored.node.kind, range: start..<end, style: anchored.node.style, yaml: details)
    attach(node, size: anchored.size, height: anchored.height)
  }

  /// Checks that an anchor is new in the document, as PyYAML's composer does.
  private mutating func register(anchor: String, at start: Int) {
    let range = start..<min(start + 1 + anchor.utf8.count, bytes.count)
    if let previous = anchors[anchor] {
      error(
        range, .yamlDuplicateAnchor, "found duplicate anchor '\(anchor)' (safe_load refuses it)",
        related: [Finding.Related(path: nil, range: previous.node.range, message: "first occurrence")])
    } else if isOpen(anchor: anchor) {
      error(range, .yamlDuplicateAnchor, "found duplicate anchor '\(anchor)' (safe_load refuses it)")
    }
  }

  /// Puts a completed node into its parent, or makes it the document's root. A mapping's key
  /// waits on the item stack until its value arrives.
  ///
  /// `size` and `height` count what aliases expand to; `isMergeKey` marks a key PyYAML treats
  /// as a merge key (`<<`, or tagged `!!merge`).
  private mutating func attach(
    _ node: consuming Node, size: Int = 1, height: Int = 1, isMergeKey: Bool = false,
    keyFingerprint: UInt64 = KeyFingerprint.unknown
  ) {
    if current.isDocumentLevel {
      root = consume node
      return
    }
    let end = node.range.upperBound
    if current.contentEnd < end { current.contentEnd = end }
    current.size += size
    if current.height <= height { current.height = height + 1 }
    if !current.isMapping {
      items.push(consume node)
      return
    }
    guard current.hasPendingKey else {
      switch node.style {
      case .blockMapping, .flowMapping, .blockSequence, .flowSequence:
        let kind = node.style == .blockMapping || node.style == .flowMapping ? "mapping" : "sequence"
        error(node.range, .yamlUnhashableKey, "a \(kind) cannot be a mapping key (PyYAML: found unhashable key)")
      default:
        break
      }
      current.hasPendingKey = true
      current.pendingKeyIsMerge = isMergeKey
      current.pendingKeyFingerprint = keyFingerprint
      items.push(consume node)
      return
    }
    current.hasPendingKey = false
    if current.pendingKeyIsMerge {
      current.pendingKeyIsMerge = false
      merge(node, key: items.pop())
    } else {
      items.push(consume node)
      keyFingerprints.push(current.pendingKeyFingerprint)
    }
  }

  /// Whether a collection being composed carries this anchor.
  private func isOpen(anchor: String) -> Bool {
    current.extras?.details?.anchor == anchor || parents.contains(where: { $0.extras?.details?.anchor == anchor })
  }

  /// SafeConstructor.flatten_mapping: the value of a merge key is a mapping, or a sequence of
  /// mappings where earlier ones win; their entries come before the mapping's own.
  private mutating func merge(_ value: Node, key: Node) {
    let extras = current.extras ?? FrameExtras(nil)
    current.extras = extras
    extras.hasMergeKey = true
    switch value.kind {
    case .mapping(let entries):
      appendMerged(entries, to: extras)
    case .sequence(let items):
      var pieces: [[MappingEntry]] = []
      for item in items {
        guard let entries = item.entries else {
          error(
            item.range, .yamlInvalidMerge,
            "expected a mapping for merging, but found \(describe(item))")
          continue
        }
        pieces.append(entries)
      }
      for entries in pieces { appendMerged(entries, to: extras) }
    case .scalar:
      error(
        value.range.isEmpty ? key.range : value.range, .yamlInvalidMerge,
        "expected a mapping or list of mappings for merging, but found \(describe(value))")
    }
  }

  /// PyYAML 6.0.4 merges the mappings in their order and drops a pair whose key text is the
  /// very object of an earlier merged key (`id(key_node.value)`); the mapping then keeps the last
  /// value of a key. CPython shares one object for the empty string and for each one-character
  /// Latin-1 string, so for such keys the first merged mapping wins, and for any other key the
  /// last one does.
  ///
  /// Any other key is its own object, but an alias brings back the anchored node's key nodes
  /// themselves: in `<<: [*b, {aa: 2}, *b]` the second `*b` adds nothing. A key node is known
  /// by where it starts in the text (aliases keep the anchored children's ranges).
  private func appendMerged(_ entries: [MappingEntry], to extras: FrameExtras) {
    for entry in entries {
      if let text = mergeKeyText(entry.key), mergeKeyIsShared(text) {
        guard extras.sharedMergedKeys.insert(text).inserted else { continue }
      } else {
        guard extras.mergedKeyStarts.insert(entry.key.range.lowerBound).inserted else { continue }
      }
      extras.merged.append(entry)
    }
  }

  private func mergeKeyIsShared(_ text: String) -> Bool {
    let scalars = text.unicodeScalars
    guard let first = scalars.first else { return true }
    return scalars.count == 1 && first.value < 256
  }

  /// A scalar key's text as PyYAML's scanner hands it over (the text of a plain scalar as written).
  private func mergeKeyText(_ key: Node) -> String? {
    guard case .scalar(let scalar) = key.kind else { return nil }
    if case .string(let text) = scalar { return text }
    let range = key.range.clamped(to: 0..<bytes.count)
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  // MARK: Tags that build Python types

  /// `!!binary`: base64 (`base64.decodebytes`, which skips what is not in its alphabet) to
  /// bytes. Where the reference uses them (a `str` field, the JSON-mode dump) it decodes them
  /// as UTF-8, so they are read as that text; bytes that are not UTF-8 fail the reference
  /// (`string_unicode`, or a crash of the dump) and are refused here.
  private mutating func binary(_ value: UnsafeBufferPointer<UInt8>, range: ByteRange) -> Scalar {
    let text = String(decoding: value, as: UTF8.self)
    guard value.allSatisfy({ $0 < 0x80 }) else {
      constructionFailed(range, "failed to convert base64 data into ascii: '\(text)' is not ASCII")
      return .string(text)
    }
    let decoded: [UInt8]
    switch Base64.decode(value) {
    case .success(let bytes): decoded = bytes
    case .failure(let failure):
      constructionFailed(range, "failed to decode base64 data: \(failure.message)")
      return .string(text)
    }
    guard let string = String(validating: decoded, as: UTF8.self) else {
      error(
        range, .yamlUnsupportedTag,
        "the tag '!!binary' gives bytes that are not UTF-8 text: the reference cannot read them as a string "
          + "(a str field fails with string_unicode, the JSON dump of other fields crashes), so slicels refuses them")
      return .string(text)
    }
    return .string(string)
  }

  /// `!!omap` and `!!pairs`: a sequence of one-pair mappings, which the reference holds as a
  /// list of `(key, value)` tuples and validates and dumps as lists of two items.
  private mutating func pairList(
    _ children: [Node], tag: String, range: ByteRange, style: NodeStyle, details: YAMLDetails?
  ) -> Node {
    var pairs: [Node] = []
    pairs.reserveCapacity(children.count)
    for child in children {
      guard let entries = child.entries, entries.count == 1, let pair = entries.first else {
        let found = child.entries.map { "a mapping of \($0.count) pairs" } ?? describe(child)
        error(child.range, .yamlInvalidTag, "the tag '\(tag)' expects a mapping of one pair for each item, but found \(found)")
        continue
      }
      pairs.append(Node(kind: .sequence([pair.key, pair.value]), range: child.range, style: .flowSequence))
    }
    return Node(kind: .sequence(pairs), range: range, style: style, yaml: details)
  }

  /// `!!set`: the mapping's keys (Python key equality, the first key kept) in the order
  /// CPython's set iterates them. That order is reproducible only for small integers (a
  /// string's hash is randomised per process); any other set is refused.
  private mutating func pythonSet(
    _ entries: [MappingEntry], range: ByteRange, style: NodeStyle, details: YAMLDetails?
  ) -> Node {
    var keys: [Node] = []
    var seen: Set<Value.Key> = []
    for entry in entries {
      guard case .scalar(let scalar) = entry.key.kind else { continue }
      if seen.insert(Value.Key(scalar)).inserted { keys.append(entry.key) }
    }
    let sequenceStyle: NodeStyle = style == .flowMapping ? .flowSequence : .blockSequence
    guard let ordered = PythonSetOrder.order(keys.compactMap(\.scalar)) else {
      error(
        range, .yamlUnsupportedTag,
        "the tag '!!set' makes a Python set, whose order slicels can reproduce only for integers 0 to 7 "
          + "(or at most 4 integers with distinct remainders mod 8); the order of other sets depends on "
          + "Python's hashes, randomised per process for strings; write a list instead")
      return Node(kind: .sequence(keys), range: range, style: sequenceStyle, yaml: details)
    }
    return Node(kind: .sequence(ordered.map { keys[$0] }), range: range, style: sequenceStyle, yaml: details)
  }

  private func describe(_ node: Node) -> String {
    switch node.kind {
    case .mapping: return "a mapping"
    case .sequence: return "a sequence"
    case .scalar: return "a scalar"
    }
  }

  /// After an error: closes what is open so the editor keeps the part that was read.
  private mutating func closeOpenCollections() {
    while !current.isDocumentLevel {
      endCollection(end: current.contentEnd)
    }
  }

  /// PyYAML's scanner is stricter than libyaml after `|` or `>`: the indicators must be followed
  /// by a space or a line break, and then only by spaces and a comment.
  private mutating func checkBlockScalarHeader(from start: Int) {
    let count = bytes.count
    var index = start
    // Skip the node's properties (tag, anchor).
    while index < count, bytes[index] == UInt8(ascii: "!") || bytes[index] == UInt8(ascii: "&") {
      while index < count, !isBlank(bytes[index]) { index += 1 }
      while index < count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }
    guard index < count, bytes[index] == UInt8(ascii: "|") || bytes[index] == UInt8(ascii: ">") else { return }
    index += 1
    var indicators = 0
    while indicators < 2, index < count,
      bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
        || (bytes[index] >= UInt8(ascii: "1") && bytes[index] <= UInt8(ascii: "9"))
    {
      index += 1
      indicators += 1
    }
    func isLineEnd(_ position: Int) -> Bool {
      position >= count || bytes[position] == 0x0A || bytes[position] == 0x0D
        || (bytes[position] == 0xC2 && position + 1 < count && bytes[position + 1] == 0x85)
        || (bytes[position] == 0xE2 && position + 2 < count && bytes[position + 1] == 0x80
          && (bytes[position + 2] == 0xA8 || bytes[position + 2] == 0xA9))
    }
    func found(_ position: Int) -> String {
      bytes[position] == 0x09 ? "a tab" : "'\(String(decoding: bytes[position..<characterEnd(position)], as: UTF8.self))'"
    }
    if !isLineEnd(index), bytes[index] != 0x20 {
      error(
        index..<characterEnd(index), .yamlSyntax,
        "expected chomping or indentation indicators, but found \(found(index)) (PyYAML refuses this block scalar header)")
      return
    }
    while index < count, bytes[index] == 0x20 { index += 1 }
    if isLineEnd(index) || bytes[index] == UInt8(ascii: "#") { return }
    error(
      index..<characterEnd(index), .yamlSyntax,
      "expected a comment or a line break, but found \(found(index)) (PyYAML refuses this block scalar header)")
  }

  // MARK: Tabs

  /// PyYAML's own scanner (which safe_load uses) skips only spaces between tokens, and ends a
  /// plain scalar at a tab: a tab anywhere but inside a quoted or block scalar or a comment fails
  /// with "found character '\t' that cannot start any token". libyaml is more lenient, so the
  /// reader checks tabs itself.
  private mutating func reportTabs() {
    var safe = tabSafeRanges.makeIterator()
    var currentSafe = safe.next()
    var lineStart = 0
    var inComment = false
    var scalarEnd = -1
    var index = 0
    let limit = min(parsedEnd, bytes.count)
    while index < limit {
      let byte = bytes[index]
      while let range = currentSafe, range.upperBound <= index { currentSafe = safe.next() }
      if let range = currentSafe, range.contains(index) {
        index = range.upperBound
        scalarEnd = index
        continue
      }
      switch byte {
      case 0x0A, 0x0D:
        lineStart = index + 1
        inComment = false
      case UInt8(ascii: "#"):
        // A comment starts at a token boundary: after blanks, at a line start, or right after a
        // quoted scalar or a flow collection (elsewhere '#' belongs to a plain scalar).
        if index == lineStart || index == scalarEnd || bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09
          || flowCollectionEnds.contains(index)
        {
          inComment = true
        }
      case 0x09 where !inComment:
        findings.append(
          Finding(
            range: index..<index + 1, severity: .error, code: .yamlTab,
            message: "a tab cannot separate YAML tokens for the reference (PyYAML: found character '\\t' that cannot start any token); use spaces",
            fixes: [Finding.Fix(title: "Replace the tab with a space", edits: [TextEdit(range: index..<index + 1, newText: " ")], isPreferred: true)]))
        loads = false
      default:
        break
      }
      index += 1
    }
  }

  /// libyaml stops at a tab that indents a line with its generic "found character that cannot
  /// start any token": say what it is, and offer the indentation in spaces, aligned like the
  /// block around it (under the previous line's content, one level deeper after a `key:`).
  private func indentationTab(at problem: Int) -> Finding? {
    guard problem < bytes.count, bytes[problem] == 0x09 else { return nil }
    var lineStart = problem
    while lineStart > 0, bytes[lineStart - 1] != 0x0A, bytes[lineStart - 1] != 0x0D { lineStart -= 1 }
    guard bytes[lineStart..<problem].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else { return nil }
    var contentStart = problem
    while contentStart < bytes.count, bytes[contentStart] == 0x20 || bytes[contentStart] == 0x09 { contentStart += 1 }
    guard let firstTab = (lineStart..<contentStart).first(where: { bytes[$0] == 0x09 }) else { return nil }
    let spaces = String(repeating: " ", count: blockIndentation(before: lineStart))
    return Finding(
      range: firstTab..<contentStart, severity: .error, code: .yamlTab,
      message: "a tab indents this line: YAML indents with spaces only (PyYAML: found character '\\t' that cannot start any token)",
      fixes: [
        Finding.Fix(
          title: spaces.isEmpty ? "Remove the indentation's tabs" : "Indent with \(spaces.count) spaces",
          edits: [TextEdit(range: lineStart..<contentStart, newText: spaces)], isPreferred: true)
      ])
  }

  /// The indentation, in spaces, that a line after `lineStart`'s predecessor would have inside
  /// the same block: the column of the previous content line's first key (after any `- `), one
  /// level (two spaces) deeper when that line ends with `:` and opens a block.
  private func blockIndentation(before lineStart: Int) -> Int {
    var end = lineStart
    while end > 0 {
      // The previous line: [start, end) without its line break.
      var lineEnd = end
      while lineEnd > 0, bytes[lineEnd - 1] == 0x0A || bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
      var start = lineEnd
      while start > 0, bytes[start - 1] != 0x0A, bytes[start - 1] != 0x0D { start -= 1 }
      end = start
      var column = start
      while column < lineEnd, bytes[column] == 0x20 || bytes[column] == 0x09 { column += 1 }
      // Blank lines, comments and lines indented with tabs themselves say nothing.
      if column == lineEnd || bytes[column] == UInt8(ascii: "#") || bytes[start..<column].contains(0x09) { continue }
      while column + 1 < lineEnd, bytes[column] == UInt8(ascii: "-"), bytes[column + 1] == 0x20 {
        column += 2
        while column < lineEnd, bytes[column] == 0x20 { column += 1 }
      }
      var last = lineEnd
      while last > column, bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 { last -= 1 }
      let opensBlock = last > column && bytes[last - 1] == UInt8(ascii: ":")
      return column - start + (opensBlock ? 2 : 0)
    }
    return 0
  }

  // MARK: Findings

  private mutating func error(_ range: ByteRange, _ code: FindingCode, _ message: String, related: [Finding.Related] = []) {
    loads = false
    findings.append(Finding(range: range, severity: .error, code: code, message: message, related: related))
  }

  private mutating func constructionFailed(_ range: ByteRange, _ message: String) {
    error(range, .yamlInvalidValue, message + " (safe_load fails on it)")
  }

  private mutating func constructionFailed(_ range: ByteRange, _ failure: YAMLScalarResolver.ConstructionError) {
    if failure.isBeyondIntegerStringLimit {
      error(range, .yamlIntegerTooLarge, failure.message)
    } else {
      constructionFailed(range, failure.message)
    }
  }

  private mutating func undefinedConstructor(_ range: ByteRange, tag: String) {
    error(range, .yamlUnknownTag, "could not determine a constructor for the tag '\(tag)' (safe_load refuses it)")
  }

  private mutating func reportParserError(_ parser: yaml_parser_t) {
    stopped = true
    let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
    if parser.error == YAML_SCANNER_ERROR, let escape = surrogateEscape(atHexDigits: offset(parser.problem_mark)) {
      let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[escape]), as: UTF8.self)
      error(
        escape, .yamlLoneSurrogate,
        "'\(text)' is a UTF-16 surrogate: PyYAML's safe_load keeps it in the string as an unpaired surrogate "
          + "(it does not combine escaped pairs either), but slicels cannot carry one faithfully, so it refuses "
          + "the file rather than write a changed value; write the intended character itself or as one \\U escape "
          + "(\\U0001F600)")
      return
    }
    if parser.error == YAML_SCANNER_ERROR, let finding = indentationTab(at: offset(parser.problem_mark)) {
      loads = false
      findings.append(finding)
      return
    }
    var message = problem
    var related: [Finding.Related] = []
    let range: ByteRange
    if parser.error == YAML_READER_ERROR {
      let start = min(Int(parser.problem_offset), bytes.count)
      range = start..<characterEnd(start)
    } else {
      let problemOffset = offset(parser.problem_mark)
      let start = clampIntoContent(problemOffset)
      // At the end of the input the finding is an empty range after the last content.
      range = start..<(start < problemOffset ? start : characterEnd(start))
      if let contextPointer = parser.context {
        let context = String(cString: contextPointer)
        message += " (\(context))"
        let contextStart = clampIntoContent(offset(parser.context_mark))
        related.append(Finding.Related(path: nil, range: contextStart..<characterEnd(contextStart), message: context))
      }
    }
    error(range, .yamlSyntax, message, related: related)
  }

  /// The `\uXXXX` or `\UXXXXXXXX` escape of a surrogate whose hex digits start at `digits`: libyaml
  /// refuses it ("found invalid Unicode character escape code") where PyYAML keeps it.
  private func surrogateEscape(atHexDigits digits: Int) -> ByteRange? {
    guard digits >= 2, digits <= bytes.count, bytes[digits - 2] == UInt8(ascii: "\\") else { return nil }
    let width: Int
    switch bytes[digits - 1] {
    case UInt8(ascii: "u"): width = 4
    case UInt8(ascii: "U"): width = 8
    default: return nil
    }
    guard digits + width <= bytes.count else { return nil }
    var value: UInt32 = 0
    for index in digits..<digits + width {
      guard let digit = YAMLScalarResolver.hexDigitValue(bytes[index]) else { return nil }
      value = value << 4 | digit
    }
    return (0xD800...0xDFFF).contains(value) ? (digits - 2)..<(digits + width) : nil
  }

  /// libyaml reports the end of the input on the line after the last one; an editor shows it
  /// better at the end of the last content.
  private func clampIntoContent(_ offset: Int) -> Int {
    var position = min(offset, bytes.count)
    guard position == bytes.count else { return position }
    while position > 0, isBlank(bytes[position - 1]) { position -= 1 }
    return position
  }

  @inline(__always)
  private func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  /// The end of the character at `index` (never splits a UTF-8 sequence).
  private func characterEnd(_ index: Int) -> Int {
    guard index < bytes.count else { return index }
    return index + UTF8Character.width(bytes, at: index, end: bytes.count)
  }
}

/// A 64-bit hash of a string key's bytes, taken while libyaml's buffer is at hand, so that the
/// duplicate key check of a mapping compares integers instead of strings. Keys that are not
/// strings (numbers compare by value in Python) get `unknown`, which sends the mapping to the
/// exact check.
enum KeyFingerprint {
  static let unknown: UInt64 = 0

  @inline(__always)
  static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
    for byte in bytes {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    return hash == unknown ? 1 : hash
  }

  /// False only when all fingerprints are known and distinct.
  static func mayCollide(_ fingerprints: UnsafeBufferPointer<UInt64>) -> Bool {
    let count = fingerprints.count
    guard count > 1 else { return false }
    if count > 32 { return true }
    for later in 0..<count {
      let fingerprint = fingerprints[later]
      if fingerprint == unknown { return true }
      for earlier in 0..<later where fingerprints[earlier] == fingerprint { return true }
    }
    return false
  }
}

extension YAMLScalarResolver {
  /// Whether any implicit resolver is registered for a scalar's first character.
  @inline(__always)
  static func mayResolve(_ first: UInt8) -> Bool {
    switch first {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
      UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
      UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"),
      UInt8(ascii: "~"), UInt8(ascii: "<"), UInt8(ascii: "="):
      return true
    default:
      return false
    }
  }

  /// A plain decimal without sign, underscores or leading zero that fits an Int: read directly.
  @inline(__always)
  static func plainDecimal(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
    guard text.count > 0, text.count <= 18 else { return nil }
    if text[0] == UInt8(ascii: "0") { return text.count == 1 ? 0 : nil }
    var value = 0
    for byte in text {
      guard isDigit(byte) else { return nil }
      value = value * 10 + Int(byte &- 0x30)
    }
    return value
  }
}
