import Foundation
import SliceStore
import SliceSyntax
import Testing

/// Large files: planning stays roughly linear, also when a file is one long line.
@Suite struct PreservingEditsScaleTests {
  /// A value for `count` keys: every tenth dropped, every other one coerced to an int, one added.
  private func normalized(count: Int) -> Value {
    var members: [Value.Member] = []
    for index in 0..<count where index % 10 != 5 {
      members.append(Value.Member("key\(index)", index % 2 == 0 ? .integer(index) : .string("\(index)")))
    }
    members.append(Value.Member("added", .array([.integer(1)])))
    return .object(members)
  }

  private func timed(_ source: String, _ format: SliceFormat, _ value: Value) throws -> (PreservingCheck.Result, Double) {
    let start = Date()
    let result = try PreservingCheck.run(source, format, value)
    return (result, Date().timeIntervalSince(start))
  }

  @Test func aOneLineFlowMappingWithManyEntries() throws {
    let count = 20_000
    let source = "{" + (0..<count).map { "key\($0): '\($0)'" }.joined(separator: ", ") + "}"
    let (result, elapsed) = try timed(source, .yaml, normalized(count: count))
    print("one-line YAML flow mapping, \(source.utf8.count) bytes: \(result.edits.count) edits in \(elapsed) s")
    #expect(result.method == .preserving)
    #expect(result.edits.count > count / 2)
    #expect(elapsed < 30)
  }

  @Test func aPrettyJSONFileWithManyEntries() throws {
    let count = 2_000
    let source = "{\n" + (0..<count).map { "  \"key\($0)\": \"\($0)\"" }.joined(separator: ",\n") + "\n}"
    let (result, elapsed) = try timed(source, .json, normalized(count: count))
    print("pretty JSON, \(source.utf8.count) bytes: \(result.edits.count) edits in \(elapsed) s")
    #expect(result.method == .preserving)
    #expect(result.text.hasSuffix("  \"key1999\": \"1999\",\n  \"added\": [\n    1\n  ]\n}"))
    #expect(elapsed < 30)
  }

  @Test func aLongYAMLFileWithComments() throws {
    let count = 5_000
    var source = ""
    for index in 0..<count {
      source += "# entry \(index)\nitem\(index):\n  name: \"n\(index)\"  # c\(index)\n  size: '\(index)'\n"
    }
    var members: [Value.Member] = []
    for index in 0..<count where index % 7 != 3 {
      let fields = [
        Value.Member("name", .string("n\(index)")), Value.Member("size", .integer(index)), Value.Member("enabled", .boolean(true)),
      ]
      members.append(Value.Member("item\(index)", .object(fields)))
    }
    let (result, elapsed) = try timed(source, .yaml, .object(members))
    print("long YAML, \(source.utf8.count) bytes: \(result.edits.count) edits in \(elapsed) s")
    #expect(result.method == .preserving)
    #expect(result.text.contains("item4999:\n  name: \"n4999\"  # c4999\n  size: 4999\n  enabled: true\n"))
    #expect(elapsed < 30)
  }
}
