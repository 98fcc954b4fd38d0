import BigInt
import Foundation
import Testing

@testable import SliceSyntax

/// Shared helpers for the syntax tests.
enum TestSupport {
  static func fileExists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path)
  }

  static func readFile(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
  }

  /// A loaded value rendered the way the fidelity file renders Python values as JSON: dates as
  /// `date.isoformat()`, datetimes as `str(datetime)`.
  static func jsonForm(_ value: Value) -> Value {
    switch value {
    case .object(let members):
      return .object(members.map { Value.Member(key: $0.key, value: jsonForm($0.value)) })
    case .array(let items):
      return .array(items.map(jsonForm))
    case .scalar(.date(let date)):
      return .string(PythonText.isoDate(date))
    case .scalar(.datetime(let time)):
      return .string(PythonText.str(.datetime(time)))
    case .scalar:
      return value
    }
  }

  /// Equality that also compares kinds (1, 1.0 and true differ) and member order, with NaN
  /// equal to itself: what "the same value as the reference" means for a loader.
  static func strictlyEqual(_ left: Value, _ right: Value) -> Bool {
    switch (left, right) {
    case (.object(let a), .object(let b)):
      return a.count == b.count
        && zip(a, b).allSatisfy { strictlyEqual(.scalar($0.key.scalar), .scalar($1.key.scalar)) && strictlyEqual($0.value, $1.value) }
    case (.array(let a), .array(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { strictlyEqual($0, $1) }
    case (.scalar(.float(let a)), .scalar(.float(let b))):
      return a == b || (a.isNaN && b.isNaN)
    case (.scalar(let a), .scalar(let b)):
      return a == b
    default:
      return false
    }
  }

  /// The Python type name of a loaded value.
  static func pythonTypeName(_ value: Value) -> String {
    switch value {
    case .object: return "dict"
    case .array: return "list"
    case .scalar(.string): return "str"
    case .scalar(.integer): return "int"
    case .scalar(.float): return "float"
    case .scalar(.boolean): return "bool"
    case .scalar(.null): return "NoneType"
    case .scalar(.date): return "date"
    case .scalar(.datetime): return "datetime"
    }
  }
}
