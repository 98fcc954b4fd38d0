import ArgumentParser

@main
struct SliceLS: AsyncParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "slicels",
    abstract: "Language server and CLI for inmanta git-ops slice files.",
    version: version,
    subcommands: [ServeCommand.self, CheckCommand.self],
    defaultSubcommand: ServeCommand.self
  )
}
