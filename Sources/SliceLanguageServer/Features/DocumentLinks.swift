import Foundation
import LanguageServerProtocol
import SliceAnalysis
import SliceIDE
import SliceStore
import SliceSyntax

extension FeatureHandlers {
  /// `textDocument/documentLink`: `schema_path` in files/git-ops-config.yml (and `schema` in
  /// slicels.yml), `$ref`s of JSON schemas, a source slice's active versions and an active
  /// version's source. A `$ref` to a place in a file leads there with a `#L<line>,<column>`
  /// fragment (1-based, columns in the negotiated encoding).
  static func registerDocumentLinks(on server: LanguageServer, workspace: Workspace, host: AnalysisHost) {
    server.register(DocumentLinkRequest.self) { params, context in
      guard let request = try await EditorRequestFile.load(params.textDocument.uri, workspace: workspace, host: host, context: context)
      else { return nil }
      let open = request.open
      guard open.isFile, let root = open.projectRoot else { return [] }
      let tree = open.syntaxTree
      let bytes = open.document.bytes
      var targets = EditorQueries.configurationLinks(tree: tree, bytes: bytes, file: open.location, projectRoot: root)
      if let file = request.file, file.role != .outsideStores {
        targets += EditorQueries.sliceLinks(in: file)
      } else if targets.isEmpty, open.format == .json {
        let reader = request.context?.configuration.fileReader ?? FileReader()
        targets += EditorQueries.schemaReferenceLinks(
          tree: tree, bytes: bytes, file: open.location, projectRoot: root,
          read: { path in request.document(at: URL(fileURLWithPath: path)).map(\.bytes) ?? reader.contents(path) })
      }
      try context.checkCancellation()
      let encoding = context.positionEncoding
      return targets.map { target in
        let url = URL(fileURLWithPath: target.path)
        var uri = request.snapshot.uri(for: url)
        if let range = target.targetRange, let document = request.document(at: url) {
          let start = document.lspPosition(of: min(range.lowerBound, document.bytes.count), in: encoding)
          uri += "#L\(start.line + 1),\(start.character + 1)"
        }
        return DocumentLink(range: open.document.lspRange(of: target.range, in: encoding), target: uri, tooltip: target.tooltip)
      }
    }
  }
}
