public struct TraceValue: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }

  public static let off = TraceValue(rawValue: "off")
  public static let messages = TraceValue(rawValue: "messages")
  public static let verbose = TraceValue(rawValue: "verbose")
}

public struct ClientInfo: Codable, Hashable, Sendable {
  public var name: String
  public var version: String?
  public init(name: String, version: String? = nil) {
    self.name = name
    self.version = version
  }
}

public typealias ServerInfo = ClientInfo

public struct InitializeRequest: RequestType, Hashable, WorkDoneProgressParams {
  public static let method = "initialize"
  public typealias Response = InitializeResult

  /// The client's process id; the server exits when that process is gone. Null when the client
  /// was not started by another process.
  public var processId: Int?
  public var clientInfo: ClientInfo?
  public var locale: String?
  public var rootPath: String?
  public var rootUri: DocumentURI?
  public var initializationOptions: LSPAny?
  public var capabilities: ClientCapabilities
  public var trace: TraceValue?
  public var workspaceFolders: [WorkspaceFolder]?
  public var workDoneToken: ProgressToken?

  public init(
    processId: Int?, clientInfo: ClientInfo? = nil, locale: String? = nil, rootPath: String? = nil,
    rootUri: DocumentURI? = nil, initializationOptions: LSPAny? = nil, capabilities: ClientCapabilities,
    trace: TraceValue? = nil, workspaceFolders: [WorkspaceFolder]? = nil, workDoneToken: ProgressToken? = nil
  ) {
    self.processId = processId
    self.clientInfo = clientInfo
    self.locale = locale
    self.rootPath = rootPath
    self.rootUri = rootUri
    self.initializationOptions = initializationOptions
    self.capabilities = capabilities
    self.trace = trace
    self.workspaceFolders = workspaceFolders
    self.workDoneToken = workDoneToken
  }

  enum CodingKeys: String, CodingKey {
    case processId, clientInfo, locale, rootPath, rootUri, initializationOptions, capabilities, trace
    case workspaceFolders, workDoneToken
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    // `processId` and `rootUri` are required members that may be null.
    try container.encode(processId, forKey: .processId)
    try container.encode(rootUri, forKey: .rootUri)
    try container.encodeIfPresent(clientInfo, forKey: .clientInfo)
    try container.encodeIfPresent(locale, forKey: .locale)
    try container.encodeIfPresent(rootPath, forKey: .rootPath)
    try container.encodeIfPresent(initializationOptions, forKey: .initializationOptions)
    try container.encode(capabilities, forKey: .capabilities)
    try container.encodeIfPresent(trace, forKey: .trace)
    try container.encodeIfPresent(workspaceFolders, forKey: .workspaceFolders)
    try container.encodeIfPresent(workDoneToken, forKey: .workDoneToken)
  }
}

public struct InitializeResult: Codable, Hashable, Sendable {
  public var capabilities: ServerCapabilities
  public var serverInfo: ServerInfo?

  public init(capabilities: ServerCapabilities, serverInfo: ServerInfo? = nil) {
    self.capabilities = capabilities
    self.serverInfo = serverInfo
  }
}

public struct InitializedNotification: NotificationType, ParameterlessMessage, Hashable {
  public static let method = "initialized"
  public init() {}

  /// LSP defines its params as an empty object.
  public func encode(to encoder: any Encoder) throws {
    _ = encoder.container(keyedBy: NamedKey.self)
  }
}

public struct ShutdownRequest: RequestType, ParameterlessMessage, Hashable {
  public static let method = "shutdown"
  public typealias Response = VoidResponse
  public init() {}
}

public struct ExitNotification: NotificationType, ParameterlessMessage, Hashable {
  public static let method = "exit"
  public init() {}
}

public struct CancelRequestNotification: NotificationType, Hashable {
  public static let method = "$/cancelRequest"
  public var id: RequestID
  public init(id: RequestID) { self.id = id }
}

public struct SetTraceNotification: NotificationType, Hashable {
  public static let method = "$/setTrace"
  public var value: TraceValue
  public init(value: TraceValue) { self.value = value }
}

public struct LogTraceNotification: NotificationType, Hashable {
  public static let method = "$/logTrace"
  public var message: String
  public var verbose: String?
  public init(message: String, verbose: String? = nil) {
    self.message = message
    self.verbose = verbose
  }
}
