import Foundation
import SliceStore
import SliceSyntax

/// A clickable value and the file it leads to, protocol-neutral.
public struct DocumentLinkTarget: Sendable, Hashable {
  /// The value's text in this document, without its quotes.
  public var range: ByteRange
  /// The target file (absolute path).
  public var path: String
  /// The place in the target a `$ref`'s JSON pointer names (bytes of the target file).
  public var targetRange: ByteRange?
  public var tooltip: String
}

extension EditorQueries {
  /// The links of a project configuration file: each store's `schema_path` in
  /// `files/git-ops-config.yml`, each store's `schema` in `slicels.yml`. Only files that exist.
  public static func configurationLinks(tree: SyntaxTree, bytes: [UInt8], file: URL, projectRoot: URL) -> [DocumentLinkTarget] {
    guard let document = tree.root else { return [] }
    let root = projectRoot.standardizedFileURL
    let relative = file.standardizedFileURL.path.dropFirst(root.path.count)
    var values: [Node] = []
    if relative == "/" + ProjectConfiguration.moduleConfigPath {
      values = (document.lookup("stores")?.items ?? []).compactMap { $0.lookup("schema_path") }
    } else if relative == "/" + ProjectConfiguration.ownConfigPath {
      values = (document.lookup("stores")?.entries ?? []).compactMap { $0.value.lookup("schema") }
    }
    return values.compactMap { node -> DocumentLinkTarget? in
      guard case .scalar(.string(let text)) = node.kind, case .resolved(let url) = PathURI.resolve(text, projectRoot: root),
        isRegularFile(url.path)
      else { return nil }
      return DocumentLinkTarget(range: unquoted(node.range, in: bytes), path: url.path, targetRange: nil, tooltip: "open \(url.lastPathComponent)")
    }
  }

  /// The `$ref`s of a JSON schema file that lead to a file of the project: to the same file or
  /// another one by a relative reference, at the place its JSON pointer names. A reference whose
  /// file is missing or whose pointer names nothing has no link. `read` gives another file's bytes.
  public static func schemaReferenceLinks(
    tree: SyntaxTree, bytes: [UInt8], file: URL, projectRoot: URL, read: (String) -> [UInt8]?
  ) -> [DocumentLinkTarget] {
    guard let root = tree.root else { return [] }
    var references: [Node] = []
    collectReferences(in: root, into: &references)
    let projectPath = projectRoot.standardizedFileURL.path + "/"
    var otherTrees: [String: SyntaxTree] = [:]
    var links: [DocumentLinkTarget] = []
    for node in references {
      guard case .scalar(.string(let reference)) = node.kind else { continue }
      let (location, fragment) = splitReference(reference)
      let targetPath: String
      let targetTree: SyntaxTree
      if location.isEmpty {
        targetPath = file.standardizedFileURL.path
        targetTree = tree
      } else {
        guard !location.contains(":"), let decoded = location.removingPercentEncoding else { continue }
        let target = URL(fileURLWithPath: decoded, relativeTo: file.deletingLastPathComponent()).standardizedFileURL
        guard target.path.hasPrefix(projectPath), isRegularFile(target.path) else { continue }
        targetPath = target.path
        if let known = otherTrees[targetPath] {
          targetTree = known
        } else {
          guard let targetBytes = read(targetPath) else { continue }
          targetTree = SliceReader.read(targetBytes, format: SliceFormat(fileExtension: target.pathExtension) ?? .json)
          otherTrees[targetPath] = targetTree
        }
      }
      var targetRange: ByteRange?
      if let fragment, !fragment.isEmpty {
        guard let targetRoot = targetTree.root, let found = resolvePointer(fragment, in: targetRoot) else { continue }
        targetRange = found.range
      }
      links.append(
        DocumentLinkTarget(
          range: unquoted(node.range, in: bytes), path: targetPath, targetRange: targetRange,
          tooltip: "go to \(fragment.map { "#" + $0 } ?? URL(fileURLWithPath: targetPath).lastPathComponent)"))
    }
    return links
  }

  /// In a source slice, its active versions, newest first; in an active version, its source
  /// slice. All on the document's first key (a slice has no value naming these files).
  public static func sliceLinks(in file: EditorFile) -> [DocumentLinkTarget] {
    guard let name = file.sliceName, let store = file.store, let anchor = file.tree.root?.entries?.first?.key.range else {
      return []
    }
    switch file.role {
    case .source:
      return store.folders.active.filter { $0.name == name }.sorted { ($0.fileName.version ?? 0) > ($1.fileName.version ?? 0) }
        .map { entry in
          DocumentLinkTarget(
            range: anchor, path: entry.path, targetRange: nil,
            tooltip: "active v\(entry.fileName.version ?? 0) of \(name)")
        }
    case .active:
      guard let source = store.folders.source(named: name) else { return [] }
      return [DocumentLinkTarget(range: anchor, path: source.path, targetRange: nil, tooltip: "source of \(name)")]
    case .outsideStores:
      return []
    }
  }

  /// The value of every `$ref` keyword, depth first. Iterative: a hostile schema may nest deeply.
  private static func collectReferences(in root: Node, into references: inout [Node]) {
    var pending = [root]
    while let node = pending.popLast() {
      if let entries = node.entries {
        for entry in entries.reversed() {
          if entry.keyString == "$ref", entry.value.scalar != nil {
            references.append(entry.value)
          } else {
            pending.append(entry.value)
          }
        }
      } else if let items = node.items {
        pending += items.reversed()
      }
    }
    references.sort { $0.range.lowerBound < $1.range.lowerBound }
  }

  private static func splitReference(_ reference: String) -> (location: String, fragment: String?) {
    guard let hash = reference.firstIndex(of: "#") else { return (reference, nil) }
    return (String(reference[..<hash]), String(reference[reference.index(after: hash)...]))
  }

  /// The node a JSON pointer fragment (`/$defs/Folder`, percent-encoded, `~0` `~1` escapes)
  /// names, or nil.
  static func resolvePointer(_ fragment: String, in root: Node) -> Node? {
    guard let pointer = fragment.removingPercentEncoding, pointer.hasPrefix("/") else { return nil }
    var node = root
    for token in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
      let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
      if let next = node.lookup(key) {
        node = next
      } else if let items = node.items, let index = Int(key), items.indices.contains(index) {
        node = items[index]
      } else {
        return nil
      }
    }
    return node
  }

  /// The range of a scalar's text: a quoted scalar without its quotes.
  static func unquoted(_ range: ByteRange, in bytes: [UInt8]) -> ByteRange {
    guard range.count >= 2, range.upperBound <= bytes.count else { return range }
    let first = bytes[range.lowerBound]
    guard first == UInt8(ascii: "\"") || first == UInt8(ascii: "'"), bytes[range.upperBound - 1] == first else { return range }
    return (range.lowerBound + 1)..<(range.upperBound - 1)
  }

  private static func isRegularFile(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
  }
}
