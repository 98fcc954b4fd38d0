import Foundation
import SliceSyntax
import Testing

@testable import SliceSchema

/// Schemas written to hurt: catastrophic patterns, huge enums, long reference chains, huge
/// bounds. Each must give a clear finding or a plain verdict in bounded time. Time bounds here are
/// loose hang guards only (a broken bound takes seconds to minutes, the guard allows 10 s).
@Suite struct HostileSchemaTests {
  static let hangGuard: Duration = .seconds(10)

  func timed<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try body()
    return (result, clock.now - start)
  }

  func sliceSchema(property: String) -> String {
    ##"{"type": "object", "properties": {"value": "## + property + "}}"
  }

  // MARK: Patterns

  static let catastrophicPattern = "(.*a){20}"
  /// 33 × "a" then "b": ICU's backtracking needs seconds to find no match.
  static let catastrophicValue = String(repeating: "a", count: 33) + "b"

  @Test func catastrophicPatternIsReportedAtTheValue() throws {
    let schemas = SchemaLoader().load(text: sliceSchema(property: ##"{"type": "string", "pattern": "(.*a){20}"}"##))
    #expect(schemas.errors.isEmpty)
    let text = ##"{"value": ""## + Self.catastrophicValue + ##""}"##
    let instance = try readJSON(text)
    let valueRange = try #require(instance.lookup("value")).range

    let (slice, sliceTime) = timed { SliceValidator(schemas: schemas).validate(instance) }
    #expect(sliceTime < Self.hangGuard)
    #expect(!slice.isValid)
    #expect(slice.normalized == nil)
    let finding = try #require(slice.findings.first { $0.code == "schema-pattern-timeout" })
    #expect(finding.severity == .error)
    #expect(finding.range == valueRange)
    #expect(finding.message.contains(Self.catastrophicPattern))
    #expect(finding.message.contains("too costly"))

    let (violations, jsonTime) = timed { SchemaValidator(schemas: schemas).validate(instance) }
    #expect(jsonTime < Self.hangGuard)
    #expect(violations.map(\.code) == ["schema-pattern-timeout"])
    #expect(violations.first?.instanceRange == valueRange)
  }

  @Test func aFileOfHostileValuesPaysForFewBudgets() throws {
    let schemas = SchemaLoader().load(
      text: sliceSchema(property: ##"{"type": "array", "items": {"type": "string", "pattern": "(.*a){20}"}}"##))
    // Every value would take its whole budget: about 1.5 ms each, 15 s for the file.
    let count = 10_000
    let values = (0..<count).map { ##"""## + String(repeating: "a", count: 33 + $0 % 7) + ##"b""## }
    let instance = try readJSON(##"{"value": ["## + values.joined(separator: ",") + "]}")
    let (slice, time) = timed { SliceValidator(schemas: schemas).validate(instance) }
    #expect(time < Self.hangGuard)
    #expect(slice.findings.count == count)
    #expect(slice.findings.allSatisfy { $0.code == "schema-pattern-timeout" })
    let (violations, jsonTime) = timed { SchemaValidator(schemas: schemas).validate(instance) }
    #expect(jsonTime < Self.hangGuard)
    #expect(violations.count == count)
  }

  @Test func ordinaryPatternsStillMatchAndMismatch() throws {
    let schemas = SchemaLoader().load(text: sliceSchema(property: ##"{"type": "string", "pattern": "^[a-z]+(-[a-z]+)*$"}"##))
    let validator = SliceValidator(schemas: schemas)
    #expect(validator.validate(try readJSON(##"{"value": "core-switch"}"##)).isValid)
    let mismatch = validator.validate(try readJSON(##"{"value": "Core switch"}"##))
    #expect(mismatch.findings.map(\.code) == ["schema-pattern"])
    // A catastrophic pattern still answers where the engine gets through quickly.
    let pattern = try SchemaPattern(Self.catastrophicPattern)
    #expect(pattern.match("b", as: .rustRegex) == .notMatched)
    #expect(try SchemaPattern("^(x+x+)+y$").match("xxxxy", as: .rustRegex) == .matched)
  }

  @Test func rememberedOutcomesKeepSpellingsAndDialectsApart() throws {
    // Short texts' outcomes are remembered per pattern: asked again, in any order, each
    // spelling and each dialect still gets its own answer.
    let nfc = try SchemaPattern("^caf\u{E9}$")
    let digit = try SchemaPattern(#"^\d$"#)
    for _ in 0..<3 {
      #expect(nfc.match("caf\u{E9}", as: .rustRegex) == .matched)
      #expect(nfc.match("cafe\u{301}", as: .rustRegex) == .notMatched)
      // ECMA-262's `\d` is ASCII; the Rust regex crate's is any decimal digit.
      #expect(digit.match("\u{663}", as: .ecma262) == .notMatched)
      #expect(digit.match("\u{663}", as: .rustRegex) == .matched)
      #expect(digit.match("7", as: .ecma262) == .matched)
    }
  }

  @Test func rememberedOutcomesAreBounded() throws {
    // Many distinct values: every one still gets its own answer, and the memory stays bounded.
    let pattern = try SchemaPattern("^[0-9]+$")
    for number in 0..<1_000 {
      #expect(pattern.match(String(number), as: .rustRegex) == .matched)
      #expect(pattern.match("x\(number)", as: .rustRegex) == .notMatched)
    }
    #expect(pattern.rememberedCount == SchemaPattern.rememberedMatches)
    // Longer texts are never remembered.
    let long = try SchemaPattern("a")
    _ = long.match(String(repeating: "a", count: SchemaPattern.rememberedTextLength + 1), as: .ecma262)
    #expect(long.rememberedCount == 0)
  }

  @Test func longValuesGetABudgetThatGrowsWithThem() throws {
    let pattern = try SchemaPattern("^[a-z]+(-[a-z0-9]+)*$")
    let long = Array(repeating: "segment", count: 30_000).joined(separator: "-")
    #expect(pattern.match(long, as: .rustRegex) == .matched)
    #expect(pattern.match(long + "!", as: .rustRegex) == .notMatched)
  }

  @Test func patternsSeeCodePointsOfUTF16Text() throws {
    // pydantic-core matches code points: one emoji is one `.`.
    #expect(try SchemaPattern("^.$").match("😀", as: .rustRegex) == .matched)
    #expect(try SchemaPattern("^..$").match("😀", as: .rustRegex) == .notMatched)
    #expect(try SchemaPattern("^a😀+b$").match("a😀😀b", as: .rustRegex) == .matched)
    #expect(try SchemaPattern("b$").match("😀👍🏽b", as: .rustRegex) == .matched)
    #expect(try SchemaPattern("^[^x]{3}$").match("é😀z", as: .rustRegex) == .matched)
    // Text after astral characters is searched to its end.
    #expect(try SchemaPattern("z").match(String(repeating: "😀", count: 300) + "z", as: .rustRegex) == .matched)
  }

  @Test func patternPropertiesAndPropertyNamesTimeOutAtTheKey() throws {
    let key = Self.catastrophicValue
    let instanceText = ##"{""## + key + ##"": 1}"##
    let instance = try readJSON(instanceText)
    let keyRange = try #require(instance.entries?.first).key.range

    let patterned = SchemaLoader().load(
      text: ##"{"patternProperties": {"(.*a){20}": {"type": "integer"}}, "additionalProperties": false}"##)
    let (violations, time) = timed { SchemaValidator(schemas: patterned).validate(instance) }
    #expect(time < Self.hangGuard)
    #expect(violations.map(\.code) == ["schema-pattern-timeout"])
    #expect(violations.first?.instanceRange == keyRange)

    let named = SchemaLoader().load(
      text: ##"{"type": "object", "propertyNames": {"type": "string", "pattern": "(.*a){20}"}, "additionalProperties": {"type": "integer"}}"##)
    let (slice, sliceTime) = timed { SliceValidator(schemas: named).validate(instance) }
    #expect(sliceTime < Self.hangGuard)
    #expect(slice.findings.map(\.code) == ["schema-pattern-timeout"])
    #expect(slice.findings.first?.range == keyRange)
    #expect(SchemaValidator(schemas: named).validate(instance).map(\.code) == ["schema-pattern-timeout"])
  }

  @Test func oneCompiledPatternServesConcurrentValidations() throws {
    let schemas = SchemaLoader().load(text: sliceSchema(property: ##"{"type": "string", "pattern": "^(ab)+$"}"##))
    let validator = SliceValidator(schemas: schemas)
    let good = try readJSON(##"{"value": "ababab"}"##)
    let bad = try readJSON(##"{"value": "ababa"}"##)
    let outcomes = OutcomeBox()
    DispatchQueue.concurrentPerform(iterations: 64) { index in
      let valid = validator.validate(index % 2 == 0 ? good : bad).isValid
      outcomes.record(index: index, valid: valid)
    }
    #expect(outcomes.all == (0..<64).map { $0 % 2 == 0 })
  }

  @Test func regexFormatUsesTheSameEngine() {
    #expect(FormatChecker.problem("^[a-z]+$", format: "regex") == nil)
    #expect(FormatChecker.problem("([a-z", format: "regex") == "not a valid regular expression")
  }

  // MARK: Enums and long lists in messages

  static func bigEnumSchema(count: Int, definition: Bool) -> String {
    let values = (0..<count).map { "\"v\($0)\"" }.joined(separator: ",")
    if definition {
      return ##"{"type": "object", "properties": {"value": {"$ref": "#/$defs/Big"}}, "$defs": {"Big": {"enum": ["## + values
        + "]}}}"
    }
    return ##"{"type": "object", "properties": {"value": {"enum": ["## + values + "]}}}"
  }

  @Test func hugeEnumsAreSummarisedAndLookedUp() throws {
    let count = 50_000
    let schemas = SchemaLoader().load(text: Self.bigEnumSchema(count: count, definition: true))
    #expect(schemas.errors.isEmpty)
    let validator = SliceValidator(schemas: schemas)
    let jsonValidator = SchemaValidator(schemas: schemas)
    let wrong = try readJSON(##"{"value": "nope"}"##)
    let (slice, time) = timed { validator.validate(wrong) }
    #expect(time < Self.hangGuard)
    let finding = try #require(slice.findings.first)
    #expect(finding.code == "schema-enum")
    #expect(finding.message.count < 400)
    #expect(finding.message.contains("'v0', 'v1'"))
    #expect(finding.message.contains("\(count - MessageBounds.shownItems) more"))
    let violation = try #require(jsonValidator.validate(wrong).first)
    #expect(violation.code == "schema-enum")
    #expect(violation.message.count < 400)

    // Membership is a lookup: thousands of checks against the last value stay fast.
    let last = try readJSON(##"{"value": "v\##(count - 1)"}"##)
    let (allValid, lookups) = timed {
      (0..<1_000).allSatisfy { _ in validator.validate(last).isValid && jsonValidator.isValid(last) }
    }
    #expect(allValid)
    #expect(lookups < Self.hangGuard)
  }

  @Test func shortEnumsKeepPydanticsFullMessage() throws {
    let schemas = SchemaLoader().load(text: Self.bigEnumSchema(count: 3, definition: false))
    let slice = SliceValidator(schemas: schemas).validate(try readJSON(##"{"value": "x"}"##))
    #expect(slice.findings.first?.message == "Input should be 'v0', 'v1' or 'v2'")
  }

  @Test func largeLiteralLookupKeepsTheScansOrderAndLaxRules() throws {
    // Above the lookup threshold; the first value that accepts the input wins, as in a scan.
    let values = (10..<40).map(String.init) + ["1", "2.5", "true", "\"é\"", "null", "false", "0"]
    let schemas = SchemaLoader().load(
      text: ##"{"type": "object", "properties": {"value": {"enum": ["## + values.joined(separator: ",") + "]}}}")
    let validator = SliceValidator(schemas: schemas)
    func normalized(_ value: String) throws -> Value? {
      validator.validate(try readJSON(##"{"value": "## + value + "}")).normalized?["value"]
    }
    #expect(try normalized("true") == .integer(1))
    #expect(try normalized("false") == .integer(0))
    #expect(try normalized("12.0") == .integer(12))
    #expect(try normalized("2.5") == .float(2.5))
    #expect(try normalized("39") == .integer(39))
    #expect(try normalized("null") == .null)
    #expect(try normalized("\"é\"") == .string("é"))
    // Code points, not canonical equivalence: "e" + combining acute is another string.
    #expect(try normalized("\"e\u{301}\"") == nil)
    #expect(try normalized("41") == nil)
    #expect(try normalized("\"12\"") == nil)
    // Literal (not an Enum class): an integer beyond int64 fails on size at the first integer.
    let size = validator.validate(try readJSON(##"{"value": 100000000000000000000}"##))
    #expect(size.errors.map(\.type) == ["int_parsing_size"])
  }

  @Test func otherListsInMessagesAreBounded() throws {
    // A discriminator with thousands of tags, a oneOf with thousands of members.
    let tags = (0..<5_000).map { "t\($0)" }
    let members = tags.map { ##"{"type": "object", "properties": {"kind": {"const": "\##($0)"}}, "required": ["kind"]}"## }
    let mapping = tags.enumerated().map { ##""\##($1)": "#/$defs/M\##($0)""## }
    let definitions = members.enumerated().map { ##""M\##($0)": \##($1)"## }
    let schemaText =
      ##"{"type": "object", "properties": {"value": {"oneOf": ["##
      + tags.indices.map { ##"{"$ref": "#/$defs/M\##($0)"}"## }.joined(separator: ",")
      + ##"], "discriminator": {"propertyName": "kind", "mapping": {"## + mapping.joined(separator: ",") + "}}}}, "
      + ##""$defs": {"## + definitions.joined(separator: ",") + "}}"
    let schemas = SchemaLoader().load(text: schemaText)
    #expect(schemas.errors.isEmpty)
    let instance = try readJSON(##"{"value": {"kind": "unknown"}}"##)
    let (slice, time) = timed { SliceValidator(schemas: schemas).validate(instance) }
    #expect(time < Self.hangGuard)
    let finding = try #require(slice.findings.first)
    #expect(finding.code == "schema-discriminator")
    #expect(finding.message.count < 600)
    let (violations, jsonTime) = timed { SchemaValidator(schemas: schemas).validate(instance) }
    #expect(jsonTime < Self.hangGuard)
    #expect(violations.allSatisfy { $0.message.count < 600 })

    // A const of a megabyte, nested deeper than any message shows.
    let big = String(repeating: "x", count: 1_000_000)
    let constSchemas = SchemaLoader().load(text: sliceSchema(property: ##"{"const": ""## + big + ##""}"##))
    let constFinding = try #require(SchemaValidator(schemas: constSchemas).validate(try readJSON(##"{"value": 1}"##)).first)
    #expect(constFinding.code == "schema-const")
    #expect(constFinding.message.count < 400)
    let nested = String(repeating: "[", count: 900) + String(repeating: "]", count: 900)
    let nestedSchemas = SchemaLoader().load(text: sliceSchema(property: ##"{"const": "## + nested + "}"))
    let nestedFinding = try #require(SchemaValidator(schemas: nestedSchemas).validate(try readJSON(##"{"value": 1}"##)).first)
    #expect(nestedFinding.message.count < 200)
  }

  // MARK: Reference chains

  static func referenceChain(links: Int, end: String, link: (Int) -> String = { ##"{"$ref": "#/$defs/d\##($0 + 1)"}"## }) -> String {
    var definitions: [String] = []
    definitions.reserveCapacity(links + 1)
    for index in 0..<links { definitions.append(##""d\##(index)": "## + link(index)) }
    definitions.append(##""d\##(links)": "## + end)
    return ##"{"type": "object", "properties": {"value": {"$ref": "#/$defs/d0"}}, "$defs": {"##
      + definitions.joined(separator: ",") + "}}"
  }

  @Test func longAcyclicReferenceChainsValidate() throws {
    let text = Self.referenceChain(links: 10_000, end: ##"{"type": "integer", "maximum": 5}"##)
    // Each reference walks its pointer through the one large `$defs`: quadratic without an index.
    let (schemas, loadTime) = timed { SchemaLoader().load(text: text) }
    #expect(loadTime < Self.hangGuard)
    #expect(schemas.errors.isEmpty)
    let slice = SliceValidator(schemas: schemas)
    let json = SchemaValidator(schemas: schemas)
    let (good, time) = try timed { slice.validate(try readJSON(##"{"value": 3}"##)) }
    #expect(time < Self.hangGuard)
    #expect(good.findings.isEmpty)
    #expect(good.normalized?["value"] == .integer(3))
    let bad = slice.validate(try readJSON(##"{"value": 7}"##))
    #expect(bad.findings.map(\.code) == ["schema-maximum"])
    let wrongType = slice.validate(try readJSON(##"{"value": "x"}"##))
    #expect(wrongType.findings.map(\.code) == ["schema-int-parsing"])
    #expect(json.validate(try readJSON(##"{"value": 3}"##)).isEmpty)
    let violations = json.validate(try readJSON(##"{"value": 7}"##))
    #expect(violations.map(\.code) == ["schema-maximum"])
    // The keyword path still names every link.
    #expect(violations.first?.keywordLocation.components(separatedBy: "$ref").count == 10_002)
    // Completion and hover walk the chain too.
    let query = SchemaQuery(schemas: schemas)
    let property = try #require(schemas.schemas.first { $0.source.pointer == "/properties/value" })
    #expect(query.describeType(property.id) == query.describeType(try #require(schemas.definition(named: "d10000"))))
  }

  @Test func longChainsOfWrappersAreTooDeepNotCycles() throws {
    // Optional[...] at every link: each is a real level of validation, past the nesting limit.
    let text = Self.referenceChain(links: 7_000, end: ##"{"type": "integer"}"##) { index in
      ##"{"anyOf": [{"$ref": "#/$defs/d\##(index + 1)"}, {"type": "null"}]}"##
    }
    let schemas = SchemaLoader().load(text: text)
    #expect(schemas.errors.isEmpty)
    let (result, time) = try timed { SliceValidator(schemas: schemas).validate(try readJSON(##"{"value": 3}"##)) }
    #expect(time < Self.hangGuard)
    #expect(result.findings.map(\.code) == ["schema-nesting-too-deep"])
    #expect(result.findings.first?.message.contains("cycl") == false)
  }

  @Test func realReferenceCyclesAreStillCycles() throws {
    let text = ##"{"type": "object", "properties": {"value": {"$ref": "#/$defs/a"}}, "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}}"##
    let schemas = SchemaLoader().load(text: text)
    #expect(schemas.errors.map(\.code) == ["schema-ref-cycle"])
    let slice = SliceValidator(schemas: schemas).validate(try readJSON(##"{"value": 1}"##))
    #expect(slice.findings.map(\.code) == ["schema-ref-cycle"])
    #expect(SchemaValidator(schemas: schemas).validate(try readJSON(##"{"value": 1}"##)).map(\.code) == ["schema-ref-cycle"])
  }

  // MARK: Other bounds

  @Test func hugeNumbersInKeywordsAreHarmless() throws {
    let text = sliceSchema(
      property: ##"{"type": "array", "minItems": 100000000000000000000000000000, "maxItems": 1e300, "items": {"type": "string", "maxLength": 99999999999999999999999, "minLength": 0}}"##)
    let schemas = SchemaLoader().load(text: text)
    let (result, time) = try timed { SliceValidator(schemas: schemas).validate(try readJSON(##"{"value": ["a"]}"##)) }
    #expect(time < Self.hangGuard)
    #expect(result.findings.map(\.code) == ["schema-min-items"])
    #expect(SchemaValidator(schemas: schemas).validate(try readJSON(##"{"value": ["a"]}"##)).map(\.code) == ["schema-min-items"])
  }

  @Test func tinyMultipleOfIsBounded() throws {
    for (divisor, value) in [("1e-300", "1e300"), ("5e-324", "1.7976931348623157e308"), ("0.0001", "123456789.0075"), ("1e-20", "3")] {
      let schemas = SchemaLoader().load(text: sliceSchema(property: ##"{"multipleOf": "## + divisor + "}"))
      let instance = try readJSON(##"{"value": "## + value + "}")
      let (_, time) = timed {
        _ = SchemaValidator(schemas: schemas).validate(instance)
        _ = SliceValidator(schemas: schemas).validate(instance)
      }
      #expect(time < Self.hangGuard, "\(divisor) \(value)")
    }
  }

  @Test func uniqueItemsOnLargeArraysIsLinear() throws {
    // Pairwise, 20 000 objects take minutes (Value's equality builds a dictionary per pair).
    let count = 20_000
    let distinct = "[" + (0..<count).map { ##"{"id": \##($0), "tags": ["a", \##($0)]}"## }.joined(separator: ",") + "]"
    let schemas = SchemaLoader().load(text: sliceSchema(property: ##"{"type": "array", "uniqueItems": true}"##))
    let instance = try readJSON(##"{"value": "## + distinct + "}")
    let (violations, time) = timed { SchemaValidator(schemas: schemas).validate(instance) }
    #expect(time < Self.hangGuard)
    #expect(violations.isEmpty)
    let (slice, sliceTime) = timed { SliceValidator(schemas: schemas).validate(instance) }
    #expect(sliceTime < Self.hangGuard)
    #expect(slice.isValid)
    #expect(slice.normalized?["value"]?.elements?.count == count)

    // A duplicate (members in another order, 1 and 1.0) is still found.
    let duplicated = try readJSON(
      ##"{"value": ["## + (0..<100).map { ##"{"id": \##($0)}"## }.joined(separator: ",") + ##", {"tags": [1], "id": 7}, {"id": 7.0, "tags": [1.0]}]}"##)
    let found = SchemaValidator(schemas: schemas).validate(duplicated)
    #expect(found.map(\.code) == ["schema-unique-items"])
    #expect(found.first?.message == "items 100 and 101 are equal; items must be unique")
  }

  @Test func uniqueItemsDistinguishesStringsByCodePoints() throws {
    let schemas = SchemaLoader().load(text: sliceSchema(property: ##"{"type": "array", "uniqueItems": true}"##))
    let items = (0..<100).map { "\"s\($0)\"" } + ["\"é\"", "\"e\u{301}\""]
    let instance = try readJSON(##"{"value": ["## + items.joined(separator: ",") + "]}")
    #expect(SchemaValidator(schemas: schemas).validate(instance).isEmpty)
  }
}

private final class OutcomeBox: @unchecked Sendable {
  // Written from concurrentPerform's threads under the lock.
  private let lock = NSLock()
  private var outcomes: [Int: Bool] = [:]

  func record(index: Int, valid: Bool) {
    lock.lock()
    outcomes[index] = valid
    lock.unlock()
  }

  var all: [Bool] {
    lock.lock()
    defer { lock.unlock() }
    return (0..<outcomes.count).map { outcomes[$0] ?? false }
  }
}
