import Foundation
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceSchema

/// Defaults as the reference's update compile writes them (issue 13, classes 1 and 2), on the
/// exposed schema of the differential suite's `extras` store (`Tests/Reference/golden/_project`).
@Suite struct ReferenceDefaultsTests {
  static func extrasValidator() throws -> SliceValidator {
    let url = TestPackage.root.appendingPathComponent("Tests/Reference/golden/_project/files/schemas/extras.json")
    let text = String(decoding: try TestPaths.read(url), as: UTF8.self)
    return SliceValidator(schemas: SchemaLoader().load(text: text))
  }

  static func filled(_ json: String) throws -> Value {
    let slice = try extrasValidator().validate(try readJSON(json))
    return try #require(slice.normalized)
  }

  @Test func factoryBuiltObjectsNestedTwoDeepAreFilledWhole() throws {
    let value = try Self.filled(#"{"name": "bare"}"#)
    let middle = try #require(value["middle"])
    #expect(strictlyEqual(try #require(middle["weight"]), .float(2)))
    let deep = try #require(middle["deep"])
    #expect(strictlyEqual(deep, .object([Value.Member("level", .integer(3)), Value.Member("ratio", .float(1)), Value.Member("tags", .array([]))])))
  }

  @Test func aPartialObjectGetsItsFactoryBuiltFieldsToo() throws {
    let value = try Self.filled(#"{"name": "partial", "middle": {"weight": 5}, "nodes": [{"id": "n1"}]}"#)
    #expect(strictlyEqual(try #require(value["middle"]?["deep"]?["ratio"]), .float(1)))
    let node = try #require(value["nodes"]?.elements?.first)
    #expect(strictlyEqual(try #require(node["scale"]), .float(1)))
    #expect(strictlyEqual(try #require(node["deep"]?["level"]), .integer(3)))
  }

  @Test func intDefaultsOfFloatFieldsAreDumpedAsFloats() throws {
    let value = try Self.filled(#"{"name": "bare"}"#)
    #expect(strictlyEqual(try #require(value["timeout"]), .float(60)))
    #expect(strictlyEqual(try #require(value["weights"]), .array([.float(1), .float(2.5)])))
    #expect(strictlyEqual(try #require(value["by_name"]), .object([Value.Member("a", .float(1))])))
    #expect(strictlyEqual(try #require(value["maybe"]), .float(2)), "float | None = 2 is written 2.0")
  }
}

/// Keys of an untyped dict as the reference collapses them (issue 13, class 3).
@Suite struct PythonKeyEqualityTests {
  @Test func keysPythonHoldsEqualAreOneKeyThenOneJSONKey() throws {
    let source = "name: keys\nanything: {1: a, true: b, 1.0: c, \"1\": d, null: e, ~: f, 0: g, false: h}\n"
    let root = try #require(YAMLReader().read(Array(source.utf8)).root)
    let slice = try ReferenceDefaultsTests.extrasValidator().validate(root)
    let anything = try #require(slice.normalized?["anything"])
    let expected = Value.object([
      Value.Member("1", .string("d")), Value.Member("None", .string("f")), Value.Member("0", .string("h")),
    ])
    #expect(strictlyEqual(anything, expected))
  }
}
