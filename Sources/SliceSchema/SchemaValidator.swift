import BigInt
import Foundation
import SliceSyntax

/// Validates located values against a `SchemaSet` with JSON Schema draft 2020-12 semantics
/// (draft-07 resources keep their own rules).
///
/// For `anyOf`/`oneOf` it reports the branch that fits best (picked by the `discriminator`, by a
/// matching `const` property, or by how far into the value the branch got) instead of a wall of
/// "does not match". `format` is an annotation unless `assertFormats` is set.
public struct SchemaValidator: Sendable {
  public let schemas: SchemaSet
  public var assertFormats: Bool
  /// Schema evaluations allowed for one validation (a hostile schema can branch exponentially).
  public var maximumEvaluations: Int
  /// Nested schema evaluations allowed (guards the stack).
  public var maximumDepth: Int

  /// For alternatives of `anyOf`/`oneOf`: the `const` properties a member requires of an object.
  /// An object carrying one of them with another value cannot match the member, so the member is
  /// not evaluated (a discriminated union then costs one evaluation, not one per member).
  let memberConstants: [SchemaID: [(name: String, value: Value)]]
  /// Hash lookups for the large `enum`s.
  let enumLookups: [SchemaID: EnumLookup]
  /// Per schema: whether it is a bare `$ref` (see `isBareReference`).
  let bareReferences: [Bool]

  public init(schemas: SchemaSet, assertFormats: Bool = false, maximumEvaluations: Int = 50_000_000, maximumDepth: Int = 10_000) {
    self.schemas = schemas
    self.assertFormats = assertFormats
    self.maximumEvaluations = maximumEvaluations
    self.maximumDepth = maximumDepth
    var constants: [SchemaID: [(name: String, value: Value)]] = [:]
    for schema in schemas.schemas {
      for member in schema.anyOf + schema.oneOf where constants[member] == nil {
        // Follow bare references only: the member's own assertions must all still apply.
        var target = member
        var steps = 0
        while let next = schemas[target].ref, steps < 32, schemas[target].properties.isEmpty {
          target = next
          steps += 1
        }
        var found: [(name: String, value: Value)] = []
        for (name, propertyID) in schemas[target].properties {
          let property = schemas[propertyID]
          if property.hasConst, let value = property.constValue { found.append((name, value)) }
        }
        constants[member] = found
      }
    }
    self.memberConstants = constants
    var lookups: [SchemaID: EnumLookup] = [:]
    for schema in schemas.schemas {
      if let values = schema.enumValues, values.count > EnumLookup.threshold { lookups[schema.id] = EnumLookup(values) }
    }
    self.enumLookups = lookups
    self.bareReferences = schemas.schemas.map(Self.isBareReference)
  }

  /// Keywords beside `$ref` that leave a schema a bare reference: they assert nothing.
  static let annotationKeywords: Set<String> = [
    "$ref", "$comment", "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "$defs",
    "definitions",
  ]

  /// A schema that only refers to another (draft-07 ignores everything beside `$ref`).
  static func isBareReference(_ schema: CompiledSchema) -> Bool {
    guard schema.boolean == nil, schema.ref != nil, schema.dynamicRef == nil else { return false }
    if schema.draft.isLegacy { return true }
    return schema.keywordKeyRanges.keys.allSatisfy { annotationKeywords.contains($0) }
  }

  /// Every violation of the root schema by `instance`.
  public func validate(_ instance: Node) -> [SchemaViolation] {
    validate(instance, against: schemas.root)
  }

  public func validate(_ instance: Node, against schema: SchemaID) -> [SchemaViolation] {
    LargeStack.run(for: instance, schemaChain: schemas.longestInPlaceChain) {
      var evaluator = Evaluator(validator: self, collecting: true)
      _ = evaluator.evaluate(schema, instance, track: false)
      evaluator.reportAbort(instance)
      return evaluator.violations
    }
  }

  /// Whether `instance` is valid, without building messages (faster).
  public func isValid(_ instance: Node, against schema: SchemaID? = nil) -> Bool {
    LargeStack.run(for: instance, schemaChain: schemas.longestInPlaceChain) {
      var evaluator = Evaluator(validator: self, collecting: false)
      let result = evaluator.evaluate(schema ?? schemas.root, instance, track: false)
      return result.valid && !evaluator.aborted
    }
  }
}

/// Which properties / items of a value some subschema evaluated successfully
/// (the annotations `unevaluatedProperties` and `unevaluatedItems` depend on).
struct Evaluated {
  var properties: [Bool] = []
  var items: [Bool] = []

  mutating func merge(_ other: Evaluated) {
    if properties.count < other.properties.count {
      properties += [Bool](repeating: false, count: other.properties.count - properties.count)
    }
    for (index, flag) in other.properties.enumerated() where flag { properties[index] = true }
    if items.count < other.items.count {
      items += [Bool](repeating: false, count: other.items.count - items.count)
    }
    for (index, flag) in other.items.enumerated() where flag { items[index] = true }
  }

  mutating func markProperty(_ index: Int, of count: Int) {
    if properties.count < count { properties += [Bool](repeating: false, count: count - properties.count) }
    properties[index] = true
  }

  mutating func markItem(_ index: Int, of count: Int) {
    if items.count < count { items += [Bool](repeating: false, count: count - items.count) }
    items[index] = true
  }

  func hasProperty(_ index: Int) -> Bool { index < properties.count && properties[index] }
  func hasItem(_ index: Int) -> Bool { index < items.count && items[index] }
}

struct EvaluationResult {
  var valid: Bool
  var evaluated: Evaluated?
  static let invalid = EvaluationResult(valid: false, evaluated: nil)
}

enum KeywordToken {
  case keyword(String)
  case index(Int)
}

struct Evaluator {
  let validator: SchemaValidator
  let set: SchemaSet
  let schemas: [CompiledSchema]
  var collecting: Bool
  var violations: [SchemaViolation] = []
  var instancePath: [InstancePathComponent] = []
  var keywordPath: [KeywordToken] = []
  /// Resources entered, outermost first (the dynamic scope of `$dynamicRef`).
  var dynamicScope: [Int] = []
  /// The range of the key leading to the current value, for findings about a whole object.
  var keyRanges: [ByteRange?] = []
  var depth = 0
  var evaluations = 0
  var aborted = false
  var abortReason = ""
  var patternTimeouts = PatternTimeouts()

  init(validator: SchemaValidator, collecting: Bool) {
    self.validator = validator
    self.set = validator.schemas
    self.schemas = validator.schemas.schemas
    self.collecting = collecting
  }

  mutating func reportAbort(_ instance: Node) {
    guard aborted else { return }
    violations.append(
      SchemaViolation(
        code: FindingCode.schemaTooComplex.rawValue, message: abortReason, instanceRange: instance.range, instancePath: [],
        keywordLocation: "", schema: nil, keyword: ""))
  }

  var keywordLocation: String {
    var text = ""
    for token in keywordPath {
      switch token {
      case .keyword(let name): text += "/" + jsonPointerEscape(name)
      case .index(let index): text += "/\(index)"
      }
    }
    return text
  }

  mutating func fail(
    _ code: FindingCode, _ message: String, _ schema: CompiledSchema, _ keyword: String, _ range: ByteRange
  ) {
    guard collecting else { return }
    keywordPath.append(.keyword(keyword))
    violations.append(
      SchemaViolation(
        code: code.rawValue, message: message, instanceRange: range, instancePath: instancePath,
        keywordLocation: keywordLocation, schema: schema.id, keyword: keyword))
    keywordPath.removeLast()
  }

  /// The range used for findings about the value as a whole object: the key leading to it when
  /// there is one (a whole-object range would cover the file).
  func objectRange(_ node: Node) -> ByteRange {
    if let last = keyRanges.last, let range = last { return range }
    return node.range.lowerBound..<min(node.range.lowerBound + 1, node.range.upperBound)
  }

  // MARK: Evaluation

  /// Evaluates a schema, walking a chain of bare references in a loop: each link adds its `$ref`
  /// to the keyword path and its resource to the dynamic scope exactly as a nested evaluation
  /// would, but not a level of nesting (a 10 000-link chain is long, not deep).
  /// Evaluates a subschema reached through a keyword (`$ref`) or a keyword and a member
  /// (`allOf`, `0`): the violations below it carry them in their keyword path.
  mutating func evaluate(
    _ id: SchemaID, _ node: Node, track: Bool, through keyword: KeywordToken, _ member: KeywordToken? = nil
  ) -> EvaluationResult {
    keywordPath.append(keyword)
    if let member { keywordPath.append(member) }
    defer { keywordPath.removeLast(member == nil ? 1 : 2) }
    return evaluate(id, node, track: track)
  }

  /// Evaluates a subschema that applies in place (`$ref`, `allOf`, `then`, …): when it holds, its
  /// annotations join `evaluated` (what `unevaluated*` must not see again).
  mutating func evaluateInPlace(
    _ id: SchemaID, _ node: Node, track: Bool, through keyword: KeywordToken, _ member: KeywordToken? = nil,
    into evaluated: inout Evaluated?
  ) -> Bool {
    let result = evaluate(id, node, track: track, through: keyword, member)
    if result.valid, let inner = result.evaluated { evaluated?.merge(inner) }
    return result.valid
  }

  mutating func evaluate(_ id: SchemaID, _ node: Node, track: Bool) -> EvaluationResult {
    guard validator.bareReferences[id.index] else { return evaluateSchema(id, node, track: track) }
    var target = id
    var links = 0
    var scopesEntered = 0
    defer {
      keywordPath.removeLast(links)
      dynamicScope.removeLast(scopesEntered)
    }
    while validator.bareReferences[target.index], let next = schemas[target.index].ref {
      guard spendEvaluation() else { return .invalid }
      let resource = schemas[target.index].resource
      if dynamicScope.last != resource {
        dynamicScope.append(resource)
        scopesEntered += 1
      }
      keywordPath.append(.keyword("$ref"))
      links += 1
      target = next
    }
    return evaluateSchema(target, node, track: track)
  }

  /// Counts one evaluation against the budget; false once validation is (or now gets) aborted.
  mutating func spendEvaluation() -> Bool {
    if aborted { return false }
    evaluations += 1
    guard evaluations <= validator.maximumEvaluations else {
      aborted = true
      abortReason = "validation stopped: the schema needs more than \(validator.maximumEvaluations) evaluations for this value"
      return false
    }
    return true
  }

  mutating func evaluateSchema(_ id: SchemaID, _ node: Node, track: Bool) -> EvaluationResult {
    guard spendEvaluation() else { return .invalid }
    let schema = schemas[id.index]
    if let flag = schema.boolean {
      if !flag {
        if schema.isCycleBreaker {
          fail(.schemaRefCycle, "the schema refers back to itself here without end; this part cannot be validated", schema, "$ref", node.range)
        } else {
          fail(.schemaFalse, "no value is allowed here", schema, "false", node.range)
        }
        return .invalid
      }
      return EvaluationResult(valid: true, evaluated: track ? Evaluated() : nil)
    }
    depth += 1
    defer { depth -= 1 }
    if depth > validator.maximumDepth {
      aborted = true
      abortReason = "validation stopped: the value or the schema is nested deeper than \(validator.maximumDepth) levels"
      return .invalid
    }
    let enteredScope = dynamicScope.last != schema.resource
    if enteredScope { dynamicScope.append(schema.resource) }
    defer { if enteredScope { dynamicScope.removeLast() } }

    let trackHere = track || schema.usesUnevaluated
    var evaluated: Evaluated? = trackHere ? Evaluated() : nil
    var valid = true

    // In-place applicators first: unevaluated* must see their annotations.
    if let ref = schema.ref, !evaluateInPlace(ref, node, track: trackHere, through: .keyword("$ref"), into: &evaluated) {
      valid = false
      if !collecting { return .invalid }
    }
    if schema.dynamicRef != nil,
      !evaluateInPlace(dynamicTarget(schema), node, track: trackHere, through: .keyword("$dynamicRef"), into: &evaluated)
    {
      valid = false
      if !collecting { return .invalid }
    }

    if !checkAssertions(schema, node) {
      valid = false
      if !collecting { return .invalid }
    }

    if !schema.allOf.isEmpty || !schema.anyOf.isEmpty || !schema.oneOf.isEmpty || schema.not != nil
      || schema.ifSchema != nil
    {
      if !evaluateCombinators(schema, node, trackHere, &evaluated) {
        valid = false
        if !collecting { return .invalid }
      }
    }

    switch node.kind {
    case .mapping(let entries):
      if !evaluateObject(schema, node, entries, trackHere, &evaluated) {
        valid = false
        if !collecting { return .invalid }
      }
    case .sequence(let items):
      if !evaluateArray(schema, node, items, trackHere, &evaluated) {
        valid = false
        if !collecting { return .invalid }
      }
    case .scalar:
      break
    }
    return valid ? EvaluationResult(valid: true, evaluated: evaluated) : .invalid
  }

  func dynamicTarget(_ schema: CompiledSchema) -> SchemaID {
    guard let initial = schema.dynamicRef else { return schema.id }
    guard let anchor = schema.dynamicRefAnchor else { return initial }
    for resource in dynamicScope {
      if let target = set.resources[resource].dynamicAnchors[anchor] { return target }
    }
    return initial
  }

  // MARK: Assertions on the value itself

  mutating func checkAssertions(_ schema: CompiledSchema, _ node: Node) -> Bool {
    var valid = true
    if let types = schema.types, !jsonType(of: node, matches: types) {
      fail(
        .schemaType, "expected \(describe(types)), found \(describeType(of: node))", schema, "type", node.range)
      valid = false
      if !collecting { return false }
    }
    if schema.hasConst, let expected = schema.constValue, !jsonEquals(node, expected) {
      fail(.schemaConst, "value must be \(renderValue(expected))", schema, "const", node.range)
      valid = false
      if !collecting { return false }
    }
    if let values = schema.enumValues, !enumContains(schema, values, node) {
      fail(.schemaEnum, "value must be one of \(MessageBounds.list(values, render: renderValue))", schema, "enum", node.range)
      valid = false
      if !collecting { return false }
    }
    guard case .scalar(let scalar) = node.kind else { return valid }
    if let number = SchemaNumber(scalar) {
      if !checkNumber(schema, number, node) { valid = false }
    } else if let text = stringValue(scalar) {
      if !checkString(schema, text, node) { valid = false }
    }
    return valid
  }

  func enumContains(_ schema: CompiledSchema, _ values: [Value], _ node: Node) -> Bool {
    if let lookup = validator.enumLookups[schema.id] { return lookup.contains(node) }
    return values.contains(where: { jsonEquals(node, $0) })
  }

  mutating func checkNumber(_ schema: CompiledSchema, _ number: SchemaNumber, _ node: Node) -> Bool {
    var valid = true
    func compare(_ bound: SchemaNumber) -> ComparisonResult? { SchemaNumber.compare(number, bound) }
    if let minimum = schema.minimum, compare(minimum) == .orderedAscending || compare(minimum) == nil {
      fail(.schemaMinimum, "\(number) is less than the minimum \(minimum)", schema, "minimum", node.range)
      valid = false
    }
    if let maximum = schema.maximum, compare(maximum) == .orderedDescending || compare(maximum) == nil {
      fail(.schemaMaximum, "\(number) is greater than the maximum \(maximum)", schema, "maximum", node.range)
      valid = false
    }
    if let bound = schema.exclusiveMinimum, compare(bound) != .orderedDescending {
      fail(.schemaExclusiveMinimum, "\(number) must be greater than \(bound)", schema, "exclusiveMinimum", node.range)
      valid = false
    }
    if let bound = schema.exclusiveMaximum, compare(bound) != .orderedAscending {
      fail(.schemaExclusiveMaximum, "\(number) must be less than \(bound)", schema, "exclusiveMaximum", node.range)
      valid = false
    }
    if let divisor = schema.multipleOf, !isMultiple(number, of: divisor) {
      fail(.schemaMultipleOf, "\(number) is not a multiple of \(divisor)", schema, "multipleOf", node.range)
      valid = false
    }
    return valid
  }

  mutating func checkString(_ schema: CompiledSchema, _ text: String, _ node: Node) -> Bool {
    var valid = true
    if schema.minLength != nil || schema.maxLength != nil {
      let length = text.unicodeScalars.count
      if let minimum = schema.minLength, length < minimum {
        fail(
          .schemaMinLength, "text is \(length) character\(length == 1 ? "" : "s") long, at least \(minimum) required",
          schema, "minLength", node.range)
        valid = false
      }
      if let maximum = schema.maxLength, length > maximum {
        fail(
          .schemaMaxLength, "text is \(length) characters long, at most \(maximum) allowed", schema, "maxLength",
          node.range)
        valid = false
      }
    }
    if let pattern = schema.pattern {
      switch patternTimeouts.match(pattern, text, as: .ecma262) {
      case .matched: break
      case .notMatched:
        fail(
          .schemaPattern,
          "\(PythonText.repr(string: MessageBounds.clipped(text))) does not match the pattern \(PythonText.repr(string: MessageBounds.clipped(pattern.source)))",
          schema, "pattern", node.range)
        valid = false
      case .tooCostly:
        fail(.schemaPatternTimeout, pattern.tooCostlyMessage, schema, "pattern", node.range)
        valid = false
      case .unreadable:
        fail(.schemaInvalidRegex, pattern.unreadableMessage(as: .ecma262), schema, "pattern", node.range)
        valid = false
      }
    }
    if validator.assertFormats, let format = schema.format, let problem = FormatChecker.problem(text, format: format) {
      fail(.schemaFormat, "\(PythonText.repr(string: text)) is not a valid \(format): \(problem)", schema, "format", node.range)
      valid = false
    }
    return valid
  }

  // MARK: Combinators

  mutating func evaluateCombinators(
    _ schema: CompiledSchema, _ node: Node, _ track: Bool, _ evaluated: inout Evaluated?
  ) -> Bool {
    var valid = true
    for (index, member) in schema.allOf.enumerated()
    where !evaluateInPlace(member, node, track: track, through: .keyword("allOf"), .index(index), into: &evaluated) {
      valid = false
      if !collecting { return false }
    }
    if !schema.anyOf.isEmpty {
      if !evaluateAlternatives(schema, schema.anyOf, keyword: "anyOf", node, track, &evaluated) {
        valid = false
        if !collecting { return false }
      }
    }
    if !schema.oneOf.isEmpty {
      if !evaluateAlternatives(schema, schema.oneOf, keyword: "oneOf", node, track, &evaluated) {
        valid = false
        if !collecting { return false }
      }
    }
    if let negated = schema.not {
      let result = quietly { $0.evaluate(negated, node, track: false) }
      if result.valid {
        fail(.schemaNot, "value must not match the schema under 'not'", schema, "not", node.range)
        valid = false
        if !collecting { return false }
      }
    }
    if let condition = schema.ifSchema {
      let result = quietly { $0.evaluate(condition, node, track: track) }
      if result.valid {
        if let inner = result.evaluated { evaluated?.merge(inner) }
        if let then = schema.thenSchema, !evaluateInPlace(then, node, track: track, through: .keyword("then"), into: &evaluated) {
          valid = false
        }
      } else if let otherwise = schema.elseSchema,
        !evaluateInPlace(otherwise, node, track: track, through: .keyword("else"), into: &evaluated)
      {
        valid = false
      }
    }
    return valid
  }

  /// Runs `body` without collecting violations (a boolean answer is all that is needed).
  mutating func quietly<T>(_ body: (inout Evaluator) -> T) -> T {
    let saved = collecting
    collecting = false
    defer { collecting = saved }
    return body(&self)
  }

  mutating func evaluateAlternatives(
    _ schema: CompiledSchema, _ members: [SchemaID], keyword: String, _ node: Node, _ track: Bool,
    _ evaluated: inout Evaluated?
  ) -> Bool {
    var validMembers: [Int] = []
    for (index, member) in members.enumerated() {
      if excludedByConstant(member, node) { continue }
      let result = quietly { $0.evaluate(member, node, track: track) }
      if aborted { return false }
      if result.valid {
        validMembers.append(index)
        if let inner = result.evaluated { evaluated?.merge(inner) }
        // anyOf needs every passing branch only for annotations; oneOf must count them all.
        if keyword == "anyOf" && !track { break }
      }
    }
    if keyword == "anyOf" && !validMembers.isEmpty { return true }
    if keyword == "oneOf" && validMembers.count == 1 { return true }
    guard collecting else { return false }
    if validMembers.count > 1 {
      fail(
        .schemaOneOf,
        "value matches more than one alternative of 'oneOf' (\(MessageBounds.list(validMembers, render: String.init)))",
        schema, keyword, node.range)
      return false
    }
    reportBestAlternative(schema, members, keyword: keyword, node)
    return false
  }

  func excludedByConstant(_ member: SchemaID, _ node: Node) -> Bool {
    guard case .mapping = node.kind, let constants = validator.memberConstants[member], !constants.isEmpty else { return false }
    for (name, expected) in constants {
      if let actual = node.lookup(name), !jsonEquals(actual, expected) { return true }
    }
    return false
  }

  /// Reports why the value fits none of the alternatives, through the one it was closest to.
  mutating func reportBestAlternative(_ schema: CompiledSchema, _ members: [SchemaID], keyword: String, _ node: Node) {
    if let chosen = AlternativeChooser(set: set).preferred(schema, members, node) {
      if case .failure(let code, let message) = chosen {
        fail(code, message, schema, code == .schemaDiscriminator ? "discriminator" : keyword, code == .schemaDiscriminator ? discriminatorRange(schema, node) : node.range)
        return
      }
      if case .member(let index) = chosen {
        _ = evaluate(members[index], node, track: false, through: .keyword(keyword), .index(index))
        return
      }
    }
    // Otherwise the branch that got furthest into the value: all of its complaints are about
    // values inside this one (its type matched), and there are fewest of them.
    var best: (index: Int, violations: [SchemaViolation])?
    let saved = violations
    let depthHere = instancePath.count
    for (index, member) in members.enumerated() {
      violations = []
      _ = evaluate(member, node, track: false, through: .keyword(keyword), .index(index))
      let found = violations
      let reachesInside = !found.isEmpty && found.allSatisfy { $0.instancePath.count > depthHere }
      if reachesInside {
        if best == nil || found.count < best!.violations.count { best = (index, found) }
      }
    }
    violations = saved
    if let best {
      violations += best.violations
      return
    }
    let expected = members.map { AlternativeChooser(set: set).describe($0) }
    var seen: Set<String> = []
    let unique = expected.filter { seen.insert($0).inserted }
    fail(
      keyword == "oneOf" ? FindingCode.schemaOneOf : .schemaAnyOf,
      "expected \(MessageBounds.list(unique, separator: " or ", render: { $0 })), found \(describeValue(node))", schema, keyword, node.range)
  }

  func discriminatorRange(_ schema: CompiledSchema, _ node: Node) -> ByteRange {
    if let name = schema.discriminator?.propertyName, let value = node.lookup(name) { return value.range }
    return objectRange(node)
  }

  // MARK: Objects

  mutating func evaluateObject(
    _ schema: CompiledSchema, _ node: Node, _ entries: [MappingEntry], _ track: Bool, _ evaluated: inout Evaluated?
  ) -> Bool {
    var valid = true
    let count = entries.count
    if let minimum = schema.minProperties, count < minimum {
      fail(.schemaMinProperties, "at least \(minimum) properties required, found \(count)", schema, "minProperties", objectRange(node))
      valid = false
      if !collecting { return false }
    }
    if let maximum = schema.maxProperties, count > maximum {
      fail(.schemaMaxProperties, "at most \(maximum) properties allowed, found \(count)", schema, "maxProperties", objectRange(node))
      valid = false
      if !collecting { return false }
    }
    for name in schema.required where !entries.contains(where: { $0.keyString?.isScalarExact(to: name) ?? false }) {
      fail(.schemaRequired, "missing required property '\(name)'", schema, "required", objectRange(node))
      valid = false
      if !collecting { return false }
    }
    for (name, required) in schema.dependentRequired where node.lookup(name) != nil {
      for dependency in required where node.lookup(dependency) == nil {
        fail(
          .schemaDependentRequired, "property '\(dependency)' is required when '\(name)' is present", schema,
          "dependentRequired", objectRange(node))
        valid = false
        if !collecting { return false }
      }
    }
    for (name, dependent) in schema.dependentSchemas
    where node.lookup(name) != nil
      && !evaluateInPlace(dependent, node, track: track, through: .keyword("dependentSchemas"), .keyword(name), into: &evaluated)
    {
      valid = false
      if !collecting { return false }
    }

    let hasPropertyKeywords =
      !schema.properties.isEmpty || !schema.patternProperties.isEmpty || schema.additionalProperties != nil
      || schema.propertyNames != nil
    if hasPropertyKeywords {
      for (index, entry) in entries.enumerated() {
        let name = entry.keyString ?? keyText(entry.key)
        var matched = false
        if let propertyNames = schema.propertyNames {
          let keyNode = Node(kind: .scalar(.string(name)), range: entry.key.range, style: entry.key.style)
          keywordPath.append(.keyword("propertyNames"))
          let result = evaluate(propertyNames, keyNode, track: false)
          keywordPath.removeLast()
          if !result.valid {
            valid = false
            if !collecting { return false }
          }
        }
        if let propertySchema = schema.property(name) {
          matched = true
          if !evaluateMember(propertySchema, entry, name, ["properties", name], track) {
            valid = false
            if !collecting { return false }
          }
        }
        for (pattern, patternSchema) in schema.patternProperties {
          switch patternTimeouts.match(pattern, name, as: .ecma262) {
          case .notMatched: continue
          case .tooCostly:
            // Neither covered by the pattern nor left to additionalProperties: undecided, so an error.
            matched = true
            fail(.schemaPatternTimeout, pattern.tooCostlyMessage, schema, "patternProperties", entry.key.range)
            valid = false
            if !collecting { return false }
            continue
          case .unreadable:
            matched = true
            fail(.schemaInvalidRegex, pattern.unreadableMessage(as: .ecma262), schema, "patternProperties", entry.key.range)
            valid = false
            if !collecting { return false }
            continue
          case .matched: break
          }
          matched = true
          if !evaluateMember(patternSchema, entry, name, ["patternProperties", pattern.source], track) {
            valid = false
            if !collecting { return false }
          }
        }
        if !matched, let additional = schema.additionalProperties {
          matched = true
          if schemas[additional.index].boolean == false && !schemas[additional.index].isCycleBreaker {
            fail(
              .schemaAdditionalProperty, "property '\(name)' is not allowed here\(suggestion(name, schema))", schema,
              "additionalProperties", entry.key.range)
            valid = false
            if !collecting { return false }
          } else if !evaluateMember(additional, entry, name, ["additionalProperties"], track) {
            valid = false
            if !collecting { return false }
          }
        }
        if matched, track { evaluated?.markProperty(index, of: count) }
      }
    }

    if let unevaluated = schema.unevaluatedProperties {
      for (index, entry) in entries.enumerated() where !(evaluated?.hasProperty(index) ?? false) {
        let name = entry.keyString ?? keyText(entry.key)
        if schemas[unevaluated.index].boolean == false {
          fail(
            .schemaUnevaluatedProperty, "property '\(name)' is not allowed here\(suggestion(name, schema))", schema,
            "unevaluatedProperties", entry.key.range)
          valid = false
          if !collecting { return false }
        } else if !evaluateMember(unevaluated, entry, name, ["unevaluatedProperties"], false) {
          valid = false
          if !collecting { return false }
        } else {
          evaluated?.markProperty(index, of: count)
        }
      }
    }
    return valid
  }

  func suggestion(_ name: String, _ schema: CompiledSchema) -> String {
    let candidates = schema.properties.map(\.name)
    guard let best = NameSuggestions.ranked(name, among: candidates).first else { return "" }
    return " (did you mean '\(best)'?)"
  }

  func keyText(_ key: Node) -> String {
    if let scalar = key.scalar { return PythonText.str(scalar) }
    return ""
  }

  mutating func evaluateMember(
    _ schema: SchemaID, _ entry: MappingEntry, _ name: String, _ keywords: [String], _ track: Bool
  ) -> Bool {
    for keyword in keywords { keywordPath.append(.keyword(keyword)) }
    instancePath.append(.key(name))
    keyRanges.append(entry.key.range)
    let result = evaluate(schema, entry.value, track: false)
    keyRanges.removeLast()
    instancePath.removeLast()
    keywordPath.removeLast(keywords.count)
    return result.valid
  }

  // MARK: Arrays

  mutating func evaluateArray(
    _ schema: CompiledSchema, _ node: Node, _ items: [Node], _ track: Bool, _ evaluated: inout Evaluated?
  ) -> Bool {
    var valid = true
    let count = items.count
    if let minimum = schema.minItems, count < minimum {
      fail(.schemaMinItems, "at least \(minimum) item\(minimum == 1 ? "" : "s") required, found \(count)", schema, "minItems", node.range)
      valid = false
      if !collecting { return false }
    }
    if let maximum = schema.maxItems, count > maximum {
      fail(.schemaMaxItems, "at most \(maximum) item\(maximum == 1 ? "" : "s") allowed, found \(count)", schema, "maxItems", node.range)
      valid = false
      if !collecting { return false }
    }
    if schema.uniqueItems, let (first, second) = firstDuplicate(items) {
      fail(
        .schemaUniqueItems, "items \(first) and \(second) are equal; items must be unique", schema, "uniqueItems",
        items[second].range)
      valid = false
      if !collecting { return false }
    }
    for (index, prefix) in schema.prefixItems.enumerated() where index < count {
      if !evaluateItem(prefix, items[index], index, .index(index), "prefixItems") {
        valid = false
        if !collecting { return false }
      }
      if track { evaluated?.markItem(index, of: count) }
    }
    if let itemSchema = schema.items, schema.prefixItems.count < count {
      // Through the buffer, items are passed by address instead of being copied one by one.
      let allValid = items.withUnsafeBufferPointer { buffer -> Bool in
        var allValid = true
        for index in schema.prefixItems.count..<count {
          if !evaluateItem(itemSchema, buffer[index], index, nil, "items") {
            allValid = false
            if !collecting { return false }
          }
          if track { evaluated?.markItem(index, of: count) }
        }
        return allValid
      }
      if !allValid {
        valid = false
        if !collecting { return false }
      }
    }
    if let contains = schema.contains {
      var matches = 0
      for (index, item) in items.enumerated() {
        let result = quietly { $0.evaluate(contains, item, track: false) }
        if result.valid {
          matches += 1
          if track { evaluated?.markItem(index, of: count) }
        }
      }
      let minimum = schema.minContains ?? 1
      if matches < minimum {
        if minimum == 1 && schema.minContains == nil {
          fail(.schemaContains, "no item matches the 'contains' schema", schema, "contains", node.range)
        } else {
          fail(
            .schemaMinContains, "\(matches) item\(matches == 1 ? "" : "s") match the 'contains' schema, at least \(minimum) required",
            schema, "minContains", node.range)
        }
        valid = false
        if !collecting { return false }
      }
      if let maximum = schema.maxContains, matches > maximum {
        fail(
          .schemaMaxContains, "\(matches) items match the 'contains' schema, at most \(maximum) allowed", schema,
          "maxContains", node.range)
        valid = false
        if !collecting { return false }
      }
    }
    if let unevaluated = schema.unevaluatedItems {
      for index in 0..<count where !(evaluated?.hasItem(index) ?? false) {
        if schemas[unevaluated.index].boolean == false {
          fail(.schemaUnevaluatedItem, "item \(index) is not allowed here", schema, "unevaluatedItems", items[index].range)
          valid = false
          if !collecting { return false }
        } else if !evaluateItem(unevaluated, items[index], index, nil, "unevaluatedItems") {
          valid = false
          if !collecting { return false }
        } else {
          evaluated?.markItem(index, of: count)
        }
      }
    }
    return valid
  }

  mutating func evaluateItem(_ schema: SchemaID, _ item: Node, _ index: Int, _ token: KeywordToken?, _ keyword: String) -> Bool {
    keywordPath.append(.keyword(keyword))
    if let token { keywordPath.append(token) }
    instancePath.append(.index(index))
    keyRanges.append(nil)
    let result = evaluate(schema, item, track: false)
    keyRanges.removeLast()
    instancePath.removeLast()
    keywordPath.removeLast(token == nil ? 1 : 2)
    return result.valid
  }

  func firstDuplicate(_ items: [Node]) -> (Int, Int)? {
    guard items.count > 1 else { return nil }
    if items.count > 64 {
      // Bucketed by a hash that agrees with JSON Schema equality: linear, where comparing every
      // pair of a large array is quadratic.
      var buckets: [Int: [Int]] = [:]
      for (index, item) in items.enumerated() {
        var hasher = Hasher()
        jsonHash(item, into: &hasher)
        let key = hasher.finalize()
        if let earlier = buckets[key] {
          let value = item.value
          if let first = earlier.first(where: { jsonEquals(items[$0], value) }) { return (first, index) }
        }
        buckets[key, default: []].append(index)
      }
      return nil
    }
    for first in 0..<items.count {
      let value = items[first].value
      for second in (first + 1)..<items.count where jsonEquals(items[second], value) {
        return (first, second)
      }
    }
    return nil
  }
}

/// Feeds `hasher` so that values `jsonEquals` finds equal hash alike (numbers by value, strings
/// by code points, objects regardless of member order).
func jsonHash(_ node: Node, into hasher: inout Hasher) {
  switch node.kind {
  case .scalar(let scalar):
    hasher.combine(0)
    if case .float(let number) = scalar, number.isNaN { return }
    hasher.combine(CanonicalScalar(scalar))
  case .sequence(let items):
    hasher.combine(1)
    hasher.combine(items.count)
    for item in items { jsonHash(item, into: &hasher) }
  case .mapping(let entries):
    hasher.combine(2)
    hasher.combine(entries.count)
    // Member order does not matter: combine the members' own hashes commutatively.
    var sum = 0
    for entry in entries {
      var member = Hasher()
      member.combine(Value.Key(entry.key.scalar ?? .null))
      jsonHash(entry.value, into: &member)
      sum = sum &+ member.finalize()
    }
    hasher.combine(sum)
  }
}

/// A string compared and hashed by its code points, as JSON Schema compares strings (a `String`
/// key would merge canonically equivalent texts, see `String.isScalarExact`).
struct CodePointText: Hashable, Sendable {
  let text: String
  /// Kept because hash tables compare the keys they probe: comparing digests first spares a
  /// byte-by-byte comparison per probe.
  private let digest: Int

  init(text: String) {
    self.text = text
    var hasher = Hasher()
    var copy = text
    copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    self.digest = hasher.finalize()
  }

  static func == (lhs: CodePointText, rhs: CodePointText) -> Bool {
    lhs.digest == rhs.digest && lhs.text.isScalarExact(to: rhs.text)
  }

  func hash(into hasher: inout Hasher) { hasher.combine(digest) }
}

/// A large `enum` as a hash set: membership of a scalar costs one lookup, not a scan of every value.
struct EnumLookup: Sendable {
  /// Enums with more values than this get a lookup; shorter ones are scanned.
  static let threshold = 16
  var scalars: Set<CanonicalScalar> = []
  /// Arrays and objects, compared one by one (rarely more than a few).
  var containers: [Value] = []

  init(_ values: [Value]) {
    scalars.reserveCapacity(values.count)
    for value in values {
      if case .scalar(let scalar) = value {
        if case .float(let number) = scalar, number.isNaN { continue }
        scalars.insert(CanonicalScalar(scalar))
      } else {
        containers.append(value)
      }
    }
  }

  func contains(_ node: Node) -> Bool {
    if case .scalar(let scalar) = node.kind {
      if case .float(let number) = scalar, number.isNaN { return false }
      return scalars.contains(CanonicalScalar(scalar))
    }
    return containers.contains { jsonEquals(node, $0) }
  }
}

/// A scalar in a form where JSON Schema's equality is `==` (1 and 1.0 are the same number).
struct CanonicalScalar: Hashable, Sendable {
  enum Kind: Hashable, Sendable {
    case string(CodePointText)
    case integer(BigInt)
    case float(Double)
    case boolean(Bool)
    case null
  }
  var kind: Kind
  init(_ scalar: Scalar) {
    switch scalar {
    case .string(let text): kind = .string(CodePointText(text: text))
    case .integer(let value): kind = .integer(value)
    case .float(let value):
      if let integer = SchemaNumber.float(value).integralValue { kind = .integer(integer) } else { kind = .float(value) }
    case .boolean(let flag): kind = .boolean(flag)
    case .null: kind = .null
    case .date, .datetime: kind = .string(CodePointText(text: stringValue(scalar) ?? ""))
    }
  }
}

// MARK: Value helpers shared by the validators

/// The text of a string-like scalar (YAML dates count as the ISO text they were written as).
func stringValue(_ scalar: Scalar) -> String? {
  switch scalar {
  case .string(let text): return text
  case .date(let stamp): return PythonText.isoDate(stamp)
  case .datetime(let stamp): return PythonText.isoDateTime(stamp, separator: "T")
  default: return nil
  }
}

func jsonType(of node: Node, matches types: JSONTypeSet) -> Bool {
  switch node.kind {
  case .mapping: return types.contains(.object)
  case .sequence: return types.contains(.array)
  case .scalar(let scalar):
    switch scalar {
    case .null: return types.contains(.null)
    case .boolean: return types.contains(.boolean)
    case .integer: return types.contains(.integer) || types.contains(.number)
    case .float(let value):
      if types.contains(.number) { return true }
      return types.contains(.integer) && value.isFinite && value.rounded(.towardZero) == value
    case .string, .date, .datetime: return types.contains(.string)
    }
  }
}

func describe(_ types: JSONTypeSet) -> String {
  let names = types.names
  if names.count <= 1 { return names.first ?? "nothing" }
  return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
}

func describeType(of node: Node) -> String {
  switch node.kind {
  case .mapping: return "object"
  case .sequence: return "array"
  case .scalar(let scalar):
    switch scalar {
    case .null: return "null"
    case .boolean: return "boolean"
    case .integer: return "integer"
    case .float: return "number"
    case .string: return "string"
    case .date: return "date"
    case .datetime: return "datetime"
    }
  }
}

func describeValue(_ node: Node) -> String {
  switch node.kind {
  case .mapping: return "an object"
  case .sequence: return "an array"
  case .scalar(let scalar): return "\(describeType(of: node)) \(renderScalar(scalar))"
  }
}

/// JSON Schema equality: numbers by value, booleans only equal booleans, objects regardless of order.
func jsonEquals(_ node: Node, _ value: Value) -> Bool {
  switch (node.kind, value) {
  case (.scalar(let left), .scalar(let right)): return jsonScalarEquals(left, right)
  case (.sequence(let items), .array(let elements)):
    guard items.count == elements.count else { return false }
    return zip(items, elements).allSatisfy { jsonEquals($0, $1) }
  case (.mapping, .object):
    return jsonValueEquals(node.value, value)
  default:
    return false
  }
}

func jsonValueEquals(_ left: Value, _ right: Value) -> Bool {
  switch (left, right) {
  case (.scalar(let a), .scalar(let b)): return jsonScalarEquals(a, b)
  case (.array(let a), .array(let b)):
    return a.count == b.count && zip(a, b).allSatisfy { jsonValueEquals($0, $1) }
  case (.object(let a), .object(let b)):
    guard a.count == b.count else { return false }
    var byKey: [Value.Key: Value] = [:]
    for member in b { byKey[member.key] = member.value }
    return a.allSatisfy { member in byKey[member.key].map { jsonValueEquals(member.value, $0) } ?? false }
  default: return false
  }
}

func jsonScalarEquals(_ left: Scalar, _ right: Scalar) -> Bool {
  switch (left, right) {
  case (.boolean(let a), .boolean(let b)): return a == b
  case (.boolean, _), (_, .boolean): return false
  default:
    if let a = SchemaNumber(left), let b = SchemaNumber(right) { return SchemaNumber.compare(a, b) == .orderedSame }
    if let a = stringValue(left), let b = stringValue(right) { return a.isScalarExact(to: b) }
    return left == right
  }
}

func isMultiple(_ number: SchemaNumber, of divisor: SchemaNumber) -> Bool {
  if case .integer(let value) = number, case .integer(let step) = divisor, step != 0 {
    return value % step == 0
  }
  let value = number.doubleValue
  let step = divisor.doubleValue
  guard value.isFinite, step.isFinite, step != 0 else { return false }
  let quotient = value / step
  guard quotient.isFinite else { return false }
  if quotient.rounded() == quotient { return true }
  // Decimal arithmetic for decimal steps (0.0075 is a multiple of 0.0001).
  if let exactValue = Decimal(string: "\(value)"), let exactStep = Decimal(string: "\(step)"), exactStep != 0 {
    var exactQuotient = exactValue / exactStep
    var rounded = Decimal()
    NSDecimalRound(&rounded, &exactQuotient, 0, .plain)
    return rounded == exactQuotient
  }
  return false
}

/// A short rendering of a value for messages, Python style (`'text'`, `1`, `True`, `None`).
/// Containers show their first five members and stop `MessageBounds.renderedDepth` levels down
/// (a value from the schema can nest as deep as its file).
func renderValue(_ value: Value) -> String {
  renderValue(value, depth: 0)
}

private func renderValue(_ value: Value, depth: Int) -> String {
  switch value {
  case .scalar(let scalar): return renderScalar(scalar)
  case .array(let elements):
    if depth >= MessageBounds.renderedDepth { return elements.isEmpty ? "[]" : "[…]" }
    return "[" + elements.prefix(5).map { renderValue($0, depth: depth + 1) }.joined(separator: ", ")
      + (elements.count > 5 ? ", …]" : "]")
  case .object(let members):
    if depth >= MessageBounds.renderedDepth { return members.isEmpty ? "{}" : "{…}" }
    return "{" + members.prefix(5).map { "\(renderScalar($0.key.scalar)): \(renderValue($0.value, depth: depth + 1))" }
      .joined(separator: ", ") + (members.count > 5 ? ", …}" : "}")
  }
}

func renderScalar(_ scalar: Scalar) -> String {
  switch scalar {
  case .string(let text): return PythonText.repr(string: MessageBounds.clipped(text))
  case .date(let stamp): return "date \(PythonText.isoDate(stamp))"
  case .datetime(let stamp): return "datetime \(PythonText.isoDateTime(stamp, separator: " "))"
  default: return PythonText.str(scalar)
  }
}

func utcOffsetText(_ minutes: Int, zulu: Bool) -> String {
  if minutes == 0 && zulu { return "Z" }
  return PythonText.utcOffset(minutes: minutes)
}

