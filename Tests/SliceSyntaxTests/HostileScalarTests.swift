import Foundation
import Testing

@testable import SliceSyntax

/// Scalars Python reads but slicels cannot carry faithfully (lone surrogates), and integers
/// whose exact reading would cost unbounded big-integer work: each is an error finding at its
/// place, never a silently changed value or a hang.
@Suite struct HostileScalarTests {
  // MARK: Lone surrogates

  @Test func aLoneHighSurrogateInJSONIsRefusedAtItsEscape() throws {
    let text = #"{"name": "a\ud800b"}"#
    let tree = JSONReader().read(text)
    #expect(!tree.loads)
    let finding = try #require(tree.findings.first)
    #expect(finding.code == "json-lone-surrogate")
    #expect(finding.severity == .error)
    let start = try #require(text.utf8.firstIndex(of: UInt8(ascii: "\\")))
    let offset = text.utf8.distance(from: text.utf8.startIndex, to: start)
    #expect(finding.range == offset..<offset + 6)
    // The tree stays for the editor, but the slice is not readable: no compile uses it.
    #expect(tree.root != nil)
    guard case .invalid(let reason) = tree.sliceKind else {
      Issue.record("a file with a lone surrogate must not be a slice")
      return
    }
    #expect(reason.code == "json-lone-surrogate")
  }

  @Test(arguments: [
    (#"["\udc00"]"#, 2..<8),
    (#"["\ud800\u0041"]"#, 2..<8),
    (#"["\ud800\ud800\udc00"]"#, 2..<8),
    (#"{"\udfff": 1}"#, 2..<8),
    (#"["x", "\uDBFF"]"#, 7..<13),
  ])
  func everyUnpairedSurrogateIsReported(text: String, range: Range<Int>) {
    let tree = JSONReader().read(text)
    #expect(!tree.loads)
    #expect(tree.findings.map(\.code) == ["json-lone-surrogate"])
    #expect(tree.findings.first?.range == range)
  }

  @Test func aSurrogatePairIsOneCharacter() {
    let tree = JSONReader().read(#"["\ud83d\ude00", "\uD83D\uDE00"]"#)
    #expect(tree.loads)
    #expect(tree.findings.isEmpty)
    #expect(tree.root?.value == .array([.string("😀"), .string("😀")]))
  }

  @Test(arguments: [
    (#"name: "a\ud800b""#, "\\ud800"),
    (#"name: "\udc00""#, "\\udc00"),
    // PyYAML does not combine escaped pairs: both halves stay lone surrogates.
    (#"name: "\ud83d\ude00""#, "\\ud83d"),
    (#"name: "\U0000DFFF""#, "\\U0000DFFF"),
  ])
  func aSurrogateEscapeInYAMLIsRefusedAtItsEscape(text: String, escape: String) throws {
    let tree = YAMLReader().read(text)
    #expect(!tree.loads)
    let finding = try #require(tree.findings.first)
    #expect(finding.code == "yaml-lone-surrogate")
    let bytes = Array(text.utf8)
    let start = try #require(bytes.indices.first { bytes[$0...].starts(with: escape.utf8) })
    #expect(finding.range == start..<start + escape.utf8.count)
  }

  @Test func otherInvalidYAMLEscapesStaySyntaxErrors() {
    #expect(YAMLReader().read(#"name: "\U00110000""#).findings.map(\.code) == ["yaml-syntax"])
    #expect(YAMLReader().read(#"name: "\u00e9 ok" # \ud800"#).loads)
    #expect(YAMLReader().read(#"name: '\ud800'"#).loads)
    #expect(YAMLReader().read(#"name: "\\ud800""#).loads)
  }

  // MARK: Big integers

  /// PyYAML reads a base-60 integer of any size, but Python cannot write one beyond 4300 decimal
  /// digits (60^2418 has 4300): refused at its place, in linear time.
  @Test func aHugeBase60IntegerIsRefusedQuickly() throws {
    let parts = 300_000
    let text = "a: 1" + String(repeating: ":59", count: parts - 1)
    let clock = ContinuousClock()
    var tree: SyntaxTree?
    let elapsed = clock.measure { tree = YAMLReader().read(text) }
    let finding = try #require(tree?.findings.first)
    #expect(tree?.loads == false)
    #expect(finding.code == "yaml-integer-too-large")
    #expect(finding.range == 3..<text.utf8.count)
    // A hang guard: quadratic big-integer arithmetic took 25-40 s here.
    #expect(elapsed < .seconds(10))
  }

  @Test func base60IntegersUpToPythonsLimitAreRead() throws {
    // 59:59:...:59 with 2418 parts is 60^2418 - 1: 4300 decimal digits, which Python can write.
    let largest = "a: " + Array(repeating: "59", count: 2418).joined(separator: ":")
    let tree = YAMLReader().read(largest)
    #expect(tree.loads)
    let value = try #require(tree.root?.lookup("a")?.scalar)
    guard case .integer(let number) = value else {
      Issue.record("expected an integer, read \(value)")
      return
    }
    #expect(number.description.count == 4300)
    // 60^2418 still has 4300 digits; 60^2419 has 4302.
    let largestPower = "a: 1:" + Array(repeating: "00", count: 2418).joined(separator: ":")
    #expect(YAMLReader().read(largestPower).loads)
    let oneMore = "a: 1:" + Array(repeating: "00", count: 2419).joined(separator: ":")
    #expect(YAMLReader().read(oneMore).findings.map(\.code) == ["yaml-integer-too-large"])
  }

  @Test func base60PartsAreCheckedBeforeTheSize() {
    // Python converts every part first: a bad part fails the load, whatever the size.
    let text = "a: !!int 1" + String(repeating: ":59", count: 5000) + ":x"
    #expect(YAMLReader().read(text).findings.map(\.code) == ["yaml-invalid-value"])
  }

  @Test func negativeBase60PartsAreBoundedToo() {
    let cancelling = "a: !!int 1:-60" + String(repeating: ":0", count: 10)
    #expect(YAMLReader().read(cancelling).root?.lookup("a")?.scalar == .integer(0))
    let many = "a: !!int 1:-60" + String(repeating: ":0", count: 10_000)
    #expect(YAMLReader().read(many).findings.map(\.code) == ["yaml-integer-too-large"])
  }

  @Test func hugeHexOctalAndBinaryIntegersAreRefusedQuickly() {
    let clock = ContinuousClock()
    for text in [
      "a: 0x" + String(repeating: "f", count: 1_000_000), "a: 0" + String(repeating: "7", count: 1_000_000),
      "a: 0b" + String(repeating: "1", count: 1_000_000), "a: !!int 0x" + String(repeating: "f", count: 1_000_000),
    ] {
      var tree: SyntaxTree?
      let elapsed = clock.measure { tree = YAMLReader().read(text) }
      #expect(tree?.findings.map(\.code) == ["yaml-integer-too-large"], "\(text.prefix(12))")
      #expect(elapsed < .seconds(10))
    }
    // Up to the limit they are read: 0x + 3571 hex digits is below 10^4300, leading zeros are free.
    #expect(YAMLReader().read("a: 0x" + String(repeating: "f", count: 3571)).loads)
    #expect(YAMLReader().read("a: 0x" + String(repeating: "0", count: 100_000) + "1f").root?.lookup("a")?.scalar == .integer(31))
    #expect(YAMLReader().read("a: 0x" + String(repeating: "f", count: 3572)).findings.map(\.code) == ["yaml-integer-too-large"])
  }

  @Test func decimalIntegersKeepPythonsDigitLimit() {
    #expect(YAMLReader().read("a: " + String(repeating: "9", count: 4300)).loads)
    #expect(YAMLReader().read("a: " + String(repeating: "9", count: 4301)).findings.map(\.code) == ["yaml-invalid-value"])
    #expect(JSONReader().read(String(repeating: "9", count: 4300)).loads)
    #expect(JSONReader().read(String(repeating: "9", count: 4301)).findings.map(\.code) == ["json-syntax"])
  }
}

/// Duplicate keys are found at every depth (the check of nested mappings once looked at the
/// wrong part of its scratch stack and missed them; the update then took such a file as
/// already normalised).
@Suite struct NestedDuplicateKeyTests {
  @Test(arguments: [
    "item:\n  y: 2\n  y: 2\n",
    "a: 1\nitem:\n  x: 1\n  y: 2\n  y: 3\n",
    "base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n  y: 2\n",
    "list:\n- {k: 1, k: 2}\n",
    "a:\n  b:\n    c: 1\n    c: 1\n  d: 2\n",
  ])
  func nestedDuplicatesAreReported(text: String) {
    let tree = YAMLReader().read(text)
    #expect(tree.findings.map(\.code) == ["duplicate-key"], "\(text)")
  }

  @Test func keysOfSiblingMappingsAreNotMixedUp() {
    let tree = YAMLReader().read("a:\n  x: 1\nb:\n  x: 1\nc: {x: 1}\nx: 2\n")
    #expect(tree.findings.isEmpty)
  }
}
