import ArgumentParser
import SliceStore

struct SchemaCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "schema",
    abstract: "Show a store's schema: its models, properties and identity keys.",
    discussion: """
      Shows the schema file slicels validates the store's slices against, the root model, and \
      for each model its properties (type, required or default). For models that are items of a \
      list, the identity keys that tell them apart in the merged view, and where they come from: \
      the schema's x-git-ops-keys extension, the store's `keys` in slicels.yml, or inferred (the \
      required scalar properties, in schema order). The module declares keys in Python, which \
      the schema does not carry: when the inferred keys are wrong, set them in slicels.yml.
      """
  )

  @OptionGroup var project: ProjectOption

  @Flag(help: "Print the models as JSON.")
  var json = false

  @OptionGroup var colors: ColorOption

  @Argument(help: "The store.")
  var store: String

  func run() throws {
    let root = try project.root()
    let analysis = ProjectAnalysis.analyze(root: root, options: ProjectAnalysis.Options(compileHints: false))
    let (_, schema) = try Self.storeWithSchema(store, in: analysis)
    if json {
      print(SchemaOverview.json(store: store, schema: schema), terminator: "")
    } else {
      let style = TerminalStyle(colored: colors.forStandardOutput)
      print(SchemaOverview.text(store: store, schema: schema, relativeTo: CommandSupport.currentDirectory, style: style), terminator: "")
    }
  }

  /// The store and its usable schema, or an environment error (exit 2) saying what to do.
  static func storeWithSchema(_ name: String, in analysis: ProjectAnalysis) throws -> (StoreAnalysis, StoreSchema) {
    do {
      let store = try EmbeddedEngine.storeWithSchema(name, in: analysis)
      guard let schema = store.schema else { throw CommandSupport.environmentError("store '\(name)' has no schema") }
      return (store, schema)
    } catch let error as CompileSetupError {
      throw CommandSupport.environmentError(error.description)
    }
  }
}
