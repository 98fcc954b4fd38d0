import Foundation
import LanguageServerProtocol
import SliceAnalysis
import SliceIDE
import SliceStore
import SliceSyntax

/// The open document a feature request is about, with the engine's view of it.
struct EditorRequestFile {
  let open: OpenDocument
  let snapshot: WorkspaceSnapshot
  /// The file and its slice as the incremental analysis has them (nil outside any project).
  let context: FileContext?
  let file: EditorFile?

  /// Takes the snapshot, lets later messages through, then asks the analysis for the file's
  /// context: its own slice is analysed if it changed, never the rest of the project. Nil when
  /// the document is not open.
  static func load(_ uri: DocumentURI, workspace: Workspace, host: AnalysisHost, context: RequestContext) async throws
    -> EditorRequestFile?
  {
    let snapshot = await workspace.snapshot()
    context.releaseMessageOrder()
    guard let open = snapshot.document(uri) else { return nil }
    try context.checkCancellation()
    guard open.isFile, let root = open.projectRoot else {
      return EditorRequestFile(open: open, snapshot: snapshot, context: nil, file: nil)
    }
    let fileContext = await host.context(
      root: root, file: open.location, buffers: ProjectDiagnosticsSource.buffers(of: root, in: snapshot),
      compileHints: snapshot.settings.showHints)
    try context.checkCancellation()
    return EditorRequestFile(open: open, snapshot: snapshot, context: fileContext, file: fileContext.flatMap(EditorFile.init(context:)))
  }

  /// slicels.yml or files/git-ops-config.yml, with its schema shipped in the binary.
  var configurationFile: EditorFile? {
    guard open.isFile, let root = open.projectRoot else { return nil }
    return ConfigurationSchemas.editorFile(url: open.location, document: open.document, tree: open.syntaxTree, projectRoot: root)
  }

  /// The text of another file, for converting a byte range in it: the analysis' copy (the one
  /// the range was computed on), an open buffer, else the disk.
  func document(at url: URL) -> TextDocument? {
    let key = url.standardizedFileURL
    if let analysed = context?.sliceFiles[key] { return analysed.document }
    if let buffer = snapshot.document(at: key) { return buffer.document }
    let reader = context?.configuration.fileReader ?? FileReader()
    return reader.contents(key.path).map { TextDocument(bytes: $0) }
  }
}
