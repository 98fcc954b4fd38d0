/// Any JSON value, as LSP's `LSPAny`: the type of free-form params, results, `data` fields and
/// `initializationOptions`. Integers that fit `Int` stay integers so ids and positions round-trip.
public enum LSPAny: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([LSPAny])
  case object([String: LSPAny])
}

public typealias LSPObject = [String: LSPAny]
public typealias LSPArray = [LSPAny]

extension LSPAny {
  public subscript(key: String) -> LSPAny? {
    if case .object(let members) = self { return members[key] }
    return nil
  }

  public subscript(index: Int) -> LSPAny? {
    if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
    return nil
  }

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  public var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// The integer value, also of a double with an integral value (other encoders write `3.0`).
  public var intValue: Int? {
    switch self {
    case .int(let value): return value
    case .double(let value):
      guard value.rounded(.towardZero) == value, let exact = Int(exactly: value) else { return nil }
      return exact
    default: return nil
    }
  }

  public var doubleValue: Double? {
    switch self {
    case .int(let value): return Double(value)
    case .double(let value): return value
    default: return nil
    }
  }

  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  public var arrayValue: [LSPAny]? {
    if case .array(let value) = self { return value }
    return nil
  }

  public var objectValue: [String: LSPAny]? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// The JSON type's name, for error messages.
  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .int: return "integer"
    case .double: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }
}

// Deliberately not ExpressibleByNilLiteral: `nil` would silently become `.null` wherever an
// `LSPAny?` is expected. Write `.null`.
extension LSPAny: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral
{
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(arrayLiteral elements: LSPAny...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, LSPAny)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}

extension LSPAny: Codable {
  public init(from decoder: any Decoder) throws {
    if let direct = decoder as? LSPAnyDecoding {
      self = direct.currentValue
      return
    }
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int.self) {
      self = .int(value)
    } else if let value = try? container.decode(Double.self) {
      self = .double(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([LSPAny].self) {
      self = .array(value)
    } else if let value = try? container.decode([String: LSPAny].self) {
      self = .object(value)
    } else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    if let direct = encoder as? LSPAnyEncoding {
      direct.store(self)
      return
    }
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .int(let value): try container.encode(value)
    case .double(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }
}

extension LSPAny: CustomStringConvertible {
  /// The value as compact JSON text.
  public var description: String {
    String(decoding: JSONWriter.serialize(self), as: UTF8.self)
  }
}
