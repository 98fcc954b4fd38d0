import LanguageServerProtocol
import SliceAnalysis
import SliceIDE
import SliceSyntax

enum HoverContent {
  static func hover(_ info: HoverInfo, document: TextDocument, encoding: PositionEncodingKind, markdown: Bool) -> Hover {
    Hover(
      contents: MarkupContent(kind: markdown ? .markdown : .plaintext, value: markdown ? info.markdown : info.plainText),
      range: document.lspRange(of: info.range, in: encoding))
  }
}

extension FeatureHandlers {
  /// `textDocument/hover`.
  static func registerHover(on server: LanguageServer, workspace: Workspace, host: AnalysisHost) {
    server.register(HoverRequest.self) { params, context in
      guard let request = try await EditorRequestFile.load(params.textDocument.uri, workspace: workspace, host: host, context: context),
        let file = request.file ?? request.configurationFile
      else { return nil }
      let offset = file.document.offset(of: params.position, in: context.positionEncoding)
      guard let info = EditorQueries.hover(at: offset, in: file) else { return nil }
      let markdown = context.clientCapabilities.textDocument?.hover?.contentFormat?.contains(.markdown) == true
      return HoverContent.hover(info, document: file.document, encoding: context.positionEncoding, markdown: markdown)
    }
  }
}
