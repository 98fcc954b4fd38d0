import SliceSchema
import SliceStore
import SliceSyntax

/// What the editor features need to know about a schema beyond `SchemaQuery`: how a value of a
/// property is shaped (to lay out an insertion), which union a list item belongs to, and the
/// constraints to show in a hover.
struct SchemaFacts {
  let schema: StoreSchema
  var query: SchemaQuery { schema.query }
  var set: SchemaSet { schema.schemas }

  enum ValueShape: Equatable {
    /// One embedded object class.
    case model(SchemaID)
    /// A list (of models or of scalars).
    case list(items: SchemaID?)
    /// A dict (object without declared properties), or several object classes.
    case object
    case scalar
  }

  func valueShape(_ id: SchemaID) -> ValueShape {
    let concrete = query.concreteSchemas(id).filter { !isNull($0) }
    guard let first = concrete.first else { return .scalar }
    let compiled = set[first]
    if let types = compiled.types {
      if types == .array { return .list(items: compiled.items) }
      if types == .object {
        if concrete.count == 1, !compiled.properties.isEmpty { return .model(first) }
        return .object
      }
    } else if !compiled.properties.isEmpty {
      return concrete.count == 1 ? .model(first) : .object
    }
    return .scalar
  }

  func isNull(_ id: SchemaID) -> Bool { set[id].types == .null }

  /// The title pydantic gives a field without one (`vlan_id` → `Vlan Id`): not worth showing.
  static func automaticTitle(_ name: String) -> String {
    name.split(separator: "_", omittingEmptySubsequences: false).map { word in
      word.prefix(1).uppercased() + word.dropFirst().lowercased()
    }.joined(separator: " ")
  }

  /// Whether objects at this schema have declared properties (a model, or members of a union of models).
  func isObjectSchema(_ id: SchemaID, for node: Node? = nil) -> Bool {
    query.concreteSchemas(id, for: node).contains { !set[$0].properties.isEmpty || set[$0].types == .object }
  }

  /// The discriminated union a schema stands for (through `$ref`, `Optional`), if any.
  func discriminator(of id: SchemaID) -> SchemaDiscriminator? {
    var current = id
    for _ in 0..<32 {
      let compiled = set[current]
      if let discriminator = compiled.discriminator { return discriminator }
      if let ref = compiled.ref, compiled.properties.isEmpty {
        current = ref
        continue
      }
      let alternatives = (compiled.oneOf.isEmpty ? compiled.anyOf : compiled.oneOf).filter { !isNull($0) }
      if alternatives.count == 1 {
        current = alternatives[0]
        continue
      }
      if compiled.allOf.count == 1 {
        current = compiled.allOf[0]
        continue
      }
      return nil
    }
    return nil
  }

  /// The entity shape of a model schema (keys, relations), when the catalog has it.
  func shape(ofModel model: SchemaID) -> EntityShape? {
    schema.catalog[StoreSchema.shapeID(model, in: set)]
  }

  /// The members a new object of `model` needs: the union tag first (when it is a union member),
  /// then its identity keys, then the other required properties, each with its scaffold value.
  func newObjectMembers(model: SchemaID, tag: (property: String, value: String)?) -> [Value.Member] {
    let compiled = set[model]
    var names: [String] = []
    if let tag { names.append(tag.property) }
    for key in shape(ofModel: model)?.keys ?? [] where !names.contains(key) && compiled.property(key) != nil {
      names.append(key)
    }
    for (name, _) in compiled.properties where compiled.required.contains(name) && !names.contains(name) {
      names.append(name)
    }
    return names.compactMap { name -> Value.Member? in
      if let tag, name == tag.property { return Value.Member(name, .string(tag.value)) }
      guard let propertyID = compiled.property(name) else { return nil }
      return Value.Member(name, query.scaffoldValue(for: propertyID, required: true))
    }
  }

  /// The models a list item may be, with their union tag: `[(Folder, ("type", "folder")), …]`.
  func itemModels(_ itemSchema: SchemaID) -> [(model: SchemaID, tag: (property: String, value: String)?)] {
    if let discriminator = discriminator(of: itemSchema) {
      return discriminator.mapping.compactMap { entry in
        guard let model = query.concreteSchemas(entry.schema).first else { return nil }
        return (model, (discriminator.propertyName, entry.tag))
      }
    }
    return query.concreteSchemas(itemSchema).filter { !set[$0].properties.isEmpty }.map { ($0, nil) }
  }

  /// Constraints of a schema and of what it refers to, as `name: value` lines for hovers.
  func constraints(_ id: SchemaID) -> [(String, String)] {
    var result: [(String, String)] = []
    var seen: Set<SchemaID> = []
    var pending = [id] + query.concreteSchemas(id)
    while let next = pending.first {
      pending.removeFirst()
      guard seen.insert(next).inserted else { continue }
      let compiled = set[next]
      func add(_ name: String, _ value: String) {
        if !result.contains(where: { $0.0 == name }) { result.append((name, value)) }
      }
      if let value = compiled.minimum { add("minimum", value.description) }
      if let value = compiled.exclusiveMinimum { add("exclusive minimum", value.description) }
      if let value = compiled.maximum { add("maximum", value.description) }
      if let value = compiled.exclusiveMaximum { add("exclusive maximum", value.description) }
      if let value = compiled.multipleOf { add("multiple of", value.description) }
      if let value = compiled.minLength { add("min length", String(value)) }
      if let value = compiled.maxLength { add("max length", String(value)) }
      if let value = compiled.pattern { add("pattern", value.source) }
      if let value = compiled.format { add("format", value) }
      if let value = compiled.minItems { add("min items", String(value)) }
      if let value = compiled.maxItems { add("max items", String(value)) }
      if compiled.uniqueItems { add("unique items", "yes") }
    }
    return result
  }
}
