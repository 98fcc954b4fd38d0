import SliceSyntax

/// YAML 1.1 readings that surprise people (`no` is false, `1:30` is 90, `017` is 15,
/// `2024-01-31` is a date): where the value is then rejected, an information next to the error
/// says why; where it is accepted, a hint says what the compile reads.
enum YAMLSurpriseFindings {
  static func findings(in root: Node, source: [UInt8], errorRanges: Set<ByteRange>) -> [Finding] {
    var result: [Finding] = []
    var pending = [root]
    while let node = pending.popLast() {
      switch node.kind {
      case .mapping(let entries):
        for entry in entries { pending.append(entry.value) }
      case .sequence(let items):
        pending += items
      case .scalar(let scalar):
        guard let surprise = node.yaml?.surprise, node.yaml?.alias == nil, let reading = describe(scalar, surprise) else { continue }
        let range = node.range
        let written = String(decoding: source[range.clamped(to: 0..<source.count)], as: UTF8.self)
        let rejected = errorRanges.contains(range)
        result.append(
          Finding(
            range: range, severity: rejected ? .information : .hint, code: .yaml11Value,
            message: "YAML 1.1 reads \(written) as \(reading): write '\(written)' in quotes if you mean the string",
            fixes: [
              Finding.Fix(title: "Quote '\(written)'", edits: [TextEdit(range: range, newText: "'\(written)'")], isPreferred: rejected)
            ]))
      }
    }
    return result
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
