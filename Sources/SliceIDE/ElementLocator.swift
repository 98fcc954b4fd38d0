import SliceSchema
import SliceStore
import SliceSyntax

/// A slice object (the root, an embedded object, a list item) met on the way from the root of
/// a located tree to some place in it, with the dict path the merged view gives it.
struct ElementOnPath {
  var dictPath: DictPath
  var shape: EntityShape
  var node: Node
  /// How many components of the instance path lead to it.
  var depth: Int
  /// Set for a list item: the relation it is an item of.
  var listRelation: String?
}

/// Finds slice objects in located trees through the store's shapes, the way the merge finds
/// them in values: so an object of the file being edited can be found in another version.
struct ElementLocator {
  let schema: StoreSchema
  var catalog: ShapeCatalog { schema.catalog }

  /// The objects from the root along `path` (root first). Stops where a step leaves the objects
  /// (an attribute) or an object's class cannot be told (a union item without its tag).
  func elements(along path: [InstancePathComponent], in root: Node) -> [ElementOnPath] {
    guard let rootShape = catalog.rootShape, root.entries != nil else { return [] }
    var result = [ElementOnPath(dictPath: .root, shape: rootShape, node: root, depth: 0, listRelation: nil)]
    var index = 0
    while index < path.count, let current = result.last {
      guard case .key(let name) = path[index], let relation = current.shape.relations.first(where: { $0.name == name }),
        let child = current.node.lookup(name)
      else { break }
      if relation.cardinality.isAtMostOne {
        guard child.entries != nil, let shape = resolve(relation.target, child) else { break }
        result.append(
          ElementOnPath(
            dictPath: current.dictPath.appending(.relation(name)), shape: shape, node: child, depth: index + 1,
            listRelation: nil))
        index += 1
        continue
      }
      guard index + 1 < path.count, case .index(let position) = path[index + 1], let items = child.items,
        items.indices.contains(position)
      else { break }
      let item = items[position]
      guard item.entries != nil, let shape = resolve(relation.target, item), let identity = identity(of: item, shape: shape)
      else { break }
      result.append(
        ElementOnPath(
          dictPath: current.dictPath.appending(.item(relation: name, identity: identity)), shape: shape, node: item,
          depth: index + 2, listRelation: name))
      index += 2
    }
    return result
  }

  /// The class of an object: the target's, or the union member its tag selects.
  func resolve(_ target: EntityShape.Relation.Target, _ node: Node) -> EntityShape? {
    switch target {
    case .entity(let id):
      return catalog[id]
    case .union(let union):
      guard let member = union.member(taggedWith: node.lookup(union.discriminator)?.scalar) else { return nil }
      return catalog[member.shape]
    }
  }

  /// A list item's identity as the merge computes it: the tag, then each key's value as
  /// Python's `str()` of the value after reading (`port: "1"` reads as 1 for an integer port).
  func identity(of item: Node, shape: EntityShape) -> Identity? {
    let names = (shape.unionDiscriminator.map { [$0] } ?? []) + shape.keys
    guard !names.isEmpty else { return nil }
    var pairs: [Identity.Pair] = []
    for name in names {
      guard let node = item.lookup(name) else { return nil }
      pairs.append(Identity.Pair(key: name, loadedValue: normalized(node, property: name, of: shape)))
    }
    return Identity(pairs)
  }

  /// The value of a property as the reference reads it (validated and dumped), or as written
  /// when it does not validate.
  func normalized(_ node: Node, property name: String, of shape: EntityShape) -> Value {
    guard let model = schema.modelByShape[shape.id], let propertyID = schema.schemas[model].property(name) else {
      return node.value
    }
    return schema.validator.validate(node, against: propertyID).normalized ?? node.value
  }

  /// Every list item of a tree with its identity, in document order (for inlay hints).
  func listItems(in root: Node, within range: ByteRange? = nil) -> [(item: Node, shape: EntityShape, identity: Identity, dictPath: DictPath)] {
    guard let rootShape = catalog.rootShape else { return [] }
    var result: [(Node, EntityShape, Identity, DictPath)] = []
    var pending: [(Node, EntityShape, DictPath)] = [(root, rootShape, .root)]
    while let (node, shape, path) = pending.popLast() {
      if let range, !overlaps(node.range, range) { continue }
      var children: [(Node, EntityShape, DictPath)] = []
      for relation in shape.relations {
        guard let child = node.lookup(relation.name) else { continue }
        if relation.cardinality.isAtMostOne {
          if child.entries != nil, let childShape = resolve(relation.target, child) {
            children.append((child, childShape, path.appending(.relation(relation.name))))
          }
          continue
        }
        for item in child.items ?? [] where item.entries != nil {
          if let range, !overlaps(item.range, range) { continue }
          guard let itemShape = resolve(relation.target, item), let identity = identity(of: item, shape: itemShape) else {
            continue
          }
          let itemPath = path.appending(.item(relation: relation.name, identity: identity))
          result.append((item, itemShape, identity, itemPath))
          children.append((item, itemShape, itemPath))
        }
      }
      pending.append(contentsOf: children.reversed())
    }
    return result.sorted { $0.0.range.lowerBound < $1.0.range.lowerBound }
  }

  private func overlaps(_ a: ByteRange, _ b: ByteRange) -> Bool {
    a.lowerBound <= b.upperBound && b.lowerBound <= a.upperBound
  }
}


/// What stands at a byte offset of a located tree.
struct LocatedPlace {
  /// The path of the value (or of the key's value, when on a key).
  var path: [InstancePathComponent]
  /// On a mapping key (the key node), else nil.
  var key: Node?
  /// The value node (the key's value when on a key).
  var value: Node
  /// Set when the offset is on a block sequence's `- ` rather than in the item.
  var indicator: ByteRange?

  var range: ByteRange { key?.range ?? indicator ?? value.range }

  /// The innermost key or value containing `offset`. On a block sequence's `- `, the item of
  /// that line.
  static func find(_ offset: Int, in root: Node, document: TextDocument) -> LocatedPlace? {
    guard root.range.contains(offset) || root.range.upperBound == offset else { return nil }
    var node = root
    var path: [InstancePathComponent] = []
    var indicator: ByteRange?
    for _ in 0..<10_000 {
      switch node.kind {
      case .mapping(let entries):
        if let entry = entries.last(where: { $0.key.range.contains(offset) }) {
          return LocatedPlace(path: path + [.key(entry.keyString ?? "")], key: entry.key, value: entry.value)
        }
        guard let entry = entries.last(where: { $0.value.range.contains(offset) }) else {
          return LocatedPlace(path: path, key: nil, value: node, indicator: indicator)
        }
        path.append(.key(entry.keyString ?? ""))
        node = entry.value
      case .sequence(let items):
        if let index = items.lastIndex(where: { $0.range.contains(offset) }) {
          path.append(.index(index))
          node = items[index]
          continue
        }
        // On a block sequence's `- `: the item that starts on this line after it.
        let bytes = document.bytes
        let onDash =
          offset < bytes.count
          && (bytes[offset] == UInt8(ascii: "-")
            || (offset > 0 && bytes[offset - 1] == UInt8(ascii: "-") && (bytes[offset] == 0x20 || bytes[offset] == 0x09)))
        let line = document.line(containing: offset)
        if node.style == .blockSequence, onDash,
          let index = items.firstIndex(where: { $0.range.lowerBound > offset && document.line(containing: $0.range.lowerBound) == line })
        {
          path.append(.index(index))
          node = items[index]
          indicator = offset..<offset + 1
          continue
        }
        return LocatedPlace(path: path, key: nil, value: node)
      case .scalar:
        return LocatedPlace(path: path, key: nil, value: node, indicator: indicator)
      }
    }
    return nil
  }
}
