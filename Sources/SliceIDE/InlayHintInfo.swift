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
    /// The defaults the update compile adds to a mapping (`+ mtu: 1500, tagged: false`), after
    /// its last entry.
    case updateDefaults
    /// A property the update compile drops (`✕ dropped by update`), at the end of its key's line.
    case updateDropped
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
  /// The defaults the update compile adds, one hint per mapping (source slices only).
  public var updateDefaults: Bool
  /// The properties the update compile drops (source slices only).
  public var updateDrops: Bool

  public init(identities: Identities = .whereNotDeclared, coercions: Bool = true, updateDefaults: Bool = true, updateDrops: Bool = true) {
    self.identities = identities
    self.coercions = coercions
    self.updateDefaults = updateDefaults
    self.updateDrops = updateDrops
  }

  /// A defaults hint names this many properties; the tooltip lists them all.
  static let defaultsInLabel = 3
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
    if options.updateDefaults || options.updateDrops, file.isSource, let review = updateReview(for: file) {
      hints += updateHints(review, file: file, in: range, options: options)
    }
    return hints.sorted { $0.position < $1.position }
  }

  /// The update's defaults and drops as hints in `range`.
  static func updateHints(_ review: UpdateReview.FileReview, file: EditorFile, in range: ByteRange?, options: InlayHintOptions) -> [InlayHintInfo] {
    func inRange(_ position: Int) -> Bool {
      guard let range else { return true }
      return range.contains(position) || range.upperBound == position
    }
    /// The end of the text on the line holding the byte before `offset`.
    func lineEnd(before offset: Int) -> Int {
      let line = file.document.line(containing: max(0, min(offset, file.document.bytes.count) - 1))
      return file.document.lineContentRange(line).upperBound
    }
    var hints: [InlayHintInfo] = []
    if options.updateDefaults {
      for added in review.added {
        let position = lineEnd(before: added.lastEntryEnd)
        guard inRange(position), !added.properties.isEmpty else { continue }
        let shown = added.properties.prefix(InlayHintOptions.defaultsInLabel).map { "\($0.name): \($0.shownValue)" }
        let more = added.properties.count - shown.count
        let place = added.path.isEmpty ? "the slice" : "'\(added.path)'"
        hints.append(
          InlayHintInfo(
            position: position, label: "+ " + shown.joined(separator: ", ") + (more > 0 ? ", … (+\(more))" : ""),
            tooltip: "the update compile adds to \(place):\n"
              + added.properties.map { "\($0.name): \($0.shownValue)" }.joined(separator: "\n"),
            kind: .updateDefaults, paddingLeft: true))
      }
    }
    if options.updateDrops {
      let droppedCodes: Set<String> = [FindingCode.updateDropped.rawValue, FindingCode.updateNearMiss.rawValue]
      for finding in review.findings where droppedCodes.contains(finding.code) {
        let position = lineEnd(before: finding.range.upperBound)
        guard inRange(position) else { continue }
        hints.append(
          InlayHintInfo(position: position, label: "✕ dropped by update", tooltip: finding.message, kind: .updateDropped, paddingLeft: true))
      }
    }
    return hints
  }
}
