import SliceSyntax

/// How pydantic reads a schema object: the Python type behind the JSON Schema pydantic wrote.
/// The exposed slice schemas are `model_json_schema()` output, so each object maps back to one
/// field type (a model, a list, an `Optional`, a `Literal`, a discriminated union, …).
enum PydanticKind: Sendable {
  case any
  case never
  /// A bare `$ref` (or single `allOf`) with annotations beside it.
  case alias(SchemaID)
  /// `Optional[X]`: `anyOf: [X, {type: null}]`.
  case nullable(SchemaID)
  /// `Optional[Union[…]]`.
  case nullableUnion([SchemaID])
  /// A smart-mode `Union`.
  case union([SchemaID])
  /// A discriminated union (`oneOf` + `discriminator`).
  case tagged(SchemaDiscriminator, [SchemaID])
  /// `Literal[…]` (isEnum false) or an `Enum` class (true): the two error differently.
  case literal([Value], isEnum: Bool)
  case string(format: String?)
  case integer
  case number
  case boolean
  case null
  case list
  case tuple
  case set
  case dict
  case model
  /// `type: [..]` with several types (hand-written schemas).
  case multiType(JSONTypeSet)

  static func classify(_ schema: CompiledSchema, in set: SchemaSet) -> PydanticKind {
    if let flag = schema.boolean { return flag ? .any : .never }
    let alternatives = !schema.oneOf.isEmpty ? schema.oneOf : schema.anyOf
    if let discriminator = schema.discriminator, !alternatives.isEmpty {
      return .tagged(discriminator, alternatives)
    }
    if !alternatives.isEmpty {
      let nonNull = alternatives.filter { !isNullSchema(set[$0]) }
      if nonNull.count < alternatives.count {
        if nonNull.isEmpty { return .null }
        return nonNull.count == 1 ? .nullable(nonNull[0]) : .nullableUnion(nonNull)
      }
      return alternatives.count == 1 ? .alias(alternatives[0]) : .union(alternatives)
    }
    if schema.hasConst, let value = schema.constValue { return .literal([value], isEnum: false) }
    if let values = schema.enumValues { return .literal(values, isEnum: schema.definitionName != nil) }
    if let types = schema.types {
      switch types {
      case .string: return .string(format: schema.format)
      case .integer: return .integer
      case .number: return .number
      case .boolean: return .boolean
      case .null: return .null
      case .array:
        if !schema.prefixItems.isEmpty { return .tuple }
        return schema.uniqueItems ? .set : .list
      case .object:
        return schema.keywordKeyRanges["properties"] != nil ? .model : .dict
      default:
        return .multiType(types)
      }
    }
    if let reference = schema.ref { return .alias(reference) }
    if schema.allOf.count == 1 { return .alias(schema.allOf[0]) }
    if schema.keywordKeyRanges["properties"] != nil { return .model }
    return .any
  }

  /// For every alias, the end of its chain of aliases (nil for other kinds). A chain of bare
  /// references is one step for the validator, however long: followed one link at a time, a
  /// 10 000-link chain reads as runaway recursion. Linear in the number of schemas; the loader
  /// has already cut reference cycles, and a cycle met anyway is left to the depth limit.
  static func aliasChainEnds(_ kinds: [PydanticKind]) -> [SchemaID?] {
    var ends = [SchemaID?](repeating: nil, count: kinds.count)
    for start in kinds.indices where ends[start] == nil {
      guard case .alias = kinds[start] else { continue }
      var chain: [Int] = []
      var onChain: Set<Int> = []
      var current = start
      while ends[current] == nil, case .alias(let next) = kinds[current], next.index >= 0, next.index < kinds.count,
        onChain.insert(current).inserted
      {
        chain.append(current)
        current = next.index
      }
      if onChain.contains(current) { continue }
      let end = ends[current] ?? SchemaID(current)
      for index in chain { ends[index] = end }
    }
    return ends
  }

  static func isNullSchema(_ schema: CompiledSchema) -> Bool {
    schema.types == .null && schema.ref == nil && schema.anyOf.isEmpty && schema.oneOf.isEmpty
  }
}
