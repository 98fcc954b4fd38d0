import SliceSyntax
import Testing

@testable import SliceSchema

/// Issue 13, class 4, in validation: pydantic finds fields with a dict lookup, by code points.
/// On the reference venv, a model with the field `café` (NFC, as Python normalises identifiers)
/// and `extra="forbid"` refuses `{"cafe\u0301": "y"}` with `extra_forbidden` at `cafe\u0301`.
@Suite struct CanonicalEquivalenceSchemaTests {
  static let nfc = "caf\u{E9}"
  static let nfd = "cafe\u{301}"

  func schemas(fieldCount: Int) -> SchemaSet {
    // More than 16 fields uses the property index rather than the linear search.
    let padding = (0..<fieldCount).map { #", "f\#($0)": {"type": "string"}"# }.joined()
    return SchemaLoader().load(
      text: #"{"type": "object", "additionalProperties": false, "required": ["\#(Self.nfc)"], "properties": {"\#(Self.nfc)": {"type": "string"}\#(padding)}}"#)
  }

  @Test(arguments: [0, 20])
  func theOtherSpellingOfAFieldIsAnUnknownKey(fieldCount: Int) throws {
    let schemas = schemas(fieldCount: fieldCount)
    #expect(schemas.errors.isEmpty)
    let validator = SliceValidator(schemas: schemas)
    #expect(validator.validate(try readJSON(#"{"\#(Self.nfc)": "y"}"#)).isValid)
    let other = validator.validate(try readJSON(#"{"\#(Self.nfd)": "y"}"#))
    #expect(!other.isValid)
    #expect(other.errors.map(\.type).sorted() == ["extra_forbidden", "missing"])
    #expect(!SchemaValidator(schemas: schemas).validate(try readJSON(#"{"\#(Self.nfd)": "y"}"#)).isEmpty)
  }
}
