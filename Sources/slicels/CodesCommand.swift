import ArgumentParser
import SliceStore

struct CodesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "codes",
    abstract: "List every diagnostic code: its severity, what it means and its quick fix.",
    discussion: """
      The stable codes slicels reports (in `check`, the compile modes and the language server), \
      from the registry the README's table and SARIF's rules are made of.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case markdown, json
  }

  @Option(help: "Output format: markdown (the README's table) or json.")
  var format: Format = .markdown

  func run() throws {
    switch format {
    case .markdown: print(FindingCodeTable.markdown(), terminator: "")
    case .json: print(FindingCodeTable.json(), terminator: "")
    }
  }
}
