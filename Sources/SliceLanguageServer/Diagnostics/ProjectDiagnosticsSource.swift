import Foundation
import SliceAnalysis
import SliceStore
import SliceSyntax

/// The engine's diagnostics, incremental: each change goes to the `AnalysisHost`, which
/// analyses again only what depends on it — an edit, the edited file and its slice; a file
/// created or deleted on disk, its folder's listing and its slice; a schema, its store. A
/// project seen for the first time gets its open documents analysed first; the rest of it is
/// analysed in background steps (`DiagnosticsResult.followUp`), each published as it comes.
/// Open documents outside any project get syntax findings.
public struct ProjectDiagnosticsSource: DiagnosticsSource {
  /// The analysis the editor features share.
  public let host: AnalysisHost
  /// Slices analysed per background step: small enough that an edit waits little behind one.
  public let backgroundStep: Int

  public init(host: AnalysisHost = AnalysisHost(), backgroundStep: Int = 16) {
    self.host = host
    self.backgroundStep = backgroundStep
  }

  public func findings(for changes: [WorkspaceChange], in snapshot: WorkspaceSnapshot) async -> DiagnosticsResult {
    var roots: [URL] = []
    var diskChanges: [URL: [URL]] = [:]
    var backgroundOnly: Set<URL> = []
    var loose: [WorkspaceChange] = []
    var removedFolders: [URL] = []
    for change in changes {
      let location = change.location
      let root: URL?
      switch change.kind {
      case .folderAdded:
        root = ProjectLocator.projectRoot(containing: location)
      case .folderRemoved:
        removedFolders.append(location)
        root = nil
      case .background:
        root = location
      default:
        if let document = snapshot.document(at: location) {
          root = document.projectRoot
        } else if location.isFileURL {
          root = ProjectLocator.projectRoot(containing: location)
        } else {
          root = nil
        }
      }
      guard let root = root?.standardizedFileURL else {
        if change.kind != .folderAdded && change.kind != .folderRemoved && change.kind != .background { loose.append(change) }
        continue
      }
      if !roots.contains(root) { roots.append(root) }
      switch change.kind {
      case .created, .changed, .deleted, .saved:
        diskChanges[root, default: []].append(location)
      default:
        break
      }
      if change.kind == .background { backgroundOnly.insert(root) }
    }
    for change in changes where change.kind != .background && change.kind != .folderAdded {
      if let root = roots.first(where: { change.location.path.hasPrefix($0.path + "/") }) { backgroundOnly.remove(root) }
    }

    var result = await SyntaxDiagnosticsSource().findings(for: loose, in: snapshot)
    for folder in removedFolders {
      for root in await host.knownRoots where root.path == folder.path || root.path.hasPrefix(folder.standardizedFileURL.path + "/") {
        await host.forget(root: root)
      }
      result.scope.append(.folder(folder))
    }
    // Even a cancelled call takes every change in (the host analyses nothing more once it sees
    // the cancellation; what it left waits for the next call or the background).
    for root in roots {
      let buffers = Self.buffers(of: root, in: snapshot)
      let update: AnalysisUpdate
      if backgroundOnly.contains(root) {
        // A step of the background analysis, unless the project changed meanwhile (then the
        // open documents first, as for any change).
        update = await host.analyseBackground(root: root, limit: backgroundStep)
      } else {
        update = await host.update(
          root: root, buffers: buffers, diskChanges: diskChanges[root] ?? [], compileHints: snapshot.settings.showHints)
      }
      publish(update, root: root, snapshot: snapshot, into: &result)
      if update.remainingSlices > 0 {
        result.followUp.append(WorkspaceChange(root, .background))
      }
      result.progress.append(
        DiagnosticsResult.Progress(root: root, done: update.totalSlices - update.remainingSlices, total: update.totalSlices))
    }
    return result
  }

  /// The editor's text of every open file under `root` (what the engine reads instead of the disk).
  static func buffers(of root: URL, in snapshot: WorkspaceSnapshot) -> [URL: [UInt8]] {
    let prefix = root.standardizedFileURL.path + "/"
    var buffers: [URL: [UInt8]] = [:]
    for document in snapshot.documents.values where document.isFile {
      let location = document.location.standardizedFileURL
      if location.path.hasPrefix(prefix) { buffers[location] = document.document.bytes }
    }
    return buffers
  }

  private func publish(_ update: AnalysisUpdate, root: URL, snapshot: WorkspaceSnapshot, into result: inout DiagnosticsResult) {
    var files = update.files
    // A commit killed midway: the server only tells; the next writing command completes it.
    let journal = URL(fileURLWithPath: CommitRecovery.journalPath(root: root)).standardizedFileURL
    if let interrupted = CommitRecovery.interruptedCommitReport(root: root) {
      files.append(ReportedFile(file: interrupted.file.standardizedFileURL, document: interrupted.document, findings: interrupted.findings))
    } else {
      files.append(ReportedFile(file: journal, document: TextDocument(bytes: []), findings: []))
    }
    for file in files {
      result.documents[file.file] = file.document
      var findings = file.findings
      let open = snapshot.document(at: file.file)
      // Problems of the project as a whole are told in each open document of it, once.
      if let open, open.projectRoot?.standardizedFileURL == root, !update.problems.isEmpty {
        findings += update.problems.map { Finding(range: 0..<0, severity: .information, code: .projectProblem, message: $0) }
      }
      result.scope.append(.file(file.file))
      let shown = snapshot.settings.showHints ? findings : findings.filter { $0.severity != .hint }
      guard !shown.isEmpty else { continue }
      result.files.append(AnalysedFile(location: file.file, document: open?.document ?? file.document, findings: shown))
    }
  }
}
