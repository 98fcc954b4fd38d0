import Foundation
import LanguageServerProtocol

/// The notifications that keep the workspace in step with the editor: document sync, folders,
/// watched files and settings. Each change goes to the workspace, then to the diagnostics.
enum WorkspaceHandlers {
  /// What slicels asks the client to watch: the module's and slicels' configuration, source
  /// slices and schemas under `files/`, the active stores, and project markers.
  static let watchedGlobs = [
    "**/files/git-ops-config.yml", "**/slicels.yml", "**/files/**/*.{json,yaml,yml}", "**/git_ops/active/**",
    "**/project.yml",
  ]

  static let watchersRegistrationId = "slicels-watched-files"
  static let configurationRegistrationId = "slicels-configuration"

  /// - Parameter folderWatch: the server's own file watching, started when the client does not
  ///   watch files for the server; nil: never.
  static func register(
    on server: LanguageServer, workspace: Workspace, pipeline: DiagnosticsPipeline, folderWatch: ProjectFolderWatch?
  ) {
    server.onInitialized { context in
      await pipeline.attach(session: context.session, client: context.client)
      await workspace.setFolders(from: context.session.initializeParams)
      // What follows waits for the client's answers: let its next messages in meanwhile.
      context.releaseMessageOrder()
      await registerDynamicCapabilities(context)
      await readSettings(context.client, workspace: workspace, pipeline: pipeline, server: server)
      let folders = await workspace.snapshot().folderLocations
      await pipeline.schedule(folders.map { WorkspaceChange($0, .folderAdded) }, debounced: false)
      if let folderWatch, !clientWatchesFiles(context.clientCapabilities) {
        await folderWatch.start(client: context.client)
      }
    }
    server.onShutdown { _ in
      await pipeline.stop()
      await folderWatch?.stop()
    }

    server.register(DidOpenTextDocumentNotification.self) { params, context in
      await pipeline.attach(session: context.session, client: context.client)
      guard let document = await workspace.open(params.textDocument) else {
        context.client.logMessage("slicels ignores \(params.textDocument.uri): not a JSON or YAML file")
        return
      }
      await pipeline.schedule([WorkspaceChange(document.location, .opened)], debounced: false)
      await folderWatch?.refresh()
    }
    server.register(DidChangeTextDocumentNotification.self, options: .incremental) { params, context in
      await pipeline.attach(session: context.session, client: context.client)
      guard let document = await workspace.change(params.textDocument, params.contentChanges, encoding: context.positionEncoding)
      else { return }
      await pipeline.schedule([WorkspaceChange(document.location, .edited)], debounced: true)
    }
    server.register(DidSaveTextDocumentNotification.self, options: SaveOptions(includeText: false)) { params, context in
      await pipeline.attach(session: context.session, client: context.client)
      guard let document = await workspace.save(params.textDocument.uri, text: params.text) else { return }
      await pipeline.schedule([WorkspaceChange(document.location, .saved)], debounced: false)
    }
    server.register(DidCloseTextDocumentNotification.self) { params, context in
      await pipeline.attach(session: context.session, client: context.client)
      guard let document = await workspace.close(params.textDocument.uri) else { return }
      await pipeline.schedule([WorkspaceChange(document.location, .closed)], debounced: false)
      await folderWatch?.refresh()
    }

    server.register(DidChangeWorkspaceFoldersNotification.self) { params, context in
      await pipeline.attach(session: context.session, client: context.client)
      let (added, removed) = await workspace.changeFolders(params.event)
      await pipeline.schedule(
        removed.map { WorkspaceChange($0, .folderRemoved) } + added.map { WorkspaceChange($0, .folderAdded) }, debounced: false)
      await folderWatch?.refresh()
    }
    server.register(DidChangeWatchedFilesNotification.self) { params, context in
      await pipeline.attach(session: context.session, client: context.client)
      let files = await workspace.filesChanged(params.changes)
      let changes = zip(params.changes.filter { FileURI.fileURL(from: $0.uri) != nil }, files).map { event, file in
        switch event.type {
        case .created: return WorkspaceChange(file, .created)
        case .deleted: return WorkspaceChange(file, .deleted)
        default: return WorkspaceChange(file, .changed)
        }
      }
      await pipeline.schedule(changes, debounced: true)
    }
    server.register(DidChangeConfigurationNotification.self) { params, context in
      await pipeline.attach(session: context.session, client: context.client)
      if let section = params.settings[ServerSettings.section] {
        await apply(ServerSettings(section: section), workspace: workspace, pipeline: pipeline, server: server)
      } else {
        // Clients that follow the pull model send no settings (or all of them): ask.
        context.releaseMessageOrder()
        await readSettings(context.client, workspace: workspace, pipeline: pipeline, server: server)
      }
    }
  }

  /// Whether the client watches files for servers that register watchers.
  static func clientWatchesFiles(_ capabilities: ClientCapabilities) -> Bool {
    capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration == true
  }

  /// Registers the file watchers and the settings notification, where the client lets servers
  /// register them.
  static func registerDynamicCapabilities(_ context: NotificationContext) async {
    let workspaceCapabilities = context.clientCapabilities.workspace
    var registrations: [Registration] = []
    if clientWatchesFiles(context.clientCapabilities) {
      let options = DidChangeWatchedFilesRegistrationOptions(watchers: watchedGlobs.map { FileSystemWatcher(globPattern: $0) })
      if let encoded = try? LSPAnyEncoder().encode(options) {
        registrations.append(
          Registration(id: watchersRegistrationId, method: DidChangeWatchedFilesNotification.method, registerOptions: encoded))
      }
    }
    if workspaceCapabilities?.didChangeConfiguration?.dynamicRegistration == true {
      registrations.append(
        Registration(
          id: configurationRegistrationId, method: DidChangeConfigurationNotification.method,
          registerOptions: ["section": .string(ServerSettings.section)]))
    }
    guard !registrations.isEmpty else { return }
    do {
      _ = try await context.client.request(RegisterCapabilityRequest(registrations: registrations))
    } catch {
      context.client.logMessage("could not register file watchers and settings: \(error)", type: .warning)
    }
  }

  /// Reads the `slicels` settings with `workspace/configuration` when the client offers it.
  static func readSettings(_ client: Client, workspace: Workspace, pipeline: DiagnosticsPipeline, server: LanguageServer)
    async
  {
    guard client.session.clientCapabilities.workspace?.configuration == true else { return }
    do {
      let values = try await client.request(ConfigurationRequest(items: [ConfigurationItem(section: ServerSettings.section)]))
      await apply(ServerSettings(section: values.first), workspace: workspace, pipeline: pipeline, server: server)
    } catch {
      client.logMessage("could not read the slicels settings: \(error)", type: .warning)
    }
  }

  static func apply(_ settings: ServerSettings, workspace: Workspace, pipeline: DiagnosticsPipeline, server: LanguageServer)
    async
  {
    let previous = await workspace.currentSettings
    await workspace.setSettings(settings)
    if let trace = settings.trace { server.connection.trace = trace }
    if previous.showHints != settings.showHints { await pipeline.settingsChanged() }
  }
}
