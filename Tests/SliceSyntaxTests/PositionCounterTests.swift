import Testing

@testable import SliceSyntax

/// `PositionCounter` gives the positions `TextDocument` gives, in whatever order it is asked.
@Suite struct PositionCounterTests {
  // "\tké: 日本😀\r\n" — byte offsets: \t 0, k 1, é 2-3, : 4, space 5, 日 6-8, 本 9-11, 😀 12-15, \r 16, \n 17.
  let text = "\tké: 日本😀\r\nx😀y\n"
  let offsets = [0, 1, 2, 4, 5, 6, 9, 12, 16]

  @Test(arguments: [
    (PositionEncoding.utf8, [0, 1, 2, 4, 5, 6, 9, 12, 16]),
    (PositionEncoding.utf16, [0, 1, 2, 3, 4, 5, 6, 7, 9]),
    (PositionEncoding.utf32, [0, 1, 2, 3, 4, 5, 6, 7, 8]),
  ])
  func charactersInEachEncodingInAnyOrder(encoding: PositionEncoding, characters: [Int]) {
    let expected = Array(zip(offsets, characters))
    for order in [expected, expected.reversed(), [expected[4], expected[8], expected[0], expected[6], expected[2]]] {
      var counter = PositionCounter(document: TextDocument(text: text))
      for (offset, character) in order {
        #expect(counter.position(of: offset, in: encoding) == Position(line: 0, character: character), "offset \(offset)")
      }
      // Inside 😀 (back to its start), inside the CR LF (the end of the content), the next line.
      #expect(counter.position(of: 14, in: encoding) == Position(line: 0, character: characters[7]))
      #expect(counter.position(of: 17, in: encoding) == Position(line: 0, character: characters[8]))
      #expect(counter.position(of: 23, in: encoding) == Position(line: 1, character: encoding == .utf8 ? 5 : encoding == .utf16 ? 3 : 2))
      #expect(counter.position(of: 10_000, in: encoding) == Position(line: 2, character: 0))
      #expect(counter.position(of: -5, in: encoding) == Position(line: 0, character: 0))
    }
  }

  @Test func displayLocationsAndRangesAsTheDocumentGivesThem() {
    let document = TextDocument(text: text)
    var counter = PositionCounter(document: document)
    for offset in [23, 12, 0, 19, 6] {
      #expect(counter.displayLocation(of: offset) == document.displayLocation(of: offset))
    }
    #expect(counter.range(of: 6..<16, in: .utf16) == document.range(of: 6..<16, in: .utf16))
  }

  /// Invalid bytes count one unit each in every encoding, as `TextDocument` counts them.
  @Test func invalidBytesCountAsTheDocumentCountsThem() {
    // a, a truncated '€' (E2 82), b, a lone continuation byte, c, an overlong '/', d, then 😀.
    let bytes: [UInt8] = [0x61, 0xE2, 0x82, 0x62, 0x80, 0x63, 0xC0, 0xAF, 0x64, 0xF0, 0x9F, 0x98, 0x80, 0x65]
    let document = TextDocument(bytes: bytes)
    for encoding in PositionEncoding.allCases {
      var counter = PositionCounter(document: document)
      for offset in (0...bytes.count).reversed() {
        #expect(counter.position(of: offset, in: encoding) == document.position(of: offset, in: encoding), "\(encoding) \(offset)")
      }
    }
    #expect(document.position(of: 13, in: .utf16) == Position(line: 0, character: 11))
  }

  /// A line far longer than the checkpoint spacing, with multi-byte characters, tabs and every
  /// kind of line break, against Swift's own counting of the text before each offset.
  @Test func longLinesAgreeWithSwiftsCountsInEveryOrder() {
    let piece = "ab\t日é😀 \"k\": 0, "
    let longLine = String(repeating: piece, count: 400)
    let text = longLine + "\r\n" + longLine + "\r" + "x\n" + longLine
    let document = TextDocument(text: text)
    let bytes = Array(text.utf8)
    // Every character boundary, and one byte inside each multi-byte character.
    var offsets: [Int] = []
    var offset = 0
    for scalar in text.unicodeScalars {
      offsets.append(offset)
      let width = UTF8.width(scalar)
      if width > 1 { offsets.append(offset + 1) }
      offset += width
    }
    offsets.append(bytes.count)
    func expected(_ offset: Int, _ encoding: PositionEncoding) -> Position {
      let line = document.line(containing: offset)
      let start = document.lineStarts[line]
      let content = document.lineContentRange(line)
      var end = min(offset, content.upperBound)
      while end > start, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
      let prefix = String(decoding: bytes[start..<end], as: UTF8.self)
      switch encoding {
      case .utf8: return Position(line: line, character: end - start)
      case .utf16: return Position(line: line, character: prefix.utf16.count)
      case .utf32: return Position(line: line, character: prefix.unicodeScalars.count)
      }
    }
    // A fixed scramble: Knuth's multiplicative hash of each offset.
    let scrambled = offsets.sorted { ($0 &* 2_654_435_761) % 1_000_003 < ($1 &* 2_654_435_761) % 1_000_003 }
    let orders = [offsets, offsets.reversed(), scrambled]
    for encoding in PositionEncoding.allCases {
      for order in orders {
        var counter = PositionCounter(document: document)
        var mismatches: [Int] = []
        for offset in order where counter.position(of: offset, in: encoding) != expected(offset, encoding) {
          mismatches.append(offset)
        }
        #expect(mismatches.isEmpty, "\(encoding): \(mismatches.prefix(5))")
      }
    }
  }
}
