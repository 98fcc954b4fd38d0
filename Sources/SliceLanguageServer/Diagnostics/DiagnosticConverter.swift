import Foundation
import LanguageServerProtocol
import SliceSyntax

/// Findings as LSP diagnostics, converted once in the negotiated encoding.
public struct DiagnosticConverter: Sendable {
  /// Where a related place of another file is, and the text its range points into.
  public struct RelatedFile: Sendable {
    public var uri: DocumentURI
    public var document: TextDocument
    public var displayName: String

    public init(uri: DocumentURI, document: TextDocument, displayName: String) {
      self.uri = uri
      self.document = document
      self.displayName = displayName
    }
  }

  public static let source = "slicels"

  public var encoding: PositionEncodingKind
  /// Whether the client shows `relatedInformation`; if not, related messages join the message.
  public var relatedInformationSupport: Bool
  /// The file of a related place (`Finding.Related.path`), nil when it cannot be read.
  public var relatedFile: @Sendable (String) -> RelatedFile?

  public init(
    encoding: PositionEncodingKind, relatedInformationSupport: Bool,
    relatedFile: @escaping @Sendable (String) -> RelatedFile? = { _ in nil }
  ) {
    self.encoding = encoding
    self.relatedInformationSupport = relatedInformationSupport
    self.relatedFile = relatedFile
  }

  /// The diagnostic of `finding` in the file `uri` whose text is `document`. `data` goes into
  /// the diagnostic for the client to send back with code action requests.
  public func diagnostic(for finding: Finding, uri: DocumentURI, document: TextDocument, data: LSPAny? = nil) -> Diagnostic {
    var file = FileConversion(converter: self, uri: uri, document: document)
    return file.diagnostic(for: finding, data: data)
  }

  /// Converts the findings of one file, counting each line's characters once for all of them
  /// (thousands of findings on one long line would otherwise cost the line's length each).
  public struct FileConversion: Sendable {
    public let converter: DiagnosticConverter
    public let uri: DocumentURI
    private var positions: PositionCounter
    private var relatedPositions: [String: PositionCounter] = [:]

    public init(converter: DiagnosticConverter, uri: DocumentURI, document: TextDocument) {
      self.converter = converter
      self.uri = uri
      self.positions = PositionCounter(document: document)
    }

    /// The diagnostic of `finding`; `data` goes into the diagnostic for the client to send back
    /// with code action requests.
    public mutating func diagnostic(for finding: Finding, data: LSPAny? = nil) -> Diagnostic {
      let encoding = converter.encoding.engineEncoding
      var related: [DiagnosticRelatedInformation] = []
      var notes: [String] = []
      for place in finding.related {
        if let path = place.path {
          guard let file = converter.relatedFile(path) else {
            notes.append("\(place.message) (\(path))")
            continue
          }
          var filePositions = relatedPositions.removeValue(forKey: path) ?? PositionCounter(document: file.document)
          related.append(
            DiagnosticRelatedInformation(
              location: Location(uri: file.uri, range: LSPRange(filePositions.range(of: place.range, in: encoding))),
              message: place.message))
          notes.append("\(place.message) (\(file.displayName):\(filePositions.displayLocation(of: place.range.lowerBound)))")
          relatedPositions[path] = filePositions
        } else {
          related.append(
            DiagnosticRelatedInformation(
              location: Location(uri: uri, range: LSPRange(positions.range(of: place.range, in: encoding))),
              message: place.message))
          notes.append("\(place.message) (line \(positions.displayLocation(of: place.range.lowerBound).line))")
        }
      }
      var message = finding.message
      if !converter.relatedInformationSupport, !notes.isEmpty {
        message += notes.map { "\n" + $0 }.joined()
      }
      return Diagnostic(
        range: LSPRange(positions.range(of: finding.range, in: encoding)),
        severity: DiagnosticSeverity(finding.severity),
        code: .string(finding.code),
        source: DiagnosticConverter.source,
        message: message,
        relatedInformation: converter.relatedInformationSupport && !related.isEmpty ? related : nil,
        data: data)
    }
  }
}

extension DiagnosticSeverity {
  init(_ severity: Finding.Severity) {
    switch severity {
    case .error: self = .error
    case .warning: self = .warning
    case .information: self = .information
    case .hint: self = .hint
    }
  }
}
