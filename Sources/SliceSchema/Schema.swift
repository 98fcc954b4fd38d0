import BigInt
import Foundation
import Locking
import SliceSyntax

/// Identifies one compiled schema object inside a `SchemaSet`.
public struct SchemaID: Sendable, Hashable, Comparable {
  public let index: Int
  init(_ index: Int) { self.index = index }
  public static func < (lhs: SchemaID, rhs: SchemaID) -> Bool { lhs.index < rhs.index }
}

/// Where a schema object is written: its document, its JSON pointer and byte range there.
public struct SchemaSource: Sendable, Hashable {
  /// Index of the document in `SchemaSet.documents`.
  public var document: Int
  /// JSON pointer of the schema object inside its document.
  public var pointer: String
  /// Byte range of the schema object (its `{…}` or `true`/`false`).
  public var range: ByteRange
}

/// A document the loader read: the root schema file, a referenced local file or a built-in metaschema.
public struct SchemaDocument: Sendable {
  /// Absolute URI the document was loaded under (its initial base URI).
  public var uri: String
  /// The file path for documents read from disk, nil for built-in or in-memory documents.
  public var filePath: String?
  /// The document as a located tree, so definitions can be traced to their text.
  public var root: Node
}

/// Which specification a schema resource follows.
public enum SchemaDraft: Sendable, Hashable {
  case draft2020_12
  case draft2019_09
  case draft07

  /// Draft-07 semantics apply (items array form, `dependencies`, `$ref` overriding its siblings).
  var isLegacy: Bool { self == .draft07 }
}

/// A JSON number as written: exact for integers (any size), binary floating point otherwise.
public enum SchemaNumber: Sendable, Hashable, CustomStringConvertible {
  case integer(BigInt)
  case float(Double)

  init?(_ scalar: Scalar) {
    switch scalar {
    case .integer(let value): self = .integer(value)
    case .float(let value): self = .float(value)
    default: return nil
    }
  }

  public var doubleValue: Double {
    switch self {
    case .integer(let value): return Double(value)
    case .float(let value): return value
    }
  }

  /// The value as an exact integer when it has no fractional part (`1.0` is the integer 1).
  public var integralValue: BigInt? {
    switch self {
    case .integer(let value): return value
    case .float(let value):
      guard value.isFinite, value.rounded(.towardZero) == value else { return nil }
      return BigInt(exactly: value)
    }
  }

  public var description: String {
    switch self {
    case .integer(let value): return value.description
    case .float(let value): return PythonText.float(value)
    }
  }

  /// Exact comparison across integers and floats (no rounding of large integers).
  static func compare(_ lhs: SchemaNumber, _ rhs: SchemaNumber) -> ComparisonResult? {
    switch (lhs, rhs) {
    case (.integer(let a), .integer(let b)):
      return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
    case (.float(let a), .float(let b)):
      if a.isNaN || b.isNaN { return nil }
      return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
    case (.integer(let a), .float(let b)):
      return compareIntegerToDouble(a, b)
    case (.float(let a), .integer(let b)):
      return compareIntegerToDouble(b, a).map { result in
        switch result {
        case .orderedAscending: return .orderedDescending
        case .orderedDescending: return .orderedAscending
        case .orderedSame: return .orderedSame
        }
      }
    }
  }

  private static func compareIntegerToDouble(_ integer: BigInt, _ double: Double) -> ComparisonResult? {
    if double.isNaN { return nil }
    if double == .infinity { return .orderedAscending }
    if double == -.infinity { return .orderedDescending }
    let floor = double.rounded(.down)
    guard let floorInteger = BigInt(exactly: floor) else { return nil }
    if integer < floorInteger { return .orderedAscending }
    if integer > floorInteger { return .orderedDescending }
    return floor == double ? .orderedSame : .orderedAscending
  }
}

/// The JSON types of the `type` keyword, as a bit set.
public struct JSONTypeSet: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }
  public static let null = JSONTypeSet(rawValue: 1)
  public static let boolean = JSONTypeSet(rawValue: 2)
  public static let integer = JSONTypeSet(rawValue: 4)
  public static let number = JSONTypeSet(rawValue: 8)
  public static let string = JSONTypeSet(rawValue: 16)
  public static let array = JSONTypeSet(rawValue: 32)
  public static let object = JSONTypeSet(rawValue: 64)

  init?(name: String) {
    switch name {
    case "null": self = .null
    case "boolean": self = .boolean
    case "integer": self = .integer
    case "number": self = .number
    case "string": self = .string
    case "array": self = .array
    case "object": self = .object
    default: return nil
    }
  }

  public var names: [String] {
    var result: [String] = []
    let all: [(JSONTypeSet, String)] = [
      (.object, "object"), (.array, "array"), (.string, "string"), (.number, "number"), (.integer, "integer"),
      (.boolean, "boolean"), (.null, "null"),
    ]
    for (member, name) in all where contains(member) { result.append(name) }
    return result
  }
}

/// Whose meaning of a pattern's spelling applies.
enum PatternDialect: Sendable, Hashable {
  /// JSON Schema's: ECMA-262 (ASCII `\d`, `\w`; `$` the end of the text).
  case ecma262
  /// pydantic-core's: the Rust `regex` crate (Unicode classes; `.` excludes only `\n`).
  case rustRegex
}

/// A compiled regular expression of a `pattern` or `patternProperties` keyword, in both dialects:
/// JSON Schema validation reads it as ECMA-262, slice validation as pydantic-core does.
///
/// A pattern only one dialect reads (`\u{E9}` is Rust only) still loads; matching it in the
/// other dialect answers `unreadable`.
public final class SchemaPattern: Sendable {
  public let source: String
  let expression: BoundedRegex?
  let pydanticExpression: BoundedRegex?

  /// Throws when neither dialect reads the pattern.
  init(_ source: String) throws {
    self.source = source
    self.expression = try? BoundedRegex(icuPattern: translateECMAPattern(source))
    self.pydanticExpression = try? BoundedRegex(icuPattern: RustRegexTranslation.icuPattern(fromRust: source))
    if expression == nil && pydanticExpression == nil { throw BoundedRegexError.invalidPattern }
  }

  /// Whether the pattern matches anywhere in `text` (neither dialect anchors it).
  func match(_ text: String, as dialect: PatternDialect) -> PatternOutcome {
    let compiled =
      switch dialect {
      case .ecma262: expression
      case .rustRegex: pydanticExpression
      }
    guard let compiled else { return .unreadable }
    guard text.utf8.count <= Self.rememberedTextLength else { return compiled.firstMatch(in: text) }
    let key = RememberedMatch(text: ExactString(text), dialect: dialect)
    if let outcome = remembered.withLock({ $0[key] }) { return outcome }
    let outcome = compiled.firstMatch(in: text)
    // A match that ran out of budget may not next time (the budget is time): never remembered.
    if outcome == .matched || outcome == .notMatched {
      remembered.withLock { outcomes in
        if outcomes.count < Self.rememberedMatches { outcomes[key] = outcome }
      }
    }
    return outcome
  }

  /// The outcomes of short texts matched already. A pattern of a schema meets the same few
  /// values in file after file (a file mode, a name's format), and a match through ICU costs
  /// a hundred times a lookup: 3 % of an export of 10 000 slices matched `^0?[0-7]{3}$`.
  /// Bounded per pattern (about as much memory as the compiled expression itself), so that a
  /// hostile schema of many patterns, fed many distinct values, cannot grow the server: the
  /// values worth remembering are the few that repeat.
  private let remembered = Locked<[RememberedMatch: PatternOutcome]>([:])
  static let rememberedTextLength = 32
  static let rememberedMatches = 128

  /// How many outcomes are remembered (tests).
  var rememberedCount: Int { remembered.withLock { $0.count } }

  private struct RememberedMatch: Hashable {
    /// Exact: two spellings of one text under canonical equivalence can match differently.
    var text: ExactString
    var dialect: PatternDialect
  }

  /// The finding's message when the dialect a validation reads cannot read this pattern.
  func unreadableMessage(as dialect: PatternDialect) -> String {
    let engine =
      switch dialect {
      case .ecma262: "ECMA-262 (JSON Schema's)"
      case .rustRegex: "pydantic-core's (the Rust regex crate's)"
      }
    return "the pattern \(PythonText.repr(string: MessageBounds.clipped(source))) is not a regular expression in \(engine) syntax "
      + "as slicels runs it; the value is neither accepted nor rejected"
  }

  /// The finding's message when matching this pattern exceeds the step budget.
  var tooCostlyMessage: String {
    "the pattern \(PythonText.repr(string: MessageBounds.clipped(source))) is too costly to evaluate on this value (it backtracks "
      + "beyond the regular expression step budget, or did so \(PatternTimeouts.limit) times in this file already); "
      + "the value is neither accepted nor rejected"
  }

  /// Whether the pattern matches, for uses that only rank or offer (a too costly match is no match).
  func matches(_ text: String, as dialect: PatternDialect) -> Bool {
    match(text, as: dialect) == .matched
  }
}

/// Bounds the time one validation (one file) spends in costly patterns: each match has a step
/// budget, and after `limit` matches of one pattern exceeded it, that pattern's further matches
/// in the validation are reported as too costly without running (a file of a million hostile
/// values would otherwise cost a million budgets). The file has errors by then.
struct PatternTimeouts {
  static let limit = 16
  private var counts: [ObjectIdentifier: Int] = [:]

  mutating func match(_ pattern: SchemaPattern, _ text: String, as dialect: PatternDialect) -> PatternOutcome {
    let key = ObjectIdentifier(pattern)
    let count = counts[key, default: 0]
    if count >= Self.limit { return .tooCostly }
    let outcome = pattern.match(text, as: dialect)
    if outcome == .tooCostly { counts[key] = count + 1 }
    return outcome
  }
}

/// Adapts the ECMA-262 spellings ICU reads differently: `\d`/`\w`/`\s` are ASCII-only in ECMA-262
/// (without the `u` flag) and `$` does not match before a final newline.
func translateECMAPattern(_ pattern: String) -> String {
  var result = ""
  var iterator = pattern.makeIterator()
  var inClass = false
  while let character = iterator.next() {
    if character == "\\" {
      guard let next = iterator.next() else {
        result.append("\\")
        break
      }
      switch next {
      case "d": result += inClass ? "0-9" : "[0-9]"
      case "D": result += inClass ? "\\D" : "[^0-9]"
      case "w": result += inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"
      case "W": result += inClass ? "\\W" : "[^a-zA-Z0-9_]"
      default:
        result.append("\\")
        result.append(next)
      }
      continue
    }
    if character == "[" && !inClass { inClass = true } else if character == "]" && inClass { inClass = false }
    if character == "$" && !inClass {
      result += "\\z"
      continue
    }
    result.append(character)
  }
  return result
}

/// The OpenAPI-style `discriminator` pydantic writes next to a `oneOf` of tagged models.
public struct SchemaDiscriminator: Sendable, Hashable {
  public var propertyName: String
  /// Tag value → the member schema (resolved `mapping`, or the members' `const` tags).
  public var mapping: [(tag: String, schema: SchemaID)]

  public static func == (lhs: SchemaDiscriminator, rhs: SchemaDiscriminator) -> Bool {
    lhs.propertyName == rhs.propertyName && lhs.mapping.map(\.tag) == rhs.mapping.map(\.tag)
      && lhs.mapping.map(\.schema) == rhs.mapping.map(\.schema)
  }
  public func hash(into hasher: inout Hasher) {
    hasher.combine(propertyName)
    for entry in mapping {
      hasher.combine(entry.tag)
      hasher.combine(entry.schema)
    }
  }
}

/// One compiled schema object. Built by `SchemaLoader`, immutable once the set is returned.
///
/// A class so the arena hands out references instead of copying a few dozen fields per access;
/// immutable (the loader works on `SchemaBuilder`s), which also spares the validator the runtime
/// exclusivity checks that mutable class properties cost.
public final class CompiledSchema: @unchecked Sendable {
  // Every stored property is a `let` of Sendable values.
  public let id: SchemaID
  public let source: SchemaSource
  /// The base URI in effect for this schema object.
  public let baseURI: String
  /// The schema resource (a document root or an object with `$id`) this object belongs to.
  let resource: Int
  public let draft: SchemaDraft
  /// `true` / `false` schemas; nil for an object schema.
  public let boolean: Bool?

  // Core.
  public let ref: SchemaID?
  /// `$dynamicRef`: the statically resolved target and, when that target declares the same
  /// `$dynamicAnchor`, the anchor name to look up in the dynamic scope.
  public let dynamicRef: SchemaID?
  let dynamicRefAnchor: String?
  public let anchor: String?
  public let dynamicAnchor: String?

  // Applicators.
  public let allOf: [SchemaID]
  public let anyOf: [SchemaID]
  public let oneOf: [SchemaID]
  public let not: SchemaID?
  public let ifSchema: SchemaID?
  public let thenSchema: SchemaID?
  public let elseSchema: SchemaID?
  public let dependentSchemas: [(name: String, schema: SchemaID)]
  public let prefixItems: [SchemaID]
  public let items: SchemaID?
  public let contains: SchemaID?
  /// `properties` in declaration order (pydantic's field order).
  public let properties: [(name: String, schema: SchemaID)]
  let propertyIndex: NameMap<SchemaID>
  public let patternProperties: [(pattern: SchemaPattern, schema: SchemaID)]
  public let additionalProperties: SchemaID?
  public let propertyNames: SchemaID?
  public let unevaluatedItems: SchemaID?
  public let unevaluatedProperties: SchemaID?

  // Validation.
  public let types: JSONTypeSet?
  public let enumValues: [Value]?
  public let constValue: Value?
  public let hasConst: Bool
  public let multipleOf: SchemaNumber?
  public let maximum: SchemaNumber?
  public let exclusiveMaximum: SchemaNumber?
  public let minimum: SchemaNumber?
  public let exclusiveMinimum: SchemaNumber?
  public let maxLength: Int?
  public let minLength: Int?
  public let pattern: SchemaPattern?
  public let maxItems: Int?
  public let minItems: Int?
  public let uniqueItems: Bool
  public let maxContains: Int?
  public let minContains: Int?
  public let maxProperties: Int?
  public let minProperties: Int?
  public let required: [String]
  public let dependentRequired: [(name: String, required: [String])]
  public let format: String?

  // Annotations and extensions.
  public let title: String?
  public let description: String?
  public let defaultValue: Value?
  public let examples: [Value]
  public let deprecated: Bool
  public let readOnly: Bool
  public let discriminator: SchemaDiscriminator?
  /// `x-git-ops-keys`: the identity keys of list items of this model.
  public let gitOpsKeys: [String]?
  /// The name under `$defs`/`definitions` this schema is defined as, if any.
  public let definitionName: String?
  /// Stands in for a reference that would loop forever (see `SchemaLoader`): always fails.
  let isCycleBreaker: Bool
  /// Byte ranges of the keyword *names* in the schema object, for precise locations.
  let keywordKeyRanges: [String: ByteRange]

  /// Set when this object (directly) uses `unevaluatedItems`/`unevaluatedProperties`.
  let usesUnevaluated: Bool
  /// Declared property names, for lookups without hashing.
  let propertyNames_: [String]

  init(_ builder: SchemaBuilder) {
    self.id = builder.id
    self.source = builder.source
    self.baseURI = builder.baseURI
    self.resource = builder.resource
    self.draft = builder.draft
    self.boolean = builder.boolean
    self.ref = builder.ref
    self.dynamicRef = builder.dynamicRef
    self.anchor = builder.anchor
    self.dynamicAnchor = builder.dynamicAnchor
    self.allOf = builder.allOf
    self.anyOf = builder.anyOf
    self.oneOf = builder.oneOf
    self.not = builder.not
    self.ifSchema = builder.ifSchema
    self.thenSchema = builder.thenSchema
    self.elseSchema = builder.elseSchema
    self.dependentSchemas = builder.dependentSchemas
    self.prefixItems = builder.prefixItems
    self.items = builder.items
    self.contains = builder.contains
    self.properties = builder.properties
    self.patternProperties = builder.patternProperties
    self.additionalProperties = builder.additionalProperties
    self.propertyNames = builder.propertyNames
    self.unevaluatedItems = builder.unevaluatedItems
    self.unevaluatedProperties = builder.unevaluatedProperties
    self.types = builder.types
    self.enumValues = builder.enumValues
    self.constValue = builder.constValue
    self.hasConst = builder.hasConst
    self.multipleOf = builder.multipleOf
    self.maximum = builder.maximum
    self.exclusiveMaximum = builder.exclusiveMaximum
    self.minimum = builder.minimum
    self.exclusiveMinimum = builder.exclusiveMinimum
    self.maxLength = builder.maxLength
    self.minLength = builder.minLength
    self.pattern = builder.pattern
    self.maxItems = builder.maxItems
    self.minItems = builder.minItems
    self.uniqueItems = builder.uniqueItems
    self.maxContains = builder.maxContains
    self.minContains = builder.minContains
    self.maxProperties = builder.maxProperties
    self.minProperties = builder.minProperties
    self.required = builder.required
    self.dependentRequired = builder.dependentRequired
    self.format = builder.format
    self.title = builder.title
    self.description = builder.description
    self.defaultValue = builder.defaultValue
    self.examples = builder.examples
    self.deprecated = builder.deprecated
    self.readOnly = builder.readOnly
    self.discriminator = builder.discriminator
    self.gitOpsKeys = builder.gitOpsKeys
    self.definitionName = builder.definitionName
    self.dynamicRefAnchor = builder.dynamicRefAnchor
    self.propertyIndex = builder.propertyIndex
    self.isCycleBreaker = builder.isCycleBreaker
    self.keywordKeyRanges = builder.keywordKeyRanges
    self.usesUnevaluated = builder.unevaluatedItems != nil || builder.unevaluatedProperties != nil
    self.propertyNames_ = builder.properties.map(\.name)
  }

  /// The schema of a declared property. Small models (the usual case) are scanned: comparing a
  /// few short strings is cheaper than hashing one.
  public func property(_ name: String) -> SchemaID? {
    if propertyNames_.count <= 16 {
      for (index, candidate) in propertyNames_.enumerated() where candidate.isScalarExact(to: name) { return properties[index].schema }
      return nil
    }
    return propertyIndex[name]
  }
}

/// A schema object while `SchemaLoader` builds it (references are resolved after all objects exist).
final class SchemaBuilder {
  let id: SchemaID
  let source: SchemaSource
  /// The base URI in effect for this schema object.
  let baseURI: String
  /// The schema resource (a document root or an object with `$id`) this object belongs to.
  let resource: Int
  let draft: SchemaDraft
  /// `true` / `false` schemas; nil for an object schema.
  var boolean: Bool?

  // Core.
  var ref: SchemaID?
  /// `$dynamicRef`: the statically resolved target and, when that target declares the same
  /// `$dynamicAnchor`, the anchor name to look up in the dynamic scope.
  var dynamicRef: SchemaID?
  var dynamicRefAnchor: String?
  var anchor: String?
  var dynamicAnchor: String?

  // Applicators.
  var allOf: [SchemaID] = []
  var anyOf: [SchemaID] = []
  var oneOf: [SchemaID] = []
  var not: SchemaID?
  var ifSchema: SchemaID?
  var thenSchema: SchemaID?
  var elseSchema: SchemaID?
  var dependentSchemas: [(name: String, schema: SchemaID)] = []
  var prefixItems: [SchemaID] = []
  var items: SchemaID?
  var contains: SchemaID?
  /// `properties` in declaration order (pydantic's field order).
  var properties: [(name: String, schema: SchemaID)] = []
  var propertyIndex: NameMap<SchemaID> = [:]
  var patternProperties: [(pattern: SchemaPattern, schema: SchemaID)] = []
  var additionalProperties: SchemaID?
  var propertyNames: SchemaID?
  var unevaluatedItems: SchemaID?
  var unevaluatedProperties: SchemaID?

  // Validation.
  var types: JSONTypeSet?
  var enumValues: [Value]?
  var constValue: Value?
  var hasConst = false
  var multipleOf: SchemaNumber?
  var maximum: SchemaNumber?
  var exclusiveMaximum: SchemaNumber?
  var minimum: SchemaNumber?
  var exclusiveMinimum: SchemaNumber?
  var maxLength: Int?
  var minLength: Int?
  var pattern: SchemaPattern?
  var maxItems: Int?
  var minItems: Int?
  var uniqueItems = false
  var maxContains: Int?
  var minContains: Int?
  var maxProperties: Int?
  var minProperties: Int?
  var required: [String] = []
  var dependentRequired: [(name: String, required: [String])] = []
  var format: String?

  // Annotations and extensions.
  var title: String?
  var description: String?
  var defaultValue: Value?
  var examples: [Value] = []
  var deprecated = false
  var readOnly = false
  var discriminator: SchemaDiscriminator?
  /// `x-git-ops-keys`: the identity keys of list items of this model.
  var gitOpsKeys: [String]?
  /// The name under `$defs`/`definitions` this schema is defined as, if any.
  var definitionName: String?
  /// Stands in for a reference that would loop forever (see `SchemaLoader`): always fails.
  var isCycleBreaker = false
  /// Byte ranges of the keyword *names* in the schema object, for precise locations.
  var keywordKeyRanges: [String: ByteRange] = [:]


  init(id: SchemaID, source: SchemaSource, baseURI: String, resource: Int, draft: SchemaDraft) {
    self.id = id
    self.source = source
    self.baseURI = baseURI
    self.resource = resource
    self.draft = draft
  }

}

/// A schema resource: a document root or an embedded object with `$id`.
struct SchemaResource: Sendable {
  var uri: String
  var root: SchemaID
  var document: Int
  var rootNode: Node
  var anchors: [String: SchemaID] = [:]
  var dynamicAnchors: [String: SchemaID] = [:]
}

/// The result of loading a schema: every compiled schema object, the documents they came from,
/// and what went wrong while loading.
public struct SchemaSet: Sendable {
  public let root: SchemaID
  public let schemas: [CompiledSchema]
  public let documents: [SchemaDocument]
  /// Problems found while loading (unresolvable `$ref`, invalid regex, refused remote documents…).
  /// A schema with errors still validates what it can; unresolved references accept anything.
  public let errors: [SchemaLoadError]
  let resources: [SchemaResource]
  /// The longest chain of schemas applied in place to one value (`$ref`, `allOf`, `anyOf`, …):
  /// validation recurses that deep before moving into the value, so long chains need a large stack.
  public internal(set) var longestInPlaceChain = 0

  public subscript(id: SchemaID) -> CompiledSchema { schemas[id.index] }

  /// Whether a value validated against these schemas may hold an object key `name` that its
  /// input does not spell: a property of that name (filled from its default), or a default,
  /// `const` or `enum` value holding such a key at any depth. Other keys come from the input.
  public func mayAddKey(_ name: String) -> Bool {
    func holdsKey(_ value: Value) -> Bool {
      switch value {
      case .scalar: return false
      case .array(let items): return items.contains(where: holdsKey)
      case .object(let members): return members.contains { $0.key.isString(name) || holdsKey($0.value) }
      }
    }
    return schemas.contains { schema in
      schema.properties.contains { $0.name.isScalarExact(to: name) }
        || schema.defaultValue.map(holdsKey) == true
        || schema.constValue.map(holdsKey) == true
        || schema.enumValues?.contains(where: holdsKey) == true
    }
  }

  /// The schema defined under `$defs`/`definitions` of the root document with this name.
  public func definition(named name: String) -> SchemaID? {
    schemas.first(where: { $0.definitionName == name && $0.source.document == 0 })?.id
  }
}

/// A problem in a schema, located in its document.
public struct SchemaLoadError: Error, Sendable, Hashable, CustomStringConvertible {
  public var code: String
  public var message: String
  /// Index into `SchemaSet.documents` when known (the document may have failed to load).
  public var document: Int?
  public var documentURI: String
  public var range: ByteRange

  public var description: String { "\(documentURI): \(message)" }
}
