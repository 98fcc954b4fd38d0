public struct Registration: Codable, Hashable, Sendable {
  public var id: String
  public var method: String
  public var registerOptions: LSPAny?

  public init(id: String, method: String, registerOptions: LSPAny? = nil) {
    self.id = id
    self.method = method
    self.registerOptions = registerOptions
  }
}

/// Server to client: register a capability dynamically (file watchers, configuration).
public struct RegisterCapabilityRequest: RequestType, Hashable {
  public static let method = "client/registerCapability"
  public typealias Response = VoidResponse

  public var registrations: [Registration]
  public init(registrations: [Registration]) { self.registrations = registrations }
}

public struct Unregistration: Codable, Hashable, Sendable {
  public var id: String
  public var method: String
  public init(id: String, method: String) {
    self.id = id
    self.method = method
  }
}

public struct UnregisterCapabilityRequest: RequestType, Hashable {
  public static let method = "client/unregisterCapability"
  public typealias Response = VoidResponse

  /// Misspelt so in LSP itself.
  public var unregisterations: [Unregistration]
  public init(unregisterations: [Unregistration]) { self.unregisterations = unregisterations }
}

public struct WatchKind: OptionSet, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  public static let create = WatchKind(rawValue: 1)
  public static let change = WatchKind(rawValue: 2)
  public static let delete = WatchKind(rawValue: 4)
}

public struct FileSystemWatcher: Codable, Hashable, Sendable {
  /// A glob such as `**/*.yaml` (relative patterns are not needed by slicels).
  public var globPattern: String
  public var kind: WatchKind?

  public init(globPattern: String, kind: WatchKind? = nil) {
    self.globPattern = globPattern
    self.kind = kind
  }
}

/// The `registerOptions` of a `workspace/didChangeWatchedFiles` registration.
public struct DidChangeWatchedFilesRegistrationOptions: Codable, Hashable, Sendable {
  public var watchers: [FileSystemWatcher]
  public init(watchers: [FileSystemWatcher]) { self.watchers = watchers }
}

public struct ConfigurationItem: Codable, Hashable, Sendable {
  public var scopeUri: DocumentURI?
  public var section: String?
  public init(scopeUri: DocumentURI? = nil, section: String? = nil) {
    self.scopeUri = scopeUri
    self.section = section
  }
}

/// Server to client: read settings; one value (possibly null) per item.
public struct ConfigurationRequest: RequestType, Hashable {
  public static let method = "workspace/configuration"
  public typealias Response = [LSPAny]

  public var items: [ConfigurationItem]
  public init(items: [ConfigurationItem]) { self.items = items }
}

public struct DidChangeConfigurationNotification: NotificationType, Hashable {
  public static let method = "workspace/didChangeConfiguration"
  public var settings: LSPAny
  public init(settings: LSPAny) { self.settings = settings }

  enum CodingKeys: String, CodingKey { case settings }

  public init(from decoder: any Decoder) throws {
    // Some clients send no `settings` at all and expect a pull via workspace/configuration.
    let container = try decoder.container(keyedBy: CodingKeys.self)
    settings = try container.decodeIfPresent(LSPAny.self, forKey: .settings) ?? .null
  }
}

public struct FileChangeType: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  public static let created = FileChangeType(rawValue: 1)
  public static let changed = FileChangeType(rawValue: 2)
  public static let deleted = FileChangeType(rawValue: 3)
}

public struct FileEvent: Codable, Hashable, Sendable {
  public var uri: DocumentURI
  public var type: FileChangeType
  public init(uri: DocumentURI, type: FileChangeType) {
    self.uri = uri
    self.type = type
  }
}

/// Advertised by registering the watchers dynamically (`client/registerCapability`).
public struct DidChangeWatchedFilesNotification: NotificationType, Hashable {
  public static let method = "workspace/didChangeWatchedFiles"
  public var changes: [FileEvent]
  public init(changes: [FileEvent]) { self.changes = changes }
}

public struct WorkspaceFoldersChangeEvent: Codable, Hashable, Sendable {
  public var added: [WorkspaceFolder]
  public var removed: [WorkspaceFolder]
  public init(added: [WorkspaceFolder], removed: [WorkspaceFolder]) {
    self.added = added
    self.removed = removed
  }
}

public struct DidChangeWorkspaceFoldersNotification: NotificationType, Hashable {
  public static let method = "workspace/didChangeWorkspaceFolders"
  public var event: WorkspaceFoldersChangeEvent
  public init(event: WorkspaceFoldersChangeEvent) { self.event = event }

  public static func advertise(
    _ options: NoCapabilityOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    capabilities.workspace = WorkspaceServerCapabilities(
      workspaceFolders: .init(supported: true, changeNotifications: true))
  }
}
