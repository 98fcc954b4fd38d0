import ArgumentParser
import SliceStore
import SliceSyntax

struct NewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "new",
    abstract: "Scaffold a new source slice from the store's schema.",
    discussion: """
      Creates <source folder>/<NAME>.<format> with every property of the store's root model, as \
      the module's slice-create does: required properties get the placeholder <REPLACE_THIS> \
      (slicels check reports the ones left), optional ones their default, required embedded \
      objects are scaffolded recursively. The file is written in the module's own layout.

      Refuses when the slice already has a source file (in any format) or when the name is not \
      a valid slice name (empty, starting with '.', or containing '/' or '@'). The new file is \
      the only write. Prints its path.
      """
  )

  @OptionGroup var project: ProjectOption

  @Option(help: "The file format: json (the module's default) or yaml.")
  var format: SliceFormat = .json

  @Argument(help: "The store to create the slice in.")
  var store: String

  @Argument(help: "The slice name, which becomes the file name.")
  var name: String

  func run() throws {
    let root = try project.root()
    let analysis = ProjectAnalysis.analyze(root: root, options: ProjectAnalysis.Options(compileHints: false))
    let (storeAnalysis, schema) = try SchemaCommand.storeWithSchema(store, in: analysis)
    do {
      let path = try NewSlice.create(name: name, format: format, store: storeAnalysis, schema: schema)
      print(CommandSupport.display(path, relativeTo: CommandSupport.currentDirectory))
    } catch {
      switch error {
      case .invalidName, .exists: throw CommandSupport.environmentError(error.description)
      case .writeFailed: throw CommandSupport.environmentError(error.description)
      }
    }
  }
}
