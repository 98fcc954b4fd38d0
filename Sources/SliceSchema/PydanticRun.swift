import BigInt
import Foundation
import SliceSyntax

enum Exactness: Int, Comparable {
  case lax = 0
  case strict = 1
  case exact = 2
  static func < (lhs: Exactness, rhs: Exactness) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One validation of a slice the way pydantic does it (see `SliceValidator`): the errors, notes
/// and normalised value it gathers on the way.
struct PydanticRun {
  let validator: SliceValidator
  let set: SchemaSet
  let options: SliceValidationOptions
  let build: Bool
  var errors: [PydanticError] = []
  var notes: [Finding] = []
  var missing: [MissingProperties] = []
  /// Where the value being validated sits below the validated one (a caller's prefix).
  var basePath: [InstancePathComponent] = []
  /// The steps from the validated value to the one being validated: one push and one pop per
  /// step, where the instance path, pydantic's loc and the key ranges were three arrays each
  /// pushed and popped for every field of every object. They are rebuilt from the steps only
  /// when an error is recorded.
  var steps: [ValidationStep] = []

  /// The instance path of the value being validated.
  var path: [InstancePathComponent] {
    var path = basePath
    for step in steps {
      switch step {
      case .member(let name, _), .dictKey(let name), .managed(let name): path.append(.key(name))
      case .item(let index): path.append(.index(index))
      case .tag: break
      }
    }
    return path
  }

  /// pydantic's loc of the value being validated.
  var loc: [String] {
    var loc: [String] = []
    for step in steps {
      switch step {
      case .member(let name, _), .managed(let name), .tag(let name): loc.append(name)
      case .item(let index): loc.append(String(index))
      case .dictKey(let text): loc += [text, "[key]"]
      }
    }
    return loc
  }

  /// The range of the key of the innermost member or item being validated (nil for an item).
  var innermostKeyRange: ByteRange? {
    for step in steps.reversed() {
      switch step {
      case .member(_, let keyRange): return keyRange
      case .item: return nil
      case .dictKey, .managed, .tag: continue
      }
    }
    return nil
  }
  /// No mapping of the document holds a key twice: a model finds each field at its first entry.
  var keysAreDistinct = false
  var exactness: Exactness = .exact
  var fieldsSet: Int?
  var rootPending = false
  var placeholderRanges: Set<Int> = []
  var depth = 0
  var aborted = false
  var patternTimeouts = PatternTimeouts()
  /// Nested coercions allowed (guards the stack).
  static let maximumDepth = 6000

  init(validator: SliceValidator) {
    self.validator = validator
    self.set = validator.schemas
    self.options = validator.options
    self.build = validator.options.normalize
  }

  // MARK: Results

  func result(_ value: Value?) -> SliceValidation {
    var findings = notes
    for error in errors { findings.append(finding(for: error)) }
    findings.sort { ($0.range.lowerBound, $0.severity.rawValue) < ($1.range.lowerBound, $1.severity.rawValue) }
    return SliceValidation(
      errors: errors, findings: findings, normalized: errors.isEmpty && build ? value : nil, missing: missing)
  }

  func finding(for error: PydanticError) -> Finding {
    var code = Self.code(for: error.type)
    var message = error.message
    if placeholderRanges.contains(error.range.lowerBound) && error.type != "missing" {
      code = .placeholder
      message = "replace the placeholder '\(options.placeholder)': \(error.message)"
    }
    if error.type == "missing", let name = error.loc.last {
      message = "missing required property '\(name)'"
    } else if error.type == "extra_forbidden", let name = error.loc.last {
      message = "property '\(name)' is not allowed here (\(error.message))"
    }
    var related: [Finding.Related] = []
    if let schema = error.schema {
      let location = set.location(of: schema)
      related.append(Finding.Related(path: location.path ?? location.uri, range: location.range, message: "schema definition"))
    }
    return Finding(range: error.range, severity: .error, code: code, message: message, related: related, fixes: fixes[error.range.lowerBound, default: []])
  }

  var fixes: [Int: [Finding.Fix]] = [:]

  /// slicels codes for pydantic error types: the JSON Schema layer's code where one applies,
  /// else `schema-` and pydantic's type.
  static func code(for type: String) -> FindingCode {
    switch type {
    case "missing": return .schemaRequired
    case "literal_error", "enum": return .schemaEnum
    case "extra_forbidden": return .schemaAdditionalProperty
    case "union_tag_invalid", "union_tag_not_found": return .schemaDiscriminator
    case "greater_than_equal": return .schemaMinimum
    case "less_than_equal": return .schemaMaximum
    case "greater_than": return .schemaExclusiveMinimum
    case "less_than": return .schemaExclusiveMaximum
    case "multiple_of": return .schemaMultipleOf
    case "string_pattern_mismatch": return .schemaPattern
    case "pattern_timeout": return .schemaPatternTimeout
    case "pattern_unreadable": return .schemaInvalidRegex
    case "ref_cycle": return .schemaRefCycle
    case "string_too_short": return .schemaMinLength
    case "string_too_long": return .schemaMaxLength
    case "too_short": return .schemaMinItems
    case "too_long": return .schemaMaxItems
    case "none_required", "type": return .schemaType
    case "nesting_too_deep": return .schemaNestingTooDeep
    case "bool_parsing": return .schemaBoolParsing
    case "int_parsing": return .schemaIntParsing
    case "int_parsing_size": return .schemaIntParsingSize
    case "int_from_float": return .schemaIntFromFloat
    case "float_parsing": return .schemaFloatParsing
    case "finite_number": return .schemaFiniteNumber
    case "date_from_datetime_inexact": return .schemaDateFromDatetimeInexact
    case "date_from_datetime_parsing": return .schemaDateFromDatetimeParsing
    case "datetime_parsing": return .schemaDatetimeParsing
    case "datetime_from_date_parsing": return .schemaDatetimeFromDateParsing
    case "time_parsing": return .schemaTimeParsing
    case "uuid_parsing": return .schemaUUIDParsing
    case "url_parsing": return .schemaURLParsing
    case "ip_v4_address": return .schemaIPv4Address
    case "ip_v6_address": return .schemaIPv6Address
    case "never": return .schemaNever
    default:
      // Every `*_type` error (`int_type`, `model_attributes_type`, …) is a wrong type; a type
      // without its own code is pydantic's catch-all.
      return type.hasSuffix("_type") ? .schemaType : .schemaValueError
    }
  }

  // MARK: Recording

  mutating func error(_ type: String, _ message: String, _ range: ByteRange, schema: SchemaID?, extraLoc: [String] = [], extraPath: [InstancePathComponent] = []) {
    errors.append(
      PydanticError(
        type: type, message: message, loc: loc + extraLoc, path: path + extraPath, range: range,
        schema: schema.flatMap { $0.index >= 0 ? $0 : nil }))
  }

  mutating func note(_ code: FindingCode, _ severity: Finding.Severity, _ message: String, _ range: ByteRange, fixes: [Finding.Fix] = []) {
    notes.append(Finding(range: range, severity: severity, code: code, message: message, fixes: fixes))
  }

  func objectRange(_ node: Node) -> ByteRange {
    if let range = innermostKeyRange { return range }
    return node.range.lowerBound..<min(node.range.lowerBound + 1, node.range.upperBound)
  }

  mutating func floor(_ level: Exactness) {
    if level < exactness { exactness = level }
  }

  // MARK: Dispatch

  mutating func coerce(_ node: Node, _ id: SchemaID) -> Value? {
    if aborted { return nil }
    depth += 1
    defer { depth -= 1 }
    if depth > Self.maximumDepth {
      // Reference cycles were cut by the loader and alias chains collapsed: this is nesting.
      aborted = true
      error(
        "nesting_too_deep",
        "validation stopped: the value and its schema nest more than \(Self.maximumDepth) levels deep here",
        node.range, schema: id)
      return nil
    }
    if let text = node.stringValue, text == options.placeholder {
      placeholderRanges.insert(node.range.lowerBound)
      let before = errors.count
      let value = coerceKind(node, id)
      if errors.count == before {
        note(
          .placeholder, .warning,
          "'\(options.placeholder)' is a placeholder left by slice creation: replace it with a real value", node.range)
      }
      return value
    }
    return coerceKind(node, id)
  }

  mutating func coerceKind(_ node: Node, _ id: SchemaID) -> Value? {
    let schema = set[id]
    switch validator.kind(id) {
    case .any:
      return anyValue(node)
    case .never:
      if schema.isCycleBreaker {
        error("ref_cycle", "the schema refers back to itself here without end; this part cannot be validated", node.range, schema: nil)
      } else {
        error("never", "No value is allowed here", node.range, schema: id)
      }
      return nil
    case .alias(let target):
      return coerce(node, validator.aliasEnds[id.index] ?? target)
    case .nullable(let target):
      if node.isNull { return .null }
      return coerce(node, target)
    case .nullableUnion(let members):
      if node.isNull { return .null }
      return smartUnion(node, members, schema)
    case .union(let members):
      return smartUnion(node, members, schema)
    case .tagged(let discriminator, let members):
      return taggedUnion(node, discriminator, members, schema)
    case .literal(let values, let isEnum):
      return literal(node, values, isEnum: isEnum, schema)
    case .string(let format):
      return string(node, format: format, schema)
    case .integer:
      return integer(node, schema)
    case .number:
      return number(node, schema)
    case .boolean:
      return boolean(node, schema)
    case .null:
      if node.isNull { return .null }
      error("none_required", "Input should be None", node.range, schema: id)
      return nil
    case .list, .set:
      return list(node, schema, unique: validator.kind(id).isSet)
    case .tuple:
      return tuple(node, schema)
    case .dict:
      return dict(node, schema)
    case .model:
      return model(node, schema)
    case .multiType(let types):
      return multiType(node, types, schema)
    }
  }

  // MARK: Scalars

  mutating func string(_ node: Node, format: String?, _ schema: CompiledSchema) -> Value? {
    switch format {
    case "date-time": return dateTime(node, schema)
    case "date": return date(node, schema)
    case "uuid", "uuid1", "uuid3", "uuid4", "uuid5": return uuid(node, schema)
    case "ipv4": return ipAddress(node, schema, version: 4)
    case "ipv6": return ipAddress(node, schema, version: 6)
    case "uri": return url(node, schema)
    case "time": return time(node, schema)
    case "email": return email(node, schema)
    default: break
    }
    guard let text = node.stringValue else {
      error("string_type", "Input should be a valid string", node.range, schema: schema.id)
      return nil
    }
    guard checkString(text, node, schema) else { return nil }
    return build ? .string(text) : .null
  }

  mutating func checkString(_ text: String, _ node: Node, _ schema: CompiledSchema) -> Bool {
    var valid = true
    if schema.minLength != nil || schema.maxLength != nil {
      let length = text.unicodeScalars.count
      if let minimum = schema.minLength, length < minimum {
        error(
          "string_too_short", "String should have at least \(minimum) character\(minimum == 1 ? "" : "s")", node.range,
          schema: schema.id)
        valid = false
      } else if let maximum = schema.maxLength, length > maximum {
        error(
          "string_too_long", "String should have at most \(maximum) character\(maximum == 1 ? "" : "s")", node.range,
          schema: schema.id)
        valid = false
      }
    }
    if valid, let pattern = schema.pattern {
      switch patternTimeouts.match(pattern, text, as: .rustRegex) {
      case .matched: break
      case .notMatched:
        error(
          "string_pattern_mismatch", "String should match pattern '\(MessageBounds.clipped(pattern.source))'", node.range,
          schema: schema.id)
        valid = false
      case .tooCostly:
        // pydantic-core's linear engine always answers; past the budget slicels cannot, and says so.
        error("pattern_timeout", pattern.tooCostlyMessage, node.range, schema: schema.id)
        valid = false
      case .unreadable:
        error("pattern_unreadable", pattern.unreadableMessage(as: .rustRegex), node.range, schema: schema.id)
        valid = false
      }
    }
    return valid
  }

  mutating func integer(_ node: Node, _ schema: CompiledSchema) -> Value? {
    guard case .scalar(let scalar) = node.kind else {
      error("int_type", "Input should be a valid integer", node.range, schema: schema.id)
      return nil
    }
    let value: BigInt
    switch scalar {
    case .integer(let number):
      value = number
    case .boolean(let flag):
      floor(.lax)
      value = flag ? 1 : 0
    case .float(let number):
      floor(.lax)
      guard let integral = floatAsInt(number, node, schema) else { return nil }
      value = integral
    case .string(let text):
      floor(.lax)
      switch LaxParsing.integer(from: text) {
      case .value(let number): value = number
      case .invalid:
        error("int_parsing", "Input should be a valid integer, unable to parse string as an integer", node.range, schema: schema.id)
        return nil
      case .tooLong:
        error("int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size", node.range, schema: schema.id)
        return nil
      }
    default:
      error("int_type", "Input should be a valid integer", node.range, schema: schema.id)
      return nil
    }
    guard checkNumber(.integer(value), node, schema) else { return nil }
    return rewritten(node, as: .integer(value))
  }

  mutating func floatAsInt(_ number: Double, _ node: Node, _ schema: CompiledSchema) -> BigInt? {
    if !number.isFinite {
      error("finite_number", "Input should be a finite number", node.range, schema: schema.id)
      return nil
    }
    if number.rounded(.towardZero) != number {
      error("int_from_float", "Input should be a valid integer, got a number with a fractional part", node.range, schema: schema.id)
      return nil
    }
    guard number > -9.223372036854775808e18 && number < 9.223372036854775808e18 else {
      error("int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size", node.range, schema: schema.id)
      return nil
    }
    return BigInt(Int64(number))
  }

  mutating func number(_ node: Node, _ schema: CompiledSchema) -> Value? {
    guard case .scalar(let scalar) = node.kind else {
      error("float_type", "Input should be a valid number", node.range, schema: schema.id)
      return nil
    }
    let value: Double
    switch scalar {
    case .float(let number): value = number
    case .integer(let number):
      floor(.strict)
      let converted = Double(number)
      guard converted.isFinite else {
        error("float_type", "Input should be a valid number", node.range, schema: schema.id)
        return nil
      }
      value = converted
    case .boolean(let flag):
      floor(.lax)
      value = flag ? 1 : 0
    case .string(let text):
      floor(.lax)
      guard let parsed = LaxParsing.float(from: text) else {
        error("float_parsing", "Input should be a valid number, unable to parse string as a number", node.range, schema: schema.id)
        return nil
      }
      value = parsed
    default:
      error("float_type", "Input should be a valid number", node.range, schema: schema.id)
      return nil
    }
    guard checkNumber(.float(value), node, schema) else { return nil }
    return rewritten(node, as: .float(value))
  }

  mutating func checkNumber(_ number: SchemaNumber, _ node: Node, _ schema: CompiledSchema) -> Bool {
    func compare(_ bound: SchemaNumber) -> ComparisonResult? { SchemaNumber.compare(number, bound) }
    if let divisor = schema.multipleOf, !isMultiple(number, of: divisor) {
      error("multiple_of", "Input should be a multiple of \(divisor)", node.range, schema: schema.id)
      return false
    }
    if let bound = schema.exclusiveMinimum, compare(bound) != .orderedDescending {
      error("greater_than", "Input should be greater than \(bound)", node.range, schema: schema.id)
      return false
    }
    if let bound = schema.minimum, compare(bound) == .orderedAscending || compare(bound) == nil {
      error("greater_than_equal", "Input should be greater than or equal to \(bound)", node.range, schema: schema.id)
      return false
    }
    if let bound = schema.exclusiveMaximum, compare(bound) != .orderedAscending {
      error("less_than", "Input should be less than \(bound)", node.range, schema: schema.id)
      return false
    }
    if let bound = schema.maximum, compare(bound) == .orderedDescending || compare(bound) == nil {
      error("less_than_equal", "Input should be less than or equal to \(bound)", node.range, schema: schema.id)
      return false
    }
    return true
  }

  mutating func boolean(_ node: Node, _ schema: CompiledSchema) -> Value? {
    guard case .scalar(let scalar) = node.kind else {
      error("bool_type", "Input should be a valid boolean", node.range, schema: schema.id)
      return nil
    }
    let flag: Bool
    switch scalar {
    case .boolean(let value): flag = value
    case .string(let text):
      floor(.lax)
      guard let value = LaxParsing.boolean(from: text) else {
        error("bool_parsing", "Input should be a valid boolean, unable to interpret input", node.range, schema: schema.id)
        return nil
      }
      flag = value
    case .integer(let number):
      floor(.lax)
      guard Int64(exactly: number) != nil else {
        error("bool_type", "Input should be a valid boolean", node.range, schema: schema.id)
        return nil
      }
      guard number == 0 || number == 1 else {
        error("bool_parsing", "Input should be a valid boolean, unable to interpret input", node.range, schema: schema.id)
        return nil
      }
      flag = number == 1
    case .float(let number):
      floor(.lax)
      guard number.isFinite, number.rounded(.towardZero) == number, abs(number) < 9.2e18 else {
        error("bool_type", "Input should be a valid boolean", node.range, schema: schema.id)
        return nil
      }
      guard number == 0 || number == 1 else {
        error("bool_parsing", "Input should be a valid boolean, unable to interpret input", node.range, schema: schema.id)
        return nil
      }
      flag = number == 1
    default:
      error("bool_type", "Input should be a valid boolean", node.range, schema: schema.id)
      return nil
    }
    return rewritten(node, as: .boolean(flag))
  }

  mutating func literal(_ node: Node, _ values: [Value], isEnum: Bool, _ schema: CompiledSchema) -> Value? {
    func fail(_ run: inout PydanticRun) -> Value? {
      run.error(isEnum ? "enum" : "literal_error", "Input should be \(Self.expectedText(values))", node.range, schema: schema.id)
      run.suggestReplacement(node, values)
      return nil
    }
    guard case .scalar(let scalar) = node.kind else { return fail(&self) }
    let candidates: [Value]
    if let lookup = validator.literalLookups[schema.id] {
      candidates = lookup.candidates(for: scalar).map { values[$0] }
    } else {
      candidates = values
    }
    for value in candidates {
      guard case .scalar(let candidate) = value else { continue }
      switch (candidate, scalar) {
      case (.string(let a), .string(let b)) where a.isScalarExact(to: b): return value
      case (.boolean(let a), .boolean(let b)) where a == b: return value
      case (.null, .null): return value
      case (.integer(let a), .integer(let b)):
        if Int64(exactly: b) == nil && !isEnum {
          error("int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size", node.range, schema: schema.id)
          return nil
        }
        if a == b { return value }
      case (.integer(let a), .boolean(let b)) where a == (b ? 1 : 0):
        floor(.lax)
        noteRewrite(node, value)
        return value
      case (.integer(let a), .float(let b)) where b.isFinite && b.rounded(.towardZero) == b && BigInt(exactly: b) == a:
        floor(.lax)
        noteRewrite(node, value)
        return value
      case (.float(let a), .float(let b)) where a == b: return value
      case (.float(let a), .integer(let b)) where Double(b) == a:
        floor(.lax)
        return value
      default: continue
      }
    }
    return fail(&self)
  }

  static func expectedText(_ values: [Value]) -> String {
    if values.isEmpty { return "nothing" }
    return MessageBounds.list(values, lastSeparator: " or ", render: renderValue)
  }

  /// A replace-the-value fix when a string was meant to be one of the allowed strings.
  mutating func suggestReplacement(_ node: Node, _ values: [Value]) {
    guard let text = node.stringValue else { return }
    let allowed = values.prefix(NameSuggestions.maximumCandidates).compactMap { $0.scalarValue.flatMap { scalar -> String? in
      if case .string(let option) = scalar { return option }
      return nil
    } }
    let ranked = NameSuggestions.ranked(text, among: allowed)
    guard !ranked.isEmpty else { return }
    fixes[node.range.lowerBound, default: []] += ranked.prefix(3).enumerated().map { index, option in
      Finding.Fix(
        title: "Replace with '\(option)'", edits: [TextEdit(range: node.range, newText: TextRendering.string(option, like: node))],
        isPreferred: index == 0 && ranked.count == 1)
    }
  }

  // MARK: Dates, UUIDs, addresses

  mutating func dateTime(_ node: Node, _ schema: CompiledSchema) -> Value? {
    floor(.lax)
    let parsed: Timestamp
    switch node.kind {
    case .scalar(.datetime(let stamp)):
      parsed = stamp
    case .scalar(.date(let stamp)):
      parsed = Timestamp(year: stamp.year, month: stamp.month, day: stamp.day)
    case .scalar(.string(let text)):
      do {
        parsed = try LaxParsing.dateTime(text).timestamp
      } catch {
        // Lax mode: a plain date is a datetime at midnight; the date reading's error is reported.
        do {
          let date = try LaxParsing.date(Array(text.utf8))
          parsed = Timestamp(year: date.year, month: date.month, day: date.day)
        } catch let dateError as LaxParsing.TemporalError {
          self.error(
            "datetime_from_date_parsing", "Input should be a valid datetime or date, \(dateError.message)", node.range,
            schema: schema.id)
          return nil
        } catch {
          return nil
        }
      }
    case .scalar(.integer(let number)):
      do { parsed = try LaxParsing.fromTimestamp(integer: number).timestamp } catch let problem as LaxParsing.TemporalError {
        error("datetime_parsing", "Input should be a valid datetime, \(problem.message)", node.range, schema: schema.id)
        return nil
      } catch { return nil }
    case .scalar(.float(let number)):
      do { parsed = try LaxParsing.fromTimestamp(float: number).timestamp } catch let problem as LaxParsing.TemporalError {
        error("datetime_parsing", "Input should be a valid datetime, \(problem.message)", node.range, schema: schema.id)
        return nil
      } catch { return nil }
    default:
      error("datetime_type", "Input should be a valid datetime", node.range, schema: schema.id)
      return nil
    }
    if parsed.year == 0 {
      error("datetime_parsing", "Input should be a valid datetime, year 0 is out of range", node.range, schema: schema.id)
      return nil
    }
    return rewritten(node, as: .string(LaxParsing.renderDateTime(parsed)))
  }

  mutating func date(_ node: Node, _ schema: CompiledSchema) -> Value? {
    floor(.lax)
    // pydantic reads a date from a datetime (or a string or number that reads as one) only
    // when its time is exactly midnight.
    func exactDate(_ read: () throws -> Timestamp) -> Timestamp? {
      let stamp: Timestamp
      do { stamp = try read() } catch let problem as LaxParsing.TemporalError {
        error("date_from_datetime_parsing", "Input should be a valid date or datetime, \(problem.message)", node.range, schema: schema.id)
        return nil
      } catch { return nil }
      guard stamp.hour == 0, stamp.minute == 0, stamp.second == 0, stamp.microsecond == 0 else {
        error("date_from_datetime_inexact", "Datetimes provided to dates should have zero time - e.g. be exact dates", node.range, schema: schema.id)
        return nil
      }
      return stamp
    }
    let stamp: Timestamp
    switch node.kind {
    case .scalar(.date(let value)):
      stamp = value
    case .scalar(.datetime(let value)):
      guard let exact = exactDate({ value }) else { return nil }
      stamp = exact
    case .scalar(.string(let text)):
      if let date = try? LaxParsing.date(Array(text.utf8)) {
        stamp = Timestamp(year: date.year, month: date.month, day: date.day)
      } else {
        guard let exact = exactDate({ try LaxParsing.dateTime(text).timestamp }) else { return nil }
        stamp = exact
      }
    case .scalar(.integer(let number)):
      guard let exact = exactDate({ try LaxParsing.fromTimestamp(integer: number).timestamp }) else { return nil }
      stamp = exact
    case .scalar(.float(let number)):
      guard let exact = exactDate({ try LaxParsing.fromTimestamp(float: number).timestamp }) else { return nil }
      stamp = exact
    default:
      error("date_type", "Input should be a valid date", node.range, schema: schema.id)
      return nil
    }
    return rewritten(node, as: .string(PythonText.isoDate(stamp)))
  }

  mutating func uuid(_ node: Node, _ schema: CompiledSchema) -> Value? {
    guard let text = node.stringValue else {
      error("uuid_type", "UUID input should be a string, bytes or UUID object", node.range, schema: schema.id)
      return nil
    }
    floor(.lax)
    switch LaxParsing.uuid(text) {
    case .success(let canonical):
      return rewritten(node, as: .string(canonical))
    case .failure(let message):
      error("uuid_parsing", "Input should be a valid UUID, \(message)", node.range, schema: schema.id)
      return nil
    }
  }

  mutating func ipAddress(_ node: Node, _ schema: CompiledSchema, version: Int) -> Value? {
    floor(.lax)
    var text: String?
    switch node.kind {
    case .scalar(.string(let input)): text = version == 4 ? LaxParsing.ipv4(input) : LaxParsing.ipv6(input)
    case .scalar(.integer(let number)) where version == 4: text = LaxParsing.ipv4(fromInteger: number)
    case .scalar(.boolean(let flag)) where version == 4: text = LaxParsing.ipv4(fromInteger: flag ? 1 : 0)
    default: text = nil
    }
    guard let text else {
      error("ip_v\(version)_address", "Input is not a valid IPv\(version) address", node.range, schema: schema.id)
      return nil
    }
    return rewritten(node, as: .string(text))
  }

  /// `AnyUrl`/`HttpUrl` (format `uri`): an absolute URL, normalised like the WHATWG parser pydantic
  /// uses for the common cases (lower-case scheme and host, default port dropped, `/` path).
  mutating func url(_ node: Node, _ schema: CompiledSchema) -> Value? {
    guard let text = node.stringValue else {
      error("url_type", "URL input should be a string or URL", node.range, schema: schema.id)
      return nil
    }
    floor(.lax)
    guard let normalized = LaxParsing.url(text) else {
      error("url_parsing", "Input should be a valid URL, relative URL without a base", node.range, schema: schema.id)
      return nil
    }
    guard checkString(text, node, schema) else { return nil }
    return rewritten(node, as: .string(normalized))
  }

  mutating func time(_ node: Node, _ schema: CompiledSchema) -> Value? {
    floor(.lax)
    var parsed = LaxParsing.ParsedTime()
    switch node.kind {
    case .scalar(.string(let text)):
      do {
        let bytes = Array(text.utf8)
        parsed = try LaxParsing.timePartial(bytes, from: 0)
        if parsed.length < bytes.count { throw LaxParsing.TemporalError.extraCharacters }
      } catch let problem as LaxParsing.TemporalError {
        error("time_parsing", "Input should be in a valid time format, \(problem.message)", node.range, schema: schema.id)
        return nil
      } catch { return nil }
    case .scalar(.integer(let seconds)) where seconds >= 0 && seconds < 86_400:
      let value = Int(seconds)
      parsed.hour = value / 3600
      parsed.minute = value % 3600 / 60
      parsed.second = value % 60
      parsed.offset = 0
    default:
      error("time_type", "Input should be a valid time", node.range, schema: schema.id)
      return nil
    }
    var text = String(format: "%02d:%02d:%02d", parsed.hour, parsed.minute, parsed.second)
    if parsed.microsecond != 0 { text += String(format: ".%06d", parsed.microsecond) }
    if let offset = parsed.offset { text += utcOffsetText(offset / 60, zulu: true) }
    return rewritten(node, as: .string(text))
  }

  /// `EmailStr`: a local part and a domain; the domain is written in lower case.
  mutating func email(_ node: Node, _ schema: CompiledSchema) -> Value? {
    guard let text = node.stringValue else {
      error("string_type", "Input should be a valid string", node.range, schema: schema.id)
      return nil
    }
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
      !text.contains(" ")
    else {
      error("value_error", "value is not a valid email address: An email address must have an @-sign and a domain.", node.range, schema: schema.id)
      return nil
    }
    return rewritten(node, as: .string(parts[0] + "@" + parts[1].lowercased()))
  }

  /// The value a lax rule read from `node` (`.null` when the run only validates), noting the
  /// rewrite when it differs from the input.
  mutating func rewritten(_ node: Node, as result: Value) -> Value {
    noteRewrite(node, result)
    return build ? result : .null
  }

  /// Hints the user when the update compile will write this value differently (`"80"` → `80`).
  mutating func noteRewrite(_ node: Node, _ result: Value) {
    guard case .scalar(let input) = node.kind, case .scalar(let output) = result else { return }
    if Self.identical(input, output) { return }
    let crossesKinds = Self.category(input) != Self.category(output)
    let replacement = TextRendering.scalar(output, like: node)
    // Said in the file's own spelling (`true`, not Python's `True`), as the inlay hint shows it.
    let rendered = replacement.map { MessageBounds.clipped($0) } ?? renderScalar(output)
    let message = "the update compile writes this value as \(rendered)"
    var fixes: [Finding.Fix] = []
    if let replacement {
      fixes.append(Finding.Fix(title: "Write \(rendered)", edits: [TextEdit(range: node.range, newText: replacement)]))
    }
    note(.coercedValue, crossesKinds ? .warning : .hint, message, node.range, fixes: fixes)
  }

  static func identical(_ a: Scalar, _ b: Scalar) -> Bool {
    switch (a, b) {
    case (.string(let x), .string(let y)): return x.isScalarExact(to: y)
    case (.integer(let x), .integer(let y)): return x == y
    case (.float(let x), .float(let y)): return x == y || (x.isNaN && y.isNaN)
    case (.boolean(let x), .boolean(let y)): return x == y
    case (.null, .null): return true
    default: return false
    }
  }

  enum ScalarCategory { case text, number, boolean, null }

  static func category(_ scalar: Scalar) -> ScalarCategory {
    switch scalar {
    case .string, .date, .datetime: return .text
    case .integer, .float: return .number
    case .boolean: return .boolean
    case .null: return .null
    }
  }

  // MARK: Containers

  mutating func list(_ node: Node, _ schema: CompiledSchema, unique: Bool) -> Value? {
    guard case .sequence(let items) = node.kind else {
      error(unique ? "set_type" : "list_type", unique ? "Input should be a valid set" : "Input should be a valid list", node.range, schema: schema.id)
      return nil
    }
    var output: [Value] = []
    if build { output.reserveCapacity(items.count) }
    var valid = true
    var seen: Set<PythonHashed> = []
    items.withUnsafeBufferPointer { buffer in
      for index in buffer.indices {
        steps.append(.item(index))
        let value = schema.items.map { coerce(buffer[index], $0) } ?? anyValue(buffer[index])
        steps.removeLast()
        if let value {
          if build {
            if unique, !seen.insert(PythonHashed(value: value)).inserted { continue }
            output.append(value)
          }
        } else {
          valid = false
        }
      }
    }
    guard valid else { return nil }
    let kindName = unique ? "Set" : "List"
    if let minimum = schema.minItems, items.count < minimum {
      error("too_short", "\(kindName) should have at least \(minimum) item\(minimum == 1 ? "" : "s") after validation, not \(items.count)", node.range, schema: schema.id)
      return nil
    }
    if let maximum = schema.maxItems, items.count > maximum {
      error("too_long", "\(kindName) should have at most \(maximum) item\(maximum == 1 ? "" : "s") after validation, not \(items.count)", node.range, schema: schema.id)
      return nil
    }
    return build ? .array(output) : .null
  }

  mutating func tuple(_ node: Node, _ schema: CompiledSchema) -> Value? {
    guard case .sequence(let items) = node.kind else {
      error("tuple_type", "Input should be a valid tuple", node.range, schema: schema.id)
      return nil
    }
    var output: [Value] = []
    var valid = true
    for (index, item) in items.enumerated() {
      let itemSchema: SchemaID? = index < schema.prefixItems.count ? schema.prefixItems[index] : schema.items
      guard let itemSchema else {
        if schema.items == nil && set[schema.id].keywordKeyRanges["items"] != nil { break }
        error("too_long", "Tuple should have at most \(schema.prefixItems.count) items after validation, not \(items.count)", node.range, schema: schema.id)
        return nil
      }
      steps.append(.item(index))
      let value = coerce(item, itemSchema)
      steps.removeLast()
      if let value { output.append(value) } else { valid = false }
    }
    if items.count < schema.prefixItems.count {
      for index in items.count..<schema.prefixItems.count {
        error("missing", "Field required", node.range, schema: schema.id, extraLoc: [String(index)], extraPath: [.index(index)])
      }
      return nil
    }
    return valid ? (build ? .array(output) : .null) : nil
  }

  mutating func dict(_ node: Node, _ schema: CompiledSchema) -> Value? {
    guard case .mapping(let entries) = node.kind else {
      error("dict_type", "Input should be a valid dictionary", node.range, schema: schema.id)
      return nil
    }
    var output: [Value.Member] = []
    var indexByKey: [Value.Key: Int] = [:]
    var indexByLoadedKey: [Value.Key: Int] = [:]
    var valid = true
    for entry in entries {
      let keyScalar = entry.key.scalar ?? .null
      let keyText = PythonText.str(keyScalar)
      var key = Value.Key(keyScalar)
      if let names = schema.propertyNames {
        steps.append(.dictKey(keyText))
        if let coerced = coerce(entry.key, names) { key = Value.Key(coerced.scalarValue ?? keyScalar) } else { valid = false }
        steps.removeLast()
      } else if !isStringKey(keyScalar), dictKeysAreStrings(schema) {
        error("string_type", "Input should be a valid string", entry.key.range, schema: schema.id, extraLoc: [keyText, "[key]"], extraPath: [.key(keyText)])
        valid = false
        continue
      }
      steps.append(.member(keyText, keyRange: entry.key.range))
      let value = schema.additionalProperties.map { coerce(entry.value, $0) } ?? anyValue(entry.value)
      steps.removeLast()
      guard let value else {
        valid = false
        continue
      }
      if build {
        // Two collapses, as in the reference: loading keeps one key of those Python holds equal
        // (`1`, `true`, `1.0`: the first key, the last value), then the JSON-mode dump turns
        // keys into strings, where `1` and `"1"` meet (the first position, the last value).
        if let existing = indexByLoadedKey[key] {
          output[existing].value = value
          continue
        }
        let member = Value.Member(key: jsonKey(key), value: value)
        if let existing = indexByKey[member.key] {
          output[existing] = member
          indexByLoadedKey[key] = existing
        } else {
          indexByKey[member.key] = output.count
          indexByLoadedKey[key] = output.count
          output.append(member)
        }
      }
    }
    guard valid else { return nil }
    if let minimum = schema.minProperties, entries.count < minimum {
      error("too_short", "Dictionary should have at least \(minimum) item\(minimum == 1 ? "" : "s") after validation, not \(entries.count)", node.range, schema: schema.id)
      return nil
    }
    if let maximum = schema.maxProperties, entries.count > maximum {
      error("too_long", "Dictionary should have at most \(maximum) item\(maximum == 1 ? "" : "s") after validation, not \(entries.count)", node.range, schema: schema.id)
      return nil
    }
    return build ? .object(output) : .null
  }

  func isStringKey(_ scalar: Scalar) -> Bool {
    if case .string = scalar { return true }
    return false
  }

  /// pydantic writes `dict[str, X]` as a plain object schema; a bare `dict` looks the same, so
  /// keys are only checked when the value schema is typed (the common `dict[str, X]`).
  func dictKeysAreStrings(_ schema: CompiledSchema) -> Bool {
    guard let values = schema.additionalProperties else { return false }
    return set[values].boolean == nil
  }

  /// JSON-mode keys are strings (`1` → `"1"`, `True` → `"true"`).
  func jsonKey(_ key: Value.Key) -> Value.Key {
    switch key.scalar {
    case .string: return key
    case .boolean(let flag): return .string(flag ? "true" : "false")
    case .null: return .string("None")
    case .integer(let value): return .string(value.description)
    case .float(let value): return .string(PythonText.float(value))
    case .date(let stamp): return .string(PythonText.isoDate(stamp))
    case .datetime(let stamp): return .string(LaxParsing.renderDateTime(stamp))
    }
  }

  /// Any value, dumped in JSON mode (dates become ISO text, keys strings).
  func anyValue(_ node: Node) -> Value? {
    guard build else { return .null }
    return jsonMode(node.value)
  }

  func jsonMode(_ value: Value) -> Value {
    switch value {
    case .scalar(.date(let stamp)): return .string(PythonText.isoDate(stamp))
    case .scalar(.datetime(let stamp)): return .string(LaxParsing.renderDateTime(stamp))
    case .scalar: return value
    case .array(let elements): return .array(elements.map(jsonMode))
    case .object(let members):
      return .object(members.map { Value.Member(key: jsonKey($0.key), value: jsonMode($0.value)) })
    }
  }

  // MARK: Models

  mutating func model(_ node: Node, _ schema: CompiledSchema) -> Value? {
    let isRoot = rootPending
    rootPending = false
    guard case .mapping(let entries) = node.kind else {
      let name = schema.title ?? schema.definitionName ?? "model"
      error("model_type", "Input should be a valid dictionary or instance of \(name)", node.range, schema: schema.id)
      return nil
    }
    // The last occurrence of a key wins, like a Python dict. Small objects are scanned (cheaper
    // than hashing every key); large ones get an index.
    var lastIndex = KeyIndex(entries)
    var output: [Value.Member] = []
    if build { output.reserveCapacity(schema.properties.count) }
    var valid = true
    var missingNames: [String] = []
    var fieldsMatched = 0
    var matchedEntries = EntryFlags(count: entries.count)
    for (name, propertyID) in schema.properties {
      if let index = keysAreDistinct ? lastIndex.onlyPosition(of: name) : lastIndex.last(name) {
        fieldsMatched += 1
        matchedEntries.set(index)
        // Read in place: a copy of the entry retains both of its nodes.
        steps.append(.member(name, keyRange: entries[index].key.range))
        let value = coerce(entries[index].value, propertyID)
        steps.removeLast()
        if let value {
          if build { output.append(Value.Member(name, value)) }
        } else {
          valid = false
        }
      } else if schema.required.contains(name) {
        error("missing", "Field required", objectRange(node), schema: propertyID, extraLoc: [name], extraPath: [.key(name)])
        missingNames.append(name)
        valid = false
      } else if build, let value = defaultValue(propertyID) {
        output.append(Value.Member(name, value))
      }
    }
    if !missingNames.isEmpty {
      let query = SchemaQuery(schemas: set, options: options)
      let scaffold = missingNames.compactMap { name -> Value.Member? in
        guard let propertyID = schema.property(name) else { return nil }
        return Value.Member(name, query.scaffoldValue(for: propertyID, required: true))
      }
      missing.append(MissingProperties(path: path, objectRange: node.range, names: missingNames, scaffold: scaffold))
    }

    // Properties the model does not declare.
    let additional = schema.additionalProperties
    for (index, entry) in entries.enumerated() {
      // A field matched above needs no second look (the common case: every key is a field).
      if matchedEntries.contains(index) { continue }
      let keyString = lastIndex.key(at: index)
      let name = keyString ?? PythonText.str(entry.key.scalar ?? .null)
      if keyString != nil, schema.property(name) != nil { continue }
      if keyString != nil, lastIndex.last(name) != index { continue }
      if keyString != nil, options.managedAttributes.contains(name) || (isRoot && options.rootManagedAttributes.contains(name)) {
        checkManaged(entry, name)
        continue
      }
      if let additional {
        if set[additional].boolean == false {
          error("extra_forbidden", "Extra inputs are not permitted", entry.key.range, schema: additional, extraLoc: [name], extraPath: [.key(name)])
          addRenameFix(entry, name, schema, lastIndex)
          valid = false
          continue
        }
        steps.append(.member(name, keyRange: entry.key.range))
        let value = coerce(entry.value, additional)
        steps.removeLast()
        if let value {
          if build { output.append(Value.Member(key: jsonKey(Value.Key(entry.key.scalar ?? .null)), value: value)) }
        } else {
          valid = false
        }
        continue
      }
      reportUnknown(entry, name, schema, lastIndex)
    }
    fieldsSet = fieldsMatched
    return valid ? (build ? .object(output) : .null) : nil
  }

  mutating func checkManaged(_ entry: MappingEntry, _ name: String) {
    note(
      .managedAttribute, .warning,
      "'\(name)' is managed by the compile: it is not read from source files and the next update compile removes it",
      entry.key.range)
    steps.append(.managed(name))
    defer { steps.removeLast() }
    // The reference still validates the value against the attribute's Python type.
    let probe = CompiledSchema(
      SchemaBuilder(
        id: SchemaID(-1), source: SchemaSource(document: 0, pointer: "", range: entry.value.range), baseURI: "",
        resource: 0, draft: .draft2020_12))
    switch options.managedType(name) {
    case .integer: _ = integer(entry.value, probe)
    default:
      if entry.value.stringValue != nil { return }
      error("string_type", "Input should be a valid string", entry.value.range, schema: nil)
    }
  }

  mutating func reportUnknown(_ entry: MappingEntry, _ name: String, _ schema: CompiledSchema, _ present: KeyIndex) {
    let candidates = schema.properties.map(\.name)
    let ranked = NameSuggestions.ranked(name, among: candidates)
    let preferred = ranked.first(where: { present.last($0) == nil }) ?? ranked.first
    // A megabyte key must not make a megabyte message.
    var message = "unknown property '\(MessageBounds.clipped(name))': the update compile drops it"
    var fixes: [Finding.Fix] = []
    if let preferred {
      message += " (did you mean '\(preferred)'?)"
      fixes = renameFixes(entry, ranked, preferred: preferred, present)
    }
    note(.unknownProperty, .warning, message, entry.key.range, fixes: fixes)
  }

  mutating func addRenameFix(_ entry: MappingEntry, _ name: String, _ schema: CompiledSchema, _ present: KeyIndex) {
    let ranked = NameSuggestions.ranked(name, among: schema.properties.map(\.name))
    guard let preferred = ranked.first(where: { present.last($0) == nil }) ?? ranked.first else { return }
    fixes[entry.key.range.lowerBound, default: []] += renameFixes(entry, ranked, preferred: preferred, present)
  }

  func renameFixes(_ entry: MappingEntry, _ ranked: [String], preferred: String, _ present: KeyIndex) -> [Finding.Fix] {
    var ordered = [preferred]
    for name in ranked where name != preferred && ordered.count < 3 { ordered.append(name) }
    return ordered.map { name in
      Finding.Fix(
        title: "Rename to '\(name)'", edits: [TextEdit(range: entry.key.range, newText: TextRendering.string(name, like: entry.key))],
        isPreferred: name == preferred && present.last(name) == nil)
    }
  }

  /// The value pydantic fills in for an absent optional field: the schema's `default`, else
  /// (a `default_factory`, which the schema does not show) the empty value of its type.
  func defaultValue(_ id: SchemaID) -> Value? {
    if let value = set[id].defaultValue { return withoutManaged(value, id, depth: 0) }
    var current = id
    // Each link of a chain of references may carry its own default: walk them all (a chain
    // cannot be longer than the set, the loader cut the cycles).
    for _ in 0..<set.schemas.count {
      switch validator.kind(current) {
      case .alias(let target): current = target
      case .nullable, .nullableUnion, .null: return .null
      case .list, .set, .tuple: return .array([])
      case .dict: return .object([])
      case .model:
        let query = SchemaQuery(schemas: set, options: options)
        return query.defaultsOnly(current).map { withoutManaged($0, current, depth: 0) }
      default: return nil
      }
      if let value = set[current].defaultValue { return withoutManaged(value, current, depth: 0) }
    }
    return nil
  }

  /// A schema `default` as the update compile writes it: pydantic's schema shows a model default
  /// with its compile-managed fields (`operation`, `path`), the dump leaves them out. pydantic
  /// never validates a default but dumps it through its field's serializer, which writes an int
  /// default of a float field as a float (`60` → `60.0`), in items and dict values too.
  func withoutManaged(_ value: Value, _ id: SchemaID, depth: Int) -> Value {
    guard depth < 64 else { return value }
    switch validator.kind(id) {
    case .number:
      return floatDump(value)
    case .nullableUnion(let members), .union(let members):
      return unionDump(value, members)
    case .dict:
      guard case .object(let members) = value, let values = set[id].additionalProperties else { return value }
      return .object(members.map { Value.Member(key: $0.key, value: withoutManaged($0.value, values, depth: depth + 1)) })
    case .alias(let target):
      return withoutManaged(value, validator.aliasEnds[id.index] ?? target, depth: depth + 1)
    case .nullable(let target):
      return withoutManaged(value, target, depth: depth + 1)
    case .list, .set:
      guard case .array(let elements) = value, let items = set[id].items else { return value }
      return .array(elements.map { withoutManaged($0, items, depth: depth + 1) })
    case .tagged(let discriminator, _):
      guard case .string(let tag)? = value[discriminator.propertyName]?.scalarValue,
        let target = discriminator.mapping.first(where: { $0.tag == tag })?.schema
      else { return value }
      return withoutManaged(value, target, depth: depth + 1)
    case .model:
      guard case .object(let members) = value else { return value }
      let model = set[id]
      let managed = Set(options.managedAttributes + options.rootManagedAttributes)
      return .object(
        members.compactMap { member in
          guard let name = member.key.string else { return member }
          if let property = model.property(name) {
            return Value.Member(name, withoutManaged(member.value, property, depth: depth + 1))
          }
          return managed.contains(name) ? nil : member
        })
    default:
      return value
    }
  }

  /// An int as pydantic's float serializer dumps it; other values as they are.
  func floatDump(_ value: Value) -> Value {
    guard case .scalar(.integer(let integer)) = value else { return value }
    let converted = Double(integer)
    return converted.isFinite ? .scalar(.float(converted)) : value
  }

  /// An int default of a union of scalars: pydantic's union serializer picks the first member
  /// the value is an instance of; an int is not an instance of float, but with no int member
  /// the float serializer takes it (`float | None = 2` is written `2.0`).
  func unionDump(_ value: Value, _ members: [SchemaID]) -> Value {
    guard case .scalar(.integer) = value else { return value }
    var hasNumber = false
    for member in members {
      switch validator.kind(validator.aliasEnds[member.index] ?? member) {
      case .integer, .any, .multiType: return value
      case .number: hasNumber = true
      default: break
      }
    }
    return hasNumber ? floatDump(value) : value
  }

  // MARK: Unions

  mutating func smartUnion(_ node: Node, _ members: [SchemaID], _ schema: CompiledSchema) -> Value? {
    struct Attempt {
      var value: Value
      var exactness: Exactness
      var fieldsSet: Int?
      var notes: [Finding]
      var missing: [MissingProperties]
      var placeholders: Set<Int>
    }
    var best: Attempt?
    let savedErrors = errors
    let savedNotes = notes
    let savedMissing = missing
    let savedExactness = exactness
    let savedFixes = fixes
    for member in members {
      errors = []
      notes = []
      missing = []
      exactness = .exact
      fieldsSet = nil
      let before = placeholderRanges
      let value = coerce(node, member)
      if let value, errors.isEmpty {
        let attempt = Attempt(value: value, exactness: exactness, fieldsSet: fieldsSet, notes: notes, missing: missing, placeholders: placeholderRanges)
        if exactness == .exact && fieldsSet == nil {
          best = attempt
          break
        }
        if let current = best {
          let better: Bool
          if let a = current.fieldsSet, let b = attempt.fieldsSet, a != b { better = a < b } else {
            better = current.exactness < attempt.exactness
          }
          if better { best = attempt }
        } else {
          best = attempt
        }
      }
      placeholderRanges = before
    }
    errors = savedErrors
    fixes = savedFixes
    if let best {
      notes = savedNotes + best.notes
      missing = savedMissing + best.missing
      placeholderRanges = best.placeholders
      exactness = min(savedExactness, best.exactness)
      return best.value
    }
    notes = savedNotes
    missing = savedMissing
    exactness = savedExactness
    // Report the alternative the value was meant for rather than every alternative's complaint.
    let chooser = AlternativeChooser(set: set)
    var chosen: Int?
    if case .member(let index)? = chooser.preferred(schema, members, node) { chosen = index }
    if chosen == nil {
      var fewest = Int.max
      let depth = path.count
      for (index, member) in members.enumerated() {
        let saved = (errors, notes, missing, fixes)
        errors = []
        _ = coerce(node, member)
        let deeper = errors.allSatisfy { $0.path.count > depth }
        let score = deeper ? errors.count : errors.count + 10_000
        if score < fewest {
          fewest = score
          chosen = index
        }
        (errors, notes, missing, fixes) = saved
      }
    }
    let index = chosen ?? 0
    let savedNotesBeforeReport = notes
    _ = coerce(node, members[index])
    notes = savedNotesBeforeReport
    return nil
  }

  mutating func taggedUnion(_ node: Node, _ discriminator: SchemaDiscriminator, _ members: [SchemaID], _ schema: CompiledSchema) -> Value? {
    guard case .mapping = node.kind else {
      error("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", node.range, schema: schema.id)
      return nil
    }
    // pydantic lists the tags in the order of the union's members (the schema's mapping is sorted).
    func tags() -> String {
      var position: [SchemaID: Int] = [:]
      var positionByReference: [SchemaID: Int] = [:]
      for (index, member) in members.enumerated() {
        if position[member] == nil { position[member] = index }
        if let target = set[member].ref, positionByReference[target] == nil { positionByReference[target] = index }
      }
      let ordered = discriminator.mapping.enumerated().map { offset, entry in
        (entry, position[entry.schema] ?? positionByReference[entry.schema] ?? Int.max, offset)
      }.sorted { left, right in left.1 != right.1 ? left.1 < right.1 : left.2 < right.2 }.map(\.0)
      return MessageBounds.list(ordered) { PythonText.repr(string: MessageBounds.clipped($0.tag)) }
    }
    guard let tagNode = node.lookup(discriminator.propertyName) else {
      error("union_tag_not_found", "Unable to extract tag using discriminator '\(discriminator.propertyName)'", objectRange(node), schema: schema.id)
      return nil
    }
    guard let tag = tagNode.stringValue, let target = discriminator.mapping.first(where: { $0.tag.isScalarExact(to: tag) })?.schema else {
      error(
        "union_tag_invalid",
        "Input tag '\(tagNode.value.scalarValue.map(PythonText.str) ?? renderValue(tagNode.value))' found using '\(discriminator.propertyName)' does not match any of the expected tags: \(tags())",
        tagNode.range, schema: schema.id)
      suggestReplacement(tagNode, discriminator.mapping.map { Value.string($0.tag) })
      return nil
    }
    steps.append(.tag(tag))
    defer { steps.removeLast() }
    return coerce(node, target)
  }

  mutating func multiType(_ node: Node, _ types: JSONTypeSet, _ schema: CompiledSchema) -> Value? {
    // Hand-written schemas only: accept what JSON Schema accepts, keep the value.
    if jsonType(of: node, matches: types) { return anyValue(node) }
    error("type", "Input should be \(describe(types))", node.range, schema: schema.id)
    return nil
  }
}

extension PydanticKind {
  var isSet: Bool {
    if case .set = self { return true }
    return false
  }
}

/// Which entries of a mapping are flagged: bits of one word for the usual small mapping, an
/// array only beyond 64 entries (one allocation less per object validated).
struct EntryFlags {
  private var word: UInt64 = 0
  private var overflow: [Bool] = []

  init(count: Int) {
    if count > 64 { overflow = [Bool](repeating: false, count: count) }
  }

  mutating func set(_ index: Int) {
    if overflow.isEmpty { word |= 1 << UInt64(index) } else { overflow[index] = true }
  }

  func contains(_ index: Int) -> Bool {
    overflow.isEmpty ? word & (1 << UInt64(index)) != 0 : overflow[index]
  }
}

/// Where each string key of a mapping last occurs (a Python dict keeps the last value).
struct KeyIndex {
  let entries: [MappingEntry]
  /// Large objects get an index; small ones are scanned (cheaper than hashing every key). The
  /// keys are read in place: copying them out cost an array per object.
  private let index: NameMap<Int>?
  /// The entry `onlyPosition` tries first.
  private var next = 0

  init(_ entries: [MappingEntry]) {
    self.entries = entries
    if entries.count > 24 {
      var index: NameMap<Int> = [:]
      for position in entries.indices {
        if let key = entries[position].key.stringValue { index[key] = position }
      }
      self.index = index
    } else {
      self.index = nil
    }
  }

  /// Where the key `name` is, when no key repeats (so its only entry is its last): the entry
  /// after the previous one found is tried first, as keys usually come in the fields' order.
  mutating func onlyPosition(of name: String) -> Int? {
    if next < entries.count, let key = entries[next].key.stringValue, key.isScalarExact(to: name) {
      next += 1
      return next - 1
    }
    guard let found = last(name) else { return nil }
    next = found + 1
    return found
  }

  func last(_ name: String) -> Int? {
    if let index { return index[name] }
    var position = entries.count - 1
    while position >= 0 {
      if let key = entries[position].key.stringValue, key.isScalarExact(to: name) { return position }
      position -= 1
    }
    return nil
  }

  /// The key text of the entry at `position` (nil for a key that is not a string).
  func key(at position: Int) -> String? { entries[position].key.stringValue }
}

/// One step from the validated value into it (see `PydanticRun.steps`).
enum ValidationStep {
  /// An object's member (a model's field, an extra key, a dict's value): `.key(name)` in the
  /// path, `name` in the loc, and the range of its key.
  case member(String, keyRange: ByteRange)
  /// A list, set or tuple item.
  case item(Int)
  /// A dict key validated against `propertyNames`: `.key(text)` in the path, `text` then
  /// `[key]` in the loc.
  case dictKey(String)
  /// A compile-managed attribute checked for its type: in the path and the loc, no key range.
  case managed(String)
  /// The tag of a discriminated union: in the loc only (pydantic names the member there).
  case tag(String)
}

/// A large `Literal`/enum indexed by value. `literal(_:_:isEnum:_:)` tries the values in order and
/// the first that accepts the input wins; for a scalar input only a few values can accept it
/// (the equal string, the equal number, the boolean's 0/1), so those are the only ones tried,
/// still in the order of the list: the outcome is the scan's, at the cost of a few lookups.
struct LiteralLookup: Sendable {
  static let threshold = 16
  private var strings: [CodePointText: Int] = [:]
  private var integers: [BigInt: Int] = [:]
  private var floats: [Double: Int] = [:]
  private var booleans: [Bool: Int] = [:]
  private var null: Int?
  /// The first integer value: where the scan checks an input integer's size (pydantic's int64 limit).
  private var firstInteger: Int?

  init(_ values: [Value]) {
    strings.reserveCapacity(values.count)
    for (index, value) in values.enumerated() {
      guard case .scalar(let scalar) = value else { continue }
      switch scalar {
      case .string(let text): if strings[CodePointText(text: text)] == nil { strings[CodePointText(text: text)] = index }
      case .integer(let number):
        if integers[number] == nil { integers[number] = index }
        if firstInteger == nil { firstInteger = index }
      case .float(let number): if !number.isNaN, floats[number] == nil { floats[number] = index }
      case .boolean(let flag): if booleans[flag] == nil { booleans[flag] = index }
      case .null: if null == nil { null = index }
      case .date, .datetime: break
      }
    }
  }

  /// Indices of the values that may accept `input`, ascending.
  func candidates(for input: Scalar) -> [Int] {
    var found: [Int?] = []
    switch input {
    case .string(let text): found = [strings[CodePointText(text: text)]]
    case .boolean(let flag): found = [booleans[flag], integers[flag ? 1 : 0]]
    case .null: found = [null]
    case .integer(let number): found = [firstInteger, integers[number], floats[Double(number)]]
    case .float(let number):
      let integral = number.isFinite && number.rounded(.towardZero) == number ? BigInt(exactly: number) : nil
      found = [integral.flatMap { integers[$0] }, floats[number]]
    case .date, .datetime: found = []
    }
    return Array(Set(found.compactMap { $0 })).sorted()
  }
}

/// A value hashed consistently with Python's `==` (`Value`'s equality), so a set's members are
/// deduplicated in linear time.
struct PythonHashed: Hashable {
  let value: Value
  /// Kept because a set compares the members it probes: comparing hashes first spares
  /// `Value`'s equality, which builds a dictionary for objects whose members differ.
  private let digest: Int

  init(value: Value) {
    self.value = value
    var hasher = Hasher()
    Self.feed(value, into: &hasher)
    self.digest = hasher.finalize()
  }

  static func == (lhs: PythonHashed, rhs: PythonHashed) -> Bool { lhs.digest == rhs.digest && lhs.value == rhs.value }

  func hash(into hasher: inout Hasher) { hasher.combine(digest) }

  private static func feed(_ value: Value, into hasher: inout Hasher) {
    switch value {
    case .scalar(let scalar):
      hasher.combine(0)
      // Key's hash makes 1, 1.0 and True alike, as Python's.
      hasher.combine(Value.Key(scalar))
    case .array(let elements):
      hasher.combine(1)
      hasher.combine(elements.count)
      for element in elements { feed(element, into: &hasher) }
    case .object(let members):
      hasher.combine(2)
      hasher.combine(members.count)
      var sum = 0
      for member in members {
        var inner = Hasher()
        inner.combine(member.key)
        feed(member.value, into: &inner)
        sum = sum &+ inner.finalize()
      }
      hasher.combine(sum)
    }
  }
}
