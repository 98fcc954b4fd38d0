import SliceSyntax

/// One step from a value to a value inside it.
public enum InstancePathComponent: Sendable, Hashable, CustomStringConvertible {
  case key(String)
  case index(Int)

  public var description: String {
    switch self {
    case .key(let name): return name
    case .index(let index): return String(index)
    }
  }
}

extension Node {
  /// The node at an instance path below this one (the last entry of a duplicated key, as the
  /// value holds it), nil when the path leaves the tree.
  public func node(at path: some Sequence<InstancePathComponent>) -> Node? {
    var node = self
    for component in path {
      switch component {
      case .key(let name):
        guard let child = node.lookup(name) else { return nil }
        node = child
      case .index(let index):
        guard let items = node.items, items.indices.contains(index) else { return nil }
        node = items[index]
      }
    }
    return node
  }
}

extension Value {
  /// The value at an instance path below this one (the last member of a duplicated key), nil
  /// when the path leaves the value.
  public func value(at path: some Sequence<InstancePathComponent>) -> Value? {
    var value = self
    for component in path {
      switch component {
      case .key(let name):
        guard let member = value.members?.last(where: { $0.key.isString(name) }) else { return nil }
        value = member.value
      case .index(let index):
        guard let elements = value.elements, elements.indices.contains(index) else { return nil }
        value = elements[index]
      }
    }
    return value
  }
}

extension Array where Element == InstancePathComponent {
  /// A readable path (`content[0].name`, or `(root)`).
  public var readable: String {
    if isEmpty { return "(root)" }
    var text = ""
    for component in self {
      switch component {
      case .key(let name): text += text.isEmpty ? name : "." + name
      case .index(let index): text += "[\(index)]"
      }
    }
    return text
  }
}

/// A value that does not satisfy its schema, located in the instance and in the schema.
public struct SchemaViolation: Sendable, Hashable {
  /// Stable code: `schema-type`, `schema-required`, … (pydantic-layer codes carry pydantic's error type).
  public var code: String
  public var message: String
  public var severity: Finding.Severity
  /// The byte range of the offending value (or key) in the instance.
  public var instanceRange: ByteRange
  public var instancePath: [InstancePathComponent]
  /// The keyword's location along the evaluation path (`/properties/size/$ref/minimum`).
  public var keywordLocation: String
  /// The schema object holding the keyword.
  public var schema: SchemaID?
  public var keyword: String

  public init(
    code: String, message: String, severity: Finding.Severity = .error, instanceRange: ByteRange,
    instancePath: [InstancePathComponent], keywordLocation: String, schema: SchemaID?, keyword: String
  ) {
    self.code = code
    self.message = message
    self.severity = severity
    self.instanceRange = instanceRange
    self.instancePath = instancePath
    self.keywordLocation = keywordLocation
    self.schema = schema
    self.keyword = keyword
  }
}

extension SchemaSet {
  /// Where a schema keyword is written, for related information and go to definition.
  public func location(of schema: SchemaID, keyword: String? = nil) -> (path: String?, uri: String, range: ByteRange) {
    let compiled = self[schema]
    let document = documents[compiled.source.document]
    let range = keyword.flatMap { compiled.keywordKeyRanges[$0] } ?? compiled.source.range
    return (document.filePath, document.uri, range)
  }

  /// The violation as a finding of the instance's file, with the schema keyword as related information.
  public func finding(for violation: SchemaViolation) -> Finding {
    var related: [Finding.Related] = []
    if let schema = violation.schema, !self[schema].isCycleBreaker {
      let location = location(of: schema, keyword: violation.keyword)
      related.append(
        Finding.Related(
          path: location.path ?? location.uri, range: location.range,
          message: "'\(violation.keyword)' in the schema (\(violation.keywordLocation.isEmpty ? "#" : violation.keywordLocation))"))
    }
    return Finding(
      range: violation.instanceRange, severity: violation.severity, code: violation.code, message: violation.message,
      related: related)
  }
}
