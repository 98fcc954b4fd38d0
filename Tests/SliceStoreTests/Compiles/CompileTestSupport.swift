import Foundation
import SliceStore
import SliceSyntax
import Testing

/// Temporary copies of the example project, and file trees to compare before and after.
struct TemporaryProject {
  let folder: URL
  let root: URL

  /// A copy of Examples/network-project in a new temporary folder.
  static func example(_ name: String = #function) throws -> TemporaryProject {
    let source = try #require(WriterTestSupport.packageRoot()).appendingPathComponent("Examples/network-project")
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("slicels-compile-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let root = folder.appendingPathComponent("network-project")
    try FileManager.default.copyItem(at: source, to: root)
    return TemporaryProject(folder: folder, root: root)
  }

  func remove() { try? FileManager.default.removeItem(at: folder) }

  func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  func write(_ relative: String, _ text: String) throws {
    let target = url(relative)
    try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: target)
  }

  func read(_ relative: String) -> String? {
    FileManager.default.contents(atPath: url(relative).path).map { String(decoding: $0, as: UTF8.self) }
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
    let base = try #require(WriterTestSupport.packageRoot()).appendingPathComponent(
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
