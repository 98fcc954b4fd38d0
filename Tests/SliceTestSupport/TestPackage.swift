import Foundation

/// Where the package's own files are, for tests that read the examples, fixtures or README.
public enum TestPackage {
  /// The folder holding Package.swift, found from this file's path.
  public static let root: URL = {
    var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while folder.path != "/" {
      if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
      folder.deleteLastPathComponent()
    }
    return folder
  }()

  /// Examples/network-project: the example project most tests read or copy.
  public static let exampleProject = root.appendingPathComponent("Examples/network-project")

  /// A file of the shared folder beside the package (`shared/fidelity/…`).
  public static func shared(_ relative: String) -> URL {
    root.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(relative)
  }
}
