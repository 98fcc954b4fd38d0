import ArgumentParser
import Foundation
import SliceStore

struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Preview what the next sync and export will do, like terraform plan.",
    discussion: """
      For each slice with something to do: the version the next sync activates, and each \
      object the following export hands to the model as created (+), updated (~) or purged (-), \
      with its dict path and model. Purged objects are what the model will delete from the \
      infrastructure: removed list items, removed embedded objects, whole deleted slices. An \
      object removed in an older version stays purged until a prune.

      The plan reads the source slices (as update and sync do) and writes nothing. It ends with \
      "Plan: N to create, N to update, N to purge". --json prints every slice and object, with \
      its change, for machines. Exit status 1 when a file would make the compile fail.
      """
  )

  @OptionGroup var project: ProjectOption

  @Option(
    name: .customLong("store"),
    help: ArgumentHelp("Only this store (repeat for several; default: every store).", valueName: "store"))
  var stores: [String] = []

  @Flag(help: "Print the plan as JSON.")
  var json = false

  @Flag(help: "Never color the output (it is colored only on a terminal anyway).")
  var noColor = false

  @OptionGroup var maximumFileSize: FileSizeLimitOption

  @Argument(help: ArgumentHelp("Only these slices (default: all).", valueName: "slice"))
  var slices: [String] = []

  func run() throws {
    let root = try project.root()
    let outcome: EmbeddedEngine.PlanOutcome
    do {
      outcome = try EmbeddedEngine.plan(
        root: root, stores: stores.isEmpty ? nil : stores, slices: slices.isEmpty ? nil : slices,
        maximumFileSize: maximumFileSize.bytes)
    } catch {
      throw CommandSupport.environmentError(error.description)
    }
    // The plan of a half-written project is not what the next sync does once it is completed.
    if let interrupted = CommitRecovery.interruptedCommitReport(root: root) {
      let colored = !noColor && CommandSupport.stderrIsTerminal
      let text = FindingReport.text([interrupted], relativeTo: CommandSupport.currentDirectory, colored: colored)
      FileHandle.standardError.write(Data(text.utf8))
    }
    if json {
      print(PlanReport.json(outcome.stores), terminator: "")
    } else {
      let style = TerminalStyle(colored: !noColor && CommandSupport.stdoutIsTerminal)
      print(PlanReport.text(outcome.stores, style: style), terminator: "")
    }
    if !outcome.succeeded {
      let colored = !noColor && CommandSupport.stderrIsTerminal
      let text = FindingReport.text(outcome.failedFiles, relativeTo: CommandSupport.currentDirectory, colored: colored)
      FileHandle.standardError.write(Data(text.utf8))
      for problem in outcome.problems { CommandSupport.printError("slicels: error: \(problem)") }
      CommandSupport.printError("slicels: the next compile fails on these files; their slices are not in the plan")
      throw ExitCode(1)
    }
  }
}
