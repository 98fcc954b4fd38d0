import LanguageServerProtocol
import SliceAnalysis

extension FeatureHandlers {
  /// `textDocument/codeAction`: the quick fixes of the diagnostics in range, then the source actions.
  static func registerCodeActions(on server: LanguageServer, workspace: Workspace, pipeline: DiagnosticsPipeline, host: AnalysisHost) {
    server.register(
      CodeActionRequest.self, options: CodeActionOptions(codeActionKinds: [.quickFix, .sliceUpdate, .slicePreviewPurged])
    ) { params, context in
      await pipeline.attach(session: context.session, client: context.client)
      let literals = context.clientCapabilities.textDocument?.codeAction?.codeActionLiteralSupport != nil
      let documentChanges = context.clientCapabilities.workspace?.workspaceEdit?.documentChanges == true
      var actions: [CodeActionOrCommand] = []
      // Clients without code action literals can only run commands; slicels' fixes are edits.
      if literals {
        let version = await workspace.document(params.textDocument.uri)?.version
        actions += await pipeline.quickFixes(for: params, documentVersion: version)
      }
      let sourceWanted =
        params.context.only.map { only in
          only.contains { CodeActionKind.sliceUpdate.isSelected(by: $0) || CodeActionKind.slicePreviewPurged.isSelected(by: $0) }
        } ?? true
      guard sourceWanted,
        let request = try await EditorRequestFile.load(params.textDocument.uri, workspace: workspace, host: host, context: context)
      else { return actions }
      try context.checkCancellation()
      actions += SourceActions.actions(
        for: request, only: params.context.only, encoding: context.positionEncoding, documentChanges: documentChanges,
        literals: literals, range: request.file.map { $0.document.byteRange(of: params.range, in: context.positionEncoding) })
      return actions
    }
  }
}
