/// A strict RFC 8259 JSON parser producing `LSPAny`, written for speed on large messages (a
/// 10 MB `didOpen` is one long string) and for safety on hostile ones (bounded nesting, every
/// error reported with its byte offset rather than trapped).
public enum LSPJSONParser {
  /// Deeper nesting is refused: recursion must never exhaust a thread's stack.
  public static let maximumDepth = 512

  public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> LSPAny {
    try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer) }
  }

  public static func parse(_ bytes: ArraySlice<UInt8>) throws(JSONParseError) -> LSPAny {
    try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in try parse(buffer) }
  }

  public static func parse(_ text: String) throws(JSONParseError) -> LSPAny {
    try parse(Array(text.utf8))
  }

  public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> LSPAny {
    var parser = Parser(bytes: buffer)
    parser.skipWhitespace()
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    guard parser.index == buffer.count else {
      throw parser.error("unexpected data after the JSON value")
    }
    return value
  }
}

public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
  public var offset: Int
  public var message: String

  public init(offset: Int, message: String) {
    self.offset = offset
    self.message = message
  }

  public var description: String { "\(message) at byte \(offset)" }
}

private enum Byte {
  static let quote = UInt8(ascii: "\"")
  static let backslash = UInt8(ascii: "\\")
  static let slash = UInt8(ascii: "/")
  static let comma = UInt8(ascii: ",")
  static let colon = UInt8(ascii: ":")
  static let openBrace = UInt8(ascii: "{")
  static let closeBrace = UInt8(ascii: "}")
  static let openBracket = UInt8(ascii: "[")
  static let closeBracket = UInt8(ascii: "]")
  static let minus = UInt8(ascii: "-")
  static let plus = UInt8(ascii: "+")
  static let dot = UInt8(ascii: ".")
  static let zero = UInt8(ascii: "0")
  static let nine = UInt8(ascii: "9")
  static let lowerE = UInt8(ascii: "e")
  static let upperE = UInt8(ascii: "E")
}

private struct Parser {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0

  init(bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  func error(_ message: String) -> JSONParseError {
    JSONParseError(offset: index, message: message)
  }

  mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  mutating func parseValue(depth: Int) throws(JSONParseError) -> LSPAny {
    guard index < bytes.count else { throw error("unexpected end of JSON") }
    switch bytes[index] {
    case Byte.openBrace: return try parseObject(depth: depth + 1)
    case Byte.openBracket: return try parseArray(depth: depth + 1)
    case Byte.quote: return .string(try parseString())
    case Byte.minus, Byte.zero...Byte.nine: return try parseNumber()
    case UInt8(ascii: "t"):
      try expectLiteral("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expectLiteral("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expectLiteral("null")
      return .null
    default:
      throw error("unexpected character '\(printable(bytes[index]))'")
    }
  }

  mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
    let count = literal.utf8CodeUnitCount
    guard bytes.count - index >= count else { throw error("invalid literal") }
    let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
    for offset in 0..<count where bytes[index + offset] != expected[offset] {
      throw error("invalid literal")
    }
    index += count
  }

  mutating func parseObject(depth: Int) throws(JSONParseError) -> LSPAny {
    guard depth <= LSPJSONParser.maximumDepth else { throw error("JSON nested too deeply") }
    index += 1
    var members: [String: LSPAny] = [:]
    skipWhitespace()
    if index < bytes.count, bytes[index] == Byte.closeBrace {
      index += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == Byte.quote else {
        throw error("expected a string key")
      }
      let key = try parseString()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == Byte.colon else { throw error("expected ':'") }
      index += 1
      skipWhitespace()
      members[key] = try parseValue(depth: depth)
      skipWhitespace()
      guard index < bytes.count else { throw error("unexpected end of JSON in an object") }
      if bytes[index] == Byte.comma {
        index += 1
      } else if bytes[index] == Byte.closeBrace {
        index += 1
        return .object(members)
      } else {
        throw error("expected ',' or '}'")
      }
    }
  }

  mutating func parseArray(depth: Int) throws(JSONParseError) -> LSPAny {
    guard depth <= LSPJSONParser.maximumDepth else { throw error("JSON nested too deeply") }
    index += 1
    var elements: [LSPAny] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == Byte.closeBracket {
      index += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue(depth: depth))
      skipWhitespace()
      guard index < bytes.count else { throw error("unexpected end of JSON in an array") }
      if bytes[index] == Byte.comma {
        index += 1
      } else if bytes[index] == Byte.closeBracket {
        index += 1
        return .array(elements)
      } else {
        throw error("expected ',' or ']'")
      }
    }
  }

  /// Parses a string starting at its opening quote, in two passes: the first finds the closing
  /// quote (and checks for control characters), the second, only when there are escapes, decodes
  /// straight into the new string's storage, which is never longer than the escaped text.
  mutating func parseString() throws(JSONParseError) -> String {
    guard let base = bytes.baseAddress else { throw error("unterminated string") }
    let count = bytes.count
    let start = index + 1
    var cursor = start
    var hasEscapes = false
    while true {
      guard cursor < count else {
        index = count
        throw error("unterminated string")
      }
      let byte = base[cursor]
      if byte == Byte.quote { break }
      if byte == Byte.backslash {
        hasEscapes = true
        cursor += 2
        continue
      }
      if byte < 0x20 {
        index = cursor
        throw error("control character in a string")
      }
      cursor += 1
    }
    let end = cursor
    index = end + 1
    guard hasEscapes else {
      return String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
    }
    var failure: JSONParseError?
    let text = String(unsafeUninitializedCapacity: end - start) { output in
      guard let out = output.baseAddress else { return 0 }
      var written = 0
      var position = start
      while position < end {
        let byte = base[position]
        if byte != Byte.backslash {
          out[written] = byte
          written += 1
          position += 1
          continue
        }
        let escape = base[position + 1]
        position += 2
        switch escape {
        case Byte.quote: out[written] = Byte.quote
        case Byte.backslash: out[written] = Byte.backslash
        case Byte.slash: out[written] = Byte.slash
        case UInt8(ascii: "b"): out[written] = 0x08
        case UInt8(ascii: "f"): out[written] = 0x0C
        case UInt8(ascii: "n"): out[written] = 0x0A
        case UInt8(ascii: "r"): out[written] = 0x0D
        case UInt8(ascii: "t"): out[written] = 0x09
        case UInt8(ascii: "u"):
          guard let scalar = Self.unicodeEscape(base, at: &position, end: end) else {
            failure = JSONParseError(offset: position, message: "invalid \\u escape")
            return 0
          }
          UTF8.encode(scalar) { unit in
            out[written] = unit
            written += 1
          }
          continue
        default:
          failure = JSONParseError(offset: position - 1, message: "invalid escape '\\\(printable(escape))'")
          return 0
        }
        written += 1
      }
      return written
    }
    if let failure { throw failure }
    return text
  }

  /// Reads the four hex digits at `position` (after `\\u`), combining a surrogate pair when one
  /// follows. A lone surrogate becomes U+FFFD, as Python's and JavaScript's decoders keep going.
  static func unicodeEscape(_ base: UnsafePointer<UInt8>, at position: inout Int, end: Int) -> Unicode.Scalar? {
    guard let first = hex4(base, at: position, end: end) else { return nil }
    position += 4
    if (0xD800...0xDBFF).contains(first) {
      if position + 6 <= end, base[position] == Byte.backslash, base[position + 1] == UInt8(ascii: "u"),
        let second = hex4(base, at: position + 2, end: end), (0xDC00...0xDFFF).contains(second)
      {
        position += 6
        return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)) ?? "\u{FFFD}"
      }
      return "\u{FFFD}"
    }
    return Unicode.Scalar(first) ?? "\u{FFFD}"
  }

  static func hex4(_ base: UnsafePointer<UInt8>, at position: Int, end: Int) -> UInt32? {
    guard end - position >= 4 else { return nil }
    var value: UInt32 = 0
    for offset in 0..<4 {
      let byte = base[position + offset]
      let digit: UInt32
      switch byte {
      case Byte.zero...Byte.nine: digit = UInt32(byte - Byte.zero)
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: return nil
      }
      value = value << 4 | digit
    }
    return value
  }

  mutating func parseNumber() throws(JSONParseError) -> LSPAny {
    let start = index
    var negative = false
    if bytes[index] == Byte.minus {
      negative = true
      index += 1
    }
    guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
    var magnitude: UInt64 = 0
    var overflow = false
    if bytes[index] == Byte.zero {
      index += 1
      if index < bytes.count, isDigit(bytes[index]) { throw error("leading zero in a number") }
    } else {
      while index < bytes.count, isDigit(bytes[index]) {
        let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[index] - Byte.zero))
        overflow = overflow || overflow1 || overflow2
        magnitude = sum
        index += 1
      }
    }
    var isInteger = true
    if index < bytes.count, bytes[index] == Byte.dot {
      isInteger = false
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == Byte.lowerE || bytes[index] == Byte.upperE {
      isInteger = false
      index += 1
      if index < bytes.count, bytes[index] == Byte.plus || bytes[index] == Byte.minus { index += 1 }
      guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if isInteger, !overflow {
      if negative {
        if magnitude <= UInt64(Int.max) { return .int(-Int(magnitude)) }
        if magnitude == UInt64(Int.max) + 1 { return .int(Int.min) }
      } else if magnitude <= UInt64(Int.max) {
        return .int(Int(magnitude))
      }
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    guard let value = Double(text) else { throw JSONParseError(offset: start, message: "invalid number") }
    return .double(value)
  }

  func isDigit(_ byte: UInt8) -> Bool { byte >= Byte.zero && byte <= Byte.nine }

  func printable(_ byte: UInt8) -> String {
    (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
  }
}
