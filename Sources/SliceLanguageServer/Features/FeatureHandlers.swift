import LanguageServerProtocol

/// The requests answered from a document snapshot (outline, folding, selection), from the
/// diagnostics (pull, quick fixes).
enum FeatureHandlers {
  static func register(on server: LanguageServer, workspace: Workspace, pipeline: DiagnosticsPipeline) {
    server.register(DocumentSymbolRequest.self) { params, context in
      guard let document = await workspace.document(params.textDocument.uri) else { return nil }
      context.releaseMessageOrder()
      try context.checkCancellation()
      let tree = document.syntaxTree
      try context.checkCancellation()
      if context.clientCapabilities.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport == true {
        return .documentSymbols(
          DocumentSymbols.documentSymbols(in: tree, document: document.document, encoding: context.positionEncoding))
      }
      return .symbolInformation(
        DocumentSymbols.symbolInformation(
          in: tree, document: document.document, uri: document.uri, encoding: context.positionEncoding))
    }

    server.register(FoldingRangeRequest.self) { params, context in
      guard let document = await workspace.document(params.textDocument.uri) else { return nil }
      context.releaseMessageOrder()
      try context.checkCancellation()
      let capabilities = context.clientCapabilities.textDocument?.foldingRange
      return FoldingRanges.ranges(
        in: document.syntaxTree, document: document.document, encoding: context.positionEncoding,
        lineFoldingOnly: capabilities?.lineFoldingOnly == true, limit: capabilities?.rangeLimit)
    }

    server.register(SelectionRangeRequest.self) { params, context in
      guard let document = await workspace.document(params.textDocument.uri) else { return nil }
      context.releaseMessageOrder()
      try context.checkCancellation()
      return SelectionRanges.ranges(
        at: params.positions, in: document.syntaxTree, document: document.document, encoding: context.positionEncoding)
    }

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

    server.register(CodeActionRequest.self, options: CodeActionOptions(codeActionKinds: [.quickFix])) { params, context in
      await pipeline.attach(session: context.session, client: context.client)
      // Clients without code action literals can only run commands; slicels' fixes are edits.
      guard context.clientCapabilities.textDocument?.codeAction?.codeActionLiteralSupport != nil else { return [] }
      let version = await workspace.document(params.textDocument.uri)?.version
      return await pipeline.quickFixes(for: params, documentVersion: version)
    }
  }
}
