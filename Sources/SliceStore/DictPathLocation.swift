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
    // The objects at one dict path are walked together (one, unless list items share an
    // identity: their children then share paths as well, as the merged view folds them), so
    // only each level's own segments are hashed, never whole paths. A large slice is mostly
    // leaf list items (tens of thousands of ports): for them nothing is allocated but their
    // identity, their instance path is built only when it is reported or has children, and an
    // entity target's shape is looked up once per list. Reported in the order a preorder walk
    // meets each path first (`order`: the positions of its segments).
    let merger = Merger(catalog: self)
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
            if distinct, shape.relations.isEmpty { continue }
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
    let fixedNames = fixedShape.map(Self.identityNames)
    var seen = Set<Int>(minimumCapacity: items.count)
    for item in items {
      guard let members = item.members else { continue }
      let names: [String]
      if let fixedNames {
        names = fixedNames
      } else {
        guard let shape = try? merger.resolve(target, instance: members, path: path) else { continue }
        names = Self.identityNames(shape)
      }
      var hasher = Hasher()
      var complete = true
      for name in names {
        guard let value = merger.lookup(name, in: members) else {
          complete = false
          break
        }
        if case .scalar(.string(let text)) = value {
          hasher.combine(text)
        } else {
          hasher.combine(PythonText.str(value))
        }
      }
      guard complete else { continue }
      guard seen.insert(hasher.finalize()).inserted else { return false }
    }
    return true
  }

  /// The attributes `Merger.identity` reads, in its order.
  private static func identityNames(_ shape: EntityShape) -> [String] {
    (shape.unionDiscriminator.map { [$0] } ?? []) + shape.keys
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
