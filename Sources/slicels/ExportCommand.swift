import ArgumentParser
import Foundation
import SliceStore

struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Show the merged view the model receives in an export compile.",
    discussion: """
      Reads only the active store: the current version of a slice is its latest active version \
      (an edit that was not synced yet is invisible here), merged with the older versions so \
      that removed objects stay visible with operation delete until a prune.

      The text output is a tree per slice with each object's operation. --json prints exactly \
      what git_ops::unroll_slices returns: a list of {"name", "store_name", "version", \
      "attributes", "deleted"}, store by store, each sorted by name. Model-only attributes \
      (declared in Python, hidden from the JSON schema) are in it only when slicels.yml declares \
      them with their defaults: `stores: {fs: {model_only: {File: {previous_content: null}}}}`. \
      The only write is the active folder with its .migrations.json for a store that has none. \
      --engine inmanta runs the project's compile command with INMANTA_GIT_OPS_COMPILE_MODE=export.
      """
  )

  @OptionGroup var options: CompileOptions

  @Flag(help: "Print the merged view as JSON.")
  var json = false

  func run() throws {
    if options.engine == .inmanta {
      if json { throw CommandSupport.usageError("--json needs the embedded engine: the real compile hands the view to the model, not to slicels") }
      return try CompileRunner.inmanta(.export, options: options)
    }
    let format: ExportStream.Format =
      json ? .json : .text(TerminalStyle(colored: options.colors.forStandardOutput))
    // Each slice is merged and written in turn; the output waits in a spool until the
    // compile is known to succeed.
    let (outcome, root) = try CompileRunner.embedded(.export, options: options, export: ExportStreaming(format: format))
    if let streamed = outcome.streamedExport {
      streamed.spool.copy { chunk in FileHandle.standardOutput.write(Data(chunk)) }
      if let unwritable = streamed.unwritable {
        CommandSupport.printError("slicels: error: \(unwritable)")
        throw ExitCode(1)
      }
    }
    for line in CommandSupport.changeLines(outcome.changes, root: root) { CommandSupport.printError(line) }
  }

}
