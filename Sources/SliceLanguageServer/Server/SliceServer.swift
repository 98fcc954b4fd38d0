import LanguageServerProtocol

/// The slicels language server as `slicels serve` runs it.
public enum SliceServer {
  /// The server over `connection` (stdin/stdout by default) with every feature registered.
  ///
  /// - Parameters:
  ///   - diagnosticsSource: where findings come from; syntax findings of open documents until
  ///     the engine's project analysis is plugged in here.
  ///   - debounce: how long a file must be quiet after an edit before it is analysed.
  public static func make(
    connection: Connection = Connection(), version: String,
    diagnosticsSource: any DiagnosticsSource = ProjectDiagnosticsSource(),
    debounce: Duration = .milliseconds(150)
  ) -> LanguageServer {
    let server = LanguageServer(connection: connection, serverInfo: ServerInfo(name: "slicels", version: version))
    register(on: server, diagnosticsSource: diagnosticsSource, debounce: debounce)
    return server
  }

  /// Registers every feature on `server`; returns the workspace they share.
  @discardableResult
  public static func register(
    on server: LanguageServer, diagnosticsSource: any DiagnosticsSource = ProjectDiagnosticsSource(),
    debounce: Duration = .milliseconds(150)
  ) -> Workspace {
    let workspace = Workspace()
    let pipeline = DiagnosticsPipeline(workspace: workspace, source: diagnosticsSource, debounce: debounce)
    WorkspaceHandlers.register(on: server, workspace: workspace, pipeline: pipeline)
    FeatureHandlers.register(on: server, workspace: workspace, pipeline: pipeline)
    return workspace
  }
}
