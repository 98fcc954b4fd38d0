public struct DiagnosticSeverity: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  public static let error = DiagnosticSeverity(rawValue: 1)
  public static let warning = DiagnosticSeverity(rawValue: 2)
  public static let information = DiagnosticSeverity(rawValue: 3)
  public static let hint = DiagnosticSeverity(rawValue: 4)
}

public struct DiagnosticTag: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }

  public static let unnecessary = DiagnosticTag(rawValue: 1)
  public static let deprecated = DiagnosticTag(rawValue: 2)
}

public struct CodeDescription: Codable, Hashable, Sendable {
  public var href: String
  public init(href: String) { self.href = href }
}

public struct DiagnosticRelatedInformation: Codable, Hashable, Sendable {
  public var location: Location
  public var message: String
  public init(location: Location, message: String) {
    self.location = location
    self.message = message
  }
}

public struct Diagnostic: Codable, Hashable, Sendable {
  public var range: LSPRange
  public var severity: DiagnosticSeverity?
  public var code: IntegerOrString?
  public var codeDescription: CodeDescription?
  public var source: String?
  public var message: String
  public var tags: [DiagnosticTag]?
  public var relatedInformation: [DiagnosticRelatedInformation]?
  /// Kept by the client and sent back in code action requests.
  public var data: LSPAny?

  public init(
    range: LSPRange, severity: DiagnosticSeverity? = nil, code: IntegerOrString? = nil,
    codeDescription: CodeDescription? = nil, source: String? = nil, message: String,
    tags: [DiagnosticTag]? = nil, relatedInformation: [DiagnosticRelatedInformation]? = nil, data: LSPAny? = nil
  ) {
    self.range = range
    self.severity = severity
    self.code = code
    self.codeDescription = codeDescription
    self.source = source
    self.message = message
    self.tags = tags
    self.relatedInformation = relatedInformation
    self.data = data
  }
}

/// Server to client: the full set of diagnostics for one document (an empty list clears them).
public struct PublishDiagnosticsNotification: NotificationType, Hashable {
  public static let method = "textDocument/publishDiagnostics"
  public var uri: DocumentURI
  public var version: Int?
  public var diagnostics: [Diagnostic]

  public init(uri: DocumentURI, version: Int? = nil, diagnostics: [Diagnostic]) {
    self.uri = uri
    self.version = version
    self.diagnostics = diagnostics
  }
}

public struct DocumentDiagnosticReportKind: RawRepresentable, Codable, Hashable, Sendable {
  public var rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }

  public static let full = DocumentDiagnosticReportKind(rawValue: "full")
  public static let unchanged = DocumentDiagnosticReportKind(rawValue: "unchanged")
}

/// A pull diagnostics report: `full` with `items`, or `unchanged` since `resultId`.
public struct DocumentDiagnosticReport: Codable, Hashable, Sendable {
  public var kind: DocumentDiagnosticReportKind
  public var resultId: String?
  public var items: [Diagnostic]?
  public var relatedDocuments: [DocumentURI: DocumentDiagnosticReport]?

  public init(
    kind: DocumentDiagnosticReportKind, resultId: String? = nil, items: [Diagnostic]? = nil,
    relatedDocuments: [DocumentURI: DocumentDiagnosticReport]? = nil
  ) {
    self.kind = kind
    self.resultId = resultId
    self.items = items
    self.relatedDocuments = relatedDocuments
  }

  public static func full(_ items: [Diagnostic], resultId: String? = nil) -> DocumentDiagnosticReport {
    DocumentDiagnosticReport(kind: .full, resultId: resultId, items: items)
  }

  public static func unchanged(resultId: String) -> DocumentDiagnosticReport {
    DocumentDiagnosticReport(kind: .unchanged, resultId: resultId)
  }
}

public struct DocumentDiagnosticRequest: RequestType, Hashable, TextDocumentRequest, WorkDoneProgressParams,
  PartialResultParams
{
  public static let method = "textDocument/diagnostic"
  public typealias Response = DocumentDiagnosticReport

  public var textDocument: TextDocumentIdentifier
  public var identifier: String?
  public var previousResultId: String?
  public var workDoneToken: ProgressToken?
  public var partialResultToken: ProgressToken?

  public init(
    textDocument: TextDocumentIdentifier, identifier: String? = nil, previousResultId: String? = nil,
    workDoneToken: ProgressToken? = nil, partialResultToken: ProgressToken? = nil
  ) {
    self.textDocument = textDocument
    self.identifier = identifier
    self.previousResultId = previousResultId
    self.workDoneToken = workDoneToken
    self.partialResultToken = partialResultToken
  }

  /// `workspaceDiagnostics` follows whether `workspace/diagnostic` is handled.
  public static func advertise(
    _ options: DiagnosticOptions?, handledMethods: Set<String>, in capabilities: inout ServerCapabilities
  ) {
    var diagnosticOptions = options ?? DiagnosticOptions(interFileDependencies: true, workspaceDiagnostics: false)
    diagnosticOptions.workspaceDiagnostics = handledMethods.contains(WorkspaceDiagnosticRequest.method)
    capabilities.diagnosticProvider = diagnosticOptions
  }
}

public struct PreviousResultId: Codable, Hashable, Sendable {
  public var uri: DocumentURI
  public var value: String
  public init(uri: DocumentURI, value: String) {
    self.uri = uri
    self.value = value
  }
}

/// One document's report in a workspace diagnostic report; `version` is null for files not open.
public struct WorkspaceDocumentDiagnosticReport: Codable, Hashable, Sendable {
  public var kind: DocumentDiagnosticReportKind
  public var resultId: String?
  public var items: [Diagnostic]?
  public var uri: DocumentURI
  public var version: Int?

  public init(
    kind: DocumentDiagnosticReportKind, resultId: String? = nil, items: [Diagnostic]? = nil,
    uri: DocumentURI, version: Int?
  ) {
    self.kind = kind
    self.resultId = resultId
    self.items = items
    self.uri = uri
    self.version = version
  }

  enum CodingKeys: String, CodingKey { case kind, resultId, items, uri, version }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(kind, forKey: .kind)
    try container.encodeIfPresent(resultId, forKey: .resultId)
    try container.encodeIfPresent(items, forKey: .items)
    try container.encode(uri, forKey: .uri)
    try container.encode(version, forKey: .version)
  }
}

public struct WorkspaceDiagnosticReport: Codable, Hashable, Sendable {
  public var items: [WorkspaceDocumentDiagnosticReport]
  public init(items: [WorkspaceDocumentDiagnosticReport]) { self.items = items }
}

/// Advertised through `DocumentDiagnosticRequest`'s `workspaceDiagnostics`.
public struct WorkspaceDiagnosticRequest: RequestType, Hashable, WorkDoneProgressParams, PartialResultParams {
  public static let method = "workspace/diagnostic"
  public typealias Response = WorkspaceDiagnosticReport

  public var identifier: String?
  public var previousResultIds: [PreviousResultId]
  public var workDoneToken: ProgressToken?
  public var partialResultToken: ProgressToken?

  public init(
    identifier: String? = nil, previousResultIds: [PreviousResultId] = [], workDoneToken: ProgressToken? = nil,
    partialResultToken: ProgressToken? = nil
  ) {
    self.identifier = identifier
    self.previousResultIds = previousResultIds
    self.workDoneToken = workDoneToken
    self.partialResultToken = partialResultToken
  }
}

/// Server to client: ask the client to pull diagnostics again.
public struct DiagnosticRefreshRequest: RequestType, ParameterlessMessage, Hashable {
  public static let method = "workspace/diagnostic/refresh"
  public typealias Response = VoidResponse
  public init() {}
}
