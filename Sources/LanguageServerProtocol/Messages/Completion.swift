public struct CompletionItemKind: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  public static let text = CompletionItemKind(rawValue: 1)
  public static let method = CompletionItemKind(rawValue: 2)
  public static let function = CompletionItemKind(rawValue: 3)
  public static let constructor = CompletionItemKind(rawValue: 4)
  public static let field = CompletionItemKind(rawValue: 5)
  public static let variable = CompletionItemKind(rawValue: 6)
  public static let `class` = CompletionItemKind(rawValue: 7)
  public static let interface = CompletionItemKind(rawValue: 8)
  public static let module = CompletionItemKind(rawValue: 9)
  public static let property = CompletionItemKind(rawValue: 10)
  public static let unit = CompletionItemKind(rawValue: 11)
  public static let value = CompletionItemKind(rawValue: 12)
  public static let `enum` = CompletionItemKind(rawValue: 13)
  public static let keyword = CompletionItemKind(rawValue: 14)
  public static let snippet = CompletionItemKind(rawValue: 15)
  public static let color = CompletionItemKind(rawValue: 16)
  public static let file = CompletionItemKind(rawValue: 17)
  public static let reference = CompletionItemKind(rawValue: 18)
  public static let folder = CompletionItemKind(rawValue: 19)
  public static let enumMember = CompletionItemKind(rawValue: 20)
  public static let constant = CompletionItemKind(rawValue: 21)
  public static let `struct` = CompletionItemKind(rawValue: 22)
  public static let event = CompletionItemKind(rawValue: 23)
  public static let `operator` = CompletionItemKind(rawValue: 24)
  public static let typeParameter = CompletionItemKind(rawValue: 25)
}

public struct CompletionItemTag: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  public static let deprecated = CompletionItemTag(rawValue: 1)
}

public struct InsertTextFormat: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  public static let plainText = InsertTextFormat(rawValue: 1)
  public static let snippet = InsertTextFormat(rawValue: 2)
}

public struct InsertTextMode: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  public static let asIs = InsertTextMode(rawValue: 1)
  public static let adjustIndentation = InsertTextMode(rawValue: 2)
}

public struct CompletionTriggerKind: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  public static let invoked = CompletionTriggerKind(rawValue: 1)
  public static let triggerCharacter = CompletionTriggerKind(rawValue: 2)
  public static let triggerForIncompleteCompletions = CompletionTriggerKind(rawValue: 3)
}

public struct CompletionContext: Codable, Hashable, Sendable {
  public var triggerKind: CompletionTriggerKind
  public var triggerCharacter: String?
  public init(triggerKind: CompletionTriggerKind, triggerCharacter: String? = nil) {
    self.triggerKind = triggerKind
    self.triggerCharacter = triggerCharacter
  }
}

/// Documentation and tooltips: plain text, or markup in the client's preferred format.
public enum StringOrMarkupContent: Codable, Hashable, Sendable {
  case string(String)
  case markup(MarkupContent)

  public init(from decoder: any Decoder) throws {
    if let text = try? String(from: decoder) {
      self = .string(text)
    } else {
      self = .markup(try MarkupContent(from: decoder))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .string(let text): try text.encode(to: encoder)
    case .markup(let content): try content.encode(to: encoder)
    }
  }
}

public struct InsertReplaceEdit: Codable, Hashable, Sendable {
  public var newText: String
  public var insert: LSPRange
  public var replace: LSPRange
  public init(newText: String, insert: LSPRange, replace: LSPRange) {
    self.newText = newText
    self.insert = insert
    self.replace = replace
  }
}

public enum CompletionTextEdit: Codable, Hashable, Sendable {
  case edit(LSPTextEdit)
  case insertReplace(InsertReplaceEdit)

  public init(from decoder: any Decoder) throws {
    if let edit = try? InsertReplaceEdit(from: decoder) {
      self = .insertReplace(edit)
    } else {
      self = .edit(try LSPTextEdit(from: decoder))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .edit(let edit): try edit.encode(to: encoder)
    case .insertReplace(let edit): try edit.encode(to: encoder)
    }
  }
}

public struct CompletionItemLabelDetails: Codable, Hashable, Sendable {
  public var detail: String?
  public var description: String?
  public init(detail: String? = nil, description: String? = nil) {
    self.detail = detail
    self.description = description
  }
}

public struct CompletionItem: Codable, Hashable, Sendable {
  public var label: String
  public var labelDetails: CompletionItemLabelDetails?
  public var kind: CompletionItemKind?
  public var tags: [CompletionItemTag]?
  public var detail: String?
  public var documentation: StringOrMarkupContent?
  public var deprecated: Bool?
  public var preselect: Bool?
  public var sortText: String?
  public var filterText: String?
  public var insertText: String?
  public var insertTextFormat: InsertTextFormat?
  public var insertTextMode: InsertTextMode?
  public var textEdit: CompletionTextEdit?
  public var textEditText: String?
  public var additionalTextEdits: [LSPTextEdit]?
  public var commitCharacters: [String]?
  public var command: Command?
  public var data: LSPAny?

  public init(
    label: String, labelDetails: CompletionItemLabelDetails? = nil, kind: CompletionItemKind? = nil,
    tags: [CompletionItemTag]? = nil, detail: String? = nil, documentation: StringOrMarkupContent? = nil,
    deprecated: Bool? = nil, preselect: Bool? = nil, sortText: String? = nil, filterText: String? = nil,
    insertText: String? = nil, insertTextFormat: InsertTextFormat? = nil, insertTextMode: InsertTextMode? = nil,
    textEdit: CompletionTextEdit? = nil, textEditText: String? = nil, additionalTextEdits: [LSPTextEdit]? = nil,
    commitCharacters: [String]? = nil, command: Command? = nil, data: LSPAny? = nil
  ) {
    self.label = label
    self.labelDetails = labelDetails
    self.kind = kind
    self.tags = tags
    self.detail = detail
    self.documentation = documentation
    self.deprecated = deprecated
    self.preselect = preselect
    self.sortText = sortText
    self.filterText = filterText
    self.insertText = insertText
    self.insertTextFormat = insertTextFormat
    self.insertTextMode = insertTextMode
    self.textEdit = textEdit
    self.textEditText = textEditText
    self.additionalTextEdits = additionalTextEdits
    self.commitCharacters = commitCharacters
    self.command = command
    self.data = data
  }
}

public struct CompletionItemDefaults: Codable, Hashable, Sendable {
  public var commitCharacters: [String]?
  public var editRange: LSPRange?
  public var insertTextFormat: InsertTextFormat?
  public var insertTextMode: InsertTextMode?
  public var data: LSPAny?

  public init(
    commitCharacters: [String]? = nil, editRange: LSPRange? = nil, insertTextFormat: InsertTextFormat? = nil,
    insertTextMode: InsertTextMode? = nil, data: LSPAny? = nil
  ) {
    self.commitCharacters = commitCharacters
    self.editRange = editRange
    self.insertTextFormat = insertTextFormat
    self.insertTextMode = insertTextMode
    self.data = data
  }
}

public struct CompletionList: Codable, Hashable, Sendable {
  public var isIncomplete: Bool
  public var itemDefaults: CompletionItemDefaults?
  public var items: [CompletionItem]

  public init(isIncomplete: Bool = false, itemDefaults: CompletionItemDefaults? = nil, items: [CompletionItem]) {
    self.isIncomplete = isIncomplete
    self.itemDefaults = itemDefaults
    self.items = items
  }
}

public struct CompletionRequest: RequestType, Hashable, TextDocumentRequest, WorkDoneProgressParams,
  PartialResultParams
{
  public static let method = "textDocument/completion"
  public typealias Response = CompletionList

  public var textDocument: TextDocumentIdentifier
  public var position: LSPPosition
  public var context: CompletionContext?
  public var workDoneToken: ProgressToken?
  public var partialResultToken: ProgressToken?

  public init(
    textDocument: TextDocumentIdentifier, position: LSPPosition, context: CompletionContext? = nil,
    workDoneToken: ProgressToken? = nil, partialResultToken: ProgressToken? = nil
  ) {
    self.textDocument = textDocument
    self.position = position
    self.context = context
    self.workDoneToken = workDoneToken
    self.partialResultToken = partialResultToken
  }

  /// `resolveProvider` follows whether `completionItem/resolve` is handled.
  public static func advertise(
    _ options: CompletionOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    var completionOptions = options ?? CompletionOptions()
    completionOptions.resolveProvider = handledMethods.contains(CompletionItemResolveRequest.method)
    capabilities.completionProvider = completionOptions
  }
}

/// The params and the result are both a completion item.
public struct CompletionItemResolveRequest: RequestType, Hashable {
  public static let method = "completionItem/resolve"
  public typealias Response = CompletionItem

  public var item: CompletionItem
  public init(item: CompletionItem) { self.item = item }
  public init(from decoder: any Decoder) throws { item = try CompletionItem(from: decoder) }
  public func encode(to encoder: any Encoder) throws { try item.encode(to: encoder) }
}
