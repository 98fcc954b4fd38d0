import ArgumentParser
import Foundation
import SliceStore
import SliceSyntax

/// Shared by the commands: finding projects, printing to stderr.
enum CommandSupport {
  /// What `check` reads and reports on in one project.
  struct Target: Sendable {
    var root: URL
    /// Every file of the project (a path naming the project folder, or no path at all).
    var whole = false
    /// Files named on the command line: read even outside the stores' folders.
    var files: [URL] = []
    /// Folders inside the project named on the command line: only their files are reported.
    var folders: [URL] = []

    func includes(_ file: URL) -> Bool {
      let file = file.standardizedFileURL
      return whole || files.contains(file) || folders.contains { CommandSupport.isWithin(file, folder: $0) }
    }
  }

  /// What locates a project, for messages saying what was looked for.
  static let projectMarkers = "project.yml or files/git-ops-config.yml"

  /// Groups the paths by project; a usage error (exit 2) when a path does not exist or
  /// belongs to no project. A folder inside a project selects its files only.
  static func targets(_ paths: [String]) throws -> [Target] {
    let fileManager = FileManager.default
    let given = paths.isEmpty ? [fileManager.currentDirectoryPath] : paths
    var targets: [Target] = []
    func target(for root: URL) -> Int {
      if let index = targets.firstIndex(where: { $0.root == root }) { return index }
      targets.append(Target(root: root))
      return targets.count - 1
    }
    for path in given {
      let url = URL(fileURLWithPath: path).standardizedFileURL
      var isDirectory: ObjCBool = false
      guard fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
        throw environmentError("\(path): no such file or folder")
      }
      guard let root = ProjectLocator.projectRoot(containing: url) else {
        throw environmentError(
          "\(path): not inside an inmanta project (looked for \(projectMarkers) in \(isDirectory.boolValue ? "it" : "its folder") and every folder above)")
      }
      let index = target(for: root)
      if !isDirectory.boolValue {
        targets[index].files.append(url)
      } else if url.path == root.standardizedFileURL.path {
        targets[index].whole = true
      } else {
        targets[index].folders.append(url)
      }
    }
    return targets
  }

  static func isWithin(_ file: URL, folder: URL) -> Bool {
    let folderPath = folder.standardizedFileURL.path
    return file.path.hasPrefix(folderPath.hasSuffix("/") ? folderPath : folderPath + "/")
  }

  static func projectRoot(_ path: String?) throws -> URL {
    let start = URL(fileURLWithPath: path ?? FileManager.default.currentDirectoryPath).standardizedFileURL
    guard FileManager.default.fileExists(atPath: start.path) else {
      throw environmentError("\(start.path): no such folder")
    }
    guard let root = ProjectLocator.projectRoot(containing: start) else {
      throw environmentError("\(start.path): not inside an inmanta project (looked for \(projectMarkers) in it and every folder above)")
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
extension SliceFormat: ExpressibleByArgument {}

/// The options of the four compile modes.
struct CompileOptions: ParsableArguments {
  @OptionGroup var project: ProjectOption

  @Option(
    name: .customLong("store"),
    help: ArgumentHelp("Compile only this store (repeat for several; default: every store).", valueName: "store"))
  var stores: [String] = []

  @Option(help: "embedded: slicels' own engine (default); inmanta: the project's real compile command.")
  var engine: EngineChoice = .embedded

  @OptionGroup var colors: ColorOption

  /// Color is off whatever the terminal (--no-color, --color never or NO_COLOR).
  var noColor: Bool { colors.disabled }

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

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
  case auto, always, never
}

/// `--color auto|always|never` and `--no-color`, on every command that colors its output.
/// Auto colors a terminal unless NO_COLOR holds a non-empty value (no-color.org); a flag
/// given on the command line wins over NO_COLOR.
struct ColorOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "auto (default): color on a terminal unless the NO_COLOR environment variable is set to a non-empty value; always; never.",
      valueName: "when"))
  var color: ColorChoice = .auto

  @Flag(help: "Never color the output: the same as --color never.")
  var noColor = false

  /// Color is off whatever the terminal.
  var disabled: Bool { !Self.colored(choice: color, noColorFlag: noColor, environment: ProcessInfo.processInfo.environment, isTerminal: true) }

  var forStandardOutput: Bool {
    Self.colored(choice: color, noColorFlag: noColor, environment: ProcessInfo.processInfo.environment, isTerminal: CommandSupport.stdoutIsTerminal)
  }

  var forStandardError: Bool {
    Self.colored(choice: color, noColorFlag: noColor, environment: ProcessInfo.processInfo.environment, isTerminal: CommandSupport.stderrIsTerminal)
  }

  static func colored(choice: ColorChoice, noColorFlag: Bool, environment: [String: String], isTerminal: Bool) -> Bool {
    if noColorFlag { return false }
    switch choice {
    case .always: return true
    case .never: return false
    case .auto: return isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
    }
  }
}
