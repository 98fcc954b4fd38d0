import Foundation
import SliceSchema
import SliceSyntax

/// `slicels new`: a new source slice scaffolded from the store's schema, like the reference's
/// `slice-create` compile (`SliceStore.create_slice`): every property of the root model, the
/// required ones with the placeholder `<REPLACE_THIS>`, the optional ones with their default,
/// required embedded objects scaffolded recursively; written with the reference's writer.
public enum NewSlice {
  public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name breaks the reference's rules.
    case invalidName(String)
    /// A source file of that slice exists (in any format).
    case exists(path: String)
    case writeFailed(String)

    public var description: String {
      switch self {
      case .invalidName(let problem):
        return "Invalid slice name: \(problem)"
      case .exists(let path):
        return "a source slice with that name already exists: \(path) (edit it, or choose another name)"
      case .writeFailed(let reason):
        return reason
      }
    }
  }

  /// The path and text of the new file, without writing anything.
  public static func scaffold(name: String, format: SliceFormat, store: StoreAnalysis, schema: StoreSchema)
    throws(Failure) -> (path: String, text: String)
  {
    if let problem = SliceFileName.problem(withSliceName: name) { throw .invalidName(problem) }
    if let existing = store.folders.source(named: name) { throw .exists(path: existing.path) }
    let path = StoreFolders.join(store.configuration.sourceFolder.path, SliceFileName.sourceFileName(name: name, format: format))
    if FileManager.default.fileExists(atPath: path) { throw .exists(path: path) }
    let content = schema.query.scaffold(schema.schemas.root)
    do {
      return (path, try EmbeddedEngine.referenceText(content, format: format))
    } catch {
      throw .writeFailed("the scaffold cannot be serialized: \(error)")
    }
  }

  /// Writes the scaffold: the new file is the only write (its folder is created if missing).
  @discardableResult
  public static func create(name: String, format: SliceFormat, store: StoreAnalysis, schema: StoreSchema)
    throws(Failure) -> String
  {
    let (path, text) = try scaffold(name: name, format: format, store: store, schema: schema)
    let transaction = FileTransaction(steps: [.write(path: path, bytes: Array(text.utf8))])
    do {
      try transaction.commit()
    } catch {
      throw .writeFailed("nothing was written: \(error)")
    }
    return path
  }
}
