import LanguageServerProtocol
import SliceAnalysis
import SliceIDE
import SliceStore
import SliceSyntax

enum CompletionItems {
  static let triggerCharacters = [":", "-", "\"", " "]

  static func items(
    _ candidates: [CompletionCandidate], document: TextDocument, encoding: PositionEncodingKind, snippets: Bool,
    markdown: Bool
  ) -> [CompletionItem] {
    candidates.map { candidate in
      let snippet = candidate.isSnippet && snippets
      let text = candidate.isSnippet && !snippets ? SnippetText.plain(candidate.insertText) : candidate.insertText
      let documentation = candidate.documentation.map {
        markdown ? StringOrMarkupContent.markup(MarkupContent(kind: .markdown, value: $0)) : .string($0)
      }
      let additional = candidate.additionalEdits.map {
        LSPTextEdit(range: document.lspRange(of: $0.range, in: encoding), newText: $0.newText)
      }
      return CompletionItem(
        label: candidate.label, kind: kind(of: candidate), tags: candidate.isDeprecated ? [.deprecated] : nil,
        detail: candidate.detail, documentation: documentation, deprecated: candidate.isDeprecated ? true : nil,
        preselect: candidate.isPreselected ? true : nil, sortText: candidate.sortText, filterText: candidate.filterText,
        insertTextFormat: snippet ? .snippet : .plainText, insertTextMode: .asIs,
        textEdit: .edit(
          LSPTextEdit(range: document.lspRange(of: candidate.replaceRange, in: encoding), newText: text)),
        additionalTextEdits: additional.isEmpty ? nil : additional)
    }
  }

  static func kind(of candidate: CompletionCandidate) -> CompletionItemKind {
    switch candidate.kind {
    case .property: return .property
    case .value: return .value
    case .snippet: return .snippet
    case .file: return .file
    }
  }
}

extension FeatureHandlers {
  /// `textDocument/completion`.
  static func registerCompletion(on server: LanguageServer, workspace: Workspace, host: AnalysisHost) {
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
        schema = ConfigurationSchemas.schema(for: open.location, projectRoot: root)
        if schema == nil { schema = await host.schema(root: root, file: open.location) }
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
  }
}
