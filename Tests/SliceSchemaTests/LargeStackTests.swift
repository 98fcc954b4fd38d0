import SliceSyntax
import Testing

@testable import SliceSchema

@Suite struct LargeStackTests {
  /// The JSON reader's count stands in for the validator's walk: both must say the same about
  /// every depth around the threshold, empty collections and mixed nesting included.
  @Test func theReadersCountDecidesAsTheWalkDoes() throws {
    for depth in [0, 1, LargeStack.threshold - 1, LargeStack.threshold, LargeStack.threshold + 1, 200] {
      for (open, close) in [("[", "]"), (#"{"k":"#, "}")] {
        let inner = String(repeating: open, count: depth) + "[]" + String(repeating: close, count: depth)
        let text = #"{"a": 1, "b": "# + inner + #", "c": {"d": [1, 2]}}"#
        let tree = JSONReader().read(text)
        let root = try #require(tree.root)
        let counted = try #require(tree.nestingDepth)
        #expect((counted > LargeStack.threshold) == LargeStack.exceedsThreshold(root), "depth \(depth) \(open)")
      }
    }
  }
}
