import Foundation
import SliceSchema
import SliceStore
import SliceSyntax

/// An inlay hint, protocol-neutral.
public struct InlayHintInfo: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable {
    /// A list item's identity (`[type=folder][name=etc]`), after its first line.
    case identity
    /// The value the update compile writes instead of this one (`→ 3`), after the value.
    case coercion
  }

  /// Where the hint stands (a byte offset; the hint is shown before the byte there).
  public var position: Int
  public var label: String
  public var tooltip: String?
  public var kind: Kind
  /// Put a space between the text before and the hint.
  public var paddingLeft: Bool
}

public struct InlayHintOptions: Sendable, Hashable {
  public enum Identities: String, Sendable, Hashable {
    /// On every item of a keyed list.
    case always
    /// Where the keys are not written in the schema (inferred, or from slicels.yml), or an
    /// item's class is chosen by a union tag: the identity is then not visible anywhere else.
    case whereNotDeclared
    case never
  }

  public var identities: Identities
  public var coercions: Bool

  public init(identities: Identities = .whereNotDeclared, coercions: Bool = true) {
    self.identities = identities
    self.coercions = coercions
  }
}

extension EditorQueries {
  /// Inlay hints in `range` (the whole file when nil): list item identities and rewritten values.
  public static func inlayHints(for file: EditorFile, in range: ByteRange? = nil, options: InlayHintOptions = InlayHintOptions())
    -> [InlayHintInfo]
  {
    guard let schema = file.schema, let root = file.tree.root else { return [] }
    var hints: [InlayHintInfo] = []
    if options.identities != .never {
      let items = ElementLocator(schema: schema).listItems(in: root, within: range)
      var itemsPerLine: [Int: Int] = [:]
      for item in items { itemsPerLine[file.document.line(containing: item.item.range.lowerBound), default: 0] += 1 }
      for (item, shape, identity, path) in items {
        if options.identities == .whereNotDeclared, shape.keySource == .schemaExtension, shape.unionDiscriminator == nil { continue }
        let line = file.document.line(containing: item.range.lowerBound)
        // Several items on one line (a flow list) would pile their hints up at its end.
        guard itemsPerLine[line] == 1 else { continue }
        let position = file.document.lineContentRange(line).upperBound
        if let range, !range.contains(position), range.upperBound != position { continue }
        let keys = (shape.unionDiscriminator.map { ["\($0) (union tag)"] } ?? []) + shape.keys
        hints.append(
          InlayHintInfo(
            position: position, label: identity.description,
            tooltip: "identity in the merged view: \(path) — \(keys.joined(separator: ", ")) (keys \(shape.keySource.label))",
            kind: .identity, paddingLeft: true))
      }
    }
    if options.coercions, let validation = file.currentValidation() {
      for finding in validation.findings where finding.code == FindingCode.coercedValue.rawValue {
        if let range, !range.contains(finding.range.lowerBound) { continue }
        guard let rewritten = finding.fixes.first?.edits.first?.newText else { continue }
        hints.append(
          InlayHintInfo(position: finding.range.upperBound, label: "→ " + rewritten, tooltip: finding.message, kind: .coercion, paddingLeft: true))
      }
    }
    return hints.sorted { $0.position < $1.position }
  }
}
