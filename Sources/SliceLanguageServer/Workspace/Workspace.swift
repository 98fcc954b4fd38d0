import Foundation
import LanguageServerProtocol
import SliceStore
import SliceSyntax

/// The editor's side of the world, in one place: open documents, workspace folders, settings.
///
/// Every change goes through this actor in the order the client sent it; features and the
/// diagnostics source read `snapshot()` (a value) and never see a half-applied change.
public actor Workspace {
  private var documents: [DocumentURI: OpenDocument] = [:]
  /// The open document for each location (the last one opened when two URIs name one file).
  private var urisByLocation: [String: DocumentURI] = [:]
  private var folders: [WorkspaceFolder] = []
  private var settings = ServerSettings()
  /// The project root found for each folder of a document (nil: none), until a project or
  /// configuration file is created or deleted.
  private var projectRoots: [URL: URL?] = [:]

  public init() {}

  // MARK: Documents

  /// Opens (or reopens) a document; nil when slicels does not handle it (not JSON or YAML).
  @discardableResult
  public func open(_ item: TextDocumentItem) -> OpenDocument? {
    guard let format = OpenDocument.format(uri: item.uri, languageId: item.languageId),
      let (location, isFile) = OpenDocument.location(of: item.uri)
    else { return nil }
    if let previous = documents[item.uri] {
      forget(previous)
      Self.releaseInBackground(previous)
    }
    let document = OpenDocument(
      uri: item.uri, location: location, isFile: isFile, languageId: item.languageId, version: item.version,
      format: format, document: TextDocument(text: item.text),
      projectRoot: isFile ? projectRoot(containing: location) : nil)
    documents[item.uri] = document
    urisByLocation[location.locationKey] = item.uri
    return document
  }

  /// Applies content changes in order: a change without a range replaces the text, one with a
  /// range replaces that range of the text as the previous changes left it. Ranges past the end
  /// clamp to it. Nil when the document is not open.
  @discardableResult
  public func change(
    _ identifier: VersionedTextDocumentIdentifier, _ changes: [TextDocumentContentChangeEvent],
    encoding: PositionEncodingKind
  ) -> OpenDocument? {
    guard let current = documents[identifier.uri] else { return nil }
    var text = current.document
    text.apply(
      changes.map { change in
        TextDocument.Change(
          range: change.range.map {
            PositionRange(
              start: Position(line: $0.start.line, character: $0.start.character),
              end: Position(line: $0.end.line, character: $0.end.character))
          }, text: change.text)
      }, encoding: encoding.engineEncoding)
    let changed = current.with(version: identifier.version, document: text)
    documents[identifier.uri] = changed
    Self.releaseInBackground(current)
    return changed
  }

  /// Closes a document; returns it as it was, nil when it was not open.
  @discardableResult
  public func close(_ uri: DocumentURI) -> OpenDocument? {
    guard let document = documents.removeValue(forKey: uri) else { return nil }
    forget(document)
    Self.releaseInBackground(document)
    return document
  }

  /// Records a save. When the client sends the saved text and it differs from ours (a client
  /// that lost a change), the saved text wins.
  @discardableResult
  public func save(_ uri: DocumentURI, text: String?) -> OpenDocument? {
    guard let current = documents[uri] else { return nil }
    guard let text, Array(text.utf8) != current.document.bytes else { return current }
    let saved = current.with(version: current.version, document: TextDocument(text: text))
    documents[uri] = saved
    return saved
  }

  public func document(_ uri: DocumentURI) -> OpenDocument? {
    documents[uri]
  }

  /// Takes an open document's new text from disk after a compile of ours rewrote its file:
  /// only while the buffer still holds `expected` (it was saved when the compile started and the
  /// user has not typed since), else the user's text stays. The version stays too: the editor
  /// reloads the file and sends its own change. Nil when nothing was replaced.
  public func reload(_ uri: DocumentURI, expecting expected: [UInt8], with bytes: [UInt8]) -> OpenDocument? {
    guard let current = documents[uri], current.document.bytes == expected, bytes != expected else { return nil }
    let reloaded = current.with(version: current.version, document: TextDocument(bytes: bytes))
    documents[uri] = reloaded
    Self.releaseInBackground(current)
    return reloaded
  }

  /// Freeing the tree of a large document takes a while (millions of nodes); it must not hold up
  /// the next message. The task takes the last reference the workspace had.
  private static func releaseInBackground(_ document: OpenDocument) {
    Task.detached(priority: .utility) { withExtendedLifetime(document) {} }
  }

  private func forget(_ document: OpenDocument) {
    if urisByLocation[document.location.locationKey] == document.uri { urisByLocation[document.location.locationKey] = nil }
  }

  // MARK: Folders and projects

  /// The folders from `initialize`: `workspaceFolders`, else `rootUri`, else `rootPath`.
  public func setFolders(from params: InitializeRequest) {
    if let workspaceFolders = params.workspaceFolders {
      folders = workspaceFolders
    } else if let root = params.rootUri {
      folders = [WorkspaceFolder(uri: root, name: Self.folderName(root))]
    } else if let rootPath = params.rootPath, rootPath.hasPrefix("/") {
      let uri = FileURI.uri(forPath: rootPath)
      folders = [WorkspaceFolder(uri: uri, name: Self.folderName(uri))]
    } else {
      folders = []
    }
  }

  /// Applies `workspace/didChangeWorkspaceFolders`; returns the file URLs of the folders added
  /// and removed.
  public func changeFolders(_ event: WorkspaceFoldersChangeEvent) -> (added: [URL], removed: [URL]) {
    let removedURIs = Set(event.removed.map(\.uri))
    let removedLocations = event.removed.compactMap { FileURI.fileURL(from: $0.uri) }
    let removedKeys = Set(removedLocations.map(\.locationKey))
    folders.removeAll { folder in
      removedURIs.contains(folder.uri) || FileURI.fileURL(from: folder.uri).map { removedKeys.contains($0.locationKey) } == true
    }
    for folder in event.added where !folders.contains(where: { $0.uri == folder.uri }) {
      folders.append(folder)
    }
    return (event.added.compactMap { FileURI.fileURL(from: $0.uri) }, removedLocations)
  }

  public var workspaceFolders: [WorkspaceFolder] { folders }

  /// The inmanta project of a file: `ProjectLocator`, remembered per folder.
  public func projectRoot(containing file: URL) -> URL? {
    let folder = file.deletingLastPathComponent()
    if let known = projectRoots[folder] { return known }
    let root = ProjectLocator.projectRoot(containing: file)
    projectRoots[folder] = .some(root)
    return root
  }

  /// Takes note of files created, changed or deleted on disk (`workspace/didChangeWatchedFiles`).
  /// A project or configuration file appearing or going away can move documents to another
  /// project, so project roots are looked up again. Returns the files of the events.
  public func filesChanged(_ events: [FileEvent]) -> [URL] {
    let files = events.compactMap { FileURI.fileURL(from: $0.uri) }
    let movesProjects = zip(events, files).contains { event, file in
      event.type != .changed && Self.projectMarkers.contains { file.path.hasSuffix("/" + $0) }
    }
    if movesProjects {
      projectRoots = [:]
      for (uri, document) in documents where document.isFile {
        documents[uri] = document.with(projectRoot: projectRoot(containing: document.location))
      }
    }
    return files
  }

  private static let projectMarkers = ["project.yml", ProjectConfiguration.moduleConfigPath]

  // MARK: Settings

  public func setSettings(_ newSettings: ServerSettings) {
    settings = newSettings
  }

  public var currentSettings: ServerSettings { settings }

  // MARK: Snapshots

  public func snapshot() -> WorkspaceSnapshot {
    WorkspaceSnapshot(documents: documents, urisByLocation: urisByLocation, folders: folders, settings: settings)
  }

  private static func folderName(_ uri: DocumentURI) -> String {
    let path = FileURI.filePath(from: uri) ?? uri
    return path.split(separator: "/").last.map(String.init) ?? path
  }
}

/// The workspace at one moment: what the diagnostics source and the features read.
public struct WorkspaceSnapshot: Sendable {
  /// The open documents slicels handles, by URI.
  public let documents: [DocumentURI: OpenDocument]
  private let urisByLocation: [String: DocumentURI]
  public let folders: [WorkspaceFolder]
  public let settings: ServerSettings

  init(documents: [DocumentURI: OpenDocument], urisByLocation: [String: DocumentURI], folders: [WorkspaceFolder], settings: ServerSettings) {
    self.documents = documents
    self.urisByLocation = urisByLocation
    self.folders = folders
    self.settings = settings
  }

  public func document(_ uri: DocumentURI) -> OpenDocument? {
    documents[uri]
  }

  /// The open document at a location (a file URL, or a buffer's `OpenDocument.location`).
  public func document(at location: URL) -> OpenDocument? {
    urisByLocation[location.locationKey].flatMap { documents[$0] }
  }

  /// The text of every open file as the editor has it, saved or not: what the engine reads
  /// instead of the disk (`ProjectConfiguration.load(root:contents:)` and friends).
  public var unsavedContents: [URL: [UInt8]] {
    var contents: [URL: [UInt8]] = [:]
    for document in documents.values where document.isFile { contents[document.location] = document.document.bytes }
    return contents
  }

  /// The file URLs of the workspace folders.
  public var folderLocations: [URL] {
    folders.compactMap { FileURI.fileURL(from: $0.uri) }
  }

  /// The projects the open documents belong to, each once.
  public var projectRoots: [URL] {
    var seen = Set<URL>()
    return documents.values.sorted { $0.uri < $1.uri }.compactMap(\.projectRoot).filter { seen.insert($0).inserted }
  }

  /// The URI to publish for a location: the open document's own, else the file's URI spelled
  /// like the workspace folder that holds it, else the file's URI as VS Code writes it.
  public func uri(for location: URL) -> DocumentURI {
    if let document = document(at: location) { return document.uri }
    guard location.isFileURL else { return location.absoluteString }
    for folder in folders {
      if let uri = FileURI.uri(forFileAt: location, inside: folder.uri) { return uri }
    }
    return FileURI.uri(forFileAt: location)
  }
}

extension URL {
  /// What identifies a location whatever way the URL was built: the standardized path of a file,
  /// the whole URL of anything else.
  var locationKey: String {
    guard isFileURL else { return absoluteString }
    // Standardizing costs microseconds a call, paid per file per analysis: most paths are
    // standard already (no `.` or `..` component, no doubled slash).
    let path = self.path
    if !path.contains("/.") && !path.contains("//") { return path }
    return standardizedFileURL.path
  }
}
