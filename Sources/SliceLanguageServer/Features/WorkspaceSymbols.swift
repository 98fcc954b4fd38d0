import Foundation
import LanguageServerProtocol
import SliceAnalysis
import SliceIDE
import SliceStore

extension FeatureHandlers {
  /// `workspace/symbol`: the slice files of every store of the workspace's projects, by name
  /// (`EditorQueries.symbolName`), from the folder listings: no file is read.
  static func registerWorkspaceSymbols(on server: LanguageServer, workspace: Workspace, host: AnalysisHost) {
    server.register(WorkspaceSymbolRequest.self) { params, context in
      let snapshot = await workspace.snapshot()
      context.releaseMessageOrder()
      var roots = await host.knownRoots
      for root in snapshot.projectRoots + snapshot.folderLocations.compactMap(ProjectLocator.projectRoot(containing:))
      where !roots.contains(root.standardizedFileURL) {
        roots.append(root.standardizedFileURL)
      }
      var entries: [SliceDirectoryEntry] = []
      for root in roots {
        try context.checkCancellation()
        entries += await host.sliceDirectory(root: root)
      }
      let zero = LSPPosition(line: 0, character: 0)
      return EditorQueries.workspaceSymbols(entries, query: params.query).map { symbol in
        SymbolInformation(
          name: symbol.name, kind: .file,
          location: Location(uri: snapshot.uri(for: URL(fileURLWithPath: symbol.path)), range: LSPRange(start: zero, end: zero)),
          containerName: symbol.store)
      }
    }
  }
}
