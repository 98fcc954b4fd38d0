import SliceSchema
import SliceSyntax

/// The scaffold placeholder (`<REPLACE_THIS>`, what `slicels new` and the module's slice-create
/// write for required properties) left in a source slice: an error, and sync refuses to
/// activate the slice, where the reference would activate the placeholder as a value.
public enum PlaceholderFindings {
  public static let placeholder = SliceValidationOptions().placeholder

  /// One error per string (key or value) holding the placeholder, at the placeholder itself
  /// when the text spells it literally, else at the whole scalar.
  public static func findings(in root: Node, source: [UInt8]) -> [Finding] {
    let needle = Array(placeholder.utf8)
    var findings: [Finding] = []
    // A stack, not recursion: hostile files nest deeper than the thread's stack allows.
    var pending: [Node] = [root]
    while let node = pending.popLast() {
      switch node.kind {
      case .mapping(let entries):
        for entry in entries.reversed() {
          pending.append(entry.value)
          pending.append(entry.key)
        }
      case .sequence(let items):
        pending.append(contentsOf: items.reversed())
      case .scalar(.string(let text)):
        guard text.contains(placeholder) else { continue }
        findings.append(
          Finding(
            range: placeRange(of: needle, in: node.range, source: source), severity: .error, code: .placeholder,
            message:
              "'\(placeholder)' is the placeholder `slicels new` writes: replace it with the real value (sync refuses to activate a slice that holds it)"
          ))
      case .scalar:
        continue
      }
    }
    return findings
  }

  static func placeRange(of needle: [UInt8], in range: ByteRange, source: [UInt8]) -> ByteRange {
    guard range.lowerBound >= 0, range.upperBound <= source.count, range.count >= needle.count, !needle.isEmpty else {
      return range
    }
    var start = range.lowerBound
    while start + needle.count <= range.upperBound {
      if source[start] == needle[0], source[start..<(start + needle.count)].elementsEqual(needle) {
        return start..<(start + needle.count)
      }
      start += 1
    }
    return range
  }
}
