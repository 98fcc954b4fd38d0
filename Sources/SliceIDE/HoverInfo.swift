import SliceSchema
import SliceStore
import SliceSyntax

/// What a hover shows, protocol-neutral: the server sends `markdown` (or `plainText` to a
/// client without markdown) with `range` converted to its position encoding.
public struct HoverInfo: Sendable, Hashable {
  /// The key or value hovered.
  public var range: ByteRange
  public var markdown: String
  public var plainText: String

  /// The property hovered (its key or its value); nil for a list item.
  public var propertyName: String?
  /// The type as `describeType` says it (`integer`, `list of File | Folder`, `string | null`).
  public var type: String?
  public var isRequired: Bool?
  /// The object the property belongs to, as a dict path (`content[type=folder][name=etc]`).
  public var elementPath: String?
  /// Where the identity keys of the hovered list item (or of the items of the hovered list)
  /// come from: `keys: name (inferred: required scalar properties)`.
  public var identityKeys: String?
  /// The value in the latest active version, when it differs: `active v3: 770`,
  /// `not in active v3`, `not in active v3 (new object)`, `active v3 is a deleted slice`.
  public var activeValue: String?
  /// What the update compile will write instead of this value, when it rewrites it.
  public var coercion: String?
}

extension EditorQueries {
  /// The hover at `offset` of an open file: for a key or a value, what the schema says about
  /// the property, the identity of list items, the latest active value when it differs, and
  /// how the update compile rewrites the value.
  public static func hover(at offset: Int, in file: EditorFile) -> HoverInfo? {
    guard let schema = file.schema, let root = file.tree.root,
      let place = LocatedPlace.find(offset, in: root, document: file.document)
    else { return nil }
    return HoverBuilder(file: file, schema: schema, root: root).hover(place)
  }
}

private struct HoverBuilder {
  let file: EditorFile
  let schema: StoreSchema
  let root: Node
  var query: SchemaQuery { schema.query }
  var facts: SchemaFacts { SchemaFacts(schema: schema) }

  private enum Line {
    case heading(String, String?)
    case paragraph(String)
    case fact(String, String)
    case code(String, String)
    case note(String)
  }

  func hover(_ place: LocatedPlace) -> HoverInfo? {
    let isCollection = place.value.entries != nil || place.value.items != nil
    if place.key == nil, isCollection {
      // Only a list item's indicator shows its item; inside an object's blank space, nothing.
      guard case .index? = place.path.last else { return nil }
      return itemHover(place)
    }
    switch place.path.last {
    case .key(let name)?: return propertyHover(place, name: name)
    case .index?: return itemHover(place)
    case nil: return nil
    }
  }

  // MARK: Properties

  func propertyHover(_ place: LocatedPlace, name: String) -> HoverInfo? {
    let ownerPath = Array(place.path.dropLast())
    let owners = query.schemas(at: ownerPath, in: root)
    let ownerNode = root.node(at: ownerPath[...])
    var property: PropertyInfo?
    var ownerTitle: String?
    for owner in owners {
      if let found = query.properties(of: owner, for: ownerNode).first(where: { $0.name == name }) {
        property = found
        break
      }
      ownerTitle = ownerTitle ?? query.concreteSchemas(owner, for: ownerNode).compactMap { schema.schemas[$0].title }.first
    }
    var lines: [Line] = []
    var info = HoverInfo(range: place.range, markdown: "", plainText: "", propertyName: name)
    let elements = ElementLocator(schema: schema).elements(along: place.path, in: root)
    let element = elements.last
    if let property {
      var heading = [property.type, property.required ? "required" : "optional"]
      if let title = property.title, title != SchemaFacts.automaticTitle(name) { heading.insert(title, at: 0) }
      if property.deprecated { heading.append("deprecated") }
      lines.append(.heading(name, heading.joined(separator: " · ")))
      if let description = property.description { lines.append(.paragraph(description)) }
      if let value = property.defaultValue { lines.append(.code("default", ValueText.short(value, format: file.format))) }
      for (label, value) in facts.constraints(property.schema) { lines.append(.code(label, value)) }
      let allowed = property.allowedValues
      if !allowed.isEmpty, allowed.count <= 12, !isBooleanChoice(allowed) {
        lines.append(.fact("one of", allowed.map { "`" + ValueText.short($0, format: file.format, limit: 40) + "`" }.joined(separator: ", ")))
      }
      info.type = property.type
      info.isRequired = property.required
      // A list of objects: how its items are told apart.
      if let element, let relation = element.shape.relations.first(where: { $0.name == name }), relation.cardinality == .list {
        let keys = identityDescription(relation.target)
        info.identityKeys = keys
        lines.append(.fact("items identified by", keys))
      }
    } else {
      let managed = query.options.managedAttributes + (ownerPath.isEmpty ? query.options.rootManagedAttributes : [])
      if managed.contains(name) {
        lines.append(.heading(name, "managed by the compile"))
        lines.append(.paragraph("The compile sets `\(name)` itself: reading drops it and the next update compile removes it."))
      } else if !owners.isEmpty {
        lines.append(.heading(name, "not in the schema"))
        lines.append(.paragraph("\(ownerTitle.map { "\($0) has" } ?? "This object has") no property `\(name)`: the update compile drops it."))
      } else {
        return nil
      }
    }
    if let element, element.dictPath != .root || element.listRelation != nil {
      info.elementPath = element.dictPath.description
      lines.append(.code("in", element.dictPath.description))
      if element.listRelation != nil, element.depth == ownerPath.count {
        let keys = itemIdentityDescription(element.shape)
        info.identityKeys = info.identityKeys ?? keys
        lines.append(.fact("identity", keys))
      }
    }
    // Attributes only: relations are compared object by object (see the code lens and plan).
    if let property, let element, case .key(let attribute)? = place.path[element.depth...].first,
      !element.shape.relations.contains(where: { $0.name == attribute })
    {
      let remaining = place.path[element.depth...]
      if let active = activeComparison(element: element, remaining: remaining, node: place.value, property: property) {
        info.activeValue = active
        lines.append(.note(active))
      }
    }
    if let property, let coercion = coercionNote(place.value, property: property) {
      info.coercion = coercion
      lines.append(.note(coercion))
    }
    return render(lines, into: info)
  }

  func isBooleanChoice(_ values: [Value]) -> Bool {
    values.allSatisfy { if case .scalar(.boolean) = $0 { return true } else if case .scalar(.null) = $0 { return true } else { return false } }
  }

  // MARK: List items

  func itemHover(_ place: LocatedPlace) -> HoverInfo? {
    let schemas = query.schemas(at: place.path, in: root)
    guard let itemSchema = schemas.first else { return nil }
    var info = HoverInfo(range: place.range, markdown: "", plainText: "")
    var lines: [Line] = []
    let concrete = query.concreteSchemas(itemSchema, for: place.value)
    let title = concrete.count == 1 ? (schema.schemas[concrete[0]].title ?? query.describeType(itemSchema)) : query.describeType(itemSchema)
    info.type = title
    lines.append(.heading(place.path.readable, "item · " + title))
    if concrete.count == 1, let description = schema.schemas[concrete[0]].description { lines.append(.paragraph(description)) }
    let elements = ElementLocator(schema: schema).elements(along: place.path, in: root)
    if let element = elements.last, element.depth == place.path.count, element.listRelation != nil {
      info.elementPath = element.dictPath.description
      let keys = itemIdentityDescription(element.shape)
      info.identityKeys = keys
      lines.append(.code("path", element.dictPath.description))
      lines.append(.fact("identity", keys))
      if let active = activeElementNote(element) {
        info.activeValue = active
        lines.append(.note(active))
      }
    }
    return render(lines, into: info)
  }

  // MARK: Identity keys

  func itemIdentityDescription(_ shape: EntityShape) -> String {
    var parts: [String] = []
    if let discriminator = shape.unionDiscriminator { parts.append("\(discriminator) (union tag)") }
    if !shape.keys.isEmpty || shape.keySource == .none {
      parts.append("keys: " + (shape.keys.isEmpty ? "none" : shape.keys.joined(separator: ", ")) + " (\(shape.keySource.label))")
    }
    return parts.joined(separator: ", then ")
  }

  func identityDescription(_ target: EntityShape.Relation.Target) -> String {
    switch target {
    case .entity(let id):
      return schema.catalog[id].map(itemIdentityDescription) ?? "unknown"
    case .union(let union):
      var descriptions: [String] = []
      for member in union.members {
        guard let shape = schema.catalog[member.shape] else { continue }
        let text = itemIdentityDescription(shape)
        if !descriptions.contains(text) { descriptions.append(text) }
      }
      return descriptions.joined(separator: "; ")
    }
  }

  // MARK: Active version

  /// The latest active version of this source file's slice.
  func latestActive() -> ActiveVersion? {
    guard file.isSource, let name = file.sliceName, let history = file.store?.snapshot.active[name] else { return nil }
    return Versions.latest(of: history)
  }

  func activeComparison(element: ElementOnPath, remaining: ArraySlice<InstancePathComponent>, node: Node, property: PropertyInfo) -> String? {
    guard let latest = latestActive() else { return nil }
    if latest.isDeleted { return "active v\(latest.version) is a deleted slice" }
    guard let steps = schema.catalog.locate(element.dictPath, in: latest.attributes),
      let activeElement = latest.attributes.value(at: steps)
    else {
      return "not in active v\(latest.version) (new object)"
    }
    guard let activeValue = activeElement.value(at: remaining) else { return "not in active v\(latest.version)" }
    let current: Value
    if remaining.count == 1 {
      current = schema.validator.validate(node, against: property.schema).normalized ?? node.value
    } else {
      current = node.value
    }
    if current == activeValue, sameScalarKinds(current, activeValue) { return nil }
    return "active v\(latest.version): " + ValueText.short(activeValue, format: file.format)
  }

  func activeElementNote(_ element: ElementOnPath) -> String? {
    guard let latest = latestActive(), !latest.isDeleted else { return nil }
    if schema.catalog.locate(element.dictPath, in: latest.attributes) == nil {
      return "not in active v\(latest.version) (new object)"
    }
    return nil
  }

  /// Python equality says `1 == 1.0 == True`; a hover shows a change from `true` to `1`.
  func sameScalarKinds(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.scalar(.boolean), .scalar(.boolean)): return true
    case (.scalar(.boolean), .scalar), (.scalar, .scalar(.boolean)): return false
    default: return true
    }
  }

  // MARK: Coercion

  func coercionNote(_ node: Node, property: PropertyInfo) -> String? {
    guard case .scalar = node.kind else { return nil }
    let validation = schema.validator.validate(node, against: property.schema)
    return validation.findings.first { $0.code == FindingCode.coercedValue.rawValue && $0.range == node.range }?.message
  }

  // MARK: Rendering

  /// Markdown: the heading, the paragraphs, then the facts as one list; plain text: one line each.
  private func render(_ lines: [Line], into info: HoverInfo) -> HoverInfo {
    var info = info
    var blocks: [String] = []
    var facts: [String] = []
    var plain: [String] = []
    for line in lines {
      switch line {
      case .heading(let name, let detail):
        blocks.append("**\(name)**" + (detail.map { " — \($0)" } ?? ""))
        plain.append(name + (detail.map { " — \($0)" } ?? ""))
      case .paragraph(let text):
        blocks.append(text)
        plain.append(text)
      case .fact(let label, let text):
        facts.append("- \(label): \(text)")
        plain.append("\(label): \(text.replacingOccurrences(of: "`", with: ""))")
      case .note(let text):
        facts.append("- " + text)
        plain.append(text)
      case .code(let label, let text):
        facts.append("- \(label): `\(text.replacingOccurrences(of: "`", with: "'"))`")
        plain.append("\(label): \(text)")
      }
    }
    if !facts.isEmpty { blocks.append(facts.joined(separator: "\n")) }
    info.markdown = blocks.joined(separator: "\n\n")
    info.plainText = plain.joined(separator: "\n")
    return info
  }
}
