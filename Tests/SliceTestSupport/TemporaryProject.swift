import Foundation

/// A copy of an example project in a new temporary folder: tests write into it freely and
/// `remove()` it at the end.
public struct TemporaryProject: Sendable {
  /// The temporary folder holding the project: anything written next to the project shows here.
  public let folder: URL
  public let root: URL

  /// A copy of `source` (Examples/network-project by default), named like it, in a new folder
  /// under `parent` (the system's temporary folder by default).
  public static func copy(
    of source: URL = TestPackage.exampleProject, prefix: String = "slicels-test",
    in parent: URL = FileManager.default.temporaryDirectory
  ) throws -> TemporaryProject {
    let folder = parent.appendingPathComponent("\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let root = folder.appendingPathComponent(source.lastPathComponent)
    try FileManager.default.copyItem(at: source, to: root)
    return TemporaryProject(folder: folder, root: root)
  }

  public init(folder: URL, root: URL) {
    self.folder = folder
    self.root = root
  }

  public func remove() { try? FileManager.default.removeItem(at: folder) }

  public func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  /// Writes `text` at the project-relative path, creating its folders.
  public func write(_ relative: String, _ text: String) throws {
    let target = url(relative)
    try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: target)
  }

  public func read(_ relative: String) -> String? {
    FileManager.default.contents(atPath: url(relative).path).map { String(decoding: $0, as: UTF8.self) }
  }
}
