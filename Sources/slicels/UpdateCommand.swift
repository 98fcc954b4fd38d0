import ArgumentParser
import Foundation
import SliceStore
import SliceSyntax

struct UpdateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "update",
    abstract: "Normalise the source slices, as an update compile does.",
    discussion: """
      Reads every source slice of the selected stores, validates it against the store's schema \
      and writes it back normalised in its own format: defaults filled in, unknown properties \
      dropped, compile-managed attributes removed, keys in the schema's order.

      --style reference writes exactly what the module writes (json.dumps(obj, indent=2), or \
      yaml.safe_dump(obj, sort_keys=False): comments are lost). --style preserve (the default) \
      leaves a file alone when its data already is the normalised data, and otherwise writes the \
      reference's text.

      If a file of a selected store does not load or validate, the compile fails and nothing is \
      written: the errors are printed as path:line:column: error: message. A file this user \
      may not write (e.g. mode 0444) fails the compile too, as in the reference. All files are \
      replaced together: each is written to a hidden temporary file first; a commit that fails \
      midway puts every file back (or lists the files it could not), and one killed midway is \
      completed by the next update, sync, prune or export (`check` warns about it meanwhile).

      Every property the update drops and every value it rewrites is reported at its place, \
      `path:line:column: warning: dropped 'desciption': the store's schema has no such property \
      [update-dropped]` and `info: rewrote 'mtu' "1600" → 1600 [update-rewrote]` (on stderr in \
      text; on stdout with --format json or sarif), with --engine inmanta too (reviewed by the \
      embedded engine before the compile runs). A dropped key that is a near miss of a known \
      property (`taged` for `tagged`) is an error [update-near-miss]: that file is left \
      untouched (the others are updated) and update exits 1; rename the key, or give \
      --drop-unknown to drop it as the reference does. --style reference writes the reference's \
      bytes for every file it updates. With --engine inmanta, which updates every file at once, \
      a near miss stops the whole update before the compile runs.

      --check writes nothing, lists the files the update would change (and the files a near \
      miss holds back) and exits 1 if there is any, 0 otherwise; --diff writes nothing and \
      prints a unified diff of the changes on stdout (exit 0; 1 with --check when there are \
      changes, and whenever a near miss would hold a file back). A dry run does not start while an interrupted commit waits to be completed.

      The embedded engine cannot run what only the Python model knows: attribute processors, \
      migrations (a store's active folder created here gets .migrations.json with no applied \
      migration; give a store that registers migrations its first compile with --engine \
      inmanta), or the rewrite of the exposed schema files. --engine inmanta runs the project's \
      compile command (slicels.yml compile.command, default `inmanta compile`) with \
      INMANTA_GIT_OPS_COMPILE_MODE=update, and lists the files it changed.
      """
  )

  @OptionGroup var options: CompileOptions

  @Option(help: "reference: the module's exact bytes; preserve: leave files whose data is already normalised untouched.")
  var style: CompileStyle?

  @Flag(help: "Drop keys that look like typos of known properties (e.g. 'taged' for 'tagged') instead of leaving their files untouched.")
  var dropUnknown = false

  @Flag(help: "Write nothing; list the files the update would change and exit 1 if there is any.")
  var check = false

  @Flag(help: "Write nothing; print a unified diff of what the update would change on stdout.")
  var diff = false

  @Option(help: "Output format of the dropped properties and rewritten values: text (on stderr), json or sarif (on stdout).")
  var format: UpdateReportFormat = .text

  func run() throws {
    if options.engine == .inmanta {
      if style != nil { throw CommandSupport.usageError("--style applies to the embedded engine only") }
      if check || diff || format != .text {
        throw CommandSupport.usageError("--check, --diff and --format apply to the embedded engine only")
      }
      try reviewBeforeTheRealCompile()
      return try CompileRunner.inmanta(.update, options: options)
    }
    if diff && format != .text {
      throw CommandSupport.usageError("--diff writes the diff on stdout: use it with --format text")
    }
    let dryRun = check || diff
    let (outcome, root) = try CompileRunner.runEmbedded(
      .update, options: options, style: style ?? .preserve, nearMisses: dropUnknown ? .drop : .hold, dryRun: dryRun)
    let colored = options.colors.forStandardError
    if !outcome.succeeded {
      if format != .text {
        print(report(outcome.failedFiles), terminator: "")
        for problem in outcome.problems { CommandSupport.printError("slicels: error: \(problem)") }
        CommandSupport.printError(CompileRunner.failureSummary(outcome, root: root))
        throw ExitCode(1)
      }
      try CompileRunner.exitOnFailure(outcome, root: root, colored: colored)
    }
    printReview(outcome, colored: colored)
    if dryRun {
      try reportDryRun(outcome, root: root)
      return
    }
    CompileRunner.reportChanges(outcome, root: root)
    if outcome.heldBack {
      CommandSupport.printError(heldSummary(outcome, root: root, written: true))
      throw ExitCode(1)
    }
  }

  /// --engine inmanta: the real compile updates every file at once and says nothing of what it
  /// drops, so the embedded engine's dry run reviews it first; a near miss stops it before it runs.
  func reviewBeforeTheRealCompile() throws {
    guard options.stores.isEmpty, options.slices.isEmpty else { return }  // refused as a usage error next
    let root = try options.project.root()
    let outcome: CompileOutcome
    do {
      outcome = try EmbeddedEngine.run(
        mode: .update, root: root, preserving: nil, maximumFileSize: options.maximumFileSize.bytes,
        nearMisses: dropUnknown ? .drop : .hold, dryRun: true)
    } catch {
      CommandSupport.printError("slicels: what the update drops is not reviewed before the compile: \(error.description)")
      return
    }
    // A compile that fails here fails in inmanta too, which then says why.
    guard outcome.succeeded else { return }
    printReview(outcome, colored: options.colors.forStandardError)
    if outcome.heldBack {
      let files = outcome.heldFiles.map { CommandSupport.display($0, relativeTo: root) }.joined(separator: ", ")
      CommandSupport.printError(
        "slicels: the compile was not run: it updates every file at once, and a key it would drop in \(files) looks like a typo of a known property; rename it, or run `slicels update --engine inmanta --drop-unknown` to drop it")
      throw ExitCode(1)
    }
  }

  func report(_ files: [ReportedFile]) -> String {
    switch format {
    case .text: return FindingReport.text(files, relativeTo: CommandSupport.currentDirectory)
    case .json: return FindingReport.json(files, relativeTo: CommandSupport.currentDirectory)
    case .sarif: return FindingReport.sarif(files, relativeTo: CommandSupport.currentDirectory)
    }
  }

  /// What the update drops and rewrites: diagnostics on stderr in text, the document on stdout otherwise.
  func printReview(_ outcome: CompileOutcome, colored: Bool) {
    switch format {
    case .text:
      let text = FindingReport.text(outcome.reviews, relativeTo: CommandSupport.currentDirectory, colored: colored)
      if !text.isEmpty { FileHandle.standardError.write(Data(text.utf8)) }
    case .json, .sarif:
      print(report(outcome.reviews), terminator: "")
    }
  }

  func heldSummary(_ outcome: CompileOutcome, root: URL, written: Bool) -> String {
    let count = outcome.heldFiles.count
    let files = outcome.heldFiles.map { CommandSupport.display($0, relativeTo: root) }.joined(separator: ", ")
    let verb = written ? "left untouched" : "would be left untouched"
    return
      "slicels: \(count) file\(count == 1 ? "" : "s") \(verb) (\(files)): a key the update drops looks like a typo of a known property; rename it, or run `slicels update --drop-unknown` to drop it"
  }

  /// --check and --diff: what would change, nothing written.
  func reportDryRun(_ outcome: CompileOutcome, root: URL) throws {
    if diff {
      for write in outcome.plannedWrites {
        print(UnifiedDiff.text(old: write.before, new: write.after, label: CommandSupport.display(write.path, relativeTo: root)), terminator: "")
      }
    }
    let lines = outcome.changes.compactMap { change -> String? in
      let path = CommandSupport.display(change.path, relativeTo: root)
      switch change.kind {
      case .created: return "would create \(path)"
      case .modified: return "would modify \(path)"
      case .deleted: return "would delete \(path)"
      case .rewritten, .createdFolder: return nil
      }
    }
    let stores = outcome.stores.joined(separator: ", ")
    if check {
      for line in lines {
        if diff || format != .text { CommandSupport.printError(line) } else { print(line) }
      }
    }
    let count = lines.count
    if count == 0 {
      CommandSupport.printError("update: nothing would change in \(stores)")
    } else {
      CommandSupport.printError("update: \(count) file\(count == 1 ? "" : "s") would change in \(stores) (nothing was written)")
    }
    if outcome.heldBack { CommandSupport.printError(heldSummary(outcome, root: root, written: false)) }
    // Like the update itself, a dry run where a near miss holds a file back fails.
    if outcome.heldBack || (check && count > 0) { throw ExitCode(1) }
  }
}

enum UpdateReportFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, sarif
}
