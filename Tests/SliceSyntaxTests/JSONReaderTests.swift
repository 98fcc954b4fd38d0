import BigInt
import Testing

@testable import SliceSyntax

@Suite struct JSONReaderTests {
  let reader = JSONReader()

  @Test func readsNestedValuesWithRanges() throws {
    let text = #"{"a": [1, 2.5, true, null, "x"], "b": {"c": -0}}"#
    let tree = reader.read(text)
    #expect(tree.loads)
    #expect(tree.findings.isEmpty)
    let root = try #require(tree.root)
    #expect(root.range == 0..<text.utf8.count)
    let a = try #require(root.lookup("a"))
    #expect(a.range == 6..<31)
    let items = try #require(a.items)
    #expect(items.map(\.range) == [7..<8, 10..<13, 15..<19, 21..<25, 27..<30])
    #expect(items[1].scalar == .float(2.5))
    #expect(root.lookup("b")?.lookup("c")?.scalar == .integer(0))
  }

  @Test func countsHowDeepTheCollectionsNest() {
    let cases: [(String, Int)] = [
      ("1", 0), ("[]", 0), ("{}", 0), (#"{"a": {}}"#, 1), (#"{"a": [{"b": 1}], "c": 2}"#, 2),
      (#"[[[[]]], []]"#, 3), (String(repeating: "[", count: 60) + String(repeating: "]", count: 60), 59),
    ]
    for (text, depth) in cases {
      #expect(JSONReader().read(text).nestingDepth == depth, "\(text)")
    }
    // What the validator's own walk would conclude (LargeStack), for a tree without the count.
    let deep = JSONReader().read(#"{"a":"# + String(repeating: "[", count: 50) + String(repeating: "]", count: 50) + "}")
    #expect(deep.nestingDepth == 50)
  }

  @Test func acceptsWhatPythonAccepts() throws {
    let tree = reader.read(#"[NaN, Infinity, -Infinity, 123456789012345678901234567890, 1e400]"#)
    let items = try #require(tree.root?.items)
    if case .float(let nan) = items[0].scalar { #expect(nan.isNaN) } else { Issue.record("NaN") }
    #expect(items[1].scalar == .float(.infinity))
    #expect(items[2].scalar == .float(-.infinity))
    #expect(items[3].scalar == .integer(BigInt("123456789012345678901234567890", radix: 10)!))
    #expect(items[4].scalar == .float(.infinity))
  }

  @Test func decodesEscapesAndSurrogatePairs() throws {
    let tree = reader.read(#"{"k\u00e9": "a\"b\\c\/d\n\ud83d\ude00"}"#)
    let root = try #require(tree.root)
    #expect(root.entries?.first?.keyString == "ké")
    #expect(root.lookup("ké")?.scalar == .string("a\"b\\c/d\n😀"))
  }

  @Test func keepsTheNonASCIIRunsBetweenEscapes() throws {
    // The escape path decodes plain runs and escapes into one buffer: runs of multi-byte
    // characters on both sides of every escape kind, an escaped NUL and a lone surrogate.
    let tree = reader.read(#"["é日\u0000ü\t😀\/ß\u00e9\ud83d\ude00end", "x\ud800y"]"#)
    let items = try #require(tree.root?.items)
    #expect(items[0].scalar == .string("é日\u{0}ü\t😀/ßé😀end"))
    #expect(items[1].scalar == .string("x\u{FFFD}y"))
    #expect(tree.findings.map(\.code) == ["json-lone-surrogate"])
    #expect(tree.findings.first?.range == 51..<57)
  }

  @Test(arguments: [
    (#"{"a": 1,}"#, 8, "trailing comma"),
    (#"{"a" 1}"#, 5, "expected ':' after property name"),
    (#"{"a": 1 "b": 2}"#, 8, "expected ',' or '}' after object member"),
    (#"[1, 2"#, 5, "expected ',' or ']' after array element"),
    (#"[01]"#, 1, "leading zeros"),
    (#"{"a": tru}"#, 6, "unknown literal 'tru'"),
    ("\"a\tb\"", 2, "a tab inside a string must be escaped"),
    (#"{"a": 1} x"#, 9, "after the JSON value"),
    ("", 0, "expected a JSON value"),
    (#"[1,]"#, 3, "trailing comma"),
    (#"{'a': 1}"#, 1, "expected a property name in double quotes"),
  ])
  func reportsSyntaxErrorsPrecisely(text: String, offset: Int, message: String) throws {
    let tree = reader.read(text)
    #expect(!tree.loads)
    let finding = try #require(tree.findings.first)
    #expect(finding.code == "json-syntax")
    #expect(finding.range.lowerBound == offset)
    #expect(finding.message.contains(message), "\(finding.message)")
  }

  @Test func errorRangesCoverWholeCharacters() throws {
    let tree = reader.read("[1, é]")
    let finding = try #require(tree.findings.first)
    #expect(finding.range == 4..<6)
  }

  @Test func deepNestingIsRefusedWithoutCrashing() {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    let tree = reader.read(deep)
    #expect(!tree.loads)
    #expect(tree.findings.first?.message.contains("nesting deeper") == true)
  }

  @Test func duplicateKeysKeepTheLastValueAndWarn() throws {
    let tree = reader.read(#"{"a": 1, "a": 2}"#)
    #expect(tree.loads)
    #expect(tree.root?.value == .object([Value.Member("a", .integer(2))]))
    let finding = try #require(tree.findings.first)
    #expect(finding.code == "duplicate-key")
    #expect(finding.range == 1..<4)
  }

  @Test func nestedDuplicateKeysAreReportedInOrder() {
    let tree = reader.read(#"{"a": {"x": 1, "x": 2}, "b": [{"y": 1, "y": 2}], "a": 3}"#)
    #expect(tree.loads)
    #expect(tree.findings.map(\.code) == ["duplicate-key", "duplicate-key", "duplicate-key"])
    #expect(tree.findings.map(\.range.lowerBound) == [1, 7, 31])
  }

  @Test func longListsAndWideObjectsReadInLinearTime() throws {
    let count = 200_000
    let list = "[" + (0..<count).map(String.init).joined(separator: ",") + "]"
    let object = "{" + (0..<count).map { "\"k\($0)\": \($0)" }.joined(separator: ",") + "}"
    let clock = ContinuousClock()
    var trees: [SyntaxTree] = []
    let elapsed = clock.measure { trees = [reader.read(list), reader.read(object)] }
    #expect(trees[0].root?.items?.count == count)
    #expect(trees[1].root?.entries?.count == count)
    #expect(trees[1].findings.isEmpty)
    // Quadratic copying took minutes here; linear reading takes well under a second.
    #expect(elapsed < .seconds(20))
  }

  @Test func integersBeyondPythonsDigitLimitDoNotLoad() {
    #expect(reader.read(String(repeating: "7", count: 4300)).loads)
    #expect(!reader.read("-" + String(repeating: "7", count: 4301)).loads)
    #expect(YAMLReader().read("a: " + String(repeating: "7", count: 4300)).loads)
    #expect(YAMLReader().read("a: " + String(repeating: "7", count: 4301)).findings.map(\.code) == ["yaml-invalid-value"])
    // Power-of-two bases have no limit when Python reads them, but Python cannot write such a
    // value back (str() has the same limit): refused, see HostileScalarTests.
    #expect(YAMLReader().read("a: 0x" + String(repeating: "f", count: 3000)).loads)
    #expect(YAMLReader().read("a: 0x" + String(repeating: "f", count: 5000)).findings.map(\.code) == ["yaml-integer-too-large"])
  }

  @Test func byteOrderMarkIsRefusedLikePython() {
    // json.loads refuses a string that starts with U+FEFF.
    let tree = reader.read("\u{FEFF}{}")
    #expect(!tree.loads)
    #expect(tree.findings.first?.range == 0..<3)
  }

  @Test func invalidUTF8IsReported() {
    let tree = reader.read([UInt8(ascii: "\""), 0xFF, UInt8(ascii: "\"")])
    #expect(!tree.loads)
    #expect(tree.findings.first?.range == 1..<2)
  }
}

@Suite struct ValueEqualityTests {
  @Test func followsPythonEquality() {
    #expect(Value.integer(1) == Value.float(1.0))
    #expect(Value.boolean(true) == Value.integer(1))
    #expect(Value.object([.init("a", .integer(1)), .init("b", .null)]) == Value.object([.init("b", .null), .init("a", .integer(1))]))
    #expect(Value.string("1") != Value.integer(1))
  }

  /// Objects with the same keys in the same order are told apart at their first different
  /// value, unless that key comes again: Python's dict keeps the last of a repeated key.
  @Test func repeatedKeysCountOnceTheLastWhateverTheOrder() {
    func object(_ members: [(String, Int)]) -> Value { .object(members.map { Value.Member($0.0, .integer($0.1)) }) }
    #expect(object([("a", 1), ("b", 2)]) != object([("a", 1), ("b", 3)]))
    #expect(object([("a", 1), ("b", 2), ("c", 3)]) != object([("a", 9), ("b", 2), ("c", 3)]))
    // The first values differ, but the later `a` decides: {a: 2} == {a: 2}.
    #expect(object([("a", 1), ("a", 2)]) == object([("a", 5), ("a", 2)]))
    #expect(object([("a", 1), ("b", 0), ("a", 2)]) == object([("a", 7), ("b", 0), ("a", 2)]))
    #expect(object([("a", 1), ("a", 2)]) != object([("a", 1), ("a", 3)]))
    // Keys Python holds equal (1, 1.0, True) repeat one key.
    let numbered = Value.object([.init(key: .init(.integer(1)), value: .integer(1)), .init(key: .init(.float(1.0)), value: .integer(2))])
    let other = Value.object([.init(key: .init(.integer(1)), value: .integer(9)), .init(key: .init(.float(1.0)), value: .integer(2))])
    #expect(numbered == other)
    // {a: 2} has one key, whatever the text repeated.
    #expect(object([("a", 1), ("a", 2)]) == object([("a", 2)]))
    #expect(object([("a", 1), ("b", 2)]) != object([("a", 1)]))
    #expect(object([("b", 2), ("a", 1)]) == object([("a", 1), ("b", 2)]))
  }
}
