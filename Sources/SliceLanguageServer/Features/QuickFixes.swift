import LanguageServerProtocol
import SliceSyntax

/// A finding's fixes as quick-fix code actions.
public enum QuickFixes {
  /// One action per fix of `finding`, editing the file `uri` whose text is `document` (the text
  /// the finding was made from). `version` is the open document's version, for clients that take
  /// `documentChanges` (they refuse the edit if the document moved on).
  public static func actions(
    for finding: Finding, diagnostic: Diagnostic, uri: DocumentURI, document: TextDocument, version: Int?,
    encoding: PositionEncodingKind, documentChanges: Bool
  ) -> [CodeAction] {
    finding.fixes.map { fix in
      let edits = fix.edits.sorted { $0.range.lowerBound < $1.range.lowerBound }.map { edit in
        LSPTextEdit(range: document.lspRange(of: edit.range, in: encoding), newText: edit.newText)
      }
      let workspaceEdit =
        documentChanges
        ? WorkspaceEdit(
          documentChanges: [
            .edit(TextDocumentEdit(textDocument: OptionalVersionedTextDocumentIdentifier(uri: uri, version: version), edits: edits))
          ])
        : WorkspaceEdit(changes: [uri: edits])
      return CodeAction(
        title: fix.title, kind: .quickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred ? true : nil,
        edit: workspaceEdit)
    }
  }

  /// Whether a request's `only` filter lets quick fixes through.
  public static func wanted(by only: [CodeActionKind]?) -> Bool {
    guard let only else { return true }
    return only.contains { CodeActionKind.quickFix.isSelected(by: $0) }
  }
}
