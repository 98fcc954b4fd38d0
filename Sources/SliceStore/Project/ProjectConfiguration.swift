import Foundation
import SliceSchema
import SliceSyntax

extension FindingCode {
  /// Configuration errors that would make slicels read or write outside the project: they stop
  /// every compile.
  public static let configurationSafetyCodes: Set<FindingCode> = [.storeNameInvalid, .storeFolderOutsideProject]
}

/// What a store name must be: the name of one folder inside the project (the module joins it to
/// paths unchecked).
public enum StoreNameRule {
  /// Why the name cannot be used, or nil when it can.
  public static func problem(_ name: String) -> String? {
    if name.isEmpty { return "a store name cannot be empty" }
    if name.hasPrefix(".") { return "a store name cannot start with '.' ('..' leaves the folder, '.' names it)" }
    if name.contains("/") || name.contains("\\") { return "a store name cannot contain '/' or '\\'" }
    if name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
      return "a store name cannot contain NUL or control characters"
    }
    if name.utf8.count > 200 { return "a store name is limited to 200 bytes (it becomes a folder name)" }
    return nil
  }
}

/// Whether a folder stays inside the project once symbolic links are followed.
public enum PathContainment {
  /// The path with the symbolic links of its existing leading components resolved; nil when
  /// one of them cannot be resolved (a link to nothing).
  public static func resolved(_ path: String) -> String? {
    var existing = URL(fileURLWithPath: path).standardizedFileURL.path
    var missing: [String] = []
    var info = stat()
    while lstat(existing, &info) != 0 {
      guard existing != "/" else { break }
      missing.insert((existing as NSString).lastPathComponent, at: 0)
      existing = (existing as NSString).deletingLastPathComponent
    }
    guard let real = realpath(existing, nil) else { return nil }
    defer { free(real) }
    var result = String(cString: real)
    for component in missing { result = result.hasSuffix("/") ? result + component : result + "/" + component }
    return result
  }

  /// Whether `folder` resolves to `root` or below it.
  public static func isInside(_ folder: URL, root: URL) -> Bool {
    guard let resolvedFolder = resolved(folder.path), let resolvedRoot = resolved(root.path) else { return false }
    let prefix = resolvedRoot.hasSuffix("/") ? resolvedRoot : resolvedRoot + "/"
    return resolvedFolder == resolvedRoot || resolvedFolder.hasPrefix(prefix)
  }
}

/// A finding about a particular file of the project.
public struct FileFinding: Sendable, Hashable {
  public var file: URL
  public var finding: Finding
  public init(file: URL, finding: Finding) {
    self.file = file
    self.finding = finding
  }
}

/// One slice store of a project, with every path resolved.
public struct StoreConfiguration: Sendable, Hashable {
  public var name: String
  /// Where the user's source slices live (by convention `files/<store>/`).
  public var sourceFolder: URL
  /// Where sync writes activated versions: `git_ops/active/<store>/`.
  public var activeFolder: URL
  /// The exposed JSON schema, when one is configured (`schema_path`, or slicels.yml's `schema`).
  public var schemaFile: URL?
  /// Why there is no usable schema file, when there is none.
  public var schemaProblem: String?
  /// Identity keys per schema definition name, from slicels.yml.
  public var keys: [String: [String]]
  /// Model-only attributes per schema definition name, with their defaults, from slicels.yml:
  /// fields the Python classes hide from the JSON schema (`SkipJsonSchema`, written only by the
  /// model) that the merged view nevertheless carries.
  public var modelOnly: [String: [ModelOnlyAttribute]]

  public init(
    name: String, sourceFolder: URL, activeFolder: URL, schemaFile: URL?, schemaProblem: String? = nil,
    keys: [String: [String]] = [:], modelOnly: [String: [ModelOnlyAttribute]] = [:]
  ) {
    self.name = name
    self.sourceFolder = sourceFolder
    self.activeFolder = activeFolder
    self.schemaFile = schemaFile
    self.schemaProblem = schemaProblem
    self.keys = keys
    self.modelOnly = modelOnly
  }
}

/// An attribute a slice class declares outside its JSON schema (`SkipJsonSchema`, excluded from
/// the files): the merged view carries it with its default unless a file sets it.
public struct ModelOnlyAttribute: Sendable, Hashable {
  public var name: String
  public var defaultValue: Value

  public init(name: String, defaultValue: Value) {
    self.name = name
    self.defaultValue = defaultValue
  }

  public static func == (left: ModelOnlyAttribute, right: ModelOnlyAttribute) -> Bool {
    left.name == right.name && left.defaultValue == right.defaultValue
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// What slicels knows about a project's stores, read from the module's
/// `files/git-ops-config.yml` and from slicels' own optional `slicels.yml` at the project root.
///
/// slicels.yml says what the module's configuration cannot (source folders and identity keys are
/// Python code in the model):
/// ```yaml
/// stores:
///   fs:
///     folder: files/fs              # default: files/<store>/
///     schema: files/schemas/fs.json # default: the store's schema_path in git-ops-config.yml
///     keys: {File: [name], Folder: [name]}
///     model_only: {File: {previous_content: null}}  # model-only attributes and their defaults
/// compile:
///   command: [inmanta, compile]     # what `--engine inmanta` runs
/// ```
/// With neither file, stores are found from `git_ops/active/<store>/` folders.
public struct ProjectConfiguration: Sendable {
  public static let moduleConfigPath = "files/git-ops-config.yml"
  public static let ownConfigPath = "slicels.yml"
  public static let defaultCompileCommand = ["inmanta", "compile"]

  public var root: URL
  public var stores: [StoreConfiguration]
  public var compileCommand: [String]
  /// Problems in the configuration files, each at its place.
  public var findings: [FileFinding]
  /// Reads the project's files, with the size limit in force (the option, else slicels.yml's
  /// `limits.max_file_size`, else `FileReader.defaultMaximumSize`).
  public var fileReader: FileReader

  /// The top-level settings of slicels.yml, and those of one store in it.
  public static let ownConfigKeys = ["stores", "compile", "limits"]
  public static let ownStoreKeys = ["folder", "schema", "keys", "model_only"]
  /// What the module reads of git-ops-config.yml: it ignores anything else, so slicels warns.
  public static let moduleConfigKeys = ["stores"]
  public static let moduleStoreKeys = ["store_name", "schema_path"]

  public var moduleConfigFile: URL { root.appendingPathComponent(Self.moduleConfigPath) }
  public var ownConfigFile: URL { root.appendingPathComponent(Self.ownConfigPath) }
  public var activeRoot: URL { root.appendingPathComponent("git_ops/active") }

  public func store(named name: String) -> StoreConfiguration? {
    stores.first { $0.name == name }
  }

  /// Reads the configuration of the project at `root`. `contents` overrides what is on disk for
  /// some files (the editor's unsaved buffers).
  /// `maximumFileSize` (a command-line option) overrides slicels.yml's limit; `reader` is the
  /// seam through which every file is read.
  public static func load(
    root: URL, contents: [URL: [UInt8]] = [:], maximumFileSize: Int? = nil, reader: FileReader = FileReader()
  ) -> ProjectConfiguration {
    let initialReader = maximumFileSize.map { reader.limited(to: $0) } ?? reader
    var loader = ConfigurationLoader(
      root: root.standardizedFileURL, contents: contents, reader: initialReader, limitOverridden: maximumFileSize != nil)
    return loader.load()
  }
}

private struct ConfigurationLoader {
  let root: URL
  let contents: [URL: [UInt8]]
  var reader: FileReader
  let limitOverridden: Bool
  var findings: [FileFinding] = []
  private var drafts: [StoreDraft] = []

  init(root: URL, contents: [URL: [UInt8]], reader: FileReader, limitOverridden: Bool) {
    self.root = root
    self.contents = contents
    self.reader = reader
    self.limitOverridden = limitOverridden
  }

  private struct StoreDraft {
    var name: String
    var schemaPath: String?
    var schemaFromOwnConfig = false
    var folder: String?
    /// Where `folder` is written in slicels.yml.
    var folderRange: ByteRange?
    var keys: [String: [String]] = [:]
    var modelOnly: [String: [ModelOnlyAttribute]] = [:]
  }

  mutating func load() -> ProjectConfiguration {
    // slicels.yml first: its limits apply to every other file.
    let ownConfig = root.appendingPathComponent(ProjectConfiguration.ownConfigPath)
    let ownTree = readYAML(ownConfig)
    if let ownTree, let limits = ownTree.lookup("limits") {
      readLimits(limits, file: ownConfig)
    }
    if let ownTree {
      reportUnknownKeys(of: ownTree, known: ProjectConfiguration.ownConfigKeys, what: "setting", file: ownConfig)
    }
    let moduleConfig = root.appendingPathComponent(ProjectConfiguration.moduleConfigPath)
    if let tree = readYAML(moduleConfig) {
      reportUnknownKeys(of: tree, known: ProjectConfiguration.moduleConfigKeys, what: "setting of the git-ops module", file: moduleConfig)
      readModuleStores(tree, file: moduleConfig)
    }
    var compileCommand = ProjectConfiguration.defaultCompileCommand
    if let tree = ownTree {
      if let storesNode = tree.lookup("stores") {
        if let entries = storesNode.entries {
          readOwnStores(entries, file: ownConfig)
        } else {
          report(ownConfig, storesNode.range, .error, .configInvalid, "'stores' must map store names to their settings")
        }
      }
      if let compile = tree.lookup("compile"), let command = readCompileCommand(compile, file: ownConfig) {
        compileCommand = command
      }
    }
    addActivatedStores()
    var stores: [StoreConfiguration] = []
    for draft in drafts {
      if let store = resolve(draft) { stores.append(store) }
    }
    return ProjectConfiguration(
      root: root, stores: stores, compileCommand: compileCommand, findings: findings, fileReader: reader)
  }

  /// The draft of the store `name`, added in the order stores are first named.
  private mutating func draftIndex(_ name: String) -> Int {
    if let index = drafts.firstIndex(where: { $0.name == name }) { return index }
    drafts.append(StoreDraft(name: name))
    return drafts.count - 1
  }

  /// The module's own configuration: its `stores` list (name and schema path).
  private mutating func readModuleStores(_ tree: Node, file moduleConfig: URL) {
    for (storeNode, fields) in list(tree, key: "stores", file: moduleConfig) {
      // The module reads this file with pydantic: store_name is required, unknown keys ignored.
      guard let name = string(fields, "store_name", file: moduleConfig, required: true, in: storeNode) else { continue }
      if let problem = StoreNameRule.problem(name) {
        reportInvalidName(name, problem, file: moduleConfig, range: fields.lookup("store_name")?.range ?? storeNode.range)
        continue
      }
      let index = draftIndex(name)
      reportUnknownKeys(of: fields, known: ProjectConfiguration.moduleStoreKeys, what: "store setting of the git-ops module", file: moduleConfig)
      if let schemaNode = fields.lookup("schema_path"), schemaNode.scalar != .null {
        if case .scalar(.string(let path)) = schemaNode.kind {
          if !(path.hasPrefix("inmanta://") || path.hasPrefix("file://")) {
            report(moduleConfig, schemaNode.range, .error, .configInvalid,
              "schema_path must be an inmanta:/// or file:/// URI (the module rejects '\(path)')")
          }
          drafts[index].schemaPath = path
        } else {
          report(moduleConfig, schemaNode.range, .error, .configInvalid, "schema_path must be a string")
        }
      }
    }
  }

  /// slicels.yml's `stores`: folder, schema, keys and model-only attributes per store name.
  private mutating func readOwnStores(_ entries: [MappingEntry], file ownConfig: URL) {
    for entry in entries {
      guard let name = entry.keyString else {
        report(ownConfig, entry.key.range, .error, .configInvalid, "a store name must be a string")
        continue
      }
      if let problem = StoreNameRule.problem(name) {
        reportInvalidName(name, problem, file: ownConfig, range: entry.key.range)
        continue
      }
      let index = draftIndex(name)
      let fields = entry.value
      if fields.scalar == .null { continue }
      guard fields.entries != nil else {
        report(ownConfig, fields.range, .error, .configInvalid, "store '\(name)' must be a mapping (folder, schema, keys)")
        continue
      }
      if let folder = string(fields, "folder", file: ownConfig) {
        drafts[index].folder = folder
        drafts[index].folderRange = fields.lookup("folder")?.range
      }
      if let schema = string(fields, "schema", file: ownConfig) {
        drafts[index].schemaPath = schema
        drafts[index].schemaFromOwnConfig = true
      }
      if let keysNode = fields.lookup("keys") {
        drafts[index].keys = keyMap(keysNode, file: ownConfig)
      }
      if let modelOnlyNode = fields.lookup("model_only") {
        drafts[index].modelOnly = modelOnlyMap(modelOnlyNode, file: ownConfig)
      }
      reportUnknownKeys(of: fields, known: ProjectConfiguration.ownStoreKeys, what: "store setting", file: ownConfig)
    }
  }

  /// slicels.yml's `compile.command`, or nil (reported) when it is not a non-empty list of strings.
  private mutating func readCompileCommand(_ compile: Node, file ownConfig: URL) -> [String]? {
    if let command = compile.lookup("command")?.items {
      let words = command.compactMap { node -> String? in
        if case .scalar(.string(let word)) = node.kind { return word }
        return nil
      }
      if words.count == command.count, !words.isEmpty { return words }
      report(ownConfig, compile.range, .error, .configInvalid, "compile.command must be a non-empty list of strings")
    } else {
      report(ownConfig, compile.range, .error, .configInvalid, "compile must have a 'command' list, e.g. [inmanta, compile]")
    }
    return nil
  }

  /// Stores the model activated before, even when no configuration names them.
  private mutating func addActivatedStores() {
    let activeRoot = root.appendingPathComponent("git_ops/active")
    if let names = try? FileManager.default.contentsOfDirectory(atPath: activeRoot.path) {
      for name in names.sorted() where !name.hasPrefix(".") {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: activeRoot.appendingPathComponent(name).path, isDirectory: &isDirectory),
          isDirectory.boolValue
        {
          if let problem = StoreNameRule.problem(name) {
            reportInvalidName(name, problem, file: activeRoot.appendingPathComponent(name), range: 0..<0)
            continue
          }
          _ = draftIndex(name)
        }
      }
    }
  }

  /// `limits: {max_file_size: 64MiB}`; the command-line option wins over it.
  private mutating func readLimits(_ node: Node, file: URL) {
    guard let entries = node.entries else {
      report(file, node.range, .error, .configInvalid, "limits must be a mapping, e.g. {max_file_size: 64MiB}")
      return
    }
    for entry in entries {
      guard entry.keyString == "max_file_size" else {
        report(file, entry.key.range, .warning, .configUnknownKey,
          "unknown limit '\(entry.keyString ?? "?")': expected max_file_size")
        continue
      }
      let text: String?
      switch entry.value.kind {
      case .scalar(.string(let written)): text = written
      case .scalar(.integer(let number)): text = "\(number)"
      default: text = nil
      }
      guard let text, let size = FileSize.parse(text), size > 0 else {
        report(file, entry.value.range, .error, .configInvalid,
          "max_file_size must be a positive size in bytes, e.g. 1048576, 64MiB or 10MB")
        continue
      }
      if !limitOverridden { reader = reader.limited(to: size) }
    }
  }

  private mutating func reportInvalidName(_ name: String, _ problem: String, file: URL, range: ByteRange) {
    let shown = name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }
      .joined()
    report(file, range, .error, .storeNameInvalid,
      "the store name '\(shown)' cannot be used: \(problem). slicels neither reads nor compiles this store, and no compile runs until the name is fixed")
  }

  /// The store with its folders resolved; nil (with an error) when a folder slicels writes to
  /// would be outside the project.
  private mutating func resolve(_ draft: StoreDraft) -> StoreConfiguration? {
    let sourceFolder: URL
    if let folder = draft.folder, case .resolved(let url) = PathURI.resolve(folder, projectRoot: root) {
      sourceFolder = url
    } else {
      sourceFolder = root.appendingPathComponent("files/\(draft.name)")
    }
    var schemaFile: URL?
    var schemaProblem: String?
    if let path = draft.schemaPath {
      switch PathURI.resolve(path, projectRoot: root) {
      case .resolved(let url): schemaFile = url
      case .insideModule(let module, _):
        schemaProblem = "the schema \(path) is inside the installed module '\(module)', which slicels cannot read: set `schema` for this store in slicels.yml"
      case .invalid(let reason): schemaProblem = reason
      }
    } else {
      schemaProblem = "no schema is configured for store '\(draft.name)': set schema_path in files/git-ops-config.yml (an update compile then writes it) or `schema` in slicels.yml"
    }
    let activeFolder = root.appendingPathComponent("git_ops/active/\(draft.name)")
    var outside = false
    for (folder, role) in [(sourceFolder, "source"), (activeFolder, "active")] where !PathContainment.isInside(folder, root: root) {
      outside = true
      let place: String
      switch PathContainment.resolved(folder.path) {
      case folder.path?: place = "is"
      case let other?: place = "resolves to \(other), which is"
      case nil: place = "leads to a symbolic link to nothing, which may be"
      }
      let message =
        "the \(role) folder of store '\(draft.name)' (\(folder.path)) \(place) outside the project: slicels writes "
        + "there, so it neither reads nor compiles this store, and no compile runs until the folder is inside the project"
      if role == "source", let range = draft.folderRange {
        report(root.appendingPathComponent(ProjectConfiguration.ownConfigPath), range, .error,
          .storeFolderOutsideProject, message)
      } else {
        report(folder, 0..<0, .error, .storeFolderOutsideProject, message)
      }
    }
    if outside { return nil }
    return StoreConfiguration(
      name: draft.name, sourceFolder: sourceFolder, activeFolder: activeFolder,
      schemaFile: schemaFile, schemaProblem: schemaProblem, keys: draft.keys, modelOnly: draft.modelOnly)
  }

  private mutating func readYAML(_ file: URL) -> Node? {
    let bytes: [UInt8]
    let read = contents[file.standardizedFileURL].map { FileReadFindings.checked($0, reader: reader) } ?? reader.read(file.path)
    switch read {
    case .success(let read): bytes = read
    case .failure(.notFound): return nil
    case .failure(let failure):
      findings.append(FileFinding(file: file, finding: FileReadFindings.finding(failure, purpose: .configuration)))
      return nil
    }
    let tree = YAMLReader().read(bytes)
    for finding in tree.findings { findings.append(FileFinding(file: file, finding: finding)) }
    guard tree.loads, let root = tree.root else { return nil }
    guard root.entries != nil else {
      if root.scalar != .null {
        report(file, root.range, .error, .configInvalid, "the configuration must be a mapping")
      }
      return nil
    }
    return root
  }

  /// The items of a list-valued key, each with its mapping.
  private mutating func list(_ node: Node, key: String, file: URL) -> [(Node, Node)] {
    guard let value = node.lookup(key), value.scalar != .null else { return [] }
    guard let items = value.items else {
      report(file, value.range, .error, .configInvalid, "'\(key)' must be a list")
      return []
    }
    var result: [(Node, Node)] = []
    for item in items {
      if item.entries != nil {
        result.append((item, item))
      } else {
        report(file, item.range, .error, .configInvalid, "each entry of '\(key)' must be a mapping")
      }
    }
    return result
  }

  private mutating func string(_ node: Node, _ key: String, file: URL, required: Bool = false, in parent: Node? = nil) -> String? {
    guard let value = node.lookup(key) else {
      if required {
        report(file, (parent ?? node).range, .error, .configInvalid, "'\(key)' is required here")
      }
      return nil
    }
    if case .scalar(.string(let text)) = value.kind { return text }
    report(file, value.range, .error, .configInvalid, "'\(key)' must be a string")
    return nil
  }

  private mutating func keyMap(_ node: Node, file: URL) -> [String: [String]] {
    guard let entries = node.entries else {
      report(file, node.range, .error, .configInvalid, "keys must map schema definition names to lists of property names")
      return [:]
    }
    var keys: [String: [String]] = [:]
    for entry in entries {
      guard let definition = entry.keyString, let items = entry.value.items else {
        report(file, entry.value.range, .error, .configInvalid, "keys of a definition must be a list of property names")
        continue
      }
      var names: [String] = []
      for item in items {
        if case .scalar(.string(let name)) = item.kind { names.append(name) } else {
          report(file, item.range, .error, .configInvalid, "a key must be a property name")
        }
      }
      keys[definition] = names
    }
    return keys
  }

  private mutating func modelOnlyMap(_ node: Node, file: URL) -> [String: [ModelOnlyAttribute]] {
    guard let entries = node.entries else {
      report(file, node.range, .error, .configInvalid,
        "model_only must map schema definition names to their model-only attributes and defaults, e.g. {File: {previous_content: null}}")
      return [:]
    }
    var result: [String: [ModelOnlyAttribute]] = [:]
    for entry in entries {
      guard let definition = entry.keyString, let attributes = entry.value.entries else {
        report(file, entry.value.range, .error, .configInvalid,
          "the model-only attributes of a definition must map attribute names to their defaults")
        continue
      }
      result[definition] = attributes.compactMap { attribute in
        guard let name = attribute.keyString else {
          report(file, attribute.key.range, .error, .configInvalid, "an attribute name must be a string")
          return nil
        }
        return ModelOnlyAttribute(name: name, defaultValue: attribute.value.value)
      }
    }
    return result
  }

  /// Warns at each key of `mapping` slicels does not read: a typo (`stors:`) must not silently
  /// leave a setting at its default.
  private mutating func reportUnknownKeys(of mapping: Node, known: [String], what: String, file: URL) {
    for entry in mapping.entries ?? [] where !known.contains(entry.keyString ?? "") {
      let name = entry.keyString ?? entry.key.scalar.map(PythonText.str) ?? "?"
      // A key can be any length: the message quotes its start.
      var message = "unknown \(what) '\(name.count > 80 ? String(name.prefix(80)) + "…" : name)'"
      if let suggestion = NameSuggestions.ranked(name, among: known).first {
        message += " (did you mean '\(suggestion)'?)"
      }
      message += ": expected " + Self.listed(known)
      report(file, entry.key.range, .warning, .configUnknownKey, message)
    }
  }

  private static func listed(_ names: [String]) -> String {
    guard let last = names.last else { return "nothing" }
    return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " or " + last
  }

  private mutating func report(_ file: URL, _ range: ByteRange, _ severity: Finding.Severity, _ code: FindingCode, _ message: String) {
    findings.append(FileFinding(file: file, finding: Finding(range: range, severity: severity, code: code, message: message)))
  }
}
