import SliceSyntax

/// A path to an object of a slice, as the reference writes it into every object of the merged
/// view (`inmanta.util.dict_path`): `.` for the root, `meta` for an embedded object,
/// `content[type=folder][name=a].files[name=b]` for list items.
public struct DictPath: Sendable, Hashable, CustomStringConvertible {
  public enum Segment: Sendable, Hashable {
    /// An embedded object reached through a relation of cardinality at most one.
    case relation(String)
    /// An item of a list relation, selected by its identity.
    case item(relation: String, identity: Identity)

    // Relation names compare by code points, like the identities (see `Identity.Pair`).
    public static func == (lhs: Segment, rhs: Segment) -> Bool {
      switch (lhs, rhs) {
      case (.relation(let left), .relation(let right)): return left.isScalarExact(to: right)
      case (.item(let leftRelation, let leftIdentity), .item(let rightRelation, let rightIdentity)):
        return leftRelation.isScalarExact(to: rightRelation) && leftIdentity == rightIdentity
      default: return false
      }
    }

    public func hash(into hasher: inout Hasher) {
      switch self {
      case .relation(let name):
        hasher.combine(0 as UInt8)
        name.hashScalars(into: &hasher)
      case .item(let relation, let identity):
        hasher.combine(1 as UInt8)
        relation.hashScalars(into: &hasher)
        hasher.combine(identity)
      }
    }
  }

  public var segments: [Segment]

  public init(_ segments: [Segment] = []) { self.segments = segments }

  public static let root = DictPath()

  public func appending(_ segment: Segment) -> DictPath { DictPath(segments + [segment]) }

  /// The text the reference writes: `str(path)`. Written into one byte buffer: every object of
  /// a merged view carries its path, so this runs once per object of every exported slice.
  public var description: String {
    guard !segments.isEmpty else { return "." }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(16 * segments.count)
    for (index, segment) in segments.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ".")) }
      Self.append(segment, into: &bytes)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The text of `appending(segment)` from this path's text: the merge writes every object's
  /// path, and building each from its parent's costs a segment, not the whole path.
  public static func text(of segment: Segment, after parentText: String) -> String {
    var bytes: [UInt8] = []
    let isRoot = parentText == "."
    bytes.reserveCapacity((isRoot ? 0 : parentText.utf8.count + 1) + 32)
    if !isRoot {
      bytes.appendUTF8(of: parentText)
      bytes.append(UInt8(ascii: "."))
    }
    append(segment, into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the text of one segment (without the `.` that joins it to its parent's).
  static func append(_ segment: Segment, into bytes: inout [UInt8]) {
    switch segment {
    case .relation(let name):
      appendEscaped(name, into: &bytes)
    case .item(let relation, let identity):
      appendEscaped(relation, into: &bytes)
      if identity.pairs.isEmpty {
        bytes.append(contentsOf: "[]".utf8)
      } else {
        appendPairs(of: identity, into: &bytes)
      }
    }
  }

  /// `[k1=v1][k2=v2]`, escaped: an identity's text, in a path and on its own.
  static func appendPairs(of identity: Identity, into bytes: inout [UInt8]) {
    for pair in identity.pairs {
      bytes.append(UInt8(ascii: "["))
      appendEscaped(pair.key, into: &bytes)
      bytes.append(UInt8(ascii: "="))
      if pair.value == nullValue {
        bytes.appendUTF8(of: pair.value)
      } else {
        appendEscaped(pair.value, into: &bytes)
      }
      bytes.append(UInt8(ascii: "]"))
    }
  }

  /// `escapeKey(text)` appended as bytes: an escaped special character (`\\X`) is kept, any
  /// other special character gets its backslash (`escape(unescape(text))`, without the two
  /// strings; file names are full of dots). The special characters are ASCII, so bytes tell.
  static func appendEscaped(_ text: String, into bytes: inout [UInt8]) {
    var text = text
    text.withUTF8 { utf8 in
      // Runs without a special character are copied at once.
      var runStart = 0
      var index = 0
      while index < utf8.count {
        let byte = utf8[index]
        guard isSpecial(byte) else {
          index += 1
          continue
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
        bytes.append(UInt8(ascii: "\\"))
        if byte == UInt8(ascii: "\\"), index + 1 < utf8.count, isSpecial(utf8[index + 1]) {
          bytes.append(utf8[index + 1])
          index += 2
        } else {
          bytes.append(byte)
          index += 1
        }
        runStart = index
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }
  }

  @inline(__always)
  private static func isSpecial(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: ".")
      || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "=")
  }

  /// The characters with a meaning in a dict path, escaped with a backslash in data.
  public static let specialCharacters: Set<Unicode.Scalar> = ["\\", "[", "]", ".", "*", "="]

  /// How the reference writes a key or relation name: the text is first read as an already
  /// escaped dict path value (`\X` for a special X becomes X), then every special character is
  /// escaped. So `a.b` is written `a\.b`, and `a\.b` too.
  public static func escapeKey(_ text: String) -> String {
    escape(unescape(text))
  }

  /// How the reference writes an identity value (the value's `str()`): like a key, except that
  /// the two characters `\0` stay as they are (the dict path's null).
  public static func escapeValue(_ text: String) -> String {
    text == nullValue ? text : escape(unescape(text))
  }

  /// The dict path's null value, `\0`. The reference never produces it from a null key value
  /// (`str(None)` is `None`); only the string `\0` itself is written so.
  public static let nullValue = "\\0"

  /// Whether the text holds a special character (all are ASCII, so bytes tell): most names and
  /// values do not, and then escaping and unescaping leave them as they are.
  static func hasSpecialCharacter(_ text: String) -> Bool {
    text.utf8.contains(where: isSpecial)
  }

  /// Backslash before every special character.
  public static func escape(_ text: String) -> String {
    guard hasSpecialCharacter(text) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      if specialCharacters.contains(scalar) { result.unicodeScalars.append("\\") }
      result.unicodeScalars.append(scalar)
    }
    return result
  }

  /// `\X` → `X` for every special X, left to right.
  public static func unescape(_ text: String) -> String {
    guard hasSpecialCharacter(text) else { return text }
    var result = ""
    var scalars = text.unicodeScalars.makeIterator()
    var pending = scalars.next()
    while let scalar = pending {
      pending = scalars.next()
      if scalar == "\\", let next = pending, specialCharacters.contains(next) {
        result.unicodeScalars.append(next)
        pending = scalars.next()
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}

/// The identity of a list item: the discriminator pair first for a union member, then each key,
/// with values rendered as Python's `str()`. Two items with the same identity are the same item.
public struct Identity: Sendable, Hashable, CustomStringConvertible {
  public struct Pair: Sendable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
      self.key = key
      self.value = value
    }

    /// A key's value as identities hold it: Python's `str()` of the loaded value (`1`, `True`, `None`).
    public init(key: String, loadedValue: Value) {
      self.init(key: key, value: PythonText.str(loadedValue))
    }

    // Python compares identities by code points: NFC and NFD spellings are two items.
    public static func == (lhs: Pair, rhs: Pair) -> Bool {
      lhs.key.isScalarExact(to: rhs.key) && lhs.value.isScalarExact(to: rhs.value)
    }

    public func hash(into hasher: inout Hasher) {
      // The value only: the items of one list share their keys, so hashing them told nothing
      // (equal pairs still hash alike; `==` compares both).
      value.hashScalars(into: &hasher)
    }
  }

  public var pairs: [Pair]
  public init(_ pairs: [Pair]) { self.pairs = pairs }

  /// `[k1=v1][k2=v2]`, escaped as in a dict path.
  public var description: String {
    var bytes: [UInt8] = []
    DictPath.appendPairs(of: self, into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }
}
