import SliceSyntax

/// Export's merge written straight into the reference's JSON: the bytes that
/// `ExportStream.render` gives for the slice `MergedView.unroll` makes, without building the
/// merged view as a value, then walking it to write it, then freeing it (a fifth of an
/// export's merging and writing, a tenth of all its instructions).
///
/// It follows `Merger.merge` step by step. Anything out of the ordinary — a merge error, a
/// value JSON cannot hold, a root attribute the compile sets that is also a relation — gives
/// nil, and the caller takes the general path, which reports it exactly.
struct MergedViewJSONWriter {
  enum Result {
    /// The slice's item in the export list (`ExportStream.RenderedSlice`'s bytes).
    case rendered([UInt8])
    /// Deleted without an older version: not in the view.
    case notEmitted
  }

  private let merger: Merger
  private var output: [UInt8] = []
  /// The dict path of the object being written, as bytes (empty at the root, whose path is
  /// `.`): each object extends its parent's in place and cuts it back after, instead of
  /// building a string of the whole path per object.
  private var path: [UInt8] = []

  private init(catalog: ShapeCatalog) {
    merger = Merger(catalog: catalog)
  }

  /// The export list item of a slice whose active versions are `history`; nil where the
  /// general path must decide.
  static func render(name: String, storeName: String, history: [ActiveVersion], catalog: ShapeCatalog) -> Result? {
    guard let latest = Versions.latest(of: history) else { return nil }
    let current = CurrentSlice(latest)
    var writer = MergedViewJSONWriter(catalog: catalog)
    do {
      let previous = try MergedView.previous(current: current, history: history, catalog: catalog)
      if current.deleted && previous == nil { return .notEmitted }
      try writer.writeUnrolled(
        name: name, storeName: storeName, current: current, currentAttributes: current.deleted ? nil : current.attributes,
        previous: previous)
    } catch {
      return nil
    }
    return .rendered(writer.output)
  }

  /// A case the general path handles (a root override that is a relation, an absent merge).
  private struct Unusual: Error {}

  /// `UnrolledSlice.value` at depth 1, as `ReferenceJSONWriter.ListWriter.render` writes it.
  private mutating func writeUnrolled(
    name: String, storeName: String, current: CurrentSlice, currentAttributes: Value?, previous: Value?
  ) throws {
    output.reserveCapacity(4096)
    var unrolled = ReferenceJSONWriter.ReferenceContainer.object(depth: 1)
    unrolled.startMember("name", into: &output)
    ReferenceJSONWriter.writeString(name, into: &output)
    unrolled.startMember("store_name", into: &output)
    ReferenceJSONWriter.writeString(storeName, into: &output)
    unrolled.startMember("version", into: &output)
    output.appendUTF8(of: String(current.version))
    unrolled.startMember("attributes", into: &output)
    // `MergedView.unroll` sets these on the merged root (`setMember`).
    let overrides: [(key: String, value: Value)] = [
      ("version", .integer(current.version)), ("slice_store", .string(storeName)), ("slice_name", .string(name)),
    ]
    // Never absent: a deleted slice without an older version is not emitted (see `render`).
    guard
      try writeMerge(
        current: currentAttributes, previous: previous, target: .entity(merger.catalog.root), depth: 2,
        rootOverrides: overrides)
    else { throw Unusual() }
    unrolled.startMember("deleted", into: &output)
    output.appendUTF8(of: current.deleted ? "true" : "false")
    unrolled.finish(into: &output)
  }

  /// Writes the merge of two states of an object (`Merger.merge` with paths inserted); false
  /// (nothing written) when both are absent. `statesEqual`: the enclosing object's two states
  /// are equal, so these are too (they are read from equal values the same way): comparing
  /// them again at every level made the comparisons grow with depth times size.
  private mutating func writeMerge(
    current: Value?, previous: Value?, target: EntityShape.Relation.Target, depth: Int,
    rootOverrides: [(key: String, value: Value)]? = nil, statesEqual: Bool = false, resolvedShape: EntityShape? = nil
  ) throws -> Bool {
    if current == nil && previous == nil { return false }
    // The error paths are not needed: any error hands the slice to the general path.
    var currentMembers: [Value.Member]? = nil
    if let current { currentMembers = try merger.members(of: current, at: .root) }
    var previousMembers: [Value.Member]? = nil
    if let previous { previousMembers = try merger.members(of: previous, at: .root) }
    let operation = statesEqual ? ElementOperation.create : Merger.operation(current: current, previous: previous)
    // Both present and equal (`resolve_operation` gives `create` for those).
    let equal = current != nil && previous != nil && operation == .create
    let instance = (currentMembers?.isEmpty == false ? currentMembers : previousMembers) ?? []
    let shape = try resolvedShape ?? merger.resolve(target, instance: instance, path: .root)

    // Where the root's overrides go: over the last member of their name, else at the end.
    var pendingOverrides = rootOverrides ?? []
    var overrideAtAttribute: [Int: Value] = [:]
    if !pendingOverrides.isEmpty {
      let attributes = shape.attributes.filter { !EntityShape.managedAttributes.contains($0) }
      for override in pendingOverrides {
        if shape.relations.contains(where: { $0.name.isScalarExact(to: override.key) }) { throw Unusual() }
        if let index = attributes.lastIndex(where: { $0.isScalarExact(to: override.key) }) {
          overrideAtAttribute[index] = override.value
        }
      }
      pendingOverrides.removeAll { override in attributes.contains { $0.isScalarExact(to: override.key) } }
    }

    var object = ReferenceJSONWriter.ReferenceContainer.object(depth: depth)
    object.startMember("operation", into: &output)
    ReferenceJSONWriter.writeString(operation.rawValue, into: &output)
    object.startMember("path", into: &output)
    if path.isEmpty {
      ReferenceJSONWriter.writeString(".", into: &output)
    } else {
      path.withUnsafeBufferPointer { JSONStringQuoting.write(utf8: $0, style: .pythonASCII, into: &output) }
    }

    let source = currentMembers ?? previousMembers ?? []
    // Shapes made from a schema never list the managed attributes (`referenceAttributeOrder`):
    // the array is then shared, not copied.
    let attributes =
      shape.attributes.contains(where: EntityShape.managedAttributes.contains)
      ? shape.attributes.filter { !EntityShape.managedAttributes.contains($0) } : shape.attributes
    for (attributeIndex, attribute) in attributes.enumerated() {
      object.startMember(attribute, into: &output)
      if !overrideAtAttribute.isEmpty, let override = overrideAtAttribute[attributeIndex] {
        try writeValue(override, depth: depth + 1)
      } else {
        try writeValue(merger.lookup(attribute, in: source) ?? .null, depth: depth + 1)
      }
    }

    for relation in shape.relations {
      object.startMember(relation.name, into: &output)
      if relation.cardinality.isAtMostOne {
        let parentEnd = enterPath(.relation(relation.name))
        let written = try writeMerge(
          current: currentMembers.flatMap { merger.objectValue(relation.name, in: $0) },
          previous: previousMembers.flatMap { merger.objectValue(relation.name, in: $0) },
          target: relation.target, depth: depth + 1, statesEqual: equal)
        path.removeSubrange(parentEnd...)
        if !written { output.appendUTF8(of: "null") }
        continue
      }
      let currentItems = try merger.keyedList(currentMembers, relation: relation, path: .root)
      let previousItems = try merger.keyedList(previousMembers, relation: relation, path: .root)
      var list = ReferenceJSONWriter.ReferenceContainer.list(depth: depth + 1)
      // The items of a list of one model share its shape: resolved at the first item.
      var entityShape: EntityShape? = nil
      let isEntity = relation.target.isEntity
      try Merger.forEachItemPair(current: currentItems, previous: previousItems) { identity, currentItem, previousItem in
        try merger.validateSelectors(identity, relation: relation.name, path: .root)
        list.startItem(into: &output)
        let parentEnd = enterPath(.item(relation: relation.name, identity: identity))
        if isEntity, entityShape == nil { entityShape = try merger.resolve(relation.target, instance: [], path: .root) }
        let written = try writeMerge(
          current: currentItem, previous: previousItem, target: relation.target, depth: depth + 2, statesEqual: equal,
          resolvedShape: entityShape)
        path.removeSubrange(parentEnd...)
        // An identity comes from one of the two states, so its item is never absent.
        guard written else { throw Unusual() }
      }
      list.finish(into: &output)
    }
    for override in pendingOverrides {
      object.startMember(override.key, into: &output)
      try writeValue(override.value, depth: depth + 1)
    }
    object.finish(into: &output)
    return true
  }

  /// Extends the path by a segment (`DictPath.text(of:after:)`); returns where the parent's
  /// path ends, to cut it back to.
  private mutating func enterPath(_ segment: DictPath.Segment) -> Int {
    let parentEnd = path.count
    if parentEnd > 0 { path.append(UInt8(ascii: ".")) }
    DictPath.append(segment, into: &path)
    return parentEnd
  }

  private mutating func writeValue(_ value: Value, depth: Int) throws {
    try ReferenceJSONWriter.writeInReferenceLayout(value, depth: depth, into: &output)
  }
}
