import Foundation
import SliceSyntax

/// Content fingerprints: what the incremental analysis compares to decide that an input did not
/// change. Never time stamps (an unsaved buffer and the file on disk are told apart by content).
enum Fingerprint {
  static func of(_ bytes: [UInt8]) -> Int {
    var hasher = Hasher()
    hasher.combine(bytes.count)
    bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    return hasher.finalize()
  }

  static func of(_ text: String) -> Int {
    var hasher = Hasher()
    hasher.combine(text)
    return hasher.finalize()
  }

  /// Whether two values are the same as written down: same kinds of scalars (`1` is not `1.0`
  /// nor `true`), same key order. Stricter than `==` (Python's equality), because a plan's
  /// paths and messages print values: reusing a plan needs the very same data. Iterative, so a
  /// deeply nested slice cannot exhaust a worker thread's stack.
  static func identical(_ left: Value, _ right: Value) -> Bool {
    var pending: [(Value, Value)] = [(left, right)]
    while let (a, b) = pending.popLast() {
      switch (a, b) {
      case (.scalar(let x), .scalar(let y)):
        guard x == y else { return false }
      case (.array(let x), .array(let y)):
        guard x.count == y.count else { return false }
        pending.append(contentsOf: zip(x, y))
      case (.object(let x), .object(let y)):
        guard x.count == y.count else { return false }
        for (m, n) in zip(x, y) {
          guard m.key.scalar == n.key.scalar else { return false }
          pending.append((m.value, n.value))
        }
      default:
        return false
      }
    }
    return true
  }
}

extension URL {
  /// `standardizedFileURL`, without its cost for paths that are standard already (no `.` or `..`
  /// component, no doubled slash): the analysis builds a URL per file of every slice it reads.
  var standardFile: URL {
    let path = self.path
    if isFileURL, !path.contains("/."), !path.contains("//") { return self }
    return standardizedFileURL
  }

  /// The standard file URL of a path.
  static func standardFile(_ path: String) -> URL {
    URL(fileURLWithPath: path).standardFile
  }
}
