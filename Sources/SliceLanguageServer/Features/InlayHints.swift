import LanguageServerProtocol
import SliceAnalysis
import SliceIDE
import SliceSyntax

enum InlayHints {
  static func hints(_ infos: [InlayHintInfo], document: TextDocument, encoding: PositionEncodingKind) -> [InlayHint] {
    infos.map { info in
      InlayHint(
        position: document.lspPosition(of: info.position, in: encoding), label: .string(info.label),
        kind: info.kind == .coercion ? .type : nil, tooltip: info.tooltip.map(StringOrMarkupContent.string),
        paddingLeft: info.paddingLeft ? true : nil)
    }
  }
}

extension FeatureHandlers {
  /// `textDocument/inlayHint`.
  static func registerInlayHints(on server: LanguageServer, workspace: Workspace, host: AnalysisHost) {
    server.register(InlayHintRequest.self) { params, context in
      guard let request = try await EditorRequestFile.load(params.textDocument.uri, workspace: workspace, host: host, context: context),
        let file = request.file
      else { return [] }
      let range = file.document.byteRange(of: params.range, in: context.positionEncoding)
      return InlayHints.hints(
        EditorQueries.inlayHints(for: file, in: range, options: request.snapshot.settings.inlayHints), document: file.document, encoding: context.positionEncoding)
    }
  }
}
