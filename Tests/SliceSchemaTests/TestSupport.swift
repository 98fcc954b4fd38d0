import Foundation
import SliceSyntax

@testable import SliceSchema

/// Locations of shared test data, found from this file (never an absolute path of the machine).
enum TestPaths {
  /// The directory holding Package.swift.
  static let packageRoot: URL = {
    var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while directory.path != "/" {
      if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
        return directory
      }
      directory = directory.deletingLastPathComponent()
    }
    return directory
  }()

  /// `../shared` beside the package.
  static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

  static let fixtures = packageRoot.appendingPathComponent("Tests/SliceSchemaTests/Fixtures")

  static func read(_ url: URL) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw TestDataMissing(path: url.path)
    }
    return [UInt8](data)
  }
}

struct TestDataMissing: Error, CustomStringConvertible {
  var path: String
  var description: String { "missing test data at \(path)" }
}

/// Reads a JSON text into a located tree, failing the test on syntax errors.
func readJSON(_ text: String) throws -> Node {
  let tree = JSONReader().read(text)
  guard let root = tree.root else { throw JSONUnreadable(message: tree.findings.first?.message ?? "") }
  return root
}

func readJSON(_ bytes: [UInt8]) throws -> Node {
  let tree = JSONReader().read(bytes)
  guard let root = tree.root else { throw JSONUnreadable(message: tree.findings.first?.message ?? "") }
  return root
}

struct JSONUnreadable: Error {
  var message: String
}

/// Builds the tree a YAML slice loads to from a fidelity case's `loaded` value (JSON-rendered,
/// with `loaded_python_type` telling dates and datetimes apart from strings).
///
/// The one place to swap for the real YAML reader: the cases carry their `source` text too.
enum FidelityInstance {
  static func yamlNode(loaded: Node, pythonType: String) -> Node {
    guard case .scalar(.string(let text)) = loaded.kind else { return loaded }
    switch pythonType {
    case "date":
      guard let stamp = timestamp(text) else { return loaded }
      return Node(kind: .scalar(.date(stamp)), range: loaded.range, style: .plain)
    case "datetime":
      guard let stamp = timestamp(text) else { return loaded }
      return Node(kind: .scalar(.datetime(stamp)), range: loaded.range, style: .plain)
    default:
      return loaded
    }
  }

  /// Python's `str()` of a date or datetime: `2024-01-31`, `2024-01-31 10:20:30[.ffffff][+00:00]`.
  static func timestamp(_ text: String) -> Timestamp? {
    let bytes = Array(text.utf8)
    func number(_ range: Range<Int>) -> Int? {
      guard range.upperBound <= bytes.count else { return nil }
      return Int(String(decoding: bytes[range], as: UTF8.self))
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
    var stamp = Timestamp(year: year, month: month, day: day)
    guard bytes.count > 10 else { return stamp }
    guard let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
    stamp.hour = hour
    stamp.minute = minute
    stamp.second = second
    var index = 19
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      guard let micro = number(20..<26) else { return nil }
      stamp.microsecond = micro
      index = 26
    }
    if index < bytes.count {
      let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
      guard let hours = number(index + 1..<index + 3), let minutes = number(index + 4..<index + 6) else { return nil }
      stamp.utcOffsetMinutes = sign * (hours * 60 + minutes)
    }
    return stamp
  }
}

/// Equality that also requires the same JSON types (an int stays an int) and the same key order.
func strictlyEqual(_ left: Value, _ right: Value) -> Bool {
  switch (left, right) {
  case (.object(let a), .object(let b)):
    return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && strictlyEqual($0.value, $1.value) }
  case (.array(let a), .array(let b)):
    return a.count == b.count && zip(a, b).allSatisfy { strictlyEqual($0, $1) }
  case (.scalar(let a), .scalar(let b)):
    switch (a, b) {
    case (.float(let x), .float(let y)): return x == y || (x.isNaN && y.isNaN)
    case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
    default: return a == b
    }
  default:
    return false
  }
}
