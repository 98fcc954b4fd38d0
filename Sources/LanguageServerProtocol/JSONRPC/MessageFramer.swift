/// Splits a byte stream into LSP messages: `Content-Length: N\r\n` (plus optional
/// `Content-Type: …`) headers, an empty line, then N bytes of JSON.
///
/// It never trusts its input: header lines must be printable ASCII ended by CRLF, the header
/// block is bounded, and a body larger than `maximumContentLength` is skipped as it streams by
/// instead of being buffered. On garbage it reports an error and resynchronises at the next
/// `Content-Length:` it can find, so one bad message costs one message, not the session.
public struct MessageFramer: Sendable {
  public static let defaultMaximumContentLength = 256 << 20
  /// Longer header blocks are garbage: real ones are under 100 bytes.
  public static let maximumHeaderLength = 16 << 10

  public enum Event: Sendable, Equatable {
    /// One message body, not yet parsed.
    case message([UInt8])
    /// Input that could not be framed, already discarded.
    case error(String)
  }

  private enum State: Sendable {
    case headers
    case body(length: Int)
    case skipping(remaining: Int)
  }

  public let maximumContentLength: Int
  private var buffer: [UInt8] = []
  private var start = 0
  private var state = State.headers
  /// Set after a framing error until a header parses again: the rest of the bad message is
  /// skipped without further reports, so one bad message makes one error.
  private var recovering = false

  public init(maximumContentLength: Int = MessageFramer.defaultMaximumContentLength) {
    self.maximumContentLength = maximumContentLength
  }

  /// Bytes received but not yet returned as a message.
  public var bufferedByteCount: Int { buffer.count - start }

  public mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
    if start == buffer.count {
      buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
      start = 0
    } else if start > 1 << 16, start > buffer.count / 2 {
      buffer.removeSubrange(0..<start)
      start = 0
    }
    if case .skipping(let remaining) = state, start == buffer.count {
      // Drop a too-large body as it arrives rather than storing it.
      let dropped = min(remaining, bytes.count)
      buffer.append(contentsOf: bytes.dropFirst(dropped))
      state = remaining == dropped ? .headers : .skipping(remaining: remaining - dropped)
      return
    }
    buffer.append(contentsOf: bytes)
  }

  /// The next message or framing error, or nil when more input is needed.
  public mutating func next() -> Event? {
    while true {
      switch state {
      case .skipping(let remaining):
        let dropped = min(remaining, buffer.count - start)
        start += dropped
        if dropped < remaining {
          state = .skipping(remaining: remaining - dropped)
          return nil
        }
        state = .headers
      case .body(let length):
        guard buffer.count - start >= length else { return nil }
        let body: [UInt8]
        if start == 0, length == buffer.count {
          // The common case for a large message: hand over the buffer instead of copying it.
          body = buffer
          buffer = []
        } else {
          body = Array(buffer[start..<(start + length)])
          start += length
        }
        state = .headers
        return .message(body)
      case .headers:
        switch readHeaders() {
        case .needMoreData: return nil
        case .error(let message):
          if recovering { continue }
          recovering = true
          return .error(message)
        case .contentLength(let length):
          recovering = false
          if length > maximumContentLength {
            state = .skipping(remaining: length)
            return .error(
              "message of \(length) bytes exceeds the limit of \(maximumContentLength) bytes; skipped")
          }
          state = .body(length: length)
          if start > 0, buffer.count - start < length {
            // Move the partial body to the front so that, once complete, it can be handed over whole.
            buffer.removeSubrange(0..<start)
            start = 0
          }
          // Reserve for the body once, but not on a hostile header's word alone.
          buffer.reserveCapacity(min(length, 64 << 20))
        }
      }
    }
  }

  private enum HeaderResult {
    case needMoreData
    case error(String)
    case contentLength(Int)
  }

  private static let cr = UInt8(ascii: "\r")
  private static let lf = UInt8(ascii: "\n")

  private mutating func readHeaders() -> HeaderResult {
    // Line breaks between messages are harmless; some clients write one after each body.
    while start < buffer.count, buffer[start] == Self.cr || buffer[start] == Self.lf {
      if buffer[start] == Self.cr, start + 1 == buffer.count { return .needMoreData }
      start += 1
    }
    var lines: [ArraySlice<UInt8>] = []
    var lineStart = start
    var index = start
    while index < buffer.count {
      let byte = buffer[index]
      if byte == Self.cr {
        guard index + 1 < buffer.count else { return .needMoreData }
        guard buffer[index + 1] == Self.lf else {
          return garbage("a carriage return not followed by a line feed in the message header")
        }
        if index == lineStart {
          start = index + 2
          return parse(lines)
        }
        lines.append(buffer[lineStart..<index])
        index += 2
        lineStart = index
        continue
      }
      if byte == Self.lf {
        return garbage("a header line ended by a bare line feed (LSP requires \\r\\n)")
      }
      if index == lineStart, !Self.isLetter(byte) {
        // A header name starts with a letter; this catches a JSON body sent without headers.
        return garbage("a header line starting with '\(String(UnicodeScalar(byte)))'")
      }
      if byte < 0x20 || byte > 0x7E, byte != 0x09 {
        return garbage("byte 0x\(String(byte, radix: 16)) in the message header")
      }
      index += 1
      if index - start > Self.maximumHeaderLength {
        return garbage("message header longer than \(Self.maximumHeaderLength) bytes")
      }
    }
    return .needMoreData
  }

  private mutating func parse(_ lines: [ArraySlice<UInt8>]) -> HeaderResult {
    var contentLength: Int?
    for line in lines {
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
        return .error("malformed header line '\(String(decoding: line, as: UTF8.self))'; message skipped")
      }
      let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
      let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
      guard name == "content-length" else { continue }  // Content-Type and others are ignored.
      guard !value.isEmpty, value.count <= 18, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
        let length = Int(value)
      else {
        return .error("invalid Content-Length '\(value)'; message skipped")
      }
      if let contentLength, contentLength != length {
        return .error("conflicting Content-Length headers; message skipped")
      }
      contentLength = length
    }
    guard let contentLength else { return .error("message header without Content-Length; skipped") }
    return .contentLength(contentLength)
  }

  /// Reports garbage in the current header and skips to the next plausible header start after the
  /// current one, so the stream can recover.
  private mutating func garbage(_ reason: String) -> HeaderResult {
    let discardedFrom = start
    if let next = nextHeaderStart(after: start) {
      start = next
    } else {
      // Keep only a tail that may be the beginning of a header cut by the read.
      start = max(start + 1, buffer.count - partialHeaderNameSuffixLength())
    }
    return .error("invalid input: \(reason); discarded \(start - discardedFrom) bytes")
  }

  private static let contentLengthName = Array("content-length:".utf8)

  private func nextHeaderStart(after position: Int) -> Int? {
    let name = Self.contentLengthName
    guard buffer.count >= name.count else { return nil }
    var candidate = position + 1
    while candidate + name.count <= buffer.count {
      if (0..<name.count).allSatisfy({ Self.lowercased(buffer[candidate + $0]) == name[$0] }) {
        return candidate
      }
      candidate += 1
    }
    return nil
  }

  /// The length of the longest end of the buffer that begins `Content-Length:`.
  private func partialHeaderNameSuffixLength() -> Int {
    let name = Self.contentLengthName
    var length = min(name.count - 1, buffer.count - start - 1)
    while length > 0 {
      let suffixStart = buffer.count - length
      if (0..<length).allSatisfy({ Self.lowercased(buffer[suffixStart + $0]) == name[$0] }) { return length }
      length -= 1
    }
    return 0
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lowercased(byte))
  }

  private static func lowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 0x20 : byte
  }

  /// Frames one message body.
  public static func frame(_ body: [UInt8]) -> [UInt8] {
    var output = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
    output.append(contentsOf: body)
    return output
  }
}

extension String {
  fileprivate var trimmingSpaces: String {
    var scalars = Substring(self)
    while scalars.first == " " || scalars.first == "\t" { scalars = scalars.dropFirst() }
    while scalars.last == " " || scalars.last == "\t" { scalars = scalars.dropLast() }
    return String(scalars)
  }
}
