import BigInt

/// A half-open range of UTF-8 byte offsets into a document's text.
///
/// Every layer above the syntax works in byte offsets; conversion to editor positions
/// (UTF-8, UTF-16 or UTF-32 code units) happens once, at the protocol boundary, through
/// `TextDocument`.
public typealias ByteRange = Range<Int>

/// A scalar value with the kind the reference's loader gives it (PyYAML `safe_load` for YAML,
/// Python's `json.loads` for JSON).
public enum Scalar: Sendable, Hashable {
  case string(String)
  /// Arbitrary size, as in Python.
  case integer(BigInt)
  case float(Double)
  case boolean(Bool)
  case null
  /// A YAML 1.1 timestamp without a time part: Python's `datetime.date`.
  case date(Timestamp)
  /// A YAML 1.1 timestamp with a time part: Python's `datetime.datetime`.
  case datetime(Timestamp)
}

extension Scalar {
  /// Strings compare as Python compares them, by Unicode scalars (see `ExactString`), not by
  /// Swift's canonical equivalence; everything else as synthesised.
  public static func == (lhs: Scalar, rhs: Scalar) -> Bool {
    switch (lhs, rhs) {
    case (.string(let left), .string(let right)): return left.isScalarExact(to: right)
    case (.integer(let left), .integer(let right)): return left == right
    case (.float(let left), .float(let right)): return left == right
    case (.boolean(let left), .boolean(let right)): return left == right
    case (.null, .null): return true
    case (.date(let left), .date(let right)): return left == right
    case (.datetime(let left), .datetime(let right)): return left == right
    default: return false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .string(let text):
      hasher.combine(0 as UInt8)
      text.hashScalars(into: &hasher)
    case .integer(let number):
      hasher.combine(1 as UInt8)
      hasher.combine(number)
    case .float(let number):
      hasher.combine(2 as UInt8)
      hasher.combine(number)
    case .boolean(let flag):
      hasher.combine(3 as UInt8)
      hasher.combine(flag)
    case .null:
      hasher.combine(4 as UInt8)
    case .date(let stamp):
      hasher.combine(5 as UInt8)
      hasher.combine(stamp)
    case .datetime(let stamp):
      hasher.combine(6 as UInt8)
      hasher.combine(stamp)
    }
  }
}

/// A calendar date, optionally with a time of day and a UTC offset, as PyYAML reads timestamps.
///
/// Stored in 32-bit fields (values beyond ±2³¹ are clamped) so that a `Scalar`, and with it every
/// node of a tree, stays small: trees of a million nodes are copied around while they are built.
public struct Timestamp: Sendable, Hashable {
  private var storedYear: Int32
  private var storedMonth: Int32
  private var storedDay: Int32
  private var storedHour: Int32
  private var storedMinute: Int32
  private var storedSecond: Int32
  private var storedMicrosecond: Int32
  private var storedOffset: Int32
  private var hasOffset: Bool

  public var year: Int {
    get { Int(storedYear) }
    set { storedYear = Int32(clamping: newValue) }
  }
  public var month: Int {
    get { Int(storedMonth) }
    set { storedMonth = Int32(clamping: newValue) }
  }
  public var day: Int {
    get { Int(storedDay) }
    set { storedDay = Int32(clamping: newValue) }
  }
  public var hour: Int {
    get { Int(storedHour) }
    set { storedHour = Int32(clamping: newValue) }
  }
  public var minute: Int {
    get { Int(storedMinute) }
    set { storedMinute = Int32(clamping: newValue) }
  }
  public var second: Int {
    get { Int(storedSecond) }
    set { storedSecond = Int32(clamping: newValue) }
  }
  /// Microseconds, as Python keeps them (PyYAML truncates extra digits).
  public var microsecond: Int {
    get { Int(storedMicrosecond) }
    set { storedMicrosecond = Int32(clamping: newValue) }
  }
  /// Offset from UTC in minutes, or nil for a naive datetime.
  public var utcOffsetMinutes: Int? {
    get { hasOffset ? Int(storedOffset) : nil }
    set {
      hasOffset = newValue != nil
      storedOffset = Int32(clamping: newValue ?? 0)
    }
  }

  public init(
    year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
    microsecond: Int = 0, utcOffsetMinutes: Int? = nil
  ) {
    storedYear = Int32(clamping: year)
    storedMonth = Int32(clamping: month)
    storedDay = Int32(clamping: day)
    storedHour = Int32(clamping: hour)
    storedMinute = Int32(clamping: minute)
    storedSecond = Int32(clamping: second)
    storedMicrosecond = Int32(clamping: microsecond)
    storedOffset = Int32(clamping: utcOffsetMinutes ?? 0)
    hasOffset = utcOffsetMinutes != nil
  }
}

/// How a node was written in its source. Editors and the preserving writer need it; the
/// data does not depend on it.
public enum NodeStyle: Sendable, Hashable {
  case plain
  case singleQuoted
  case doubleQuoted
  case literal
  case folded
  case blockMapping
  case flowMapping
  case blockSequence
  case flowSequence
  /// Any JSON value (JSON has a single style per kind).
  case json
}

/// A YAML 1.1 reading that a person may not expect ("no" is false, "1:30" is 90, "017" is 15,
/// "2024-01-31" is a date): later layers warn "quote it if you mean the string".
public enum YAMLSurprise: Sendable, Hashable {
  /// yes/no/on/off (any accepted spelling) read as a boolean.
  case booleanWord
  /// A leading-zero integer read as octal.
  case octal
  /// A `0x`/`0b` integer.
  case hexOrBinary
  /// `1:30` style base-60 number.
  case sexagesimal
  /// Underscores inside a number (`1_000`).
  case underscoredNumber
  /// A date or timestamp.
  case timestamp
  /// `.inf`, `.nan` and friends.
  case specialFloat
  /// `~`, `null` or an empty value read as null.
  case nullWord
}

/// YAML-only facts about a node; nil for JSON and for most YAML nodes.
public struct YAMLDetails: Sendable, Hashable {
  /// The explicit tag as written (`!!str`), if any.
  public var tag: String?
  /// The anchor defined on this node (`&name`), if any.
  public var anchor: String?
  /// Set when this node is an alias (`*name`): its range is the alias, its content the anchored node's.
  public var alias: String?
  /// Set when the scalar's reading may surprise a reader.
  public var surprise: YAMLSurprise?
  /// Set on a mapping whose entries include a merge key (`<<`); the entries are already merged.
  public var hasMergeKey: Bool

  public init(
    tag: String? = nil, anchor: String? = nil, alias: String? = nil, surprise: YAMLSurprise? = nil,
    hasMergeKey: Bool = false
  ) {
    self.tag = tag
    self.anchor = anchor
    self.alias = alias
    self.surprise = surprise
    self.hasMergeKey = hasMergeKey
  }
}

/// A value of a slice file together with where it stands in the text.
///
/// YAML and JSON produce the same tree. Mapping entries keep their source order; when a key
/// occurs twice both entries are kept here (the reference keeps the last: `lookup` does too)
/// and the reader reports the duplicate.
public struct Node: Sendable {
  public enum Kind: Sendable {
    case mapping([MappingEntry])
    case sequence([Node])
    case scalar(Scalar)
  }

  /// What the node holds. Stored compactly (see `NodeStorage`); reading it builds the `Kind`.
  public var kind: Kind {
    get { storage.kind }
    set { storage = NodeStorage(newValue) }
  }
  private var storage: NodeStorage
  /// The text of a string scalar (nil for anything else), read without building `kind`: key
  /// lookups ask it of every key of every object a validation or a merge walks.
  public var stringValue: String? {
    if case .string(let text) = storage { return text }
    return nil
  }
  /// Whether the node is the null scalar, known without building `kind`.
  public var isNull: Bool {
    if case .null = storage { return true }
    return false
  }
  /// The exact source range of the value (for a block collection: first to last content byte).
  /// Stored as 32-bit offsets to keep nodes small (files beyond 2 GiB are clamped).
  public var range: ByteRange {
    get { Int(rangeStart)..<Int(rangeEnd) }
    set {
      rangeStart = Int32(clamping: newValue.lowerBound)
      rangeEnd = Int32(clamping: newValue.upperBound)
    }
  }
  private var rangeStart: Int32
  private var rangeEnd: Int32
  public var style: NodeStyle
  /// YAML-only facts, nil for JSON and for most YAML nodes.
  public var yaml: YAMLDetails? {
    get { yamlStorage?.details }
    set { yamlStorage = newValue.map(YAMLDetailsBox.init) }
  }
  /// Boxed: most nodes have none, and inline the details would double the size of every node.
  private var yamlStorage: YAMLDetailsBox?

  public init(kind: Kind, range: ByteRange, style: NodeStyle, yaml: YAMLDetails? = nil) {
    self.init(storage: NodeStorage(kind), range: range, style: style, yaml: yaml)
  }

  /// A scalar integer that fits 64 bits, without going through `BigInt` (the readers' fast path).
  init(integer: Int, range: ByteRange, style: NodeStyle, yaml: YAMLDetails? = nil) {
    self.init(storage: .integer(Int64(integer)), range: range, style: style, yaml: yaml)
  }

  private init(storage: NodeStorage, range: ByteRange, style: NodeStyle, yaml: YAMLDetails?) {
    self.storage = storage
    self.rangeStart = Int32(clamping: range.lowerBound)
    self.rangeEnd = Int32(clamping: range.upperBound)
    self.style = style
    self.yamlStorage = yaml.map(YAMLDetailsBox.init)
  }
}

/// A node's content in 16 bytes instead of `Kind`'s 33 (a `BigInt` or a `Timestamp` inline would
/// set the size of every node): the common scalars inline, the rest boxed. Trees of a million
/// nodes are built, moved and freed while a user types, so the size of a node matters.
private enum NodeStorage: Sendable {
  case mapping([MappingEntry])
  case sequence([Node])
  case string(String)
  case integer(Int64)
  case float(Double)
  case boolean(Bool)
  case null
  /// Integers beyond 64 bits, dates and datetimes.
  case boxed(ScalarBox)

  init(_ kind: Node.Kind) {
    switch kind {
    case .mapping(let entries): self = .mapping(entries)
    case .sequence(let items): self = .sequence(items)
    case .scalar(let scalar):
      switch scalar {
      case .string(let text): self = .string(text)
      case .float(let number): self = .float(number)
      case .boolean(let flag): self = .boolean(flag)
      case .null: self = .null
      case .integer(let number):
        if let small = Int64(exactly: number) {
          self = .integer(small)
        } else {
          self = .boxed(ScalarBox(scalar))
        }
      case .date, .datetime: self = .boxed(ScalarBox(scalar))
      }
    }
  }

  var kind: Node.Kind {
    switch self {
    case .mapping(let entries): return .mapping(entries)
    case .sequence(let items): return .sequence(items)
    case .string(let text): return .scalar(.string(text))
    case .integer(let number): return .scalar(.integer(BigInt(integerLiteral: number)))
    case .float(let number): return .scalar(.float(number))
    case .boolean(let flag): return .scalar(.boolean(flag))
    case .null: return .scalar(.null)
    case .boxed(let box): return .scalar(box.scalar)
    }
  }
}

private final class ScalarBox: Sendable {
  let scalar: Scalar
  init(_ scalar: Scalar) { self.scalar = scalar }
}

private final class YAMLDetailsBox: Sendable {
  let details: YAMLDetails
  init(_ details: YAMLDetails) { self.details = details }
}

/// One `key: value` of a mapping, both located.
public struct MappingEntry: Sendable {
  public var key: Node
  public var value: Node

  public init(key: Node, value: Node) {
    self.key = key
    self.value = value
  }

  /// The key as Python would use it in a dict after loading, when it is a string.
  public var keyString: String? { key.stringValue }
}

extension Node {
  public var entries: [MappingEntry]? {
    if case .mapping(let entries) = kind { return entries }
    return nil
  }

  public var items: [Node]? {
    if case .sequence(let items) = kind { return items }
    return nil
  }

  public var scalar: Scalar? {
    if case .scalar(let scalar) = kind { return scalar }
    return nil
  }

  /// The value for a string key, the last one when the key is duplicated (like a Python dict).
  public func lookup(_ key: String) -> Node? {
    guard let entries else { return nil }
    return entries.last(where: { $0.keyString.map { $0.isScalarExact(to: key) } ?? false })?.value
  }

  /// The entry for a string key, the last one when duplicated.
  public func entry(_ key: String) -> MappingEntry? {
    guard let entries else { return nil }
    return entries.last(where: { $0.keyString.map { $0.isScalarExact(to: key) } ?? false })
  }

  /// The value without positions, as the reference holds it after loading
  /// (duplicate keys: the last wins, in the position of the first, like a Python dict).
  public var value: Value {
    switch kind {
    case .scalar(let scalar):
      return .scalar(scalar)
    case .sequence(let items):
      return .array(items.map(\.value))
    case .mapping(let entries):
      var members: [Value.Member] = []
      members.reserveCapacity(entries.count)
      var indexByKey: [Value.Key: Int] = [:]
      for entry in entries {
        let key = Value.Key(entry.key.scalar ?? .string(""))
        let member = Value.Member(key: key, value: entry.value.value)
        if let index = indexByKey[key] {
          members[index].value = member.value  // a dict keeps the first key object
        } else {
          indexByKey[key] = members.count
          members.append(member)
        }
      }
      return .object(members)
    }
  }
}
