import Foundation
import LanguageServerProtocol
import SliceIDE
import SliceAnalysis
import SliceSchema
import SliceStore

/// The requests answered from a document snapshot (outline, folding, selection), from the
/// diagnostics (pull, quick fixes), and from the project analysis (completion, hover,
/// definition, lenses, inlay hints, source actions, their commands).
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

    let host = pipeline.analysisHost ?? AnalysisHost()
    registerEditorFeatures(on: server, workspace: workspace, pipeline: pipeline, host: host)
  }
}

extension FeatureHandlers {
  static func registerEditorFeatures(on server: LanguageServer, workspace: Workspace, pipeline: DiagnosticsPipeline, host: AnalysisHost) {
    server.register(
      CompletionRequest.self, options: CompletionOptions(triggerCharacters: CompletionItems.triggerCharacters)
    ) { params, context in
      // Completion needs the buffer and its store's schema, nothing else: it never waits for an
      // analysis of the buffer (a large slice just edited) or of the project.
      let snapshot = await workspace.snapshot()
      context.releaseMessageOrder()
      guard let open = snapshot.document(params.textDocument.uri) else { return CompletionList(items: []) }
      try context.checkCancellation()
      var schema: StoreSchema?
      if open.isFile, let root = open.projectRoot {
        schema = await host.schema(root: root, file: open.location)
        // A buffer over the size limit is not analysed: its one finding says why.
        if open.document.bytes.count > (await host.maximumFileSize(root: root)) {
          return CompletionList(items: [])
        }
      }
      let document = open.document
      let offset = document.offset(of: params.position, in: context.positionEncoding)
      let candidates = EditorQueries.completions(
        document: document, tree: open.syntaxTree, format: open.format, offset: offset, schema: schema)
      try context.checkCancellation()
      let item = context.clientCapabilities.textDocument?.completion?.completionItem
      return CompletionList(
        items: CompletionItems.items(
          candidates, document: document, encoding: context.positionEncoding, snippets: item?.snippetSupport == true,
          markdown: item?.documentationFormat?.contains(.markdown) == true))
    }

    server.register(HoverRequest.self) { params, context in
      guard let request = try await EditorRequestFile.load(params.textDocument.uri, workspace: workspace, host: host, context: context),
        let file = request.file
      else { return nil }
      let offset = file.document.offset(of: params.position, in: context.positionEncoding)
      guard let info = EditorQueries.hover(at: offset, in: file) else { return nil }
      let markdown = context.clientCapabilities.textDocument?.hover?.contentFormat?.contains(.markdown) == true
      return HoverContent.hover(info, document: file.document, encoding: context.positionEncoding, markdown: markdown)
    }

    server.register(DefinitionRequest.self) { params, context in
      guard let request = try await EditorRequestFile.load(params.textDocument.uri, workspace: workspace, host: host, context: context),
        let file = request.file
      else { return nil }
      let offset = file.document.offset(of: params.position, in: context.positionEncoding)
      let targets = EditorQueries.definition(at: offset, in: file)
      try context.checkCancellation()
      return DefinitionLocations.response(
        targets, origin: nil, request: request, encoding: context.positionEncoding,
        links: context.clientCapabilities.textDocument?.definition?.linkSupport == true)
    }

    server.register(CodeLensRequest.self) { params, context in
      guard let request = try await EditorRequestFile.load(params.textDocument.uri, workspace: workspace, host: host, context: context),
        let file = request.file
      else { return [] }
      return CodeLenses.lenses(EditorQueries.codeLenses(for: file), request: request, encoding: context.positionEncoding)
    }

    server.register(InlayHintRequest.self) { params, context in
      guard let request = try await EditorRequestFile.load(params.textDocument.uri, workspace: workspace, host: host, context: context),
        let file = request.file
      else { return [] }
      let range = file.document.byteRange(of: params.range, in: context.positionEncoding)
      return InlayHints.hints(
        EditorQueries.inlayHints(for: file, in: range), document: file.document, encoding: context.positionEncoding)
    }

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

    server.register(ExecuteCommandRequest.self, options: ExecuteCommandOptions(commands: EditorCommands.all)) { params, context in
      let arguments = params.arguments ?? []
      switch params.command {
      case EditorCommands.previewPurged:
        guard let uri = arguments.first?.stringValue else {
          throw ResponseError.invalidParams("\(EditorCommands.previewPurged) needs the slice file's URI")
        }
        return try await CommandRunner.previewPurged(uri: uri, workspace: workspace, host: host, context: context)
      case EditorCommands.openFile:
        context.releaseMessageOrder()
        return try await CommandRunner.openFile(arguments: arguments, context: context)
      default:
        throw ResponseError.invalidParams("unknown command \(params.command)")
      }
    }
  }
}
