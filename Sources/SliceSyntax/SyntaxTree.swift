/// The format a slice file is read and written in, from its extension.
public enum SliceFormat: String, Sendable, Hashable, CaseIterable {
  case json
  case yaml

  /// The format for a file extension (`json`, `yaml`, `yml`), or nil for anything else.
  public init?(fileExtension: String) {
    switch fileExtension {
    case "json": self = .json
    case "yaml", "yml": self = .yaml
    default: return nil
    }
  }
}

/// What a reader made of a file's bytes: the located tree (when the bytes load at all) and the
/// syntax findings. A tree with error findings is still returned where the reader could recover
/// enough of it to help the editor, but `loads` says whether the reference would load the file.
public struct SyntaxTree: Sendable {
  public var format: SliceFormat
  /// nil for an empty document, or when nothing could be read.
  public var root: Node?
  public var findings: [Finding]
  /// False when the reference's loader would refuse these bytes.
  public var loads: Bool
  /// False when the YAML reader met no scalar whose YAML 1.1 reading may surprise (`no`,
  /// `017`, `1:30`, a date): the analysis then skips its walk of the tree looking for them.
  public var mayHoldYAMLSurprises = true
  /// How deep the document's collections nest (the root collection is 0), when the reader
  /// counted it while reading; nil when unknown. Validation then needs no walk of its own to
  /// decide whether the value is deep enough to need a large stack.
  public var nestingDepth: Int?
  /// True when the reader checked every mapping and none holds a key twice (the JSON reader,
  /// whose duplicate-key screen looks at every object); false when unknown. A lookup of a key
  /// may then stop at the first entry of that name, which is also the last.
  public var keysAreDistinct = false

  public init(format: SliceFormat, root: Node?, findings: [Finding], loads: Bool) {
    self.format = format
    self.root = root
    self.findings = findings
    self.loads = loads
  }
}

extension SyntaxTree {
  /// Whether a mapping of the file gives a key twice: its data may equal what a compile writes,
  /// but its text does not (the compile writes each key once), so it is never "already normalised".
  public var hasDuplicateKeys: Bool {
    findings.contains { $0.code == FindingCode.duplicateKey.rawValue }
  }
}
