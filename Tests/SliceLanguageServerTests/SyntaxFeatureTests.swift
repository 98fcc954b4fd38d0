import LanguageServerProtocol
import SliceSyntax
import Testing

@testable import SliceLanguageServer

/// A document read the way the server reads it, and the text an LSP range covers.
private struct Sample {
  let document: TextDocument
  let tree: SyntaxTree

  init(_ text: String, _ format: SliceFormat = .yaml) {
    document = TextDocument(text: text)
    tree = SliceReader.read(text, format: format)
  }

  func text(_ range: LSPRange, _ encoding: PositionEncodingKind = .utf16) -> String {
    let bytes = document.byteRange(of: range, in: encoding)
    return String(decoding: document.bytes[bytes], as: UTF8.self)
  }
}

private let yamlSample = """
  name: net
  count: 3
  enabled: true
  nothing: ~
  routers:
    - name: r1
      ports: [1, 2]
    - id: 7
    - plain
    - x: 1
  settings:
    deep:
      value: 1.5
  text: |
    one
    two
  base: &b
    x: 1
  other:
    <<: *b
    y: 2
  ref: *b
  "": empty

  """

private let jsonSample = """
  {
    "a": {
      "b": [
        1, {"name": "x"}
      ]
    },
    "é😀": "v", "n": null
  }

  """

@Suite struct DocumentSymbolTests {
  /// `name kind detail [children]`, one line per symbol, indented by depth.
  private func outline(_ symbols: [DocumentSymbol], _ sample: Sample, depth: Int = 0) -> [String] {
    symbols.flatMap { symbol in
      let line = String(repeating: "  ", count: depth)
        + "\(symbol.name) \(symbol.kind.rawValue) \(symbol.detail ?? "-") «\(sample.text(symbol.selectionRange))»"
      return [line] + outline(symbol.children ?? [], sample, depth: depth + 1)
    }
  }

  @Test func outlinesYAML() {
    let sample = Sample(yamlSample)
    let symbols = DocumentSymbols.documentSymbols(in: sample.tree, document: sample.document, encoding: .utf16)
    let (string, number, boolean, object, array, null) = (15, 16, 17, 19, 18, 21)
    #expect(
      outline(symbols, sample) == [
        "name \(string) net «name»",
        "count \(number) 3 «count»",
        "enabled \(boolean) true «enabled»",
        "nothing \(null) null «nothing»",
        "routers \(array) - «routers»",
        "  r1 \(object) [0] «r1»",
        "    name \(string) r1 «name»",
        "    ports \(array) - «ports»",
        "      [0] \(number) 1 «1»",
        "      [1] \(number) 2 «2»",
        "  7 \(object) [1] «7»",
        "    id \(number) 7 «id»",
        "  [2] \(string) plain «plain»",
        "  [3] \(object) - «x: 1»",
        "    x \(number) 1 «x»",
        "settings \(object) - «settings»",
        "  deep \(object) - «deep»",
        "    value \(number) 1.5 «value»",
        "text \(string) one… «text»",
        "base \(object) - «base»",
        "  x \(number) 1 «x»",
        // Merged entries and aliases are outlined where they are written.
        "other \(object) - «other»",
        "  y \(number) 2 «y»",
        "ref \(object) - «ref»",
        "\"\" \(string) empty «\"\"»",
      ])
    let routers = symbols[4]
    #expect(sample.text(routers.range) == "routers:\n  - name: r1\n    ports: [1, 2]\n  - id: 7\n  - plain\n  - x: 1")
    // Every child lies inside its parent, and every selection inside its symbol (clients check).
    func checkNesting(_ symbol: DocumentSymbol) {
      #expect(symbol.range.contains(symbol.selectionRange), "\(symbol.name)")
      for child in symbol.children ?? [] {
        #expect(symbol.range.contains(child.range), "\(child.name) in \(symbol.name)")
        checkNesting(child)
      }
    }
    symbols.forEach(checkNesting)
  }

  @Test func outlinesJSONInEachEncoding() {
    let sample = Sample(jsonSample, .json)
    for encoding in [PositionEncodingKind.utf8, .utf16, .utf32] {
      let symbols = DocumentSymbols.documentSymbols(in: sample.tree, document: sample.document, encoding: encoding)
      #expect(symbols.map(\.name) == ["a", "é😀", "n"])
      #expect(symbols[0].children?.first?.children?.map(\.name) == ["[0]", "x"])
      let key = symbols[1].selectionRange
      #expect(sample.text(key, encoding) == "\"é😀\"")
      let width = ["utf-8": 8, "utf-16": 5, "utf-32": 4][encoding.rawValue]
      #expect(key.start == LSPPosition(line: 6, character: 2))
      #expect(key.end.character - key.start.character == width, "\(encoding.rawValue)")
    }
  }

  @Test func flattensForOldClients() {
    let sample = Sample(jsonSample, .json)
    let flat = DocumentSymbols.symbolInformation(in: sample.tree, document: sample.document, uri: "file:///p/a.json", encoding: .utf16)
    #expect(flat.map(\.name) == ["a", "b", "[0]", "x", "name", "é😀", "n"])
    #expect(flat.map(\.containerName) == [nil, "a", "b", "b", "x", nil, nil])
    #expect(flat.allSatisfy { $0.location.uri == "file:///p/a.json" })
    #expect(sample.text(flat[3].location.range) == "{\"name\": \"x\"}")
  }

  @Test func outlinesNothingWithoutACollection() {
    for text in ["", "just a string\n", "# only a comment\n", "[\n"] {
      let sample = Sample(text)
      #expect(DocumentSymbols.documentSymbols(in: sample.tree, document: sample.document, encoding: .utf16).isEmpty, "\(text)")
    }
    let list = Sample("- a\n- name: b\n")
    #expect(DocumentSymbols.documentSymbols(in: list.tree, document: list.document, encoding: .utf16).map(\.name) == ["[0]", "b"])
  }

  @Test func staysBoundedOnDeepAndWideDocuments() {
    let depth = 500
    let deep = Sample(String(repeating: "{\"k\": ", count: depth) + "1" + String(repeating: "}", count: depth), .json)
    var symbols = DocumentSymbols.documentSymbols(in: deep.tree, document: deep.document, encoding: .utf16)
    var levels = 0
    while let first = symbols.first {
      levels += 1
      symbols = first.children ?? []
    }
    #expect(levels == DocumentSymbols.maximumDepth)

    let wide = Sample((0..<20_000).map { "k\($0): \($0)\n" }.joined())
    #expect(DocumentSymbols.documentSymbols(in: wide.tree, document: wide.document, encoding: .utf16).count == DocumentSymbols.maximumCount)
  }
}

@Suite struct FoldingRangeTests {
  private func lines(_ ranges: [FoldingRange]) -> [String] {
    ranges.map { "\($0.startLine)-\($0.endLine)" + ($0.endCharacter.map { ":\($0)" } ?? "") }
  }

  @Test func foldsYAMLBlocksFromTheirKey() {
    let sample = Sample(yamlSample)
    let ranges = FoldingRanges.ranges(in: sample.tree, document: sample.document, encoding: .utf16, lineFoldingOnly: true)
    // routers, its first item, settings, deep, the block scalar, base, other; not the top level.
    #expect(lines(ranges) == ["4-9", "5-6", "10-12", "11-12", "13-15", "16-17", "18-20"])
    #expect(ranges.allSatisfy { $0.startCharacter == nil && $0.endCharacter == nil })
  }

  @Test func keepsClosingBracketsVisible() {
    let sample = Sample(jsonSample, .json)
    let lineOnly = FoldingRanges.ranges(in: sample.tree, document: sample.document, encoding: .utf16, lineFoldingOnly: true)
    #expect(lines(lineOnly) == ["0-6", "1-4", "2-3"])
    let precise = FoldingRanges.ranges(in: sample.tree, document: sample.document, encoding: .utf16, lineFoldingOnly: false)
    #expect(lines(precise) == ["0-7:0", "1-5:2", "2-4:4"])
  }

  @Test func respectsTheLimitAndOneRangePerLine() {
    let sample = Sample(jsonSample, .json)
    #expect(lines(FoldingRanges.ranges(in: sample.tree, document: sample.document, encoding: .utf16, lineFoldingOnly: true, limit: 2)) == ["0-6", "1-4"])
    // Two collections opening on one line fold once, the outer one.
    let sameLine = Sample("a: [{\n  b: 1\n  }]\n")
    #expect(lines(FoldingRanges.ranges(in: sameLine.tree, document: sameLine.document, encoding: .utf16, lineFoldingOnly: false)) == ["0-2:3"])
  }

  @Test func handlesDeepNestingWithoutRecursion() {
    let depth = 900
    let deep = Sample(String(repeating: "[\n", count: depth) + String(repeating: "]\n", count: depth), .json)
    let ranges = FoldingRanges.ranges(in: deep.tree, document: deep.document, encoding: .utf16, lineFoldingOnly: true)
    #expect(ranges.count == depth - 1)  // the innermost `[\n]` has nothing between its lines
  }
}

@Suite struct SelectionRangeTests {
  private func chain(_ sample: Sample, _ line: Int, _ character: Int, _ encoding: PositionEncodingKind = .utf16) -> [String] {
    let ranges = SelectionRanges.ranges(
      at: [LSPPosition(line: line, character: character)], in: sample.tree, document: sample.document, encoding: encoding)
    var texts: [String] = []
    var current: SelectionRange? = ranges.first
    while let selection = current {
      if let parent = selection.parent { #expect(parent.range.contains(selection.range)) }
      texts.append(sample.text(selection.range, encoding))
      current = selection.parent
    }
    return texts
  }

  @Test func growsFromAScalarToTheDocument() {
    let sample = Sample(yamlSample)
    let whole = yamlSample
    let root = String(whole.dropLast())  // the top mapping ends at its last content byte
    let routers = "routers:\n  - name: r1\n    ports: [1, 2]\n  - id: 7\n  - plain\n  - x: 1"
    let items = "- name: r1\n    ports: [1, 2]\n  - id: 7\n  - plain\n  - x: 1"
    #expect(
      chain(sample, 6, 15) == [
        "2", "[1, 2]", "ports: [1, 2]", "name: r1\n    ports: [1, 2]", items, routers, root, whole,
      ])
    #expect(chain(sample, 5, 5) == ["name", "name: r1", "name: r1\n    ports: [1, 2]", items, routers, root, whole])
  }

  @Test func growsInJSONCountingInTheEncoding() {
    let sample = Sample(jsonSample, .json)
    let expected = ["\"é😀\"", "\"é😀\": \"v\"", String(jsonSample.dropLast()), jsonSample]
    // Inside the key, just after the emoji: 5 UTF-16 units, 8 bytes, 4 scalars from the quote.
    #expect(chain(sample, 6, 2 + 4, .utf16) == expected)
    #expect(chain(sample, 6, 2 + 7, .utf8) == expected)
    #expect(chain(sample, 6, 2 + 3, .utf32) == expected)
  }

  @Test func answersEveryPosition() {
    let sample = Sample("a: 1\n\n# comment\n")
    let positions = [LSPPosition(line: 2, character: 3), LSPPosition(line: 50, character: 0), LSPPosition(line: 0, character: 1)]
    let ranges = SelectionRanges.ranges(at: positions, in: sample.tree, document: sample.document, encoding: .utf16)
    #expect(ranges.count == 3)
    #expect(ranges[0].range == sample.document.lspFullRange(in: .utf16))
    #expect(ranges[1].range == sample.document.lspFullRange(in: .utf16))
    #expect(sample.text(ranges[2].range) == "a")
    #expect(ranges[2].parent.map { sample.text($0.range) } == "a: 1")
    let empty = Sample("")
    #expect(SelectionRanges.ranges(at: positions, in: empty.tree, document: empty.document, encoding: .utf16).count == 3)
  }
}
