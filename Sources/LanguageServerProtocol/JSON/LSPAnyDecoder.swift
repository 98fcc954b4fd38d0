/// Decodes `Decodable` types from an `LSPAny` tree. Errors carry the coding path so the server
/// can answer invalid params with the exact field at fault (see `DecodingError.fieldDescription`).
public struct LSPAnyDecoder: Sendable {
  public init() {}

  public func decode<T: Decodable>(_ type: T.Type, from value: LSPAny) throws -> T {
    try decodeValue(type, from: value, codingPath: [])
  }
}

/// Lets `LSPAny.init(from:)` take its value without going through containers.
protocol LSPAnyDecoding {
  var currentValue: LSPAny { get }
}

/// A coding key for an array index, shown as `[3]` in field paths.
struct IndexKey: CodingKey {
  var intValue: Int?
  var stringValue: String { "\(intValue ?? 0)" }
  init(index: Int) { intValue = index }
  init?(intValue: Int) { self.intValue = intValue }
  init?(stringValue: String) {
    guard let index = Int(stringValue) else { return nil }
    intValue = index
  }
}

/// A coding key made from a string, for `superDecoder` and for paths built by hand.
struct NamedKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(_ name: String) { stringValue = name }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { return nil }
}

extension Array where Element == any CodingKey {
  /// The path as people write it: `textDocument.uri`, `contentChanges[2].range`.
  public var fieldPath: String {
    var path = ""
    for key in self {
      if key is IndexKey || (key.intValue != nil && key.stringValue.hasPrefix("Index ")) {
        path += "[\(key.intValue ?? 0)]"
      } else {
        if !path.isEmpty { path += "." }
        path += key.stringValue
      }
    }
    return path
  }
}

extension DecodingError {
  /// One line naming the field and what is wrong with it, for a -32602 response.
  public var fieldDescription: String {
    switch self {
    case .keyNotFound(let key, let context):
      let path = (context.codingPath + [key]).fieldPath
      return "missing field '\(path)'"
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      let path = context.codingPath.fieldPath
      return path.isEmpty ? context.debugDescription : "field '\(path)': \(context.debugDescription)"
    @unknown default:
      return "\(self)"
    }
  }
}

func decodeValue<T: Decodable>(_ type: T.Type, from value: LSPAny, codingPath: [any CodingKey]) throws -> T {
  if T.self == LSPAny.self, let same = value as? T { return same }
  if T.self == String.self, let text = try decodeString(value, codingPath) as? T { return text }
  if T.self == Int.self, let number = try decodeInteger(Int.self, value, codingPath) as? T { return number }
  if T.self == Bool.self, let flag = try decodeBool(value, codingPath) as? T { return flag }
  return try T(from: ValueDecoder(currentValue: value, codingPath: codingPath))
}

private func mismatch(_ expected: String, _ value: LSPAny, _ codingPath: [any CodingKey]) -> DecodingError {
  DecodingError.typeMismatch(
    LSPAny.self,
    .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(value.typeName)"))
}

private func decodeString(_ value: LSPAny, _ codingPath: [any CodingKey]) throws -> String {
  guard case .string(let text) = value else { throw mismatch("string", value, codingPath) }
  return text
}

private func decodeBool(_ value: LSPAny, _ codingPath: [any CodingKey]) throws -> Bool {
  guard case .bool(let flag) = value else { throw mismatch("boolean", value, codingPath) }
  return flag
}

private func decodeInteger<I: FixedWidthInteger>(
  _ type: I.Type, _ value: LSPAny, _ codingPath: [any CodingKey]
) throws -> I {
  guard let wide = value.intValue else { throw mismatch("integer", value, codingPath) }
  guard let exact = I(exactly: wide) else {
    throw DecodingError.dataCorrupted(
      .init(codingPath: codingPath, debugDescription: "integer \(wide) out of range"))
  }
  return exact
}

private func decodeFloatingPoint(_ value: LSPAny, _ codingPath: [any CodingKey]) throws -> Double {
  guard let number = value.doubleValue else { throw mismatch("number", value, codingPath) }
  return number
}

private struct ValueDecoder: Decoder, LSPAnyDecoding {
  let currentValue: LSPAny
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let members) = currentValue else {
      throw mismatch("object", currentValue, codingPath)
    }
    return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .array(let elements) = currentValue else {
      throw mismatch("array", currentValue, codingPath)
    }
    return UnkeyedContainer(elements: elements, codingPath: codingPath)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    SingleValueContainer(value: currentValue, codingPath: codingPath)
  }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let members: [String: LSPAny]
  let codingPath: [any CodingKey]

  var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

  func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

  func member(_ key: Key) throws -> LSPAny {
    guard let value = members[key.stringValue] else {
      throw DecodingError.keyNotFound(
        key, .init(codingPath: codingPath, debugDescription: "missing field '\(key.stringValue)'"))
    }
    return value
  }

  func decodeNil(forKey key: Key) throws -> Bool { try member(key).isNull }

  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
    try decodeBool(member(key), codingPath + [key])
  }
  func decode(_ type: String.Type, forKey key: Key) throws -> String {
    try decodeString(member(key), codingPath + [key])
  }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
    try decodeFloatingPoint(member(key), codingPath + [key])
  }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
    Float(try decodeFloatingPoint(member(key), codingPath + [key]))
  }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
    try decodeInteger(type, member(key), codingPath + [key])
  }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
    try decodeInteger(type, member(key), codingPath + [key])
  }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
    try decodeInteger(type, member(key), codingPath + [key])
  }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
    try decodeInteger(type, member(key), codingPath + [key])
  }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
    try decodeInteger(type, member(key), codingPath + [key])
  }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
    try decodeInteger(type, member(key), codingPath + [key])
  }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
    try decodeInteger(type, member(key), codingPath + [key])
  }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
    try decodeInteger(type, member(key), codingPath + [key])
  }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
    try decodeInteger(type, member(key), codingPath + [key])
  }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
    try decodeInteger(type, member(key), codingPath + [key])
  }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try decodeValue(type, from: member(key), codingPath: codingPath + [key])
  }

  func nestedContainer<NestedKey: CodingKey>(
    keyedBy type: NestedKey.Type, forKey key: Key
  ) throws -> KeyedDecodingContainer<NestedKey> {
    try ValueDecoder(currentValue: member(key), codingPath: codingPath + [key]).container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try ValueDecoder(currentValue: member(key), codingPath: codingPath + [key]).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder {
    ValueDecoder(currentValue: members["super"] ?? .null, codingPath: codingPath + [NamedKey("super")])
  }

  func superDecoder(forKey key: Key) throws -> any Decoder {
    ValueDecoder(currentValue: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
  }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
  let elements: [LSPAny]
  let codingPath: [any CodingKey]
  var currentIndex = 0

  init(elements: [LSPAny], codingPath: [any CodingKey]) {
    self.elements = elements
    self.codingPath = codingPath
  }

  var count: Int? { elements.count }
  var isAtEnd: Bool { currentIndex >= elements.count }

  mutating func next() throws -> (LSPAny, [any CodingKey]) {
    let path = codingPath + [IndexKey(index: currentIndex)]
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        LSPAny.self, .init(codingPath: path, debugDescription: "array has only \(elements.count) elements"))
    }
    defer { currentIndex += 1 }
    return (elements[currentIndex], path)
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd else { return false }
    if elements[currentIndex].isNull {
      currentIndex += 1
      return true
    }
    return false
  }

  mutating func decode(_ type: Bool.Type) throws -> Bool {
    let (value, path) = try next()
    return try decodeBool(value, path)
  }
  mutating func decode(_ type: String.Type) throws -> String {
    let (value, path) = try next()
    return try decodeString(value, path)
  }
  mutating func decode(_ type: Double.Type) throws -> Double {
    let (value, path) = try next()
    return try decodeFloatingPoint(value, path)
  }
  mutating func decode(_ type: Float.Type) throws -> Float {
    let (value, path) = try next()
    return Float(try decodeFloatingPoint(value, path))
  }
  mutating func decode(_ type: Int.Type) throws -> Int {
    let (value, path) = try next()
    return try decodeInteger(type, value, path)
  }
  mutating func decode(_ type: Int8.Type) throws -> Int8 {
    let (value, path) = try next()
    return try decodeInteger(type, value, path)
  }
  mutating func decode(_ type: Int16.Type) throws -> Int16 {
    let (value, path) = try next()
    return try decodeInteger(type, value, path)
  }
  mutating func decode(_ type: Int32.Type) throws -> Int32 {
    let (value, path) = try next()
    return try decodeInteger(type, value, path)
  }
  mutating func decode(_ type: Int64.Type) throws -> Int64 {
    let (value, path) = try next()
    return try decodeInteger(type, value, path)
  }
  mutating func decode(_ type: UInt.Type) throws -> UInt {
    let (value, path) = try next()
    return try decodeInteger(type, value, path)
  }
  mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
    let (value, path) = try next()
    return try decodeInteger(type, value, path)
  }
  mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
    let (value, path) = try next()
    return try decodeInteger(type, value, path)
  }
  mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
    let (value, path) = try next()
    return try decodeInteger(type, value, path)
  }
  mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
    let (value, path) = try next()
    return try decodeInteger(type, value, path)
  }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let (value, path) = try next()
    return try decodeValue(type, from: value, codingPath: path)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy type: NestedKey.Type
  ) throws -> KeyedDecodingContainer<NestedKey> {
    let (value, path) = try next()
    return try ValueDecoder(currentValue: value, codingPath: path).container(keyedBy: type)
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    let (value, path) = try next()
    return try ValueDecoder(currentValue: value, codingPath: path).unkeyedContainer()
  }

  mutating func superDecoder() throws -> any Decoder {
    let (value, path) = try next()
    return ValueDecoder(currentValue: value, codingPath: path)
  }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
  let value: LSPAny
  let codingPath: [any CodingKey]

  func decodeNil() -> Bool { value.isNull }
  func decode(_ type: Bool.Type) throws -> Bool { try decodeBool(value, codingPath) }
  func decode(_ type: String.Type) throws -> String { try decodeString(value, codingPath) }
  func decode(_ type: Double.Type) throws -> Double { try decodeFloatingPoint(value, codingPath) }
  func decode(_ type: Float.Type) throws -> Float { Float(try decodeFloatingPoint(value, codingPath)) }
  func decode(_ type: Int.Type) throws -> Int { try decodeInteger(type, value, codingPath) }
  func decode(_ type: Int8.Type) throws -> Int8 { try decodeInteger(type, value, codingPath) }
  func decode(_ type: Int16.Type) throws -> Int16 { try decodeInteger(type, value, codingPath) }
  func decode(_ type: Int32.Type) throws -> Int32 { try decodeInteger(type, value, codingPath) }
  func decode(_ type: Int64.Type) throws -> Int64 { try decodeInteger(type, value, codingPath) }
  func decode(_ type: UInt.Type) throws -> UInt { try decodeInteger(type, value, codingPath) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeInteger(type, value, codingPath) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeInteger(type, value, codingPath) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeInteger(type, value, codingPath) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeInteger(type, value, codingPath) }
  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try decodeValue(type, from: value, codingPath: codingPath)
  }
}
