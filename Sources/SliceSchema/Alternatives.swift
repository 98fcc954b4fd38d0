import SliceSyntax

/// Picks the alternative of an `anyOf`/`oneOf` a value was meant for, the way pydantic does for
/// discriminated unions: by the discriminator, else by a `const` property the value matches,
/// else by the only alternative of the value's JSON type.
struct AlternativeChooser {
  let set: SchemaSet

  enum Choice {
    case member(Int)
    /// The value cannot be attributed to any alternative for a reason worth saying directly.
    case failure(code: FindingCode, message: String)
  }

  func preferred(_ schema: CompiledSchema, _ members: [SchemaID], _ node: Node) -> Choice? {
    if let discriminator = schema.discriminator, !discriminator.mapping.isEmpty, node.entries != nil {
      let tags = MessageBounds.list(discriminator.mapping) { PythonText.repr(string: MessageBounds.clipped($0.tag)) }
      guard let tagNode = node.lookup(discriminator.propertyName) else {
        return .failure(
          code: .schemaDiscriminator,
          message: "missing the discriminator property '\(discriminator.propertyName)' (one of \(tags))")
      }
      if case .string(let tag)? = tagNode.scalar, let target = discriminator.mapping.first(where: { $0.tag == tag })?.schema {
        if let index = members.firstIndex(where: { $0 == target || followRefs($0) == followRefs(target) }) {
          return .member(index)
        }
      }
      let found = tagNode.scalar.map(renderScalar) ?? describeType(of: tagNode)
      return .failure(
        code: .schemaDiscriminator,
        message: "\(found) is not a valid '\(discriminator.propertyName)': expected one of \(tags)")
    }
    if node.entries != nil, let index = memberByConstProperty(members, node) {
      return .member(index)
    }
    let typed = members.enumerated().filter { _, member in
      guard let types = effectiveTypes(member) else { return true }
      return jsonType(of: node, matches: types)
    }
    if typed.count == 1, let only = typed.first { return .member(only.offset) }
    return nil
  }

  /// The member one of whose `const` (or single `enum`) properties the value carries.
  func memberByConstProperty(_ members: [SchemaID], _ node: Node) -> Int? {
    for (index, member) in members.enumerated() {
      let target = set[followRefs(member)]
      for (name, propertyID) in target.properties {
        let property = set[followRefs(propertyID)]
        let expected: Value?
        if property.hasConst {
          expected = property.constValue
        } else if let values = property.enumValues, values.count == 1 {
          expected = values.first
        } else {
          expected = nil
        }
        guard let expected, let actual = node.lookup(name) else { continue }
        if jsonEquals(actual, expected) { return index }
      }
    }
    return nil
  }

  func followRefs(_ id: SchemaID) -> SchemaID {
    var current = id
    var steps = 0
    while let next = set[current].ref, steps < 64 {
      let schema = set[current]
      // Only a bare reference (pydantic's style) is transparent.
      if schema.types != nil || !schema.properties.isEmpty { break }
      current = next
      steps += 1
    }
    return current
  }

  /// The JSON types a schema admits, looking through references; nil when unconstrained.
  func effectiveTypes(_ id: SchemaID) -> JSONTypeSet? {
    let schema = set[followRefs(id)]
    if let types = schema.types { return types }
    if schema.hasConst, let value = schema.constValue { return typeSet(of: value) }
    if let values = schema.enumValues {
      var union: JSONTypeSet = []
      for value in values { union.formUnion(typeSet(of: value)) }
      return union
    }
    if !schema.properties.isEmpty { return .object }
    return nil
  }

  func typeSet(of value: Value) -> JSONTypeSet {
    switch value {
    case .object: return .object
    case .array: return .array
    case .scalar(let scalar):
      switch scalar {
      case .null: return .null
      case .boolean: return .boolean
      case .integer: return [.integer, .number]
      case .float: return .number
      default: return .string
      }
    }
  }

  /// A short description of what an alternative expects.
  func describe(_ id: SchemaID) -> String {
    let schema = set[followRefs(id)]
    if let title = schema.title, !schema.properties.isEmpty { return title }
    if schema.hasConst, let value = schema.constValue { return renderValue(value) }
    if let values = schema.enumValues { return MessageBounds.list(values, separator: " or ", render: renderValue) }
    if let types = schema.types { return SliceSchema.describe(types) }
    if let title = schema.title { return title }
    if schema.boolean == false { return "nothing" }
    return "a value matching alternative \(schema.source.pointer)"
  }
}

/// Near-miss names ranked by edit distance, for "did you mean".
public enum NameSuggestions {
  /// Candidates close enough to `name` to be a typo of it, best first.
  /// Candidates looked at: a list from the schema can hold a million names, and a suggestion
  /// must not cost a second per finding.
  static let maximumCandidates = 10_000
  /// Names longer than this are not compared (the distance is quadratic in the length).
  static let maximumLength = 256

  public static func ranked(_ name: String, among candidates: [String]) -> [String] {
    let lowered = name.lowercased()
    let nameCount = name.count
    let loweredScalars = lowered.unicodeScalars.count
    guard nameCount <= maximumLength else { return [] }
    var scored: [(String, Int)] = []
    for candidate in candidates.prefix(maximumCandidates) where candidate != name {
      let candidateCount = candidate.count
      guard candidateCount <= maximumLength else { continue }
      let loweredCandidate = candidate.lowercased()
      let limit = max(1, min(3, max(nameCount, candidateCount) / 3))
      let related =
        candidateCount >= 4 && nameCount >= 4
        && (loweredCandidate.hasPrefix(lowered) || lowered.hasPrefix(loweredCandidate))
      // The distance is at least the difference in length: skip what cannot be close.
      if !related && abs(loweredScalars - loweredCandidate.unicodeScalars.count) > limit { continue }
      let distance = editDistance(lowered, loweredCandidate)
      let caseOnly = distance == 0
      if caseOnly || distance <= limit || related {
        scored.append((candidate, caseOnly ? 0 : distance))
      }
    }
    return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.map(\.0)
  }

  /// Optimal string alignment distance (Levenshtein with adjacent transpositions).
  public static func editDistance(_ left: String, _ right: String) -> Int {
    let a = Array(left.unicodeScalars)
    let b = Array(right.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    // Filled by a loop: `Array(0...b.count)` goes through generic iteration, a quarter of the
    // time of a check with 100 000 unknown keys in a debug build.
    var previous = [Int](repeating: 0, count: b.count + 1)
    for j in 1...b.count { previous[j] = j }
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          current[j] = min(current[j], previousPrevious[j - 2] + 1)
        }
      }
      previousPrevious = previous
      previous = current
    }
    return previous[b.count]
  }
}
