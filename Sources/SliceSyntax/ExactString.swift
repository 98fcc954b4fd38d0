import Foundation

/// A string that compares and hashes by its Unicode scalars, as Python compares `str`.
///
/// Swift's `String` equality is canonical equivalence: `"caf\u{E9}"` (NFC) and `"cafe\u{301}"`
/// (NFD) are equal and hash alike, so a `[String: …]` or `Set<String>` merges them. For the
/// reference they are two slice names, two dict keys, two identities. Wherever the engine
/// groups or matches names, keys or identities, it keys by this type (or compares with
/// `String.isScalarExact(to:)`), never by `String` itself.
public struct ExactString: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var text: String
  public init(_ text: String) { self.text = text }

  public static func == (lhs: ExactString, rhs: ExactString) -> Bool {
    lhs.text.isScalarExact(to: rhs.text)
  }

  public func hash(into hasher: inout Hasher) {
    text.hashScalars(into: &hasher)
  }

  /// Code point order, as Python's `sorted` orders `str`.
  public static func < (lhs: ExactString, rhs: ExactString) -> Bool {
    lhs.text.precedesByScalars(rhs.text)
  }

  public var description: String { text }
}

extension String {
  /// Python's `==` on `str`: the same Unicode scalars (UTF-8 is a bijection on them, and
  /// comparing bytes avoids the normalisation `==` does on non-ASCII text).
  @inlinable
  public func isScalarExact(to other: String) -> Bool {
    let count = utf8.count
    guard count == other.utf8.count else { return false }
    // Canonically equivalent strings are `==`, so strings that are not differ in their scalars
    // too. For short ASCII text (most keys) `==` compares the inline bytes as two words: the
    // many lookups that miss a key of the same length stop here without copying either string.
    if count <= 15, self != other { return false }
    // Native and small strings are contiguous: one block comparison instead of a byte iterator
    // (this comparison sits under every key lookup of validation and merging).
    let compared: Bool?? = utf8.withContiguousStorageIfAvailable { left in
      other.utf8.withContiguousStorageIfAvailable { right in
        guard let leftStart = left.baseAddress, let rightStart = right.baseAddress else { return count == 0 }
        return memcmp(leftStart, rightStart, count) == 0
      }
    }
    if case .some(.some(let equal)) = compared { return equal }
    return utf8.elementsEqual(other.utf8)
  }

  /// Python's `<` on `str`: code point order, which is UTF-8 byte order (the encoding keeps
  /// the order of scalars), so the bytes are compared in one block when they are contiguous.
  public func precedesByScalars(_ other: String) -> Bool {
    let compared: Bool?? = utf8.withContiguousStorageIfAvailable { left in
      other.utf8.withContiguousStorageIfAvailable { right in
        let common = Swift.min(left.count, right.count)
        if common > 0, let leftStart = left.baseAddress, let rightStart = right.baseAddress {
          let order = memcmp(leftStart, rightStart, common)
          if order != 0 { return order < 0 }
        }
        return left.count < right.count
      }
    }
    if case .some(.some(let precedes)) = compared { return precedes }
    return utf8.lexicographicallyPrecedes(other.utf8)
  }

  /// Feeds the UTF-8 bytes, then the length (so that concatenations of different splits differ).
  public func hashScalars(into hasher: inout Hasher) {
    let count = utf8.count
    let hashedContiguously: Void? = utf8.withContiguousStorageIfAvailable { bytes in
      hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
    }
    if hashedContiguously == nil {
      for byte in utf8 { hasher.combine(byte) }
    }
    hasher.combine(count)
  }
}

/// A dictionary keyed by names (slice names, paths, keys, identity texts) compared as Python
/// compares `str`: NFC and NFD spellings are two entries. Reads and writes take plain `String`s.
public struct NameMap<Value>: ExpressibleByDictionaryLiteral, Sequence {
  private var storage: [ExactString: Value]

  public init() { storage = [:] }

  public init(dictionaryLiteral elements: (String, Value)...) {
    storage = [:]
    for (name, value) in elements { storage[ExactString(name)] = value }
  }

  /// From a `String`-keyed dictionary, whose keys `String` equality has already merged.
  public init(_ dictionary: [String: Value]) {
    storage = [:]
    for (name, value) in dictionary { storage[ExactString(name)] = value }
  }

  public subscript(name: String) -> Value? {
    get { storage[ExactString(name)] }
    set { storage[ExactString(name)] = newValue }
  }

  public subscript(name: String, default defaultValue: @autoclosure () -> Value) -> Value {
    get { storage[ExactString(name), default: defaultValue()] }
    set { storage[ExactString(name)] = newValue }
  }

  public var keys: [String] { storage.keys.map(\.text) }
  public var values: Dictionary<ExactString, Value>.Values { storage.values }
  public var count: Int { storage.count }
  public var isEmpty: Bool { storage.isEmpty }

  public func filter(_ isIncluded: ((key: String, value: Value)) throws -> Bool) rethrows -> NameMap<Value> {
    var kept = NameMap()
    for (key, value) in storage where try isIncluded((key.text, value)) { kept.storage[key] = value }
    return kept
  }

  public func makeIterator() -> AnyIterator<(key: String, value: Value)> {
    var inner = storage.makeIterator()
    return AnyIterator { inner.next().map { (key: $0.key.text, value: $0.value) } }
  }
}

extension NameMap: Sendable where Value: Sendable {}
extension NameMap: Equatable where Value: Equatable {}

/// A set of names compared as Python compares `str` (see `ExactString`).
public typealias NameSet = Set<ExactString>

extension Set where Element == ExactString {
  public init<Names: Sequence>(names: Names) where Names.Element == String {
    self.init(names.lazy.map(ExactString.init))
  }

  public func contains(_ name: String) -> Bool { contains(ExactString(name)) }

  @discardableResult
  public mutating func insert(_ name: String) -> Bool { insert(ExactString(name)).inserted }

  public mutating func formUnion<Names: Sequence>(names: Names) where Names.Element == String {
    for name in names { insert(ExactString(name)) }
  }
}
