import FuzzSupport

/// Input: an initial text, then edits separated by 0xFE bytes; an edit's first four bytes give its
/// range (start line, start character, end line, end character, in the encoding the first byte
/// chooses) and the rest its new text. Invariants: after every edit the incrementally kept line
/// index equals the one of a document rebuilt from the bytes; every character boundary's position
/// converts back to the same offset in UTF-8, UTF-16 and UTF-32.
@main enum TextDocumentFuzzer {
  static func main() { Fuzz.main { data, size in fuzz(data, size) } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  guard let selector = bytes.first else { return 0 }
  let encoding = PositionEncoding.allCases[Int(selector) % PositionEncoding.allCases.count]
  let segments = bytes.dropFirst().split(separator: 0xFE, omittingEmptySubsequences: false)
  guard let initial = segments.first else { return 0 }
  var document = TextDocument(text: String(decoding: initial, as: UTF8.self))
  checkPositions(document)
  for segment in segments.dropFirst() {
    let numbers = Array(segment.prefix(4)).map(Int.init) + Array(repeating: 0, count: max(0, 4 - segment.count))
    let text = String(decoding: segment.dropFirst(4), as: UTF8.self)
    let change: TextDocument.Change
    if numbers[0] == 0xFD {
      change = TextDocument.Change(range: nil, text: text)
    } else {
      // Lines past the end and characters past a line's end are clamped: keep some in range.
      let range = PositionRange(
        start: Position(line: numbers[0] % 16, character: numbers[1] % 64),
        end: Position(line: numbers[2] % 16, character: numbers[3] % 64))
      change = TextDocument.Change(range: range, text: text)
    }
    let before = document.bytes
    document.apply([change], encoding: encoding)
    let rebuilt = TextDocument(bytes: document.bytes)
    Fuzz.check(
      document.lineStarts == rebuilt.lineStarts,
      "line starts \(document.lineStarts) vs rebuilt \(rebuilt.lineStarts) after \(change) on \(before)")
    if let range = change.range {
      // The edit replaced exactly the range the old text maps it to.
      let old = TextDocument(bytes: before)
      let replaced = old.byteRange(of: range, in: encoding)
      let expected = Array(before[..<replaced.lowerBound]) + Array(text.utf8) + Array(before[replaced.upperBound...])
      Fuzz.check(document.bytes == expected, "edit \(change) on \(before) gave \(document.bytes)")
    }
    checkPositions(document)
  }
  return 0
}

private func checkPositions(_ document: TextDocument) {
  let bytes = document.bytes
  var offset = 0
  while offset <= min(bytes.count, 4096) {
    let line = document.line(containing: offset)
    let content = document.lineContentRange(line)
    if offset <= content.upperBound {
      for encoding in PositionEncoding.allCases {
        let position = document.position(of: offset, in: encoding)
        let back = document.offset(of: position, in: encoding)
        Fuzz.check(back == offset, "offset \(offset) → \(position) in \(encoding) → \(back) in \(bytes)")
      }
    }
    // The next character boundary (the text is valid UTF-8).
    offset += 1
    while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
  }
}
