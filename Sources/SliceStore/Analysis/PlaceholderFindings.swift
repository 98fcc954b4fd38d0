import Foundation
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
    guard mayHold(needle, source) else { return [] }
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

  /// Whether any string of the file can hold `needle`: a string's text is its bytes in the file
  /// (slice files are UTF-8) unless an escape (`\x3c`, `\u003c`, an escaped line break) makes
  /// it, so a file with neither the needle's bytes nor such an escape needs no walk of its tree
  /// (`memchr` scans instead of a look at every scalar of a large slice).
  static func mayHold(_ needle: [UInt8], _ source: [UInt8]) -> Bool {
    mayHold(anyOf: [needle], source)
  }

  /// `mayHold` for several needles: whether any of them may be some string of the file.
  static func mayHold(anyOf needles: [[UInt8]], _ source: [UInt8]) -> Bool {
    guard needles.allSatisfy({ !$0.isEmpty }) else { return true }
    return source.withUnsafeBufferPointer { bytes in
      guard let base = bytes.baseAddress else { return false }
      // Only `\x`, `\u`, `\U` (any character) and an escaped line break (joins two parts) can
      // spell it; the common `\n` or `\"` cannot.
      var escape = 0
      while escape < bytes.count, let found = memchr(base + escape, 0x5C, bytes.count - escape) {
        let offset = UnsafeRawPointer(found) - UnsafeRawPointer(base)
        guard offset + 1 < bytes.count else { return true }
        switch bytes[offset + 1] {
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"), 0x0A, 0x0D, 0x20, 0x09: return true
        default: escape = offset + 2
        }
      }
      return needles.contains { needle in occurs(needle, in: bytes) }
    }
  }

  /// Whether `needle` occurs in `bytes`: `memchr` to its least common byte, then `memcmp`
  /// (Glibc's `memmem` is not in the Swift module). Anchoring on a rare byte keeps the false
  /// starts few: a scan for `operation` from its `o` stopped at every `o` of the file.
  static func occurs(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress, !needle.isEmpty, needle.count <= bytes.count else { return needle.isEmpty }
    let anchor = needle.indices.min { rarity(needle[$0]) < rarity(needle[$1]) } ?? 0
    let anchorByte = Int32(needle[anchor])
    return needle.withUnsafeBytes { needleBytes in
      guard let needleBase = needleBytes.baseAddress else { return false }
      // The anchor's offsets where a whole needle fits around it.
      var start = anchor
      let end = bytes.count - (needle.count - anchor - 1)
      while start < end, let found = memchr(base + start, anchorByte, end - start) {
        let offset = UnsafeRawPointer(found) - UnsafeRawPointer(base)
        if memcmp(base + (offset - anchor), needleBase, needle.count) == 0 { return true }
        start = offset + 1
      }
      return false
    }
  }

  /// A byte's rank in how often it appears in slice files (lower: rarer), for `occurs`.
  private static func rarity(_ byte: UInt8) -> Int {
    // Letters from the rarest in English text to the most common; anything else (`_`, `<`,
    // digits, capitals) counts as rarer than any of them.
    letterFrequencyOrder.firstIndex(of: byte).map { $0 + 1 } ?? 0
  }

  private static let letterFrequencyOrder: [UInt8] = Array("zqxjkvbpygfwmucldrhsnioate".utf8)

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
