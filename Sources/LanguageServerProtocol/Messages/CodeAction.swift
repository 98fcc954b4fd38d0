public struct CodeActionKind: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }

  public static let empty = CodeActionKind(rawValue: "")
  public static let quickFix = CodeActionKind(rawValue: "quickfix")
  public static let refactor = CodeActionKind(rawValue: "refactor")
  public static let refactorExtract = CodeActionKind(rawValue: "refactor.extract")
  public static let refactorInline = CodeActionKind(rawValue: "refactor.inline")
  public static let refactorRewrite = CodeActionKind(rawValue: "refactor.rewrite")
  public static let source = CodeActionKind(rawValue: "source")
  public static let sourceOrganizeImports = CodeActionKind(rawValue: "source.organizeImports")
  public static let sourceFixAll = CodeActionKind(rawValue: "source.fixAll")

  /// Whether an `only` filter entry selects this kind (`refactor` selects `refactor.extract`).
  public func isSelected(by filter: CodeActionKind) -> Bool {
    filter.rawValue.isEmpty || rawValue == filter.rawValue || rawValue.hasPrefix(filter.rawValue + ".")
  }
}

public struct CodeActionTriggerKind: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  public static let invoked = CodeActionTriggerKind(rawValue: 1)
  public static let automatic = CodeActionTriggerKind(rawValue: 2)
}

public struct CodeActionContext: Codable, Hashable, Sendable {
  public var diagnostics: [Diagnostic]
  public var only: [CodeActionKind]?
  public var triggerKind: CodeActionTriggerKind?

  public init(diagnostics: [Diagnostic], only: [CodeActionKind]? = nil, triggerKind: CodeActionTriggerKind? = nil) {
    self.diagnostics = diagnostics
    self.only = only
    self.triggerKind = triggerKind
  }
}

public struct CodeActionDisabled: Codable, Hashable, Sendable {
  public var reason: String
  public init(reason: String) { self.reason = reason }
}

public struct CodeAction: Codable, Hashable, Sendable {
  public var title: String
  public var kind: CodeActionKind?
  public var diagnostics: [Diagnostic]?
  public var isPreferred: Bool?
  public var disabled: CodeActionDisabled?
  public var edit: WorkspaceEdit?
  public var command: Command?
  public var data: LSPAny?

  public init(
    title: String, kind: CodeActionKind? = nil, diagnostics: [Diagnostic]? = nil, isPreferred: Bool? = nil,
    disabled: CodeActionDisabled? = nil, edit: WorkspaceEdit? = nil, command: Command? = nil, data: LSPAny? = nil
  ) {
    self.title = title
    self.kind = kind
    self.diagnostics = diagnostics
    self.isPreferred = isPreferred
    self.disabled = disabled
    self.edit = edit
    self.command = command
    self.data = data
  }
}

/// A code action result entry: a bare command (its `command` member is a string) or an action.
public enum CodeActionOrCommand: Codable, Hashable, Sendable {
  case command(Command)
  case codeAction(CodeAction)

  enum CodingKeys: String, CodingKey { case command }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if (try? container.decode(String.self, forKey: .command)) != nil {
      self = .command(try Command(from: decoder))
    } else {
      self = .codeAction(try CodeAction(from: decoder))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .command(let command): try command.encode(to: encoder)
    case .codeAction(let action): try action.encode(to: encoder)
    }
  }
}

public struct CodeActionRequest: RequestType, Hashable, TextDocumentRequest, WorkDoneProgressParams,
  PartialResultParams
{
  public static let method = "textDocument/codeAction"
  public typealias Response = [CodeActionOrCommand]?

  public var textDocument: TextDocumentIdentifier
  public var range: LSPRange
  public var context: CodeActionContext
  public var workDoneToken: ProgressToken?
  public var partialResultToken: ProgressToken?

  public init(
    textDocument: TextDocumentIdentifier, range: LSPRange, context: CodeActionContext,
    workDoneToken: ProgressToken? = nil, partialResultToken: ProgressToken? = nil
  ) {
    self.textDocument = textDocument
    self.range = range
    self.context = context
    self.workDoneToken = workDoneToken
    self.partialResultToken = partialResultToken
  }

  /// `resolveProvider` follows whether `codeAction/resolve` is handled.
  public static func advertise(
    _ options: CodeActionOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    var actionOptions = options ?? CodeActionOptions()
    actionOptions.resolveProvider = handledMethods.contains(CodeActionResolveRequest.method)
    capabilities.codeActionProvider = actionOptions
  }
}

/// The params and the result are both a code action.
public struct CodeActionResolveRequest: RequestType, Hashable {
  public static let method = "codeAction/resolve"
  public typealias Response = CodeAction

  public var action: CodeAction
  public init(action: CodeAction) { self.action = action }
  public init(from decoder: any Decoder) throws { action = try CodeAction(from: decoder) }
  public func encode(to encoder: any Encoder) throws { try action.encode(to: encoder) }
}
