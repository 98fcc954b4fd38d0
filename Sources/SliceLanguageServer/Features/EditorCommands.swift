import Foundation
import LanguageServerProtocol
import SliceAnalysis
import SliceIDE
import SliceStore
import SliceSyntax

enum EditorCommands {
  static let previewPurged = "slicels.previewPurged"
  static let openFile = "slicels.openFile"
  /// Applies the update compile's edit to a source slice (the update lens).
  static let applyUpdate = "slicels.applyUpdate"
  /// Runs the project's real compile in update mode (`InmantaCompileCommand`).
  static let inmantaUpdate = "slicels.inmantaUpdate"
  static let all = [previewPurged, openFile, applyUpdate, inmantaUpdate]
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

  /// Applies "Run update compile" to the open source slice `uri` with `workspace/applyEdit`:
  /// the edit of the update lens, computed again for the text as it is now.
  static func applyUpdate(uri: DocumentURI, workspace: Workspace, host: AnalysisHost, context: RequestContext) async throws -> LSPAny {
    guard let request = try await EditorRequestFile.load(uri, workspace: workspace, host: host, context: context),
      let file = request.file
    else { throw ResponseError.invalidParams("\(uri) is not an open slice file of a project") }
    guard let preview = EditorQueries.updatePreview(for: file) else {
      return ["applied": false, "summary": "update: nothing to change"]
    }
    guard context.clientCapabilities.workspace?.applyEdit == true else {
      throw ResponseError.invalidParams("the client cannot apply edits (workspace/applyEdit); use the 'Run update compile' code action")
    }
    let edit = SourceActions.workspaceEdit(
      preview.edits, uri: request.open.uri, document: request.open.document, version: request.open.version,
      encoding: context.positionEncoding,
      documentChanges: context.clientCapabilities.workspace?.workspaceEdit?.documentChanges == true)
    let result = try await context.client.request(ApplyWorkspaceEditRequest(label: "Run update compile", edit: edit))
    var answer: [String: LSPAny] = ["applied": .bool(result.applied), "summary": .string(preview.summary)]
    if let reason = result.failureReason { answer["failureReason"] = .string(reason) }
    return .object(answer)
  }

  /// A name that stays one path component.
  static func safeName(_ name: String) -> String {
    String(name.map { $0 == "/" || $0 == "\\" || $0 == ":" ? "_" : $0 }).replacingOccurrences(of: "..", with: "_")
  }
}

extension FeatureHandlers {
  /// `workspace/executeCommand`: the commands of lenses and source actions.
  static func registerExecuteCommand(on server: LanguageServer, workspace: Workspace, pipeline: DiagnosticsPipeline, host: AnalysisHost) {
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
      case EditorCommands.applyUpdate, EditorCommands.inmantaUpdate:
        guard let uri = arguments.first?.stringValue else {
          throw ResponseError.invalidParams("\(params.command) needs the slice file's URI")
        }
        if params.command == EditorCommands.applyUpdate {
          return try await CommandRunner.applyUpdate(uri: uri, workspace: workspace, host: host, context: context)
        }
        return try await InmantaCompileCommand.run(uri: uri, workspace: workspace, pipeline: pipeline, context: context)
      default:
        throw ResponseError.invalidParams("unknown command \(params.command)")
      }
    }
  }
}
