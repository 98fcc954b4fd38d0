import Foundation

/// A flag that is set once, from any thread.
final class LockedFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false

  var isSet: Bool {
    lock.lock()
    defer { lock.unlock() }
    return value
  }

  /// Sets the flag; true if this call set it.
  @discardableResult
  func set() -> Bool {
    lock.lock()
    defer { lock.unlock() }
    if value { return false }
    value = true
    return true
  }
}

final class LockedCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0

  func next() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}

/// Holds the message loop while a handler runs; opened when the handler finishes or lets later
/// messages proceed, whichever comes first.
final class OrderGate: @unchecked Sendable {
  private let lock = NSLock()
  private var isOpen = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  func open() {
    lock.lock()
    let toResume = isOpen ? [] : waiters
    isOpen = true
    waiters = []
    lock.unlock()
    for waiter in toResume { waiter.resume() }
  }

  func wait() async {
    await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
      lock.lock()
      if isOpen {
        lock.unlock()
        waiter.resume()
      } else {
        waiters.append(waiter)
        lock.unlock()
      }
    }
  }
}
