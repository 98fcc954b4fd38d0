/// Runs one of the commands the server advertised. The result is any JSON value (often null).
public struct ExecuteCommandRequest: RequestType, Hashable, WorkDoneProgressParams {
  public static let method = "workspace/executeCommand"
  public typealias Response = LSPAny

  public var command: String
  public var arguments: [LSPAny]?
  public var workDoneToken: ProgressToken?

  public init(command: String, arguments: [LSPAny]? = nil, workDoneToken: ProgressToken? = nil) {
    self.command = command
    self.arguments = arguments
    self.workDoneToken = workDoneToken
  }

  /// The options name the commands; a registration without options advertises none.
  public static func advertise(
    _ options: ExecuteCommandOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.executeCommandProvider = options ?? ExecuteCommandOptions(commands: [])
  }
}

public struct ApplyWorkspaceEditResult: Codable, Hashable, Sendable {
  public var applied: Bool
  public var failureReason: String?
  public var failedChange: Int?

  public init(applied: Bool, failureReason: String? = nil, failedChange: Int? = nil) {
    self.applied = applied
    self.failureReason = failureReason
    self.failedChange = failedChange
  }
}

/// Server to client: apply an edit to the workspace (needs `workspace.applyEdit`).
public struct ApplyWorkspaceEditRequest: RequestType, Hashable {
  public static let method = "workspace/applyEdit"
  public typealias Response = ApplyWorkspaceEditResult

  public var label: String?
  public var edit: WorkspaceEdit

  public init(label: String? = nil, edit: WorkspaceEdit) {
    self.label = label
    self.edit = edit
  }
}
