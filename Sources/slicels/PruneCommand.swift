import ArgumentParser
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
      """
  )

  @OptionGroup var options: CompileOptions

  func run() throws {
    if options.engine == .inmanta { return try CompileRunner.inmanta(.prune, options: options) }
    let (outcome, root) = try CompileRunner.embedded(.prune, options: options)
    CompileRunner.reportChanges(outcome, root: root)
  }
}
