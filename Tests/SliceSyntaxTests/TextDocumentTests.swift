import Testing

@testable import SliceSyntax

@Suite struct TextDocumentTests {
  @Test func lineStartsForAllThreeLineEnds() {
    let document = TextDocument(text: "a\nb\r\nc\rd\r\r\ne\n")
    #expect(document.lineStarts == [0, 2, 5, 7, 9, 11, 13])
    #expect(document.lineCount == 7)
    #expect(document.lineContentRange(1) == 2..<3)
    #expect(document.lineContentRange(3) == 7..<8)
    #expect(document.lineContentRange(4) == 9..<9)
    #expect(document.lineContentRange(6) == 13..<13)
    #expect(TextDocument(text: "").lineStarts == [0])
    #expect(TextDocument(text: "\r").lineStarts == [0, 1])
  }

  /// The index skips eight bytes at a time where none ends a line: every line end, alone or in
  /// runs, at every offset modulo eight and at the ends of the text, must be found as a
  /// byte-by-byte scan finds it.
  @Test func lineStartsAtEveryWordOffsetMatchAByteByByteScan() {
    func scanned(_ bytes: [UInt8]) -> [Int] {
      var starts = [0]
      for index in bytes.indices {
        if bytes[index] == 0x0A || (bytes[index] == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) {
          starts.append(index + 1)
        }
      }
      return starts
    }
    var random = TestRandom(seed: 0x11E5)
    let pieces: [[UInt8]] = [Array("abcdefgh".utf8), Array("é".utf8), [0x0A], [0x0D], [0x0D, 0x0A], [0x0A, 0x0D], Array("x".utf8)]
    for length in 0..<40 {
      for _ in 0..<20 {
        var bytes: [UInt8] = []
        while bytes.count < length { bytes += pieces[random.below(pieces.count)] }
        #expect(TextDocument(bytes: bytes).lineStarts == scanned(bytes), "\(bytes)")
      }
    }
    let long = Array(repeating: UInt8(ascii: "a"), count: 61) + [0x0D]
    #expect(TextDocument(bytes: long).lineStarts == [0, 62])
    // Without a carriage return the line feeds are found by `memchr`: the same starts, and
    // the same after edits that add or remove line feeds anywhere.
    let lineFeedPieces: [[UInt8]] = [Array("abcdefgh".utf8), Array("é😀".utf8), [0x0A], [0x0A, 0x0A], Array("x".utf8)]
    for length in 0..<60 {
      var bytes: [UInt8] = []
      while bytes.count < length { bytes += lineFeedPieces[random.below(lineFeedPieces.count)] }
      var document = TextDocument(bytes: bytes)
      #expect(document.lineStarts == scanned(bytes), "\(bytes)")
      guard !bytes.isEmpty else { continue }
      let start = random.below(bytes.count)
      let end = start + random.below(bytes.count - start + 1)
      let inserted = lineFeedPieces[random.below(lineFeedPieces.count)]
      document.replace(start..<end, with: inserted)
      bytes.replaceSubrange(start..<end, with: inserted)
      #expect(document.lineStarts == scanned(bytes), "\(bytes)")
    }
  }

  // "\tké: 日本😀\r\n" — byte offsets: \t 0, k 1, é 2-3, : 4, space 5, 日 6-8, 本 9-11, 😀 12-15, \r 16, \n 17.
  let text = "\tké: 日本😀\r\nx😀y\n"

  @Test(arguments: [
    (PositionEncoding.utf8, [0, 1, 2, 4, 5, 6, 9, 12, 16]),
    (PositionEncoding.utf16, [0, 1, 2, 3, 4, 5, 6, 7, 9]),
    (PositionEncoding.utf32, [0, 1, 2, 3, 4, 5, 6, 7, 8]),
  ])
  func charactersInEachEncoding(encoding: PositionEncoding, characters: [Int]) {
    let document = TextDocument(text: text)
    let offsets = [0, 1, 2, 4, 5, 6, 9, 12, 16]
    for (offset, character) in zip(offsets, characters) {
      #expect(document.position(of: offset, in: encoding) == Position(line: 0, character: character), "offset \(offset)")
      #expect(document.offset(of: Position(line: 0, character: character), in: encoding) == offset)
    }
    // Second line: x 18, 😀 19-22, y 23.
    let y = Position(line: 1, character: encoding == .utf8 ? 5 : encoding == .utf16 ? 3 : 2)
    #expect(document.position(of: 23, in: encoding) == y)
    #expect(document.offset(of: y, in: encoding) == 23)
  }

  @Test func positionsInsideCharactersClampToTheirStart() {
    let document = TextDocument(text: text)
    // Between the two UTF-16 units of 😀.
    #expect(document.offset(of: Position(line: 0, character: 8), in: .utf16) == 12)
    // Inside the UTF-8 bytes of 日 and 😀.
    #expect(document.offset(of: Position(line: 0, character: 7), in: .utf8) == 6)
    #expect(document.offset(of: Position(line: 0, character: 14), in: .utf8) == 12)
    #expect(document.position(of: 13, in: .utf16) == Position(line: 0, character: 7))
    #expect(document.position(of: 3, in: .utf8) == Position(line: 0, character: 2))
  }

  @Test func outOfRangePositionsClamp() {
    let document = TextDocument(text: text)
    // Past the line end: before the line break (CR LF).
    #expect(document.offset(of: Position(line: 0, character: 500), in: .utf16) == 16)
    // Inside the CR LF pair: the end of the line's content.
    #expect(document.position(of: 17, in: .utf16) == Position(line: 0, character: 9))
    #expect(document.offset(of: Position(line: 99, character: 0), in: .utf8) == document.bytes.count)
    #expect(document.offset(of: Position(line: -1, character: 3), in: .utf8) == 0)
    #expect(document.offset(of: Position(line: 1, character: -4), in: .utf8) == 18)
    #expect(document.position(of: 10_000, in: .utf16) == Position(line: 2, character: 0))
    #expect(document.position(of: -5, in: .utf16) == Position(line: 0, character: 0))
  }

  @Test func everyBoundaryRoundTripsInEveryEncoding() {
    let document = TextDocument(text: "é\r\n\t日本 😀\rz\n\n" + text)
    let scalarsStart = Array(document.text.unicodeScalars.indices).map { document.text.utf8.distance(from: document.text.utf8.startIndex, to: $0) }
    for encoding in PositionEncoding.allCases {
      for offset in scalarsStart + [document.bytes.count] {
        let byte = offset < document.bytes.count ? document.bytes[offset] : 0
        // Offsets inside a CR LF pair are not boundaries an editor can address.
        if byte == 0x0A, offset > 0, document.bytes[offset - 1] == 0x0D { continue }
        let position = document.position(of: offset, in: encoding)
        #expect(document.offset(of: position, in: encoding) == offset, "\(encoding) offset \(offset)")
      }
    }
  }

  @Test func invalidUTF8CountsAsOneUnitPerByte() {
    let document = TextDocument(bytes: [0x61, 0xFF, 0xC3, 0x62])
    #expect(document.position(of: 4, in: .utf16) == Position(line: 0, character: 4))
    #expect(document.offset(of: Position(line: 0, character: 2), in: .utf16) == 2)
  }

  @Test func displayLocationIsOneBasedInCodePoints() {
    let document = TextDocument(text: text)
    #expect(document.displayLocation(of: 0) == DisplayLocation(line: 1, column: 1))
    #expect(document.displayLocation(of: 12) == DisplayLocation(line: 1, column: 8))
    #expect(document.displayLocation(of: 23) == DisplayLocation(line: 2, column: 3))
    #expect(document.displayLocation(of: 23).description == "2:3")
  }

  @Test func lspChangesApplyInOrder() {
    var document = TextDocument(text: "name: a😀b\nsize: 1\n")
    document.apply(
      [
        .init(range: PositionRange(start: Position(line: 0, character: 7), end: Position(line: 0, character: 9)), text: "é"),
        .init(range: PositionRange(start: Position(line: 1, character: 6), end: Position(line: 1, character: 7)), text: "2\r\nmore: 3"),
      ], encoding: .utf16)
    #expect(document.text == "name: aéb\nsize: 2\r\nmore: 3\n")
    #expect(document.lineStarts == TextDocument(text: document.text).lineStarts)
    document.apply([.init(range: nil, text: "x\ry")], encoding: .utf16)
    #expect(document.lineStarts == [0, 2])
  }

  @Test func byteEditsApplyFromTheEnd() {
    var document = TextDocument(text: "a: 1\nb: 2\n")
    document.apply([TextEdit(range: 3..<4, newText: "10"), TextEdit(range: 8..<9, newText: "20\r")])
    #expect(document.text == "a: 10\nb: 20\r\n")
    #expect(document.lineStarts == [0, 6, 13])
  }

  /// Many random edits, including ones that split or join CR LF pairs and multi-byte characters,
  /// must leave the same line index as reading the result from scratch.
  @Test func randomEditsMatchARebuild() {
    var random = TestRandom(seed: 0x5EED)
    let pieces = ["", "a", "é", "😀", "日本", "\n", "\r", "\r\n", "\n\r", "key: value\n", "\t"]
    var document = TextDocument(text: "start\r\nline é\rthird 😀\nend")
    for round in 0..<3000 {
      let count = document.bytes.count
      let lower = random.below(count + 1)
      let upper = min(count, lower + random.below(6))
      let inserted = (0..<random.below(3)).map { _ in pieces[random.below(pieces.count)] }.joined()
      if round % 3 == 0 {
        // Through LSP positions, in a random encoding.
        let encoding = PositionEncoding.allCases[random.below(3)]
        let range = document.range(of: lower..<upper, in: encoding)
        document.apply([.init(range: range, text: inserted)], encoding: encoding)
      } else {
        document.replace(lower..<upper, with: Array(inserted.utf8))
      }
      let rebuilt = TextDocument(bytes: document.bytes)
      if document.lineStarts != rebuilt.lineStarts {
        Issue.record("round \(round): \(document.lineStarts) != \(rebuilt.lineStarts)")
        return
      }
    }
    #expect(document.bytes.count > 0)
  }
}

/// A deterministic generator for tests (SplitMix64).
struct TestRandom {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }
}
