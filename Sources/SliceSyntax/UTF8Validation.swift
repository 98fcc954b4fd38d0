/// One pass over a file's bytes before anything reads them: the reference reads slice files with
/// Python's `Path.read_text()`, which refuses invalid UTF-8, so such a file loads in neither
/// format. The pass also tells whether the text is pure ASCII, where byte offsets, code point
/// indices and UTF-16 offsets coincide.
enum UTF8Validation {
  struct Result {
    /// The first byte that does not belong to a valid UTF-8 sequence, with the bytes of the
    /// broken sequence.
    var invalidRange: ByteRange?
    var isASCII: Bool
    /// Whether a tab occurs anywhere (PyYAML's scanner refuses most of them).
    var containsTab: Bool
  }

  static func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
    let count = bytes.count
    guard let base = bytes.baseAddress else { return Result(invalidRange: nil, isASCII: true, containsTab: false) }
    var index = 0
    var isASCII = true
    var containsTab = false
    while index < count {
      // Eight ASCII bytes at a time.
      if index + 8 <= count {
        let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
        if word & 0x8080_8080_8080_8080 == 0 {
          // A zero byte in word ^ 0x09…09 is a tab (the classic "has zero byte" test).
          let tabs = word ^ 0x0909_0909_0909_0909
          if (tabs &- 0x0101_0101_0101_0101) & ~tabs & 0x8080_8080_8080_8080 != 0 { containsTab = true }
          index += 8
          continue
        }
      }
      let lead = bytes[index]
      if lead < 0x80 {
        if lead == 0x09 { containsTab = true }
        index += 1
        continue
      }
      isASCII = false
      let width = UTF8Character.width(bytes, at: index, end: count)
      if width == 1 {
        // Report the lead byte and the continuation bytes that follow it, so the range covers
        // what an editor shows as one broken character.
        var end = index + 1
        if lead >= 0xC0 {
          while end < count, end - index < 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
        }
        return Result(invalidRange: index..<end, isASCII: false, containsTab: containsTab)
      }
      index += width
    }
    return Result(invalidRange: nil, isASCII: isASCII, containsTab: containsTab)
  }

  /// The finding for an invalid byte sequence.
  static func finding(_ range: ByteRange, bytes: UnsafeBufferPointer<UInt8>) -> Finding {
    let shown = bytes[range].map { byte -> String in
      let digits = String(byte, radix: 16, uppercase: true)
      return "0x" + (digits.count == 1 ? "0" + digits : digits)
    }.joined(separator: " ")
    return Finding(
      range: range, severity: .error, code: .invalidUTF8,
      message: "invalid UTF-8 (\(shown)): slice files are read as UTF-8 text, so this file does not load")
  }
}
