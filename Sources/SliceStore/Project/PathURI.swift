import Foundation

/// A path as the git-ops configuration writes it, resolved against a project.
///
/// `inmanta:///X` is `<project>/X`; `file:///abs` is an absolute path; a plain path is relative to
/// the project (slicels' own configuration only: the module accepts just the two URI forms).
/// `inmanta://<module>/X` lives inside an installed module, which slicels cannot see: it is
/// reported, never guessed.
public enum PathURI: Sendable, Equatable {
  case resolved(URL)
  case insideModule(module: String, path: String)
  case invalid(reason: String)

  public static func resolve(_ text: String, projectRoot: URL) -> PathURI {
    if text.hasPrefix("inmanta://") {
      let rest = text.dropFirst("inmanta://".count)
      if rest.hasPrefix("/") {
        let relative = rest.drop(while: { $0 == "/" })
        return .resolved(projectRoot.appendingPathComponent(String(relative)).standardizedFileURL)
      }
      guard let slash = rest.firstIndex(of: "/") else {
        return .invalid(reason: "'\(text)' names no file: expected inmanta:///<path> or inmanta://<module>/<path>")
      }
      return .insideModule(module: String(rest[..<slash]), path: String(rest[rest.index(after: slash)...]))
    }
    if text.hasPrefix("file://") {
      let rest = text.dropFirst("file://".count)
      guard rest.hasPrefix("/") else {
        return .invalid(reason: "'\(text)' is not an absolute file URI: expected file:///absolute/path")
      }
      return .resolved(URL(fileURLWithPath: String(rest)).standardizedFileURL)
    }
    if let colon = text.range(of: "://") {
      let scheme = text[..<colon.lowerBound]
      return .invalid(reason: "'\(scheme)://' paths are not supported here: use inmanta:///, file:/// or a path relative to the project")
    }
    if text.hasPrefix("/") {
      return .resolved(URL(fileURLWithPath: text).standardizedFileURL)
    }
    return .resolved(projectRoot.appendingPathComponent(text).standardizedFileURL)
  }
}

/// Finding the inmanta project a file belongs to.
public enum ProjectLocator {
  /// The nearest folder at or above `path` holding a `project.yml`, else one holding
  /// `files/git-ops-config.yml`, else nil.
  public static func projectRoot(containing path: URL) -> URL? {
    let fileManager = FileManager.default
    var isDirectory: ObjCBool = false
    var folder = path.standardizedFileURL
    if !(fileManager.fileExists(atPath: folder.path, isDirectory: &isDirectory) && isDirectory.boolValue) {
      folder = folder.deletingLastPathComponent()
    }
    var configFolder: URL?
    while true {
      if fileManager.fileExists(atPath: folder.appendingPathComponent("project.yml").path) { return folder }
      if configFolder == nil,
        fileManager.fileExists(atPath: folder.appendingPathComponent("files/git-ops-config.yml").path)
      {
        configFolder = folder
      }
      let parent = folder.deletingLastPathComponent()
      if parent.path == folder.path { return configFolder }
      folder = parent
    }
  }
}
