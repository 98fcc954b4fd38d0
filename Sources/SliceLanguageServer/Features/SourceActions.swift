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
    var edits: [SliceSyntax.TextEdit]
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
  static func updateCompileEdits(for file: EditorFile) -> [SliceSyntax.TextEdit]? {
    updateCompile(for: file)?.edits
  }

  static func updateCompile(for file: EditorFile) -> UpdateCompile? {
    guard file.isSource, let name = file.sliceName, let store = file.store, let schema = store.schema, schema.isUsable,
      !store.failedSlices.contains(name)
    else { return nil }
    guard
      let plan = try? CompilePlans.update(
        snapshot: store.snapshot, folders: store.folders, registeredMigrations: [], catalog: schema.catalog, writer: schema),
      !plan.failures.contains(where: { $0.name == name })
    else { return nil }
    for operation in plan.operations {
      guard case .write(let path, let content, let format) = operation,
        URL(fileURLWithPath: path).standardizedFileURL == file.url
      else { continue }
      let edits: [SliceSyntax.TextEdit]
      if let preserving = try? PreservingEdits.edits(source: file.document.bytes, tree: file.tree, normalized: content) {
        edits = preserving
      } else if let text = try? EmbeddedEngine.referenceText(content, format: format) {
        edits = [SliceSyntax.TextEdit(range: 0..<file.document.bytes.count, newText: text)]
      } else {
        return nil
      }
      let changed = PreservingEdits.apply(edits, to: file.document.bytes) != file.document.bytes
      guard changed else { return nil }
      return UpdateCompile(edits: edits, review: UpdateReview.review(file.tree, normalized: content, policy: .hold))
    }
    return nil
  }

  static func workspaceEdit(
    _ edits: [SliceSyntax.TextEdit], uri: DocumentURI, document: TextDocument, version: Int?,
    encoding: PositionEncodingKind, documentChanges: Bool
  ) -> WorkspaceEdit {
    let converted = edits.sorted { $0.range.lowerBound < $1.range.lowerBound }.map {
      LanguageServerProtocol.TextEdit(range: document.lspRange(of: $0.range, in: encoding), newText: $0.newText)
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
      func edit(_ edits: [SliceSyntax.TextEdit]) -> WorkspaceEdit {
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

/// `workspace/executeCommand` for the commands of lenses and code actions.
enum CommandRunner {
  /// Renders the merged view of the slice `uri` is about. With `window/showDocument`, writes it
  /// to a file under the system temp folder (never the project) and opens it; without it (Neovim,
  /// eglot), the result carries the view as `text` with a buffer `name`, which the shipped editor
  /// configurations show in a scratch buffer.
  static func previewPurged(
    uri: DocumentURI, workspace: Workspace, host: AnalysisHost, context: RequestContext
  ) async throws -> LSPAny {
    let progress = await context.beginProgress(title: "Preview purged elements", message: "analysing the project", cancellable: true)
    defer { progress.end() }
    var loaded = try await EditorRequestFile.load(uri, workspace: workspace, host: host, context: context)
    if loaded == nil { loaded = await closedFile(uri, host: host, workspace: workspace) }
    guard let request = loaded else { throw ResponseError.invalidParams("\(uri) is not a slice file of a project") }
    guard let file = request.file, let store = file.store, let slice = file.sliceName else {
      throw ResponseError.invalidParams("\(uri) is not a slice file of a store")
    }
    try context.checkCancellation()
    progress.report(message: "merging \(slice)", percentage: 50)
    let preview = EditorQueries.mergedViewPreview(store: store, slice: slice)
    try context.checkCancellation()
    let name = previewName(store: store.name, slice: slice)
    var summary: [String: LSPAny] = [
      "title": .string(preview.title), "name": .string(name), "created": .int(preview.created),
      "updated": .int(preview.updated), "purged": .int(preview.purged),
    ]
    if context.clientCapabilities.window?.showDocument?.support == true {
      let location = FileManager.default.temporaryDirectory
        .appendingPathComponent("slicels-preview", isDirectory: true)
        .appendingPathComponent(name)
      try FileManager.default.createDirectory(at: location.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(preview.text.utf8).write(to: location, options: .atomic)
      let shownURI = FileURI.uri(forFileAt: location)
      summary["uri"] = .string(shownURI)
      let result = try await context.client.request(ShowDocumentRequest(uri: shownURI, takeFocus: true))
      summary["shown"] = .bool(result.success)
      // A client that declined to open it can still show the returned text.
      if !result.success { summary["text"] = .string(preview.text) }
    } else {
      summary["text"] = .string(preview.text)
      summary["shown"] = .bool(false)
      context.client.showMessage(
        "\(preview.title): \(preview.purged) purged, \(preview.created) created, \(preview.updated) updated")
    }
    return .object(summary)
  }

  /// `<store>/<slice>.merged.json`: the preview's file under the temp folder, and the buffer name
  /// editors without `window/showDocument` give it. Each part stays one path component.
  static func previewName(store: String, slice: String) -> String {
    "\(safeName(store))/\(safeName(slice)).merged.json"
  }

  /// A slice file that is not open: its slice analysed from the disk.
  static func closedFile(_ uri: DocumentURI, host: AnalysisHost, workspace: Workspace) async -> EditorRequestFile? {
    guard let url = FileURI.fileURL(from: uri), let root = ProjectLocator.projectRoot(containing: url) else { return nil }
    let snapshot = await workspace.snapshot()
    guard
      let fileContext = await host.context(
        root: root, file: url, buffers: ProjectDiagnosticsSource.buffers(of: root, in: snapshot),
        compileHints: snapshot.settings.showHints),
      let file = EditorFile(context: fileContext)
    else { return nil }
    let open = OpenDocument(
      uri: uri, location: url.standardizedFileURL, isFile: true, languageId: file.format == .json ? "json" : "yaml", version: 0,
      format: file.format, document: file.document, projectRoot: root)
    return EditorRequestFile(open: open, snapshot: snapshot, context: fileContext, file: file)
  }

  /// Opens a file at a range (the lenses pointing into active versions). The result repeats
  /// `uri` and `range`, so that a client without `window/showDocument` (whose configuration runs
  /// the command itself) can open the file there.
  static func openFile(arguments: [LSPAny], context: RequestContext) async throws -> LSPAny {
    guard let uri = arguments.first?.stringValue else { throw ResponseError.invalidParams("slicels.openFile needs a URI") }
    let selection = arguments.count > 1 ? try? LSPAnyDecoder().decode(LSPRange.self, from: arguments[1]) : nil
    var result: [String: LSPAny] = ["uri": .string(uri)]
    if let selection, let encoded = try? LSPAnyEncoder().encode(selection) { result["range"] = encoded }
    guard context.clientCapabilities.window?.showDocument?.support == true else {
      context.client.showMessage("Open \(uri)")
      result["shown"] = .bool(false)
      return .object(result)
    }
    let shown = try await context.client.request(ShowDocumentRequest(uri: uri, takeFocus: true, selection: selection))
    result["shown"] = .bool(shown.success)
    return .object(result)
  }

  /// A name that stays one path component.
  static func safeName(_ name: String) -> String {
    String(name.map { $0 == "/" || $0 == "\\" || $0 == ":" ? "_" : $0 }).replacingOccurrences(of: "..", with: "_")
  }
}
