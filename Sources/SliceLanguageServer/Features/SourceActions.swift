import Foundation
import LanguageServerProtocol
import SliceAnalysis
import SliceIDE
import SliceStore
import SliceSyntax

extension CodeActionKind {
  /// "Run update compile": the embedded engine's normalised content of the slice as an edit.
  public static let sliceUpdate = CodeActionKind(rawValue: "source.slicels.update")
  /// "Preview purged elements": the merged view of the slice, opened as a document.
  public static let slicePreviewPurged = CodeActionKind(rawValue: "source.slicels.previewPurged")
}

/// The source actions of a slice file.
enum SourceActions {
  /// What "Run update compile" does to a file: its edits, and what it drops and rewrites.
  struct UpdateCompile {
    var edits: [TextEdit]
    /// Reviewed as the CLI's default does: near misses are errors with a rename fix.
    var review: UpdateReview.FileReview

    /// "Run update compile (drops 'taged', 'desciption')": the action is the user's consent,
    /// so its title says what is lost.
    var title: String {
      guard !review.dropped.isEmpty else { return "Run update compile" }
      let shown = review.dropped.prefix(Self.namesInTitle).map { "'\($0.count > 40 ? String($0.prefix(40)) + "…" : $0)'" }
      let more = review.dropped.count > shown.count ? " and \(review.dropped.count - shown.count) more" : ""
      return "Run update compile (drops \(shown.joined(separator: ", "))\(more))"
    }

    static let namesInTitle = 3
  }

  /// The edits that make a source slice what the update compile would write, keeping its
  /// comments and key order (`PreservingEdits`); the reference's text where that writer cannot
  /// do it. Nil when the file is no source slice, the compile fails on it, or nothing changes.
  static func updateCompileEdits(for file: EditorFile) -> [TextEdit]? {
    updateCompile(for: file)?.edits
  }

  static func updateCompile(for file: EditorFile) -> UpdateCompile? {
    EditorQueries.updatePreview(for: file).map { UpdateCompile(edits: $0.edits, review: $0.review) }
  }

  static func workspaceEdit(
    _ edits: [TextEdit], uri: DocumentURI, document: TextDocument, version: Int?,
    encoding: PositionEncodingKind, documentChanges: Bool
  ) -> WorkspaceEdit {
    let converted = edits.sorted { $0.range.lowerBound < $1.range.lowerBound }.map {
      LSPTextEdit(range: document.lspRange(of: $0.range, in: encoding), newText: $0.newText)
    }
    return documentChanges
      ? WorkspaceEdit(documentChanges: [
        .edit(TextDocumentEdit(textDocument: OptionalVersionedTextDocumentIdentifier(uri: uri, version: version), edits: converted))
      ])
      : WorkspaceEdit(changes: [uri: converted])
  }

  /// The source actions `only` lets through for `request`.
  ///
  /// When the update would drop near misses of known properties, their renames come first
  /// (those touching `range` are already among the quick fixes of the diagnostics there).
  static func actions(
    for request: EditorRequestFile, only: [CodeActionKind]?, encoding: PositionEncodingKind, documentChanges: Bool,
    literals: Bool, range: ByteRange? = nil
  ) -> [CodeActionOrCommand] {
    guard let file = request.file, file.isSource, file.store != nil else { return [] }
    func wanted(_ kind: CodeActionKind) -> Bool {
      guard let only else { return true }
      return only.contains { kind.isSelected(by: $0) }
    }
    var result: [CodeActionOrCommand] = []
    if literals, wanted(.sliceUpdate), let update = updateCompile(for: file) {
      func edit(_ edits: [TextEdit]) -> WorkspaceEdit {
        workspaceEdit(
          edits, uri: request.open.uri, document: request.open.document, version: request.open.version, encoding: encoding,
          documentChanges: documentChanges)
      }
      if wanted(.quickFix) {
        for finding in update.review.findings where finding.code == FindingCode.updateNearMiss.rawValue {
          if let range, finding.range.lowerBound <= range.upperBound, range.lowerBound <= finding.range.upperBound { continue }
          guard let fix = finding.fixes.first else { continue }
          let key = String(decoding: file.document.bytes[finding.range], as: UTF8.self)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
          result.append(
            .codeAction(
              CodeAction(
                title: fix.title.replacingOccurrences(of: "Rename to", with: "Rename '\(key)' to"), kind: .quickFix,
                isPreferred: fix.isPreferred, edit: edit(fix.edits))))
        }
      }
      result.append(.codeAction(CodeAction(title: update.title, kind: .sliceUpdate, edit: edit(update.edits))))
    }
    if wanted(.slicePreviewPurged) {
      let command = Command(
        title: "Preview purged elements", command: EditorCommands.previewPurged, arguments: [.string(request.open.uri)])
      result.append(
        literals
          ? .codeAction(CodeAction(title: command.title, kind: .slicePreviewPurged, command: command))
          : .command(command))
    }
    return result
  }
}
