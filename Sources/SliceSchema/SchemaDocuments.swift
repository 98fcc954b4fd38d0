import Foundation
import SliceSyntax

/// What a provider says about a document the loader needs (a `$ref` to another file, a custom
/// metaschema).
public enum SchemaDocumentLookup: Sendable {
  /// The document's bytes, and its file path when it was read from disk.
  case found(bytes: [UInt8], filePath: String?)
  /// No such document.
  case notFound(String)
  /// The provider will not serve this URI (remote, or outside the project).
  case refused(String)
}

/// Serves the documents referenced by a schema. The loader never fetches anything itself:
/// whatever is not a built-in metaschema comes through this.
public protocol SchemaDocumentProvider: Sendable {
  /// The document for an absolute URI without fragment.
  func document(for uri: String) -> SchemaDocumentLookup
}

/// Documents held in memory, keyed by absolute URI (the test suite serves `remotes/` this way).
public struct InMemorySchemaDocuments: SchemaDocumentProvider {
  public var documents: [String: String]
  public init(_ documents: [String: String]) { self.documents = documents }

  public func document(for uri: String) -> SchemaDocumentLookup {
    if let text = documents[uri] { return .found(bytes: Array(text.utf8), filePath: nil) }
    return .notFound("no document is known at \(uri)")
  }
}

/// Local files inside one directory tree (the project). `file:` URIs outside it and every other
/// scheme (http, https, …) are refused: schemas are never fetched from the network.
public struct ProjectSchemaFiles: SchemaDocumentProvider {
  public var root: String
  /// Files larger than this are refused (a hostile schema must not exhaust memory).
  public var maximumFileSize: Int

  public init(root: String, maximumFileSize: Int = FileReader.defaultMaximumSize) {
    self.root = URL(fileURLWithPath: root).standardizedFileURL.path
    self.maximumFileSize = maximumFileSize
  }

  public func document(for uri: String) -> SchemaDocumentLookup {
    let reference = URIReference(parsing: uri)
    guard reference.scheme == "file" else {
      return .refused("only schema files inside the project are read; \(uri) is not fetched")
    }
    let path = URIReference.removeDotSegments(percentDecoded(reference.path))
    let normalizedRoot = root.hasSuffix("/") ? root : root + "/"
    guard path.hasPrefix(normalizedRoot) else {
      return .refused("\(path) is outside the project (\(root)); it is not read")
    }
    let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    let resolvedRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
    guard resolved == resolvedRoot || resolved.hasPrefix(resolvedRoot.hasSuffix("/") ? resolvedRoot : resolvedRoot + "/")
    else {
      return .refused("\(path) leads outside the project (\(root)); it is not read")
    }
    switch FileReader(maximumSize: maximumFileSize).read(path) {
    case .success(let bytes): return .found(bytes: bytes, filePath: path)
    case .failure(.notFound): return .notFound("no file at \(path)")
    case .failure(let failure): return .refused("\(path) is not read: \(failure)")
    }
  }
}

/// The `file:` URI of an absolute path.
public func fileURI(forPath path: String) -> String {
  URL(fileURLWithPath: path).standardizedFileURL.absoluteString
}
