import Foundation
import SliceSchema
import SliceSyntax

/// What an update compile does to a source file's data, found by walking the file as written
/// beside the data the update writes: the properties it drops and the values it rewrites, each
/// at its place. The reference does both silently; slicels says so, and holds back a file where
/// a dropped key looks like a typo of a known property.
public enum UpdateReview {
  /// What to do with a file where a dropped key is a near miss of a known property.
  public enum NearMissPolicy: Sendable, Hashable {
    /// Leave the file untouched and report an error (the CLI's default).
    case hold
    /// Drop the key as the reference does, with a warning.
    case drop
  }

  /// One file's review.
  public struct FileReview: Sendable {
    public var findings: [Finding]
    /// The near-miss keys, e.g. `taged` (the dropped ones that block the file under `.hold`).
    public var nearMisses: [String]
    /// Every dropped key, in file order.
    public var dropped: [String]
    /// The properties the update writes into mappings that do not spell them (defaults), by
    /// mapping, in file order.
    public var added: [AddedProperties] = []

    /// No finding (defaults added are no finding: the reference adds them by design).
    public var isEmpty: Bool { findings.isEmpty }
    /// How many values the update rewrites (`update-rewrote` findings).
    public var rewrittenCount: Int { findings.count { $0.code == FindingCode.updateRewrote.rawValue } }
    public var addedCount: Int { added.reduce(0) { $0 + $1.properties.count } }
  }

  /// The properties an update adds to one mapping of the file.
  public struct AddedProperties: Sendable {
    public struct Property: Sendable {
      public var name: String
      public var value: Value
      /// The value as one line of JSON, cut to `shownValueLength` characters.
      public var shownValue: String
    }

    /// The mapping that lacks them.
    public var mapping: ByteRange
    /// Where the mapping's text ends (its last descendant's end, not the comments and blank
    /// lines after it): where the added properties would follow.
    public var lastEntryEnd: Int
    /// The mapping's path in the slice (`interfaces[0]`), empty for the root.
    public var path: String
    public var properties: [Property]
  }

  /// Values shown in a message are cut to this many characters.
  static let shownValueLength = 60
  /// Deeper nesting is compared as a whole (a hostile file must not cost a deep recursion).
  static let maximumDepth = 200

  /// Reviews a source file whose update writes `normalized`. A file that is not a slice (a
  /// deleted one, one that does not load) has nothing to review.
  public static func review(_ tree: SyntaxTree, normalized: Value, policy: NearMissPolicy) -> FileReview {
    guard case .slice(let root) = tree.sliceKind else { return FileReview(findings: [], nearMisses: [], dropped: []) }
    var walk = Walk(policy: policy)
    walk.compare(root, normalized, path: [], depth: 0)
    return FileReview(
      findings: SliceFileAnalyzer.sorted(walk.findings), nearMisses: walk.nearMisses, dropped: walk.dropped,
      added: walk.added)
  }

  private struct Walk {
    let policy: NearMissPolicy
    let managed = SliceValidationOptions()
    var findings: [Finding] = []
    var nearMisses: [String] = []
    var dropped: [String] = []
    var added: [AddedProperties] = []

    mutating func compare(_ node: Node, _ normalized: Value, path: [String], depth: Int) {
      switch (node.kind, normalized) {
      case (.mapping(let entries), .object(let members)) where depth < UpdateReview.maximumDepth:
        compareMapping(node, entries, members, path: path, depth: depth)
      case (.sequence(let items), .array(let values)) where items.count == values.count && depth < UpdateReview.maximumDepth:
        for (index, (item, value)) in zip(items, values).enumerated() {
          compare(item, value, path: appending(path, index: index), depth: depth + 1)
        }
      default:
        guard !StrictJSONEquality.equal(node.value, normalized) else { return }
        let label = path.isEmpty ? "the slice" : "'\(clipped(path.joined()))'"
        findings.append(
          Finding(
            range: node.range, severity: .information, code: .updateRewrote,
            message: "rewrote \(label) \(shown(node.value)) → \(shown(normalized))"))
      }
    }

    mutating func compareMapping(_ node: Node, _ entries: [MappingEntry], _ members: [Value.Member], path: [String], depth: Int) {
      var written: [Value.Key: Value] = [:]
      for member in members { written[member.key] = member.value }
      var lastIndex: [Value.Key: Int] = [:]
      for (index, entry) in entries.enumerated() { lastIndex[Value.Key(entry.key.scalar ?? .null)] = index }
      let present = Set(entries.compactMap(\.keyString))
      var spelled = Set(entries.map { Value.Key($0.key.scalar ?? .null) })
      // Keys a merge key (`<<: *base`) brings in are the file's own, not defaults.
      if node.yaml?.hasMergeKey == true, case .object(let resolved) = node.value { spelled.formUnion(resolved.map(\.key)) }
      let missing = members.filter { !spelled.contains($0.key) }
      if !missing.isEmpty {
        added.append(
          AddedProperties(
            mapping: node.range, lastEntryEnd: contentEnd(node),
            path: path.joined(),
            properties: missing.map { member in
              let name = member.key.string ?? InlineJSON.keyText(member.key.scalar)
              return AddedProperties.Property(name: name, value: member.value, shownValue: shown(member.value))
            }))
      }
      // Known properties the file does not spell: what a dropped key may have meant.
      let candidates = members.compactMap(\.key.string).filter { !present.contains($0) }
      for (index, entry) in entries.enumerated() {
        let key = Value.Key(entry.key.scalar ?? .null)
        let name = entry.keyString ?? InlineJSON.keyText(entry.key.scalar ?? .null)
        if node.yaml?.hasMergeKey == true, name == "<<" { continue }
        let shownName = clipped(appending(path, key: name).joined())
        if lastIndex[key] != index {
          drop(entry, "dropped '\(shownName)': a later '\(clipped(name))' in the same mapping wins", name)
          continue
        }
        if let value = written[key] {
          compare(entry.value, value, path: appending(path, key: name), depth: depth + 1)
          continue
        }
        if managed.managedAttributes.contains(name) || (depth == 0 && managed.rootManagedAttributes.contains(name)) {
          drop(entry, "dropped '\(shownName)': it is managed by the compile", name)
          continue
        }
        guard let suggestion = NameSuggestions.ranked(name, among: candidates).first ?? NameSuggestions.ranked(name, among: members.compactMap(\.key.string)).first else {
          drop(entry, "dropped '\(shownName)': the store's schema has no such property", name)
          continue
        }
        nearMisses.append(name)
        dropped.append(name)
        switch policy {
        case .drop:
          findings.append(
            Finding(
              range: entry.key.range, severity: .warning, code: .updateDropped,
              message: "dropped '\(shownName)' (did you mean '\(suggestion)'?)"))
        case .hold:
          findings.append(
            Finding(
              range: entry.key.range, severity: .error, code: .updateNearMiss,
              message:
                "would drop '\(shownName)' (did you mean '\(suggestion)'?): this file is not updated; rename the key, or run `slicels update --drop-unknown` to drop it",
              fixes: [
                Finding.Fix(
                  title: "Rename to '\(suggestion)'",
                  edits: [TextEdit(range: entry.key.range, newText: TextRendering.string(suggestion, like: entry.key))],
                  isPreferred: true)
              ]))
        }
      }
    }

    /// Where a node's text ends: a block collection's range runs on to the next token (past
    /// trailing comments and blank lines), so its last descendant's end is taken.
    func contentEnd(_ node: Node) -> Int {
      var current = node
      for _ in 0..<UpdateReview.maximumDepth {
        switch (current.style, current.kind) {
        case (.blockMapping, .mapping(let entries)) where !entries.isEmpty:
          if let last = entries.last { current = last.value }
        case (.blockSequence, .sequence(let items)) where !items.isEmpty:
          if let last = items.last { current = last }
        default:
          return current.range.upperBound
        }
      }
      return current.range.upperBound
    }

    mutating func drop(_ entry: MappingEntry, _ message: String, _ name: String) {
      dropped.append(name)
      findings.append(Finding(range: entry.key.range, severity: .warning, code: .updateDropped, message: message))
    }

    func appending(_ path: [String], key: String) -> [String] { path + [path.isEmpty ? key : "." + key] }
    func appending(_ path: [String], index: Int) -> [String] { path + ["[\(index)]"] }

    func shown(_ value: Value) -> String { clipped(InlineJSON.text(value)) }

    /// A megabyte key or value must not make a megabyte message.
    func clipped(_ text: String) -> String {
      guard text.count > UpdateReview.shownValueLength else { return text }
      return String(text.prefix(UpdateReview.shownValueLength)) + "…"
    }
  }
}
