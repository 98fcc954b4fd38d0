import Foundation
import SliceAnalysis
import SliceSchema
import SliceStore
import SliceSyntax

/// One open file as the editor queries see it: its current text and tree (which may be newer
/// than the project analysis while the user types), where it stands in the project, and the
/// store it belongs to.
///
/// Every query is a pure function of this value: the language server builds one per request
/// from its latest `ProjectAnalysis` and the buffer, and only translates the answer.
public struct EditorFile: Sendable {
  public var url: URL
  public var document: TextDocument
  public var tree: SyntaxTree
  public var role: SliceFileAnalysis.Role
  /// The store of a source or active file, from the latest analysis.
  public var store: StoreAnalysis?
  /// The store's schema (given apart so a file can be queried without a whole analysis).
  public var schema: StoreSchema?
  /// The validation of this text, when the caller has it for the same text (the analysis'
  /// one is reused when the text did not change); queries validate what they need otherwise.
  public var validation: SliceValidation?
  /// Other files of the project as last analysed (active versions, the source file), by
  /// standardized file URL: definitions and hovers point into them.
  public var projectFiles: [URL: SliceFileAnalysis]

  public init(
    url: URL, document: TextDocument, tree: SyntaxTree, role: SliceFileAnalysis.Role, store: StoreAnalysis? = nil,
    schema: StoreSchema? = nil, validation: SliceValidation? = nil, projectFiles: [URL: SliceFileAnalysis] = [:]
  ) {
    self.url = url.standardizedFileURL
    self.document = document
    self.tree = tree
    self.role = role
    self.store = store
    self.schema = schema ?? store?.schema
    self.validation = validation
    self.projectFiles = projectFiles
  }

  /// The file as the analysis read it, or with `bytes` as its current text (an unsaved buffer).
  /// Nil when the analysis does not know the file and no bytes are given.
  public init?(analysis: ProjectAnalysis, url: URL, bytes: [UInt8]? = nil) {
    let key = url.standardizedFileURL
    let analysed = analysis.files[key]
    let role = analysed?.role ?? EditorFile.role(of: key, in: analysis)
    let store: StoreAnalysis?
    switch role {
    case .source(let name), .active(let name): store = analysis.store(named: name)
    case .outsideStores: store = nil
    }
    // A buffer over the size limit is not analysed: its one finding says why.
    if let bytes, bytes.count > analysis.configuration.fileReader.maximumSize { return nil }
    if let bytes, bytes != analysed?.document.bytes {
      let format = SliceFormat(fileExtension: key.pathExtension) ?? .yaml
      self.init(
        url: key, document: TextDocument(bytes: bytes), tree: SliceReader.read(bytes, format: format), role: role,
        store: store, validation: nil, projectFiles: analysis.files)
    } else if let analysed {
      self.init(
        url: key, document: analysed.document, tree: analysed.tree, role: role, store: store,
        validation: analysed.validation, projectFiles: analysis.files)
    } else {
      return nil
    }
  }

  /// The role of a file the analysis has not read yet (created since), from its folder.
  static func role(of url: URL, in analysis: ProjectAnalysis) -> SliceFileAnalysis.Role {
    let folder = url.deletingLastPathComponent().standardizedFileURL.path
    guard let name = SliceFileName.parse(url.lastPathComponent), !SliceFileName.isHidden(url.lastPathComponent) else {
      return .outsideStores
    }
    for store in analysis.stores {
      if store.configuration.sourceFolder.standardizedFileURL.path == folder, name.format != nil { return .source(store: store.name) }
      if store.configuration.activeFolder.standardizedFileURL.path == folder, name.version != nil { return .active(store: store.name) }
    }
    return .outsideStores
  }

  public var format: SliceFormat { tree.format }
  /// The slice name, for files of a store.
  public var sliceName: String? { SliceFileName.parse(url.lastPathComponent)?.name }
  public var isSource: Bool {
    if case .source = role { return true }
    return false
  }

  /// This file's validation: the given one, or one computed now (nil without a schema or a slice).
  func currentValidation() -> SliceValidation? {
    if let validation { return validation }
    guard let schema, case .slice(let root) = tree.sliceKind else { return nil }
    return schema.validator.validate(root)
  }

  /// A project file as last analysed.
  func analysedFile(atPath path: String) -> SliceFileAnalysis? {
    projectFiles[URL(fileURLWithPath: path).standardizedFileURL]
  }
}

extension EditorFile {
  /// The file as the incremental analysis has it: its text, tree and validation, its store
  /// narrowed to its own slice. Nil for a file over the size limit (its one finding says why).
  public init?(context: FileContext) {
    if case .tooLarge? = context.analysed.readFailure { return nil }
    self.init(
      url: context.file, document: context.analysed.document, tree: context.analysed.tree, role: context.role,
      store: context.store, schema: context.store?.schema, validation: context.analysed.validation,
      projectFiles: context.sliceFiles)
  }
}
