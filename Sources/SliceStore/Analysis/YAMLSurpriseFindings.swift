import SliceSchema
import SliceSyntax

/// YAML 1.1 readings that surprise people (`no` is false, `1:30` is 90, `017` is 15,
/// `2024-01-31` is a date): where the value is then rejected, an information next to the error
/// says why; where it is accepted, a hint says what the compile reads.
///
/// Where the schema wants exactly what YAML read (`dhcp: yes` on a boolean, a date on a date
/// field) nothing surprises; under a property the schema does not know, its own finding is the
/// one that matters. The quote fix is offered only where the schema takes a string.
enum YAMLSurpriseFindings {
  static func findings(
    in root: Node, source: [UInt8], errorRanges: Set<ByteRange>, query: SchemaQuery?, unknownKeyRanges: Set<ByteRange>
  ) -> [Finding] {
    var result: [Finding] = []
    // Each node's step from its parent, linked to the parent's: a path is spelled out only for
    // the rare surprising scalar, never copied for every node of a large slice.
    var steps: [(component: InstancePathComponent, parent: Int)] = []
    func path(_ step: Int) -> [InstancePathComponent] {
      var components: [InstancePathComponent] = []
      var current = step
      while current >= 0 {
        components.append(steps[current].component)
        current = steps[current].parent
      }
      return components.reversed()
    }
    var pending: [(node: Node, step: Int)] = [(root, -1)]
    while let (node, step) = pending.popLast() {
      switch node.kind {
      case .mapping(let entries):
        for entry in entries {
          guard let name = entry.keyString else { continue }
          if !unknownKeyRanges.isEmpty, unknownKeyRanges.contains(entry.key.range) { continue }
          steps.append((.key(name), step))
          pending.append((entry.value, steps.count - 1))
        }
      case .sequence(let items):
        for (index, item) in items.enumerated() {
          steps.append((.index(index), step))
          pending.append((item, steps.count - 1))
        }
      case .scalar(let scalar):
        guard let surprise = node.yaml?.surprise, node.yaml?.alias == nil, let reading = describe(scalar, surprise) else { continue }
        // No schema at the place (a permissive one): anything goes, as without a schema.
        let admitted = query?.admittedScalars(at: path(step), in: root) ?? .all
        let readKind = kind(of: scalar)
        if admitted.contains(readKind), !admitted.contains(.text), readKind != .number { continue }
        let range = node.range
        let written = String(decoding: source[range.clamped(to: 0..<source.count)], as: UTF8.self)
        let rejected = errorRanges.contains(range)
        let quotes = admitted.contains(.text)
        result.append(
          Finding(
            range: range, severity: rejected ? .information : .hint, code: .yaml11Value,
            message: "YAML 1.1 reads \(written) as \(reading)"
              + (quotes ? ": write '\(written)' in quotes if you mean the string" : ""),
            fixes: quotes
              ? [Finding.Fix(title: "Quote '\(written)'", edits: [TextEdit(range: range, newText: "'\(written)'")], isPreferred: rejected)]
              : []))
      }
    }
    return result
  }

  private static func kind(of scalar: Scalar) -> AdmittedScalars {
    switch scalar {
    case .boolean: return .boolean
    case .integer, .float: return .number
    case .date, .datetime: return .date
    case .string, .null: return .text
    }
  }

  private static func describe(_ scalar: Scalar, _ surprise: YAMLSurprise) -> String? {
    switch (surprise, scalar) {
    case (.booleanWord, .boolean(let flag)): return flag ? "true" : "false"
    case (.octal, .integer(let number)): return "the octal number \(number)"
    case (.sexagesimal, .integer(let number)): return "the base-60 number \(number)"
    case (.sexagesimal, .float(let number)): return "the base-60 number \(number)"
    case (.timestamp, .date): return "a date"
    case (.timestamp, .datetime): return "a date and time"
    default: return nil
    }
  }
}
