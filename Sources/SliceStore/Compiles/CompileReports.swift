import Foundation
import SliceSchema
import SliceSyntax

/// Terminal colours, used only when the output is a terminal.
public struct TerminalStyle: Sendable {
  public var colored: Bool
  public init(colored: Bool) { self.colored = colored }

  public func green(_ text: String) -> String { paint(text, "32") }
  public func yellow(_ text: String) -> String { paint(text, "33") }
  public func red(_ text: String) -> String { paint(text, "31") }
  public func bold(_ text: String) -> String { paint(text, "1") }
  public func dim(_ text: String) -> String { paint(text, "2") }

  private func paint(_ text: String, _ code: String) -> String {
    colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}

/// One-line JSON for values shown to people (strings keep their non-ASCII characters).
enum InlineJSON {
  static func text(_ value: Value) -> String {
    switch value {
    case .scalar(.string(let text)): return quoted(text)
    case .scalar(let scalar):
      if let text = try? ReferenceJSONWriter.text(for: .scalar(scalar)) { return text }
      switch scalar {
      case .date(let date), .datetime(let date):
        return String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
      default: return "?"
      }
    case .array(let items): return "[" + items.map(text).joined(separator: ", ") + "]"
    case .object(let members):
      return "{" + members.map { quoted(keyText($0.key.scalar)) + ": " + text($0.value) }.joined(separator: ", ") + "}"
    }
  }

  static func keyText(_ scalar: Scalar) -> String {
    if case .string(let text) = scalar { return text }
    return (try? ReferenceJSONWriter.text(for: .scalar(scalar))) ?? "?"
  }

  static func quoted(_ text: String) -> String {
    JSONStringQuoting.quoted(text, style: .terminal)
  }
}

// MARK: - Export

/// `slicels export`: the merged view the model receives, as JSON or as a tree for people.
public enum ExportReport {
  /// Exactly what `git_ops::unroll_slices` returns, the slices of every store in one list.
  public static func json(_ slices: [UnrolledSlice]) -> String {
    ((try? ReferenceJSONWriter.text(for: .array(slices.map(\.value)))) ?? "[]") + "\n"
  }

  static let rootManaged: Set<String> = ["operation", "path", "version", "slice_store", "slice_name"]

  /// One block per slice: each object with its operation, its attributes under it.
  public static func text(_ slices: [UnrolledSlice], style: TerminalStyle) -> String {
    var lines: [String] = []
    for slice in slices { appendBlock(of: slice, into: &lines, style: style) }
    if slices.isEmpty { lines.append(emptyViewLine) }
    return lines.map { $0 + "\n" }.joined()
  }

  static let emptyViewLine = "No slice in the active store: the model receives an empty list."

  /// One slice's block of the text output: its header line, then its objects.
  static func appendBlock(of slice: UnrolledSlice, into lines: inout [String], style: TerminalStyle) {
    let operation = slice.attributes["operation"]?.scalarValue.flatMap { scalar -> String? in
      if case .string(let text) = scalar { return text }
      return nil
    }
    var header = style.bold("\(slice.storeName)/\(slice.name)") + " v\(slice.version)"
    if let operation { header += " " + marker(operation, style: style) }
    if slice.deleted { header += style.dim(" (deleted slice: everything is purged)") }
    lines.append(header)
    appendObject(slice.attributes, label: nil, parentPath: ".", depth: 1, into: &lines, style: style)
  }

  static func marker(_ operation: String, style: TerminalStyle) -> String {
    switch operation {
    case "create": return style.green("[create]")
    case "update": return style.yellow("[update]")
    case "delete": return style.red("[delete]")
    default: return "[\(operation)]"
    }
  }

  static func isEntity(_ value: Value) -> Bool { value["operation"] != nil && value.members != nil }

  static func appendObject(
    _ object: Value, label: String?, parentPath: String, depth: Int, into lines: inout [String], style: TerminalStyle
  ) {
    let indent = String(repeating: "  ", count: depth)
    let path = object["path"]?.scalarValue.flatMap { scalar -> String? in
      if case .string(let text) = scalar { return text }
      return nil
    }
    var attributeIndent = indent
    if let label {
      let operation = object["operation"].flatMap { InlineJSON.keyText($0.scalarValue ?? .null) } ?? "?"
      lines.append(indent + label + " " + marker(operation, style: style))
      attributeIndent += "  "
    }
    var relations: [(String, Value)] = []
    var attributes: [String] = []
    for member in object.members ?? [] {
      let key = InlineJSON.keyText(member.key.scalar)
      if rootManaged.contains(key) { continue }
      let isRelation: Bool
      switch member.value {
      case .object: isRelation = isEntity(member.value)
      case .array(let items): isRelation = !items.isEmpty && items.allSatisfy(isEntity)
      default: isRelation = false
      }
      if isRelation {
        relations.append((key, member.value))
      } else {
        attributes.append("\(key)=\(InlineJSON.text(member.value))")
      }
    }
    if !attributes.isEmpty { lines.append(attributeIndent + attributes.joined(separator: " ")) }
    let ownPath = path ?? parentPath
    for (name, value) in relations {
      let children: [Value] = value.elements ?? [value]
      for child in children {
        let childPath = child["path"]?.scalarValue.flatMap { scalar -> String? in
          if case .string(let text) = scalar { return text }
          return nil
        }
        var childLabel = childPath ?? name
        let prefix = ownPath == "." ? "" : ownPath + "."
        if !prefix.isEmpty, childLabel.hasPrefix(prefix) { childLabel = String(childLabel.dropFirst(prefix.count)) }
        appendObject(
          child, label: childLabel, parentPath: ownPath, depth: label == nil ? depth : depth + 1, into: &lines,
          style: style)
      }
    }
  }
}

// MARK: - Schema

/// `slicels schema`: a store's models, their properties and identity keys, for people.
public enum SchemaOverview {
  public static func text(store: String, schema: StoreSchema, relativeTo base: URL?, style: TerminalStyle) -> String {
    var lines: [String] = []
    let catalog = schema.catalog
    lines.append(style.bold("Store \(store)") + ": schema \(FindingReport.displayPath(schema.file, relativeTo: base))")
    lines.append("Root model: \(catalog.root)")
    // Models that are list items: only their identity keys matter to the merge.
    var listed: Set<EntityShape.ID> = []
    for shape in catalog.shapes.values {
      for relation in shape.relations where relation.cardinality == .list {
        switch relation.target {
        case .entity(let id): listed.insert(id)
        case .union(let union): union.members.forEach { listed.insert($0.shape) }
        }
      }
    }
    for id in orderedShapes(catalog) {
      guard let shape = catalog[id], let model = schema.modelByShape[id] else { continue }
      lines.append("")
      var title = style.bold(id)
      if id == catalog.root { title += " (root)" }
      if let description = schema.schemas[model].description?.split(separator: "\n").first {
        title += style.dim(" — " + description.trimmingCharacters(in: .whitespaces))
      }
      lines.append(title)
      let properties = schema.query.properties(of: model)
      let modelOnly = schema.modelOnly[id] ?? []
      let nameWidth = (properties.map(\.name.count) + modelOnly.map(\.name.count)).max() ?? 0
      let typeWidth = min(32, properties.map(\.type.count).max() ?? 0)
      for property in properties {
        let name = property.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        let type = property.type.count >= typeWidth ? property.type : property.type.padding(toLength: typeWidth, withPad: " ", startingAt: 0)
        var detail: String
        if property.required {
          detail = "required"
        } else if let value = property.defaultValue {
          detail = "default \(InlineJSON.text(value))"
        } else {
          detail = "optional"
        }
        if property.deprecated { detail += ", deprecated" }
        lines.append("  \(name)  \(type)  \(detail)")
      }
      for attribute in modelOnly {
        let name = attribute.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        lines.append("  \(name)  model-only (slicels.yml), default \(InlineJSON.text(attribute.defaultValue))")
      }
      if let discriminator = shape.unionDiscriminator {
        lines.append("  union member, told apart by '\(discriminator)'")
      }
      if listed.contains(id) {
        let keys = ((shape.unionDiscriminator.map { [$0] } ?? []) + shape.keys)
        let shown = keys.isEmpty ? "none" : keys.joined(separator: ", ")
        lines.append("  identity keys: \(shown) (\(shape.keySource.explanation))")
      }
    }
    return lines.map { $0 + "\n" }.joined()
  }

  /// The root first, then the other models in the order they are reached.
  static func orderedShapes(_ catalog: ShapeCatalog) -> [EntityShape.ID] {
    var order: [EntityShape.ID] = []
    var seen: Set<EntityShape.ID> = []
    var queue = [catalog.root]
    while !queue.isEmpty {
      let id = queue.removeFirst()
      guard seen.insert(id).inserted, let shape = catalog[id] else { continue }
      order.append(id)
      for relation in shape.relations {
        switch relation.target {
        case .entity(let target): queue.append(target)
        case .union(let union): queue += union.members.map(\.shape)
        }
      }
    }
    for id in catalog.shapes.keys.sorted() where !seen.contains(id) { order.append(id) }
    return order
  }

  /// The store's models as JSON, for machines.
  public static func json(store: String, schema: StoreSchema) -> String {
    let catalog = schema.catalog
    let models: [Value] = orderedShapes(catalog).compactMap { id in
      guard let shape = catalog[id], let model = schema.modelByShape[id] else { return nil }
      return .object([
        Value.Member("name", .string(id)),
        Value.Member("root", .boolean(id == catalog.root)),
        Value.Member(
          "properties",
          .array(
            schema.query.properties(of: model).map { property in
              .object([
                Value.Member("name", .string(property.name)),
                Value.Member("type", .string(property.type)),
                Value.Member("required", .boolean(property.required)),
                Value.Member("default", property.defaultValue ?? .null),
              ])
            })),
        Value.Member("union_discriminator", shape.unionDiscriminator.map(Value.string) ?? .null),
        Value.Member("keys", .array(shape.keys.map(Value.string))),
        Value.Member("keys_source", .string(shape.keySource.rawValue)),
      ])
    }
    let document = Value.object([
      Value.Member("store", .string(store)),
      Value.Member("schema", .string(schema.file.path)),
      Value.Member("root", .string(catalog.root)),
      Value.Member("models", .array(models)),
    ])
    return ((try? ReferenceJSONWriter.text(for: document)) ?? "{}") + "\n"
  }
}
