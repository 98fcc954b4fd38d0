import SliceSyntax

/// What an editor or the store needs to know about a schema at some place of a slice: the
/// schemas that apply, the properties allowed, the values allowed, a scaffold for a new object,
/// the identity keys of list items and which properties are relations to embedded objects.
public struct SchemaQuery: Sendable {
  public let schemas: SchemaSet
  public let options: SliceValidationOptions

  public init(schemas: SchemaSet, options: SliceValidationOptions = SliceValidationOptions()) {
    self.schemas = schemas
    self.options = options
  }

  /// How pydantic reads the schema; an alias points straight at the end of its chain of aliases
  /// (the walks below are depth-bounded, a long chain must not exhaust their bound).
  func kind(_ id: SchemaID) -> PydanticKind {
    let kind = PydanticKind.classify(schemas[id], in: schemas)
    guard case .alias(var target) = kind else { return kind }
    var links = 0
    while links < schemas.schemas.count, case .alias(let next) = PydanticKind.classify(schemas[target], in: schemas) {
      target = next
      links += 1
    }
    return .alias(target)
  }

  // MARK: Schemas at a place

  /// The concrete schemas a value stands for: through `$ref`, `allOf` wrappers, `Optional`, and the
  /// alternatives of a union (only the one the value's discriminator or `const` property selects,
  /// when `node` is given and selects one).
  public func concreteSchemas(_ id: SchemaID, for node: Node? = nil) -> [SchemaID] {
    var result: [SchemaID] = []
    var seen: Set<SchemaID> = []
    collectConcrete(id, node, &result, &seen, depth: 0)
    return result
  }

  private func collectConcrete(_ id: SchemaID, _ node: Node?, _ result: inout [SchemaID], _ seen: inout Set<SchemaID>, depth: Int) {
    guard depth < 64, seen.insert(id).inserted else { return }
    switch kind(id) {
    case .alias(let target):
      collectConcrete(target, node, &result, &seen, depth: depth + 1)
    case .nullable(let target):
      collectConcrete(target, node, &result, &seen, depth: depth + 1)
    case .nullableUnion(let members), .union(let members):
      if let node, case .member(let index)? = AlternativeChooser(set: schemas).preferred(schemas[id], members, node) {
        collectConcrete(members[index], node, &result, &seen, depth: depth + 1)
      } else {
        for member in members { collectConcrete(member, node, &result, &seen, depth: depth + 1) }
      }
    case .tagged(let discriminator, let members):
      if let node, case .string(let tag)? = node.lookup(discriminator.propertyName)?.scalar,
        let target = discriminator.mapping.first(where: { $0.tag == tag })?.schema
      {
        collectConcrete(target, node, &result, &seen, depth: depth + 1)
      } else {
        for member in members { collectConcrete(member, node, &result, &seen, depth: depth + 1) }
      }
    default:
      result.append(id)
    }
  }

  /// The schemas that apply to the value at `path` (keys and indices from the root). `root` lets
  /// discriminated unions on the way pick their member.
  public func schemas(at path: [InstancePathComponent], in root: Node? = nil) -> [SchemaID] {
    var current = [schemas.root]
    var node = root
    for component in path {
      var next: [SchemaID] = []
      for id in current {
        for concrete in concreteSchemas(id, for: node) {
          if let child = childSchema(concrete, component) { next.append(child) }
        }
      }
      switch component {
      case .key(let name): node = node?.lookup(name)
      case .index(let index): node = node?.items.flatMap { index < $0.count ? $0[index] : nil }
      }
      current = unique(next)
      if current.isEmpty { return [] }
    }
    return current
  }

  /// The path and schemas of the innermost value at a byte offset of the instance.
  public func schemas(atOffset offset: Int, in root: Node) -> (path: [InstancePathComponent], schemas: [SchemaID]) {
    let path = Self.path(to: offset, in: root)
    return (path, schemas(at: path, in: root))
  }

  /// The path of the innermost value (or key) containing `offset`.
  public static func path(to offset: Int, in root: Node) -> [InstancePathComponent] {
    var path: [InstancePathComponent] = []
    var node = root
    while true {
      switch node.kind {
      case .mapping(let entries):
        guard let entry = entries.last(where: { $0.key.range.contains(offset) || $0.value.range.contains(offset) || $0.value.range.upperBound == offset })
        else { return path }
        path.append(.key(entry.keyString ?? PythonText.str(entry.key.scalar ?? .null)))
        if entry.key.range.contains(offset) { return path }
        node = entry.value
      case .sequence(let items):
        guard let index = items.lastIndex(where: { $0.range.contains(offset) || $0.range.upperBound == offset }) else { return path }
        path.append(.index(index))
        node = items[index]
      case .scalar:
        return path
      }
    }
  }

  func childSchema(_ id: SchemaID, _ component: InstancePathComponent) -> SchemaID? {
    let schema = schemas[id]
    switch component {
    case .key(let name):
      if let property = schema.property(name) { return property }
      if let pattern = schema.patternProperties.first(where: { $0.pattern.matches(name, as: .ecma262) }) { return pattern.schema }
      if let additional = schema.additionalProperties, schemas[additional].boolean != false { return additional }
      return nil
    case .index(let index):
      if index < schema.prefixItems.count { return schema.prefixItems[index] }
      return schema.items
    }
  }

  private func unique(_ ids: [SchemaID]) -> [SchemaID] {
    var seen: Set<SchemaID> = []
    return ids.filter { seen.insert($0).inserted }
  }

  // MARK: Scalars at a place

  /// The kinds of scalar the schema accepts at `path`, through references and unions; nil when
  /// no schema applies there (the place is unknown to the schema).
  public func admittedScalars(at path: [InstancePathComponent], in root: Node? = nil) -> AdmittedScalars? {
    let ids = schemas(at: path, in: root)
    guard !ids.isEmpty else { return nil }
    var admitted: AdmittedScalars = []
    for id in ids {
      for concrete in concreteSchemas(id) { admitted.formUnion(admittedScalars(concrete)) }
    }
    return admitted
  }

  private func admittedScalars(_ id: SchemaID) -> AdmittedScalars {
    switch kind(id) {
    case .any: return .all
    case .literal(let values, _):
      var admitted: AdmittedScalars = []
      for value in values {
        switch value.scalarValue {
        case .string?: admitted.insert(.text)
        case .boolean?: admitted.insert(.boolean)
        case .integer?, .float?: admitted.insert(.number)
        default: break
        }
      }
      return admitted
    case .string(let format):
      // pydantic's date and datetime fields take YAML's own dates as well as their text.
      return format == "date" || format == "date-time" ? [.text, .date] : .text
    case .integer, .number: return .number
    case .boolean: return .boolean
    case .multiType(let types):
      var admitted: AdmittedScalars = []
      if types.contains(.string) { admitted.insert(.text) }
      if types.contains(.boolean) { admitted.insert(.boolean) }
      if !types.isDisjoint(with: [.integer, .number]) { admitted.insert(.number) }
      return admitted
    default: return []
    }
  }

  // MARK: Properties

  /// The properties an object at this schema may have, in declaration order, required ones
  /// flagged. With `node`, a union resolves to the member the object selects.
  public func properties(of id: SchemaID, for node: Node? = nil) -> [PropertyInfo] {
    var result: [PropertyInfo] = []
    var seen: NameSet = []
    for concrete in concreteSchemas(id, for: node) {
      let schema = schemas[concrete]
      for (name, propertyID) in schema.properties where seen.insert(name) {
        result.append(propertyInfo(name, propertyID, required: schema.required.contains(name), owner: concrete))
      }
    }
    return result
  }

  func propertyInfo(_ name: String, _ id: SchemaID, required: Bool, owner: SchemaID) -> PropertyInfo {
    let schema = schemas[id]
    let targets = concreteSchemas(id)
    let description = schema.description ?? targets.lazy.compactMap { schemas[$0].description }.first
    let location = schemas.location(of: owner, keyword: nil)
    let keyRange = propertyKeyRange(owner, name) ?? schema.source.range
    return PropertyInfo(
      name: name, schema: id, title: schema.title, description: description, type: describeType(id),
      defaultValue: schema.defaultValue, required: required, deprecated: schema.deprecated,
      allowedValues: allowedValues(id), definitionPath: location.path ?? location.uri, definitionRange: keyRange)
  }

  /// The byte range of a property's key in its model's `properties` (go to definition).
  func propertyKeyRange(_ owner: SchemaID, _ name: String) -> ByteRange? {
    let schema = schemas[owner]
    let document = schemas.documents[schema.source.document]
    guard let tokens = jsonPointerTokens(schema.source.pointer) else { return nil }
    var node = document.root
    for token in tokens {
      if let value = node.lookup(token) {
        node = value
      } else if let items = node.items, let index = Int(token), index < items.count {
        node = items[index]
      } else {
        return nil
      }
    }
    return node.lookup("properties")?.entry(name)?.key.range
  }

  // MARK: Values

  /// The values a property may take when they can be listed: enum members, const, booleans, null.
  public func allowedValues(_ id: SchemaID) -> [Value] {
    var result: [Value] = []
    var seen: Set<SchemaID> = []
    collectAllowed(id, &result, &seen, depth: 0)
    return result
  }

  private func collectAllowed(_ id: SchemaID, _ result: inout [Value], _ seen: inout Set<SchemaID>, depth: Int) {
    guard depth < 32, seen.insert(id).inserted else { return }
    func add(_ value: Value) {
      if !result.contains(where: { jsonValueEquals($0, value) }) { result.append(value) }
    }
    switch kind(id) {
    case .alias(let target): collectAllowed(target, &result, &seen, depth: depth + 1)
    case .nullable(let target):
      collectAllowed(target, &result, &seen, depth: depth + 1)
      add(.null)
    case .nullableUnion(let members):
      for member in members { collectAllowed(member, &result, &seen, depth: depth + 1) }
      add(.null)
    case .union(let members):
      for member in members { collectAllowed(member, &result, &seen, depth: depth + 1) }
    case .literal(let values, _): values.forEach(add)
    case .boolean:
      add(.boolean(true))
      add(.boolean(false))
    case .null: add(.null)
    default: break
    }
  }

  /// A short type description for hovers (`integer`, `list of Folder`, `string | null`).
  public func describeType(_ id: SchemaID, depth: Int = 0) -> String {
    guard depth < 8 else { return "…" }
    let schema = schemas[id]
    switch kind(id) {
    case .any: return "any"
    case .never: return "nothing"
    case .alias(let target): return describeType(target, depth: depth + 1)
    case .nullable(let target): return describeType(target, depth: depth + 1) + " | null"
    case .nullableUnion(let members): return members.map { describeType($0, depth: depth + 1) }.joined(separator: " | ") + " | null"
    case .union(let members), .tagged(_, let members): return members.map { describeType($0, depth: depth + 1) }.joined(separator: " | ")
    case .literal(let values, _): return values.map(renderValue).joined(separator: " | ")
    case .string(let format): return format.map { "string (\($0))" } ?? "string"
    case .integer: return "integer"
    case .number: return "number"
    case .boolean: return "boolean"
    case .null: return "null"
    case .list, .set: return "list of " + (schema.items.map { describeType($0, depth: depth + 1) } ?? "any")
    case .tuple: return "tuple"
    case .dict: return "dict of " + (schema.additionalProperties.map { describeType($0, depth: depth + 1) } ?? "any")
    case .model: return schema.title ?? schema.definitionName ?? "object"
    case .multiType(let types): return SliceSchema.describe(types)
    }
  }

  // MARK: Scaffolds

  /// A new object for this schema, like the reference's `slice-create`: required properties get
  /// the placeholder, optional ones their default, embedded objects are scaffolded recursively.
  public func scaffold(_ id: SchemaID) -> Value {
    scaffold(id, depth: 0)
  }

  func scaffold(_ id: SchemaID, depth: Int) -> Value {
    guard depth < 32 else { return .string(options.placeholder) }
    let concrete = concreteSchemas(id)
    guard concrete.count == 1, let modelID = concrete.first, case .model = kind(modelID) else {
      return .string(options.placeholder)
    }
    let model = schemas[modelID]
    return .object(
      model.properties.map { name, propertyID in
        Value.Member(name, scaffoldValue(for: propertyID, required: model.required.contains(name), depth: depth + 1))
      })
  }

  /// The scaffold value of one property (see `scaffold`).
  public func scaffoldValue(for propertyID: SchemaID, required: Bool) -> Value {
    scaffoldValue(for: propertyID, required: required, depth: 0)
  }

  func scaffoldValue(for propertyID: SchemaID, required: Bool, depth: Int) -> Value {
    if let model = singleModel(propertyID) { return scaffold(model, depth: depth) }
    if !required {
      if let value = schemas[propertyID].defaultValue { return value }
      if let value = implicitDefault(propertyID) { return value }
    }
    return .string(options.placeholder)
  }

  /// The model of a property annotated with exactly one embedded model class (not optional, not a
  /// union, not a list).
  func singleModel(_ id: SchemaID) -> SchemaID? {
    var current = id
    for _ in 0..<32 {
      switch kind(current) {
      case .alias(let target): current = target
      case .model: return current
      default: return nil
      }
    }
    return nil
  }

  func implicitDefault(_ id: SchemaID) -> Value? {
    var current = id
    for _ in 0..<32 {
      switch kind(current) {
      case .alias(let target): current = target
      case .nullable, .nullableUnion, .null: return .null
      case .list, .set, .tuple: return .array([])
      case .dict: return .object([])
      default: return nil
      }
    }
    return nil
  }

  /// An object of a model's defaults (what `default_factory=Model` builds). A property without a
  /// schema default whose type is a model is built the same way (a factory-built object holding
  /// factory-built objects itself), to a bounded depth.
  func defaultsOnly(_ id: SchemaID, depth: Int = 0) -> Value? {
    guard depth < 32 else { return nil }
    let model = schemas[id]
    var members: [Value.Member] = []
    for (name, propertyID) in model.properties {
      if model.required.contains(name) { return nil }
      if let value = schemas[propertyID].defaultValue ?? implicitDefault(propertyID) {
        members.append(Value.Member(name, value))
      } else if let nested = singleModel(propertyID), let value = defaultsOnly(nested, depth: depth + 1) {
        members.append(Value.Member(name, value))
      } else {
        return nil
      }
    }
    return .object(members)
  }

  // MARK: Identity keys and shapes

  /// The identity keys of items of a list relation whose items follow `itemSchema` (a model or a
  /// union member): `x-git-ops-keys` on the model, else configured keys (by definition name or
  /// title), else the required scalar properties in schema order. Union members are identified
  /// by their discriminator first.
  public func identityKeys(
    forItem itemSchema: SchemaID, discriminator: String? = nil, configured: [String: [String]] = [:]
  ) -> IdentityKeys {
    let concrete = concreteSchemas(itemSchema)
    let modelID = concrete.first ?? itemSchema
    let model = schemas[modelID]
    var union = discriminator
    if union == nil, case .tagged(let tagged, _) = firstTagged(itemSchema) { union = tagged.propertyName }
    if let keys = model.gitOpsKeys ?? schemas[itemSchema].gitOpsKeys {
      return IdentityKeys(discriminator: union, keys: keys.filter { $0 != union }, source: .schemaExtension)
    }
    for name in [model.definitionName, model.title].compactMap({ $0 }) {
      if let keys = configured[name] {
        return IdentityKeys(discriminator: union, keys: keys.filter { $0 != union }, source: .configuration)
      }
    }
    let inferred = model.properties.filter { name, propertyID in
      name != union && model.required.contains(name) && isScalar(propertyID)
    }.map(\.name)
    return IdentityKeys(discriminator: union, keys: inferred, source: inferred.isEmpty ? .none : .inferred)
  }

  func firstTagged(_ id: SchemaID) -> PydanticKind? {
    var current = id
    for _ in 0..<32 {
      let currentKind = kind(current)
      switch currentKind {
      case .alias(let target), .nullable(let target): current = target
      case .tagged: return currentKind
      default: return nil
      }
    }
    return nil
  }

  func isScalar(_ id: SchemaID) -> Bool {
    var current = id
    for _ in 0..<32 {
      switch kind(current) {
      case .alias(let target), .nullable(let target): current = target
      case .string, .integer, .number, .boolean, .literal: return true
      default: return false
      }
    }
    return false
  }

  /// How an object's properties split into primitive attributes and relations to embedded
  /// objects, the way the reference's entity schema sees its pydantic fields.
  public func shape(of id: SchemaID) -> ObjectShape {
    let concrete = concreteSchemas(id)
    guard let modelID = concrete.first else { return ObjectShape(model: id, attributes: [], relations: []) }
    let model = schemas[modelID]
    var attributes: [String] = []
    var relations: [Relation] = []
    for (name, propertyID) in model.properties {
      if let relation = relation(name, propertyID, required: model.required.contains(name)) {
        relations.append(relation)
      } else {
        attributes.append(name)
      }
    }
    return ObjectShape(model: modelID, attributes: attributes, relations: relations)
  }

  func relation(_ name: String, _ id: SchemaID, required: Bool) -> Relation? {
    var current = id
    var cardinality = Relation.Cardinality.one
    var throughList = false
    for _ in 0..<32 {
      switch kind(current) {
      case .alias(let target):
        current = target
      case .nullable(let target):
        if throughList { return nil }
        cardinality = .optional
        current = target
      case .list where !throughList:
        guard let items = schemas[current].items else { return nil }
        throughList = true
        cardinality = .many
        current = items
      case .model:
        return Relation(name: name, schema: id, cardinality: cardinality, members: [current], discriminator: nil)
      case .tagged(let discriminator, let members):
        let models = members.flatMap { concreteSchemas($0) }
        return Relation(
          name: name, schema: id, cardinality: cardinality, members: models, discriminator: discriminator.propertyName,
          tags: discriminator.mapping.map { ($0.tag, concreteSchemas($0.schema).first ?? $0.schema) })
      default:
        return nil
      }
    }
    return nil
  }
}

/// A property of an object schema, for completion and hover.
public struct PropertyInfo: Sendable {
  public var name: String
  public var schema: SchemaID
  public var title: String?
  public var description: String?
  /// A short type description (`integer`, `list of Folder`, `string | null`).
  public var type: String
  public var defaultValue: Value?
  public var required: Bool
  public var deprecated: Bool
  public var allowedValues: [Value]
  /// Where the property is defined: the schema file and the byte range of its key there.
  public var definitionPath: String
  public var definitionRange: ByteRange
}

/// The identity of list items: the discriminator (for union members) then the keys.
public struct IdentityKeys: Sendable, Hashable {
  public var discriminator: String?
  public var keys: [String]
  /// Never `.reference` (only fixtures recorded from the reference give keys that way).
  public var source: KeySource

  /// All identifying property names, discriminator first.
  public var all: [String] { (discriminator.map { [$0] } ?? []) + keys }
}

/// An object's properties split into primitive attributes and relations to embedded objects.
public struct ObjectShape: Sendable {
  /// The concrete model schema.
  public var model: SchemaID
  /// Scalars, lists of scalars, dicts: merged as a whole.
  public var attributes: [String]
  /// Embedded objects: merged recursively (one, optional) or item by item (many).
  public var relations: [Relation]
}

/// A property holding embedded objects.
public struct Relation: Sendable {
  public enum Cardinality: Sendable, Hashable {
    /// A required embedded object.
    case one
    /// `Optional[Model]`.
    case optional
    /// A list of embedded objects.
    case many
  }
  public var name: String
  /// The property's schema.
  public var schema: SchemaID
  public var cardinality: Cardinality
  /// The model schemas of the embedded objects (several for a discriminated union).
  public var members: [SchemaID]
  /// The discriminator property when the objects are a discriminated union.
  public var discriminator: String?
  /// Discriminator value → member model.
  public var tags: [(tag: String, model: SchemaID)] = []

  /// The member model an embedded object (as a value) belongs to.
  public func member(for value: Value) -> SchemaID? {
    guard let discriminator else { return members.first }
    guard case .string(let tag)? = value[discriminator]?.scalarValue else { return nil }
    return tags.first(where: { $0.tag == tag })?.model
  }
}

/// Kinds of scalar a place of a slice accepts (`SchemaQuery.admittedScalars`).
public struct AdmittedScalars: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }
  public static let text = AdmittedScalars(rawValue: 1)
  public static let boolean = AdmittedScalars(rawValue: 2)
  public static let number = AdmittedScalars(rawValue: 4)
  public static let date = AdmittedScalars(rawValue: 8)
  public static let all: AdmittedScalars = [.text, .boolean, .number, .date]
}
