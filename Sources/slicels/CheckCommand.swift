import ArgumentParser
import Foundation
import SliceStore
import SliceSyntax

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Validate slice files the way the language server does.",
    discussion: """
      Checks syntax, the store's schema (with the reference's pydantic reading), store rules \
      (file names, clashes, identity collisions) and, with --hints, what the next compile does. \
      PATH is a project folder (every store is checked), a folder inside a project (only its \
      files are reported, the rest of the project is still read for context) or slice files; \
      the default is the project around the current folder. A path in no project (no \
      project.yml or files/git-ops-config.yml in its folder or above) is an error, exit 2.

      Without --hints the active store's files are not read, only listed (their names are all \
      the store rules need), unless a PATH names them or their folder: a broken active file is \
      reported by the compile that reads it, not by this check. --hints reads every file.

      Text output has one finding per line, `path:line:column: severity: message [code]`, with \
      1-based lines and columns counted in characters. \
      Exit status: 0 nothing to report, 1 errors or warnings found, 2 usage or environment error.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif
  }

  @Argument(help: "Project folders, folders inside a project or slice files: only they are reported (default: the current folder's project).")
  var paths: [String] = []

  @Option(help: "Output format: text, json or sarif.")
  var format: Format = .text

  @Flag(help: "Also report hints: the next version of each changed slice and the elements the next export purges.")
  var hints = false

  @OptionGroup var colors: ColorOption

  @OptionGroup var maximumFileSize: FileSizeLimitOption

  func run() throws {
    let targets = try CommandSupport.targets(paths)
    var reported: [ReportedFile] = []
    var problems: [String] = []
    var checkedFiles = 0
    for target in targets {
      // Without hints the store rules need only the active files' names: their contents are
      // read only where a path given names them.
      var named: (@Sendable (URL) -> Bool)?
      if !target.whole { named = { [target] url in target.includes(url) } }
      let analysis = ProjectAnalysis.analyze(
        root: target.root, options: ProjectAnalysis.Options(
          compileHints: hints, extraFiles: target.files, computePlans: hints, maximumFileSize: maximumFileSize.bytes,
          sourceFiles: .findingsOnly, activeFiles: .skipped, shownFiles: named))
      problems += analysis.problems
      if let interrupted = CommitRecovery.interruptedCommitReport(root: target.root) { reported.append(interrupted) }
      checkedFiles += target.whole ? analysis.files.count : Set(analysis.files.keys.filter(target.includes) + target.files).count
      let shownFindings = analysis.findings.compactMap { url, findings -> (url: URL, findings: [Finding])? in
        guard target.includes(url) else { return nil }
        let shown = findings.filter { hints || $0.severity != .hint }
        return shown.isEmpty ? nil : (url, shown)
      }
      for (url, shown) in shownFindings.sortedByPath(\.url) {
        let document = analysis.files[url]?.document ?? TextDocument(bytes: analysis.configuration.fileReader.contents(url.path) ?? [])
        reported.append(ReportedFile(file: url, document: document, findings: shown))
      }
    }
    let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    switch format {
    case .text:
      for problem in problems { CommandSupport.printError("slicels: \(problem)") }
      print(FindingReport.text(reported, relativeTo: base, colored: colors.forStandardOutput), terminator: "")
      CommandSupport.printError(FindingReport.summary(reported, checkedFiles: checkedFiles))
    case .json:
      print(FindingReport.json(reported, relativeTo: base), terminator: "")
      for problem in problems { CommandSupport.printError("slicels: \(problem)") }
    case .sarif:
      print(FindingReport.sarif(reported, relativeTo: base), terminator: "")
      for problem in problems { CommandSupport.printError("slicels: \(problem)") }
    }
    let failing = reported.contains { $0.findings.contains { $0.severity <= .warning } }
    if failing { throw ExitCode(1) }
  }
}
