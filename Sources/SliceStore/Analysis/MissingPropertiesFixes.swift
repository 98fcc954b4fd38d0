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

/// The quick fixes the analysis attaches to `schema-required` findings (they are computed with
/// the validation, so every client of the analysis gets them, not only the editor).
public enum MissingPropertiesFixes {
  /// One fix per object that misses required properties (`SliceValidation.missing`).
  public static func fixes(document: TextDocument, tree: SyntaxTree, validation: SliceValidation)
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
  public static func attaching(_ fixes: [MissingPropertiesFix], to findings: [Finding]) -> [Finding] {
    var pending: [ByteRange: [MissingPropertiesFix]] = [:]
    for fix in fixes { pending[fix.diagnosticRange, default: []].append(fix) }
    var used: [String: Int] = [:]
    return findings.map { finding in
      guard finding.code == FindingCode.schemaRequired.rawValue, let candidates = pending[finding.range] else { return finding }
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
    guard let node = root.node(at: path) else { return nil }
    guard case .key(let name)? = path.last else { return (node, nil) }
    return (node, root.node(at: path.dropLast())?.entry(name)?.key.range)
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
}
