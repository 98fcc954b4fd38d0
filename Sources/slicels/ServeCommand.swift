import ArgumentParser
import SliceLanguageServer

struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the language server on stdin and stdout (the default command)."
  )

  @Flag(help: "Accepted because editors pass it; stdio is the only transport.")
  var stdio = false

  func run() async throws {
    let status = await SliceServer.make(version: SliceLS.version).run()
    throw ExitCode(status)
  }
}
