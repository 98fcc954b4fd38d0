import Foundation
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceSchema

/// The official JSON Schema test suite, draft 2020-12 required tests (`tests/draft2020-12/*.json`,
/// not `optional/`), with `remotes/` served from memory as `http://localhost:1234/…`.
@Suite struct JSONSchemaTestSuiteTests {
  static let suiteRoot = TestPackage.shared("json-schema-test-suite")

  /// Tests knowingly not passed, with the reason (listed in the README).
  static let deliberateExceptions: [String: String] = [:]

  static func remotes() throws -> InMemorySchemaDocuments {
    let root = suiteRoot.appendingPathComponent("remotes")
    var documents: [String: String] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: root.path) else {
      throw TestDataMissing(path: root.path)
    }
    for case let relative as String in enumerator where relative.hasSuffix(".json") {
      let bytes = try TestPaths.read(root.appendingPathComponent(relative))
      documents["http://localhost:1234/" + relative] = String(decoding: bytes, as: UTF8.self)
    }
    return InMemorySchemaDocuments(documents)
  }

  @Test func requiredDraft2020_12Tests() throws {
    let directory = Self.suiteRoot.appendingPathComponent("tests/draft2020-12")
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
    #expect(!files.isEmpty)
    let loader = SchemaLoader(provider: try Self.remotes())
    var passed = 0
    var total = 0
    var failures: [String] = []
    for file in files {
      let root = try readJSON(try TestPaths.read(directory.appendingPathComponent(file)))
      for (groupIndex, group) in (root.items ?? []).enumerated() {
        guard let schemaNode = group.lookup("schema"), let tests = group.lookup("tests")?.items else { continue }
        let description = stringOf(group.lookup("description"))
        let schemas = loader.load(node: schemaNode, uri: "https://test.slicels.invalid/\(file)/\(groupIndex).json")
        let validator = SchemaValidator(schemas: schemas)
        for test in tests {
          guard let data = test.lookup("data"), case .boolean(let expected)? = test.lookup("valid")?.scalar else { continue }
          total += 1
          let name = "\(file) / \(description) / \(stringOf(test.lookup("description")))"
          let quick = validator.isValid(data)
          let violations = validator.validate(data)
          let agrees = quick == expected && violations.isEmpty == expected
          if agrees {
            passed += 1
          } else if Self.deliberateExceptions[name] == nil {
            failures.append(
              "\(name): expected \(expected ? "valid" : "invalid"), isValid=\(quick), violations=\(violations.map(\.message).prefix(3)) loadErrors=\(schemas.errors.map(\.message).prefix(2))")
          }
        }
      }
    }
    print("JSON Schema test suite (draft 2020-12, required): \(passed)/\(total) passed")
    for failure in failures { print("  FAIL \(failure)") }
    #expect(failures.isEmpty)
    #expect(passed + Self.deliberateExceptions.count == total)
  }

  func stringOf(_ node: Node?) -> String {
    if case .string(let text)? = node?.scalar { return text }
    return ""
  }
}
