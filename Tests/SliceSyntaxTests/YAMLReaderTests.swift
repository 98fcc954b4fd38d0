import BigInt
import Testing

@testable import SliceSyntax

@Suite struct YAMLReaderTests {
  let reader = YAMLReader()

  func text(_ source: String, _ range: ByteRange) -> String {
    String(decoding: Array(source.utf8)[range], as: UTF8.self)
  }

  @Test func rangesCoverExactlyTheWrittenValue() throws {
    let source = "name: x\nlist:\n  - 'a b'\n  - {k: \"v\"}\nblock: |\n  text\n\n# trailing comment\nlast: [1, 2]\n"
    let tree = reader.read(source)
    #expect(tree.loads)
    let root = try #require(tree.root)
    #expect(root.style == .blockMapping)
    #expect(text(source, root.range) == String(source.dropLast()))
    let list = try #require(root.lookup("list"))
    #expect(list.style == .blockSequence)
    #expect(text(source, list.range) == "- 'a b'\n  - {k: \"v\"}")
    #expect(text(source, try #require(list.items?[0]).range) == "'a b'")
    #expect(list.items?[0].style == .singleQuoted)
    #expect(text(source, try #require(list.items?[1]).range) == "{k: \"v\"}")
    let block = try #require(root.lookup("block"))
    #expect(block.style == .literal)
    #expect(block.scalar == .string("text\n"))
    #expect(text(source, block.range) == "|\n  text")
    #expect(text(source, try #require(root.entry("last")).key.range) == "last")
    #expect(text(source, try #require(root.lookup("last")).range) == "[1, 2]")
  }

  @Test func rangesWithMultiByteCharactersTabsAndCRLF() throws {
    let source = "é: \"日本\\t😀\"\r\n日本:\r\n  - 😀\r\n  - \"tab\there\" # c\t\r\n"
    let tree = reader.read(source)
    #expect(tree.loads, "\(tree.findings.map(\.message))")
    let root = try #require(tree.root)
    let first = try #require(root.entries?.first)
    #expect(first.keyString == "é")
    #expect(text(source, first.key.range) == "é")
    #expect(text(source, first.value.range) == "\"日本\\t😀\"")
    #expect(first.value.scalar == .string("日本\t😀"))
    let list = try #require(root.lookup("日本")?.items)
    #expect(text(source, list[0].range) == "😀")
    #expect(text(source, list[1].range) == "\"tab\there\"")
    #expect(list[1].scalar == .string("tab\there"))
  }

  /// Every node's range converted to editor positions and back gives the same bytes, in all three
  /// encodings, for both formats.
  @Test(arguments: [SliceFormat.yaml, .json], PositionEncoding.allCases)
  func nodeRangesRoundTripThroughPositions(format: SliceFormat, encoding: PositionEncoding) throws {
    let source =
      format == .yaml
      ? "# ké\t\r\nké: \"日本 😀\"\r\n😀:\r\n  - {a: 1, \"é\t\": 'x😀'}\r\n  - 中文: |\r\n      😀\tline\r\n"
      : "{\r\n\t\"ké\": \"日本 😀\",\r\n\t\"😀\": [{\"a\": 1, \"é\": \"x😀\"}, {\"中文\": \"\\ud83d\\ude00 line\"}]\r\n}"
    let tree = SliceReader.read(source, format: format)
    #expect(tree.loads, "\(tree.findings.map(\.message))")
    let document = TextDocument(text: source)
    var pending = [try #require(tree.root)]
    var checked = 0
    while let node = pending.popLast() {
      let positions = document.range(of: node.range, in: encoding)
      #expect(document.byteRange(of: positions, in: encoding) == node.range)
      checked += 1
      if let entries = node.entries {
        for entry in entries {
          pending.append(entry.value)
          let keyPositions = document.range(of: entry.key.range, in: encoding)
          #expect(document.byteRange(of: keyPositions, in: encoding) == entry.key.range)
        }
      }
      pending += node.items ?? []
    }
    #expect(checked >= 8)
    // One known place: the value of ké starts after `ké: ` on its line.
    let value = try #require(tree.root?.lookup("ké"))
    let start = document.position(of: value.range.lowerBound, in: encoding)
    let expected: Int
    switch (format, encoding) {
    case (.yaml, .utf8): expected = 5
    case (.yaml, _): expected = 4
    case (.json, .utf8): expected = 8
    case (.json, _): expected = 7
    }
    #expect(start == Position(line: 1, character: expected))
  }

  @Test func scalarResolutionFollowsPyYAML() throws {
    let source = """
      a: yes
      b: No
      c: y
      d: 0x1F
      e: 017
      f: 0b101
      g: 1_000
      h: 1:30
      i: .inf
      j: 1e3
      k: 1.0e+3
      l: ~
      m:
      n: 2024-01-31
      o: 2024-01-31T10:20:30Z
      p: '1'
      q: 12345678901234567890123
      r: -.5
      """
    let tree = reader.read(source)
    #expect(tree.loads)
    let root = try #require(tree.root)
    func scalar(_ key: String) -> Scalar? { root.lookup(key)?.scalar }
    func surprise(_ key: String) -> YAMLSurprise? { root.lookup(key)?.yaml?.surprise }
    #expect(scalar("a") == .boolean(true))
    #expect(surprise("a") == .booleanWord)
    #expect(scalar("b") == .boolean(false))
    #expect(scalar("c") == .string("y"))
    #expect(scalar("d") == .integer(31))
    #expect(surprise("d") == .hexOrBinary)
    #expect(scalar("e") == .integer(15))
    #expect(surprise("e") == .octal)
    #expect(scalar("f") == .integer(5))
    #expect(scalar("g") == .integer(1000))
    #expect(surprise("g") == .underscoredNumber)
    #expect(scalar("h") == .integer(90))
    #expect(surprise("h") == .sexagesimal)
    #expect(scalar("i") == .float(.infinity))
    #expect(surprise("i") == .specialFloat)
    #expect(scalar("j") == .string("1e3"))
    #expect(scalar("k") == .float(1000))
    #expect(scalar("l") == .null)
    #expect(scalar("m") == .null)
    #expect(surprise("m") == .nullWord)
    #expect(scalar("n") == .date(Timestamp(year: 2024, month: 1, day: 31)))
    #expect(surprise("n") == .timestamp)
    #expect(
      scalar("o") == .datetime(Timestamp(year: 2024, month: 1, day: 31, hour: 10, minute: 20, second: 30, utcOffsetMinutes: 0)))
    #expect(scalar("p") == .string("1"))
    #expect(root.lookup("p")?.style == .singleQuoted)
    #expect(scalar("q") == .integer(BigInt("12345678901234567890123", radix: 10)!))
    // PyYAML's float expression wants a digit before the point when there is a sign.
    #expect(scalar("r") == .string("-.5"))
    #expect(root.lookup("a")?.yaml?.tag == nil)
  }

  @Test func keysAreConstructedAsValues() throws {
    let tree = reader.read("1: a\ntrue: b\n~: c\n2024-01-31: d\n")
    let keys = try #require(tree.root?.entries).map(\.key.scalar)
    #expect(keys == [.integer(1), .boolean(true), .null, .date(Timestamp(year: 2024, month: 1, day: 31))])
    // Python: 1 and True are the same dict key.
    #expect(tree.root?.value.members?.count == 3)
    #expect(tree.findings.map(\.code) == ["duplicate-key"])
  }

  @Test func duplicateKeysKeepTheLastValueAndWarn() throws {
    let source = "a: 1\nb: 2\na: 3\n"
    let tree = reader.read(source)
    #expect(tree.loads)
    #expect(tree.root?.value == .object([.init("a", .integer(3)), .init("b", .integer(2))]))
    #expect(tree.root?.lookup("a")?.scalar == .integer(3))
    let finding = try #require(tree.findings.first)
    #expect(finding.code == "duplicate-key")
    #expect(finding.severity == .warning)
    #expect(finding.range == 0..<1)
    #expect(finding.related.first?.range == 10..<11)
  }

  @Test func mergeKeysFollowPyYAML() throws {
    let source = """
      base: &base {x: 1, y: 2}
      other: &other {y: 3, z: 4}
      one:
        <<: *base
        y: 9
      many:
        <<: [*base, *other]
        w: 0
      """
    let tree = reader.read(source)
    #expect(tree.loads, "\(tree.findings.map(\.message))")
    #expect(tree.findings.isEmpty)
    let root = try #require(tree.root)
    let one = try #require(root.lookup("one"))
    #expect(one.yaml?.hasMergeKey == true)
    #expect(one.value == .object([.init("x", .integer(1)), .init("y", .integer(9))]))
    // The pinned PyYAML (6.0.4): the list in its order, then own keys; `y` is one character,
    // so the first mapping's wins (see mergeKeysFollowThePinnedPyYAML).
    let many = try #require(root.lookup("many")).value
    let members = try #require(many.members)
    #expect(members.map { $0.key.string ?? "" } == ["x", "y", "z", "w"])
    #expect(many["y"] == .integer(2))
    #expect(many["z"] == .integer(4))

    let invalid = reader.read("a: {<<: 1}\n")
    #expect(!invalid.loads)
    #expect(invalid.findings.map(\.code) == ["yaml-invalid-merge"])
  }

  /// PyYAML 6.0.4 (issue 13, class 8): merged mappings in their order, one-character Latin-1 keys
  /// taken from the first mapping (one shared CPython object), other keys from the last.
  @Test func mergeKeysFollowThePinnedPyYAML() throws {
    let tree = reader.read("x: {<<: [{a: 1, bb: 1, é: 1, ĕ: 1}, {c: 2, a: 2, bb: 2, é: 2, ĕ: 2}], d: 4}\n")
    #expect(tree.loads, "\(tree.findings.map(\.message))")
    let x = try #require(tree.root?.lookup("x"))
    let expected: Value = .object([
      Value.Member("a", .integer(1)), Value.Member("bb", .integer(2)), Value.Member("é", .integer(1)),
      Value.Member("ĕ", .integer(2)), Value.Member("c", .integer(2)), Value.Member("d", .integer(4)),
    ])
    #expect(x.value == expected)
    #expect(x.value.members?.map(\.key) == expected.members?.map(\.key))
  }

  /// PyYAML drops the pairs of a mapping merged again through an alias (their key nodes are the
  /// same objects), whatever their text. Checked on the reference venv (PyYAML 6.0.4).
  @Test func aRepeatedAliasInAMergeAddsNothing() throws {
    let cases: [(String, Value)] = [
      ("b: &b {aa: 1, c: 1}\nx: {<<: [*b, {aa: 2}, *b]}\n", .object([Value.Member("aa", .integer(2)), Value.Member("c", .integer(1))])),
      ("b: &b {aa: 1}\nc: &c {<<: *b, dd: 3}\nx: {<<: [*c, {aa: 2, dd: 4}, *b]}\n", .object([Value.Member("aa", .integer(2)), Value.Member("dd", .integer(4))])),
      ("b: &b {aa: 1}\nx: {<<: *b, <<: [{aa: 2}, *b]}\n", .object([Value.Member("aa", .integer(2))])),
      // Without the repeat, the last mapping wins for a key of two characters.
      ("b: &b {aa: 1}\nx: {<<: [*b, {aa: 2}]}\n", .object([Value.Member("aa", .integer(2))])),
      ("b: &b {aa: 1}\nx: {<<: [{aa: 2}, *b]}\n", .object([Value.Member("aa", .integer(1))])),
    ]
    for (source, expected) in cases {
      let tree = reader.read(source)
      #expect(tree.loads, "\(tree.findings.map(\.message))")
      let x = try #require(tree.root?.lookup("x"))
      #expect(x.value == expected, "\(source)")
      #expect(x.value.members?.map(\.key) == expected.members?.map(\.key), "\(source)")
    }
  }

  /// Issue 13, class 9: the tags `safe_load` builds Python types with, read as the reference
  /// uses them (values checked on the reference venv).
  @Test func binaryPairsAndSetsReadAsTheReferenceUsesThem() throws {
    let tree = reader.read(
      "a: !!binary aGVsbG8=\nb: !!omap [b: 1, a: 2]\nc: !!pairs [x: 1, x: 2]\nd: !!set {5, 4, 1: , true: }\n"
        + "e: !!set {-1, 3}\nf: !!binary |\n  aG Vs\n  bG8=\ng: !!set\n  ? 2\n  ? 0\n")
    #expect(tree.loads, "\(tree.findings.map(\.message))")
    let root = try #require(tree.root)
    #expect(root.lookup("a")?.value == .string("hello"))
    #expect(root.lookup("f")?.value == .string("hello"))
    #expect(root.lookup("b")?.value == .array([.array([.string("b"), .integer(1)]), .array([.string("a"), .integer(2)])]))
    #expect(root.lookup("c")?.value == .array([.array([.string("x"), .integer(1)]), .array([.string("x"), .integer(2)])]))
    // Python's set order: {1, 4, 5}; `true` equals 1, the first key is kept.
    #expect(root.lookup("d")?.value == .array([.integer(1), .integer(4), .integer(5)]))
    #expect(root.lookup("d")?.value.elements?.first?.scalarValue == .integer(1))
    // -1 hashes to -2 (slot 6 of 8): {3, -1}.
    #expect(root.lookup("e")?.value == .array([.integer(3), .integer(-1)]))
    #expect(root.lookup("g")?.value == .array([.integer(0), .integer(2)]))
    // The pairs keep their places in the text.
    let source = "x: !!omap [b: 1]\n"
    let pair = try #require(reader.read(source).root?.lookup("x")?.items?.first)
    #expect(text(source, pair.range) == "b: 1")
  }

  @Test func tagsTheReferenceFailsOnOrWhoseOrderIsNotReproducible() {
    func codes(_ source: String) -> [String] { reader.read(source).findings.map(\.code) }
    // Bytes that are not UTF-8: the reference fails on them (string_unicode, or its JSON dump crashes).
    #expect(codes("a: !!binary /w==\n") == ["yaml-unsupported-tag"])
    // Python's set order of strings depends on randomised hashes; 8 collides with 1... in 8 slots.
    #expect(codes("a: !!set {x, y}\n") == ["yaml-unsupported-tag"])
    #expect(codes("a: !!set {9, 1, 8}\n") == ["yaml-unsupported-tag"])
    #expect(codes("a: !!set {0.5}\n") == ["yaml-unsupported-tag"])
    // safe_load fails: base64 errors, non-ASCII data, tags on the wrong kind of node.
    #expect(codes("a: !!binary aGVsbG8\n") == ["yaml-invalid-value"])
    #expect(codes("a: !!binary a\n") == ["yaml-invalid-value"])
    #expect(codes("a: !!binary \u{E9}\n") == ["yaml-invalid-value"])
    #expect(codes("a: !!omap {a: 1}\n") == ["yaml-invalid-tag"])
    #expect(codes("a: !!omap [{a: 1, b: 2}]\n") == ["yaml-invalid-tag"])
    #expect(codes("a: !!omap 1\n") == ["yaml-invalid-tag"])
    #expect(codes("a: !!set [1]\n") == ["yaml-invalid-tag"])
    #expect(codes("a: !!binary [1]\n") == ["yaml-invalid-tag"])
  }

  @Test func anchorsAndAliasesShareTheAnchoredValue() throws {
    let source = "a: &anchor\n  k: [1, 2]\nb: *anchor\n"
    let tree = reader.read(source)
    #expect(tree.loads)
    let root = try #require(tree.root)
    let a = try #require(root.lookup("a"))
    let b = try #require(root.lookup("b"))
    #expect(a.yaml?.anchor == "anchor")
    #expect(b.yaml?.alias == "anchor")
    #expect(a.value == b.value)
    #expect(text(source, b.range) == "*anchor")

    #expect(reader.read("a: *nothing\n").findings.map(\.code) == ["yaml-undefined-alias"])
    #expect(reader.read("a: &x 1\nb: &x 2\n").findings.map(\.code) == ["yaml-duplicate-anchor"])
    let recursive = reader.read("a: &x [*x]\n")
    #expect(!recursive.loads)
    #expect(recursive.findings.map(\.code) == ["yaml-recursive-alias"])
  }

  @Test func aliasBombIsRefusedCheaply() throws {
    var source = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in 1...9 {
      let previous = "*a\(level - 1)"
      source += "a\(level): &a\(level) [" + Array(repeating: previous, count: 10).joined(separator: ", ") + "]\n"
    }
    let clock = ContinuousClock()
    var tree: SyntaxTree?
    let elapsed = clock.measure { tree = reader.read(source) }
    let result = try #require(tree)
    #expect(!result.loads)
    #expect(result.root == nil)
    #expect(result.findings.map(\.code) == ["yaml-alias-limit"])
    // A billion nodes if expanded; refused after about a million counted, without expanding.
    #expect(elapsed < .seconds(5))

    // Below the limit, aliases are fine and cheap.
    let small = YAMLReader(maximumAliasExpansion: 10_000).read("a: &a [1, 2, 3]\nb: [*a, *a, *a]\n")
    #expect(small.loads)
    #expect(small.root?.lookup("b")?.items?.count == 3)
  }

  @Test func onlyOneDocumentPerFile() throws {
    let source = "a: 1\n---\nb: 2\n"
    let tree = reader.read(source)
    #expect(!tree.loads)
    let finding = try #require(tree.findings.first)
    #expect(finding.code == "yaml-multiple-documents")
    #expect(text(source, finding.range) == "---")
    #expect(tree.root?.lookup("a")?.scalar == .integer(1))
    // An explicit start and end of a single document are fine.
    #expect(reader.read("---\na: 1\n...\n").loads)
  }

  @Test func deepNestingIsRefusedWithoutCrashing() {
    let flow = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    let tree = reader.read(flow)
    #expect(!tree.loads)
    #expect(tree.findings.map(\.code) == ["yaml-too-deep"])

    var block = ""
    for level in 0..<1500 { block += String(repeating: " ", count: level) + "k:\n" }
    let blockTree = reader.read(block)
    #expect(!blockTree.loads)
    #expect(blockTree.findings.contains { $0.code == "yaml-too-deep" })

    let fine = String(repeating: "[", count: 999) + String(repeating: "]", count: 999)
    #expect(reader.read(fine).loads)
  }

  @Test func tagsFollowSafeLoad() throws {
    let tree = reader.read("a: !!str 12\nb: !!int '7'\nc: !!float '1'\nd: ! 12\ne: !!bool 'on'\n")
    #expect(tree.loads)
    let root = try #require(tree.root)
    #expect(root.lookup("a")?.scalar == .string("12"))
    #expect(root.lookup("a")?.yaml?.tag == "tag:yaml.org,2002:str")
    #expect(root.lookup("b")?.scalar == .integer(7))
    #expect(root.lookup("c")?.scalar == .float(1))
    #expect(root.lookup("d")?.scalar == .integer(12))
    #expect(root.lookup("e")?.scalar == .boolean(true))

    #expect(reader.read("a: !custom 1\n").findings.map(\.code) == ["yaml-unknown-tag"])
    #expect(reader.read("a: !!binary /w==\n").findings.map(\.code) == ["yaml-unsupported-tag"])
    #expect(reader.read("a: !!int x\n").findings.map(\.code) == ["yaml-invalid-value"])
    #expect(reader.read("a: !!map [1]\n").findings.map(\.code) == ["yaml-invalid-tag"])
    #expect(reader.read("a: 2024-02-30\n").findings.map(\.code) == ["yaml-invalid-value"])
    #expect(reader.read("[a]: 1\n").findings.map(\.code) == ["yaml-unhashable-key"])
  }

  @Test func tabsThatPyYAMLRefuses() throws {
    let source = "a:\t1\nb: \"in\tquotes\"\nc: 2 # comment\twith tab\n"
    let tree = reader.read(source)
    #expect(!tree.loads)
    #expect(tree.findings.map(\.code) == ["yaml-tab"])
    let finding = try #require(tree.findings.first)
    #expect(finding.range == 2..<3)
    var document = TextDocument(text: source)
    document.apply(try #require(finding.fixes.first).edits)
    #expect(reader.read(document.bytes).loads)
    // libyaml's value is still there for the editor.
    #expect(tree.root?.lookup("a")?.scalar == .integer(1))
    // A '#' right after a quoted scalar or a flow collection starts a comment, tabs and all.
    #expect(reader.read("a: 'q'#\tcomment\nb: [1]#\tx\n").loads)
    // PyYAML is stricter than libyaml after a block scalar indicator.
    for header in ["a: |#\n  x\n", "a: >-\t\n  x\n", "a: | x\n  y\n"] {
      let refused = reader.read(header)
      #expect(!refused.loads, "\(header.debugDescription)")
      #expect(refused.findings.first?.code == "yaml-syntax")
    }
    #expect(reader.read("a: |2 # comment\n   x\n").loads)
  }

  /// Issue 12: a tab that indents a line got libyaml's generic message; it gets `yaml-tab` at
  /// the tab and a fix that indents with spaces like the block around it.
  @Test func aTabIndentingALineIsSaidSoAndReplacedBySpaces() throws {
    let cases: [(source: String, fixed: String, title: String)] = [
      ("ports:\n\t- {switch: sw1}\n", "ports:\n  - {switch: sw1}\n", "Indent with 2 spaces"),
      ("a:\n  b: 1\n \tc: 2\n", "a:\n  b: 1\n  c: 2\n", "Indent with 2 spaces"),
      ("items:\n  - name: x\n\t\tport: 1\n", "items:\n  - name: x\n    port: 1\n", "Indent with 4 spaces"),
    ]
    for (source, fixed, title) in cases {
      let tree = reader.read(source)
      #expect(!tree.loads)
      let finding = try #require(tree.findings.first, "\(source)")
      #expect(tree.findings.count == 1)
      #expect(finding.code == "yaml-tab")
      #expect(finding.message.hasPrefix("a tab indents this line"))
      let bytes = Array(source.utf8)
      #expect(finding.range.lowerBound == bytes.firstIndex(of: 0x09))
      #expect(bytes[finding.range].allSatisfy { $0 == 0x09 || $0 == 0x20 })
      let fix = try #require(finding.fixes.first)
      #expect(fix.title == title)
      #expect(fix.isPreferred)
      var document = TextDocument(text: source)
      document.apply(fix.edits)
      #expect(document.text == fixed)
      #expect(reader.read(document.bytes).loads)
    }
  }

  @Test func syntaxErrorsArePlacedInTheDocument() throws {
    let source = "a: [1,\n"
    let tree = reader.read(source)
    #expect(!tree.loads)
    let finding = try #require(tree.findings.first)
    #expect(finding.code == "yaml-syntax")
    #expect(finding.message.contains("did not find expected node content"))
    // libyaml points past the end; the finding stays at the end of the last line.
    #expect(finding.range == 6..<6)
    // The part that was read is kept for the editor.
    #expect(tree.root?.entries?.first?.keyString == "a")

    let colon = reader.read("a: b: c\n")
    #expect(colon.findings.first?.range == 4..<5)
    #expect(colon.findings.first?.message == "mapping values are not allowed in this context")
  }

  @Test func errorMarksAreConvertedFromCodePointsToBytes() throws {
    // libyaml counts characters; findings count bytes.
    let control = reader.read("é😀: \u{01}\n")
    #expect(control.findings.first?.range == 8..<9)
    #expect(control.findings.first?.message.contains("control characters") == true)
    let colon = reader.read("日本: é: x\n")
    #expect(colon.findings.first?.range == 10..<11)
    let undefined = reader.read("😀: *nope\n")
    #expect(undefined.findings.first?.range == 6..<11)
  }

  @Test func invalidUTF8IsReportedInBothFormats() throws {
    for format in SliceFormat.allCases {
      let bytes: [UInt8] = format == .yaml ? Array("a: ".utf8) + [0xC3, 0x28] : Array("{\"a\": \"".utf8) + [0xFF] + Array("\"}".utf8)
      let tree = SliceReader.read(bytes, format: format)
      #expect(!tree.loads)
      let finding = try #require(tree.findings.first)
      #expect(finding.code == "invalid-utf8")
      #expect(finding.range == 3..<4 || finding.range == 7..<8)
    }
  }

  @Test func byteOrderMarkIsSkippedLikePyYAML() throws {
    let source = "\u{FEFF}é: 1\n"
    let tree = reader.read(source)
    #expect(tree.loads)
    let entry = try #require(tree.root?.entries?.first)
    #expect(entry.keyString == "é")
    #expect(entry.key.range == 3..<5)
  }
}

@Suite struct NodeLayoutTests {
  /// Trees of a million nodes are built while a user types: a node must stay small.
  @Test func nodesStayCompact() {
    #expect(MemoryLayout<Node>.size <= 40)
    #expect(MemoryLayout<MappingEntry>.size <= 80)
  }

  @Test func compactStorageKeepsEveryScalar() throws {
    let big = try #require(BigInt("123456789012345678901234567890", radix: 10))
    let scalars: [Scalar] = [
      .string("é😀"), .integer(-5), .integer(big), .float(-0.5), .boolean(true), .null,
      .date(Timestamp(year: 2024, month: 2, day: 29)),
      .datetime(Timestamp(year: 1, month: 1, day: 1, hour: 23, minute: 59, second: 59, microsecond: 999_999, utcOffsetMinutes: -330)),
    ]
    for scalar in scalars {
      var node = Node(kind: .scalar(scalar), range: 3..<9, style: .plain)
      #expect(node.scalar == scalar)
      #expect(node.range == 3..<9)
      node.kind = .sequence([node])
      #expect(node.items?.first?.scalar == scalar)
    }
    #expect(Node(integer: Int.max, range: 0..<1, style: .json).scalar == .integer(BigInt(integerLiteral: Int64.max)))
  }
}

@Suite struct SliceKindTests {
  @Test(arguments: ["", "# nothing\n", "null\n", "~\n", "{}\n", "---\n", "--- {}\n"])
  func deletedSlices(source: String) {
    guard case .deleted = SliceReader.read(source, format: .yaml).sliceKind else {
      Issue.record("\(source.debugDescription) should be a deleted slice")
      return
    }
  }

  @Test(arguments: ["null", "{}"])
  func deletedJSONSlices(source: String) {
    guard case .deleted = SliceReader.read(source, format: .json).sliceKind else {
      Issue.record("\(source) should be a deleted slice")
      return
    }
  }

  @Test func slicesAndInvalidTopLevels() throws {
    guard case .slice(let root) = SliceReader.read("name: a\n", format: .yaml).sliceKind else {
      Issue.record("expected a slice")
      return
    }
    #expect(root.lookup("name")?.scalar == .string("name".isEmpty ? "" : "a"))
    for (source, format) in [("- a\n", SliceFormat.yaml), ("12", .json), ("\"x\"", .json)] {
      guard case .invalid(let finding) = SliceReader.read(source, format: format).sliceKind else {
        Issue.record("\(source) should be invalid")
        continue
      }
      #expect(finding.code == "not-a-mapping")
    }
    guard case .invalid(let syntax) = SliceReader.read("a: [", format: .yaml).sliceKind else {
      Issue.record("a syntax error is not a slice")
      return
    }
    #expect(syntax.code == "yaml-syntax")
  }
}

/// The analysis skips its walk for YAML 1.1 surprises when the reader met none: every kind it
/// reports must mark the tree, in a value, a key, an anchored scalar or a flow collection.
@Suite struct YAMLSurpriseMarkTests {
  @Test func treesWithASurprisingScalarAreMarked() {
    for source in ["a: yes\n", "a: 017\n", "a: 1:30\n", "a: 2024-01-31\n", "no: x\n", "a: [x, &n off]\nb: *n\n", "a: {b: 0o17, c: 0x1F, d: 1_000}\n"] {
      #expect(YAMLReader().read(Array(source.utf8)).mayHoldYAMLSurprises, "\(source)")
    }
  }

  @Test func plainSlicesAreNot() {
    let source = "site: bru\nvlan_id: 17\nname: 'yes'\nmtu: 1500.5\nnote: \"2024-01-31\"\nports: [{switch: sw1, port: 3, tagged: true}]\n"
    #expect(!YAMLReader().read(Array(source.utf8)).mayHoldYAMLSurprises)
  }
}
