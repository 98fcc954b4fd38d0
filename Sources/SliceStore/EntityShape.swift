import SliceSchema
import SliceSyntax

/// What the merged view needs to know about one slice class: the reference's
/// `SliceEntitySchema` reduced to attribute order, relations and identity.
///
/// The schema layer builds these from the exposed JSON schema; tests build them by hand.
/// Shapes refer to each other by id inside a `ShapeCatalog`, so recursive schemas (a folder
/// holding folders) need no reference cycles.
public struct EntityShape: Sendable, Hashable {
  public typealias ID = String

  public var id: ID {
    get { storage.fields.id }
    set { modify { $0.id = newValue } }
  }
  /// Primitive attributes (anything that is not an embedded slice object, lists and dicts
  /// of primitives included) in the order the reference's `all_attributes()` lists them,
  /// without `operation` and `path`. This order is the key order of the merged view.
  /// See `referenceAttributeOrder` for how it follows from the class.
  public var attributes: [String] {
    get { storage.fields.attributes }
    set { modify { $0.attributes = newValue } }
  }
  /// Relations to embedded slice objects, in `all_relations()` order; the merged view lists
  /// them after every attribute.
  public var relations: [Relation] {
    get { storage.fields.relations }
    set { modify { $0.relations = newValue } }
  }
  /// The entity's `keys`: the attributes that identify an item in a list.
  public var keys: [String] {
    get { storage.fields.keys }
    set { modify { $0.keys = newValue } }
  }
  /// Where `keys` came from.
  public var keySource: KeySource {
    get { storage.fields.keySource }
    set { modify { $0.keySource = newValue } }
  }
  /// Set when the class is a member of a discriminated union: the discriminator property.
  /// The reference then puts the discriminator first in the identity of every instance of the
  /// class (wherever it is used) and first among its attributes.
  public var unionDiscriminator: String? {
    get { storage.fields.unionDiscriminator }
    set { modify { $0.unionDiscriminator = newValue } }
  }

  /// The fields behind one reference: the merge and export's writer copy a shape for every
  /// object they write, and a copy of the fields themselves retained each of them.
  private final class Storage: Sendable {
    let fields: Fields
    init(_ fields: Fields) { self.fields = fields }
  }

  private struct Fields: Sendable, Hashable {
    var id: ID
    var attributes: [String]
    var relations: [Relation]
    var keys: [String]
    var keySource: KeySource
    var unionDiscriminator: String?
  }

  private var storage: Storage

  /// Shapes are built once per schema and rarely changed: a change makes new storage.
  private mutating func modify(_ change: (inout Fields) -> Void) {
    var fields = storage.fields
    change(&fields)
    storage = Storage(fields)
  }

  public init(
    id: ID, attributes: [String], relations: [Relation] = [], keys: [String] = [],
    keySource: KeySource = .none, unionDiscriminator: String? = nil
  ) {
    storage = Storage(
      Fields(
        id: id, attributes: attributes, relations: relations, keys: keys, keySource: keySource,
        unionDiscriminator: unionDiscriminator))
  }

  public static func == (lhs: EntityShape, rhs: EntityShape) -> Bool {
    lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(storage.fields)
  }

  /// A relation from an entity to embedded slice objects.
  public struct Relation: Sendable, Hashable {
    public enum Cardinality: String, Sendable, Hashable {
      /// A required embedded object (`cardinality [1:1]`).
      case single
      /// An optional embedded object (`X | None`, `[0:1]`).
      case optional
      /// A list of embedded objects (`Sequence[X]`, `[0:]`).
      case list

      /// The reference merges `single` and `optional` the same way (`cardinality_max == 1`).
      public var isAtMostOne: Bool { self != .list }
    }

    public enum Target: Sendable, Hashable {
      case entity(EntityShape.ID)
      case union(DiscriminatedUnion)

      /// One model: every item of a list of it has the same shape.
      public var isEntity: Bool {
        if case .entity = self { return true }
        return false
      }
    }

    public var name: String
    public var cardinality: Cardinality
    public var target: Target

    public init(name: String, cardinality: Cardinality, target: Target) {
      self.name = name
      self.cardinality = cardinality
      self.target = target
    }
  }

  /// A pydantic discriminated union of embedded slice classes.
  public struct DiscriminatedUnion: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
      /// The member's discriminator value (its `Literal` default).
      public var value: Scalar
      public var shape: EntityShape.ID
      public init(value: Scalar, shape: EntityShape.ID) {
        self.value = value
        self.shape = shape
      }
    }

    public var discriminator: String
    /// In declaration order: an instance resolves to the first member whose value equals its
    /// discriminator (Python `==`).
    public var members: [Member]

    public init(discriminator: String, members: [Member]) {
      self.discriminator = discriminator
      self.members = members
    }

    /// The member an instance resolves to by its discriminator value (`tag`): the first whose
    /// value equals it (Python `==`); nil when the tag is missing or no member has it.
    public func member(taggedWith tag: Scalar?) -> Member? {
      guard let tag else { return nil }
      return members.first { $0.value.pythonEquals(tag) }
    }
  }

  /// The compile-managed attributes every slice root class inherits from `SliceObjectABC`.
  public static let sliceRootAttributes = ["version", "slice_store", "slice_name"]
  /// The compile-managed attributes every slice class inherits from `EmbeddedSliceObjectABC`.
  public static let managedAttributes = ["operation", "path"]

  /// The attribute order of the reference's `all_attributes()` in the common case, from the
  /// attributes in pydantic's field order (the JSON schema's property order):
  /// a union member's discriminator comes first (the reference makes the union a base class),
  /// then, for a class deriving from `SliceObjectABC` first among its bases, `version`,
  /// `slice_store`, `slice_name`, then the others. A class that lists `SliceObjectABC` after
  /// another slice base (`class Root(SliceObjectABC, Folder)`) has those three after the
  /// inherited attributes instead; only the Python class shows that, so such a shape must be
  /// given its order explicitly.
  public static func referenceAttributeOrder(
    fieldOrder: [String], isSliceRoot: Bool, unionDiscriminator: String? = nil
  ) -> [String] {
    var order: [String] = []
    var seen = NameSet(names: managedAttributes)
    func add(_ name: String) {
      if seen.insert(name) { order.append(name) }
    }
    if let unionDiscriminator { add(unionDiscriminator) }
    if isSliceRoot { sliceRootAttributes.forEach(add) }
    fieldOrder.forEach(add)
    return order
  }
}

/// The shapes of one store: the root class and every class reachable from it.
public struct ShapeCatalog: Sendable, Hashable {
  public var root: EntityShape.ID
  public var shapes: [EntityShape.ID: EntityShape]

  public init(root: EntityShape.ID, shapes: [EntityShape]) {
    self.root = root
    var byID: [EntityShape.ID: EntityShape] = [:]
    for shape in shapes { byID[shape.id] = shape }
    self.shapes = byID
  }

  public subscript(id: EntityShape.ID) -> EntityShape? { shapes[id] }

  public var rootShape: EntityShape? { shapes[root] }

  /// Ids referenced by a relation or union member that no shape defines.
  public var danglingReferences: [EntityShape.ID] {
    var missing: Set<EntityShape.ID> = []
    if shapes[root] == nil { missing.insert(root) }
    for shape in shapes.values {
      for relation in shape.relations {
        switch relation.target {
        case .entity(let id):
          if shapes[id] == nil { missing.insert(id) }
        case .union(let union):
          for member in union.members where shapes[member.shape] == nil { missing.insert(member.shape) }
        }
      }
    }
    return missing.sorted()
  }
}

/// A defect of a store's shapes that makes the reference fail, always or on some data.
public struct ShapeIssue: Sendable, Hashable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    /// A relation or union member names a shape the catalog does not define.
    case danglingReference(EntityShape.ID)
    /// A key that is not an attribute: the reference refuses the class outright.
    case keyNotAnAttribute(String)
    /// A list of a class without keys (not a union member): the reference fails on any item.
    case unkeyedListItems(relation: String, itemShape: EntityShape.ID)
    /// A union member whose keys repeat its discriminator: the reference fails on any item.
    case discriminatorAmongKeys(String)
  }

  public var shape: EntityShape.ID
  public var kind: Kind

  public var description: String {
    switch kind {
    case .danglingReference(let id): return "\(shape): refers to the unknown class \(id)"
    case .keyNotAnAttribute(let key):
      return "\(shape): the key '\(key)' is not one of its attributes (the module refuses such a class)"
    case .unkeyedListItems(let relation, let itemShape):
      return "\(shape).\(relation): \(itemShape) has no keys, so the module fails on any item of this list"
    case .discriminatorAmongKeys(let key):
      return "\(shape): the discriminator '\(key)' is also a key, so the module fails on any item of it in a list"
    }
  }
}

extension ShapeCatalog {
  /// Everything in these shapes that makes the reference fail, sorted by shape.
  public var issues: [ShapeIssue] {
    var issues: [ShapeIssue] = []
    for id in shapes.keys.sorted() {
      guard let shape = shapes[id] else { continue }
      for key in shape.keys where !shape.attributes.contains(key) && key != shape.unionDiscriminator {
        issues.append(ShapeIssue(shape: id, kind: .keyNotAnAttribute(key)))
      }
      if let discriminator = shape.unionDiscriminator, shape.keys.contains(discriminator) {
        issues.append(ShapeIssue(shape: id, kind: .discriminatorAmongKeys(discriminator)))
      }
      for relation in shape.relations {
        let targets: [EntityShape.ID]
        switch relation.target {
        case .entity(let target): targets = [target]
        case .union(let union): targets = union.members.map(\.shape)
        }
        for target in targets {
          guard let targetShape = shapes[target] else {
            issues.append(ShapeIssue(shape: id, kind: .danglingReference(target)))
            continue
          }
          if relation.cardinality == .list && targetShape.keys.isEmpty && targetShape.unionDiscriminator == nil {
            issues.append(ShapeIssue(shape: id, kind: .unkeyedListItems(relation: relation.name, itemShape: target)))
          }
        }
      }
    }
    if shapes[root] == nil { issues.insert(ShapeIssue(shape: root, kind: .danglingReference(root)), at: 0) }
    return issues
  }
}
