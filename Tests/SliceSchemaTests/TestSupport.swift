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
