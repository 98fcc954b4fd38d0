import ArgumentParser
import SliceStore

struct SyncCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync",
    abstract: "Activate the source slices, as a sync compile does.",
    discussion: """
      Writes every slice of the selected stores to git_ops/active/<store>/<name>@v<N>.json: \
      a changed slice gets the next version, a new one v1, a removed one a deleted version ({}). \
      Like the module, sync compares data, not text: a source that was never normalised by an \
      update still activates, and source files are left as they are. (The module blocks a sync \
      only when Python code in the model changed a slice during the compile, which the \
      embedded engine never does.)

      If a file of a selected store does not load or validate, nothing is written. Nor when a \
      selected source slice still holds the scaffold placeholder <REPLACE_THIS> (what `slicels \
      new` writes for required properties), anywhere, in a value or a key: the error \
      [placeholder] points at it (the reference would activate the placeholder as a value). The new \
      versions are committed together, as update's files are (see `slicels update --help`). Run \
      `slicels plan` first to see the versions and the purges a sync leads to. \
      --engine inmanta runs the project's compile command with INMANTA_GIT_OPS_COMPILE_MODE=sync.
      """
  )

  @OptionGroup var options: CompileOptions

  @Flag(
    help: ArgumentHelp(
      "Delete every active slice of a store whose source folder is missing or holds no slice file.",
      discussion: """
        Without it such a store fails the sync ([store-sources-missing]): a folder that moved or \
        is not checked out would otherwise delete every slice of the store, and the next export \
        would purge all they hold. With it the sync does what the module does.
        """))
  var allowEmptiedStores = false

  func run() throws {
    if options.engine == .inmanta { return try CompileRunner.inmanta(.sync, options: options) }
    let (outcome, root) = try CompileRunner.embedded(.sync, options: options, allowsEmptiedStores: allowEmptiedStores)
    CompileRunner.reportChanges(outcome, root: root)
  }
}
