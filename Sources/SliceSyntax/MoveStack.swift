/// A stack whose top elements move out into an array without copying them one by one (no
/// retain/release per element, one allocation per collection).
final class MoveStack<Element> {
  private var base: UnsafeMutablePointer<Element>
  private var capacity: Int
  private(set) var count = 0

  init(capacity: Int = 1024) {
    self.capacity = capacity
    base = .allocate(capacity: capacity)
  }

  deinit {
    base.deinitialize(count: count)
    base.deallocate()
  }

  @inline(__always)
  func push(_ element: consuming Element) {
    if count == capacity { grow() }
    (base + count).initialize(to: element)
    count += 1
  }

  @inline(__always)
  func pop() -> Element {
    precondition(count > 0, "pop from an empty stack")
    count -= 1
    return (base + count).move()
  }

  /// The elements from `start` to the top, in place.
  func withElements<Result>(from start: Int, _ body: (UnsafeBufferPointer<Element>) -> Result) -> Result {
    body(UnsafeBufferPointer(start: base + start, count: max(0, count - start)))
  }

  /// The storage from `start` on, for callers that move elements out themselves and then call
  /// `forget(downTo:dropping:)`.
  func withUnsafeElements<Result>(from start: Int, _ body: (UnsafeMutablePointer<Element>) -> Result) -> Result {
    body(base + start)
  }

  /// After the elements in `start..<movedEnd` were moved out: destroys any above them and
  /// shrinks the stack to `start`.
  func forget(downTo movedEnd: Int, dropping start: Int) {
    if movedEnd < count { (base + movedEnd).deinitialize(count: count - movedEnd) }
    count = start
  }

  /// Drops the elements from `start` to the top.
  func truncate(to start: Int) {
    guard start < count else { return }
    (base + start).deinitialize(count: count - start)
    count = start
  }

  /// Removes the elements from `start` to the top and returns them in order.
  func take(from start: Int) -> [Element] {
    let taken = count - start
    guard taken > 0 else { return [] }
    let source = base + start
    let result = [Element](unsafeUninitializedCapacity: taken) { buffer, initialized in
      if let target = buffer.baseAddress { target.moveInitialize(from: source, count: taken) }
      initialized = taken
    }
    count = start
    return result
  }

  private func grow() {
    let newCapacity = capacity * 2
    let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    newBase.moveInitialize(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }
}

extension MoveStack where Element == Node {
  /// Removes the nodes from `start` to the top, keys and values alternating, and returns them as
  /// mapping entries (each node moves once, straight into its entry).
  func takeEntries(from start: Int) -> [MappingEntry] {
    let pairs = (count - start) / 2
    guard pairs > 0 else {
      truncate(to: start)
      return []
    }
    let result = withUnsafeElements(from: start) { source in
      [MappingEntry](unsafeUninitializedCapacity: pairs) { buffer, initialized in
        guard let target = buffer.baseAddress else { return }
        for index in 0..<pairs {
          (target + index).initialize(
            to: MappingEntry(key: (source + 2 * index).move(), value: (source + 2 * index + 1).move()))
        }
        initialized = pairs
      }
    }
    forget(downTo: start + 2 * pairs, dropping: start)
    return result
  }
}
