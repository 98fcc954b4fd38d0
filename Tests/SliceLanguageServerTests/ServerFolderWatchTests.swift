import Foundation
import LanguageServerProtocol
import SliceTestSupport
import Testing

@testable import SliceLanguageServer

@Suite struct ServerFolderWatchTests {
  /// A client without file watcher registration, the folders polled on a manual clock: what is
  /// written on disk reaches the diagnostics source, and a store added to the configuration is
  /// watched from then on.
  @Test func watchesTheProjectsFoldersWhenTheClientCannot() async throws {
    let folder = try TemporaryFolder()
    try folder.write("project.yml", "name: p\n")
    try folder.write("files/git-ops-config.yml", "stores:\n  - store_name: fs\n")
    try folder.write("files/fs/a.yaml", "a: 1\n")
    let root = folder.url.standardizedFileURL
    let clock = ManualClock()
    let script = Script { _, _, _ in DiagnosticsResult(files: []) }
    let session = try InProcessSession { server in
      SliceServer.register(
        on: server, diagnosticsSource: ScriptedSource(script: script), debounce: .milliseconds(150), clock: clock,
        folderWatching: .polling)
    }
    try await session.initialize(
      ClientCapabilities(workspace: WorkspaceClientCapabilities(didChangeWatchedFiles: DidChangeWatchedFilesClientCapabilities())),
      rootUri: FileURI.uri(forFileAt: root))
    try await eventually {
      await session.notifications("window/logMessage").contains {
        $0["message"]?.stringValue?.contains("watches the project folders itself") == true
      }
    }
    /// Moves the clock on (polls, then the debounce) until the source was asked about `change`.
    @Sendable func advanceUntilAnalysed(_ change: WorkspaceChange) async throws {
      try await eventually {
        clock.advance(by: .seconds(1))
        return await script.calls.contains { $0.contains(change) }
      }
    }

    try folder.write("files/fs/b.yaml", "b: 1\n")
    try await advanceUntilAnalysed(WorkspaceChange(root.appendingPathComponent("files/fs/b.yaml", isDirectory: false), .created))

    try folder.write("files/git-ops-config.yml", "stores:\n  - store_name: fs\n  - store_name: net\n")
    try await advanceUntilAnalysed(
      WorkspaceChange(root.appendingPathComponent("files/git-ops-config.yml", isDirectory: false), .changed))
    try folder.write("files/net/x.yaml", "x: 1\n")
    try await advanceUntilAnalysed(WorkspaceChange(root.appendingPathComponent("files/net", isDirectory: true), .changed))
    // Only a watch of the new store's folder tells a file in it.
    try folder.write("files/net/y.yaml", "y: 1\n")
    try await advanceUntilAnalysed(WorkspaceChange(root.appendingPathComponent("files/net/y.yaml", isDirectory: false), .created))

    // An open document is read from the editor: its file changing on disk (the editor saving it)
    // is not passed on. Both files change before the next poll, so they come in one batch.
    let opened = root.appendingPathComponent("files/fs/a.yaml", isDirectory: false)
    session.client.send(
      DidOpenTextDocumentNotification(
        textDocument: TextDocumentItem(uri: FileURI.uri(forFileAt: opened), languageId: "yaml", version: 1, text: "a: 2\n")))
    try await eventually { await script.calls.contains { $0 == [WorkspaceChange(opened, .opened)] } }
    try folder.write("files/fs/a.yaml", "a: 2\n")
    try folder.write("files/fs/c.yaml", "c: 1\n")
    try await advanceUntilAnalysed(WorkspaceChange(root.appendingPathComponent("files/fs/c.yaml", isDirectory: false), .created))
    #expect(!(await script.calls.contains { $0.contains { $0.location == opened && $0.kind != .opened } }))
    #expect(try await session.finish() == 0)
  }

  /// A configuration file open in the editor and saved: its change is not passed to the source
  /// (the editor's text is what counts) but the folders are derived again.
  @Test func followsAConfigurationSavedFromTheEditor() async throws {
    let folder = try TemporaryFolder()
    try folder.write("project.yml", "name: p\n")
    try folder.write("files/git-ops-config.yml", "stores:\n  - store_name: fs\n")
    try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("files/net"), withIntermediateDirectories: true)
    let root = folder.url.standardizedFileURL
    let clock = ManualClock()
    let script = Script { _, _, _ in DiagnosticsResult(files: []) }
    let session = try InProcessSession { server in
      SliceServer.register(
        on: server, diagnosticsSource: ScriptedSource(script: script), debounce: .milliseconds(150), clock: clock,
        folderWatching: .polling)
    }
    try await session.initialize(ClientCapabilities(), rootUri: FileURI.uri(forFileAt: root))
    try await eventually {
      await session.notifications("window/logMessage").contains {
        $0["message"]?.stringValue?.contains("watches the project folders itself") == true
      }
    }
    let configuration = root.appendingPathComponent("files/git-ops-config.yml", isDirectory: false)
    let text = "stores:\n  - store_name: fs\n  - store_name: net\n"
    session.client.send(
      DidOpenTextDocumentNotification(
        textDocument: TextDocumentItem(uri: FileURI.uri(forFileAt: configuration), languageId: "yaml", version: 1, text: text)))
    try await eventually { await script.calls.contains { $0 == [WorkspaceChange(configuration, .opened)] } }
    try folder.write("files/git-ops-config.yml", text)
    // Files keep coming in the new store's folder; one is told once that folder is watched.
    let net = root.appendingPathComponent("files/net", isDirectory: true)
    let netPath = net.path
    @Sendable func toldOfTheNewStore() async -> Bool {
      await script.calls.contains { $0.contains { $0.location.deletingLastPathComponent().path == netPath } }
    }
    let deadline = ContinuousClock.now + .seconds(30)  // hang guard
    var written = 0
    while !(await toldOfTheNewStore()) {
      guard ContinuousClock.now < deadline else { throw TimedOut() }
      written += 1
      try folder.write("files/net/s\(written).yaml", "s: 1\n")
      clock.advance(by: .seconds(1))
      try await Task.sleep(for: .milliseconds(5))
    }
    #expect(!(await script.calls.contains { $0.contains { $0.location == configuration && $0.kind != .opened } }))
    #expect(try await session.finish() == 0)
  }
}
