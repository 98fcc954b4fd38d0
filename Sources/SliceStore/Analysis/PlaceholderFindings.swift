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
        guard holds(needle, text) else { continue }
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

  /// Whether `text` holds `needle`, compared as UTF-8 bytes: Foundation's `contains` compares
  /// by characters and was a tenth of a whole `check`, for a needle that is plain ASCII.
  static func holds(_ needle: [UInt8], _ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in firstOffset(of: needle, in: bytes, within: 0..<bytes.count) != nil }
  }

  static func placeRange(of needle: [UInt8], in range: ByteRange, source: [UInt8]) -> ByteRange {
    guard range.lowerBound >= 0, range.upperBound <= source.count else { return range }
    let start = source.withUnsafeBufferPointer { firstOffset(of: needle, in: $0, within: range) }
    return start.map { $0..<($0 + needle.count) } ?? range
  }

  private static func firstOffset(of needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, within range: Range<Int>) -> Int? {
    guard let first = needle.first, range.count >= needle.count else { return nil }
    var start = range.lowerBound
    while start + needle.count <= range.upperBound {
      if bytes[start] == first, UnsafeBufferPointer(rebasing: bytes[start..<(start + needle.count)]).elementsEqual(needle) {
        return start
      }
      start += 1
    }
    return nil
  }
}
