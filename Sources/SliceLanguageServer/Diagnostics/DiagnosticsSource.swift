import Foundation
import SliceStore
import SliceSyntax

/// Where the language server's diagnostics come from: the engine's analysis of the workspace.
///
/// The server calls `findings(for:in:)` with the files that changed since the last call (and
/// why) and a snapshot of the workspace: open documents with their unsaved text, folders,
/// settings. The source decides how far the changes reach — a syntax-only source looks at the
/// changed documents; a project analysis re-reads the projects they belong to, closed files
/// included — and answers with the findings of every file it analysed, each with the text its
/// byte ranges point into. The server converts the ranges once, in the client's encoding,
/// publishes what changed and clears what the source no longer reports.
///
/// Calls never overlap: the server waits for one answer before asking again, and gathers the
/// changes that arrive meanwhile into the next call. A source must not read an open document
/// from disk: `snapshot.unsavedContents` and `snapshot.document(at:)` hold the editor's text.
public protocol DiagnosticsSource: Sendable {
  func findings(for changes: [WorkspaceChange], in snapshot: WorkspaceSnapshot) async -> DiagnosticsResult
}

/// A file (or folder) that changed, and how.
public struct WorkspaceChange: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    /// An open document: the editor opened, edited, saved or closed it.
    case opened, edited, saved, closed
    /// A file on disk, reported by the client's file watcher.
    case created, changed, deleted
    /// A workspace folder came or went: `location` is the folder.
    case folderAdded, folderRemoved
    /// The settings changed: sent for every open document.
    case settings
    /// The client asked for this file's diagnostics (pull) and none were up to date.
    case pulled
    /// The source asked to be called again for this project (`DiagnosticsResult.followUp`):
    /// the next step of its background analysis.
    case background
  }

  /// A file URL, or the `OpenDocument.location` of an in-memory buffer.
  public var location: URL
  public var kind: Kind

  public init(_ location: URL, _ kind: Kind) {
    self.location = location
    self.kind = kind
  }
}

/// The findings of one file and the text they point into.
public struct AnalysedFile: Sendable {
  public var location: URL
  /// The text the findings' byte ranges (and their fixes', and same-file related places') point
  /// into: the open document's text from the snapshot, or the file as read from disk.
  public var document: TextDocument
  public var findings: [Finding]

  public init(location: URL, document: TextDocument, findings: [Finding]) {
    self.location = location
    self.document = document
    self.findings = findings
  }
}

extension AnalysedFile {
  /// The file of a report the engine made for the CLI: the same findings, the same text.
  public init(_ reported: ReportedFile) {
    self.init(location: reported.file, document: reported.document, findings: reported.findings)
  }
}

/// A source's answer.
public struct DiagnosticsResult: Sendable {
  /// What the answer speaks for. A file inside the scope that is not in `files` has no findings:
  /// its diagnostics are cleared. Files outside the scope keep theirs.
  public enum Scope: Sendable, Hashable {
    /// One file (or buffer).
    case file(URL)
    /// Every file under a folder (a project root, for a whole-project analysis).
    case folder(URL)
  }

  /// How far a project's background analysis has come (for work-done progress).
  public struct Progress: Sendable, Hashable {
    public var root: URL
    public var done: Int
    public var total: Int

    public init(root: URL, done: Int, total: Int) {
      self.root = root
      self.done = done
      self.total = total
    }
  }

  public var files: [AnalysedFile]
  public var scope: [Scope]
  /// The text of other files the source read, by location: related places of the findings
  /// point into them (an active version), so the server need not read them again.
  public var documents: [URL: TextDocument] = [:]
  /// Changes to call the source with again as soon as nothing else waits (background work).
  public var followUp: [WorkspaceChange]
  /// The background analysis of the projects this answer touched.
  public var progress: [Progress]

  /// `scope` defaults to exactly the files answered for.
  public init(files: [AnalysedFile], scope: [Scope]? = nil, followUp: [WorkspaceChange] = [], progress: [Progress] = []) {
    self.files = files
    self.scope = scope ?? files.map { .file($0.location) }
    self.followUp = followUp
    self.progress = progress
  }

  func covers(_ location: URL) -> Bool {
    let key = location.locationKey
    return scope.contains { scope in
      switch scope {
      case .file(let file): return file.locationKey == key
      case .folder(let folder):
        guard location.isFileURL, folder.isFileURL else { return false }
        let folderPath = folder.locationKey
        return key.hasPrefix(folderPath.hasSuffix("/") ? folderPath : folderPath + "/")
      }
    }
  }
}

/// The syntax findings of each open document that changed (`SliceReader`), plus a top level that
/// is not a slice. `ProjectDiagnosticsSource` answers with it for documents outside any project;
/// closed files are not analysed: their diagnostics are cleared when they close.
public struct SyntaxDiagnosticsSource: DiagnosticsSource {
  public init() {}

  public func findings(for changes: [WorkspaceChange], in snapshot: WorkspaceSnapshot) async -> DiagnosticsResult {
    var files: [AnalysedFile] = []
    var scope: [DiagnosticsResult.Scope] = []
    var seen = Set<String>()
    for change in changes where change.kind != .folderAdded && change.kind != .folderRemoved && change.kind != .background {
      guard seen.insert(change.location.locationKey).inserted else { continue }
      scope.append(.file(change.location))
      guard let document = snapshot.document(at: change.location) else { continue }
      if case .failure(let failure) = FileReadFindings.checked(document.document.bytes, reader: FileReader()) {
        // Too large to analyse: the one finding says so, the document is never parsed.
        files.append(AnalysedFile(location: document.location, document: document.document, findings: [FileReadFindings.finding(failure)]))
        continue
      }
      files.append(
        AnalysedFile(
          location: document.location, document: document.document, findings: Self.findings(in: document.syntaxTree)))
    }
    return DiagnosticsResult(files: files, scope: scope)
  }

  /// The reader's findings, and the finding for a top level that is not a slice when the reader
  /// has not already reported it.
  public static func findings(in tree: SyntaxTree) -> [Finding] {
    var findings = tree.findings
    if case .invalid(let finding) = tree.sliceKind, !findings.contains(finding) {
      findings.append(finding)
    }
    return findings
  }
}
