import LanguageServerProtocol
import SliceIDE
import SliceSyntax

extension FeatureHandlers {
  /// `textDocument/formatting` (see `EditorQueries.formattingEdits`): no edits for a document
  /// with syntax errors.
  static func registerFormatting(on server: LanguageServer, workspace: Workspace) {
    server.register(DocumentFormattingRequest.self) { params, context in
      guard let open = await workspace.document(params.textDocument.uri) else { return nil }
      context.releaseMessageOrder()
      let options = params.options
      let style = FormattingStyle(
        indentWidth: min(max(options.tabSize, 1), 16), usesTabs: !options.insertSpaces,
        insertFinalNewline: options.insertFinalNewline == true, trimFinalNewlines: options.trimFinalNewlines == true)
      let tree = open.syntaxTree
      try context.checkCancellation()
      guard let edits = EditorQueries.formattingEdits(document: open.document, tree: tree, style: style) else { return [] }
      return edits.map { LSPTextEdit(range: open.document.lspRange(of: $0.range, in: context.positionEncoding), newText: $0.newText) }
    }
  }
}
