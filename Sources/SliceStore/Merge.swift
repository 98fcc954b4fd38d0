import SliceSyntax

/// What the model is told to do with an object of the merged view.
public enum ElementOperation: String, Sendable, Hashable, CaseIterable {
  /// The object is new, or equal to its previous state.
  case create
  /// The object differs from its previous state (in itself or anywhere below it).
  case update
  /// The object is gone from the current version: the model purges what it made for it.
  case delete
}

/// A place where the reference's merge raises instead of producing a view: the real compile
/// fails there too, so slicels reports it rather than guessing an outcome.
public struct MergeError: Error, Sendable, Hashable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    /// A key the merge reads with `[...]` is absent (Python `KeyError`): a list relation on
    /// a deleted (`{}`) version, an identity key missing from an item.
    case missingKey(String)
    /// No member of a discriminated union has the instance's discriminator value.
    case noUnionMember(discriminator: String, value: String)
    /// A list item whose entity has no keys (and is not a union member): its dict path would
    /// have no selector.
    case emptyIdentity(relation: String)
    /// The identity names the same key twice (a union member listing its discriminator among its keys).
    case duplicateIdentityKey(relation: String, key: String)
    /// An identity value is `*`, which a dict path reads as a wildcard.
    case wildcardIdentityValue(relation: String, key: String)
    /// A value that must be an object (or a list of objects) is not.
    case unexpectedType(expected: String)
    /// A shape the catalog does not define.
    case unknownShape(EntityShape.ID)
  }

  public var kind: Kind
  /// The dict path of the object being merged when it failed.
  public var path: String

  public init(kind: Kind, path: String) {
    self.kind = kind
    self.path = path
  }

  init(kind: Kind, path: DictPath) {
    self.init(kind: kind, path: path.description)
  }

  /// The error as the reference reports it (exception type and message).
  public var referenceMessage: String {
    switch kind {
    case .missingKey(let key): return "KeyError: \(PythonText.repr(string: key))"
    case .noUnionMember(let discriminator, let value):
      return "ValueError: No sub entity matches the discriminator \(discriminator)=\(value)"
    case .emptyIdentity: return "ValueError: A keyed list path requires at least one key-value pair."
    case .duplicateIdentityKey: return "ValueError: No duplicate keys allowed in keyed list path"
    case .wildcardIdentityValue: return "ValueError: The Wildcard ('*') can not be used in DictPath's"
    case .unexpectedType(let expected): return "TypeError: expected \(expected)"
    case .unknownShape(let id): return "unknown slice class \(id)"
    }
  }

  public var description: String {
    let what: String
    switch kind {
    case .missingKey(let key):
      what = "'\(key)' is missing (the module fails with KeyError; a list relation on a deleted version, e.g. a slice re-created before a prune, does this)"
    case .noUnionMember(let discriminator, let value):
      what = "no member of the union has \(discriminator)=\(value)"
    case .emptyIdentity(let relation):
      what = "the items of '\(relation)' have no identity keys, so the module cannot tell them apart"
    case .duplicateIdentityKey(let relation, let key):
      what = "the identity of the items of '\(relation)' names '\(key)' twice"
    case .wildcardIdentityValue(let relation, let key):
      what = "an item of '\(relation)' has \(key)='*', which the module's dict paths read as a wildcard"
    case .unexpectedType(let expected):
      what = "expected \(expected)"
    case .unknownShape(let id):
      what = "the schema has no class '\(id)'"
    }
    return "merge failed at \(path): \(what)"
  }
}

/// One object of a merged view, in the order the view lists them (parents before children).
public struct MergedElement: Sendable {
  public var path: DictPath
  public var operation: ElementOperation
  public var shape: EntityShape.ID
  /// Whether the object exists in the current version, and in the previous (folded) one.
  public var inCurrent: Bool
  public var inPrevious: Bool
  /// The object's own attributes (not its relations, not the compile-managed ones), in the
  /// shape's order, in the current and in the previous state; nil where the object is absent.
  /// What `slicels plan` shows as attribute changes.
  public var currentAttributes: [Value.Member]? = nil
  public var previousAttributes: [Value.Member]? = nil
}

/// The reference's `merge_attributes`: merges the current state of a slice with its previous
/// state, so that what was removed stays visible with `operation: delete`.
public struct Merger: Sendable {
  public var catalog: ShapeCatalog
  /// Whether every object gets its `path` (the fold over older versions leaves it out).
  public var insertPath: Bool

  public init(catalog: ShapeCatalog, insertPath: Bool = true) {
    self.catalog = catalog
    self.insertPath = insertPath
  }

  /// Merges two states of a slice from its root. Nil when both are absent.
  public func merge(current: Value?, previous: Value?) throws(MergeError) -> Value? {
    var elements: [MergedElement]? = nil
    return try merge(
      current: current, previous: previous, path: .root, pathText: ".", target: .entity(catalog.root),
      elements: &elements)
  }

  /// Merges two states of a slice and lists every object of the result.
  public func mergeListingElements(
    current: Value?, previous: Value?
  ) throws(MergeError) -> (merged: Value?, elements: [MergedElement]) {
    var elements: [MergedElement]? = []
    let merged = try merge(
      current: current, previous: previous, path: .root, pathText: ".", target: .entity(catalog.root),
      elements: &elements)
    return (merged, elements ?? [])
  }

  /// `resolve_operation`.
  public static func operation(current: Value?, previous: Value?) -> ElementOperation {
    guard let previous else { return .create }
    guard let current else { return .delete }
    return current == previous ? .create : .update
  }

  /// `pathText`: the text of `path` (built from the parent's, see `DictPath.text(of:after:)`);
  /// empty when paths are not inserted.
  func merge(
    current: Value?, previous: Value?, path: DictPath, pathText: String, target: EntityShape.Relation.Target,
    elements: inout [MergedElement]?
  ) throws(MergeError) -> Value? {
    if current == nil && previous == nil { return nil }
    var currentMembers: [Value.Member]? = nil
    if let current { currentMembers = try members(of: current, at: path) }
    var previousMembers: [Value.Member]? = nil
    if let previous { previousMembers = try members(of: previous, at: path) }

    let operation = Merger.operation(current: current, previous: previous)
    // A union resolves against the current instance unless it is empty (Python truthiness).
    let instance = (currentMembers?.isEmpty == false ? currentMembers : previousMembers) ?? []
    let shape = try resolve(target, instance: instance, path: path)
    var merged: [Value.Member] = []
    merged.reserveCapacity(2 + shape.attributes.count + shape.relations.count)
    merged.append(Value.Member("operation", .string(operation.rawValue)))
    if insertPath { merged.append(Value.Member("path", .string(pathText))) }
    if elements != nil {
      let ownAttributes = shape.attributes.filter { !EntityShape.managedAttributes.contains($0) }
      func own(_ members: [Value.Member]?) -> [Value.Member]? {
        members.map { members in ownAttributes.map { Value.Member($0, lookup($0, in: members) ?? .null) } }
      }
      elements?.append(
        MergedElement(
          path: path, operation: operation, shape: shape.id, inCurrent: current != nil,
          inPrevious: previous != nil, currentAttributes: own(currentMembers), previousAttributes: own(previousMembers)))
    }

    for attribute in shape.attributes where !EntityShape.managedAttributes.contains(attribute) {
      let source = currentMembers ?? previousMembers ?? []
      merged.append(Value.Member(attribute, lookup(attribute, in: source) ?? .null))
    }

    for relation in shape.relations {
      if relation.cardinality.isAtMostOne {
        let segment = DictPath.Segment.relation(relation.name)
        let child = try merge(
          current: currentMembers.flatMap { objectValue(relation.name, in: $0) },
          previous: previousMembers.flatMap { objectValue(relation.name, in: $0) },
          path: path.appending(segment), pathText: insertPath ? DictPath.text(of: segment, after: pathText) : "",
          target: relation.target, elements: &elements)
        merged.append(Value.Member(relation.name, child ?? .null))
        continue
      }

      let currentItems = try keyedList(currentMembers, relation: relation, path: path)
      let previousItems = try keyedList(previousMembers, relation: relation, path: path)
      var mergedItems: [Value] = []
      try Self.forEachItemPair(current: currentItems, previous: previousItems) {
        identity, currentItem, previousItem throws(MergeError) in
        try validateSelectors(identity, relation: relation.name, path: path)
        let segment = DictPath.Segment.item(relation: relation.name, identity: identity)
        let item = try merge(
          current: currentItem, previous: previousItem,
          path: path.appending(segment), pathText: insertPath ? DictPath.text(of: segment, after: pathText) : "",
          target: relation.target, elements: &elements)
        if let item { mergedItems.append(item) }
      }
      merged.append(Value.Member(relation.name, .array(mergedItems)))
    }
    return .object(merged)
  }

  /// The concrete shape of an instance: itself for an entity, the matching member for a union.
  func resolve(
    _ target: EntityShape.Relation.Target, instance: [Value.Member], path: DictPath
  ) throws(MergeError) -> EntityShape {
    switch target {
    case .entity(let id):
      guard let shape = catalog[id] else { throw MergeError(kind: .unknownShape(id), path: path) }
      return shape
    case .union(let union):
      let value = lookup(union.discriminator, in: instance) ?? .null
      if let member = union.member(taggedWith: value.scalarValue) {
        guard let shape = catalog[member.shape] else {
          throw MergeError(kind: .unknownShape(member.shape), path: path)
        }
        return shape
      }
      throw MergeError(
        kind: .noUnionMember(discriminator: union.discriminator, value: PythonText.repr(value)), path: path)
    }
  }

  /// `instance_identity` of a list item.
  func identity(
    of item: [Value.Member], target: EntityShape.Relation.Target, path: DictPath
  ) throws(MergeError) -> Identity {
    try identity(of: item, shape: resolve(target, instance: item, path: path), path: path)
  }

  /// `instance_identity` of a list item whose shape is already resolved.
  func identity(of item: [Value.Member], shape: EntityShape, path: DictPath) throws(MergeError) -> Identity {
    // Without a discriminator the names are the keys themselves: no array per item.
    guard shape.unionDiscriminator != nil else { return try identity(of: item, names: shape.keys, path: path) }
    return try identity(of: item, names: identityNames(of: shape), path: path)
  }

  /// The keys of a shape's identity, in order: the union discriminator first.
  func identityNames(of shape: EntityShape) -> [String] {
    (shape.unionDiscriminator.map { [$0] } ?? []) + shape.keys
  }

  func identity(of item: [Value.Member], names: [String], path: DictPath) throws(MergeError) -> Identity {
    var pairs: [Identity.Pair] = []
    pairs.reserveCapacity(names.count)
    for name in names {
      guard let value = lookup(name, in: item) else { throw MergeError(kind: .missingKey(name), path: path) }
      pairs.append(Identity.Pair(key: name, loadedValue: value))
    }
    return Identity(pairs)
  }

  /// The items of a list relation in two states of its owner (`keyedList` of each), paired by
  /// identity: the current items in their order, then the previous ones the current state no
  /// longer has, in theirs. At least one of each pair is present.
  static func forEachItemPair<Failure: Error>(
    current: KeyedList, previous: KeyedList,
    _ body: (_ identity: Identity, _ current: Value?, _ previous: Value?) throws(Failure) -> Void
  ) throws(Failure) {
    // One side only (a slice's first version, an object only one state has): no lookups.
    for (index, identity) in current.identities.enumerated() {
      let previousItem = previous.identities.isEmpty ? nil : previous.position(of: identity).map { previous.values[$0] }
      try body(identity, current.values[index], previousItem)
    }
    for (index, identity) in previous.identities.enumerated() where current.identities.isEmpty || current.position(of: identity) == nil {
      try body(identity, nil, previous.values[index])
    }
  }

  /// A list relation's items by identity, in the order identities first appear.
  struct KeyedList {
    var identities: [Identity] = []
    /// The item of each identity: a later item with an identity already seen replaces the
    /// earlier one, in the earlier one's place (a Python dict comprehension).
    var values: [Value] = []
    /// Where each identity is in `identities`; nil for a short list, which is scanned instead
    /// (most lists are short, and most are never looked up: a slice's first version has no
    /// other state to pair with, so a dictionary per list was built for its duplicates only).
    var index: [Identity: Int]? = nil

    /// Lists up to this length are scanned, longer ones indexed.
    static let scannedLength = 8

    init() {}

    init(capacity: Int) {
      identities.reserveCapacity(capacity)
      values.reserveCapacity(capacity)
      if capacity > Self.scannedLength { index = Dictionary(minimumCapacity: capacity) }
    }

    func position(of identity: Identity) -> Int? {
      if let index { return index[identity] }
      return identities.firstIndex(of: identity)
    }

    /// Adds the next item: one hash (or, in a short list, one scan) per item; a repeated
    /// identity (rare) keeps its first place and takes the later item.
    @inline(__always)
    mutating func add(_ item: consuming Value, identity: Identity) {
      let first: Int?
      if index != nil {
        first = index?.updateValue(identities.count, forKey: identity)
        if let first { index?[identity] = first }
      } else {
        first = identities.firstIndex(of: identity)
      }
      if let first {
        values[first] = item
      } else {
        identities.append(identity)
        values.append(item)
      }
    }
  }

  func keyedList(
    _ owner: [Value.Member]?, relation: EntityShape.Relation, path: DictPath
  ) throws(MergeError) -> KeyedList {
    guard let owner else { return KeyedList() }
    guard let list = lookup(relation.name, in: owner) else {
      throw MergeError(kind: .missingKey(relation.name), path: path)
    }
    guard let items = list.elements else {
      throw MergeError(kind: .unexpectedType(expected: "a list at \(relation.name)"), path: path)
    }
    var keyed = KeyedList(capacity: items.count)
    // The items of a list of one model share its shape and identity keys: looked up once.
    // (Resolved at the first item, after its own check, so errors come in the same order.)
    var sharedNames: [String]?
    let isEntity = relation.target.isEntity
    for item in items {
      let itemMembers = try members(of: item, at: path)
      let identity: Identity
      if isEntity {
        let names: [String]
        if let sharedNames {
          names = sharedNames
        } else {
          names = identityNames(of: try resolve(relation.target, instance: itemMembers, path: path))
          sharedNames = names
        }
        identity = try self.identity(of: itemMembers, names: names, path: path)
      } else {
        identity = try self.identity(of: itemMembers, target: relation.target, path: path)
      }
      keyed.add(item, identity: identity)
    }
    return keyed
  }

  /// The checks `KeyedList(relation, identity)` makes, which fail the reference's merge even
  /// when paths are not inserted.
  func validateSelectors(_ identity: Identity, relation: String, path: DictPath) throws(MergeError) {
    guard !identity.pairs.isEmpty else { throw MergeError(kind: .emptyIdentity(relation: relation), path: path) }
    // An identity has a handful of keys: pairwise comparison, not a set per item.
    let pairs = identity.pairs
    for later in pairs.indices.dropFirst() where pairs[..<later].contains(where: { $0.key.isScalarExact(to: pairs[later].key) }) {
      throw MergeError(kind: .duplicateIdentityKey(relation: relation, key: pairs[later].key), path: path)
    }
    for pair in identity.pairs where pair.value == "*" {
      throw MergeError(kind: .wildcardIdentityValue(relation: relation, key: pair.key), path: path)
    }
  }

  func members(of value: Value, at path: DictPath) throws(MergeError) -> [Value.Member] {
    guard let members = value.members else {
      throw MergeError(kind: .unexpectedType(expected: "an object"), path: path)
    }
    return members
  }

  /// `dict.get(name)` on an object that may hold the key twice: the last one wins.
  func lookup(_ name: String, in members: [Value.Member]) -> Value? {
    // Indexing in place: `last(where:)` copied every member it looked at.
    var index = members.count - 1
    while index >= 0 {
      if members[index].key.isString(name) { return members[index].value }
      index -= 1
    }
    return nil
  }

  /// `dict.get(relation)` for an embedded object: a null or absent value is Python's None.
  func objectValue(_ name: String, in members: [Value.Member]) -> Value? {
    guard let value = lookup(name, in: members), !value.isNull else { return nil }
    return value
  }
}
