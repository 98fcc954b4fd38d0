import SliceSchema
import SliceSyntax

/// "Remove unknown property" on `unknown-property` findings: the edit that takes the whole entry
/// out of the file (its line or lines with a block value under it; in a flow mapping or JSON
/// object the member with its comma), so that the file says what the update compile keeps.
enum UnknownPropertyFixes {
  static func attaching(to findings: [Finding], document: TextDocument, root: Node) -> [Finding] {
    let keyRanges = Set(findings.filter { $0.code == FindingCode.unknownProperty.rawValue }.map(\.range))
    guard !keyRanges.isEmpty else { return findings }
    var removals: [ByteRange: TextEdit] = [:]
    var pending = [root]
    while let node = pending.popLast() {
      switch node.kind {
      case .mapping(let entries):
        for (index, entry) in entries.enumerated() {
          if keyRanges.contains(entry.key.range), let edit = removal(of: index, in: node, entries: entries, document: document) {
            removals[entry.key.range] = edit
          }
          pending.append(entry.value)
        }
      case .sequence(let items):
        pending += items
      case .scalar:
        break
      }
    }
    return findings.map { finding in
      guard finding.code == FindingCode.unknownProperty.rawValue, let edit = removals[finding.range] else { return finding }
      var result = finding
      // A close name makes renaming the likely intent; without one, removing is the fix.
      result.fixes.append(Finding.Fix(title: "Remove unknown property", edits: [edit], isPreferred: finding.fixes.isEmpty))
      return result
    }
  }

  static func removal(of index: Int, in mapping: Node, entries: [MappingEntry], document: TextDocument) -> TextEdit? {
    let entry = entries[index]
    let entryEnd = max(entry.key.range.upperBound, entry.value.range.upperBound)
    let next = index + 1 < entries.count ? entries[index + 1] : nil
    guard mapping.style == .blockMapping else {
      // A flow mapping or a JSON object: the member and one comma next to it.
      if let next { return TextEdit(range: entry.key.range.lowerBound..<next.key.range.lowerBound, newText: "") }
      if index > 0 {
        let previous = entries[index - 1]
        let previousEnd = max(previous.key.range.upperBound, previous.value.range.upperBound)
        return TextEdit(range: previousEnd..<entryEnd, newText: "")
      }
      return TextEdit(range: entry.key.range.lowerBound..<entryEnd, newText: "")
    }
    let bytes = document.bytes
    let firstLine = document.line(containing: entry.key.range.lowerBound)
    let lineStart = document.lineRange(firstLine).lowerBound
    let startsLine = bytes[lineStart..<entry.key.range.lowerBound].allSatisfy { $0 == 0x20 }
    guard startsLine else {
      // `- unknown: x` opens a list item: the next entry takes its place after the dash.
      guard let next else { return nil }
      return TextEdit(range: entry.key.range.lowerBound..<next.key.range.lowerBound, newText: "")
    }
    // A block value ends after its last line break; a scalar ends inside its line.
    let lastLine = document.line(containing: entryEnd > entry.key.range.upperBound && bytes[entryEnd - 1] == 0x0A ? entryEnd - 1 : entryEnd)
    var end = document.lineRange(lastLine).upperBound
    if let next { end = min(end, document.lineRange(document.line(containing: next.key.range.lowerBound)).lowerBound) }
    return TextEdit(range: lineStart..<max(end, entryEnd), newText: "")
  }
}
