import SliceSyntax

/// What a tolerant scan of a JSON text up to the cursor finds: the collections open there and
/// the token a candidate replaces.
struct JSONCursorScan {
  /// The objects and arrays open at the cursor, outermost first (never empty).
  var stack: [JSONCursorScanner.Frame]
  /// The token under the cursor (empty at the cursor when there is none).
  var token: ByteRange
  var quote: CursorContext.Quote?
  /// What the innermost open collection expects at the token.
  var state: JSONCursorScanner.State
}

/// Reads a JSON text up to the cursor as a state machine over its bytes, keeping a frame per
/// open object or array: the text is broken where the user types, so no parser would do.
struct JSONCursorScanner {
  enum State {
    case expectKey
    case afterKey
    case expectValue
    case afterValue
  }

  struct Frame {
    var isObject: Bool
    var state: State
    /// Where the last complete member or item ends (a comma goes there).
    var lastValueEnd: Int?
    /// Where the `{` or `[` is.
    var start: Int = 0
    /// Object: the last key read (the key of the open child, if any).
    var key: String?
    /// Array: how many items are complete (the index of the open child, if any).
    var itemCount = 0
    /// Object: the string members read so far (a union's tag among them).
    var strings: [(key: String, value: String)] = []
  }

  private let bytes: [UInt8]
  private var stack: [Frame] = []

  private init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// The scan up to `offset`, or nil outside any object or array (only an empty document takes
  /// something there: the file scaffold, offered elsewhere).
  static func scan(_ bytes: [UInt8], offset: Int) -> JSONCursorScan? {
    var scanner = JSONCursorScanner(bytes: bytes)
    var (token, quote) = scanner.read(upTo: offset)
    // A word that starts right at the cursor belongs to the cursor too (`|tru`).
    if token == nil, offset < bytes.count, isWordByte(bytes[offset]) {
      token = offset..<wordEnd(bytes, from: offset)
    }
    guard let top = scanner.stack.last else { return nil }
    // Before a property's value (`"root": | "/srv"`): the value is replaced, there is only one.
    if token == nil, top.isObject, top.state == .expectValue {
      var next = offset
      while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 { next += 1 }
      if next < bytes.count, bytes[next] == UInt8(ascii: "\"") {
        token = offset..<stringEnd(bytes, start: next).end
        quote = .double
      } else if next < bytes.count, isWordByte(bytes[next]) {
        token = offset..<wordEnd(bytes, from: next)
      }
    }
    return JSONCursorScan(stack: scanner.stack, token: token ?? offset..<offset, quote: quote, state: top.state)
  }

  /// Follows the text up to `offset`; stops early at a string or word the cursor is in or at
  /// the end of, and returns it.
  private mutating func read(upTo offset: Int) -> (token: ByteRange?, quote: CursorContext.Quote?) {
    var index = 0
    while index < offset {
      let byte = bytes[index]
      switch byte {
      case 0x20, 0x09, 0x0A, 0x0D:
        index += 1
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        if stack.last?.state == .expectKey { stack[stack.count - 1].state = .afterKey }
        let isObject = byte == UInt8(ascii: "{")
        stack.append(Frame(isObject: isObject, state: isObject ? .expectKey : .expectValue, start: index))
        index += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        if !stack.isEmpty { stack.removeLast() }
        completeValue(end: index + 1)
        index += 1
      case UInt8(ascii: ":"):
        if stack.last?.state == .afterKey { stack[stack.count - 1].state = .expectValue }
        index += 1
      case UInt8(ascii: ","):
        if let top = stack.last { stack[stack.count - 1].state = top.isObject ? .expectKey : .expectValue }
        index += 1
      case UInt8(ascii: "\""):
        let (end, _) = Self.stringEnd(bytes, start: index)
        if offset <= end, index < offset { return (index..<end, .double) }
        completeValue(end: end, string: index..<end)
        index = end
      default:
        guard Self.isWordByte(byte) else {
          index += 1
          continue
        }
        let end = Self.wordEnd(bytes, from: index)
        if offset <= end { return (index..<end, nil) }
        completeValue(end: end)
        index = end
      }
    }
    return (nil, nil)
  }

  /// A key, value or item ending at `end` was read (`string`: its range when it is a string).
  private mutating func completeValue(end: Int, string: ByteRange? = nil) {
    guard !stack.isEmpty else { return }
    let top = stack.count - 1
    switch stack[top].state {
    case .expectKey:
      stack[top].state = .afterKey
      stack[top].key = string.flatMap { Self.stringText(bytes, $0) }
    default:
      if stack[top].isObject, stack[top].state == .expectValue, let string, let key = stack[top].key,
        let text = Self.stringText(bytes, string)
      {
        stack[top].strings.append((key, text))
      }
      stack[top].state = .afterValue
      stack[top].lastValueEnd = end
      if !stack[top].isObject { stack[top].itemCount += 1 }
    }
  }

  /// The text of a JSON string token.
  private static func stringText(_ bytes: [UInt8], _ range: ByteRange) -> String? {
    guard range.count >= 2, bytes[range.upperBound - 1] == UInt8(ascii: "\"") else { return nil }
    let content = bytes[range.lowerBound + 1..<range.upperBound - 1]
    if !content.contains(UInt8(ascii: "\\")) { return String(decoding: content, as: UTF8.self) }
    if case .scalar(.string(let text))? = JSONReader().read(Array(bytes[range])).root?.kind { return text }
    return nil
  }

  /// A byte of a bare JSON word (a number, `true`, or a key typed without quotes).
  static func isWordByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
      || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte >= 0x80
  }

  private static func wordEnd(_ bytes: [UInt8], from start: Int) -> Int {
    var end = start
    while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
    return end
  }

  /// The end of the string starting at `start` (after its closing quote), and whether it is closed.
  static func stringEnd(_ bytes: [UInt8], start: Int) -> (end: Int, closed: Bool) {
    var index = start + 1
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\\") {
        index += 2
        continue
      }
      if byte == UInt8(ascii: "\"") { return (index + 1, true) }
      // A string cannot hold a raw line break: an unclosed string ends with its line.
      if byte == 0x0A || byte == 0x0D { return (index, false) }
      index += 1
    }
    return (bytes.count, false)
  }
}
