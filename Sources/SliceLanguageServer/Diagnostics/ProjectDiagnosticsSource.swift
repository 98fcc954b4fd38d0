import Foundation
import SliceStore
import SliceSyntax

/// The engine's diagnostics: every change re-analyses the project it belongs to (closed files
/// included, since a change to one slice can make another collide or change what is purged) and
/// answers for the whole project folder. Open documents outside any project get syntax findings.
public struct ProjectDiagnosticsSource: DiagnosticsSource {
  /// Where the analyses go for the editor features to reuse.
  public let cache: ProjectAnalysisCache

  public init(cache: ProjectAnalysisCache = ProjectAnalysisCache()) {
    self.cache = cache
  }

  public func findings(for changes: [FileChange], in snapshot: WorkspaceSnapshot) async -> DiagnosticsResult {
    var roots: [URL] = []
    var loose: [FileChange] = []
    for change in changes {
      let location = change.location
      let root: URL?
      if change.kind == .folderAdded || change.kind == .folderRemoved {
        root = change.kind == .folderAdded ? ProjectLocator.projectRoot(containing: location) : nil
      } else if let document = snapshot.document(at: location) {
        root = document.projectRoot
      } else if location.isFileURL {
        root = ProjectLocator.projectRoot(containing: location)
      } else {
        root = nil
      }
      if let root {
        if !roots.contains(root) { roots.append(root) }
      } else if change.kind != .folderAdded && change.kind != .folderRemoved {
        loose.append(change)
      }
    }

    var result = await SyntaxDiagnosticsSource().findings(for: loose, in: snapshot)
    for root in roots {
      if Task.isCancelled { break }
      let input = ProjectAnalysisInput(root: root, snapshot: snapshot)
      let openFiles = input.openFiles
      let analysis = await cache.analysis(for: input, refresh: true)
      var byFile = analysis.findings
      // Problems of the project as a whole are told in each open document of it, once.
      if !analysis.problems.isEmpty {
        for location in openFiles {
          let key = location.standardizedFileURL
          byFile[key, default: []] += analysis.problems.map {
            Finding(range: 0..<0, severity: .information, code: "project-problem", message: $0)
          }
        }
      }
      // A commit killed midway: the server only tells; the next writing command completes it.
      if let interrupted = CommitRecovery.interruptedCommitReport(root: root) {
        byFile[interrupted.file.standardizedFileURL, default: []] += interrupted.findings
      }
      for (url, findings) in byFile {
        let shown = snapshot.settings.showHints ? findings : findings.filter { $0.severity != .hint }
        guard !shown.isEmpty else { continue }
        let document: TextDocument
        if let open = snapshot.document(at: url) {
          document = open.document
        } else if let analysed = analysis.files[url] {
          document = analysed.document
        } else {
          document = TextDocument(bytes: analysis.configuration.fileReader.contents(url.path) ?? [])
        }
        result.files.append(AnalysedFile(location: url, document: document, findings: shown))
      }
      result.scope.append(.folder(root))
    }
    return result
  }
}
