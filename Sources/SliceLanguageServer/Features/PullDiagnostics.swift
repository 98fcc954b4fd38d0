import LanguageServerProtocol

// The two pull requests share the pipeline's result ids, so they live together.
extension FeatureHandlers {
  /// `textDocument/diagnostic` and `workspace/diagnostic`: the pipeline's findings, pulled.
  static func registerPullDiagnostics(on server: LanguageServer, pipeline: DiagnosticsPipeline) {
    server.register(
      DocumentDiagnosticRequest.self,
      options: DiagnosticOptions(identifier: "slicels", interFileDependencies: true, workspaceDiagnostics: true)
    ) { params, context in
      await pipeline.attach(session: context.session, client: context.client)
      // The analysis waits for the ones queued before it; later edits need not wait for it.
      context.releaseMessageOrder()
      return await pipeline.report(for: params.textDocument.uri, previousResultId: params.previousResultId)
    }

    server.register(WorkspaceDiagnosticRequest.self) { params, context in
      await pipeline.attach(session: context.session, client: context.client)
      context.releaseMessageOrder()
      return await pipeline.workspaceReport(previousResultIds: params.previousResultIds)
    }
  }
}
