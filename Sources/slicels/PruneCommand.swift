import ArgumentParser
import Foundation
import SliceStore

struct PruneCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prune",
    abstract: "Delete the active versions nothing needs any more, as a prune compile does.",
    discussion: """
      In each selected store, deletes every active file but the latest version of each slice, \
      and the latest too when it is a deleted slice. After a prune the merged view no longer \
      shows what older versions removed: prune only once the model has purged it (after an \
      export and deploy). Reads only the active files, without the schema. \
      --engine inmanta runs the project's compile command with INMANTA_GIT_OPS_COMPILE_MODE=prune.

      --dry-run lists what a prune would delete (`would delete PATH`) and the active folder \
      it would set up, and writes nothing (it does not complete an interrupted commit either). \
      `slicels plan` shows the purges these files still carry.
      """
  )

  @OptionGroup var options: CompileOptions

  @Flag(help: "List the files prune would delete; write nothing.")
  var dryRun = false

  func run() throws {
    if dryRun {
      if options.engine == .inmanta { throw CommandSupport.usageError("--dry-run applies to the embedded engine only") }
      return try dryRunReport()
    }
    if options.engine == .inmanta { return try CompileRunner.inmanta(.prune, options: options) }
    let (outcome, root) = try CompileRunner.embedded(.prune, options: options)
    CompileRunner.reportChanges(outcome, root: root)
  }

  func dryRunReport() throws {
    let root = try options.project.root()
    let result: EmbeddedEngine.PruneDryRun
    do {
      result = try EmbeddedEngine.pruneDryRun(
        root: root, stores: options.stores.isEmpty ? nil : options.stores,
        slices: options.slices.isEmpty ? nil : options.slices, maximumFileSize: options.maximumFileSize.bytes)
    } catch {
      throw CommandSupport.environmentError(error.description)
    }
    if let interrupted = CommitRecovery.interruptedCommitReport(root: root) {
      let text = FindingReport.text([interrupted], relativeTo: CommandSupport.currentDirectory, colored: options.colors.forStandardError)
      FileHandle.standardError.write(Data(text.utf8))
    }
    guard result.succeeded else {
      let text = FindingReport.text(result.failedFiles, relativeTo: CommandSupport.currentDirectory, colored: options.colors.forStandardError)
      FileHandle.standardError.write(Data(text.utf8))
      for problem in result.problems { CommandSupport.printError("slicels: error: \(problem)") }
      CommandSupport.printError("slicels: the prune compile fails: nothing would be deleted")
      throw ExitCode(1)
    }
    var deletions = 0
    for operation in result.operations {
      let shown = CommandSupport.display(operation.path, relativeTo: root)
      switch operation {
      case .delete:
        deletions += 1
        print("would delete \(shown)")
      case .createDirectory: print("would create folder \(shown)")
      case .write: print("would create \(shown)")
      }
    }
    let stores = result.stores.joined(separator: ", ")
    CommandSupport.printError(
      deletions == 0
        ? "prune --dry-run: nothing to delete in \(stores)"
        : "prune --dry-run: \(deletions) file\(deletions == 1 ? "" : "s") would be deleted in \(stores); nothing was written")
  }
}
