import SliceSchema
import SliceStore
import SliceSyntax

/// One completion proposal, protocol-neutral: the server turns it into an LSP `CompletionItem`.
public struct CompletionCandidate: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    /// A property name (LSP `Property`).
    case property
    /// A value: enum member, const, boolean, null, default (LSP `Value` / `EnumMember`).
    case value
    /// A scaffold of an object or a list item (LSP `Snippet`).
    case snippet
    /// The scaffold of a whole new slice (LSP `File`).
    case file
  }

  public var label: String
  public var kind: Kind
  /// One line beside the label: the type, `required`, the default.
  public var detail: String?
  /// Markdown: title, description, type, default.
  public var documentation: String?
  /// The text replacing `replaceRange`. Lines after the first carry their full indentation, so
  /// the server must ask the client not to re-indent them (LSP `insertTextMode: asIs`).
  public var insertText: String
  /// `insertText` uses snippet syntax (`${1:<REPLACE_THIS>}`, `$0`).
  public var isSnippet: Bool
  /// The bytes replaced: the word or quoted token under the cursor (empty at the cursor when
  /// there is none). Always on the cursor's line and containing the cursor.
  public var replaceRange: ByteRange
  /// Edits elsewhere (a JSON comma after the previous member).
  public var additionalEdits: [TextEdit]
  public var sortText: String
  /// What the client matches the typed text against (includes the quote when the range does).
  public var filterText: String
  /// The candidate to select first (the default value, the required property).
  public var isPreselected: Bool
  public var isDeprecated: Bool

  public init(
    label: String, kind: Kind, detail: String? = nil, documentation: String? = nil, insertText: String,
    isSnippet: Bool = false, replaceRange: ByteRange, additionalEdits: [TextEdit] = [], sortText: String,
    filterText: String? = nil, isPreselected: Bool = false, isDeprecated: Bool = false
  ) {
    self.label = label
    self.kind = kind
    self.detail = detail
    self.documentation = documentation
    self.insertText = insertText
    self.isSnippet = isSnippet
    self.replaceRange = replaceRange
    self.additionalEdits = additionalEdits
    self.sortText = sortText
    self.filterText = filterText ?? label
    self.isPreselected = isPreselected
    self.isDeprecated = isDeprecated
  }
}

extension EditorQueries {
  /// The completions at `offset`. The text may be broken where the user is typing (`  na|`,
  /// `  name: |`, `- |`, `{"na|`): the context is found by re-reading the text with the token
  /// under the cursor replaced (see `CursorContextFinder`). `tree` is the last tree of this
  /// text (used to stay out of block scalars); nil is fine.
  public static func completions(
    document: TextDocument, tree: SyntaxTree?, format: SliceFormat, offset: Int, schema: StoreSchema?
  ) -> [CompletionCandidate] {
    completions(document: document, tree: tree, format: format, offset: offset, schema: schema, windowed: true)
  }

  static func completions(
    document: TextDocument, tree: SyntaxTree?, format: SliceFormat, offset: Int, schema: StoreSchema?, windowed: Bool
  ) -> [CompletionCandidate] {
    guard let schema else { return [] }
    let builder = CompletionBuilder(document: document, tree: tree, format: format, schema: schema)
    var result: [CompletionCandidate] = []
    if CursorContextFinder.isBlank(document, format: format) {
      result.append(builder.fileScaffold(at: offset))
      if format == .json { return result }
    }
    guard let context = CursorContextFinder.find(document: document, tree: tree, format: format, offset: offset, windowed: windowed)
    else {
      return result
    }
    var found = builder.candidates(for: context)
    if context.needsDash, context.replaceRange.lowerBound < document.bytes.count,
      document.bytes[context.replaceRange.lowerBound] == UInt8(ascii: "-")
    {
      // The range holds the dash just typed: the client matches it against the filter text.
      for index in found.indices { found[index].filterText = "- " + found[index].filterText }
    }
    result += found
    return result
  }

  /// Completions for bytes (reads the tree itself).
  public static func completions(bytes: [UInt8], format: SliceFormat, offset: Int, schema: StoreSchema?) -> [CompletionCandidate] {
    completions(
      document: TextDocument(bytes: bytes), tree: SliceReader.read(bytes, format: format), format: format, offset: offset,
      schema: schema)
  }
}

struct CompletionBuilder {
  let document: TextDocument
  let format: SliceFormat
  let schema: StoreSchema
  let facts: SchemaFacts
  let layout: TextLayout
  var placeholder: String { schema.query.options.placeholder }

  init(document: TextDocument, tree: SyntaxTree?, format: SliceFormat, schema: StoreSchema) {
    self.document = document
    self.format = format
    self.schema = schema
    self.facts = SchemaFacts(schema: schema)
    self.layout = TextLayout(document: document, tree: tree)
  }

  // MARK: Dispatch

  func candidates(for context: CursorContext) -> [CompletionCandidate] {
    let query = schema.query
    let schemas = query.schemas(at: context.path, in: context.root)
    guard !schemas.isEmpty else { return [] }
    switch context.role {
    case .key:
      let objectSchemas = schemas.filter { facts.isObjectSchema($0, for: context.mapping) }
      if objectSchemas.isEmpty {
        // `- na|` where the list holds scalars, `subnets:\n  na|`: the word is a value.
        guard !context.keyHasSeparator, (context.mapping?.entries?.count ?? 0) == 1 else { return [] }
        // `content:\n  |` where the list holds objects: a new item, dash included.
        if let items = newItemContext(context) { return itemSnippets(items.context, itemSchemas: items.schemas) }
        var valueContext = context
        valueContext.role = .value
        return valueCandidates(valueContext, schemas: schemas)
      }
      var result = propertyCandidates(context, schemas: objectSchemas)
      if context.isNewListItem {
        result += itemSnippets(context, itemSchemas: schemas)
      }
      return result
    case .value:
      if context.isNewListItem, schemas.contains(where: { facts.isObjectSchema($0) }) {
        return itemSnippets(context, itemSchemas: schemas)
      }
      return valueCandidates(context, schemas: schemas)
    }
  }

  /// The first line under a property whose value is a list of objects, read as a mapping's key
  /// (nothing says it is an item yet): the context of a new item there, `- ` to be inserted.
  func newItemContext(_ context: CursorContext) -> (context: CursorContext, schemas: [SchemaID])? {
    guard format == .yaml, !context.isFlow, !context.needsDash, context.quote == nil else { return nil }
    let itemPath = context.path + [.index(0)]
    let itemSchemas = schema.query.schemas(at: itemPath)
    guard itemSchemas.contains(where: { facts.isObjectSchema($0) }) else { return nil }
    var item = context
    item.role = .value
    item.path = itemPath
    item.mapping = nil
    item.needsDash = true
    item.isNewListItem = true
    item.alignment += "  "
    return (item, itemSchemas)
  }

  // MARK: Properties

  func propertyCandidates(_ context: CursorContext, schemas: [SchemaID]) -> [CompletionCandidate] {
    let query = schema.query
    var properties: [PropertyInfo] = []
    var seen: Set<String> = []
    var discriminators: Set<String> = []
    for id in schemas {
      if let discriminator = facts.discriminator(of: id) { discriminators.insert(discriminator.propertyName) }
      for property in query.properties(of: id, for: context.mapping) where seen.insert(property.name).inserted {
        properties.append(property)
      }
    }
    let managed = Set(query.options.managedAttributes + (context.path.isEmpty ? query.options.rootManagedAttributes : []))
    var result: [CompletionCandidate] = []
    for (index, property) in properties.enumerated() {
      if managed.contains(property.name) { continue }
      // The key being edited keeps its own name available.
      if context.existingKeys.contains(property.name), property.name != context.typed { continue }
      let isDiscriminator = discriminators.contains(property.name)
      let group = isDiscriminator ? 0 : property.required ? 1 : property.deprecated ? 3 : 2
      var detail = property.type
      if isDiscriminator {
        detail += " · discriminator"
      } else if property.required {
        detail += " · required"
      } else if let value = property.defaultValue {
        detail += " · default " + ValueText.short(value, format: format, limit: 30)
      }
      let (text, isSnippet) = propertyInsertText(property, context)
      let filter = format == .json && context.quote != nil ? TextRendering.jsonQuoted(property.name) : property.name
      result.append(
        CompletionCandidate(
          label: property.name, kind: .property, detail: detail, documentation: documentation(property),
          insertText: text, isSnippet: isSnippet, replaceRange: context.replaceRange,
          additionalEdits: commaBeforeEdits(context), sortText: sortKey(group, index), filterText: filter,
          isPreselected: false, isDeprecated: property.deprecated))
    }
    if let first = result.indices.min(by: { result[$0].sortText < result[$1].sortText }) {
      result[first].isPreselected = true
    }
    return result
  }

  func propertyInsertText(_ property: PropertyInfo, _ context: CursorContext) -> (String, Bool) {
    switch format {
    case .yaml: return yamlPropertyText(property, context)
    case .json: return jsonPropertyText(property, context)
    }
  }

  func yamlKey(_ name: String, _ context: CursorContext) -> String {
    switch context.quote {
    case .double?: return TextRendering.jsonQuoted(name)
    case .single?: return "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    case nil: return ValueText.yamlScalar(.string(name))
    }
  }

  func yamlPropertyText(_ property: PropertyInfo, _ context: CursorContext) -> (String, Bool) {
    let key = (context.needsDash ? "- " : "") + yamlKey(property.name, context)
    if context.keyHasSeparator { return (key, false) }
    if context.isFlow { return (key + ": ", false) }
    let lineBreak = layout.lineBreak
    let inner = context.alignment + layout.indentUnit
    switch facts.valueShape(property.schema) {
    case .scalar:
      return (key + ": ", false)
    case .model(let model):
      let members = facts.newObjectMembers(model: model, tag: nil)
      if members.isEmpty {
        return (SnippetText.escape(key) + ":" + lineBreak + inner + "$0", true)
      }
      let lines = ValueText.yamlBlockLines(members, indent: inner)
      let (body, _) = SnippetText.withTabStops(lines.joined(separator: lineBreak), placeholder: placeholder)
      return (SnippetText.escape(key) + ":" + lineBreak + body, true)
    case .list:
      let dash = context.alignment + String(repeating: " ", count: layout.sequenceIndent) + "- "
      return (SnippetText.escape(key) + ":" + lineBreak + dash + "$0", true)
    case .object:
      return (SnippetText.escape(key) + ":" + lineBreak + inner + "$0", true)
    }
  }

  func jsonPropertyText(_ property: PropertyInfo, _ context: CursorContext) -> (String, Bool) {
    let key = SnippetText.escape(TextRendering.jsonQuoted(property.name))
    if context.keyHasSeparator { return (TextRendering.jsonQuoted(property.name), false) }
    let comma = context.commaAfter ? "," : ""
    let lineBreak = layout.lineBreak
    let indent = context.lineIndentation
    let inner = indent + layout.indentUnit
    let value: String
    switch facts.valueShape(property.schema) {
    case .scalar:
      if let defaultValue = property.defaultValue, case .scalar(let scalar) = defaultValue {
        if case .string = scalar {
          value = "\"${1:" + SnippetText.escape(String(ValueText.jsonScalar(scalar).dropFirst().dropLast()), inPlaceholder: true) + "}\""
        } else {
          value = "${1:" + SnippetText.escape(ValueText.jsonScalar(scalar), inPlaceholder: true) + "}"
        }
      } else if isStringSchema(property.schema) {
        value = "\"$1\""
      } else {
        value = "$1"
      }
    case .model(let model):
      let members = facts.newObjectMembers(model: model, tag: nil)
      if members.isEmpty {
        value = "{" + lineBreak + inner + "$1" + lineBreak + indent + "}"
      } else {
        let text = ValueText.jsonPretty(.object(members), indent: indent, unit: layout.indentUnit, lineBreak: lineBreak)
        value = SnippetText.withTabStops(text, placeholder: placeholder).snippet
      }
    case .list:
      value = "[$1]"
    case .object:
      value = "{$1}"
    }
    return (key + ": " + value + comma, true)
  }

  func isStringSchema(_ id: SchemaID) -> Bool {
    schema.query.concreteSchemas(id).contains { schema.schemas[$0].types == .string }
  }

  // MARK: Values

  func valueCandidates(_ context: CursorContext, schemas: [SchemaID]) -> [CompletionCandidate] {
    let query = schema.query
    var values: [(value: Value, description: String?)] = []
    func add(_ value: Value, _ description: String?) {
      if !values.contains(where: { $0.value == value && sameKind($0.value, value) }) { values.append((value, description)) }
    }
    // The owning property's schema carries the default and the description.
    var defaultValue: Value?
    var propertyDescription: String?
    if case .key(let name)? = context.path.last {
      let parentPath = Array(context.path.dropLast())
      for owner in query.schemas(at: parentPath, in: context.root) {
        for property in query.properties(of: owner, for: context.root.node(at: parentPath[...])) where property.name == name {
          defaultValue = defaultValue ?? property.defaultValue
          propertyDescription = propertyDescription ?? property.description
        }
        // A union member's tag: every member's value, described by its class.
        if let discriminator = facts.discriminator(of: owner), discriminator.propertyName == name {
          for entry in discriminator.mapping {
            let member = schema.schemas[query.concreteSchemas(entry.schema).first ?? entry.schema]
            let text = [member.title, member.description].compactMap { $0 }.joined(separator: ": ")
            add(.string(entry.tag), text.isEmpty ? nil : text)
          }
        }
      }
    }
    for id in schemas {
      defaultValue = defaultValue ?? schema.schemas[id].defaultValue
      for value in query.allowedValues(id) { add(value, nil) }
    }
    var result: [CompletionCandidate] = []
    if let defaultValue, case .scalar = defaultValue {
      if let index = values.firstIndex(where: { $0.value == defaultValue && sameKind($0.value, defaultValue) }) {
        values.insert(values.remove(at: index), at: 0)
      } else {
        values.insert((defaultValue, nil), at: 0)
      }
    }
    for (index, entry) in values.enumerated() {
      guard case .scalar(let scalar) = entry.value else { continue }
      let isDefault = defaultValue.map { $0 == entry.value && sameKind($0, entry.value) } ?? false
      let text = valueText(scalar, context)
      var documentation: [String] = []
      if let description = entry.description { documentation.append(description) }
      if let propertyDescription { documentation.append(propertyDescription) }
      let label = format == .json ? ValueText.jsonScalar(scalar) : ValueText.yamlScalar(scalar)
      result.append(
        CompletionCandidate(
          label: label, kind: .value, detail: isDefault ? "default" : nil,
          documentation: documentation.isEmpty ? nil : documentation.joined(separator: "\n\n"), insertText: text,
          replaceRange: context.replaceRange, additionalEdits: commaBeforeEdits(context),
          sortText: sortKey(isDefault ? 0 : 1, index), filterText: filterText(forValue: scalar, context),
          isPreselected: isDefault))
    }
    // An empty value where one object goes: its scaffold.
    if context.typed.isEmpty, !context.isFlow {
      for id in schemas {
        if case .model(let model) = facts.valueShape(id) {
          if let candidate = objectScaffold(context, model: model) { result.append(candidate) }
          break
        }
      }
    }
    return result
  }

  func sameKind(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.scalar(.boolean), .scalar(.boolean)), (.scalar(.string), .scalar(.string)), (.scalar(.null), .scalar(.null)):
      return true
    case (.scalar(.integer), .scalar(.integer)), (.scalar(.float), .scalar(.float)):
      return true
    case (.scalar(.boolean), _), (_, .scalar(.boolean)): return false
    default: return true
    }
  }

  func valueText(_ scalar: Scalar, _ context: CursorContext) -> String {
    var text: String
    switch format {
    case .json:
      text = ValueText.jsonScalar(scalar)
      if context.colonBefore { text = ": " + text }
      if context.commaAfter { text += "," }
    case .yaml:
      if case .string(let string) = scalar, let quote = context.quote {
        text = quote == .double ? TextRendering.jsonQuoted(string) : "'" + string.replacingOccurrences(of: "'", with: "''") + "'"
      } else {
        text = context.isFlow ? ValueText.yamlFlow(.scalar(scalar)) : ValueText.yamlScalar(scalar)
      }
      if context.needsDash { text = "- " + text }
      if context.needsLeadingSpace { text = " " + text }
    }
    return text
  }

  func filterText(forValue scalar: Scalar, _ context: CursorContext) -> String {
    if context.quote != nil, case .string(let string) = scalar {
      return context.quote == .single ? "'" + string + "'" : TextRendering.jsonQuoted(string)
    }
    return format == .json ? ValueText.jsonScalar(scalar) : ValueText.yamlScalar(scalar)
  }

  // MARK: Snippets

  /// A new object of `model` in place of an empty value (`meta: |`).
  func objectScaffold(_ context: CursorContext, model: SchemaID) -> CompletionCandidate? {
    let members = facts.newObjectMembers(model: model, tag: nil)
    guard !members.isEmpty else { return nil }
    let title = schema.schemas[model].title ?? "object"
    let lineBreak = layout.lineBreak
    var text: String
    switch format {
    case .yaml:
      let keyStart = context.ownerKeyStart ?? context.replaceRange.lowerBound
      let inner = TextLayout.alignment(of: keyStart, in: document) + layout.indentUnit
      let lines = ValueText.yamlBlockLines(members, indent: inner)
      text = SnippetText.withTabStops(lineBreak + lines.joined(separator: lineBreak), placeholder: placeholder).snippet
    case .json:
      let pretty = ValueText.jsonPretty(.object(members), indent: context.lineIndentation, unit: layout.indentUnit, lineBreak: lineBreak)
      text = (context.colonBefore ? ": " : "") + SnippetText.withTabStops(pretty, placeholder: placeholder).snippet
        + (context.commaAfter ? "," : "")
    }
    return CompletionCandidate(
      label: "new \(title)", kind: .snippet, detail: "required: " + members.map { $0.key.string ?? "" }.joined(separator: ", "),
      documentation: schema.schemas[model].description, insertText: text, isSnippet: true,
      replaceRange: context.replaceRange, additionalEdits: commaBeforeEdits(context), sortText: sortKey(4, 0),
      filterText: context.typed)
  }

  /// New list items: one per member of the item union (or the one item class), with the tag,
  /// the identity keys and the required properties as tab stops.
  func itemSnippets(_ context: CursorContext, itemSchemas: [SchemaID]) -> [CompletionCandidate] {
    var result: [CompletionCandidate] = []
    let lineBreak = layout.lineBreak
    for itemSchema in itemSchemas {
      for (index, entry) in facts.itemModels(itemSchema).enumerated() {
        let members = facts.newObjectMembers(model: entry.model, tag: entry.tag)
        guard !members.isEmpty else { continue }
        let compiled = schema.schemas[entry.model]
        let title = compiled.title ?? compiled.definitionName ?? "item"
        var text: String
        switch format {
        case .yaml:
          var lines = ValueText.yamlBlockLines(members, indent: context.alignment)
          lines[0] = String(lines[0].dropFirst(context.alignment.count))
          if context.needsDash { lines[0] = "- " + lines[0] }
          text = SnippetText.withTabStops(lines.joined(separator: lineBreak), placeholder: placeholder).snippet
        case .json:
          let pretty = ValueText.jsonPretty(.object(members), indent: context.lineIndentation, unit: layout.indentUnit, lineBreak: lineBreak)
          text = SnippetText.withTabStops(pretty, placeholder: placeholder).snippet + (context.commaAfter ? "," : "")
        }
        let names = members.compactMap { $0.key.string }
        let label = entry.tag.map { "\($0.property): \($0.value)" } ?? "new \(title)"
        var documentation = "A new **\(title)** item"
        if let description = compiled.description { documentation += ": " + description }
        result.append(
          CompletionCandidate(
            label: label, kind: .snippet, detail: "new \(title): " + names.joined(separator: ", "),
            documentation: documentation, insertText: text, isSnippet: true, replaceRange: context.replaceRange,
            additionalEdits: commaBeforeEdits(context), sortText: sortKey(0, index), filterText: names.first.map { $0 + " " + title } ?? title,
            isPreselected: index == 0 && context.role == .value))
      }
    }
    return result
  }

  /// The scaffold of a whole new slice, for an empty file (what `slicels new` writes, with the
  /// placeholders as tab stops).
  func fileScaffold(at offset: Int) -> CompletionCandidate {
    let value = schema.query.scaffold(schema.schemas.root)
    let lineBreak = layout.lineBreak
    var text: String
    switch format {
    case .yaml:
      text = ValueText.yamlBlockLines(value.members ?? [], indent: "").joined(separator: lineBreak) + lineBreak
    case .json:
      text = ValueText.jsonPretty(value, indent: "", unit: layout.indentUnit, lineBreak: lineBreak) + lineBreak
    }
    let root = schema.schemas[schema.schemas.root]
    let title = root.title ?? "slice"
    let offset = min(max(offset, 0), document.bytes.count)
    return CompletionCandidate(
      label: "new \(title) slice", kind: .file, detail: "scaffold of a new slice (like slicels new)",
      documentation: root.description, insertText: SnippetText.withTabStops(text, placeholder: placeholder).snippet,
      isSnippet: true, replaceRange: offset..<offset, sortText: sortKey(0, 0), filterText: "",
      isPreselected: true)
  }

  // MARK: Helpers

  func commaBeforeEdits(_ context: CursorContext) -> [TextEdit] {
    guard let position = context.commaBefore else { return [] }
    return [TextEdit(range: position..<position, newText: ",")]
  }

  func sortKey(_ group: Int, _ index: Int) -> String {
    let digits = String(index)
    return String(group) + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  func documentation(_ property: PropertyInfo) -> String {
    var parts: [String] = []
    var heading = "**\(property.name)**"
    if let title = property.title, title != SchemaFacts.automaticTitle(property.name) { heading += " — \(title)" }
    parts.append(heading)
    if let description = property.description { parts.append(description) }
    var facts = ["type: `\(property.type)`", property.required ? "required" : "optional"]
    if let value = property.defaultValue { facts.append("default: `\(ValueText.short(value, format: format))`") }
    if property.deprecated { facts.append("deprecated") }
    parts.append(facts.joined(separator: " · "))
    return parts.joined(separator: "\n\n")
  }
}
