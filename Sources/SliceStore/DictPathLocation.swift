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
        guard let relation = shape.relations.first(where: { $0.name == name && $0.cardinality.isAtMostOne }),
          let child = merger.objectValue(name, in: members)
        else { return nil }
        steps.append(.key(name))
        value = child
        target = relation.target
      case .item(let name, let identity):
        guard let relation = shape.relations.first(where: { $0.name == name && $0.cardinality == .list }),
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
    // only each level's own segments are hashed, never whole paths (a large slice has tens of
    // thousands of elements, each path as deep as its nesting). Reported in the order a
    // preorder walk meets each path first (`order`: the positions of its segments).
    let merger = Merger(catalog: self)
    typealias Object = (members: [Value.Member], shape: EntityShape, steps: [InstancePathComponent])
    var collisions: [(order: [Int], collision: IdentityCollision)] = []
    func walk(_ group: [Object], path: DictPath, order: [Int]) {
      var children: [DictPath.Segment: [Object]] = [:]
      var childOrder: [DictPath.Segment] = []
      func add(_ segment: DictPath.Segment, _ target: EntityShape.Relation.Target, _ members: [Value.Member], _ steps: [InstancePathComponent]) {
        // Only objects whose shape resolves count (as in `elements(in:)`).
        guard let shape = try? merger.resolve(target, instance: members, path: path) else { return }
        if children[segment] == nil { childOrder.append(segment) }
        children[segment, default: []].append((members, shape, steps))
      }
      for object in group {
        for relation in object.shape.relations {
          if relation.cardinality.isAtMostOne {
            guard let child = merger.objectValue(relation.name, in: object.members)?.members else { continue }
            add(.relation(relation.name), relation.target, child, object.steps + [.key(relation.name)])
            continue
          }
          guard let items = merger.lookup(relation.name, in: object.members)?.elements else { continue }
          for (index, item) in items.enumerated() {
            guard let itemMembers = item.members,
              let identity = try? merger.identity(of: itemMembers, target: relation.target, path: path)
            else { continue }
            add(
              .item(relation: relation.name, identity: identity), relation.target, itemMembers,
              object.steps + [.key(relation.name), .index(index)])
          }
        }
      }
      for (position, segment) in childOrder.enumerated() {
        guard let objects = children[segment] else { continue }
        let childPath = path.appending(segment)
        if objects.count > 1 {
          collisions.append((order + [position], IdentityCollision(path: childPath, items: objects.map(\.steps))))
        }
        walk(objects, path: childPath, order: order + [position])
      }
    }
    guard let members = root.members, let shape = try? merger.resolve(.entity(self.root), instance: members, path: .root) else {
      return []
    }
    walk([(members, shape, [])], path: .root, order: [])
    return collisions.sorted { $0.order.lexicographicallyPrecedes($1.order) }.map(\.collision)
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
