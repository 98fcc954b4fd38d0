import Locking

/// Holds the message loop while a handler runs; opened when the handler finishes or lets later
/// messages proceed, whichever comes first.
final class OrderGate: Sendable {
  private struct State {
    var isOpen = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }

  private let state = Locked(State())

  func open() {
    let toResume = state.withLock { state in
      defer {
        state.isOpen = true
        state.waiters = []
      }
      return state.isOpen ? [] : state.waiters
    }
    for waiter in toResume { waiter.resume() }
  }

  func wait() async {
    await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
      let isOpen = state.withLock { state in
        if !state.isOpen { state.waiters.append(waiter) }
        return state.isOpen
      }
      if isOpen { waiter.resume() }
    }
  }
}
