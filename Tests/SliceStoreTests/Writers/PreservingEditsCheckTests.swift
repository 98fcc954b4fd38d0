import SliceStore
import SliceSyntax
import Testing

/// Runs the preserving writer on a source and checks what every case must satisfy: the edits
/// are sorted and do not overlap, and the edited file reads back (same format) as exactly the
/// normalised value — same kinds, any key order.
enum PreservingCheck {
  struct Result {
    var text: String
    var method: PreservingEdits.Method
    var edits: [TextEdit]
  }

  /// A value written as JSON (which keeps `1` and `1.0` apart).
  static func value(_ json: String) -> Value {
    let tree = JSONReader().read(json)
    guard tree.loads, let root = tree.root else {
      Issue.record("bad test value: \(json)")
      return .null
    }
    return root.value
  }

  static func run(
    _ source: String, _ format: SliceFormat, _ normalized: Value, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Result {
    try run(Array(source.utf8), format, normalized, sourceLocation: sourceLocation)
  }

  static func run(
    _ bytes: [UInt8], _ format: SliceFormat, _ normalized: Value, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Result {
    let tree = SliceReader.read(bytes, format: format)
    let outcome = try PreservingEdits.outcome(source: bytes, tree: tree, normalized: normalized)
    for (left, right) in zip(outcome.edits, outcome.edits.dropFirst()) {
      #expect(left.range.upperBound <= right.range.lowerBound, "edits overlap or are unsorted", sourceLocation: sourceLocation)
    }
    for edit in outcome.edits {
      #expect(edit.range.lowerBound >= 0 && edit.range.upperBound <= bytes.count, sourceLocation: sourceLocation)
    }
    let edited = PreservingEdits.apply(outcome.edits, to: bytes)
    let text = String(decoding: edited, as: UTF8.self)
    if outcome.method != .unchanged || tree.sliceKind.isDeleted == false {
      let reread = SliceReader.read(edited, format: format)
      #expect(reread.loads, "the edited file does not load:\n\(text)", sourceLocation: sourceLocation)
      let readBack = reread.root?.value ?? .null
      #expect(
        canonical(readBack) == canonical(normalized),
        "read back \(canonical(readBack))\nexpected  \(canonical(normalized))\nfrom:\n\(text)",
        sourceLocation: sourceLocation)
    }
    return Result(text: text, method: outcome.method, edits: outcome.edits)
  }

  /// A kind-tagged rendering with sorted keys: two values have the same canonical text exactly
  /// when they are equal in Python and every scalar has the same kind (an int is not a float
  /// is not a bool), floats bit for bit.
  static func canonical(_ value: Value) -> String {
    switch value {
    case .scalar(let scalar):
      return canonical(scalar)
    case .array(let elements):
      return "[" + elements.map(canonical).joined(separator: ",") + "]"
    case .object(let members):
      return "{" + members.map { canonical($0.key.scalar) + "=" + canonical($0.value) }.sorted().joined(separator: ",") + "}"
    }
  }

  static func canonical(_ scalar: Scalar) -> String {
    switch scalar {
    case .string(let text): return "s" + text.debugDescription
    case .integer(let number): return "i\(number)"
    case .float(let number): return number.isNaN ? "fnan" : "f\(String(number.bitPattern, radix: 16))"
    case .boolean(let flag): return "b\(flag)"
    case .null: return "null"
    case .date(let date): return "d\(date)"
    case .datetime(let date): return "t\(date)"
    }
  }

  static func strictlyEqual(_ left: Value, _ right: Value) -> Bool {
    canonical(left) == canonical(right)
  }
}

extension SliceDocumentKind {
  var isDeleted: Bool {
    if case .deleted = self { return true }
    return false
  }
}

@Suite struct PreservingEditsCheckTests {
  @Test func strictEqualityKeepsKindsApartAndIgnoresKeyOrder() {
    let value = PreservingCheck.value
    #expect(PreservingCheck.strictlyEqual(value(#"{"a": 1, "b": [1.5, "x"]}"#), value(#"{"b": [1.5, "x"], "a": 1}"#)))
    #expect(!PreservingCheck.strictlyEqual(value("1"), value("1.0")))
    #expect(!PreservingCheck.strictlyEqual(value("1"), value("true")))
    #expect(!PreservingCheck.strictlyEqual(value("0.0"), value("-0.0")))
    #expect(!PreservingCheck.strictlyEqual(value(#"{"a": 1}"#), value(#"{"a": 1, "b": null}"#)))
    #expect(!PreservingCheck.strictlyEqual(value("[1, 2]"), value("[2, 1]")))
    #expect(!PreservingCheck.strictlyEqual(value(#""1""#), value("1")))
    // Python would call these equal.
    #expect(value("1") == value("1.0"))
  }

  @Test func applyHonoursArrayOrderAtOnePosition() {
    let source = Array("ab".utf8)
    let edits = [TextEdit(range: 1..<1, newText: "X"), TextEdit(range: 1..<1, newText: "Y"), TextEdit(range: 0..<1, newText: "")]
    #expect(String(decoding: PreservingEdits.apply(edits, to: source), as: UTF8.self) == "XYb")
  }
}
