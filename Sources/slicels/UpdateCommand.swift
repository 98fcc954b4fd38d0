import ArgumentParser
import SliceStore

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

  func run() throws {
    if options.engine == .inmanta {
      if style != nil { throw CommandSupport.usageError("--style applies to the embedded engine only") }
      return try CompileRunner.inmanta(.update, options: options)
    }
    let (outcome, root) = try CompileRunner.embedded(.update, options: options, style: style ?? .preserve)
    CompileRunner.reportChanges(outcome, root: root)
  }
}
