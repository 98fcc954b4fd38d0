import ArgumentParser
import Foundation
import SliceStore
import SliceSyntax

/// Shared by the commands: finding projects, printing to stderr.
enum CommandSupport {
  struct Target {
    var root: URL
    /// nil: the whole project.
    var files: [URL]?
  }

  /// Groups the paths by project; a usage error (exit 2) when a path does not exist or
  /// belongs to no project.
  static func targets(_ paths: [String]) throws -> [Target] {
    let fileManager = FileManager.default
    let given = paths.isEmpty ? [fileManager.currentDirectoryPath] : paths
    var targets: [Target] = []
    for path in given {
      let url = URL(fileURLWithPath: path).standardizedFileURL
      var isDirectory: ObjCBool = false
      guard fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
        throw environmentError("\(path): no such file or folder")
      }
      if isDirectory.boolValue {
        let root = ProjectLocator.projectRoot(containing: url) ?? url
        if let index = targets.firstIndex(where: { $0.root == root }) {
          targets[index].files = nil
        } else {
          targets.append(Target(root: root, files: nil))
        }
      } else {
        guard let root = ProjectLocator.projectRoot(containing: url) else {
          throw environmentError("\(path): not inside an inmanta project (no project.yml or files/git-ops-config.yml above it)")
        }
        if let index = targets.firstIndex(where: { $0.root == root }) {
          if targets[index].files != nil { targets[index].files?.append(url) }
        } else {
          targets.append(Target(root: root, files: [url]))
        }
      }
    }
    return targets
  }

  static func projectRoot(_ path: String?) throws -> URL {
    let start = URL(fileURLWithPath: path ?? FileManager.default.currentDirectoryPath).standardizedFileURL
    guard FileManager.default.fileExists(atPath: start.path) else {
      throw environmentError("\(start.path): no such folder")
    }
    guard let root = ProjectLocator.projectRoot(containing: start) else {
      throw environmentError("\(start.path): not inside an inmanta project (no project.yml or files/git-ops-config.yml)")
    }
    return root
  }

  static func environmentError(_ message: String) -> ExitCode {
    printError("slicels: \(message)")
    return ExitCode(2)
  }

  static func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
  }

  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
}

extension CommandSupport {
  /// A path for people: relative to `base` when inside it.
  static func display(_ path: String, relativeTo base: URL) -> String {
    FindingReport.displayPath(URL(fileURLWithPath: path), relativeTo: base)
  }

  static var currentDirectory: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }

  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

  /// Prints the files that make a compile fail, `path:line:column: error: message [code]`, on stderr.
  static func printFailures(_ outcome: CompileOutcome, colored: Bool) {
    let text = FindingReport.text(outcome.failedFiles, relativeTo: currentDirectory, colored: colored)
    if !text.isEmpty { FileHandle.standardError.write(Data(text.utf8)) }
    for problem in outcome.problems { printError("slicels: error: \(problem)") }
  }

  /// One line per changed file (project-relative), `created`, `modified`, `deleted`.
  static func changeLines(_ changes: [FileChange], root: URL) -> [String] {
    changes.compactMap { change in
      let label: String
      switch change.kind {
      case .created: label = "created "
      case .modified: label = "modified"
      case .deleted: label = "deleted "
      case .rewritten: label = "rewritten (same content)"
      case .createdFolder: return nil
      }
      return "\(label) \(display(change.path, relativeTo: root))"
    }
  }
}

/// `--project PATH`, shared by the project commands.
struct ProjectOption: ParsableArguments {
  @Option(
    name: .customLong("project"),
    help: ArgumentHelp("The inmanta project (default: the project around the current folder).", valueName: "path"))
  var path: String?

  func root() throws -> URL { try CommandSupport.projectRoot(path) }
}

/// `--max-file-size SIZE`: overrides slicels.yml's `limits.max_file_size`.
struct FileSizeLimitOption: ParsableArguments {
  @Option(
    name: .customLong("max-file-size"),
    help: ArgumentHelp(
      "The largest file slicels reads, e.g. 1048576, 64MiB or 10MB (default: limits.max_file_size in slicels.yml, else 64MiB); a larger file is an error.",
      valueName: "size"),
    transform: { text in
      guard let size = FileSize.parse(text), size > 0 else {
        throw ValidationError("--max-file-size must be a positive size such as 1048576, 64MiB or 10MB, not '\(text)'")
      }
      return size
    })
  var bytes: Int?
}

enum EngineChoice: String, ExpressibleByArgument, CaseIterable {
  case embedded, inmanta
}

extension CompileStyle: ExpressibleByArgument {}
extension SliceFileFormat: ExpressibleByArgument {}

/// The options of the four compile modes.
struct CompileOptions: ParsableArguments {
  @OptionGroup var project: ProjectOption

  @Option(
    name: .customLong("store"),
    help: ArgumentHelp("Compile only this store (repeat for several; default: every store).", valueName: "store"))
  var stores: [String] = []

  @Option(help: "embedded: slicels' own engine (default); inmanta: the project's real compile command.")
  var engine: EngineChoice = .embedded

  @Flag(help: "Never color the output (it is colored only on a terminal anyway).")
  var noColor = false

  @OptionGroup var maximumFileSize: FileSizeLimitOption

  @Argument(help: ArgumentHelp("Only these slices (default: all of the selected stores).", valueName: "slice"))
  var slices: [String] = []
}

extension CommandSupport {
  /// A usage error found after parsing (options that do not go together): exit status 2.
  static func usageError(_ message: String) -> ExitCode {
    printError("slicels: usage error: \(message)")
    return ExitCode(2)
  }
}
