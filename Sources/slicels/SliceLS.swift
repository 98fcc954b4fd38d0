import ArgumentParser
import Foundation

@main
struct SliceLS: AsyncParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "slicels",
    abstract: "Language server and CLI for inmanta git-ops slice files.",
    discussion: """
      Without a command, slicels runs the language server on stdin and stdout. \
      Exit status of every command: 0 success, 1 the compile failed or findings were reported, \
      2 usage or environment error (no project, unknown store, missing schema).
      """,
    version: version,
    subcommands: [
      ServeCommand.self, CheckCommand.self, UpdateCommand.self, SyncCommand.self, ExportCommand.self,
      PruneCommand.self, PlanCommand.self, NewCommand.self, SchemaCommand.self, CodesCommand.self,
    ],
    defaultSubcommand: ServeCommand.self
  )

  /// ArgumentParser's own main, but a usage error exits with status 2 (not 64), like the
  /// environment errors the commands report.
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      if exitCode(for: error) == .validationFailure {
        let message = fullMessage(for: error)
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}
