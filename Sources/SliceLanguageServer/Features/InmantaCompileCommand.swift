import Foundation
import LanguageServerProtocol
import SliceStore
import SliceSyntax

/// "Run update compile (inmanta)": the project's real compile (slicels.yml's `compile.command`,
/// `inmanta compile` by default) in update mode, from the editor, as `slicels update --engine
/// inmanta` runs it.
enum InmantaCompileCommand {
  /// Lines of the compile's output the failure message shows (the whole tail goes to the log).
  static let shownOutputLines = 20
  static let shownOutputCharacters = 4000

  /// Offered when slicels.yml sets a compile command, or the default one is on PATH.
  static func isOffered(_ configuration: ProjectConfiguration) -> Bool {
    configuration.compileCommand != ProjectConfiguration.defaultCompileCommand
      || InmantaEngine.isRunnable(configuration.compileCommand, root: configuration.root)
  }

  /// The open files of the project whose buffer differs from the disk (or that are not on disk).
  static func unsavedDocuments(of root: URL, in snapshot: WorkspaceSnapshot) -> [OpenDocument] {
    snapshot.documents.values.filter { document in
      guard document.isFile, document.projectRoot?.standardizedFileURL == root.standardizedFileURL else { return false }
      guard let onDisk = FileManager.default.contents(atPath: document.location.path) else { return true }
      return [UInt8](onDisk) != document.document.bytes
    }.sorted { $0.uri < $1.uri }
  }

  /// Runs the compile with cancellable work-done progress; cancelling it stops the compile's
  /// process group. Refuses while a buffer of the project has unsaved changes: the compile reads
  /// the disk. Afterwards the files it changed are analysed again, and open documents it rewrote
  /// (untouched since) take the new text.
  static func run(uri: DocumentURI, workspace: Workspace, pipeline: DiagnosticsPipeline, context: RequestContext) async throws
    -> LSPAny
  {
    let snapshot = await workspace.snapshot()
    guard let url = FileURI.fileURL(from: uri),
      let root = snapshot.document(uri)?.projectRoot ?? ProjectLocator.projectRoot(containing: url)
    else { throw ResponseError.invalidParams("\(uri) is not inside an inmanta project") }
    let unsaved = unsavedDocuments(of: root, in: snapshot)
    if !unsaved.isEmpty {
      let names = unsaved.map { FindingReport.displayPath($0.location, relativeTo: root) }
      let message =
        "Save \(names.joined(separator: ", ")) first: the update compile (inmanta) reads the files on disk, not the editor's unsaved text"
      context.client.showMessage(message, type: .error)
      return ["status": "refused", "message": .string(message), "unsaved": .array(unsaved.map { .string($0.uri) })]
    }
    // The compile may run for minutes: later messages (a cancel among them) go on meanwhile.
    context.releaseMessageOrder()
    let savedTexts = Dictionary(
      snapshot.documents.values.filter { $0.isFile }.map { ($0.location.standardizedFileURL.path, ($0.uri, $0.document.bytes)) },
      uniquingKeysWith: { first, _ in first })
    // The real compile reads the slice files too: a half-done commit of ours comes first.
    if let recovery = try? CommitRecovery.recover(root: root) { context.client.logMessage("slicels: \(recovery)") }
    let configuration = ProjectConfiguration.load(root: root)
    let shownCommand = configuration.compileCommand.joined(separator: " ")
    let progress = await context.beginProgress(
      title: "Update compile (inmanta)", message: "running `\(shownCommand)`", cancellable: true)
    defer { progress.end() }
    let compile: RunningCompile
    do {
      compile = try InmantaEngine.start(mode: .update, root: root, command: configuration.compileCommand, output: .collect)
    } catch {
      context.client.showMessage(error.description, type: .error)
      return ["status": "notStarted", "message": .string(error.description)]
    }
    context.cancellation.onCancel { compile.stop() }
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<InmantaEngine.Result, Never>) in
      // A thread of its own: the wait blocks for as long as the compile runs.
      Thread {
        let result = compile.wait { chunk in
          if let line = chunk.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }) {
            progress.report(message: String(line.prefix(200)))
          }
        }
        continuation.resume(returning: result)
      }.start()
    }
    let changed = result.changes.filter { $0.kind != .rewritten && $0.kind != .createdFolder }
    await reread(changed, savedTexts: savedTexts, workspace: workspace, pipeline: pipeline)
    let changedNames = changed.map { "\($0.kind.rawValue) \(FindingReport.displayPath(URL(fileURLWithPath: $0.path), relativeTo: root))" }
    var answer: [String: LSPAny] = [
      "exitStatus": .int(Int(result.exitStatus)), "changed": .array(changedNames.map { .string($0) }),
    ]
    let changeSummary =
      changed.isEmpty
      ? "changed no file under files/ or git_ops/"
      : "changed \(changed.count) file\(changed.count == 1 ? "" : "s"): \(changedNames.joined(separator: ", "))"
    if compile.wasStopped {
      let message = "The update compile (inmanta) was cancelled; before it stopped it \(changeSummary)"
      progress.end(message: "cancelled")
      context.client.showMessage(message, type: .warning)
      answer["status"] = "cancelled"
      answer["message"] = .string(message)
      return .object(answer)
    }
    guard result.succeeded else {
      let tail = outputTail(result.output)
      let message =
        "The update compile (inmanta) failed (exit status \(result.exitStatus)); it \(changeSummary)"
        + (tail.isEmpty ? "" : ":\n" + tail)
      progress.end(message: "failed")
      context.client.logMessage("`\(shownCommand)` in \(root.path):\n\(result.output)", type: .error)
      context.client.showMessage(message, type: .error)
      answer["status"] = "failed"
      answer["message"] = .string(message)
      answer["output"] = .string(tail)
      return .object(answer)
    }
    let message = "The update compile (inmanta) \(changeSummary)"
    progress.end(message: "done")
    context.client.showMessage(message)
    answer["status"] = "succeeded"
    answer["message"] = .string(message)
    return .object(answer)
  }

  /// The last lines of the compile's output, where inmanta says why it failed.
  static func outputTail(_ output: String) -> String {
    let lines = output.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    var tail = lines.suffix(shownOutputLines).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    if tail.count > shownOutputCharacters { tail = "…" + String(tail.suffix(shownOutputCharacters)) }
    return tail
  }

  /// The analysis takes the compile's changes from disk; an open document whose file changed
  /// takes the new text when its buffer is still what was saved when the compile started.
  static func reread(
    _ changes: [FileChange], savedTexts: [String: (DocumentURI, [UInt8])], workspace: Workspace, pipeline: DiagnosticsPipeline
  ) async {
    var workspaceChanges: [WorkspaceChange] = []
    for change in changes {
      let location = URL(fileURLWithPath: change.path).standardizedFileURL
      if change.kind != .deleted, let (uri, saved) = savedTexts[location.path],
        let bytes = FileManager.default.contents(atPath: location.path),
        await workspace.reload(uri, expecting: saved, with: [UInt8](bytes)) != nil
      {
        workspaceChanges.append(WorkspaceChange(location, .edited))
      }
      switch change.kind {
      case .created: workspaceChanges.append(WorkspaceChange(location, .created))
      case .deleted: workspaceChanges.append(WorkspaceChange(location, .deleted))
      default: workspaceChanges.append(WorkspaceChange(location, .changed))
      }
    }
    await pipeline.schedule(workspaceChanges, debounced: false)
  }
}
