import LanguageServerProtocol

/// The slicels language server as `slicels serve` runs it.
public enum SliceServer {
  /// The server over `connection` (stdin/stdout by default) with every feature registered.
  ///
  /// - Parameters:
  ///   - diagnosticsSource: where findings come from: the project analysis (tests inject their
  ///     own).
  ///   - debounce: how long a file must be quiet after an edit before it is analysed.
  ///   - clock: the time the debounce, the parent-process watch and the folder polling run on.
  ///   - folderWatching: how the server watches the project folders itself when the client
  ///     does not watch files for it; nil: it does not.
  public static func make(
    connection: Connection = Connection(), version: String,
    diagnosticsSource: any DiagnosticsSource = ProjectDiagnosticsSource(),
    debounce: Duration = .milliseconds(150), clock: any ServerClock = ContinuousServerClock(),
    folderWatching: FolderWatcher.Mechanism? = .platformDefault
  ) -> LanguageServer {
    let server = LanguageServer(
      connection: connection, serverInfo: ServerInfo(name: "slicels", version: version), clock: clock)
    register(
      on: server, diagnosticsSource: diagnosticsSource, debounce: debounce, clock: clock, folderWatching: folderWatching)
    return server
  }

  /// Registers every feature on `server`; returns the workspace they share.
  @discardableResult
  public static func register(
    on server: LanguageServer, diagnosticsSource: any DiagnosticsSource = ProjectDiagnosticsSource(),
    debounce: Duration = .milliseconds(150), clock: any ServerClock = ContinuousServerClock(),
    folderWatching: FolderWatcher.Mechanism? = .platformDefault
  ) -> Workspace {
    let workspace = Workspace()
    let pipeline = DiagnosticsPipeline(workspace: workspace, source: diagnosticsSource, debounce: debounce, clock: clock)
    let folderWatch = folderWatching.map { mechanism in
      ProjectFolderWatch(workspace: workspace, pipeline: pipeline) { FolderWatcher(mechanism: mechanism, clock: clock) }
    }
    WorkspaceHandlers.register(on: server, workspace: workspace, pipeline: pipeline, folderWatch: folderWatch)
    FeatureHandlers.register(on: server, workspace: workspace, pipeline: pipeline)
    return workspace
  }
}
