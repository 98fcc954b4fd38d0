import Foundation
import SliceSyntax

/// Loads a JSON Schema (draft 2020-12, 2019-09 or draft-07) into a `SchemaSet`: every schema object
/// compiled once, `$ref`/`$dynamicRef`/`$anchor`/`$id` resolved, positions kept.
///
/// Referenced documents come from the `provider`; the standard metaschemas are built in. Nothing is
/// fetched from the network. A hostile schema yields `SchemaLoadError`s, never a crash or a hang:
/// nesting depth, the number of schema objects and of documents are bounded, invalid regular
/// expressions are reported, and `$ref` cycles that never consume the instance are cut.
public struct SchemaLoader: Sendable {
  public var provider: any SchemaDocumentProvider
  /// Deepest nesting of schema objects compiled.
  public var maximumDepth: Int
  /// Most schema objects compiled over all documents.
  public var maximumSchemas: Int
  /// Most documents loaded (the root and referenced ones).
  public var maximumDocuments: Int

  public init(
    provider: any SchemaDocumentProvider = InMemorySchemaDocuments([:]), maximumDepth: Int = 200,
    maximumSchemas: Int = 500_000, maximumDocuments: Int = 100
  ) {
    self.provider = provider
    self.maximumDepth = maximumDepth
    self.maximumSchemas = maximumSchemas
    self.maximumDocuments = maximumDocuments
  }

  /// Loads a schema file. References to other files are resolved through the provider
  /// (by default: files inside the schema's own directory tree).
  public static func load(fileAt path: String, projectRoot: String? = nil, reader: FileReader = FileReader()) -> SchemaSet {
    let root = projectRoot ?? URL(fileURLWithPath: path).deletingLastPathComponent().path
    let loader = SchemaLoader(provider: ProjectSchemaFiles(root: root, maximumFileSize: reader.maximumSize))
    let uri = fileURI(forPath: path)
    switch reader.read(path) {
    case .success(let bytes): return loader.load(bytes: bytes, uri: uri, filePath: path)
    case .failure(let failure): return loader.failedSet(uri: uri, message: "cannot read the schema file \(path): \(failure)")
    }
  }

  /// Loads a schema from its text, under the given base URI.
  public func load(text: String, uri: String = "file:///schema.json", filePath: String? = nil) -> SchemaSet {
    load(bytes: Array(text.utf8), uri: uri, filePath: filePath)
  }

  public func load(bytes: [UInt8], uri: String = "file:///schema.json", filePath: String? = nil) -> SchemaSet {
    let tree = JSONReader().read(bytes)
    guard let root = tree.root, tree.loads else {
      let finding = tree.findings.first
      var set = failedSet(uri: uri, message: "the schema is not valid JSON: \(finding?.message ?? "unreadable")")
      set = SchemaSet(
        root: set.root, schemas: set.schemas, documents: set.documents,
        errors: set.errors.map { error in
          var error = error
          error.range = finding?.range ?? 0..<0
          return error
        }, resources: set.resources)
      return set
    }
    return load(node: root, uri: uri, filePath: filePath)
  }

  /// Loads a schema already read as a located tree.
  public func load(node: Node, uri: String = "file:///schema.json", filePath: String? = nil) -> SchemaSet {
    let state = LoaderState(loader: self)
    let documentURI = URIReference(parsing: uri).withoutFragment.text
    let rootID = state.addDocument(node: node, uri: documentURI, filePath: filePath)
    state.finish()
    return SchemaSet(
      root: rootID, schemas: state.schemas.map(CompiledSchema.init), documents: state.documents, errors: state.errors,
      resources: state.resources, longestInPlaceChain: state.longestInPlaceChain)
  }

  func failedSet(uri: String, message: String) -> SchemaSet {
    let placeholder = Node(kind: .scalar(.boolean(true)), range: 0..<0, style: .json)
    let state = LoaderState(loader: self)
    let rootID = state.addDocument(node: placeholder, uri: uri, filePath: nil)
    state.errors.append(SchemaLoadError(code: FindingCode.schemaLoad.rawValue, message: message, document: nil, documentURI: uri, range: 0..<0))
    return SchemaSet(root: rootID, schemas: state.schemas.map(CompiledSchema.init), documents: state.documents, errors: state.errors, resources: state.resources)
  }
}

private struct LocationKey: Hashable {
  var document: Int
  var start: Int
  var end: Int
}

private struct CompileContext {
  var document: Int
  var baseURI: String
  var pointer: String
  var draft: SchemaDraft
  /// False when the resource's metaschema leaves out the validation vocabulary.
  var validationVocabulary: Bool
  var resource: Int
  var depth: Int
  var isDocumentRoot: Bool
  var definitionName: String?
}

private enum PendingKind {
  case ref
  case dynamicRef
  case discriminatorMapping(tag: String)
}

private struct PendingReference {
  var schema: SchemaID
  var kind: PendingKind
  var reference: String
  var baseURI: String
  var document: Int
  var range: ByteRange
}

/// The mutable side of loading; discarded once the `SchemaSet` is built.
private final class LoaderState {
  let loader: SchemaLoader
  var schemas: [SchemaBuilder] = []
  var documents: [SchemaDocument] = []
  var errors: [SchemaLoadError] = []
  var resources: [SchemaResource] = []
  var resourceByURI: [String: Int] = [:]
  var documentByURI: [String: Int?] = [:]
  var compiled: [LocationKey: SchemaID] = [:]
  var pending: [PendingReference] = []
  var metaschemaCache: [String: (SchemaDraft, Bool)] = [:]
  var schemaLimitReported = false
  var resourceRootPointer: [Int: String] = [:]
  /// Name → position of the members of large objects that JSON pointers went through.
  var memberIndexes: [LocationKey: NameMap<Int>] = [:]
  /// See `SchemaSet.longestInPlaceChain`.
  var longestInPlaceChain = 0

  init(loader: SchemaLoader) { self.loader = loader }

  // MARK: Documents

  func addDocument(node: Node, uri: String, filePath: String?) -> SchemaID {
    let index = documents.count
    documents.append(SchemaDocument(uri: uri, filePath: filePath, root: node))
    documentByURI[uri] = index
    var draft = SchemaDraft.draft2020_12
    var validation = true
    if case .string(let metaschema)? = node.lookup("$schema")?.scalar {
      (draft, validation) = metaschemaInfo(metaschema, document: index, range: node.range)
    }
    let context = CompileContext(
      document: index, baseURI: uri, pointer: "", draft: draft, validationVocabulary: validation, resource: -1,
      depth: 0, isDocumentRoot: true, definitionName: nil)
    return compile(node, context)
  }

  /// The document at an absolute URI, loading it on first use.
  func loadDocument(_ uri: String, from document: Int, range: ByteRange) -> Int? {
    if let known = documentByURI[uri] { return known }
    documentByURI[uri] = .some(nil)
    let bytes: [UInt8]
    var filePath: String?
    if let builtIn = BuiltInSchemas.documents[uri] ?? BuiltInSchemas.documents[uri.hasSuffix("#") ? String(uri.dropLast()) : uri] {
      bytes = Array(builtIn.utf8)
    } else {
      guard documents.count < loader.maximumDocuments else {
        report(.schemaLoad, "more than \(loader.maximumDocuments) schema documents are referenced; \(uri) is not loaded", document, range)
        return nil
      }
      switch loader.provider.document(for: uri) {
      case .found(let found, let path):
        bytes = found
        filePath = path
      case .notFound(let reason):
        report(.schemaRefUnresolved, "cannot resolve the reference to \(uri): \(reason)", document, range)
        return nil
      case .refused(let reason):
        report(.schemaRefRefused, reason, document, range)
        return nil
      }
    }
    let tree = JSONReader().read(bytes)
    guard let root = tree.root, tree.loads else {
      report(.schemaLoad, "\(uri) is not valid JSON: \(tree.findings.first?.message ?? "unreadable")", document, range)
      return nil
    }
    let index = documents.count
    _ = addDocument(node: root, uri: uri, filePath: filePath)
    return index
  }

  func metaschemaInfo(_ metaschema: String, document: Int, range: ByteRange) -> (SchemaDraft, Bool) {
    let uri = URIReference(parsing: metaschema).withoutFragment.text
    switch uri {
    case "https://json-schema.org/draft/2020-12/schema": return (.draft2020_12, true)
    case "https://json-schema.org/draft/2019-09/schema": return (.draft2019_09, true)
    case "http://json-schema.org/draft-07/schema", "http://json-schema.org/draft-06/schema",
      "http://json-schema.org/draft-04/schema":
      return (.draft07, true)
    default: break
    }
    if let cached = metaschemaCache[uri] { return cached }
    metaschemaCache[uri] = (.draft2020_12, true)
    guard let index = loadDocument(uri, from: document, range: range) else { return (.draft2020_12, true) }
    let root = documents[index].root
    var draft = SchemaDraft.draft2020_12
    if case .string(let parent)? = root.lookup("$schema")?.scalar, parent != metaschema {
      draft = metaschemaInfo(parent, document: index, range: root.range).0
    }
    var validation = true
    if let vocabularies = root.lookup("$vocabulary")?.entries {
      let names = vocabularies.compactMap(\.keyString)
      validation = names.contains { $0.hasSuffix("/vocab/validation") }
    }
    metaschemaCache[uri] = (draft, validation)
    return (draft, validation)
  }

  func report(_ code: FindingCode, _ message: String, _ document: Int, _ range: ByteRange) {
    let uri = document < documents.count ? documents[document].uri : ""
    errors.append(SchemaLoadError(code: code.rawValue, message: message, document: document, documentURI: uri, range: range))
  }

  // MARK: Compiling schema objects

  func newSchema(_ node: Node, _ context: CompileContext, resource: Int) -> SchemaBuilder {
    let id = SchemaID(schemas.count)
    let schema = SchemaBuilder(
      id: id, source: SchemaSource(document: context.document, pointer: context.pointer, range: node.range),
      baseURI: context.baseURI, resource: resource, draft: context.draft)
    schemas.append(schema)
    compiled[LocationKey(document: context.document, start: node.range.lowerBound, end: node.range.upperBound)] = id
    return schema
  }

  func compile(_ node: Node, _ incoming: CompileContext) -> SchemaID {
    let key = LocationKey(document: incoming.document, start: node.range.lowerBound, end: node.range.upperBound)
    if let existing = compiled[key] { return existing }
    if let placeholder = placeholderBeyondLimits(node, incoming) { return placeholder }
    guard let entries = node.entries else { return compileNonObject(node, incoming) }
    let (schema, context) = openSchemaObject(node, incoming)
    var reader = KeywordReader(state: self, node: node, schema: schema, context: context)
    reader.read(entries)
    return schema.id
  }

  /// Past the depth or size bound the rest of a schema is not read: it accepts everything, so
  /// a hostile schema costs a bounded amount of work and reports why.
  private func placeholderBeyondLimits(_ node: Node, _ context: CompileContext) -> SchemaID? {
    guard context.depth > loader.maximumDepth || schemas.count >= loader.maximumSchemas else { return nil }
    if context.depth > loader.maximumDepth {
      report(.schemaTooDeep, "schema objects are nested deeper than \(loader.maximumDepth) levels; the rest is not read", context.document, node.range)
    } else if !schemaLimitReported {
      schemaLimitReported = true
      report(.schemaTooLarge, "the schema has more than \(loader.maximumSchemas) schema objects; the rest is not read", context.document, node.range)
    }
    let schema = newSchema(node, context, resource: max(context.resource, 0))
    schema.boolean = true
    return schema.id
  }

  /// A boolean schema, or a value that is no schema at all (reported, then read as `true`).
  private func compileNonObject(_ node: Node, _ context: CompileContext) -> SchemaID {
    if case .scalar(.boolean(let flag)) = node.kind {
      let resource = context.isDocumentRoot ? registerResource(uri: context.baseURI, node: node, context: context) : context.resource
      let schema = newSchema(node, context, resource: resource)
      schema.boolean = flag
      if context.isDocumentRoot { resources[resource].root = schema.id }
      return schema.id
    }
    report(.schemaInvalid, "a schema must be an object or a boolean", context.document, node.range)
    let schema = newSchema(node, context, resource: max(context.resource, 0))
    schema.boolean = true
    return schema.id
  }

  /// The identity keywords, read before the others since they decide the base URI, the resource
  /// and the dialect every other keyword of the object is read in: `$schema` on an embedded
  /// resource and `$id` (a legacy `#name` id is an anchor).
  private func openSchemaObject(_ node: Node, _ incoming: CompileContext) -> (SchemaBuilder, CompileContext) {
    var context = incoming
    if !context.isDocumentRoot, case .string(let metaschema)? = node.lookup("$schema")?.scalar,
      node.lookup("$id") != nil
    {
      (context.draft, context.validationVocabulary) = metaschemaInfo(metaschema, document: context.document, range: node.range)
    }
    let legacy = context.draft.isLegacy
    let hasLegacyRef = legacy && node.lookup("$ref") != nil

    var anchorFromID: String?
    var newResourceURI: String?
    if !hasLegacyRef, case .string(let identifier)? = node.lookup("$id")?.scalar {
      if legacy && identifier.hasPrefix("#") {
        anchorFromID = String(identifier.dropFirst())
      } else {
        let resolved = URIReference(parsing: context.baseURI).resolving(URIReference(parsing: identifier))
        if let fragment = resolved.fragment, !fragment.isEmpty, legacy { anchorFromID = fragment }
        newResourceURI = resolved.withoutFragment.text
      }
    }
    var resource = context.resource
    if let newResourceURI {
      if context.isDocumentRoot {
        // Reachable both under the retrieval URI and under its own $id.
        resource = registerResource(uri: context.baseURI, node: node, context: context)
        resourceByURI[newResourceURI] = resource
        resources[resource].uri = newResourceURI
      } else {
        resource = registerResource(uri: newResourceURI, node: node, context: context)
      }
      context.baseURI = newResourceURI
    } else if context.isDocumentRoot {
      resource = registerResource(uri: context.baseURI, node: node, context: context)
    }
    context.resource = resource
    context.isDocumentRoot = false

    let schema = newSchema(node, context, resource: resource)
    if newResourceURI != nil || incoming.isDocumentRoot { resources[resource].root = schema.id }
    schema.definitionName = incoming.definitionName
    if let anchorFromID { resources[resource].anchors[anchorFromID] = schema.id }
    return (schema, context)
  }

  func compileDiscriminator(_ value: Node, _ schema: SchemaBuilder, _ context: CompileContext) {
    guard case .string(let propertyName)? = value.lookup("propertyName")?.scalar else {
      // OpenAPI's discriminator without propertyName is meaningless; pydantic always writes it.
      return
    }
    schema.discriminator = SchemaDiscriminator(propertyName: propertyName, mapping: [])
    guard let mapping = value.lookup("mapping")?.entries else { return }
    for member in mapping {
      guard let tag = member.keyString, case .string(let reference)? = member.value.scalar else { continue }
      pending.append(
        PendingReference(
          schema: schema.id, kind: .discriminatorMapping(tag: tag), reference: reference, baseURI: context.baseURI,
          document: context.document, range: member.value.range))
    }
  }

  func registerResource(uri: String, node: Node, context: CompileContext) -> Int {
    if let existing = resourceByURI[uri], resources[existing].document == context.document,
      resources[existing].rootNode.range == node.range
    {
      return existing
    }
    let index = resources.count
    resources.append(SchemaResource(uri: uri, root: SchemaID(-1), document: context.document, rootNode: node))
    resourceRootPointer[index] = context.pointer
    resourceByURI[uri] = index
    return index
  }

  // MARK: Resolving references

  func finish() {
    var cursor = 0
    while cursor < pending.count {
      let reference = pending[cursor]
      cursor += 1
      resolve(reference)
    }
    pending.removeAll()
    deriveDiscriminatorMappings()
    cutInPlaceCycles()
  }

  func resolve(_ pending: PendingReference) {
    let absolute = URIReference(parsing: pending.baseURI).resolving(URIReference(parsing: pending.reference)).text
    guard let target = lookup(absolute, from: pending.document, range: pending.range) else {
      if !errors.contains(where: { $0.range == pending.range && $0.document == pending.document }) {
        report(.schemaRefUnresolved, "cannot resolve the reference '\(pending.reference)'", pending.document, pending.range)
      }
      return
    }
    let schema = schemas[pending.schema.index]
    switch pending.kind {
    case .ref:
      schema.ref = target
    case .dynamicRef:
      schema.dynamicRef = target
      // Dynamic only when the initially resolved target carries the same $dynamicAnchor.
      let (_, fragment) = URIReference.splitFragment(absolute)
      if let fragment, !fragment.hasPrefix("/"), !fragment.isEmpty,
        schemas[target.index].dynamicAnchor == percentDecoded(fragment)
      {
        schema.dynamicRefAnchor = percentDecoded(fragment)
      }
    case .discriminatorMapping(let tag):
      schema.discriminator?.mapping.append((tag: tag, schema: target))
    }
  }

  func lookup(_ absolute: String, from document: Int, range: ByteRange) -> SchemaID? {
    let (resourceURI, fragment) = URIReference.splitFragment(absolute)
    var resourceIndex = resourceByURI[resourceURI]
    if resourceIndex == nil {
      guard loadDocument(resourceURI, from: document, range: range) != nil else { return nil }
      resourceIndex = resourceByURI[resourceURI]
    }
    guard let resourceIndex else { return nil }
    let resource = resources[resourceIndex]
    guard let fragment, !fragment.isEmpty else { return resource.root.index >= 0 ? resource.root : nil }
    let decoded = percentDecoded(fragment)
    guard let tokens = jsonPointerTokens(decoded) else {
      return resource.anchors[decoded]
    }
    // Walk the pointer from the resource root, keeping the base URI of the deepest compiled
    // schema object on the way (an embedded $id changes it).
    var node = resource.rootNode
    var context = CompileContext(
      document: resource.document, baseURI: resource.uri, pointer: resourceRootPointer[resourceIndex] ?? "",
      draft: schemas[max(resource.root.index, 0)].draft, validationVocabulary: true, resource: resourceIndex, depth: 0,
      isDocumentRoot: false, definitionName: nil)
    var previousToken: String?
    for token in tokens {
      if let key = compiled[LocationKey(document: resource.document, start: node.range.lowerBound, end: node.range.upperBound)] {
        let known = schemas[key.index]
        context.baseURI = known.baseURI
        context.resource = known.resource
        context.draft = known.draft
      }
      if let entries = node.entries, let member = member(named: token, of: node, entries, document: resource.document) {
        node = member.value
      } else if let items = node.items, let index = Int(token), index >= 0, index < items.count {
        node = items[index]
      } else {
        return nil
      }
      context.pointer += "/" + jsonPointerEscape(token)
      context.definitionName = (previousToken == "$defs" || previousToken == "definitions") ? token : nil
      previousToken = token
    }
    return compile(node, context)
  }

  /// The member a JSON pointer token names (the last of duplicates, as JSON readers keep).
  /// Large objects get an index on first use: ten thousand references into one `$defs` must not
  /// each scan it.
  func member(named token: String, of node: Node, _ entries: [MappingEntry], document: Int) -> MappingEntry? {
    guard entries.count > 32 else { return entries.last(where: { $0.keyString?.isScalarExact(to: token) ?? false }) }
    let key = LocationKey(document: document, start: node.range.lowerBound, end: node.range.upperBound)
    if memberIndexes[key] == nil {
      var index: NameMap<Int> = [:]
      for (position, entry) in entries.enumerated() {
        if let name = entry.keyString { index[name] = position }
      }
      memberIndexes[key] = index
    }
    return memberIndexes[key]?[token].map { entries[$0] }
  }

  /// Fills a discriminator's mapping from the members' `const` tags when the schema has none.
  func deriveDiscriminatorMappings() {
    for schema in schemas {
      guard var discriminator = schema.discriminator, discriminator.mapping.isEmpty else { continue }
      let members = schema.oneOf.isEmpty ? schema.anyOf : schema.oneOf
      for member in members {
        let target = followRefs(member)
        guard let property = schemas[target.index].propertyIndex[discriminator.propertyName] else { continue }
        let tagSchema = schemas[followRefs(property).index]
        if tagSchema.hasConst, case .string(let tag)? = tagSchema.constValue?.scalarValue {
          discriminator.mapping.append((tag: tag, schema: target))
        } else if let values = tagSchema.enumValues {
          for case .scalar(.string(let tag)) in values { discriminator.mapping.append((tag: tag, schema: target)) }
        }
      }
      schema.discriminator = discriminator
    }
  }

  func followRefs(_ id: SchemaID) -> SchemaID {
    var current = id
    var seen: Set<SchemaID> = []
    while let next = schemas[current.index].ref, seen.insert(current).inserted {
      current = next
    }
    return current
  }

  /// `$ref` (and other in-place applicator) cycles that never move into the instance would
  /// recurse forever; each back edge found is redirected to a `false` schema and reported.
  func cutInPlaceCycles() {
    enum Mark { case unvisited, active, done }
    var marks = [Mark](repeating: .unvisited, count: schemas.count)
    var breaker: SchemaID?

    func inPlaceEdges(_ schema: SchemaBuilder) -> [SchemaID] {
      var edges: [SchemaID] = []
      if let ref = schema.ref { edges.append(ref) }
      if let dynamicRef = schema.dynamicRef { edges.append(dynamicRef) }
      edges += schema.allOf
      edges += schema.anyOf
      edges += schema.oneOf
      if let not = schema.not { edges.append(not) }
      if let condition = schema.ifSchema { edges.append(condition) }
      if let then = schema.thenSchema { edges.append(then) }
      if let otherwise = schema.elseSchema { edges.append(otherwise) }
      edges += schema.dependentSchemas.map(\.schema)
      return edges
    }

    func cycleBreaker() -> SchemaID {
      if let breaker { return breaker }
      let node = Node(kind: .scalar(.boolean(false)), range: 0..<0, style: .json)
      let schema = SchemaBuilder(
        id: SchemaID(schemas.count), source: SchemaSource(document: 0, pointer: "", range: node.range),
        baseURI: documents.first?.uri ?? "", resource: 0, draft: .draft2020_12)
      schema.boolean = false
      schema.isCycleBreaker = true
      schemas.append(schema)
      marks.append(.done)
      breaker = schema.id
      return schema.id
    }

    let originalCount = schemas.count
    // Longest path of in-place edges below each schema: how deep validation may recurse on one value.
    var height = [Int](repeating: 0, count: originalCount)
    for start in 0..<originalCount where marks[start] == .unvisited {
      // Iterative depth-first search: a deep chain of references must not overflow the stack.
      var stack: [(SchemaID, [SchemaID], Int)] = [(SchemaID(start), inPlaceEdges(schemas[start]), 0)]
      marks[start] = .active
      while !stack.isEmpty {
        let top = stack.count - 1
        let (current, edges, position) = stack[top]
        if position == edges.count {
          marks[current.index] = .done
          var below = 0
          for edge in edges where edge.index < height.count { below = max(below, height[edge.index]) }
          height[current.index] = below + 1
          longestInPlaceChain = max(longestInPlaceChain, below + 1)
          stack.removeLast()
          continue
        }
        stack[top].2 += 1
        let next = edges[position]
        switch marks[next.index] {
        case .unvisited:
          marks[next.index] = .active
          stack.append((next, inPlaceEdges(schemas[next.index]), 0))
        case .active:
          let schema = schemas[current.index]
          report(
            .schemaRefCycle,
            "this schema refers back to itself without consuming any of the instance (at \(schemas[next.index].source.pointer.isEmpty ? "#" : "#" + schemas[next.index].source.pointer)); the cycle is cut",
            schema.source.document, schema.source.range)
          redirect(schema, from: next, to: cycleBreaker())
        case .done:
          break
        }
      }
    }
  }

  func redirect(_ schema: SchemaBuilder, from target: SchemaID, to replacement: SchemaID) {
    if schema.ref == target { schema.ref = replacement }
    if schema.dynamicRef == target {
      schema.dynamicRef = replacement
      schema.dynamicRefAnchor = nil
    }
    schema.allOf = schema.allOf.map { $0 == target ? replacement : $0 }
    schema.anyOf = schema.anyOf.map { $0 == target ? replacement : $0 }
    schema.oneOf = schema.oneOf.map { $0 == target ? replacement : $0 }
    if schema.not == target { schema.not = replacement }
    if schema.ifSchema == target { schema.ifSchema = replacement }
    if schema.thenSchema == target { schema.thenSchema = replacement }
    if schema.elseSchema == target { schema.elseSchema = replacement }
    schema.dependentSchemas = schema.dependentSchemas.map { ($0.name, $0.schema == target ? replacement : $0.schema) }
  }
}

/// Reads the keywords of one schema object into its builder, one group per vocabulary (core,
/// applicator, validation, annotations and slicels' extensions). Each keyword belongs to exactly
/// one group; a group answers false for a keyword it does not read in this dialect.
private struct KeywordReader {
  let state: LoaderState
  let node: Node
  let schema: SchemaBuilder
  /// The object's own context (after `$id` and `$schema`).
  let context: CompileContext
  /// The context its subschemas are compiled in.
  let child: CompileContext
  let legacy: Bool
  /// The validation vocabulary is on (a metaschema may leave it out).
  let validation: Bool
  /// Draft 4–7: the array form of `items`, whose `additionalItems` applies after it.
  var legacyItemsArray = false
  var legacyAdditionalItems: Node?

  init(state: LoaderState, node: Node, schema: SchemaBuilder, context: CompileContext) {
    self.state = state
    self.node = node
    self.schema = schema
    self.context = context
    var child = context
    child.depth += 1
    child.definitionName = nil
    self.child = child
    self.legacy = context.draft.isLegacy
    self.validation = context.validationVocabulary
  }

  mutating func read(_ entries: [MappingEntry]) {
    // Before 2019-09, `$ref` hides its siblings (definitions stay reachable through pointers).
    let hasLegacyRef = legacy && node.lookup("$ref") != nil
    for entry in entries {
      guard let keyword = entry.keyString else { continue }
      let value = entry.value
      schema.keywordKeyRanges[keyword] = entry.key.range
      if hasLegacyRef && keyword != "$ref" && keyword != "definitions" && keyword != "$defs" {
        continue
      }
      if readCore(keyword, value) { continue }
      if readApplicator(keyword, value) { continue }
      if readValidation(keyword, value) { continue }
      _ = readAnnotation(keyword, value)
    }
    if legacy, legacyItemsArray, let additional = legacyAdditionalItems {
      schema.items = subschema(additional, "additionalItems")
    }
    // additionalItems without the array form of items has no effect.
  }

  // MARK: Keyword groups

  private func readCore(_ keyword: String, _ value: Node) -> Bool {
    switch keyword {
    case "$ref":
      if let reference = string(value, keyword) { addPending(.ref, reference, value) }
    case "$dynamicRef" where !legacy:
      if let reference = string(value, keyword) { addPending(.dynamicRef, reference, value) }
    case "$anchor" where !legacy:
      if let name = string(value, keyword) {
        schema.anchor = name
        state.resources[context.resource].anchors[name] = schema.id
      }
    case "$dynamicAnchor" where !legacy:
      if let name = string(value, keyword) {
        schema.dynamicAnchor = name
        state.resources[context.resource].anchors[name] = schema.id
        state.resources[context.resource].dynamicAnchors[name] = schema.id
      }
    case "$defs", "definitions":
      _ = schemaMap(value, keyword, definitions: true)
    default:
      return false
    }
    return true
  }

  private mutating func readApplicator(_ keyword: String, _ value: Node) -> Bool {
    switch keyword {
    case "allOf": schema.allOf = schemaArray(value, keyword)
    case "anyOf": schema.anyOf = schemaArray(value, keyword)
    case "oneOf": schema.oneOf = schemaArray(value, keyword)
    case "not": schema.not = subschema(value, keyword)
    case "if": schema.ifSchema = subschema(value, keyword)
    case "then": schema.thenSchema = subschema(value, keyword)
    case "else": schema.elseSchema = subschema(value, keyword)
    case "dependentSchemas" where !legacy:
      schema.dependentSchemas = schemaMap(value, keyword).map { (name: $0.0, schema: $0.1) }
    case "prefixItems" where !legacy:
      schema.prefixItems = schemaArray(value, keyword)
    case "items":
      if legacy, value.items != nil {
        schema.prefixItems = schemaArray(value, keyword)
        legacyItemsArray = true
      } else {
        schema.items = subschema(value, keyword)
      }
    case "additionalItems" where legacy:
      legacyAdditionalItems = value
    case "contains": schema.contains = subschema(value, keyword)
    case "properties":
      schema.properties = schemaMap(value, keyword).map { (name: $0.0, schema: $0.1) }
      for (name, id) in schema.properties where schema.propertyIndex[name] == nil { schema.propertyIndex[name] = id }
    case "patternProperties":
      readPatternProperties(value)
    case "additionalProperties": schema.additionalProperties = subschema(value, keyword)
    case "propertyNames": schema.propertyNames = subschema(value, keyword)
    case "unevaluatedItems" where !legacy: schema.unevaluatedItems = subschema(value, keyword)
    case "unevaluatedProperties" where !legacy: schema.unevaluatedProperties = subschema(value, keyword)
    case "dependencies" where legacy:
      readLegacyDependencies(value, keyword)
    default:
      return false
    }
    return true
  }

  private func readValidation(_ keyword: String, _ value: Node) -> Bool {
    switch keyword {
    case "type" where validation: readType(value)
    case "enum" where validation:
      if let items = value.items { schema.enumValues = items.map(\.value) } else {
        report(.schemaInvalid, "'enum' must be an array", value.range)
      }
    case "const" where validation:
      schema.constValue = value.value
      schema.hasConst = true
    case "multipleOf" where validation:
      if let divisor = number(value, keyword) {
        if divisor.doubleValue > 0 { schema.multipleOf = divisor } else {
          report(.schemaInvalid, "'multipleOf' must be greater than 0", value.range)
        }
      }
    case "maximum" where validation: schema.maximum = number(value, keyword)
    case "minimum" where validation: schema.minimum = number(value, keyword)
    case "exclusiveMaximum" where validation:
      if legacy, case .boolean = value.scalar { break }
      schema.exclusiveMaximum = number(value, keyword)
    case "exclusiveMinimum" where validation:
      if legacy, case .boolean = value.scalar { break }
      schema.exclusiveMinimum = number(value, keyword)
    case "maxLength" where validation: schema.maxLength = nonNegativeInteger(value, keyword)
    case "minLength" where validation: schema.minLength = nonNegativeInteger(value, keyword)
    case "pattern" where validation: schema.pattern = pattern(value, keyword)
    case "maxItems" where validation: schema.maxItems = nonNegativeInteger(value, keyword)
    case "minItems" where validation: schema.minItems = nonNegativeInteger(value, keyword)
    case "uniqueItems" where validation:
      if case .boolean(let flag)? = value.scalar { schema.uniqueItems = flag }
    case "maxContains" where validation && !legacy: schema.maxContains = nonNegativeInteger(value, keyword)
    case "minContains" where validation && !legacy: schema.minContains = nonNegativeInteger(value, keyword)
    case "maxProperties" where validation: schema.maxProperties = nonNegativeInteger(value, keyword)
    case "minProperties" where validation: schema.minProperties = nonNegativeInteger(value, keyword)
    case "required" where validation:
      schema.required = stringArray(value, keyword)
    case "dependentRequired" where validation && !legacy:
      if let members = value.entries {
        for member in members {
          guard let name = member.keyString else { continue }
          schema.dependentRequired.append((name, stringArray(member.value, keyword)))
        }
      }
    case "format":
      if case .string(let name)? = value.scalar { schema.format = name }
    default:
      return false
    }
    return true
  }

  private func readAnnotation(_ keyword: String, _ value: Node) -> Bool {
    switch keyword {
    case "title":
      if case .string(let text)? = value.scalar { schema.title = text }
    case "description":
      if case .string(let text)? = value.scalar { schema.description = text }
    case "default": schema.defaultValue = value.value
    case "examples": schema.examples = value.items?.map(\.value) ?? []
    case "deprecated":
      if case .boolean(let flag)? = value.scalar { schema.deprecated = flag }
    case "readOnly":
      if case .boolean(let flag)? = value.scalar { schema.readOnly = flag }
    case "discriminator":
      state.compileDiscriminator(value, schema, context)
    case "x-git-ops-keys":
      schema.gitOpsKeys = stringArray(value, keyword)
    default:
      return false
    }
    return true
  }

  // MARK: Keywords with a shape of their own

  private func readPatternProperties(_ value: Node) {
    guard let members = value.entries else {
      report(.schemaInvalid, "'patternProperties' must be an object", value.range)
      return
    }
    for member in members {
      guard let source = member.keyString else { continue }
      var nested = child
      nested.pointer = context.pointer + "/patternProperties/" + jsonPointerEscape(source)
      let id = state.compile(member.value, nested)
      do {
        schema.patternProperties.append((try SchemaPattern(source), id))
      } catch {
        report(.schemaInvalidRegex, "'\(source)' is not a valid regular expression", member.key.range)
      }
    }
  }

  /// Draft 4–7 `dependencies`: an array is `dependentRequired`, anything else `dependentSchemas`.
  private func readLegacyDependencies(_ value: Node, _ keyword: String) {
    guard let members = value.entries else { return }
    for member in members {
      guard let name = member.keyString else { continue }
      if member.value.items != nil {
        schema.dependentRequired.append((name, stringArray(member.value, keyword)))
      } else {
        var nested = child
        nested.pointer = context.pointer + "/dependencies/" + jsonPointerEscape(name)
        schema.dependentSchemas.append((name, state.compile(member.value, nested)))
      }
    }
  }

  private func readType(_ value: Node) {
    if case .string(let name)? = value.scalar {
      if let type = JSONTypeSet(name: name) { schema.types = type } else {
        report(.schemaInvalid, "unknown type '\(name)'", value.range)
      }
    } else if let items = value.items {
      var set: JSONTypeSet = []
      for item in items {
        if case .string(let name)? = item.scalar, let type = JSONTypeSet(name: name) { set.insert(type) } else {
          report(.schemaInvalid, "'type' must name JSON types", item.range)
        }
      }
      schema.types = set
    } else {
      report(.schemaInvalid, "'type' must be a string or an array of strings", value.range)
    }
  }

  // MARK: Values

  private func report(_ code: FindingCode, _ message: String, _ range: ByteRange) {
    state.report(code, message, context.document, range)
  }

  private func addPending(_ kind: PendingKind, _ reference: String, _ value: Node) {
    state.pending.append(
      PendingReference(
        schema: schema.id, kind: kind, reference: reference, baseURI: context.baseURI, document: context.document,
        range: value.range))
  }

  private func subschema(_ value: Node, _ path: String) -> SchemaID {
    var nested = child
    nested.pointer = context.pointer + "/" + path
    return state.compile(value, nested)
  }

  private func schemaArray(_ value: Node, _ keyword: String) -> [SchemaID] {
    guard let items = value.items else {
      report(.schemaInvalid, "'\(keyword)' must be an array of schemas", value.range)
      return []
    }
    return items.enumerated().map { index, item in subschema(item, "\(keyword)/\(index)") }
  }

  private func schemaMap(_ value: Node, _ keyword: String, definitions: Bool = false) -> [(String, SchemaID)] {
    guard let members = value.entries else {
      report(.schemaInvalid, "'\(keyword)' must be an object of schemas", value.range)
      return []
    }
    return members.compactMap { member in
      guard let name = member.keyString else { return nil }
      var nested = child
      nested.pointer = context.pointer + "/" + keyword + "/" + jsonPointerEscape(name)
      if definitions { nested.definitionName = name }
      return (name, state.compile(member.value, nested))
    }
  }

  private func nonNegativeInteger(_ value: Node, _ keyword: String) -> Int? {
    if let number = value.scalar.flatMap(SchemaNumber.init), let integer = number.integralValue, integer >= 0 {
      return Int(exactly: integer) ?? Int.max
    }
    report(.schemaInvalid, "'\(keyword)' must be a non-negative integer", value.range)
    return nil
  }

  private func number(_ value: Node, _ keyword: String) -> SchemaNumber? {
    if let number = value.scalar.flatMap(SchemaNumber.init) { return number }
    report(.schemaInvalid, "'\(keyword)' must be a number", value.range)
    return nil
  }

  private func string(_ value: Node, _ keyword: String) -> String? {
    if case .string(let text)? = value.scalar { return text }
    report(.schemaInvalid, "'\(keyword)' must be a string", value.range)
    return nil
  }

  private func stringArray(_ value: Node, _ keyword: String) -> [String] {
    guard let items = value.items else {
      report(.schemaInvalid, "'\(keyword)' must be an array of strings", value.range)
      return []
    }
    return items.compactMap { item in
      if case .string(let text)? = item.scalar { return text }
      report(.schemaInvalid, "'\(keyword)' must contain only strings", item.range)
      return nil
    }
  }

  private func pattern(_ value: Node, _ keyword: String) -> SchemaPattern? {
    guard let source = string(value, keyword) else { return nil }
    do {
      return try SchemaPattern(source)
    } catch {
      report(.schemaInvalidRegex, "'\(source)' is not a valid regular expression", value.range)
      return nil
    }
  }
}
