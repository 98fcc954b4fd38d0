import Foundation
import LanguageServerProtocol
import Locking
import SliceSyntax

/// A document the editor has open, at one version. A value: features and the diagnostics source
/// work on copies while the workspace moves on.
public struct OpenDocument: Sendable {
  /// The URI exactly as the client wrote it (clients match diagnostics by it).
  public let uri: DocumentURI
  /// The file for a `file:` URI, else a URL that stands for the in-memory buffer (never read or
  /// written): the key the engine uses for this document.
  public let location: URL
  /// Whether `location` is a file on disk (a `file:` URI).
  public let isFile: Bool
  public let languageId: String
  public let version: Int
  public let format: SliceFormat
  public let document: TextDocument
  /// The inmanta project the file belongs to (`ProjectLocator`), nil for buffers and loose files.
  public let projectRoot: URL?
  private let parsed: ParsedSyntaxTree

  init(
    uri: DocumentURI, location: URL, isFile: Bool, languageId: String, version: Int, format: SliceFormat,
    document: TextDocument, projectRoot: URL?, parsed: ParsedSyntaxTree? = nil
  ) {
    self.uri = uri
    self.location = location
    self.isFile = isFile
    self.languageId = languageId
    self.version = version
    self.format = format
    self.document = document
    self.projectRoot = projectRoot
    self.parsed = parsed ?? ParsedSyntaxTree(bytes: document.bytes, format: format)
  }

  /// The located tree of this version, read on first use and shared by every copy.
  public var syntaxTree: SyntaxTree { parsed.tree }

  func with(version: Int, document: TextDocument) -> OpenDocument {
    OpenDocument(
      uri: uri, location: location, isFile: isFile, languageId: languageId, version: version, format: format,
      document: document, projectRoot: projectRoot)
  }

  func with(projectRoot: URL?) -> OpenDocument {
    OpenDocument(
      uri: uri, location: location, isFile: isFile, languageId: languageId, version: version, format: format,
      document: document, projectRoot: projectRoot, parsed: parsed)
  }

  /// The slice format of a document: from the file extension (`.json`; `.yaml`, `.yml`); for a
  /// buffer without an extension (`untitled:Untitled-1`), from the language id. Nil means slicels
  /// does not handle the document.
  public static func format(uri: DocumentURI, languageId: String) -> SliceFormat? {
    let path: String
    if let filePath = FileURI.filePath(from: uri) {
      path = filePath
    } else {
      var rest = uri[...]
      if let colon = rest.firstIndex(of: ":") { rest = rest[rest.index(after: colon)...] }
      if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
      path = FileURI.percentDecoded(rest) ?? String(rest)
    }
    let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
    if let dot = name.lastIndex(of: "."), dot != name.startIndex {
      let pathExtension = name[name.index(after: dot)...].lowercased()
      if let format = SliceFormat(fileExtension: pathExtension) { return format }
      if FileURI.filePath(from: uri) != nil { return nil }
    } else if FileURI.filePath(from: uri) != nil {
      return nil
    }
    switch languageId.lowercased() {
    case "yaml": return .yaml
    case "json", "jsonc": return .json
    default: return nil
    }
  }

  /// The URL that stands for a document: its file, or the URI itself for a buffer.
  static func location(of uri: DocumentURI) -> (url: URL, isFile: Bool)? {
    if let file = FileURI.fileURL(from: uri) { return (file, true) }
    if let url = URL(string: uri) { return (url, false) }
    // Only unreserved characters and escapes remain, which always make a URL.
    guard let url = URL(string: "slicels-buffer:" + FileURI.percentEncoded(uri, keepingSlashes: true)) else { return nil }
    return (url, false)
  }
}

/// The syntax tree of one document version, parsed once by whoever asks first.
final class ParsedSyntaxTree: Sendable {
  private let bytes: [UInt8]
  private let format: SliceFormat
  private let parsed = Locked<SyntaxTree?>(nil)

  init(bytes: [UInt8], format: SliceFormat) {
    self.bytes = bytes
    self.format = format
  }

  var tree: SyntaxTree {
    parsed.withLock { parsed in
      if let parsed { return parsed }
      let tree = SliceReader.read(bytes, format: format)
      parsed = tree
      return tree
    }
  }
}
