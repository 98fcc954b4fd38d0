import Foundation
import Locking
import SliceSchema
import SliceSyntax

/// What one slice file, and one slice, give when analysed: the pure functions that both the
/// batch `ProjectAnalysis` (the CLI) and the incremental analysis (the language server) run, so
/// that the two can only differ in what they remember, never in what they find.
public enum SliceFileAnalyzer {
  /// A slice file read and checked, and the slice as the reference reads it.
  public struct Read: Sendable {
    public var file: SliceFileAnalysis
    /// The slice as the reference reads it; nil when the reference would fail on the file.
    /// Built on first use for a valid slice (see `DeferredReadForm`): the diagnostics of a
    /// file need only `hasAttributes`.
    public var attributes: Value? {
      get { readForm.value }
      set { readForm = DeferredReadForm(newValue) }
    }
    /// What a merge without an older version of the slice reads (see
    /// `StoreSchema.mergeFormWithoutOlderVersion`): `attributes`, or cheaper data the merge
    /// reads identically.
    public var mergeFormWithoutOlderVersion: Value? { readForm.mergeFormWithoutOlderVersion ?? attributes }
    /// The cheaper data of `mergeFormWithoutOlderVersion` alone: nil where the read form is
    /// what a merge must read (see `StoreSchema.mergeFormWithoutOlderVersion`).
    var mergeFormInsteadOfReadForm: Value? { readForm.mergeFormWithoutOlderVersion }
    /// Whether `attributes` is non-nil, known without building the read form.
    public var hasAttributes: Bool { readForm.hasValue }
    /// Whether the read form was built (tests check that diagnostics do without it).
    var readFormIsBuilt: Bool { readForm.isBuilt }
    private var readForm: DeferredReadForm

    public init(file: SliceFileAnalysis, attributes: Value?) {
      self.file = file
      self.readForm = DeferredReadForm(attributes)
    }

    init(file: SliceFileAnalysis, readForm: DeferredReadForm) {
      self.file = file
      self.readForm = readForm
    }
  }

  /// The read form of a valid slice, built at most once, when first asked for: a plan, the
  /// comparison with an active version or an editor query needs it, the file's findings do
  /// not (a new slice's diagnostics go out without it). Shared by the copies of a `Read`
  /// (the language server's read cache hands one read to several analyses, on any thread).
  final class DeferredReadForm: Sendable {
    private enum State {
      case built(Value?)
      case pending(normalized: Value, source: Node, sourceBytes: [UInt8]?, schema: StoreSchema)
    }

    private let state: Locked<State>
    let hasValue: Bool

    init(_ value: Value?) {
      state = Locked(.built(value))
      hasValue = value != nil
    }

    init(normalized: Value, source: Node, sourceBytes: [UInt8]? = nil, schema: StoreSchema) {
      state = Locked(.pending(normalized: normalized, source: source, sourceBytes: sourceBytes, schema: schema))
      hasValue = true
    }

    /// Nil when built already or not applicable (see `StoreSchema.mergeFormWithoutOlderVersion`).
    var mergeFormWithoutOlderVersion: Value? {
      state.withLock { state in
        guard case .pending(let normalized, _, let sourceBytes?, let schema) = state else { return nil }
        return schema.mergeFormWithoutOlderVersion(normalized: normalized, sourceBytes: sourceBytes)
      }
    }

    var isBuilt: Bool {
      state.withLock { state in
        if case .built = state { return true }
        return false
      }
    }

    var value: Value? {
      state.withLock { state in
        switch state {
        case .built(let value):
          return value
        case .pending(let normalized, let source, let sourceBytes, let schema):
          let value = schema.readForm(of: normalized, source: source, sourceBytes: sourceBytes)
          state = .built(value)
          return value
        }
      }
    }
  }

  /// Reads a slice file's bytes: syntax, slice shape, schema validation (with the fixes of
  /// missing properties and YAML's surprises in source files). `checkUnknown` is true for source
  /// slices; active files are written by sync, so only what makes a compile fail is reported.
  /// `keepsDocumentWithoutFindings`: false when the caller drops the document of a file without
  /// findings anyway (`droppingContents`): its line index is then never built.
  public static func read(
    _ url: URL, bytes: [UInt8], role: SliceFileAnalysis.Role, format: SliceFormat?, schema: StoreSchema?,
    checkUnknown: Bool, keepsDocumentWithoutFindings: Bool = true
  ) -> Read {
    // The line index is a scan of the whole file and an array of its lines: built when needed.
    var builtDocument: TextDocument?
    func document() -> TextDocument {
      if let builtDocument { return builtDocument }
      let document = TextDocument(bytes: bytes)
      builtDocument = document
      return document
    }
    let syntaxFormat: SliceFormat = format == .json ? .json : .yaml
    let tree = SliceReader.read(bytes, format: syntaxFormat)
    var fileFindings = tree.findings
    var validation: SliceValidation?
    var attributes: Value?
    var deferredReadForm: DeferredReadForm?
    if tree.loads {
      switch tree.sliceKind {
      case .deleted:
        attributes = Value.deletedSlice
      case .invalid(let finding):
        fileFindings.append(finding)
      case .slice(let root):
        // Source slices only: an active file holding one was activated before this check existed.
        var placeholders = checkUnknown ? PlaceholderFindings.findings(in: root, source: bytes) : []
        if let schema {
          let result = schema.validator.validate(root, nestingDepth: tree.nestingDepth, keysAreDistinct: tree.keysAreDistinct)
          validation = result
          var schemaFindings = result.findings
          if !checkUnknown {
            // Active files are written by sync: only what would make a compile fail matters.
            schemaFindings = schemaFindings.filter { $0.severity == .error }
          }
          if checkUnknown, !result.missing.isEmpty {
            // "Add missing required properties" rides on the `schema-required` findings.
            schemaFindings = MissingPropertiesFixes.attaching(
              MissingPropertiesFixes.fixes(document: document(), tree: tree, validation: result), to: schemaFindings)
          }
          if checkUnknown {
            schemaFindings = UnknownPropertyFixes.attaching(to: schemaFindings, document: document(), root: root)
          }
          if !placeholders.isEmpty {
            // The validator's own placeholder findings: its warnings become these errors; where
            // the placeholder is not even of the property's type, its error stays the one.
            let rejected = schemaFindings.filter { $0.code == FindingCode.placeholder.rawValue && $0.severity == .error }.map(\.range)
            schemaFindings.removeAll { $0.code == FindingCode.placeholder.rawValue && $0.severity != .error }
            placeholders.removeAll { finding in rejected.contains { $0.overlaps(finding.range) } }
          }
          fileFindings += schemaFindings
          if checkUnknown, tree.format == .yaml, tree.mayHoldYAMLSurprises {
            let errorRanges = Set(result.findings.filter { $0.severity == .error }.map(\.range))
            let unknownCodes = [FindingCode.unknownProperty.rawValue, FindingCode.schemaAdditionalProperty.rawValue]
            let unknownKeyRanges = Set(result.findings.filter { unknownCodes.contains($0.code) }.map(\.range))
            fileFindings += YAMLSurpriseFindings.findings(
              in: root, source: bytes, errorRanges: errorRanges, query: schema.query, unknownKeyRanges: unknownKeyRanges)
          }
          if let normalized = result.normalized, result.isValid {
            deferredReadForm = DeferredReadForm(normalized: normalized, source: root, sourceBytes: bytes, schema: schema)
          }
          if checkUnknown, schema.isUsable {
            // The identities of the items are known from the text even when some value is
            // rejected: a duplicate must not hide behind an unrelated schema error.
            if let normalized = result.normalized, result.isValid, let deferredReadForm {
              // Screened on the normalised data when the read form reads the same identities;
              // the read form is built only when the screen may have met a collision.
              if !schema.readFormKeepsIdentities || CollisionScreen(catalog: schema.catalog).mayHoldCollisions(in: normalized) {
                fileFindings += identityCollisionFindings(deferredReadForm.value ?? root.value, root: root, schema: schema)
              }
            } else {
              fileFindings += identityCollisionFindings(root.value, root: root, schema: schema)
            }
          }
        } else {
          attributes = root.value
        }
        fileFindings += placeholders
      }
    }
    let keptDocument = fileFindings.isEmpty && !keepsDocumentWithoutFindings ? TextDocument(bytes: []) : document()
    var file = SliceFileAnalysis(file: url, role: role, document: keptDocument, tree: tree, validation: validation, findings: fileFindings)
    file.readErrors = readErrors(file)
    return Read(file: file, readForm: deferredReadForm ?? DeferredReadForm(attributes))
  }

  /// The error findings of a file the reference cannot read: syntax errors, a top level that is
  /// not a mapping, and (unless only the raw document is read) schema errors.
  static func readErrors(_ file: SliceFileAnalysis) -> SliceFileAnalysis.ReadErrors {
    let errors = file.findings.filter { $0.severity == .error }
    if file.readFailure != nil { return .init(validated: errors, raw: errors) }
    switch file.tree.sliceKind {
    case .invalid(let finding):
      let reasons = errors.isEmpty ? [finding] : errors
      return .init(validated: reasons, raw: reasons)
    case .deleted:
      return .init()
    case .slice:
      guard let validation = file.validation, !validation.isValid else { return .init() }
      let schemaErrors = validation.findings.filter { $0.severity == .error }
      let validated =
        schemaErrors.isEmpty
        ? [Finding(range: 0..<0, severity: .error, code: .invalidSlice, message: "the slice does not validate against the store's schema")]
        : schemaErrors
      return .init(validated: validated, raw: [])
    }
  }

  /// A file that could not be read: one error, an empty document, no slice (never a deletion).
  public static func unread(_ url: URL, failure: FileReadFailure, role: SliceFileAnalysis.Role) -> Read {
    var file = SliceFileAnalysis(
      file: url, role: role, document: TextDocument(bytes: []), tree: SliceReader.read([], format: .json), validation: nil,
      findings: [FileReadFindings.finding(failure)], readFailure: failure)
    file.readErrors = readErrors(file)
    return Read(file: file, attributes: nil)
  }

  /// The warning on an open active file whose buffer differs from the disk.
  public static func activeFileEdited(store: StoreConfiguration, projectRoot: URL) -> Finding {
    Finding(
      range: 0..<0, severity: .warning, code: .activeFileEdited,
      message: "files of the active store are written by sync and read by export: this edit will be overwritten; edit the source slice in \(FindingReport.displayPath(store.sourceFolder, relativeTo: projectRoot))/ instead")
  }

  /// The note on a YAML/JSON file of the project in no store's source folder.
  public static func outsideStore(configuration: ProjectConfiguration) -> Finding {
    let folders = configuration.stores.map { FindingReport.displayPath($0.sourceFolder, relativeTo: configuration.root) + "/" }
    let message =
      folders.isEmpty
      ? "this file is in no slice store: the project configures no store"
      : "this file is in no slice store's source folder (\(folders.joined(separator: ", "))): the compile does not read it"
    return Finding(range: 0..<0, severity: .information, code: .outsideStore, message: message)
  }

  /// Whether a file outside the stores is analysed as a slice: a YAML/JSON file that is neither
  /// a configuration file nor a store's schema.
  public static func isAnalysedOutsideStores(_ url: URL, configuration: ProjectConfiguration) -> Bool {
    guard SliceFormat(fileExtension: url.pathExtension) != nil else { return false }
    let configFiles = [configuration.moduleConfigFile, configuration.ownConfigFile, configuration.root.appendingPathComponent("project.yml")]
      .map(\.standardizedFileURL)
    let schemaFiles = configuration.stores.compactMap { $0.schemaFile?.standardizedFileURL }
    return !configFiles.contains(url) && !schemaFiles.contains(url)
  }

  /// Lists the store's folders like `StoreFolders.scan`, counting the editor's unsaved new files
  /// (`unsaved`, standardized file URLs) as present: a new buffer in the source folder is a
  /// source slice (and may clash). `include` narrows the listing to some file names (one
  /// slice's files, for an open file's first diagnostics before the whole folder is listed).
  /// A whole listing also tells whether a sync would delete every live slice of the store
  /// (`store-sources-missing`), reading the latest active files only when no source is listed.
  public static func scanFolders(
    _ store: StoreConfiguration, unsaved: some Collection<URL>, including include: ((String) -> Bool)? = nil,
    prefixes: [String] = [], reader: FileReader = FileReader()
  ) -> StoreFolders {
    func included(_ name: String) -> Bool { include?(name) ?? true }
    func listing(_ folder: URL) -> FolderListing {
      let listing = StoreFolders.list(folder: folder.path, including: included, prefixes: prefixes)
      let inFolder = unsaved.filter {
        $0.deletingLastPathComponent().path == folder.standardizedFileURL.path && included($0.lastPathComponent)
      }
      guard !inFolder.isEmpty else { return listing }
      var entries: [FolderEntry]
      switch listing {
      case .unusable: return listing
      case .missing: entries = []
      case .entries(let found): entries = found
      }
      for url in inFolder where !entries.contains(where: { $0.name == url.lastPathComponent }) {
        entries.append(FolderEntry(name: url.lastPathComponent, kind: .file))
      }
      return .entries(entries)
    }
    var folders = StoreFolders.classify(
      sourceFolder: store.sourceFolder.path, sourceListing: listing(store.sourceFolder),
      activeFolder: store.activeFolder.path, activeListing: listing(store.activeFolder))
    // An unsaved buffer in a missing folder does not create the folder.
    folders.sourceFolderExists = FileManager.default.fileExists(atPath: store.sourceFolder.path)
    folders.activeFolderExists = FileManager.default.fileExists(atPath: store.activeFolder.path)
    if include == nil { folders.addEmptiedStoreIssue(storeName: store.name, reader: reader) }
    return folders
  }

  /// Sorts one file's findings the way every surface shows them: by place, errors first.
  public static func sorted(_ findings: [Finding]) -> [Finding] {
    findings.enumerated().sorted { lhs, rhs in
      let (left, right) = (lhs.element, rhs.element)
      if left.range.lowerBound != right.range.lowerBound { return left.range.lowerBound < right.range.lowerBound }
      if left.severity != right.severity { return left.severity < right.severity }
      return lhs.offset < rhs.offset
    }.map(\.element)
  }

  /// Sorts one file's findings for an editor: errors first, then by place (the engine's order
  /// among equals). Editors that show one diagnostic per line (Neovim's virtual text) show the
  /// first one published there, which must be the error, not a note beside it.
  public static func sortedBySeverity(_ findings: [Finding]) -> [Finding] {
    findings.enumerated().sorted { lhs, rhs in
      let (left, right) = (lhs.element, rhs.element)
      if left.severity != right.severity { return left.severity < right.severity }
      if left.range.lowerBound != right.range.lowerBound { return left.range.lowerBound < right.range.lowerBound }
      return lhs.offset < rhs.offset
    }.map(\.element)
  }

  // MARK: Store-level findings in a source file

  /// Items of a source slice that share an identity: the compile keeps only the last one.
  public static func identityCollisionFindings(_ attributes: Value, root: Node, schema: StoreSchema) -> [Finding] {
    var result: [Finding] = []
    for collision in schema.catalog.identityCollisions(in: attributes) {
      guard let kept = collision.items.last, let keptNode = root.node(at: kept) else { continue }
      for steps in collision.items.dropLast() {
        guard let node = root.node(at: steps) else { continue }
        result.append(
          Finding(
            range: NodeLocator.anchor(of: node), severity: .warning, code: .identityCollision,
            message: "another item has the same identity (\(collision.path)): the compile keeps only the last one's content and drops this one",
            related: [Finding.Related(path: nil, range: NodeLocator.anchor(of: keptNode), message: "the item that is kept")]))
      }
    }
    return result
  }

  /// The hint of a slice without active versions, the whole of its compile hints: the next
  /// sync writes its first version (`Versions.decide` without history), whatever its content.
  public static func newSliceHint(version: Int, root: Node) -> Finding {
    Finding(range: hintAnchor(root), severity: .hint, code: .nextVersion, message: "the next sync activates this new slice as v\(version)")
  }

  /// Where a slice's hints stand: its first key, else the start of the document.
  private static func hintAnchor(_ root: Node) -> ByteRange {
    root.entries?.first.map { $0.key.range } ?? (root.range.lowerBound..<root.range.lowerBound)
  }

  /// The hints about what the next compile does with a source slice (new version, purged
  /// elements), anchored in its tree; related places point into the active versions.
  public static func compileHints(
    _ plan: SlicePlan, source: Value, root: Node, schema: StoreSchema, history: [ActiveVersion],
    activeTrees: NameMap<(tree: SyntaxTree, version: Int)>
  ) -> [Finding] {
    compileHints(
      decision: plan.decision, purged: plan.elements(.purged), source: source, root: root, schema: schema, history: history,
      activeTrees: activeTrees)
  }

  /// The same from the parts of the plan the hints use: a slice without active versions purges
  /// nothing, so its hints need only the version decision, not the merge (costly on a large slice).
  public static func compileHints(
    decision: VersionDecision, purged: [SlicePlan.Element], source: Value, root: Node, schema: StoreSchema,
    history: [ActiveVersion], activeTrees: NameMap<(tree: SyntaxTree, version: Int)>
  ) -> [Finding] {
    var result: [Finding] = []
    let top = hintAnchor(root)
    switch decision.change {
    case .new:
      result.append(newSliceHint(version: decision.version, root: root))
    case .modified:
      result.append(
        Finding(
          range: top, severity: .hint, code: .nextVersion,
          message: "the next sync activates v\(decision.version) (changed since active v\(decision.latestActiveVersion))"))
    case .deleted:
      result.append(
        Finding(
          range: top, severity: .hint, code: .nextVersion,
          message: "the next sync activates v\(decision.version) as a deleted slice: the model then purges everything it deployed for it"))
    case .unchanged, .stillDeleted:
      break
    }
    let purgedPaths = Set(purged.map(\.path))
    let latestFirst = history.sorted { $0.version > $1.version }
    for element in purged {
      // Report the topmost purged object: its children go with it.
      var parent = element.path
      if parent.segments.popLast() != nil, purgedPaths.contains(parent) { continue }
      let nested = purged.filter { $0.path != element.path && $0.path.segments.starts(with: element.path.segments) }.count
      var anchor = top
      if let steps = schema.catalog.locate(parent, in: source), let parentNode = root.node(at: steps) {
        let relation: String?
        switch element.path.segments.last {
        case .relation(let name)?: relation = name
        case .item(let name, _)?: relation = name
        case nil: relation = nil
        }
        if let relation, let entry = parentNode.entry(relation) {
          anchor = entry.key.range
        } else {
          anchor = NodeLocator.anchor(of: parentNode)
        }
      }
      var related: [Finding.Related] = []
      for version in latestFirst {
        guard let path = version.path, let steps = schema.catalog.locate(element.path, in: version.attributes),
          let tree = activeTrees[path]?.tree.root, let node = tree.node(at: steps)
        else { continue }
        related.append(Finding.Related(path: path, range: NodeLocator.anchor(of: node), message: "as it is in active v\(version.version)"))
        break
      }
      let what = nested > 0 ? " and \(nested) object\(nested == 1 ? "" : "s") below it" : ""
      result.append(
        Finding(
          range: anchor, severity: .hint, code: .purgedElement,
          message: "\(element.path) (\(element.shape))\(what) was removed: the next export purges what the model deployed for it",
          related: related))
    }
    return result
  }
}

