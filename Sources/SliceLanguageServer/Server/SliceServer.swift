import LanguageServerProtocol

/// The slicels language server as `slicels serve` runs it.
public enum SliceServer {
  /// The server over `connection` (stdin/stdout by default) with every feature registered.
  /// Each feature adds its registration call here.
  public static func make(connection: Connection = Connection(), version: String) -> LanguageServer {
    LanguageServer(connection: connection, serverInfo: ServerInfo(name: "slicels", version: version))
  }
}
