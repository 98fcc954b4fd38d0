import Foundation
import SliceSchema
import SliceSyntax

/// One open file as the editor queries see it: its current text and tree (which may be newer
/// than the project analysis while the user types), where it stands in the project, and the
/// store it belongs to.
///
/// Every query is a pure function of this value: the language server builds one per request
/// from its latest `ProjectAnalysis` and the buffer, and only translates the answer.
public struct EditorFile: Sendable {
  public var url: URL
  public var document: TextDocument
  public var tree: SyntaxTree
  public var role: SliceFileAnalysis.Role
  /// The store of a source or active file, from the latest analysis.
  public var store: StoreAnalysis?
  /// The store's schema (given apart so a file can be queried without a whole analysis).
  public var schema: StoreSchema?
  /// The validation of this text, when the caller has it for the same text (the analysis'
  /// one is reused when the text did not change); queries validate what they need otherwise.
  public var validation: SliceValidation?
  /// Other files of the project as last analysed (active versions, the source file), by
  /// standardized file URL: definitions and hovers point into them.
  public var projectFiles: [URL: SliceFileAnalysis]

  public init(
    url: URL, document: TextDocument, tree: SyntaxTree, role: SliceFileAnalysis.Role, store: StoreAnalysis? = nil,
    schema: StoreSchema? = nil, validation: SliceValidation? = nil, projectFiles: [URL: SliceFileAnalysis] = [:]
  ) {
    self.url = url.standardizedFileURL
    self.document = document
    self.tree = tree
    self.role = role
    self.store = store
    self.schema = schema ?? store?.schema
    self.validation = validation
    self.projectFiles = projectFiles
  }

  /// The file as the analysis read it, or with `bytes` as its current text (an unsaved buffer).
  /// Nil when the analysis does not know the file and no bytes are given.
  public init?(analysis: ProjectAnalysis, url: URL, bytes: [UInt8]? = nil) {
    let key = url.standardizedFileURL
    let analysed = analysis.files[key]
    let role = analysed?.role ?? EditorFile.role(of: key, in: analysis)
    let store: StoreAnalysis?
    switch role {
    case .source(let name), .active(let name): store = analysis.store(named: name)
    case .outsideStores: store = nil
    }
    // A buffer over the size limit is not analysed: its one finding says why.
    if let bytes, bytes.count > analysis.configuration.fileReader.maximumSize { return nil }
    if let bytes, bytes != analysed?.document.bytes {
      let format = SliceFormat(fileExtension: key.pathExtension) ?? .yaml
      self.init(
        url: key, document: TextDocument(bytes: bytes), tree: SliceReader.read(bytes, format: format), role: role,
        store: store, validation: nil, projectFiles: analysis.files)
    } else if let analysed {
      self.init(
        url: key, document: analysed.document, tree: analysed.tree, role: role, store: store,
        validation: analysed.validation, projectFiles: analysis.files)
    } else {
      return nil
    }
  }

  /// The role of a file the analysis has not read yet (created since), from its folder.
  static func role(of url: URL, in analysis: ProjectAnalysis) -> SliceFileAnalysis.Role {
    let folder = url.deletingLastPathComponent().standardizedFileURL.path
    guard let name = SliceFileName.parse(url.lastPathComponent), !SliceFileName.isHidden(url.lastPathComponent) else {
      return .outsideStores
    }
    for store in analysis.stores {
      if store.configuration.sourceFolder.standardizedFileURL.path == folder, name.format != nil { return .source(store: store.name) }
      if store.configuration.activeFolder.standardizedFileURL.path == folder, name.version != nil { return .active(store: store.name) }
    }
    return .outsideStores
  }

  public var format: SliceFormat { tree.format }
  /// The slice name, for files of a store.
  public var sliceName: String? { SliceFileName.parse(url.lastPathComponent)?.name }
  public var isSource: Bool {
    if case .source = role { return true }
    return false
  }
  public var isActive: Bool {
    if case .active = role { return true }
    return false
  }

  /// This file's validation: the given one, or one computed now (nil without a schema or a slice).
  func currentValidation() -> SliceValidation? {
    if let validation { return validation }
    guard let schema, case .slice(let root) = tree.sliceKind else { return nil }
    return schema.validator.validate(root)
  }

  /// A project file as last analysed.
  func analysedFile(atPath path: String) -> SliceFileAnalysis? {
    projectFiles[URL(fileURLWithPath: path).standardizedFileURL]
  }
}

/// How a file is laid out, so that inserted text looks like its neighbours.
struct TextLayout {
  /// The line break the file uses (`\n` unless the file uses `\r\n` or `\r`).
  var lineBreak: String
  /// One level of indentation (two spaces unless the file shows another width or tabs).
  var indentUnit: String
  /// YAML: how far a block sequence under a key is indented relative to the key (PyYAML writes
  /// 0, people often 2).
  var sequenceIndent: Int

  init(document: TextDocument, tree: SyntaxTree?) {
    lineBreak = TextLayout.lineBreak(in: document.bytes)
    indentUnit = TextLayout.indentUnit(in: document)
    sequenceIndent = 2
    if tree?.format == .yaml, let root = tree?.root, let offset = TextLayout.sequenceOffset(in: root, document: document) {
      sequenceIndent = offset
    }
  }

  static func lineBreak(in bytes: [UInt8]) -> String {
    guard let index = bytes.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) else { return "\n" }
    if bytes[index] == 0x0A { return "\n" }
    return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? "\r\n" : "\r"
  }

  /// The smallest positive indentation of a line, as written (tabs kept).
  static func indentUnit(in document: TextDocument) -> String {
    var best: [UInt8]?
    let limit = min(document.lineCount, 400)
    for line in 0..<limit {
      let range = document.lineContentRange(line)
      var end = range.lowerBound
      while end < range.upperBound, document.bytes[end] == 0x20 || document.bytes[end] == 0x09 { end += 1 }
      guard end > range.lowerBound, end < range.upperBound else { continue }
      let prefix = Array(document.bytes[range.lowerBound..<end])
      if prefix.first == 0x09 { return "\t" }
      if best.map({ prefix.count < $0.count }) ?? true { best = prefix }
    }
    guard let best, !best.isEmpty, best.count <= 8 else { return "  " }
    return String(decoding: best, as: UTF8.self)
  }

  /// The first block sequence that is a mapping value: its dash column minus its key column.
  static func sequenceOffset(in root: Node, document: TextDocument) -> Int? {
    var pending = [root]
    var visited = 0
    while let node = pending.popLast(), visited < 2000 {
      visited += 1
      switch node.kind {
      case .mapping(let entries):
        for entry in entries {
          if entry.value.style == .blockSequence {
            let keyColumn = entry.key.range.lowerBound - document.lineStarts[document.line(containing: entry.key.range.lowerBound)]
            let dashLine = document.line(containing: entry.value.range.lowerBound)
            let dashColumn = entry.value.range.lowerBound - document.lineStarts[dashLine]
            if dashLine != document.line(containing: entry.key.range.lowerBound) {
              return max(0, dashColumn - keyColumn)
            }
          }
          pending.append(entry.value)
        }
      case .sequence(let items):
        pending.append(contentsOf: items)
      case .scalar:
        break
      }
    }
    return nil
  }

  /// The whitespace that starts the line holding `offset`.
  static func lineIndentation(of offset: Int, in document: TextDocument) -> String {
    let range = document.lineContentRange(document.line(containing: offset))
    var end = range.lowerBound
    while end < range.upperBound, document.bytes[end] == 0x20 || document.bytes[end] == 0x09 { end += 1 }
    return String(decoding: document.bytes[range.lowerBound..<end], as: UTF8.self)
  }

  /// The column of `offset` on its line as spaces (what a new line aligned with it starts with).
  /// Only whitespace and `- ` indicators stand before YAML keys, so counting characters is exact.
  static func alignment(of offset: Int, in document: TextDocument) -> String {
    let lineStart = document.lineStarts[document.line(containing: offset)]
    var result = ""
    var index = lineStart
    while index < offset {
      let byte = document.bytes[index]
      result += byte == 0x09 ? "\t" : " "
      // A multi-byte character counts once.
      index += byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
    }
    return result
  }
}
