import BigInt

/// A value without source positions: what the reference holds in memory after loading, and what
/// normalisation, versions, merged views and the writers work on.
///
/// Equality follows Python's: mappings compare without regard to order, and booleans,
/// integers and floats compare by number (`1 == 1.0 == True`), because the reference decides
/// "unchanged" with Python's `==`.
///
/// Not `indirect`: the recursion goes through arrays, which are references already, and an
/// indirect enum puts every value, each string of a long list included, in a heap box of its own
/// (72 bytes and a malloc per value instead of 40 bytes inline; a 60 MB slice holds several
/// trees of millions of values).
public enum Value: Sendable {
  case object([Member])
  case array([Value])
  case scalar(Scalar)

  /// A mapping key. After loading YAML a key may be any scalar (PyYAML builds a dict with
  /// int or bool keys); JSON keys and dumped keys are strings.
  ///
  /// Keys compare as a Python dict compares them: `1`, `1.0` and `true` are one key. NaN equals
  /// itself here, because PyYAML hands out one shared NaN object, which a dict finds by identity.
  public struct Key: Sendable, Hashable {
    public var scalar: Scalar
    public init(_ scalar: Scalar) { self.scalar = scalar }
    public static func string(_ text: String) -> Key { Key(.string(text)) }
    public var string: String? {
      if case .string(let text) = scalar { return text }
      return nil
    }

    /// Whether this is the string key `name`, compared as Python compares `str` (code points).
    public func isString(_ name: String) -> Bool {
      if case .string(let text) = scalar { return text.isScalarExact(to: name) }
      return false
    }

    public static func == (lhs: Key, rhs: Key) -> Bool {
      if case .float(let left) = lhs.scalar, case .float(let right) = rhs.scalar, left.isNaN, right.isNaN {
        return true
      }
      return lhs.scalar.pythonEquals(rhs.scalar)
    }

    public func hash(into hasher: inout Hasher) {
      // Numbers that Python finds equal must hash alike: hash integral values as integers.
      switch scalar {
      case .boolean(let flag):
        hasher.combine(BigInt(flag ? 1 : 0))
      case .integer(let number):
        hasher.combine(number)
      case .float(let number):
        if number.isFinite, number.rounded() == number, let exact = BigInt(exactly: number) {
          hasher.combine(exact)
        } else if number.isNaN {
          hasher.combine(Double.nan.bitPattern)
        } else {
          hasher.combine(number)
        }
      default:
        hasher.combine(scalar)
      }
    }
  }

  public struct Member: Sendable {
    public var key: Key
    public var value: Value
    public init(key: Key, value: Value) {
      self.key = key
      self.value = value
    }
    public init(_ name: String, _ value: Value) {
      self.key = .string(name)
      self.value = value
    }
  }

  public static let null = Value.scalar(.null)
  public static func string(_ text: String) -> Value { .scalar(.string(text)) }
  public static func integer(_ number: BigInt) -> Value { .scalar(.integer(number)) }
  public static func integer(_ number: Int) -> Value { .scalar(.integer(BigInt(number))) }
  public static func float(_ number: Double) -> Value { .scalar(.float(number)) }
  public static func boolean(_ flag: Bool) -> Value { .scalar(.boolean(flag)) }

  public var members: [Member]? {
    if case .object(let members) = self { return members }
    return nil
  }

  public var elements: [Value]? {
    if case .array(let elements) = self { return elements }
    return nil
  }

  public var scalarValue: Scalar? {
    if case .scalar(let scalar) = self { return scalar }
    return nil
  }

  public var isNull: Bool {
    if case .scalar(.null) = self { return true }
    return false
  }

  /// The member value for a string key.
  public subscript(key: String) -> Value? {
    members?.first(where: { $0.key.isString(key) })?.value
  }
}

extension Value: Equatable {
  // No `switch (lhs, rhs)` or `zip`: their tuples were destroyed through the runtime's generic
  // tuple witness.
  public static func == (lhs: Value, rhs: Value) -> Bool {
    switch lhs {
    case .object(let left):
      guard case .object(let right) = rhs else { return false }
      if left.count == right.count {
        var index = 0
        while index < left.count, left[index].key == right[index].key, left[index].value == right[index].value { index += 1 }
        if index == left.count { return true }
        // The same keys in the same order (two versions of one object): the values at the
        // first difference decide, unless their key comes again later (the last one counts).
        if left[index].key == right[index].key, left[(index + 1)...].indices.allSatisfy({ left[$0].key == right[$0].key }) {
          let key = left[index].key
          if !left[(index + 1)...].contains(where: { $0.key == key }) { return false }
        }
      }
      // Python compares dicts by key, whatever their order; of a repeated key the last value
      // counts, so objects of different lengths may still be equal.
      var leftByKey: [Key: Value] = Dictionary(minimumCapacity: left.count)
      for member in left { leftByKey[member.key] = member.value }
      var rightByKey: [Key: Value] = Dictionary(minimumCapacity: right.count)
      for member in right { rightByKey[member.key] = member.value }
      guard leftByKey.count == rightByKey.count else { return false }
      return leftByKey.allSatisfy { member in rightByKey[member.key].map { $0 == member.value } ?? false }
    case .array(let left):
      guard case .array(let right) = rhs else { return false }
      return left == right
    case .scalar(let left):
      guard case .scalar(let right) = rhs else { return false }
      return left.pythonEquals(right)
    }
  }
}

extension Scalar {
  /// Python's `==` between two loaded scalars: numbers (bool, int, float) compare by value.
  public func pythonEquals(_ other: Scalar) -> Bool {
    if let left = numericValue, let right = other.numericValue {
      switch (left, right) {
      case (.exact(let a), .exact(let b)): return a == b
      case (.exact(let a), .inexact(let b)), (.inexact(let b), .exact(let a)):
        return b.isFinite && b.rounded() == b && BigInt(exactly: b) == a
      case (.inexact(let a), .inexact(let b)): return a == b
      }
    }
    return self == other
  }

  private enum Number { case exact(BigInt), inexact(Double) }

  private var numericValue: Number? {
    switch self {
    case .boolean(let flag): return .exact(flag ? 1 : 0)
    case .integer(let number): return .exact(number)
    case .float(let number): return .inexact(number)
    default: return nil
    }
  }
}
