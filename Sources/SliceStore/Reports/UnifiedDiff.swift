/// A unified diff (`diff -u`, what `patch` and `git apply` read) of two versions of a file.
public enum UnifiedDiff {
  /// Lines of context around each change.
  public static let contextLines = 3
  /// The longest-common-subsequence table is bounded (lines × lines): beyond it, the part
  /// between the common head and tail is shown replaced as a whole, still a correct diff.
  static let maximumTableCells = 4_000_000

  enum Operation: Equatable {
    case same(old: Int, new: Int)
    case removed(old: Int)
    case added(new: Int)
  }

  /// The diff from `old` to `new` (nil: the file does not exist), labelled `a/<label>` and
  /// `b/<label>`; empty when they are the same.
  public static func text(old: [UInt8]?, new: [UInt8]?, label: String) -> String {
    guard old != new else { return "" }
    let oldLines = lines(old ?? [])
    let newLines = lines(new ?? [])
    // A last line without its newline differs from the same line with one.
    let operations = editScript(oldLines.map(\.comparedText), newLines.map(\.comparedText))
    var output = "--- \(old == nil ? "/dev/null" : "a/" + label)\n+++ \(new == nil ? "/dev/null" : "b/" + label)\n"
    for hunk in hunks(operations) {
      let oldStart = hunk.compactMap { operation -> Int? in
        switch operation {
        case .same(let index, _), .removed(let index): return index
        case .added: return nil
        }
      }
      let newStart = hunk.compactMap { operation -> Int? in
        switch operation {
        case .same(_, let index), .added(let index): return index
        case .removed: return nil
        }
      }
      output += "@@ -\(range(oldStart, emptyAfter: precedingIndex(hunk, old: true))) "
      output += "+\(range(newStart, emptyAfter: precedingIndex(hunk, old: false))) @@\n"
      for operation in hunk {
        let line: Line
        let marker: String
        switch operation {
        case .same(let index, _): (line, marker) = (oldLines[index], " ")
        case .removed(let index): (line, marker) = (oldLines[index], "-")
        case .added(let index): (line, marker) = (newLines[index], "+")
        }
        output += marker + line.text + "\n"
        if !line.endsWithNewline { output += "\\ No newline at end of file\n" }
      }
    }
    return output
  }

  struct Line {
    var text: String
    var endsWithNewline: Bool
    var comparedText: String { endsWithNewline ? text + "\n" : text }
  }

  static func lines(_ bytes: [UInt8]) -> [Line] {
    var result: [Line] = []
    var start = 0
    for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      result.append(Line(text: String(decoding: bytes[start..<index], as: UTF8.self), endsWithNewline: true))
      start = index + 1
    }
    if start < bytes.count {
      result.append(Line(text: String(decoding: bytes[start...], as: UTF8.self), endsWithNewline: false))
    }
    return result
  }

  /// `start,count` (1-based); an empty side names the line before it, as diff does.
  static func range(_ indices: [Int], emptyAfter preceding: Int) -> String {
    guard let first = indices.first else { return "\(preceding),0" }
    return indices.count == 1 ? "\(first + 1)" : "\(first + 1),\(indices.count)"
  }

  /// The 1-based number of the line just before the hunk on one side (0 at the top).
  static func precedingIndex(_ hunk: [Operation], old: Bool) -> Int {
    guard let first = hunk.first else { return 0 }
    switch first {
    case .same(let oldIndex, let newIndex): return old ? oldIndex : newIndex
    case .removed(let oldIndex): return old ? oldIndex : 0
    case .added(let newIndex): return old ? 0 : newIndex
    }
  }

  /// The operations grouped into hunks: changes with their context, merged when close.
  static func hunks(_ operations: [Operation]) -> [[Operation]] {
    let changed = operations.indices.filter {
      if case .same = operations[$0] { return false }
      return true
    }
    guard let firstChange = changed.first else { return [] }
    var ranges: [ClosedRange<Int>] = []
    var current = max(0, firstChange - contextLines)...min(operations.count - 1, firstChange + contextLines)
    for index in changed.dropFirst() {
      let start = max(0, index - contextLines)
      if start <= current.upperBound + 1 {
        current = current.lowerBound...min(operations.count - 1, index + contextLines)
      } else {
        ranges.append(current)
        current = start...min(operations.count - 1, index + contextLines)
      }
    }
    ranges.append(current)
    return ranges.map { Array(operations[$0]) }
  }

  /// A shortest edit script when the table fits, else the common head and tail around one
  /// replaced block.
  static func editScript(_ old: [String], _ new: [String]) -> [Operation] {
    var head = 0
    while head < old.count, head < new.count, old[head] == new[head] { head += 1 }
    var tail = 0
    while tail < old.count - head, tail < new.count - head, old[old.count - 1 - tail] == new[new.count - 1 - tail] { tail += 1 }
    var operations = (0..<head).map { Operation.same(old: $0, new: $0) }
    let oldMiddle = head..<(old.count - tail)
    let newMiddle = head..<(new.count - tail)
    if oldMiddle.count * newMiddle.count <= maximumTableCells {
      operations += commonSubsequenceScript(old, oldMiddle, new, newMiddle)
    } else {
      operations += oldMiddle.map { Operation.removed(old: $0) }
      operations += newMiddle.map { Operation.added(new: $0) }
    }
    operations += (0..<tail).map { Operation.same(old: old.count - tail + $0, new: new.count - tail + $0) }
    return operations
  }

  static func commonSubsequenceScript(_ old: [String], _ oldRange: Range<Int>, _ new: [String], _ newRange: Range<Int>)
    -> [Operation]
  {
    let rows = oldRange.count
    let columns = newRange.count
    // lengths[i * (columns + 1) + j]: the longest common subsequence of old[i...] and new[j...].
    var lengths = [Int32](repeating: 0, count: (rows + 1) * (columns + 1))
    if rows > 0 && columns > 0 {
      for i in stride(from: rows - 1, through: 0, by: -1) {
        for j in stride(from: columns - 1, through: 0, by: -1) {
          let cell = i * (columns + 1) + j
          lengths[cell] =
            old[oldRange.lowerBound + i] == new[newRange.lowerBound + j]
            ? lengths[cell + columns + 2] + 1
            : max(lengths[cell + columns + 1], lengths[cell + 1])
        }
      }
    }
    var operations: [Operation] = []
    var (i, j) = (0, 0)
    while i < rows || j < columns {
      if i < rows, j < columns, old[oldRange.lowerBound + i] == new[newRange.lowerBound + j] {
        operations.append(.same(old: oldRange.lowerBound + i, new: newRange.lowerBound + j))
        i += 1
        j += 1
      } else if j < columns, i == rows || lengths[(i + 1) * (columns + 1) + j] < lengths[i * (columns + 1) + j + 1] {
        operations.append(.added(new: newRange.lowerBound + j))
        j += 1
      } else {
        operations.append(.removed(old: oldRange.lowerBound + i))
        i += 1
      }
    }
    return operations
  }
}
