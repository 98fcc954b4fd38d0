import ArgumentParser
import Foundation
import SliceStore

/// What the update, sync, export and prune commands share: running a compile mode with the
/// chosen engine and reporting what it did.
enum CompileRunner {
  /// What edits source files in `update --style preserve` when their data changes: minimal
  /// edits that keep comments, key order and quoting (files already normalised are left alone).
  static let preservingStyle: (any PreservingStyle)? = PreservingEditsStyle()

  /// Runs the embedded engine; prints the failures and exits 1 when the compile fails, 2 on
  /// an environment error.
  static func embedded(
    _ mode: CompileMode, options: CompileOptions, style: CompileStyle = .reference, allowsEmptiedStores: Bool = false,
    export: ExportStreaming? = nil
  ) throws -> (outcome: CompileOutcome, root: URL) {
    let (outcome, root) = try runEmbedded(mode, options: options, style: style, allowsEmptiedStores: allowsEmptiedStores, export: export)
    try exitOnFailure(outcome, root: root, colored: options.colors.forStandardError)
    return (outcome, root)
  }

  /// Runs the embedded engine and prints its notes; the outcome may be a failure. Exits 2 on
  /// an environment error.
  static func runEmbedded(
    _ mode: CompileMode, options: CompileOptions, style: CompileStyle = .reference,
    nearMisses: UpdateReview.NearMissPolicy = .drop, dryRun: Bool = false, allowsEmptiedStores: Bool = false,
    export: ExportStreaming? = nil
  ) throws -> (outcome: CompileOutcome, root: URL) {
    let root = try options.project.root()
    let outcome: CompileOutcome
    do {
      outcome = try EmbeddedEngine.run(
        mode: mode, root: root, stores: options.stores.isEmpty ? nil : options.stores,
        slices: options.slices.isEmpty ? nil : options.slices, style: style, preserving: preservingStyle,
        maximumFileSize: options.maximumFileSize.bytes, nearMisses: nearMisses, dryRun: dryRun,
        allowsEmptiedStores: allowsEmptiedStores, export: export)
    } catch {
      throw CommandSupport.environmentError(error.description)
    }
    for note in outcome.notes { CommandSupport.printError("slicels: \(note)") }
    return (outcome, root)
  }

  /// Prints the failures and exits 1 when the compile failed.
  static func exitOnFailure(_ outcome: CompileOutcome, root: URL, colored: Bool) throws {
    if !outcome.succeeded {
      CommandSupport.printFailures(outcome, colored: colored)
      CommandSupport.printError(failureSummary(outcome, root: root))
      throw ExitCode(1)
    }
  }

  /// The last line of a failed compile: never "nothing was written" when something was.
  static func failureSummary(_ outcome: CompileOutcome, root: URL) -> String {
    let left = outcome.changes.map { change in
      change.kind == .createdFolder
        ? "created folder \(CommandSupport.display(change.path, relativeTo: root))"
        : CommandSupport.changeLines([change], root: root).joined()
    }
    guard !left.isEmpty else { return "slicels: the \(outcome.mode.rawValue) compile fails: nothing was written" }
    let count = left.count
    return "slicels: the \(outcome.mode.rawValue) compile failed midway and could not put back \(count) file\(count == 1 ? "" : "s"):\n"
      + left.map { "  " + $0 }.joined(separator: "\n")
  }

  /// Prints the changed files, then a summary line.
  static func reportChanges(_ outcome: CompileOutcome, root: URL) {
    let lines = CommandSupport.changeLines(outcome.changes, root: root)
    for line in lines { print(line) }
    let stores = outcome.stores.joined(separator: ", ")
    let count = lines.count
    if count == 0 {
      CommandSupport.printError("\(outcome.mode.rawValue): nothing to change in \(stores)")
    } else {
      CommandSupport.printError("\(outcome.mode.rawValue): \(count) file\(count == 1 ? "" : "s") changed in \(stores)")
    }
  }

  /// Runs the project's real compile in a mode: its output goes straight through, then the
  /// files it changed are listed on stderr. Exits 1 when the compile fails.
  static func inmanta(_ mode: CompileMode, options: CompileOptions) throws {
    if !options.stores.isEmpty || !options.slices.isEmpty {
      throw CommandSupport.usageError("--engine inmanta compiles the whole project: --store and slice names apply to the embedded engine only")
    }
    let root = try options.project.root()
    // The real compile reads the slice files too: a half-done commit of ours comes first.
    do {
      if let recovery = try CommitRecovery.recover(root: root) { CommandSupport.printError("slicels: \(recovery)") }
    } catch {
      throw CommandSupport.environmentError(error.description)
    }
    let configuration = ProjectConfiguration.load(root: root)
    CommandSupport.printError("slicels: running `\(configuration.compileCommand.joined(separator: " "))` in \(root.path) with \(InmantaEngine.modeVariable)=\(mode.rawValue)")
    let result: InmantaEngine.Result
    do {
      result = try InmantaEngine.run(mode: mode, root: root, command: configuration.compileCommand)
    } catch {
      throw CommandSupport.environmentError(error.description)
    }
    let changed = result.changes.filter { $0.kind != .rewritten }
    let rewritten = result.changes.count - changed.count
    let lines = CommandSupport.changeLines(changed, root: root)
    let also = rewritten > 0 ? " (\(rewritten) more rewritten with the same content)" : ""
    if lines.isEmpty {
      CommandSupport.printError("slicels: the compile changed no file under files/ or git_ops/\(also)")
    } else {
      CommandSupport.printError("slicels: the compile changed \(lines.count) file\(lines.count == 1 ? "" : "s")\(also):")
      for line in lines { CommandSupport.printError("  " + line) }
    }
    if !result.succeeded {
      CommandSupport.printError("slicels: the \(mode.rawValue) compile failed (exit status \(result.exitStatus))")
      throw ExitCode(1)
    }
  }
}
