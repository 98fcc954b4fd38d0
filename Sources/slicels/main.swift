import ArgumentParser

@main
struct SliceLS: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "slicels", abstract: "Language server and CLI for inmanta git-ops slice files.")
}
