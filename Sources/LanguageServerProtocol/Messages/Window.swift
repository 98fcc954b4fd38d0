public struct MessageType: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  public static let error = MessageType(rawValue: 1)
  public static let warning = MessageType(rawValue: 2)
  public static let info = MessageType(rawValue: 3)
  public static let log = MessageType(rawValue: 4)
  public static let debug = MessageType(rawValue: 5)
}

public struct LogMessageNotification: NotificationType, Hashable {
  public static let method = "window/logMessage"
  public var type: MessageType
  public var message: String

  public init(type: MessageType, message: String) {
    self.type = type
    self.message = message
  }
}

public struct ShowMessageNotification: NotificationType, Hashable {
  public static let method = "window/showMessage"
  public var type: MessageType
  public var message: String

  public init(type: MessageType, message: String) {
    self.type = type
    self.message = message
  }
}

public struct MessageActionItem: Codable, Hashable, Sendable {
  public var title: String
  public init(title: String) { self.title = title }
}

/// Server to client: a message with buttons; the result is the chosen one, or null.
public struct ShowMessageRequest: RequestType, Hashable {
  public static let method = "window/showMessageRequest"
  public typealias Response = MessageActionItem?

  public var type: MessageType
  public var message: String
  public var actions: [MessageActionItem]?

  public init(type: MessageType, message: String, actions: [MessageActionItem]? = nil) {
    self.type = type
    self.message = message
    self.actions = actions
  }
}

public struct ShowDocumentResult: Codable, Hashable, Sendable {
  public var success: Bool
  public init(success: Bool) { self.success = success }
}

/// Server to client: open a document (needs `window.showDocument.support`).
public struct ShowDocumentRequest: RequestType, Hashable {
  public static let method = "window/showDocument"
  public typealias Response = ShowDocumentResult

  public var uri: DocumentURI
  public var external: Bool?
  public var takeFocus: Bool?
  public var selection: LSPRange?

  public init(uri: DocumentURI, external: Bool? = nil, takeFocus: Bool? = nil, selection: LSPRange? = nil) {
    self.uri = uri
    self.external = external
    self.takeFocus = takeFocus
    self.selection = selection
  }
}

/// Server to client: create a progress token (needs `window.workDoneProgress`).
public struct WorkDoneProgressCreateRequest: RequestType, Hashable {
  public static let method = "window/workDoneProgress/create"
  public typealias Response = VoidResponse

  public var token: ProgressToken
  public init(token: ProgressToken) { self.token = token }
}

/// Client to server: the user cancelled a cancellable progress.
public struct WorkDoneProgressCancelNotification: NotificationType, Hashable {
  public static let method = "window/workDoneProgress/cancel"
  public var token: ProgressToken
  public init(token: ProgressToken) { self.token = token }
}

/// The `value` of a work-done `$/progress` notification.
public enum WorkDoneProgressValue: Codable, Hashable, Sendable {
  case begin(title: String, cancellable: Bool? = nil, message: String? = nil, percentage: Int? = nil)
  case report(cancellable: Bool? = nil, message: String? = nil, percentage: Int? = nil)
  case end(message: String? = nil)

  enum CodingKeys: String, CodingKey { case kind, title, cancellable, message, percentage }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try container.decode(String.self, forKey: .kind)
    let message = try container.decodeIfPresent(String.self, forKey: .message)
    switch kind {
    case "begin":
      self = .begin(
        title: try container.decode(String.self, forKey: .title),
        cancellable: try container.decodeIfPresent(Bool.self, forKey: .cancellable), message: message,
        percentage: try container.decodeIfPresent(Int.self, forKey: .percentage))
    case "report":
      self = .report(
        cancellable: try container.decodeIfPresent(Bool.self, forKey: .cancellable), message: message,
        percentage: try container.decodeIfPresent(Int.self, forKey: .percentage))
    case "end":
      self = .end(message: message)
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .kind, in: container, debugDescription: "unknown progress kind '\(kind)'")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .begin(let title, let cancellable, let message, let percentage):
      try container.encode("begin", forKey: .kind)
      try container.encode(title, forKey: .title)
      try container.encodeIfPresent(cancellable, forKey: .cancellable)
      try container.encodeIfPresent(message, forKey: .message)
      try container.encodeIfPresent(percentage, forKey: .percentage)
    case .report(let cancellable, let message, let percentage):
      try container.encode("report", forKey: .kind)
      try container.encodeIfPresent(cancellable, forKey: .cancellable)
      try container.encodeIfPresent(message, forKey: .message)
      try container.encodeIfPresent(percentage, forKey: .percentage)
    case .end(let message):
      try container.encode("end", forKey: .kind)
      try container.encodeIfPresent(message, forKey: .message)
    }
  }
}

/// `$/progress`: work-done progress (see `WorkDoneProgressValue`) or partial results.
public struct ProgressNotification: NotificationType, Hashable {
  public static let method = "$/progress"
  public var token: ProgressToken
  public var value: LSPAny

  public init(token: ProgressToken, value: LSPAny) {
    self.token = token
    self.value = value
  }

  public init(token: ProgressToken, workDone: WorkDoneProgressValue) {
    self.token = token
    // Encoding a value type of plain members into LSPAny cannot fail.
    self.value = (try? LSPAnyEncoder().encode(workDone)) ?? .null
  }
}
