import Foundation
import SliceStore
import SliceSyntax
import Testing

/// Cases recorded from the reference implementation (see Fixtures/README.md): the shapes of
/// its test schema as its own entity schemas state them, the files of a store as it read them,
/// and what it returned or wrote.
struct ReferenceFixture {
  struct Case {
    var title: String
    var mode: String
    var action: String
    var sources: [SourceSlice]
    var sourceFiles: [String]
    var active: [String: [ActiveVersion]]
    var activeFiles: [String: String]
    var expected: Value?
    var error: String?
    var activeAfter: [String: String]?
    /// The source files after the compile, as loaded data (YAML ones too).
    var sourcesAfterData: [String: Value]?
  }

  var catalog: ShapeCatalog
  var cases: [Case]

  static func load(_ name: String = "reference-store-cases.json") throws -> ReferenceFixture {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures").appendingPathComponent(name)
    let text = try String(contentsOf: url, encoding: .utf8)
    let root = try #require(JSONReader().read(text).root?.value)
    let catalog = try shapeCatalog(try #require(root["catalog"]))
    var cases: [Case] = []
    for entry in try #require(root["cases"]?.elements) {
      var sources: [SourceSlice] = []
      var sourceFiles: [String] = []
      for source in try #require(entry["sources"]?.elements) {
        let file = try #require(source["file"]?.stringValue)
        sourceFiles.append(file)
        sources.append(
          SourceSlice(
            name: try #require(source["name"]?.stringValue),
            attributes: try #require(source["read"]),
            fileVersion: source["fileVersion"]?.intValue,
            path: "src/" + file))
      }
      var active: [String: [ActiveVersion]] = [:]
      var activeFiles: [String: String] = [:]
      for version in try #require(entry["active"]?.elements) {
        let file = try #require(version["file"]?.stringValue)
        activeFiles[file] = try #require(version["text"]?.stringValue)
        active[try #require(version["name"]?.stringValue), default: []].append(
          ActiveVersion(
            version: try #require(version["version"]?.intValue),
            attributes: try #require(version["read"]), path: "active/" + file))
      }
      let expected = entry["expected"].flatMap { $0.isNull ? nil : $0 }
      cases.append(
        Case(
          title: try #require(entry["title"]?.stringValue),
          mode: try #require(entry["mode"]?.stringValue),
          action: try #require(entry["action"]?.stringValue),
          sources: sources, sourceFiles: sourceFiles, active: active, activeFiles: activeFiles,
          expected: expected, error: entry["error"]?.stringValue,
          activeAfter: try entry["activeAfter"].map(files(in:)),
          sourcesAfterData: try entry["sourcesAfterData"].map(documents(in:))))
    }
    return ReferenceFixture(catalog: catalog, cases: cases)
  }

  /// A `{file name: text}` object.
  static func files(in value: Value) throws -> [String: String] {
    var files: [String: String] = [:]
    for member in try #require(value.members) {
      let name = try #require(member.key.string)
      let text: String = try #require(member.value.stringValue)
      files[name] = text
    }
    return files
  }

  /// A `{file name: document}` object.
  static func documents(in value: Value) throws -> [String: Value] {
    var documents: [String: Value] = [:]
    for member in try #require(value.members) {
      let name: String = try #require(member.key.string)
      documents[name] = member.value
    }
    return documents
  }

  func `case`(_ title: String) throws -> Case {
    try #require(cases.first { $0.title == title }, "no fixture case '\(title)'")
  }

  /// Builds the catalog from the reference's entity schemas as recorded.
  static func shapeCatalog(_ value: Value) throws -> ShapeCatalog {
    var shapes: [EntityShape] = []
    for shape in try #require(value["shapes"]?.elements) {
      var relations: [EntityShape.Relation] = []
      for relation in try #require(shape["relations"]?.elements) {
        let targetValue = try #require(relation["target"])
        let target: EntityShape.Relation.Target
        if let union = targetValue["union"] {
          target = .union(
            EntityShape.DiscriminatedUnion(
              discriminator: try #require(union["discriminator"]?.stringValue),
              members: try #require(union["members"]?.elements).map { member in
                EntityShape.DiscriminatedUnion.Member(
                  value: try #require(member["value"]?.scalarValue),
                  shape: try #require(member["shape"]?.stringValue))
              }))
        } else {
          target = .entity(try #require(targetValue["entity"]?.stringValue))
        }
        let cardinalityName: String = try #require(relation["cardinality"]?.stringValue)
        let cardinality = try #require(EntityShape.Relation.Cardinality(rawValue: cardinalityName))
        relations.append(
          EntityShape.Relation(
            name: try #require(relation["name"]?.stringValue), cardinality: cardinality, target: target))
      }
      shapes.append(
        EntityShape(
          id: try #require(shape["id"]?.stringValue),
          attributes: try #require(shape["attributes"]?.elements).map { try #require($0.stringValue) },
          relations: relations,
          keys: try #require(shape["keys"]?.elements).map { try #require($0.stringValue) },
          keySource: .reference,
          unionDiscriminator: shape["unionDiscriminator"]?.stringValue))
    }
    return ShapeCatalog(root: try #require(value["root"]?.stringValue), shapes: shapes)
  }
}

extension Value {
  var stringValue: String? {
    if case .scalar(.string(let text)) = self { return text }
    return nil
  }

  var intValue: Int? {
    if case .scalar(.integer(let number)) = self { return Int(number) }
    return nil
  }

  /// Strict, ordered equality: same key order, same scalar kinds (`1` is not `1.0`). This is
  /// what the reference's output looks like, beyond Python's `==`.
  func isIdentical(to other: Value) -> Bool {
    switch (self, other) {
    case (.object(let left), .object(let right)):
      return left.count == right.count
        && zip(left, right).allSatisfy { $0.key == $1.key && $0.value.isIdentical(to: $1.value) }
    case (.array(let left), .array(let right)):
      return left.count == right.count && zip(left, right).allSatisfy { $0.isIdentical(to: $1) }
    case (.scalar(let left), .scalar(let right)):
      return left == right
    default:
      return false
    }
  }

  /// The first place where two values differ, for readable failures.
  func firstDifference(from other: Value, at path: String = "$") -> String? {
    switch (self, other) {
    case (.object(let left), .object(let right)):
      let leftKeys = left.map { $0.key.string ?? "?" }
      let rightKeys = right.map { $0.key.string ?? "?" }
      if leftKeys != rightKeys { return "\(path): keys \(leftKeys) vs \(rightKeys)" }
      for (l, r) in zip(left, right) {
        if let difference = l.value.firstDifference(from: r.value, at: path + "." + (l.key.string ?? "?")) {
          return difference
        }
      }
      return nil
    case (.array(let left), .array(let right)):
      if left.count != right.count { return "\(path): \(left.count) items vs \(right.count)" }
      for (index, (l, r)) in zip(left, right).enumerated() {
        if let difference = l.firstDifference(from: r, at: "\(path)[\(index)]") { return difference }
      }
      return nil
    case (.scalar(let left), .scalar(let right)):
      return left == right ? nil : "\(path): \(left) vs \(right)"
    default:
      return "\(path): \(self) vs \(other)"
    }
  }
}

/// Reads a JSON document into a value, failing the test when it does not parse.
func jsonValue(_ text: String) throws -> Value {
  try #require(JSONReader().read(text).root?.value)
}
