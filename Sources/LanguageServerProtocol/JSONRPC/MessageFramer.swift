/// Splits a byte stream into LSP messages: `Content-Length: N\r\n` (plus optional
/// `Content-Type: …`) headers, an empty line, then N bytes of JSON.
///
/// It never trusts its input: header lines must be printable ASCII ended by CRLF, the header
/// block is bounded, and a length over `maximumContentLength` is refused. After garbage, a header
/// it cannot use or a refused length it reports one error and resynchronises at the next
/// `Content-Length:` it can find, dropping what it skips as it streams by (it keeps at most the
/// few bytes that may begin that name), so one bad message costs one message, not the session.
///
/// Every decision depends only on the bytes, never on how reads cut them: any split of a stream
/// yields the same events as the stream in one piece (Fuzz/ checks this invariant).
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
    /// Discarding input up to the next `Content-Length:`; `start` is the first position that may
    /// still begin it. Kept across reads, so a name cut by a read is found as in one piece.
    case resynchronising
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
    buffer.append(contentsOf: bytes)
  }

  /// The next message or framing error, or nil when more input is needed.
  public mutating func next() -> Event? {
    while true {
      switch state {
      case .resynchronising:
        resynchronise()
        if case .resynchronising = state { return nil }
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
        case .refused(let message):
          // Discarded before the error is returned, so that what stays buffered is never garbage.
          resynchronise()
          if recovering { continue }
          recovering = true
          return .error(message)
        case .tooLarge(let digits):
          // Refused rather than skipped by count: a wrong length would otherwise swallow the
          // rest of the session. The unwanted body is dropped while looking for the next header.
          resynchronise()
          recovering = true
          return .error("message of \(digits) bytes exceeds the limit of \(maximumContentLength) bytes; skipped")
        case .contentLength(let length):
          recovering = false
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
    /// Garbage or a header block that cannot be used; `start` is where resynchronising begins.
    case refused(String)
    case tooLarge(digits: String)
    case contentLength(Int)
  }

  private static let cr = UInt8(ascii: "\r")
  private static let lf = UInt8(ascii: "\n")

  /// How much of an incomplete header block is already checked, relative to `start` (which moves
  /// when the buffer is compacted): a header arriving in many small reads is scanned once.
  private struct HeaderProgress {
    var checked = 0
    var lineStart = 0
    var lines: [Swift.Range<Int>] = []
  }

  private var headerProgress = HeaderProgress()

  private mutating func readHeaders() -> HeaderResult {
    let result = scanHeaders()
    if case .needMoreData = result {} else { headerProgress = HeaderProgress() }
    return result
  }

  private mutating func scanHeaders() -> HeaderResult {
    // Line breaks between messages are harmless; some clients write one after each body. (Once a
    // header has begun, `start` is at its first letter and nothing is skipped.)
    while start < buffer.count, buffer[start] == Self.cr || buffer[start] == Self.lf {
      start += 1
    }
    var lineStart = start + headerProgress.lineStart
    var index = start + headerProgress.checked
    defer {
      headerProgress.checked = index - start
      headerProgress.lineStart = lineStart - start
    }
    while index < buffer.count {
      let byte = buffer[index]
      if byte == Self.cr {
        guard index + 1 < buffer.count else { return .needMoreData }
        guard buffer[index + 1] == Self.lf else {
          return garbage("a carriage return not followed by a line feed in the message header")
        }
        if index == lineStart {
          let lines = headerProgress.lines.map { buffer[(start + $0.lowerBound)..<(start + $0.upperBound)] }
          start = index + 2
          return parse(lines)
        }
        headerProgress.lines.append((lineStart - start)..<(index - start))
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

  /// Reads a complete header block; `start` is already past it, where resynchronising begins if
  /// the block is refused (its body, of unknown length, follows).
  private func parse(_ lines: [ArraySlice<UInt8>]) -> HeaderResult {
    var declared: DeclaredLength?
    for line in lines {
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
        return .refused("malformed header line '\(String(decoding: line, as: UTF8.self))'; message skipped")
      }
      let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
      let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
      guard name == "content-length" else { continue }  // Content-Type and others are ignored.
      guard let length = DeclaredLength(value, limit: maximumContentLength) else {
        return .refused("invalid Content-Length '\(value)'; message skipped")
      }
      if let declared, declared != length {
        return .refused("conflicting Content-Length headers; message skipped")
      }
      declared = length
    }
    switch declared {
    case nil: return .refused("message header without Content-Length; skipped")
    case .overLimit(let digits): return .tooLarge(digits: digits)
    case .bytes(let length): return .contentLength(length)
    }
  }

  private enum DeclaredLength: Equatable {
    case bytes(Int)
    /// Kept as text: a length of any number of digits must not overflow.
    case overLimit(digits: String)

    init?(_ text: String, limit: Int) {
      guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
      var value = 0
      for digit in text.utf8 {
        let (shifted, shiftOverflow) = value.multipliedReportingOverflow(by: 10)
        let (sum, addOverflow) = shifted.addingReportingOverflow(Int(digit - 0x30))
        if shiftOverflow || addOverflow || sum > limit {
          self = .overLimit(digits: text)
          return
        }
        value = sum
      }
      self = .bytes(value)
    }
  }

  /// Reports garbage in the current header; resynchronising starts just after its first byte.
  private mutating func garbage(_ reason: String) -> HeaderResult {
    start += 1
    return .refused("invalid input: \(reason); skipping to the next message header")
  }

  private static let contentLengthName = Array("content-length:".utf8)

  /// Moves `start` to the next `Content-Length:` (any case) and reads headers from there, or drops
  /// what cannot begin it, keeping only an end of the buffer that may be its beginning.
  private mutating func resynchronise() {
    state = findNextHeaderName() ? .headers : .resynchronising
  }

  private mutating func findNextHeaderName() -> Bool {
    let name = Self.contentLengthName
    var candidate = start
    while candidate < buffer.count {
      if Self.lowercased(buffer[candidate]) == name[0] {
        var matched = 1
        while matched < name.count, candidate + matched < buffer.count,
          Self.lowercased(buffer[candidate + matched]) == name[matched]
        {
          matched += 1
        }
        if matched == name.count {
          start = candidate
          return true
        }
        if candidate + matched == buffer.count {
          // The input ends inside a possible name: wait for the rest.
          start = candidate
          return false
        }
      }
      candidate += 1
    }
    start = buffer.count
    return false
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
