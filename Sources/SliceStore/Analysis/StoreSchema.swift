import Foundation
import SliceSchema
import SliceSyntax

/// A store's exposed JSON schema, loaded once, with everything the engine derives from it:
/// the pydantic validator, the editor queries and the shapes the merged view needs.
public struct StoreSchema: Sendable {
  public let file: URL
  public let schemas: SchemaSet
  public let validator: SliceValidator
  public let query: SchemaQuery
  /// The entity shapes of the store (attribute order, relations, identity keys).
  public let catalog: ShapeCatalog
  /// The model schema behind each shape.
  public let modelByShape: [EntityShape.ID: SchemaID]
  /// Problems of the schema itself, located in the schema file.
  public let findings: [Finding]
  /// Model-only attributes with their defaults, by shape (see `StoreConfiguration.modelOnly`).
  public let modelOnly: [EntityShape.ID: [ModelOnlyAttribute]]
  /// Whether the normalised data of a valid slice holds the same identities as its read form,
  /// walked through the same relations: no relation, identity key or union discriminator is
  /// an attribute the read form strips (`path`), adds or rewrites (the managed attributes,
  /// the shape's model-only ones). Identity collisions are then screened without the read form.
  let readFormKeepsIdentities: Bool
  /// Whether validation may give a `path` key the file does not spell (see `SchemaSet.mayAddKey`):
  /// when not, a file whose bytes cannot spell `path` needs no walk to strip it.
  let mayAddPathKeys: Bool
  /// Every name `handWrittenManagedAttributes` looks for, as UTF-8 (made once: every file read
  /// asks whether its bytes can spell one).
  private let handWrittenNames: [[UInt8]]
  /// `handWrittenNames` and `path`.
  private let handWrittenNamesAndPath: [[UInt8]]

  /// Whether slices can be validated at all (the root schema loaded).
  public var isUsable: Bool { !findings.contains { $0.severity == .error } }

  public static func load(
    file: URL, projectRoot: URL, configuredKeys: [String: [String]] = [:], modelOnly: [String: [ModelOnlyAttribute]] = [:],
    contents: [UInt8]? = nil, reader: FileReader = FileReader()
  ) -> StoreSchema {
    let schemas: SchemaSet
    if let contents {
      let loader = SchemaLoader(provider: ProjectSchemaFiles(root: projectRoot.path, maximumFileSize: reader.maximumSize))
      schemas = loader.load(bytes: contents, uri: fileURI(forPath: file.path), filePath: file.path)
    } else {
      schemas = SchemaLoader.load(fileAt: file.path, projectRoot: projectRoot.path, reader: reader)
    }
    return StoreSchema(file: file, schemas: schemas, configuredKeys: configuredKeys, modelOnly: modelOnly)
  }

  /// - Parameter modelOnly: attributes the Python classes declare outside the JSON schema
  ///   (`SkipJsonSchema` with `exclude_if=slice_update`), with their defaults, by definition name
  ///   or title: they are in every read slice and in the merged view, never in the files.
  public init(
    file: URL, schemas: SchemaSet, configuredKeys: [String: [String]] = [:], modelOnly: [String: [ModelOnlyAttribute]] = [:]
  ) {
    self.file = file
    self.schemas = schemas
    self.validator = SliceValidator(schemas: schemas)
    self.query = SchemaQuery(schemas: schemas)
    self.findings = schemas.errors.map { error in
      Finding(range: error.range, severity: .error, code: error.code, message: error.message)
    }
    var (catalog, models) = Self.catalog(query: query, schemas: schemas, configuredKeys: configuredKeys)
    var modelOnlyByShape: [EntityShape.ID: [ModelOnlyAttribute]] = [:]
    for (id, model) in models {
      let names = [schemas[model].definitionName, schemas[model].title, id].compactMap { $0 }
      guard let attributes = names.lazy.compactMap({ modelOnly[$0] }).first, !attributes.isEmpty else { continue }
      modelOnlyByShape[id] = attributes
      // The reference lists them among the attributes, in field order: declared after the
      // schema's fields is the common case.
      if var shape = catalog.shapes[id] {
        for attribute in attributes where !shape.attributes.contains(attribute.name) {
          shape.attributes.append(attribute.name)
        }
        catalog.shapes[id] = shape
      }
    }
    self.catalog = catalog
    self.modelByShape = models
    self.modelOnly = modelOnlyByShape
    self.readFormKeepsIdentities = Self.readFormKeepsIdentities(catalog: catalog, modelOnly: modelOnlyByShape)
    self.mayAddPathKeys = schemas.mayAddKey("path")
    self.handWrittenNames = Self.handWrittenNames(modelOnly: modelOnlyByShape)
    self.handWrittenNamesAndPath = handWrittenNames + [Self.pathKeyBytes]
  }

  private static func readFormKeepsIdentities(catalog: ShapeCatalog, modelOnly: [EntityShape.ID: [ModelOnlyAttribute]]) -> Bool {
    // String equality (canonical): a name that only looks like one of these counts too.
    let rewritten = Set(["path"] + rootManagedNames + itemManagedNames)
    for shape in catalog.shapes.values {
      let shapeModelOnly = Set((modelOnly[shape.id] ?? []).map(\.name))
      var read = shape.keys + shape.relations.map(\.name)
      if let discriminator = shape.unionDiscriminator { read.append(discriminator) }
      for relation in shape.relations {
        if case .union(let union) = relation.target { read.append(union.discriminator) }
      }
      if read.contains(where: { rewritten.contains($0) || shapeModelOnly.contains($0) }) { return false }
    }
    return true
  }

  /// A readable, stable id for a model schema: its `$defs` name, else its title.
  public static func shapeID(_ model: SchemaID, in schemas: SchemaSet) -> EntityShape.ID {
    schemas[model].definitionName ?? schemas[model].title ?? "schema#\(model.index)"
  }

  /// Walks the models reachable from the root and turns each into an `EntityShape`.
  private static func catalog(query: SchemaQuery, schemas: SchemaSet, configuredKeys: [String: [String]])
    -> (ShapeCatalog, [EntityShape.ID: SchemaID])
  {
    guard let rootModel = query.concreteSchemas(schemas.root).first else {
      return (ShapeCatalog(root: "root", shapes: []), [:])
    }
    // First pass: every reachable model, and the discriminator of the unions it belongs to.
    var models: [SchemaID] = []
    var seen: Set<SchemaID> = []
    var unionDiscriminator: [SchemaID: String] = [:]
    var pending = [rootModel]
    while let model = pending.popLast() {
      guard seen.insert(model).inserted else { continue }
      models.append(model)
      for relation in query.shape(of: model).relations {
        for member in relation.members {
          if let discriminator = relation.discriminator { unionDiscriminator[member] = discriminator }
          pending.append(member)
        }
      }
    }
    var shapes: [EntityShape] = []
    var modelByShape: [EntityShape.ID: SchemaID] = [:]
    for model in models {
      let objectShape = query.shape(of: model)
      let id = shapeID(model, in: schemas)
      modelByShape[id] = model
      let discriminator = unionDiscriminator[model]
      let relations = objectShape.relations.map { relation -> EntityShape.Relation in
        let cardinality: EntityShape.Relation.Cardinality
        switch relation.cardinality {
        case .one: cardinality = .single
        case .optional: cardinality = .optional
        case .many: cardinality = .list
        }
        let target: EntityShape.Relation.Target
        if let discriminator = relation.discriminator {
          target = .union(
            EntityShape.DiscriminatedUnion(
              discriminator: discriminator,
              members: relation.tags.map { .init(value: .string($0.tag), shape: shapeID($0.model, in: schemas)) }))
        } else {
          target = .entity(shapeID(relation.members.first ?? model, in: schemas))
        }
        return EntityShape.Relation(name: relation.name, cardinality: cardinality, target: target)
      }
      let identity = query.identityKeys(forItem: model, discriminator: discriminator, configured: configuredKeys)
      shapes.append(
        EntityShape(
          id: id,
          attributes: EntityShape.referenceAttributeOrder(
            fieldOrder: objectShape.attributes, isSliceRoot: model == rootModel, unionDiscriminator: discriminator),
          relations: relations, keys: identity.keys, keySource: identity.source, unionDiscriminator: discriminator))
    }
    return (ShapeCatalog(root: shapeID(rootModel, in: schemas), shapes: shapes), modelByShape)
  }

  /// The reference's read form of a normalised slice (`SliceFile.read()`): every entity object
  /// carries `operation: create`, the root also `version: 0`, `slice_store` and `slice_name`
  /// empty. (Model-only attributes, declared in Python only, cannot be added.)
  public func readForm(of normalized: Value) -> Value {
    readForm(ofPathless: Self.removingPathKeys(normalized))
  }

  /// `readForm(of:)` of a value that holds no `path` key.
  private func readForm(ofPathless normalized: Value) -> Value {
    // The closure captures the one table it needs, not `self`: a captured schema was copied
    // (and released) several times per object, a sixth of a large slice's `check`.
    let modelOnlyByShape = self.modelOnly
    return mapEntities(normalized, target: .entity(catalog.root), isRoot: true) { members, isRoot, shape in
      // Entity objects are small: a scan per added name costs less than a set of every key.
      func isAbsent(_ name: String) -> Bool { !members.contains { $0.key.isString(name) } }
      let managed = isRoot ? Self.rootManagedDefaults : Self.itemManagedDefaults
      let modelOnly = modelOnlyByShape.isEmpty ? [] : modelOnlyByShape[shape] ?? []
      // The shared table itself when every default is added (nearly always): no array per object.
      let before = managed.allSatisfy { isAbsent($0.key.string ?? "") } ? managed : managed.filter { isAbsent($0.key.string ?? "") }
      let after = modelOnly.filter { isAbsent($0.name) }.map { Value.Member($0.name, $0.defaultValue) }
      return EntityRewrite(before: before, after: after)
    }
  }

  /// What `SliceFile.read()` gives an entity object that lacks them, in its order.
  private static let itemManagedDefaults = [Value.Member("operation", .string("create"))]
  private static let rootManagedDefaults =
    itemManagedDefaults + [
      Value.Member("version", .integer(0)), Value.Member("slice_store", .string("")), Value.Member("slice_name", .string("")),
    ]

  /// The inverse of `readForm`: what the reference writes in a file (no managed attributes).
  public func fileContent(of attributes: Value) -> Value {
    let modelOnlyByShape = self.modelOnly  // not `self`: see `readForm(of:)`
    return mapEntities(attributes, target: .entity(catalog.root), isRoot: true) { members, isRoot, shape in
      var dropped: Set<String> =
        isRoot ? ["operation", "path", "version", "slice_store", "slice_name"] : ["operation", "path"]
      for attribute in modelOnlyByShape[shape] ?? [] { dropped.insert(attribute.name) }
      return EntityRewrite(keeps: { !dropped.contains($0.key.string ?? "") })
    }
  }

  /// How `mapEntities` rebuilds one entity object: members put before its own, which of its
  /// own it keeps, members put after.
  struct EntityRewrite {
    var before: [Value.Member] = []
    var keeps: ((Value.Member) -> Bool)? = nil
    var after: [Value.Member] = []
  }

  /// Rebuilds every entity object of a slice (root, embedded objects, list items), found
  /// through the shapes: dict attributes are left alone whatever keys they hold. Each object
  /// becomes one new array, its relations' values rewritten in it (a copy, a rewrite and then
  /// the transform's own array per object were a fifteenth of `export`).
  private func mapEntities(
    _ value: Value, target: EntityShape.Relation.Target, isRoot: Bool,
    _ rewrite: ([Value.Member], Bool, EntityShape.ID) -> EntityRewrite
  ) -> Value {
    guard let members = value.members else { return value }
    guard let shapeID = Self.shapeID(of: members, target: target), let shape = catalog[shapeID] else { return value }
    return mapEntities(members, shape: shape, isRoot: isRoot, rewrite)
  }

  private func mapEntities(
    _ members: [Value.Member], shape: EntityShape, isRoot: Bool,
    _ rewrite: ([Value.Member], Bool, EntityShape.ID) -> EntityRewrite
  ) -> Value {
    let plan = rewrite(members, isRoot, shape.id)
    // Dropping members keeps the others in order, so each relation's first member is the same.
    let own = plan.keeps.map { members.filter($0) } ?? members
    var object: [Value.Member] = []
    object.reserveCapacity(plan.before.count + own.count + plan.after.count)
    object.append(contentsOf: plan.before)
    let offset = object.count
    object.append(contentsOf: own)
    for relation in shape.relations {
      // The first member of that name, as a dict built from the members would not be.
      guard let index = own.firstIndex(where: { $0.key.isString(relation.name) }) else { continue }
      switch own[index].value {
      case .array(let items) where relation.cardinality == .list:
        // The items of a list of one model share its shape: looked up once, not per item.
        // Loops, not `map`: a closure here captured (copied) the whole schema once per object,
        // a tenth of a large slice's `check`.
        var mapped: [Value] = []
        mapped.reserveCapacity(items.count)
        if case .entity(let id) = relation.target, let itemShape = catalog[id] {
          for item in items {
            if let itemMembers = item.members {
              mapped.append(mapEntities(itemMembers, shape: itemShape, isRoot: false, rewrite))
            } else {
              mapped.append(item)
            }
          }
        } else {
          for item in items { mapped.append(mapEntities(item, target: relation.target, isRoot: false, rewrite)) }
        }
        object[offset + index].value = .array(mapped)
      case .object:
        object[offset + index].value = mapEntities(own[index].value, target: relation.target, isRoot: false, rewrite)
      default:
        break
      }
    }
    object.append(contentsOf: plan.after)
    return .object(object)
  }
}

extension StoreSchema {
  /// The class of an object with these members: the target's, or the union member its tag selects.
  static func shapeID(of members: [Value.Member], target: EntityShape.Relation.Target) -> EntityShape.ID? {
    switch target {
    case .entity(let id): return id
    case .union(let union):
      let tag = members.first(where: { $0.key.isString(union.discriminator) })?.value.scalarValue
      return union.member(taggedWith: tag)?.shape
    }
  }
}

extension StoreSchema: SliceWriting {
  public func fileContent(for attributes: Value) throws -> Value {
    fileContent(of: attributes)
  }
}

extension StoreSchema {
  /// The reference strips every `path` key from what it reads, at any depth, plain dict
  /// attributes included (`filter_path`): the compile's dict paths must not come from files.
  static func removingPathKeys(_ value: Value) -> Value {
    pathKeysRemoved(value) ?? value
  }

  /// nil when the value holds no `path` key at any depth: it is then shared, not copied (most
  /// slices hold none, and rebuilding every object was a tenth of a whole `check`).
  private static func pathKeysRemoved(_ value: Value) -> Value? {
    switch value {
    case .scalar:
      return nil
    case .array(let items):
      // Indices, not `enumerated()`: its tuples were destroyed through the runtime's generic
      // tuple witness.
      var cleanedItems: [Value]?
      for index in items.indices where items[index].scalarValue == nil {
        guard let cleaned = pathKeysRemoved(items[index]) else { continue }
        if cleanedItems == nil { cleanedItems = items }
        cleanedItems?[index] = cleaned
      }
      return cleanedItems.map(Value.array)
    case .object(let members):
      var cleanedMembers: [Value.Member]? =
        members.contains { $0.key.isString("path") } ? members.filter { !$0.key.isString("path") } : nil
      let kept = cleanedMembers ?? members
      for index in kept.indices where kept[index].value.scalarValue == nil {
        guard let cleaned = pathKeysRemoved(kept[index].value) else { continue }
        if cleanedMembers == nil { cleanedMembers = kept }
        cleanedMembers?[index].value = cleaned
      }
      return cleanedMembers.map(Value.object)
    }
  }

  /// The read form of a slice file whose source data is `source` (the file's document as
  /// loaded). Unlike the dump it writes, the reference's `SliceFile.read()` keeps compile-managed
  /// attributes written by hand (`operation` in every object, `version`, `slice_store` and
  /// `slice_name` on the root; only `path` is stripped): they take part in the comparison that
  /// decides a new version, and the next update compile removes them from the file.
  ///
  /// The source is read on the located tree: only the few hand-written attributes it supplies
  /// become values (a whole-tree `Value` copy of every file read was a third of `check`).
  ///
  /// `sourceBytes`, the file's bytes: when none of the names can be spelt in them, the tree is
  /// not walked for them (nearly 4 % of `export`, whose active files never write them).
  public func readForm(of normalized: Value, source: Node, sourceBytes: [UInt8]? = nil) -> Value {
    let readForm = readForm(ofPathless: withoutPathKeys(normalized, sourceBytes: sourceBytes))
    if let sourceBytes, !PlaceholderFindings.mayHold(anyOf: handWrittenNames, sourceBytes) { return readForm }
    return handWrittenManagedAttributes(in: readForm, source: source, target: .entity(catalog.root), isRoot: true) ?? readForm
  }

  /// What a merge *without an older version* reads exactly as it reads the read form, at less
  /// cost: the normalised data without `path` keys. Nil where they could differ: a model-only
  /// attribute whose default is not null (the read form adds it; an absent attribute merges as
  /// null), a relation, key or discriminator named like a
  /// managed attribute (the merge would read the added default), a file that may write a
  /// managed attribute by hand, or an empty object (it would read as a deleted slice).
  ///
  /// The read form's additions are then only the managed defaults, which such a merge never
  /// reads: it writes `operation` itself, leaves `path` out, and the root's `version`,
  /// `slice_store` and `slice_name` are set on its result; only the comparison with an older
  /// version would see them. Export merges most slices so (one active version), and building
  /// their read forms was a tenth of its instructions.
  public func mergeFormWithoutOlderVersion(normalized: Value, sourceBytes: [UInt8]) -> Value? {
    guard readFormKeepsIdentities, modelOnly.values.allSatisfy({ $0.allSatisfy { $0.defaultValue == .null } }) else { return nil }
    let form: Value
    if !mayAddPathKeys, !PlaceholderFindings.mayHold(anyOf: handWrittenNamesAndPath, sourceBytes) {
      // One scan of the bytes for both questions (the common case: neither can be spelt).
      form = normalized
    } else {
      guard !PlaceholderFindings.mayHold(anyOf: handWrittenNames, sourceBytes) else { return nil }
      form = withoutPathKeys(normalized, sourceBytes: sourceBytes)
    }
    guard let members = form.members, !members.isEmpty else { return nil }
    return form
  }

  /// `removingPathKeys` of a file's normalised data, without the walk when neither the file's
  /// bytes can spell `path` nor the schema can add one (4 % of an export's instructions).
  private func withoutPathKeys(_ normalized: Value, sourceBytes: [UInt8]?) -> Value {
    if !mayAddPathKeys, let sourceBytes, !PlaceholderFindings.mayHold(Self.pathKeyBytes, sourceBytes) { return normalized }
    return Self.removingPathKeys(normalized)
  }

  private static let pathKeyBytes = Array("path".utf8)

  /// Every name `handWrittenManagedAttributes` looks for, as UTF-8.
  private static func handWrittenNames(modelOnly: [EntityShape.ID: [ModelOnlyAttribute]]) -> [[UInt8]] {
    var names = Set(Self.rootManagedNames + Self.itemManagedNames)
    for attributes in modelOnly.values { names.formUnion(attributes.map(\.name)) }
    return names.sorted().map { Array($0.utf8) }
  }

  /// nil when the source writes none of them at any depth: the value is then shared, not
  /// rebuilt (most slices write none; rebuilding every object of a large slice was costly).
  private func handWrittenManagedAttributes(
    in value: Value, source: Node, target: EntityShape.Relation.Target, isRoot: Bool
  ) -> Value? {
    // `lookup` keeps the last of duplicated keys, as the loaded dict does.
    guard let original = value.members, let entries = source.entries else { return nil }
    guard let shapeID = Self.shapeID(of: original, target: target), let shape = catalog[shapeID] else { return nil }
    var changed: [Value.Member]?
    for relation in shape.relations {
      guard let index = original.firstIndex(where: { $0.key.isString(relation.name) }),
        let sourceValue = source.lookup(relation.name)
      else { continue }
      switch (original[index].value, sourceValue.kind) {
      case (.array(let items), .sequence(let sourceItems)) where relation.cardinality == .list && items.count == sourceItems.count:
        // pydantic keeps the items of a list in their order.
        var rewritten: [Value]?
        for position in items.indices {
          guard
            let item = handWrittenManagedAttributes(
              in: items[position], source: sourceItems[position], target: relation.target, isRoot: false)
          else { continue }
          if rewritten == nil { rewritten = items }
          rewritten?[position] = item
        }
        if let rewritten {
          if changed == nil { changed = original }
          changed?[index].value = .array(rewritten)
        }
      case (.object, .mapping):
        if let object = handWrittenManagedAttributes(
          in: original[index].value, source: sourceValue, target: relation.target, isRoot: false)
        {
          if changed == nil { changed = original }
          changed?[index].value = object
        }
      default:
        break
      }
    }
    let managed = isRoot ? Self.rootManagedNames : Self.itemManagedNames
    let modelOnly = self.modelOnly.isEmpty ? [] : self.modelOnly[shapeID] ?? []
    // One look at the source's keys first: an object that writes no managed or model-only
    // attribute (nearly all) is left as it is.
    let writesAny = entries.contains { entry in
      guard let key = entry.keyString else { return false }
      return managed.contains(key) || modelOnly.contains { $0.name == key }
    }
    guard writesAny else { return changed.map(Value.object) }
    var members = changed ?? original
    for name in managed {
      guard let written = source.lookup(name), let coerced = Self.managedValue(written.value, integer: name == "version"),
        let index = members.firstIndex(where: { $0.key.isString(name) })
      else { continue }
      members[index].value = coerced
    }
    // Model-only attributes are read too (their Python type is unknown: the value is kept as written).
    for attribute in modelOnly {
      guard let written = source.lookup(attribute.name),
        let index = members.firstIndex(where: { $0.key.isString(attribute.name) })
      else { continue }
      members[index].value = written.value
    }
    return .object(members)
  }

  private static let itemManagedNames = ["operation"]
  private static let rootManagedNames = ["operation", "version", "slice_store", "slice_name"]

  /// A hand-written managed attribute as pydantic's lax mode reads it (`version` is an int, the
  /// others strings); nil when it would not validate (the file then fails anyway).
  static func managedValue(_ value: Value, integer: Bool) -> Value? {
    guard case .scalar(let scalar) = value else { return nil }
    guard integer else {
      if case .string = scalar { return value }
      return nil
    }
    switch scalar {
    case .integer: return value
    case .boolean(let flag): return .integer(flag ? 1 : 0)
    case .float(let number):
      guard number.isFinite, number.rounded() == number, let exact = Int(exactly: number) else { return nil }
      return .integer(exact)
    case .string(let text):
      return Int(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")).map(Value.integer)
    default:
      return nil
    }
  }
}
