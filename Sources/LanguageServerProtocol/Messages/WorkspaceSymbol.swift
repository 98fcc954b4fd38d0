public struct WorkspaceSymbolRequest: RequestType, Hashable, WorkDoneProgressParams, PartialResultParams {
  public static let method = "workspace/symbol"
  /// The flat `SymbolInformation` form: every client since LSP 3.0 reads it.
  public typealias Response = [SymbolInformation]?

  public var query: String
  public var workDoneToken: ProgressToken?
  public var partialResultToken: ProgressToken?

  public init(query: String, workDoneToken: ProgressToken? = nil, partialResultToken: ProgressToken? = nil) {
    self.query = query
    self.workDoneToken = workDoneToken
    self.partialResultToken = partialResultToken
  }

  public static func advertise(
    _ options: NoCapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.workspaceSymbolProvider = true
  }
}
