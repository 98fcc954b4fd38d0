import SliceSyntax
import Testing

@testable import SliceSchema

/// A JSON document whose objects never repeat a key lets a model take each field's first entry
/// (`SyntaxTree.keysAreDistinct`): the outcome must be the scan's, whatever the keys' order.
@Suite struct DistinctKeysTests {
  let schemas = SchemaLoader().load(
    text: #"""
      {"type": "object", "additionalProperties": false, "required": ["a"],
       "properties": {"a": {"type": "integer"}, "b": {"type": "string", "default": "x"},
                      "c": {"type": "array", "items": {"$ref": "#/$defs/Item"}}, "d": {"type": "boolean"}},
       "$defs": {"Item": {"type": "object", "properties": {"k": {"type": "string"}, "v": {"type": "integer"}}}}}
      """#)

  @Test func theReaderTellsWhetherAnyObjectRepeatsAKey() {
    #expect(JSONReader().read(Array(#"{"a": 1, "c": [{"k": "x", "v": 2}]}"#.utf8)).keysAreDistinct)
    #expect(!JSONReader().read(Array(#"{"a": 1, "c": [{"k": "x", "k": "y"}]}"#.utf8)).keysAreDistinct)
    #expect(!JSONReader().read(Array(#"{"a": 1, "a": 2}"#.utf8)).keysAreDistinct)
  }

  @Test func everyOrderOfTheKeysValidatesAsTheScanDoes() throws {
    let validator = SliceValidator(schemas: schemas)
    let members = [#""a": 1"#, #""b": "y""#, #""c": [{"v": 3, "k": "z"}, {"k": "w"}]"#, #""d": true"#, #""e": 0"#]
    // Every subset of the members, in both orders.
    for mask in 0..<(1 << members.count) {
      let chosen = members.indices.filter { mask & (1 << $0) != 0 }.map { members[$0] }
      for ordered in [chosen, chosen.reversed()] {
        let text = "{" + ordered.joined(separator: ", ") + "}"
        let tree = JSONReader().read(Array(text.utf8))
        let root = try #require(tree.root)
        #expect(tree.keysAreDistinct)
        let fast = validator.validate(root, keysAreDistinct: true)
        let scanned = validator.validate(root, keysAreDistinct: false)
        #expect(fast.normalized == scanned.normalized, "\(text)")
        #expect(fast.errors.map(\.type) == scanned.errors.map(\.type), "\(text)")
        #expect(fast.findings.map(\.range) == scanned.findings.map(\.range), "\(text)")
      }
    }
  }
}
