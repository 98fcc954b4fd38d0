import Foundation
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceSchema

/// Every case of `shared/fidelity/pydantic-lax-cases.json`: slicels accepts what the reference
/// accepts, rejects what it rejects with pydantic's error types, and normalises to the same value.
@Suite struct PydanticFidelityTests {
  struct Outcome {
    var total = 0
    var verdictAgrees = 0
    var normalizedAgrees = 0
    var errorTypesAgree = 0
    var messagesAgree = 0
    var failures: [String] = []
  }

  static func caseSchema(_ fieldSchema: Node, definitions: String) -> String {
    let field = String(decoding: JSONWriter.write(fieldSchema.value), as: UTF8.self)
    return #"{"$defs": "# + definitions + #", "properties": {"value": "# + field
      + #"}, "required": ["value"], "title": "Model", "type": "object"}"#
  }

  @Test func everyCaseAgrees() throws {
    let root = try readJSON(try TestPaths.read(TestPackage.shared("fidelity/pydantic-lax-cases.json")))
    let cases = try #require(root.lookup("cases")?.items)
    let definitions = String(decoding: try TestPaths.read(TestPaths.fixtures.appendingPathComponent("fidelity-defs.json")), as: UTF8.self)
    var outcome = Outcome()
    var validators: [String: SliceValidator] = [:]
    for item in cases {
      guard case .string(let format)? = item.lookup("format")?.scalar, case .string(let source)? = item.lookup("source")?.scalar,
        let fieldSchema = item.lookup("schema"),
        case .boolean(let expectedValid)? = item.lookup("valid")?.scalar
      else {
        Issue.record("malformed case")
        continue
      }
      outcome.total += 1
      let schemaText = Self.caseSchema(fieldSchema, definitions: definitions)
      let validator: SliceValidator
      if let cached = validators[schemaText] {
        validator = cached
      } else {
        let schemas = SchemaLoader().load(text: schemaText)
        #expect(schemas.errors.isEmpty, "\(schemas.errors)")
        validator = SliceValidator(schemas: schemas)
        validators[schemaText] = validator
      }
      let instance: Node
      if format == "json" {
        instance = try readJSON(source)
      } else {
        // The real reader, as the language server and the CLI read the file.
        let tree = YAMLReader().read(Array(source.utf8))
        guard tree.loads, let root = tree.root else {
          outcome.failures.append("[yaml] \(source): does not load here: \(tree.findings.map(\.message))")
          continue
        }
        instance = root
      }
      let result = validator.validate(instance, against: validator.schemas.root, isSliceRoot: false)
      let label = "[\(format)] \(source.trimmingCharacters(in: .whitespacesAndNewlines)) as \(stringOf(item.lookup("type")))"
      guard result.isValid == expectedValid else {
        outcome.failures.append("\(label): expected \(expectedValid ? "valid" : "invalid"), got \(result.errors.map { "\($0.type) \($0.loc)" })")
        continue
      }
      outcome.verdictAgrees += 1
      if expectedValid {
        let expected = item.lookup("normalized")?.value
        let actual = result.normalized?["value"]
        if let expected, let actual, strictlyEqual(expected, actual) {
          outcome.normalizedAgrees += 1
        } else {
          outcome.failures.append("\(label): normalised to \(actual.map(renderValue) ?? "nothing"), expected \(expected.map(renderValue) ?? "nothing")")
        }
      } else {
        let expectedErrors = item.lookup("errors")?.items ?? []
        let expectedTypes = expectedErrors.map { "\(stringOf($0.lookup("type"))) \(($0.lookup("loc")?.items ?? []).map { stringOf($0) })" }
        let actualTypes = result.errors.map { "\($0.type) \($0.loc)" }
        if expectedTypes == actualTypes {
          outcome.errorTypesAgree += 1
        } else {
          outcome.failures.append("\(label): errors \(actualTypes), expected \(expectedTypes)")
        }
        let expectedMessages = expectedErrors.map { stringOf($0.lookup("msg")) }
        if expectedMessages == result.errors.map(\.message) {
          outcome.messagesAgree += 1
        } else {
          outcome.failures.append("\(label): messages \(result.errors.map(\.message)), expected \(expectedMessages)")
        }
      }
    }
    print(
      "pydantic lax fidelity: \(outcome.verdictAgrees)/\(outcome.total) verdicts agree, \(outcome.normalizedAgrees) normalised values equal, \(outcome.errorTypesAgree) error lists (type+loc) equal, \(outcome.messagesAgree) error messages equal"
    )
    for failure in outcome.failures.prefix(60) { print("  FAIL \(failure)") }
    #expect(outcome.failures.isEmpty)
    #expect(outcome.verdictAgrees == outcome.total)
    #expect(outcome.total == 2024)
  }

  func stringOf(_ node: Node?) -> String {
    switch node?.scalar {
    case .string(let text)?: return text
    case .some(let scalar): return PythonText.str(scalar)
    case nil: return ""
    }
  }
}

/// Minimal JSON text of a value (test helper for building schemas from parts).
enum JSONWriter {
  static func write(_ value: Value) -> [UInt8] {
    var text = ""
    append(value, to: &text)
    return Array(text.utf8)
  }

  static func append(_ value: Value, to text: inout String) {
    switch value {
    case .object(let members):
      text += "{"
      for (index, member) in members.enumerated() {
        if index > 0 { text += ", " }
        text += TextRendering.jsonQuoted(member.key.string ?? "")
        text += ": "
        append(member.value, to: &text)
      }
      text += "}"
    case .array(let elements):
      text += "["
      for (index, element) in elements.enumerated() {
        if index > 0 { text += ", " }
        append(element, to: &text)
      }
      text += "]"
    case .scalar(let scalar):
      switch scalar {
      case .string(let string): text += TextRendering.jsonQuoted(string)
      case .integer(let number): text += number.description
      case .float(let number): text += number.isNaN ? "NaN" : number.isInfinite ? (number < 0 ? "-Infinity" : "Infinity") : "\(number)"
      case .boolean(let flag): text += flag ? "true" : "false"
      case .null: text += "null"
      case .date, .datetime: text += "null"
      }
    }
  }
}
