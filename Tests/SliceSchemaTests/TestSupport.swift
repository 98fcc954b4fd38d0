import Foundation
import SliceSyntax
import SliceTestSupport

@testable import SliceSchema

/// Locations of shared test data, found from this file (never an absolute path of the machine).
enum TestPaths {
  static let fixtures = TestPackage.root.appendingPathComponent("Tests/SliceSchemaTests/Fixtures")

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
