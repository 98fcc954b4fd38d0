import Foundation
import SliceSyntax

/// Validation recurses along the value; deep values (a hostile file nests a thousand levels) run
/// on a thread with a large stack instead of risking the caller's (often small) one.
enum LargeStack {
  /// Values nested deeper than this are validated on a dedicated thread.
  static let threshold = 48
  static let stackSize = 512 << 20

  /// `schemaChain`: the schema's longest in-place chain (`SchemaSet.longestInPlaceChain`); a
  /// shallow value can still recurse deep through a long chain of schemas.
  /// `nestingDepth`: the value's depth when the reader counted it (no walk is needed then).
  static func run<T>(
    for node: Node, nestingDepth: Int? = nil, schemaChain: Int = 0, _ body: @escaping @Sendable () -> T
  ) -> T {
    // Large documents always go to the big stack (a thread costs far less than walking them twice).
    func isDeep() -> Bool { nestingDepth.map { $0 > threshold } ?? exceedsThreshold(node) }
    guard node.range.count > 65_536 || schemaChain > threshold || isDeep() else { return body() }
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      box.value = body()
      done.signal()
    }
    thread.stackSize = stackSize
    thread.start()
    done.wait()
    guard let value = box.value else { return body() }
    return value
  }

  /// Whether the value nests deeper than `threshold` (iterative: the check must not recurse).
  static func exceedsThreshold(_ node: Node) -> Bool {
    var pending: [(Node, Int)] = [(node, 0)]
    while let (current, depth) = pending.popLast() {
      if depth > threshold { return true }
      switch current.kind {
      case .mapping(let entries):
        for entry in entries where !entry.value.isScalarNode { pending.append((entry.value, depth + 1)) }
      case .sequence(let items):
        for item in items where !item.isScalarNode { pending.append((item, depth + 1)) }
      case .scalar:
        break
      }
    }
    return false
  }
}

private final class ResultBox<T>: @unchecked Sendable {
  // Written by the worker thread before it signals, read after the wait.
  var value: T?
}

extension Node {
  var isScalarNode: Bool {
    if case .scalar = kind { return true }
    return false
  }
}
