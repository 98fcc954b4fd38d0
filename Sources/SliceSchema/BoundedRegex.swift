import Foundation
import Locking

#if canImport(_FoundationICU)
import _FoundationICU
#endif

/// What running a pattern on a text found.
public enum PatternOutcome: Sendable, Hashable {
  case matched
  case notMatched
  /// The match engine gave up: the pattern backtracks too much on this text (ICU's step budget
  /// or its backtracking memory ran out). The text is neither accepted nor rejected.
  case tooCostly
  /// The pattern is not a regular expression in the dialect the match asked for (it loaded
  /// because the other dialect reads it). The text is neither accepted nor rejected.
  case unreadable
}

/// A regular expression whose every match runs within a step budget.
///
/// ICU backtracks: `(.*a){20}` on 34 characters takes seconds to fail, where pydantic-core's
/// linear engine answers at once. ICU's time limit counts match-engine steps (in units of 10 000
/// backtracking state saves), so the budget is deterministic and independent of the machine's
/// load: the same schema and text always give the same verdict.
final class BoundedRegex: @unchecked Sendable {
  // The compiled prototype is never matched on; matches use clones taken from `idle`
  // (an ICU matcher keeps its text and state, so one object cannot serve two threads).

  /// Budget units (10 000 steps each) every match gets, whatever the text's length.
  static let baseBudget: Int32 = 5
  /// UTF-16 units of text that earn one more budget unit: a linear engine's work grows with the
  /// text, so long legitimate values must not time out.
  static let unitsPerBudget = 1_000

  #if canImport(_FoundationICU)
  private let prototype: OpaquePointer
  private let idle = Locked<[OpaquePointer]>([])
  /// More idle clones than this are closed instead of kept (a burst of threads must not pin memory).
  private static let maximumIdle = 8

  /// Compiles an ICU pattern; throws when ICU rejects it.
  init(icuPattern: String) throws {
    var status = U_ZERO_ERROR
    let units = Array(icuPattern.utf16)
    guard units.count < Int(Int32.max) else { throw BoundedRegexError.invalidPattern }
    let compiled = units.withUnsafeBufferPointer { buffer in
      swift_uregex_open(buffer.baseAddress, Int32(buffer.count), 0, nil, &status)
    }
    guard let compiled, status.rawValue <= U_ZERO_ERROR.rawValue else {
      if let compiled { swift_uregex_close(compiled) }
      throw BoundedRegexError.invalidPattern
    }
    prototype = compiled
  }

  deinit {
    for matcher in idle.withLock({ $0 }) { swift_uregex_close(matcher) }
    swift_uregex_close(prototype)
  }

  /// Searches `text` for a match anywhere (ECMA-262 and pydantic patterns are not anchored).
  func firstMatch(in text: String) -> PatternOutcome {
    let length = text.utf16.count
    guard length < Int(Int32.max) else { return .tooCostly }
    guard let matcher = takeMatcher() else { return .tooCostly }
    defer { giveBack(matcher) }
    var status = U_ZERO_ERROR
    swift_uregex_setTimeLimit(matcher, Self.budget(forUTF16Length: length), &status)
    let found: Bool = withUnsafeTemporaryAllocation(of: UInt16.self, capacity: max(length, 1)) { buffer in
      var count = 0
      for unit in text.utf16 {
        buffer[count] = unit
        count += 1
      }
      swift_uregex_setText(matcher, buffer.baseAddress, Int32(count), &status)
      let result = swift_uregex_find(matcher, 0, &status) != 0
      // The buffer dies with this closure: leave the matcher pointing at nothing of it.
      var detachStatus = U_ZERO_ERROR
      swift_uregex_setText(matcher, buffer.baseAddress, 0, &detachStatus)
      return result
    }
    if status == U_REGEX_TIME_OUT || status == U_REGEX_STACK_OVERFLOW || status.rawValue > U_ZERO_ERROR.rawValue {
      return .tooCostly
    }
    return found ? .matched : .notMatched
  }

  /// The time limit ICU gets for a text of this many UTF-16 units.
  static func budget(forUTF16Length length: Int) -> Int32 {
    let extra = length / unitsPerBudget
    return Int32(clamping: Int(baseBudget) + extra)
  }

  private func takeMatcher() -> OpaquePointer? {
    if let reused = idle.withLock({ $0.popLast() }) { return reused }
    var status = U_ZERO_ERROR
    let clone = swift_uregex_clone(prototype, &status)
    guard status.rawValue <= U_ZERO_ERROR.rawValue else {
      if let clone { swift_uregex_close(clone) }
      return nil
    }
    return clone
  }

  private func giveBack(_ matcher: OpaquePointer) {
    let kept = idle.withLock { idle in
      guard idle.count < Self.maximumIdle else { return false }
      idle.append(matcher)
      return true
    }
    if !kept { swift_uregex_close(matcher) }
  }
  #else
  // Without the toolchain's ICU module (Darwin) there is no step budget to set: Foundation's
  // NSRegularExpression is used as it is.
  private let expression: NSRegularExpression

  init(icuPattern: String) throws {
    do {
      expression = try NSRegularExpression(pattern: icuPattern, options: [])
    } catch {
      throw BoundedRegexError.invalidPattern
    }
  }

  func firstMatch(in text: String) -> PatternOutcome {
    let range = NSRange(text.startIndex..<text.endIndex, in: text)
    return expression.firstMatch(in: text, options: [], range: range) != nil ? .matched : .notMatched
  }
  #endif
}

enum BoundedRegexError: Error {
  case invalidPattern
}
