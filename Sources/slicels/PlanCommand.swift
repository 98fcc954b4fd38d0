import ArgumentParser
import Foundation
import SliceStore

struct PlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Preview what the next sync and export will do, like terraform plan.",
    discussion: """
      For each slice the next sync changes: the version it activates, and each object the \
      following export hands to the model as created (+), updated (~) or purged (-), with its \
      dict path and model, and under it its attribute changes: `~ mtu: 9216 → 1600`, \
      `+ tagged: true`, `- description: "uplink"` (values on one line, long ones cut). An object \
      is updated only when its own attributes change; an object above a change is shown dimmed \
      as context and not counted. Purged objects are what the model will delete from the \
      infrastructure: removed list items, removed embedded objects, whole deleted slices.

      An object removed in an active version stays purged by every export until a prune. \
      Such purges are not counted as "to purge" but apart, as still carried by the active \
      versions: in a slice the next sync changes they are marked "already purged by vN"; the \
      slices the next sync leaves alone (e.g. right after a sync) that still carry some are \
      listed after the changes.

      SLICE selects slices as `check` prints them: a slice name (in every store that has it), \
      store/name, a slice file (source or active) or a store folder. The plan reads the \
      source slices (as update and sync do) and writes nothing. It ends with \
      "Plan: N to create, N to update, N to purge", and "; N purges still carried by the \
      active versions until a prune" when there are.

      --format json (or --json) prints every slice and object with its change and attribute \
      changes, for machines; --format markdown a summary for a merge-request comment.

      Exit status: 0 success, 1 a file would make the compile fail, 2 usage or environment \
      error. With --detailed-exitcode, as terraform plan: 0 the next sync changes nothing, \
      2 it changes something, 1 any error (usage errors found while parsing still exit 2).
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
  }

  @OptionGroup var project: ProjectOption

  @Option(
    name: .customLong("store"),
    help: ArgumentHelp("Only this store (repeat for several; default: every store).", valueName: "store"))
  var stores: [String] = []

  @Option(help: "Output format: text, json or markdown (a summary for a merge-request comment).")
  var format: Format?

  @Flag(help: "Print the plan as JSON: the same as --format json.")
  var json = false

  @Flag(help: "Exit 0 when the next sync changes nothing, 2 when it changes something, 1 on any error.")
  var detailedExitcode = false

  @OptionGroup var colors: ColorOption

  @OptionGroup var maximumFileSize: FileSizeLimitOption

  @Argument(
    help: ArgumentHelp(
      "Only these slices: name, store/name, slice file or store folder (default: all).", valueName: "slice"))
  var slices: [String] = []

  func run() throws {
    let hasChanges: Bool
    do {
      hasChanges = try plan()
    } catch let exit as ExitCode where detailedExitcode && exit == ExitCode(2) {
      // With --detailed-exitcode, 2 means changes: an environment error is an error like any other.
      throw ExitCode(1)
    }
    if detailedExitcode && hasChanges { throw ExitCode(2) }
  }

  /// Prints the plan; whether the next sync changes anything.
  func plan() throws -> Bool {
    if json, let format, format != .json {
      throw CommandSupport.usageError("--json and --format \(format.rawValue) do not go together")
    }
    let chosenFormat = json ? .json : format ?? .text
    let root = try project.root()
    let outcome: EmbeddedEngine.PlanOutcome
    do {
      outcome = try EmbeddedEngine.plan(
        root: root, stores: stores.isEmpty ? nil : stores, slices: slices.isEmpty ? nil : slices,
        maximumFileSize: maximumFileSize.bytes, currentDirectory: CommandSupport.currentDirectory)
    } catch {
      throw CommandSupport.environmentError(String(describing: error))
    }
    // The plan of a half-written project is not what the next sync does once it is completed.
    if let interrupted = CommitRecovery.interruptedCommitReport(root: root) {
      let text = FindingReport.text([interrupted], relativeTo: CommandSupport.currentDirectory, colored: colors.forStandardError)
      FileHandle.standardError.write(Data(text.utf8))
    }
    switch chosenFormat {
    case .json: PlanReport.writeJSON(outcome.stores) { chunk in FileHandle.standardOutput.write(Data(chunk)) }
    case .markdown: print(PlanReport.markdown(outcome.stores), terminator: "")
    case .text: print(PlanReport.text(outcome.stores, style: TerminalStyle(colored: colors.forStandardOutput)), terminator: "")
    }
    if !outcome.succeeded {
      let text = FindingReport.text(outcome.failedFiles, relativeTo: CommandSupport.currentDirectory, colored: colors.forStandardError)
      FileHandle.standardError.write(Data(text.utf8))
      for problem in outcome.problems { CommandSupport.printError("slicels: error: \(problem)") }
      CommandSupport.printError("slicels: the next compile fails on these files; their slices are not in the plan")
      throw ExitCode(1)
    }
    return PlanReport.summary(outcome.stores).hasChanges
  }
}
