import Foundation
import SliceSyntax
import Testing

@testable import SliceSchema

@Suite struct SchemaLoaderTests {
  @Test func keepsPositionsOfDefinitions() throws {
    let text = ##"{"$defs": {"A": {"type": "integer", "minimum": 3}}, "properties": {"a": {"$ref": "#/$defs/A"}}}"##
    let schemas = SchemaLoader().load(text: text)
    #expect(schemas.errors.isEmpty)
    let a = try #require(schemas.definition(named: "A"))
    #expect(text.utf8Slice(schemas[a].source.range) == ##"{"type": "integer", "minimum": 3}"##)
    #expect(schemas[a].source.pointer == "/$defs/A")
    let violations = SchemaValidator(schemas: schemas).validate(try readJSON(##"{"a": 1}"##))
    let violation = try #require(violations.first)
    #expect(violation.code == "schema-minimum")
    #expect(violation.keywordLocation == "/properties/a/$ref/minimum")
    #expect(violation.instancePath == [.key("a")])
    let finding = schemas.finding(for: violation)
    #expect(text.utf8Slice(try #require(finding.related.first).range) == #""minimum""#)
  }

  @Test func remoteReferencesAreReportedNeverFetched() {
    let schemas = SchemaLoader(provider: ProjectSchemaFiles(root: "/nonexistent-project")).load(
      text: ##"{"$ref": "https://example.com/schema.json"}"##, uri: "file:///nonexistent-project/s.json")
    #expect(schemas.errors.map(\.code) == ["schema-ref-refused"])
    // The unresolved reference accepts anything rather than failing every value.
    #expect(SchemaValidator(schemas: schemas).isValid(Node(kind: .scalar(.integer(1)), range: 0..<1, style: .json)))
  }

  @Test func relativeReferencesToFilesInsideTheProjectOnly() throws {
    let project = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-schema-\(UUID().uuidString)")
    let schemasFolder = project.appendingPathComponent("files/schemas")
    try FileManager.default.createDirectory(at: schemasFolder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: project) }
    try ##"{"$defs": {"port": {"type": "integer", "maximum": 65535}}}"##.write(
      to: schemasFolder.appendingPathComponent("common.json"), atomically: true, encoding: .utf8)
    let mainPath = schemasFolder.appendingPathComponent("main.json").path
    try ##"{"properties": {"port": {"$ref": "common.json#/$defs/port"}, "other": {"$ref": "../../../outside.json"}}}"##.write(
      toFile: mainPath, atomically: true, encoding: .utf8)
    let schemas = SchemaLoader.load(fileAt: mainPath, projectRoot: project.path)
    #expect(schemas.errors.map(\.code) == ["schema-ref-refused"])
    #expect(schemas.documents.count == 2)
    #expect(schemas.documents[1].filePath?.hasSuffix("common.json") == true)
    let validator = SchemaValidator(schemas: schemas)
    #expect(validator.isValid(try readJSON(##"{"port": 80}"##)))
    #expect(!validator.isValid(try readJSON(##"{"port": 80000}"##)))
  }

  @Test func hostileSchemasGiveClearErrors() throws {
    // Deeply nested.
    let deep = String(repeating: ##"{"items": "##, count: 400) + "true" + String(repeating: "}", count: 400)
    let nested = SchemaLoader().load(text: deep)
    #expect(nested.errors.contains { $0.code == "schema-too-deep" })
    // Invalid regular expressions.
    let regex = SchemaLoader().load(text: ##"{"pattern": "([a-z", "patternProperties": {"(": true}}"##)
    #expect(regex.errors.map(\.code) == ["schema-invalid-regex", "schema-invalid-regex"])
    // A reference cycle that never consumes the instance, directly and through anyOf.
    for text in [
      ##"{"$ref": "#"}"##, ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}"##,
      ##"{"anyOf": [{"type": "string"}, {"$ref": "#"}]}"##,
    ] {
      let cyclic = SchemaLoader().load(text: text)
      #expect(cyclic.errors.contains { $0.code == "schema-ref-cycle" }, "\(text)")
      let violations = SchemaValidator(schemas: cyclic).validate(Node(kind: .scalar(.integer(1)), range: 0..<1, style: .json))
      #expect(violations.contains { $0.code == "schema-ref-cycle" }, "\(text)")
    }
    // Recursion through properties is fine.
    let recursive = SchemaLoader().load(text: ##"{"properties": {"child": {"$ref": "#"}}, "type": "object"}"##)
    #expect(recursive.errors.isEmpty)
    // Not JSON, wrong keyword types, unknown references.
    #expect(SchemaLoader().load(text: "{").errors.first?.code == "schema-load")
    #expect(SchemaLoader().load(text: ##"{"minimum": "x", "type": "integr"}"##).errors.count == 2)
    #expect(SchemaLoader().load(text: ##"{"$ref": "#/$defs/missing"}"##).errors.map(\.code) == ["schema-ref-unresolved"])
  }

  @Test func exponentialSchemasStopWithinBudget() throws {
    // Each level doubles the work: 2^40 evaluations without a budget.
    var definitions = [##""l0": {"type": "integer", "minimum": 5}"##]
    for level in 1...40 {
      definitions.append(##""l\##(level)": {"anyOf": [{"$ref": "#/$defs/l\##(level - 1)"}, {"$ref": "#/$defs/l\##(level - 1)"}]}"##)
    }
    let text = ##"{"$defs": {"## + definitions.joined(separator: ", ") + ##"}, "$ref": "#/$defs/l40"}"##
    let schemas = SchemaLoader().load(text: text)
    let validator = SchemaValidator(schemas: schemas, maximumEvaluations: 100_000)
    let violations = validator.validate(try readJSON(#""x""#))
    #expect(violations.contains { $0.code == "schema-too-complex" })
  }

  @Test func deepInstancesDoNotOverflow() throws {
    let schemas = SchemaLoader().load(text: ##"{"$defs": {"n": {"type": "array", "items": {"$ref": "#/$defs/n"}}}, "$ref": "#/$defs/n"}"##)
    let depth = 900
    let instance = try readJSON(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
    #expect(SchemaValidator(schemas: schemas).validate(instance).isEmpty)
    let slice = SliceValidator(schemas: schemas).validate(instance)
    #expect(slice.isValid)
  }

  @Test func draft07Schemas() throws {
    let text = ##"""
      {"$schema": "http://json-schema.org/draft-07/schema#",
       "definitions": {"n": {"type": "integer"}},
       "properties": {
         "t": {"items": [{"type": "string"}, {"$ref": "#/definitions/n"}], "additionalItems": false},
         "d": {"dependencies": {"a": ["b"], "c": {"required": ["e"]}}},
         "r": {"$ref": "#/definitions/n", "type": "string"}
       }}
      """##
    let schemas = SchemaLoader().load(text: text)
    #expect(schemas.errors.isEmpty)
    let validator = SchemaValidator(schemas: schemas)
    #expect(validator.isValid(try readJSON(##"{"t": ["a", 1]}"##)))
    #expect(!validator.isValid(try readJSON(##"{"t": ["a", 1, 2]}"##)))
    #expect(!validator.isValid(try readJSON(##"{"t": [1]}"##)))
    #expect(!validator.isValid(try readJSON(##"{"d": {"a": 1}}"##)))
    #expect(!validator.isValid(try readJSON(##"{"d": {"c": 1}}"##)))
    #expect(validator.isValid(try readJSON(##"{"d": {"a": 1, "b": 2}}"##)))
    // In draft-07 $ref overrides its siblings.
    #expect(validator.isValid(try readJSON(##"{"r": 1}"##)))
  }

  @Test func anchorsAndIdentifiers() throws {
    let text = ##"""
      {"$id": "https://example.test/root.json",
       "$defs": {
         "a": {"$anchor": "thing", "type": "integer"},
         "b": {"$id": "nested/b.json", "$defs": {"c": {"type": "string"}}, "$ref": "#/$defs/c"}
       },
       "properties": {"x": {"$ref": "#thing"}, "y": {"$ref": "nested/b.json"}, "z": {"$ref": "https://example.test/nested/b.json#/$defs/c"}}}
      """##
    let schemas = SchemaLoader().load(text: text)
    #expect(schemas.errors.isEmpty)
    let validator = SchemaValidator(schemas: schemas)
    #expect(validator.isValid(try readJSON(##"{"x": 1, "y": "s", "z": "t"}"##)))
    #expect(!validator.isValid(try readJSON(##"{"x": "1"}"##)))
    #expect(!validator.isValid(try readJSON(##"{"y": 1}"##)))
  }
}
