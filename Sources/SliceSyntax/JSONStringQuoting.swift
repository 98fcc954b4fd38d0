/// JSON string literals, for every writer of the engine: one scan over the UTF-8 bytes that
/// copies each run of characters needing no escape at once.
///
/// The writers differ only in what they escape, which `Style` names. (The language server's
/// protocol layer has its own, as it cannot depend on the engine.)
public enum JSONStringQuoting {
  public struct Style: Sendable, Hashable {
    /// Every character outside printable ASCII as `\uXXXX`, astral ones as a surrogate pair
    /// (Python's `json.dumps` with `ensure_ascii=True`); otherwise they are kept as they are.
    public var escapesNonASCII: Bool
    /// U+007F as `\u007f` even when other non-control characters are kept.
    public var escapesDelete: Bool
    /// Backspace and form feed as `\b` and `\f` (Python's `json`) rather than `\u0008`, `\u000c`.
    public var namesBackspaceAndFormFeed: Bool

    /// What the reference writes into a JSON slice: `json.dumps` with `ensure_ascii=True`.
    public static let pythonASCII = Style(escapesNonASCII: true, escapesDelete: true, namesBackspaceAndFormFeed: true)
    /// Text for a person or an editor: only what JSON requires is escaped.
    public static let readable = Style(escapesNonASCII: false, escapesDelete: false, namesBackspaceAndFormFeed: false)
    /// Text for a terminal report: as `readable`, with DEL escaped too (it is invisible).
    public static let terminal = Style(escapesNonASCII: false, escapesDelete: true, namesBackspaceAndFormFeed: false)
  }

  /// `text` in double quotes, escaped in `style`.
  public static func quoted(_ text: String, style: Style) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(text.utf8.count + 2)
    write(text, style: style, into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// Appends `text` in double quotes, escaped in `style`.
  public static func write(_ text: String, style: Style, into output: inout [UInt8]) {
    var text = text
    text.withUTF8 { write(utf8: $0, style: style, into: &output) }
  }

  /// Appends the text whose valid UTF-8 is `bytes` in double quotes, escaped in `style`.
  public static func write(utf8 bytes: UnsafeBufferPointer<UInt8>, style: Style, into output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    var runStart = 0
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if isCopiedAsIs(byte, style) {
        index += 1
        continue
      }
      output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
      if byte < 0x80 {
        writeEscape(ofASCII: byte, style: style, into: &output)
        index += 1
      } else {
        // Only reached when non-ASCII is escaped; the bytes are valid UTF-8.
        let (scalar, length) = decodeScalar(bytes, at: index)
        if scalar > 0xFFFF {
          let offset = scalar - 0x10000
          writeUnicodeEscape(0xD800 + (offset >> 10), into: &output)
          writeUnicodeEscape(0xDC00 + (offset & 0x3FF), into: &output)
        } else {
          writeUnicodeEscape(scalar, into: &output)
        }
        index += length
      }
      runStart = index
    }
    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
    output.append(UInt8(ascii: "\""))
  }

  @inline(__always)
  private static func isCopiedAsIs(_ byte: UInt8, _ style: Style) -> Bool {
    if byte >= 0x80 { return !style.escapesNonASCII }
    if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
    return byte != 0x7F || !style.escapesDelete
  }

  private static func writeEscape(ofASCII byte: UInt8, style: Style, into output: inout [UInt8]) {
    switch byte {
    case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
    case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
    case 0x0A: output.append(contentsOf: #"\n"#.utf8)
    case 0x0D: output.append(contentsOf: #"\r"#.utf8)
    case 0x09: output.append(contentsOf: #"\t"#.utf8)
    case 0x08 where style.namesBackspaceAndFormFeed: output.append(contentsOf: #"\b"#.utf8)
    case 0x0C where style.namesBackspaceAndFormFeed: output.append(contentsOf: #"\f"#.utf8)
    default: writeUnicodeEscape(UInt32(byte), into: &output)
    }
  }

  /// The scalar starting at `index` of valid UTF-8, and its length in bytes.
  private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
    let lead = UInt32(bytes[index])
    func continuation(_ offset: Int) -> UInt32 { UInt32(bytes[index + offset]) & 0x3F }
    if lead < 0xE0 { return ((lead & 0x1F) << 6 | continuation(1), 2) }
    if lead < 0xF0 { return ((lead & 0x0F) << 12 | continuation(1) << 6 | continuation(2), 3) }
    return ((lead & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3), 4)
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  private static func writeUnicodeEscape(_ unit: UInt32, into output: inout [UInt8]) {
    output.append(contentsOf: #"\u"#.utf8)
    for shift in stride(from: 12, through: 0, by: -4) {
      output.append(hexDigits[Int((unit >> UInt32(shift)) & 0xF)])
    }
  }
}

extension Array where Element == UInt8 {
  /// Appends the UTF-8 bytes of `text` in one copy (`append(contentsOf: text.utf8)` walks the
  /// view a byte at a time: a quarter of an export's writing went there).
  public mutating func appendUTF8(of text: String) {
    var text = text
    text.withUTF8 { append(contentsOf: $0) }
  }
}
