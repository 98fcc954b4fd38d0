import Foundation
import SliceSchema
import SliceStore
import SliceSyntax

/// A place another file (or this one) that "go to definition" leads to. The range is in the
/// target file's bytes: the server reads that file to convert it (the analysis holds the text
/// of slice files; schema files it reads from disk).
public struct DefinitionTarget: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    /// A property's key in the schema file's `properties`.
    case schemaDefinition
    /// An active version of the slice (the whole file, or the same object in it).
    case activeVersion
    /// The source slice (the whole file, or the same object in it).
    case sourceSlice
  }

  public var kind: Kind
  /// The target's file path (absolute); for a schema not read from a file, its URI.
  public var path: String
  public var range: ByteRange
  /// For active versions.
  public var version: Int?
  /// A short label (`active v3 of web01`, `Folder.mode in fs.json`).
  public var title: String
}

extension EditorQueries {
  /// Go to definition at `offset`: on a property key, its definition in the schema; elsewhere in
  /// a source slice, the latest active version (the same object, or the same value, when it is
  /// there); in an active version, the source slice and then the other versions, newest first.
  public static func definition(at offset: Int, in file: EditorFile) -> [DefinitionTarget] {
    let place = file.tree.root.flatMap { LocatedPlace.find(offset, in: $0, document: file.document) }
    if let place, place.key != nil, let target = schemaDefinition(place, in: file) { return [target] }
    guard let name = file.sliceName, let store = file.store else { return [] }
    switch file.role {
    case .source:
      guard let latest = Versions.latest(of: store.snapshot.active[name] ?? []), let path = latest.path else { return [] }
      let range = place.flatMap { correspondingRange($0, in: file, target: latest.attributes, targetPath: path) } ?? 0..<0
      return [
        DefinitionTarget(kind: .activeVersion, path: path, range: range, version: latest.version, title: "active v\(latest.version) of \(name)")
      ]
    case .active:
      var targets: [DefinitionTarget] = []
      if let source = store.folders.source(named: name) {
        let attributes = store.snapshot.sources[name]?.attributes
        let range = place.flatMap { place in attributes.flatMap { correspondingRange(place, in: file, target: $0, targetPath: source.path) } } ?? 0..<0
        targets.append(DefinitionTarget(kind: .sourceSlice, path: source.path, range: range, version: nil, title: "source of \(name)"))
      }
      let own = SliceFileName.parse(file.url.lastPathComponent)?.version
      let others = (store.snapshot.active[name] ?? []).filter { $0.version != own }.sorted { $0.version > $1.version }
      for version in others {
        guard let path = version.path else { continue }
        let range = place.flatMap { correspondingRange($0, in: file, target: version.attributes, targetPath: path) } ?? 0..<0
        targets.append(
          DefinitionTarget(kind: .activeVersion, path: path, range: range, version: version.version, title: "active v\(version.version) of \(name)"))
      }
      return targets
    case .outsideStores:
      return []
    }
  }

  /// The schema definition of the property whose key is at `place`.
  static func schemaDefinition(_ place: LocatedPlace, in file: EditorFile) -> DefinitionTarget? {
    guard let schema = file.schema, let root = file.tree.root, case .key(let name)? = place.path.last else { return nil }
    let ownerPath = Array(place.path.dropLast())
    let ownerNode = root.node(at: ownerPath[...])
    for owner in schema.query.schemas(at: ownerPath, in: root) {
      guard let property = schema.query.properties(of: owner, for: ownerNode).first(where: { $0.name == name }) else { continue }
      let model = schema.query.concreteSchemas(owner, for: ownerNode).compactMap { schema.schemas[$0].title }.first
      let fileName = URL(fileURLWithPath: property.definitionPath).lastPathComponent
      return DefinitionTarget(
        kind: .schemaDefinition, path: property.definitionPath, range: property.definitionRange, version: nil,
        title: (model.map { "\($0)." } ?? "") + name + " in " + fileName)
    }
    return nil
  }

  /// Where the object (or value) at `place` of this file is in another state of the slice
  /// (`target`, as read) whose file is at `targetPath`: the nearest enclosing object that the
  /// other state has, and the same value inside it when it is there too.
  static func correspondingRange(_ place: LocatedPlace, in file: EditorFile, target: Value, targetPath: String) -> ByteRange? {
    guard let schema = file.schema, let root = file.tree.root,
      let targetRoot = file.analysedFile(atPath: targetPath)?.tree.root
    else { return nil }
    let elements = ElementLocator(schema: schema).elements(along: place.path, in: root)
    for element in elements.reversed() {
      guard let steps = schema.catalog.locate(element.dictPath, in: target),
        let node = NodeLocator.node(at: steps, in: targetRoot)
      else { continue }
      let remaining = place.path[element.depth...]
      if !remaining.isEmpty, let inner = node.node(at: remaining) {
        return inner.range
      }
      // The whole file for the root; the object's first member for the others.
      if element.dictPath == .root { return 0..<0 }
      return NodeLocator.anchor(of: node)
    }
    return nil
  }
}
