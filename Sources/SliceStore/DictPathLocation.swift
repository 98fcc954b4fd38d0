import SliceSchema
import SliceSyntax

extension ShapeCatalog {
  /// Where the object at a dict path is in one state of a slice (a source or an active version,
  /// as read): nil when it is not there. A list item is found by identity, like the merge finds
  /// it; when several items share the identity, the last one, whose content the merge keeps.
  public func locate(_ path: DictPath, in root: Value) -> [InstancePathComponent]? {
    let merger = Merger(catalog: self)
    var steps: [InstancePathComponent] = []
    var value = root
    var target = EntityShape.Relation.Target.entity(self.root)
    for segment in path.segments {
      guard let members = value.members,
        let shape = try? merger.resolve(target, instance: members, path: .root)
      else { return nil }
      switch segment {
      case .relation(let name):
        guard let relation = shape.relations.first(where: { $0.name.isScalarExact(to: name) && $0.cardinality.isAtMostOne }),
          let child = merger.objectValue(name, in: members)
        else { return nil }
        steps.append(.key(name))
        value = child
        target = relation.target
      case .item(let name, let identity):
        guard let relation = shape.relations.first(where: { $0.name.isScalarExact(to: name) && $0.cardinality == .list }),
          let items = merger.lookup(name, in: members)?.elements
        else { return nil }
        var found: Int?
        for (index, item) in items.enumerated() {
          guard let itemMembers = item.members,
            let itemIdentity = try? merger.identity(of: itemMembers, target: relation.target, path: .root)
          else { continue }
          if itemIdentity == identity { found = index }
        }
        guard let found else { return nil }
        steps += [.key(name), .index(found)]
        value = items[found]
        target = relation.target
      }
    }
    return steps
  }
}

/// An object of one state of a slice, with its dict path and where it is.
public struct LocatedElement: Sendable, Hashable {
  public var path: DictPath
  public var steps: [InstancePathComponent]
  public var shape: EntityShape.ID
}

/// List items of one state that share an identity: the reference keeps only the last one's
/// content (in the first one's place) and silently drops the others.
public struct IdentityCollision: Sendable, Hashable {
  public var path: DictPath
  /// Every item with that identity, in document order; the last is the one kept.
  public var items: [[InstancePathComponent]]
}

extension ShapeCatalog {
  /// Every object of one state of a slice (root, embedded objects, list items), parents first,
  /// in document order. Objects whose shape cannot be resolved, and what is below them, are
  /// left out (validation reports them).
  public func elements(in root: Value) -> [LocatedElement] {
    var result: [LocatedElement] = []
    walk(root, target: .entity(self.root), path: .root, steps: [], into: &result)
    return result
  }

  /// The list items whose identity another item of the same list already has.
  public func identityCollisions(in root: Value) -> [IdentityCollision] {
    // Nearly every slice has no collision: the screen tells so from hashes of the key values,
    // without one identity, dict path or instance path. Otherwise the objects at one dict path
    // are walked together (one, unless list items share an identity: their children then share
    // paths as well, as the merged view folds them), so only each level's own segments are
    // hashed, never whole paths; below an item of a list whose identities all differ, the walk
    // goes on only where the screen finds a possible collision, so identities and paths are
    // built only on the way to one. An entity target's shape is looked up once per list.
    // Reported in the order a preorder walk meets each path first (`order`: the positions of
    // its segments).
    let merger = Merger(catalog: self)
    let screen = CollisionScreen(catalog: self)
    guard screen.mayHoldCollisions(in: root) else { return [] }
    var collisions: [(order: [Int], collision: IdentityCollision)] = []
    func walk(_ group: [LocatedObject], path: DictPath, order: [Int]) {
      var children = ChildGroups()
      for object in group {
        let steps = object.steps
        for relation in object.shape.relations {
          let fixedShape: EntityShape?
          if case .entity = relation.target {
            guard let shape = try? merger.resolve(relation.target, instance: [], path: path) else { continue }
            fixedShape = shape
          } else {
            fixedShape = nil
          }
          if relation.cardinality.isAtMostOne {
            guard let child = merger.objectValue(relation.name, in: object.members)?.members,
              let shape = try? fixedShape ?? merger.resolve(relation.target, instance: child, path: path)
            else { continue }
            children.add(
              LocatedObject(members: child, shape: shape, parentSteps: steps, relation: relation.name, index: nil),
              embeddedIn: relation.name)
            continue
          }
          guard let items = merger.lookup(relation.name, in: object.members)?.elements else { continue }
          // A list of one object whose items all differ (nearly every list): its leaf items
          // collide with nothing and have nothing below them, so they are not even grouped.
          let distinct =
            group.count == 1
            && Self.identitiesAreDistinct(items, target: relation.target, fixedShape: fixedShape, merger: merger, path: path)
          if !distinct { children.reserve(items.count, in: relation.name) }
          for (index, item) in items.enumerated() {
            guard let itemMembers = item.members,
              let shape = try? fixedShape ?? merger.resolve(relation.target, instance: itemMembers, path: path)
            else { continue }
            // Alone at its path, such an item matters only if something below it may collide.
            if distinct, shape.relations.isEmpty || !screen.mayHoldCollisions(itemMembers, shape: shape.id) {
              continue
            }
            guard let identity = try? merger.identity(of: itemMembers, shape: shape, path: path) else { continue }
            children.add(
              LocatedObject(members: itemMembers, shape: shape, parentSteps: steps, relation: relation.name, index: index),
              listedIn: relation.name, identity: identity)
          }
        }
      }
      for (position, first) in children.firsts.enumerated() {
        let objects = children.objects(at: position)
        // A lone object without relations has nothing below it to collide.
        if objects.count == 1, first.object.shape.relations.isEmpty { continue }
        let childPath = path.appending(first.segment)
        if objects.count > 1 {
          collisions.append((order + [position], IdentityCollision(path: childPath, items: objects.map(\.steps))))
        }
        walk(objects, path: childPath, order: order + [position])
      }
    }
    guard let members = root.members, let shape = try? merger.resolve(.entity(self.root), instance: members, path: .root) else {
      return []
    }
    walk([LocatedObject(members: members, shape: shape, parentSteps: [], relation: nil, index: nil)], path: .root, order: [])
    return collisions.sorted { $0.order.lexicographicallyPrecedes($1.order) }.map(\.collision)
  }

  /// Whether the items' identities (`Merger.identity`) are certainly all different, decided on
  /// 64-bit hashes of the key values as identities hold them (Python's `str()`), with nothing
  /// allocated per item: false also when two hashes meet, and the caller then compares whole
  /// identities. Items without an identity are left out, as the merge leaves them.
  static func identitiesAreDistinct(
    _ items: [Value], target: EntityShape.Relation.Target, fixedShape: EntityShape?, merger: Merger, path: DictPath
  ) -> Bool {
    withUnsafeTemporaryAllocation(of: Int.self, capacity: items.count) { hashes in
      var count = 0
      for item in items {
        guard let members = item.members,
          let shape = fixedShape ?? (try? merger.resolve(target, instance: members, path: path)),
          let hash = IdentityHash.of(members, discriminator: shape.unionDiscriminator, keys: shape.keys)
        else { continue }
        hashes.initializeElement(at: count, to: hash)
        count += 1
      }
      return IdentityHash.allDiffer(UnsafeMutableBufferPointer(rebasing: hashes[..<count]))
    }
  }

  private func walk(
    _ value: Value, target: EntityShape.Relation.Target, path: DictPath, steps: [InstancePathComponent],
    into result: inout [LocatedElement]
  ) {
    let merger = Merger(catalog: self)
    guard let members = value.members, let shape = try? merger.resolve(target, instance: members, path: path) else {
      return
    }
    result.append(LocatedElement(path: path, steps: steps, shape: shape.id))
    for relation in shape.relations {
      if relation.cardinality.isAtMostOne {
        guard let child = merger.objectValue(relation.name, in: members) else { continue }
        walk(
          child, target: relation.target, path: path.appending(.relation(relation.name)),
          steps: steps + [.key(relation.name)], into: &result)
        continue
      }
      guard let items = merger.lookup(relation.name, in: members)?.elements else { continue }
      for (index, item) in items.enumerated() {
        guard let itemMembers = item.members,
          let identity = try? merger.identity(of: itemMembers, target: relation.target, path: path)
        else { continue }
        walk(
          item, target: relation.target,
          path: path.appending(.item(relation: relation.name, identity: identity)),
          steps: steps + [.key(relation.name), .index(index)], into: &result)
      }
    }
  }
}

/// An object met by `identityCollisions`: its instance path is its parent's plus a step.
private struct LocatedObject {
  var members: [Value.Member]
  var shape: EntityShape
  var parentSteps: [InstancePathComponent]
  /// The relation it is reached through (nil for the root), and its index in a list relation.
  var relation: String?
  var index: Int?

  var steps: [InstancePathComponent] {
    guard let relation else { return parentSteps }
    var steps = parentSteps
    steps.append(.key(relation))
    if let index { steps.append(.index(index)) }
    return steps
  }
}

/// The children of one group of objects by dict path segment, in the order first met: one
/// slot per segment, and a list only for the segments several objects share.
private struct ChildGroups {
  var firsts: [(segment: DictPath.Segment, object: LocatedObject)] = []
  private var embedded: NameMap<Int> = [:]
  private var listed: NameMap<[Identity: Int]> = [:]
  private var sharing: [Int: [LocatedObject]] = [:]

  mutating func reserve(_ count: Int, in relation: String) {
    listed[relation, default: [:]].reserveCapacity(count)
    firsts.reserveCapacity(firsts.count + count)
  }

  mutating func add(_ object: LocatedObject, embeddedIn relation: String) {
    if let position = embedded[relation] {
      sharing[position, default: []].append(object)
    } else {
      embedded[relation] = firsts.count
      firsts.append((.relation(relation), object))
    }
  }

  mutating func add(_ object: LocatedObject, listedIn relation: String, identity: Identity) {
    let position = firsts.count
    if let earlier = listed[relation, default: [:]].updateValue(position, forKey: identity) {
      listed[relation]?[identity] = earlier
      sharing[earlier, default: []].append(object)
    } else {
      firsts.append((.item(relation: relation, identity: identity), object))
    }
  }

  /// Every object at the segment first met at `position`, in the order met.
  func objects(at position: Int) -> [LocatedObject] {
    [firsts[position].object] + (sharing[position] ?? [])
  }
}

/// Hashes of identities (see `ShapeCatalog.identitiesAreDistinct`).
enum IdentityHash {
  /// A hash of the identity `Merger.identity` gives an item (its key values as Python's `str()`
  /// prints them, the discriminator first), or nil when the item has none (a key is missing).
  static func of(_ members: [Value.Member], discriminator: String?, keys: [String]) -> Int? {
    switch screen(members, discriminator: discriminator, keys: keys, printsLists: true) {
    case .hash(let hash): return hash
    case .missingKey, .listOrObject: return nil
    }
  }

  enum Screened: Equatable {
    case hash(Int)
    case missingKey
    /// A key value is a list or an object, and the caller cannot vouch for how it prints.
    case listOrObject
  }

  /// `of`, and with `printsLists` false, `.listOrObject` for a key value that is a list or an
  /// object: the read form may print those otherwise than the normalised data (it strips
  /// `path` keys at any depth), so a screen of the normalised data cannot vouch for them.
  static func screen(_ members: [Value.Member], discriminator: String?, keys: [String], printsLists: Bool) -> Screened {
    var hasher = Hasher()
    var listOrObject = false
    func combine(_ name: String) -> Bool {
      // `dict.get`: the last of duplicated keys, as `Merger.lookup`.
      guard let value = members.last(where: { $0.key.isString(name) })?.value else { return false }
      switch value {
      case .scalar(.string(let text)):
        hasher.combine(text)
      case .scalar:
        hasher.combine(PythonText.str(value))
      case .array, .object:
        if printsLists { hasher.combine(PythonText.str(value)) } else { listOrObject = true }
      }
      return true
    }
    if let discriminator, !combine(discriminator) { return .missingKey }
    for name in keys where !combine(name) { return .missingKey }
    return listOrObject ? .listOrObject : .hash(hasher.finalize())
  }

  /// Whether no two hashes are equal (sorts them in place).
  static func allDiffer(_ hashes: UnsafeMutableBufferPointer<Int>) -> Bool {
    var hashes = hashes
    hashes.sort()
    for position in hashes.indices.dropFirst() where hashes[position] == hashes[position - 1] { return false }
    return true
  }
}

/// The catalog as the screen for identity collisions reads it: relations point at shapes by
/// position, resolved once per walk, so that an object costs no dictionary lookup, no shape
/// copy and no allocation; only its identity's key values are hashed.
struct CollisionScreen {
  private struct Shape {
    var discriminator: String?
    var keys: [String]
    var relations: [Relation]
  }

  private struct Relation {
    var name: String
    var isList: Bool
    var target: Target
  }

  private enum Target {
    case shape(Int)
    /// A union's members by tag (`Merger.resolve`: the first whose tag equals the value).
    case union(discriminator: String, members: [(tag: Scalar, shape: Int?)])
    /// A shape the catalog does not define: what is below is left out, as validation reports it.
    case unknown
  }

  private var shapes: [Shape] = []
  private var positions: [EntityShape.ID: Int] = [:]
  private var root: Target = .unknown

  init(catalog: ShapeCatalog) {
    let ordered = Array(catalog.shapes.values)
    for (position, shape) in ordered.enumerated() { positions[shape.id] = position }
    func target(_ target: EntityShape.Relation.Target) -> Target {
      switch target {
      case .entity(let id):
        return positions[id].map(Target.shape) ?? .unknown
      case .union(let union):
        return .union(discriminator: union.discriminator, members: union.members.map { ($0.value, positions[$0.shape]) })
      }
    }
    shapes = ordered.map { shape in
      Shape(
        discriminator: shape.unionDiscriminator, keys: shape.keys,
        relations: shape.relations.map { Relation(name: $0.name, isList: !$0.cardinality.isAtMostOne, target: target($0.target)) })
    }
    root = target(.entity(catalog.root))
  }

  /// Whether some list of the state may hold two items with the same identity: false is
  /// certain, true may be two hashes that meet (the caller then compares whole identities).
  func mayHoldCollisions(in root: Value) -> Bool {
    guard let members = root.members, let shape = resolve(self.root, members) else { return false }
    return mayHoldCollisions(members, shape: shape)
  }

  /// The same for an object of a known shape and what is below it.
  func mayHoldCollisions(_ members: [Value.Member], shape id: EntityShape.ID) -> Bool {
    guard let shape = positions[id] else { return false }
    return mayHoldCollisions(members, shape: shape)
  }

  private func mayHoldCollisions(_ members: [Value.Member], shape: Int) -> Bool {
    for relation in shapes[shape].relations {
      // `dict.get`: the last of duplicated keys, as `Merger.lookup`.
      guard let value = members.last(where: { $0.key.isString(relation.name) })?.value else { continue }
      guard relation.isList else {
        guard let child = value.members, let childShape = resolve(relation.target, child) else { continue }
        if mayHoldCollisions(child, shape: childShape) { return true }
        continue
      }
      guard let items = value.elements else { continue }
      // All the list's identities first: when they differ, each item is alone at its dict
      // path, and what is below it can be screened alone.
      let clean = withUnsafeTemporaryAllocation(of: Int.self, capacity: items.count) { hashes in
        withUnsafeTemporaryAllocation(of: (item: Int, shape: Int).self, capacity: items.count) { parents in
          var hashCount = 0
          var parentCount = 0
          for (index, item) in items.enumerated() {
            // An item without an identity is left out of the merge, with what is below it.
            guard let itemMembers = item.members, let itemShape = resolve(relation.target, itemMembers) else { continue }
            let hash: Int
            let itemIdentity = IdentityHash.screen(
              itemMembers, discriminator: shapes[itemShape].discriminator, keys: shapes[itemShape].keys, printsLists: false)
            switch itemIdentity {
            case .hash(let value): hash = value
            case .missingKey: continue
            case .listOrObject: return false
            }
            hashes.initializeElement(at: hashCount, to: hash)
            hashCount += 1
            if !shapes[itemShape].relations.isEmpty {
              parents.initializeElement(at: parentCount, to: (index, itemShape))
              parentCount += 1
            }
          }
          guard IdentityHash.allDiffer(UnsafeMutableBufferPointer(rebasing: hashes[..<hashCount])) else { return false }
          for parent in parents[..<parentCount] {
            guard let itemMembers = items[parent.item].members else { continue }
            if mayHoldCollisions(itemMembers, shape: parent.shape) { return false }
          }
          return true
        }
      }
      if !clean { return true }
    }
    return false
  }

  /// `Merger.resolve` on the table.
  private func resolve(_ target: Target, _ members: [Value.Member]) -> Int? {
    switch target {
    case .shape(let position):
      return position
    case .union(let discriminator, let union):
      let value = members.last(where: { $0.key.isString(discriminator) })?.value ?? .null
      guard let tag = value.scalarValue else { return nil }
      return union.first { $0.tag.pythonEquals(tag) }?.shape
    case .unknown:
      return nil
    }
  }
}
