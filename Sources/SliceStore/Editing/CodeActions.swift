import Foundation
import SliceSchema
import SliceSyntax

/// "Add missing required properties" for one object: the edit that inserts the scaffolded
/// members where they belong, in the file's layout.
public struct MissingPropertiesFix: Sendable, Hashable {
  /// The object's instance path, readable (`ports[0]`, `(root)`).
  public var path: String
  public var objectRange: ByteRange
  /// The range of the `schema-required` findings this fix resolves (the validator anchors them
  /// on the key of the property holding the object, or on the object's first character).
  public var diagnosticRange: ByteRange
  public var names: [String]
  public var fix: Finding.Fix
}

/// What the server opens as a virtual document for "Preview purged elements".
public struct MergedViewPreview: Sendable, Hashable {
  public enum Status: Sendable, Hashable {
    /// The merged view of the slice (`text` is the model's input for it).
    case emitted
    /// A deleted slice that never had an undeleted version: the model does not see it.
    case notEmitted
    /// The reference's compile fails on the slice (merge error, or its files do not validate).
    case failed(String)
    /// Not enough to compute it (no usable schema, no such slice).
    case unavailable(String)
  }

  public var store: String
  public var slice: String
  /// The version the model receives.
  public var version: Int?
  public var status: Status
  /// A title for the document (`web01 v4 — merged view after the next sync`).
  public var title: String
  /// Pretty JSON (2 spaces, non-ASCII kept): `{"name", "store_name", "version", "attributes",
  /// "deleted"}` as `git_ops::unroll_slices` gives it to the model, every object with its
  /// `operation` and `path`; for the other statuses an object with a `note`.
  public var text: String
  /// How many objects the view creates, updates and purges.
  public var created: Int
  public var updated: Int
  public var purged: Int
}

extension EditorQueries {
  /// One fix per object that misses required properties (`SliceValidation.missing`).
  public static func missingPropertiesFixes(document: TextDocument, tree: SyntaxTree, validation: SliceValidation)
    -> [MissingPropertiesFix]
  {
    guard let root = tree.root else { return [] }
    let layout = TextLayout(document: document, tree: tree)
    return validation.missing.sorted { $0.objectRange.lowerBound < $1.objectRange.lowerBound }.compactMap { missing in
      guard let (node, keyRange) = locate(missing.path, in: root), !missing.scaffold.isEmpty,
        let edit = insertion(of: missing.scaffold, into: node, document: document, layout: layout, format: tree.format)
      else { return nil }
      let diagnosticRange = keyRange ?? node.range.lowerBound..<min(node.range.lowerBound + 1, node.range.upperBound)
      let names = missing.scaffold.compactMap { $0.key.string }
      let title =
        names.count == 1
        ? "Add missing property '\(names[0])'"
        : "Add missing properties: " + names.joined(separator: ", ")
      return MissingPropertiesFix(
        path: missing.path.readable, objectRange: node.range, diagnosticRange: diagnosticRange, names: names,
        fix: Finding.Fix(title: title, edits: [edit], isPreferred: true))
    }
  }

  /// The findings with each `schema-required` one given the fix for its object (several objects
  /// may share a diagnostic range, e.g. items of one list: they are paired in document order).
  public static func attachingMissingPropertiesFixes(_ fixes: [MissingPropertiesFix], to findings: [Finding]) -> [Finding] {
    var pending: [ByteRange: [MissingPropertiesFix]] = [:]
    for fix in fixes { pending[fix.diagnosticRange, default: []].append(fix) }
    var used: [String: Int] = [:]
    return findings.map { finding in
      guard finding.code == "schema-required", let candidates = pending[finding.range] else { return finding }
      // The message names the property: pair the n-th finding for a name with the n-th object missing it.
      let matching = candidates.filter { fix in fix.names.contains { finding.message.contains("'\($0)'") } }
      let name = matching.first?.names.first { finding.message.contains("'\($0)'") } ?? ""
      let key = "\(finding.range.lowerBound):\(name)"
      let index = used[key, default: 0]
      used[key] = index + 1
      guard index < matching.count else { return finding }
      var result = finding
      if !result.fixes.contains(matching[index].fix) { result.fixes.append(matching[index].fix) }
      return result
    }
  }

  /// The node at an instance path and the range of its key when it is a property's value (the
  /// validator anchors "missing" there; a list item or the root on its first character).
  static func locate(_ path: [InstancePathComponent], in root: Node) -> (Node, ByteRange?)? {
    var node = root
    var keyRange: ByteRange?
    for component in path {
      switch component {
      case .key(let name):
        guard let entry = node.entry(name) else { return nil }
        keyRange = entry.key.range
        node = entry.value
      case .index(let index):
        guard let items = node.items, items.indices.contains(index) else { return nil }
        keyRange = nil
        node = items[index]
      }
    }
    return (node, keyRange)
  }

  static func insertion(of members: [Value.Member], into node: Node, document: TextDocument, layout: TextLayout, format: SliceFormat)
    -> TextEdit?
  {
    guard let entries = node.entries else { return nil }
    let lineBreak = layout.lineBreak
    switch node.style {
    case .blockMapping:
      guard let first = entries.first, let last = entries.last else { return nil }
      let indent = TextLayout.alignment(of: first.key.range.lowerBound, in: document)
      // After the last entry's line (and its comment, if any).
      let end = max(last.value.range.upperBound, last.key.range.upperBound)
      let position = document.lineContentRange(document.line(containing: max(end - 1, 0))).upperBound
      let lines = ValueText.yamlBlockLines(members, indent: indent)
      return TextEdit(range: position..<position, newText: lineBreak + lines.joined(separator: lineBreak))
    case .flowMapping:
      let close = node.range.upperBound - 1
      let text = members.map { ValueText.yamlFlow(.scalar($0.key.scalar)) + ": " + ValueText.yamlFlow($0.value) }.joined(separator: ", ")
      if entries.isEmpty { return TextEdit(range: close..<close, newText: text) }
      let after = max(entries[entries.count - 1].value.range.upperBound, entries[entries.count - 1].key.range.upperBound)
      return TextEdit(range: after..<after, newText: ", " + text)
    case .json:
      let unit = layout.indentUnit
      guard let last = entries.last, let first = entries.first else {
        let outer = TextLayout.lineIndentation(of: node.range.lowerBound, in: document)
        let body = members.map { member in
          outer + unit + ValueText.jsonKey(member.key.scalar) + ": "
            + ValueText.jsonPretty(member.value, indent: outer + unit, unit: unit, lineBreak: lineBreak)
        }
        return TextEdit(range: node.range, newText: "{" + lineBreak + body.joined(separator: "," + lineBreak) + lineBreak + outer + "}")
      }
      let multiLine = document.line(containing: first.key.range.lowerBound) != document.line(containing: node.range.lowerBound)
      let position = last.value.range.upperBound
      if multiLine {
        let indent = TextLayout.lineIndentation(of: last.key.range.lowerBound, in: document)
        let text = members.map { member in
          "," + lineBreak + indent + ValueText.jsonKey(member.key.scalar) + ": "
            + ValueText.jsonPretty(member.value, indent: indent, unit: unit, lineBreak: lineBreak)
        }.joined()
        return TextEdit(range: position..<position, newText: text)
      }
      let text = members.map { ", " + ValueText.jsonKey($0.key.scalar) + ": " + ValueText.jsonCompact($0.value) }.joined()
      return TextEdit(range: position..<position, newText: text)
    default:
      return nil
    }
  }

  // MARK: Merged view

  /// The merged view of one slice as the model gets it: by default from the sources, i.e. what
  /// the next export after a sync gives the model (purged objects included, `operation: delete`);
  /// with `mode: .export`, what an export gives it now (the active store only).
  public static func mergedViewPreview(store: StoreAnalysis, slice: String, mode: CompileMode = .sync) -> MergedViewPreview {
    let when = mode == .export ? "merged view of the active store" : "merged view after the next sync"
    var preview = MergedViewPreview(
      store: store.name, slice: slice, version: nil, status: .unavailable(""), title: "\(slice) — \(when)", text: "",
      created: 0, updated: 0, purged: 0)
    func note(_ status: MergedViewPreview.Status, _ message: String) -> MergedViewPreview {
      var result = preview
      result.status = status
      result.text =
        ValueText.jsonPretty(
          .object([
            Value.Member("name", .string(slice)), Value.Member("store_name", .string(store.name)),
            Value.Member("note", .string(message)),
          ])) + "\n"
      return result
    }
    guard let schema = store.schema, schema.isUsable else {
      return note(.unavailable("no schema"), "the store has no usable schema: the merged view needs its classes")
    }
    if store.failedSlices.contains(slice) {
      let message = "the files of this slice do not load or validate: the compile fails on it"
      return note(.failed(message), message)
    }
    // The one slice only (`StoreSnapshot.outcomes` would merge every slice of the store).
    let history = store.snapshot.active[slice] ?? []
    let current: CurrentSlice?
    if mode == .export {
      current = Versions.latest(of: history).map(CurrentSlice.init)
    } else {
      current = store.snapshot.decision(for: slice).map(CurrentSlice.init)
    }
    guard let current else {
      return note(.unavailable("no such slice"), "the store has no slice '\(slice)' in this mode")
    }
    preview.version = current.version
    preview.title = "\(slice) v\(current.version) — \(when)"
    let result: StoreSnapshot.Outcome.Result
    do throws(MergeError) {
      if let unrolled = try MergedView.unroll(
        name: slice, storeName: store.name, current: current, history: history, catalog: schema.catalog)
      {
        result = .emitted(unrolled.slice, elements: unrolled.elements)
      } else {
        result = .notEmitted
      }
    } catch {
      result = .failed(error)
    }
    switch result {
    case .emitted(let unrolled, let elements):
      preview.status = .emitted
      preview.text = ValueText.jsonPretty(unrolled.value) + "\n"
      for element in elements {
        switch SlicePlan.Change(element) {
        case .created: preview.created += 1
        case .updated: preview.updated += 1
        case .purged: preview.purged += 1
        case .unchanged: break
        }
      }
      return preview
    case .notEmitted:
      return note(.notEmitted, "deleted before any version was synced: the model does not receive this slice")
    case .failed(let error):
      return note(.failed(error.referenceMessage), "the compile fails: \(error.referenceMessage)")
    }
  }
}
