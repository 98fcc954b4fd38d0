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
