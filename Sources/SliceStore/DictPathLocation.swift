import SliceSyntax

/// One step from a slice's root to one of its objects: a key of an object, or an index in a list.
/// The same steps walk a located `Node` tree (mapping entry by key, sequence item by index),
/// which is how an editor anchors a merged-view element in a file.
public enum ValueStep: Sendable, Hashable {
  case key(String)
  case index(Int)
}

extension ShapeCatalog {
  /// Where the object at a dict path is in one state of a slice (a source or an active version,
  /// as read): nil when it is not there. A list item is found by identity, like the merge finds
  /// it; when several items share the identity, the last one, whose content the merge keeps.
  public func locate(_ path: DictPath, in root: Value) -> [ValueStep]? {
    let merger = Merger(catalog: self)
    var steps: [ValueStep] = []
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
