/// Encodes `Encodable` types into an `LSPAny` tree. Optionals encoded with `encodeIfPresent`
/// (what synthesised conformances do) are omitted when nil; `encodeNil` writes an explicit null
/// for the few places LSP wants one.
public struct LSPAnyEncoder: Sendable {
  public init() {}

  public func encode<T: Encodable>(_ value: T) throws -> LSPAny {
    let slot = Slot()
    try encodeValue(value, into: slot, codingPath: [])
    return slot.finish()
  }
}

/// Lets `LSPAny.encode(to:)` store itself without going through containers.
protocol LSPAnyEncoding {
  func store(_ value: LSPAny)
}

/// One value under construction. Containers write into slots they share with their encoder,
/// so nested containers can keep writing after the call that made them returned.
private final class Slot {
  enum Kind { case empty, value, object, array }
  var kind = Kind.empty
  var value = LSPAny.null
  var members: [String: Slot] = [:]
  var elements: [Slot] = []

  func becomeObject() {
    if kind != .object {
      kind = .object
      members = [:]
    }
  }

  func becomeArray() {
    if kind != .array {
      kind = .array
      elements = []
    }
  }

  func store(_ newValue: LSPAny) {
    kind = .value
    value = newValue
  }

  func finish() -> LSPAny {
    switch kind {
    case .empty: return .object([:])
    case .value: return value
    case .object: return .object(members.mapValues { $0.finish() })
    case .array: return .array(elements.map { $0.finish() })
    }
  }
}

private func encodeValue<T: Encodable>(_ value: T, into slot: Slot, codingPath: [any CodingKey]) throws {
  switch value {
  case let any as LSPAny: slot.store(any)
  case let text as String: slot.store(.string(text))
  case let number as Int: slot.store(.int(number))
  case let flag as Bool: slot.store(.bool(flag))
  default: try value.encode(to: ValueEncoder(slot: slot, codingPath: codingPath))
  }
}

private func integer<I: FixedWidthInteger>(_ value: I, _ codingPath: [any CodingKey]) throws -> LSPAny {
  guard let exact = Int(exactly: value) else {
    throw EncodingError.invalidValue(
      value, .init(codingPath: codingPath, debugDescription: "integer does not fit in Int"))
  }
  return .int(exact)
}

private struct ValueEncoder: Encoder, LSPAnyEncoding {
  let slot: Slot
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func store(_ value: LSPAny) { slot.store(value) }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    slot.becomeObject()
    return KeyedEncodingContainer(KeyedContainer<Key>(slot: slot, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    slot.becomeArray()
    return UnkeyedContainer(slot: slot, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleValueContainer(slot: slot, codingPath: codingPath)
  }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let slot: Slot
  let codingPath: [any CodingKey]

  func set(_ value: LSPAny, _ key: Key) {
    let child = Slot()
    child.store(value)
    slot.members[key.stringValue] = child
  }

  func child(_ key: Key) -> Slot {
    let child = Slot()
    slot.members[key.stringValue] = child
    return child
  }

  mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
  mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
  mutating func encode(_ value: Double, forKey key: Key) throws { set(.double(value), key) }
  mutating func encode(_ value: Float, forKey key: Key) throws { set(.double(Double(value)), key) }
  mutating func encode(_ value: Int, forKey key: Key) throws { set(.int(value), key) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { set(.int(Int(value)), key) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { set(.int(Int(value)), key) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { set(.int(Int(value)), key) }
  mutating func encode(_ value: Int64, forKey key: Key) throws {
    set(try integer(value, codingPath + [key]), key)
  }
  mutating func encode(_ value: UInt, forKey key: Key) throws {
    set(try integer(value, codingPath + [key]), key)
  }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.int(Int(value)), key) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.int(Int(value)), key) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.int(Int(value)), key) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws {
    set(try integer(value, codingPath + [key]), key)
  }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    try encodeValue(value, into: child(key), codingPath: codingPath + [key])
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    let nested = child(key)
    nested.becomeObject()
    return KeyedEncodingContainer(KeyedContainer<NestedKey>(slot: nested, codingPath: codingPath + [key]))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let nested = child(key)
    nested.becomeArray()
    return UnkeyedContainer(slot: nested, codingPath: codingPath + [key])
  }

  mutating func superEncoder() -> any Encoder {
    let nested = Slot()
    slot.members["super"] = nested
    return ValueEncoder(slot: nested, codingPath: codingPath + [NamedKey("super")])
  }

  mutating func superEncoder(forKey key: Key) -> any Encoder {
    ValueEncoder(slot: child(key), codingPath: codingPath + [key])
  }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
  let slot: Slot
  let codingPath: [any CodingKey]
  var count: Int { slot.elements.count }

  func append(_ value: LSPAny) {
    let child = Slot()
    child.store(value)
    slot.elements.append(child)
  }

  func appendChild() -> (Slot, [any CodingKey]) {
    let child = Slot()
    let path = codingPath + [IndexKey(index: slot.elements.count)]
    slot.elements.append(child)
    return (child, path)
  }

  mutating func encodeNil() throws { append(.null) }
  mutating func encode(_ value: Bool) throws { append(.bool(value)) }
  mutating func encode(_ value: String) throws { append(.string(value)) }
  mutating func encode(_ value: Double) throws { append(.double(value)) }
  mutating func encode(_ value: Float) throws { append(.double(Double(value))) }
  mutating func encode(_ value: Int) throws { append(.int(value)) }
  mutating func encode(_ value: Int8) throws { append(.int(Int(value))) }
  mutating func encode(_ value: Int16) throws { append(.int(Int(value))) }
  mutating func encode(_ value: Int32) throws { append(.int(Int(value))) }
  mutating func encode(_ value: Int64) throws { append(try integer(value, codingPath)) }
  mutating func encode(_ value: UInt) throws { append(try integer(value, codingPath)) }
  mutating func encode(_ value: UInt8) throws { append(.int(Int(value))) }
  mutating func encode(_ value: UInt16) throws { append(.int(Int(value))) }
  mutating func encode(_ value: UInt32) throws { append(.int(Int(value))) }
  mutating func encode(_ value: UInt64) throws { append(try integer(value, codingPath)) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    let (child, path) = appendChild()
    try encodeValue(value, into: child, codingPath: path)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type
  ) -> KeyedEncodingContainer<NestedKey> {
    let (child, path) = appendChild()
    child.becomeObject()
    return KeyedEncodingContainer(KeyedContainer<NestedKey>(slot: child, codingPath: path))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let (child, path) = appendChild()
    child.becomeArray()
    return UnkeyedContainer(slot: child, codingPath: path)
  }

  mutating func superEncoder() -> any Encoder {
    let (child, path) = appendChild()
    return ValueEncoder(slot: child, codingPath: path)
  }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
  let slot: Slot
  let codingPath: [any CodingKey]

  mutating func encodeNil() throws { slot.store(.null) }
  mutating func encode(_ value: Bool) throws { slot.store(.bool(value)) }
  mutating func encode(_ value: String) throws { slot.store(.string(value)) }
  mutating func encode(_ value: Double) throws { slot.store(.double(value)) }
  mutating func encode(_ value: Float) throws { slot.store(.double(Double(value))) }
  mutating func encode(_ value: Int) throws { slot.store(.int(value)) }
  mutating func encode(_ value: Int8) throws { slot.store(.int(Int(value))) }
  mutating func encode(_ value: Int16) throws { slot.store(.int(Int(value))) }
  mutating func encode(_ value: Int32) throws { slot.store(.int(Int(value))) }
  mutating func encode(_ value: Int64) throws { slot.store(try integer(value, codingPath)) }
  mutating func encode(_ value: UInt) throws { slot.store(try integer(value, codingPath)) }
  mutating func encode(_ value: UInt8) throws { slot.store(.int(Int(value))) }
  mutating func encode(_ value: UInt16) throws { slot.store(.int(Int(value))) }
  mutating func encode(_ value: UInt32) throws { slot.store(.int(Int(value))) }
  mutating func encode(_ value: UInt64) throws { slot.store(try integer(value, codingPath)) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    try encodeValue(value, into: slot, codingPath: codingPath)
  }
}
