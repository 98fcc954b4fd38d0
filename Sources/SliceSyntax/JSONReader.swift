import BigInt

/// A strict JSON reader (RFC 8259) that also accepts what Python's `json.loads` accepts beyond it:
/// `NaN`, `Infinity`, `-Infinity`, integers of any size. It builds the located tree with exact
/// byte ranges and reports the first syntax error precisely.
///
/// Written by hand because Foundation's parser keeps neither positions nor key order, and the
/// reference reads JSON with Python's rules, which no package here reproduces.
/// The parser is iterative, so deep nesting cannot overflow the stack.
public struct JSONReader: Sendable {
  /// Nesting deeper than this is refused (Python's own reader gives up near 1000 levels).
  public var maximumDepth: Int

  public init(maximumDepth: Int = 1000) {
    self.maximumDepth = maximumDepth
  }

  public func read(_ bytes: [UInt8]) -> SyntaxTree {
    bytes.withUnsafeBufferPointer { buffer in
      // Python reads the file as UTF-8 text before parsing: invalid bytes anywhere fail the load.
      if let invalid = UTF8Validation.check(buffer).invalidRange {
        return SyntaxTree(
          format: .json, root: nil, findings: [UTF8Validation.finding(invalid, bytes: buffer)], loads: false)
      }
      var parser = JSONParser(bytes: buffer, maximumDepth: maximumDepth)
      return parser.parseDocument()
    }
  }

  public func read(_ text: String) -> SyntaxTree {
    read(Array(text.utf8))
  }
}

private struct JSONSyntaxError: Error {
  var range: ByteRange
  var message: String
}

private struct JSONParser {
  let bytes: UnsafeBufferPointer<UInt8>
  let maximumDepth: Int
  var offset = 0

  init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
    self.bytes = bytes
    self.maximumDepth = maximumDepth
  }

  /// An open container while its content is read. Its children wait on the scratch stacks from
  /// `childStart` on (an object's pending key on `items`) and move into an exactly sized array
  /// when it closes: appending to an array held inside an enum payload would copy it each time.
  private enum Frame {
    case object(start: Int, childStart: Int)
    case array(start: Int, childStart: Int)
  }

  private let items = MoveStack<Node>()
  private let entries = MoveStack<MappingEntry>()
  private var duplicateKeys: [Finding] = []
  /// Values Python reads but slicels cannot hold faithfully: the file is refused (the tree is
  /// kept for the editor).
  private var refusals: [Finding] = []
  /// The deepest collection opened so far (the root collection is 0).
  private var deepest = 0

  mutating func parseDocument() -> SyntaxTree {
    do {
      skipWhitespace()
      if offset == bytes.count {
        throw JSONSyntaxError(range: offset..<offset, message: "expected a JSON value, found the end of the file")
      }
      let root = try parseValue()
      skipWhitespace()
      if offset < bytes.count {
        throw JSONSyntaxError(
          range: offset..<characterEnd(offset),
          message: "unexpected \(describe(offset)) after the JSON value (only one value may stand in a file)")
      }
      var tree = SyntaxTree(
        format: .json, root: root, findings: (duplicateKeys + refusals).sorted { $0.range.lowerBound < $1.range.lowerBound },
        loads: refusals.isEmpty)
      tree.nestingDepth = deepest
      tree.keysAreDistinct = duplicateKeys.isEmpty
      return tree
    } catch let error as JSONSyntaxError {
      let finding = Finding(range: error.range, severity: .error, code: .jsonSyntax, message: error.message)
      return SyntaxTree(format: .json, root: nil, findings: [finding], loads: false)
    } catch {
      let finding = Finding(range: offset..<offset, severity: .error, code: .jsonSyntax, message: "\(error)")
      return SyntaxTree(format: .json, root: nil, findings: [finding], loads: false)
    }
  }

  private mutating func parseValue() throws -> Node {
    var stack: [Frame] = []
    while true {
      skipWhitespace()
      guard offset < bytes.count else {
        throw JSONSyntaxError(range: offset..<offset, message: expectation(for: stack) + ", found the end of the file")
      }
      // Read one value, or open / close a container.
      var completed: Node
      let byte = bytes[offset]
      switch byte {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        if stack.count >= maximumDepth {
          throw JSONSyntaxError(
            range: offset..<offset + 1, message: "nesting deeper than \(maximumDepth) levels is not supported")
        }
        deepest = max(deepest, stack.count)
        let start = offset
        offset += 1
        skipWhitespace()
        if byte == UInt8(ascii: "{") {
          if peek(UInt8(ascii: "}")) {
            offset += 1
            completed = Node(kind: .mapping([]), range: start..<offset, style: .json)
          } else {
            stack.append(.object(start: start, childStart: entries.count))
            items.push(try parseKey())
            continue
          }
        } else {
          if peek(UInt8(ascii: "]")) {
            offset += 1
            completed = Node(kind: .sequence([]), range: start..<offset, style: .json)
          } else {
            stack.append(.array(start: start, childStart: items.count))
            continue
          }
        }
      default:
        completed = try parseScalar(context: stack)
      }

      // Attach the completed value to its parent, closing parents that end here.
      while true {
        guard let frame = stack.last else { return completed }
        skipWhitespace()
        switch frame {
        case .object(let start, let childStart):
          entries.push(MappingEntry(key: items.pop(), value: completed))
          if peek(UInt8(ascii: ",")) {
            offset += 1
            skipWhitespace()
            items.push(try parseKey())
          } else if peek(UInt8(ascii: "}")) {
            offset += 1
            stack.removeLast()
            let members = entries.take(from: childStart)
            if DuplicateKeys.mayExist(in: members) { duplicateKeys += DuplicateKeys.findings(in: members) }
            completed = Node(kind: .mapping(members), range: start..<offset, style: .json)
            continue
          } else {
            throw unexpected("expected ',' or '}' after object member")
          }
        case .array(let start, let childStart):
          items.push(completed)
          if peek(UInt8(ascii: ",")) {
            offset += 1
          } else if peek(UInt8(ascii: "]")) {
            offset += 1
            stack.removeLast()
            completed = Node(kind: .sequence(items.take(from: childStart)), range: start..<offset, style: .json)
            continue
          } else {
            throw unexpected("expected ',' or ']' after array element")
          }
        }
        break
      }
    }
  }

  /// Reads `"name" :` and returns the key node; the value follows.
  private mutating func parseKey() throws -> Node {
    guard peek(UInt8(ascii: "\"")) else {
      if peek(UInt8(ascii: "}")) {
        throw unexpected("trailing comma: expected a property name in double quotes")
      }
      throw unexpected("expected a property name in double quotes")
    }
    let key = try parseString()
    skipWhitespace()
    guard peek(UInt8(ascii: ":")) else { throw unexpected("expected ':' after property name") }
    offset += 1
    return key
  }

  private func expectation(for stack: [Frame]) -> String {
    switch stack.last {
    case .object: return "expected a value after ':'"
    case .array: return "expected a value or ']'"
    case nil: return "expected a JSON value"
    }
  }

  private mutating func parseScalar(context stack: [Frame]) throws -> Node {
    let start = offset
    let byte = bytes[offset]
    switch byte {
    case UInt8(ascii: "\""):
      return try parseString()
    case UInt8(ascii: "t"):
      try expectWord("true")
      return Node(kind: .scalar(.boolean(true)), range: start..<offset, style: .json)
    case UInt8(ascii: "f"):
      try expectWord("false")
      return Node(kind: .scalar(.boolean(false)), range: start..<offset, style: .json)
    case UInt8(ascii: "n"):
      try expectWord("null")
      return Node(kind: .scalar(.null), range: start..<offset, style: .json)
    case UInt8(ascii: "N"):
      try expectWord("NaN")
      return Node(kind: .scalar(.float(.nan)), range: start..<offset, style: .json)
    case UInt8(ascii: "I"):
      try expectWord("Infinity")
      return Node(kind: .scalar(.float(.infinity)), range: start..<offset, style: .json)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      return try parseNumber()
    case UInt8(ascii: "]") where isArrayContext(stack):
      throw unexpected("trailing comma: expected a value before ']'")
    default:
      throw unexpected(expectation(for: stack))
    }
  }

  private func isArrayContext(_ stack: [Frame]) -> Bool {
    if case .array = stack.last { return true }
    return false
  }

  private mutating func expectWord(_ word: StaticString) throws {
    let start = offset
    let count = word.utf8CodeUnitCount
    let matches = word.withUTF8Buffer { expected in
      guard bytes.count - offset >= count else { return false }
      for index in 0..<count where bytes[offset + index] != expected[index] { return false }
      return true
    }
    guard matches else {
      var end = start
      while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
      let found = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<max(end, start + 1)]), as: UTF8.self)
      throw JSONSyntaxError(range: start..<max(end, characterEnd(start)), message: "unknown literal '\(found)' (expected '\(word)')")
    }
    offset += count
  }

  private func isWordByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
  }

  private mutating func parseNumber() throws -> Node {
    let start = offset
    if peek(UInt8(ascii: "-")) {
      offset += 1
      if peek(UInt8(ascii: "I")) {
        try expectWord("Infinity")
        return Node(kind: .scalar(.float(-.infinity)), range: start..<offset, style: .json)
      }
    }
    guard offset < bytes.count, isDigit(bytes[offset]) else {
      throw unexpected("expected a digit in number")
    }
    if bytes[offset] == UInt8(ascii: "0") {
      offset += 1
      if offset < bytes.count, isDigit(bytes[offset]) {
        throw JSONSyntaxError(range: start..<offset + 1, message: "numbers cannot have leading zeros")
      }
    } else {
      while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
    }
    var isInteger = true
    if peek(UInt8(ascii: ".")) {
      isInteger = false
      offset += 1
      guard offset < bytes.count, isDigit(bytes[offset]) else {
        throw unexpected("expected a digit after the decimal point")
      }
      while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
    }
    if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
      isInteger = false
      offset += 1
      if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { offset += 1 }
      guard offset < bytes.count, isDigit(bytes[offset]) else {
        throw unexpected("expected a digit in the exponent")
      }
      while offset < bytes.count, isDigit(bytes[offset]) { offset += 1 }
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    let scalar: Scalar
    if isInteger {
      let digits = offset - start - (bytes[start] == UInt8(ascii: "-") ? 1 : 0)
      if digits > pythonMaximumIntegerDigits {
        throw JSONSyntaxError(
          range: start..<offset,
          message: "an integer of \(digits) digits: Python reads at most \(pythonMaximumIntegerDigits) (json.loads fails on it)")
      }
      if offset - start <= 18, let small = Int(text) {
        return Node(integer: small, range: start..<offset, style: .json)
      } else if let big = BigInt(text, radix: 10) {
        scalar = .integer(big)
      } else {
        throw JSONSyntaxError(range: start..<offset, message: "invalid integer '\(text)'")
      }
    } else {
      // Python's float() of the literal: correctly rounded, overflow to ±inf.
      scalar = .float(Double(text) ?? (text.hasPrefix("-") ? -.infinity : .infinity))
    }
    return Node(kind: .scalar(scalar), range: start..<offset, style: .json)
  }

  private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private mutating func parseString() throws -> Node {
    let start = offset
    offset += 1  // opening quote
    let contentStart = offset
    // Fast path: no escapes.
    while offset < bytes.count {
      let byte = bytes[offset]
      if byte == UInt8(ascii: "\"") {
        let text = decodeUTF8(contentStart..<offset)
        offset += 1
        return Node(kind: .scalar(.string(text)), range: start..<offset, style: .json)
      }
      if byte == UInt8(ascii: "\\") { break }
      if byte < 0x20 { throw controlCharacter() }
      offset += 1
    }
    // With escapes: the plain runs and the escapes' UTF-8 go into one byte buffer, decoded once
    // at the closing quote (the whole file was checked to be UTF-8 before parsing).
    var decoded: [UInt8] = []
    decoded.reserveCapacity(offset - contentStart + 16)
    decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[contentStart..<offset]))
    while offset < bytes.count {
      let byte = bytes[offset]
      if byte == UInt8(ascii: "\"") {
        offset += 1
        return Node(kind: .scalar(.string(String(decoding: decoded, as: UTF8.self))), range: start..<offset, style: .json)
      }
      if byte < 0x20 { throw controlCharacter() }
      if byte == UInt8(ascii: "\\") {
        let escapeStart = offset
        offset += 1
        guard offset < bytes.count else { break }
        let escaped = bytes[offset]
        offset += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escaped)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
          let scalar = try readUnicodeEscape(escapeStart: escapeStart)
          UTF8.encode(scalar) { decoded.append($0) }
        default:
          throw JSONSyntaxError(range: escapeStart..<characterEnd(offset - 1), message: "invalid escape '\\\(describeCharacter(offset - 1))' in string")
        }
        continue
      }
      let runStart = offset
      while offset < bytes.count, bytes[offset] != UInt8(ascii: "\""), bytes[offset] != UInt8(ascii: "\\"), bytes[offset] >= 0x20 {
        offset += 1
      }
      decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
    }
    throw JSONSyntaxError(range: start..<offset, message: "unterminated string: expected '\"' before the end of the file")
  }

  /// The scalar of a `\uXXXX` escape whose `u` was just read, joined with a following low
  /// surrogate escape; an unpaired surrogate is refused and stands as U+FFFD.
  private mutating func readUnicodeEscape(escapeStart: Int) throws -> Unicode.Scalar {
    let unit = try readHex4(escapeStart: escapeStart)
    if (0xD800...0xDBFF).contains(unit), offset + 6 <= bytes.count, bytes[offset] == UInt8(ascii: "\\"),
      bytes[offset + 1] == UInt8(ascii: "u")
    {
      let saved = offset
      offset += 2
      let low = try readHex4(escapeStart: saved)
      if (0xDC00...0xDFFF).contains(low), let combined = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) {
        return combined
      }
      refuseLoneSurrogate(at: escapeStart..<saved)
      offset = saved
      return "\u{FFFD}"
    }
    if let scalar = Unicode.Scalar(unit) { return scalar }
    refuseLoneSurrogate(at: escapeStart..<offset)
    return "\u{FFFD}"
  }

  /// Python's `json.loads` keeps an unpaired surrogate in the string (and pydantic accepts it),
  /// but a Swift string holds only Unicode scalars: reading it as U+FFFD would change the data
  /// that a compile writes, so the file is refused instead.
  private mutating func refuseLoneSurrogate(at range: ByteRange) {
    let escape = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    refusals.append(
      Finding(
        range: range, severity: .error, code: .jsonLoneSurrogate,
        message: "'\(escape)' is an unpaired UTF-16 surrogate: Python's json.loads keeps it in the string, "
          + "but slicels cannot carry one faithfully, so it refuses the file rather than write a changed value; "
          + "write the intended character or a complete surrogate pair (\\uD83D\\uDE00)"))
  }

  private mutating func readHex4(escapeStart: Int) throws -> UInt32 {
    var unit: UInt32 = 0
    for _ in 0..<4 {
      guard offset < bytes.count, let digit = hexValue(bytes[offset]) else {
        throw JSONSyntaxError(range: escapeStart..<min(offset + 1, bytes.count), message: "invalid \\u escape: expected 4 hexadecimal digits")
      }
      unit = unit << 4 | digit
      offset += 1
    }
    return unit
  }

  private func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }

  /// The text of a string's bytes. The whole file was checked to be UTF-8 before parsing, and
  /// a run between two ASCII quotes cannot split a character, so decoding never repairs here
  /// (`String(validating:)` ran unspecialised: a twentieth of an `export`).
  private func decodeUTF8(_ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  private func controlCharacter() -> JSONSyntaxError {
    let byte = bytes[offset]
    let name = byte == 0x0A ? "a line break" : byte == 0x09 ? "a tab" : "control character U+\(hex4(byte))"
    return JSONSyntaxError(range: offset..<offset + 1, message: "\(name) inside a string must be escaped")
  }

  private mutating func skipWhitespace() {
    while offset < bytes.count {
      switch bytes[offset] {
      case 0x20, 0x09, 0x0A, 0x0D: offset += 1
      default: return
      }
    }
  }

  private func peek(_ byte: UInt8) -> Bool {
    offset < bytes.count && bytes[offset] == byte
  }

  private func unexpected(_ expectation: String) -> JSONSyntaxError {
    guard offset < bytes.count else {
      return JSONSyntaxError(range: offset..<offset, message: "\(expectation), found the end of the file")
    }
    return JSONSyntaxError(range: offset..<characterEnd(offset), message: "\(expectation), found \(describe(offset))")
  }

  /// The end of the UTF-8 character starting at `index` (so a range never splits a character).
  private func characterEnd(_ index: Int) -> Int {
    guard index < bytes.count else { return index }
    var end = index + 1
    while end < bytes.count, end - index < 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
    return end
  }

  private func describeCharacter(_ index: Int) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<characterEnd(index)]), as: UTF8.self)
  }

  private func describe(_ index: Int) -> String {
    let byte = bytes[index]
    if byte == 0x0A || byte == 0x0D { return "a line break" }
    if byte < 0x20 || byte == 0x7F { return "control character U+\(hex4(byte))" }
    return "'\(describeCharacter(index))'"
  }

  private func hex4(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16, uppercase: true)
    return String(repeating: "0", count: 4 - digits.count) + digits
  }
}

/// Python refuses to convert decimal strings of more digits to int (`sys.int_info.default_max_str_digits`).
let pythonMaximumIntegerDigits = 4300

/// Duplicate keys in one mapping: both YAML and JSON loaders keep the last value silently.
public enum DuplicateKeys {
  /// A cheap test that lets the common case (all keys distinct) skip building a dictionary: false
  /// only when no two keys are equal.
  static func mayExist(in entries: [MappingEntry]) -> Bool {
    let count = entries.count
    guard count > 1 else { return false }
    if count > 16 { return true }
    // String keys (every JSON key): each key's text read once, then compared exactly (two keys
    // are the same key only when their code points are: `Value.Key`).
    let stringKeys: Bool? = withUnsafeTemporaryAllocation(of: String.self, capacity: count) { names -> Bool? in
      guard let base = names.baseAddress else { return nil }
      var initialized = 0
      defer { base.deinitialize(count: initialized) }
      for entry in entries {
        guard let name = entry.key.stringValue else { return nil }
        (base + initialized).initialize(to: name)
        initialized += 1
      }
      for later in 1..<count {
        for earlier in 0..<later where names[earlier].isScalarExact(to: names[later]) { return true }
      }
      return false
    }
    if let stringKeys { return stringKeys }
    for later in 1..<count {
      guard case .scalar(let laterKey) = entries[later].key.kind else { continue }
      for earlier in 0..<later {
        guard case .scalar(let earlierKey) = entries[earlier].key.kind else { continue }
        if case .string(let laterName) = laterKey {
          if case .string(let earlierName) = earlierKey, earlierName == laterName { return true }
        } else if Value.Key(earlierKey) == Value.Key(laterKey) {
          return true
        }
      }
    }
    return false
  }

  public static func findings(in entries: [MappingEntry]) -> [Finding] {
    guard entries.count > 1 else { return [] }
    var lastIndex: [Value.Key: Int] = [:]
    for (index, entry) in entries.enumerated() {
      if let scalar = entry.key.scalar { lastIndex[Value.Key(scalar)] = index }
    }
    guard lastIndex.count < entries.count else { return [] }
    var findings: [Finding] = []
    for (index, entry) in entries.enumerated() {
      guard let scalar = entry.key.scalar, let last = lastIndex[Value.Key(scalar)], last != index else { continue }
      let name = entry.keyString ?? "\(scalar)"
      findings.append(
        Finding(
          range: entry.key.range, severity: .warning, code: .duplicateKey,
          message: "duplicate key '\(name)': the reference keeps only the last value, this one is ignored",
          related: [Finding.Related(path: nil, range: entries[last].key.range, message: "the value that is kept")]))
    }
    return findings
  }
}
