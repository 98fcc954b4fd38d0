import Foundation
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// Temporary copies of the example project, and file trees to compare before and after.
extension TemporaryProject {
  /// A copy of Examples/network-project in a new temporary folder.
  static func example(_ name: String = #function) throws -> TemporaryProject {
    try TemporaryProject.copy(prefix: "slicels-compile")
  }

  /// Every file under files/ and git_ops/ (hidden ones too), by project-relative path.
  func state() -> [String: [UInt8]] {
    Self.tree(root, folders: ["files", "git_ops"])
  }

  static func tree(_ root: URL, folders: [String]) -> [String: [UInt8]] {
    var tree: [String: [UInt8]] = [:]
    for folder in folders {
      let base = root.appendingPathComponent(folder)
      guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { continue }
      while let relative = enumerator.nextObject() as? String {
        var isFolder: ObjCBool = false
        let path = base.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
          let data = FileManager.default.contents(atPath: path)
        else { continue }
        tree["\(folder)/\(relative)"] = [UInt8](data)
      }
    }
    return tree
  }

  /// Tests/Reference/golden/example-project/<mode>: what the reference's compile changed.
  static func golden(_ mode: String) throws -> (changed: [String: [UInt8]], removed: Set<String>, result: Value) {
    let base = TestPackage.root.appendingPathComponent(
      "Tests/Reference/golden/example-project/\(mode)")
    let changed = tree(base.appendingPathComponent("changed"), folders: ["files", "git_ops"])
    let removed = Set(tree(base.appendingPathComponent("removed"), folders: ["files", "git_ops"]).keys)
    let resultText = try String(contentsOf: base.appendingPathComponent("result.json"), encoding: .utf8)
    let result = try #require(JSONReader().read(resultText).root?.value)
    return (changed, removed, result)
  }
}

/// The differences between two trees, for test messages.
func treeDifferences(_ expected: [String: [UInt8]], _ actual: [String: [UInt8]]) -> [String] {
  var problems: [String] = []
  for path in Set(expected.keys).union(actual.keys).sorted() {
    switch (expected[path], actual[path]) {
    case (nil, .some): problems.append("unexpected \(path)")
    case (.some, nil): problems.append("missing \(path)")
    case (.some(let left), .some(let right)) where left != right:
      problems.append(
        "differs \(path):\n--- expected\n\(String(decoding: left, as: UTF8.self))\n--- actual\n\(String(decoding: right, as: UTF8.self))")
    default: break
    }
  }
  return problems
}
