import Foundation
import SliceSyntax

/// Which of a store's two folders a slice file lives in.
public enum SliceFileRole: String, Sendable, Hashable {
  /// `<source folder>/<name>.<ext>`: written by users.
  case source
  /// `<project>/git_ops/active/<store>/<name>@v<N>.json`: written by sync, read-only to users.
  case active
}

/// A slice file the store will read.
public struct SliceFileEntry: Sendable, Hashable {
  public var role: SliceFileRole
  /// The folder the file is in joined with its name (`<folder>/<file name>`).
  public var path: String
  public var fileName: SliceFileName

  public init(role: SliceFileRole, path: String, fileName: SliceFileName) {
    self.role = role
    self.path = path
    self.fileName = fileName
  }

  public var name: String { fileName.name }
  public var format: SliceFormat? { fileName.format }

  // Paths compare by code points: NFC and NFD file names are two files (see `ExactString`).
  public static func == (lhs: SliceFileEntry, rhs: SliceFileEntry) -> Bool {
    lhs.role == rhs.role && lhs.path.isScalarExact(to: rhs.path) && lhs.fileName == rhs.fileName
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(role)
    path.hashScalars(into: &hasher)
    hasher.combine(fileName)
  }
}

/// Something wrong with a file of a store as a whole (its name, a clash with another file):
/// the reference either fails the compile on it or silently picks one of several files.
public struct StoreFileIssue: Sendable, Hashable {
  public var path: String
  public var severity: Finding.Severity
  public var code: FindingCode
  public var message: String
  /// The other files involved (for a clash), as paths.
  public var relatedPaths: [String]

  public init(
    path: String, severity: Finding.Severity, code: FindingCode, message: String, relatedPaths: [String] = []
  ) {
    self.path = path
    self.severity = severity
    self.code = code
    self.message = message
    self.relatedPaths = relatedPaths
  }

  /// The issue as a finding on the whole file (an empty range at its start), with the related
  /// files attached.
  public var finding: Finding {
    Finding(
      range: 0..<0, severity: severity, code: code, message: message,
      related: relatedPaths.map { Finding.Related(path: $0, range: 0..<0, message: "also here") })
  }
}

extension FindingCode {
  /// Issues about a store folder as a whole: every slice of the store is unknown then.
  public static let storeFolderCodes: Set<FindingCode> = [.storeFolderNotAFolder, .storeFolderUnreadable]
}

/// One entry of a folder listing: its name and what it is (after symlinks, like Python's
/// `Path.is_file()`, except that a special file or a link to nothing is told apart).
public struct FolderEntry: Sendable, Hashable {
  public enum Kind: Sendable, Hashable {
    case file
    case folder
    /// Anything but a regular file or a folder (`throughLink`: what a symbolic link points to):
    /// never read.
    case special(FileKind, throughLink: Bool = false)
    /// The entry cannot be looked at, with the system's reason.
    case unreadable(reason: String)
  }

  public var name: String
  public var kind: Kind
  public var isFile: Bool { kind == .file }

  public init(name: String, kind: Kind) {
    self.name = name
    self.kind = kind
  }

  public init(name: String, isFile: Bool) {
    self.init(name: name, kind: isFile ? .file : .folder)
  }
}

/// A store folder as found on disk.
public enum FolderListing: Sendable, Hashable {
  /// Nothing at the path: a store without files yet.
  case missing
  case entries([FolderEntry])
  /// Something is there but cannot be used as a folder: an error at the folder.
  case unusable(code: FindingCode, message: String)

  public var entries: [FolderEntry]? {
    if case .entries(let entries) = self { return entries }
    return nil
  }
}

/// What a store's two folders hold, as the reference would see them.
public struct StoreFolders: Sendable {
  public var sourceFolder: String
  public var activeFolder: String
  public var sourceFolderExists: Bool
  public var activeFolderExists: Bool
  /// One file per source slice, sorted by name. When files clash, the first by file name is
  /// kept here and the clash is an issue.
  public var sources: [SliceFileEntry]
  /// Every readable active file, sorted by name then version (then file name).
  public var active: [SliceFileEntry]
  /// Whether `.migrations.json` is in the active folder.
  public var hasMigrationsFile: Bool
  public var issues: [StoreFileIssue]

  /// The source file of a slice.
  public func source(named name: String) -> SliceFileEntry? {
    sources.first { $0.name.isScalarExact(to: name) }
  }

  /// The file of each slice's latest active version (the first of two with one version), in
  /// name order: what prune reads, and what tells whether a slice is still live.
  public var latestActive: [SliceFileEntry] {
    var latest: [SliceFileEntry] = []
    // `active` is sorted by name, then version.
    for entry in active {
      if let last = latest.last, last.name.isScalarExact(to: entry.name) {
        if (entry.fileName.version ?? 0) > (last.fileName.version ?? -1) { latest[latest.count - 1] = entry }
      } else {
        latest.append(entry)
      }
    }
    return latest
  }

  /// The active files of a slice, by ascending version.
  public func activeVersions(named name: String) -> [SliceFileEntry] {
    active.filter { $0.name.isScalarExact(to: name) }
  }

  /// Lists both folders (non-recursive; sub-folders and hidden files are ignored, like the
  /// reference) and classifies what they hold. A missing folder lists as empty; a path that is
  /// not a folder, or a folder that cannot be listed, is an issue at the folder.
  public static func scan(sourceFolder: String, activeFolder: String) -> StoreFolders {
    classify(
      sourceFolder: sourceFolder, sourceListing: list(folder: sourceFolder),
      activeFolder: activeFolder, activeListing: list(folder: activeFolder))
  }

  /// Classifies two listings (see `classify(sourceFolder:sourceEntries:...)`), reporting the
  /// folders that cannot be used.
  public static func classify(
    sourceFolder: String, sourceListing: FolderListing, activeFolder: String, activeListing: FolderListing
  ) -> StoreFolders {
    var folders = classify(
      sourceFolder: sourceFolder, sourceEntries: sourceListing.entries ?? [],
      activeFolder: activeFolder, activeEntries: activeListing.entries ?? [])
    folders.sourceFolderExists = sourceListing != .missing
    folders.activeFolderExists = activeListing != .missing
    var folderIssues: [StoreFileIssue] = []
    for (folder, listing) in [(sourceFolder, sourceListing), (activeFolder, activeListing)] {
      if case .unusable(let code, let message) = listing {
        folderIssues.append(StoreFileIssue(path: folder, severity: .error, code: code, message: message))
      }
    }
    folders.issues = folderIssues + folders.issues
    return folders
  }

  /// What is at a store folder's path. Entries are looked at (the listing's type, else `stat`), never opened.
  public static func list(folder: String) -> FolderListing {
    list(folder: folder, including: { _ in true })
  }

  /// What is at a store folder's path, keeping only the entries whose names `include` accepts
  /// (the others are not even looked at): one slice's files in a folder of thousands.
  public static func list(folder: String, including include: (String) -> Bool, prefixes: [String] = []) -> FolderListing {
    let kind: FileKind?
    switch FileKind.of(folder) {
    case .success(let found): kind = found
    case .failure(let failure):
      return .unusable(
        code: .storeFolderUnreadable,
        message: "the store folder cannot be looked at (\(failure)): its slices cannot be read, so every compile that reads this folder fails")
    }
    guard let kind else { return .missing }
    guard kind == .directory else {
      return .unusable(
        code: .storeFolderNotAFolder,
        message:
          "the store folder is \(kind.phrase), not a folder: its slices cannot be read (they would all count as "
          + "deleted), so every compile that reads this folder fails; put the folder back")
    }
    let listed: [FileReader.ListedName]
    switch FileReader.entries(inFolder: folder, prefixes: prefixes) {
    case .success(let found): listed = found
    case .failure(let failure):
      return .unusable(
        code: .storeFolderUnreadable,
        message: "the store folder cannot be listed (\(failure)): its slices cannot be read, so every compile that reads this folder fails")
    }
    return .entries(
      listed.filter { include($0.name) }.compactMap { listedName in
        let name = listedName.name
        // The listing's own type spares a `stat` per file (a fifth of a large export's serial
        // start); links and unknown types are looked at.
        let kind = listedName.kindFromListing.map { Result<FileKind?, FileReadFailure>.success($0) } ?? FileKind.of(join(folder, name))
        switch kind {
        case .success(nil): return nil  // Removed since the listing.
        case .success(.regular?): return FolderEntry(name: name, kind: .file)
        case .success(.directory?): return FolderEntry(name: name, kind: .folder)
        case .success(let other?):
          let throughLink = other != .danglingSymlink && FileKind.isSymbolicLink(join(folder, name))
          return FolderEntry(name: name, kind: .special(other, throughLink: throughLink))
        case .failure(let failure): return FolderEntry(name: name, kind: .unreadable(reason: failure.description))
        }
      })
  }

  /// Classifies folder listings without touching the file system.
  public static func classify(
    sourceFolder: String, sourceEntries: [FolderEntry],
    activeFolder: String, activeEntries: [FolderEntry]
  ) -> StoreFolders {
    var issues: [StoreFileIssue] = []
    let sourceFiles = parsedFiles(sourceEntries, folder: sourceFolder, role: .source, issues: &issues)
    let sources = Self.keptSources(sourceFiles, issues: &issues)
    let parsedActive = parsedFiles(activeEntries, folder: activeFolder, role: .active, issues: &issues)
    let active = Self.activeFiles(parsedActive, issues: &issues)
    return StoreFolders(
      sourceFolder: sourceFolder, activeFolder: activeFolder,
      sourceFolderExists: true, activeFolderExists: true,
      sources: sources.sorted { codePointLess($0.name, $1.name) }, active: active,
      hasMigrationsFile: activeEntries.contains { $0.isFile && $0.name == SliceFileName.migrationsFileName },
      issues: issues)
  }

  /// The slice files of a folder listing, in name order; an entry that cannot be one (a broken
  /// link, a special file, a bad name or extension) is an issue instead.
  private static func parsedFiles(
    _ entries: [FolderEntry], folder: String, role: SliceFileRole, issues: inout [StoreFileIssue]
  ) -> [SliceFileEntry] {
    var files: [SliceFileEntry] = []
    files.reserveCapacity(entries.count)
    for entry in entries.sortedByScalars(\.name) where entry.kind != .folder && !SliceFileName.isHidden(entry.name) {
      let path = join(folder, entry.name)
      switch entry.kind {
      case .file, .folder:
        break
      case .special(.danglingSymlink, _):
        issues.append(
          StoreFileIssue(
            path: path, severity: .error, code: .sliceLinkBroken,
            message:
              "'\(entry.name)' is a symbolic link to nothing: the module skips it, which makes its slice a "
              + "deletion. slicels does not compile the store until the link is fixed or removed."))
        continue
      case .special(let kind, let throughLink):
        issues.append(
          StoreFileIssue(
            path: path, severity: .error, code: .sliceFileSpecial,
            message:
              "'\(entry.name)' is \(throughLink ? "a symbolic link to " : "")\(kind.phrase), not a regular file: "
              + "slicels never reads it and compiles "
              + "nothing until it is removed (or its name starts with '.')."))
        continue
      case .unreadable(let reason):
        issues.append(
          StoreFileIssue(
            path: path, severity: .error, code: .fileUnreadable,
            message: "'\(entry.name)': \(reason); slicels compiles nothing until it can be read."))
        continue
      }
      guard let fileName = SliceFileName.parse(entry.name) else {
        issues.append(
          StoreFileIssue(
            path: path, severity: .error, code: .sliceFileName,
            message:
              "'\(entry.name)' is not a slice file name: expected <name>.json, <name>.yaml or "
              + "<name>.yml\(role == .active ? " with @v<N> before the extension" : "") (a name "
              + "without '@'). The module fails the compile on it; rename it or start its name "
              + "with '.' to hide it."))
        continue
      }
      guard fileName.format != nil else {
        issues.append(
          StoreFileIssue(
            path: path, severity: .error, code: .sliceFileExtension,
            message:
              "'\(entry.name)': the extension '.\(fileName.fileExtension)' is not json, yaml or "
              + "yml. The module fails the compile when it reads it; rename it or start its "
              + "name with '.' to hide it."))
        continue
      }
      files.append(SliceFileEntry(role: role, path: path, fileName: fileName))
    }
    return files
  }

  /// Source files: one per slice name (the first listed is kept; a clash is an issue).
  private static func keptSources(_ sourceFiles: [SliceFileEntry], issues: inout [StoreFileIssue]) -> [SliceFileEntry] {
    var sourcesByName: NameMap<[SliceFileEntry]> = [:]
    var sourceOrder: [String] = []
    for file in sourceFiles {
      if let version = file.fileName.version {
        issues.append(
          StoreFileIssue(
            path: file.path, severity: .error, code: .sourceFileVersion,
            message:
              "The source file '\(file.fileName.fileName)' carries a version (@v\(version)): the "
              + "module then activates every change of '\(file.name)' as version \(version), "
              + "overwriting that active version. Rename it to "
              + "'\(SliceFileName.sourceFileName(name: file.name, format: file.format ?? .json))'."))
      }
      if sourcesByName[file.name] == nil { sourceOrder.append(file.name) }
      sourcesByName[file.name, default: []].append(file)
    }
    var keptSources: [SliceFileEntry] = []
    for name in sourceOrder {
      guard let files = sourcesByName[name], let kept = files.first else { continue }
      keptSources.append(kept)
      guard files.count > 1 else { continue }
      issues += clashIssues(files, code: .sliceNameClash) { _, names in
        "\(files.count) source files define the slice '\(name)' (\(names)): the module "
          + "keeps one of them, whichever the file system lists last, and ignores the "
          + "others. Keep a single file per slice."
      }
    }
    return keptSources
  }

  /// Active files: every version of every slice, sorted by name and version; a file without a
  /// version, or two files of one version, is an issue.
  private static func activeFiles(_ parsedActive: [SliceFileEntry], issues: inout [StoreFileIssue]) -> [SliceFileEntry] {
    var activeFiles: [SliceFileEntry] = []
    for file in parsedActive {
      guard let version = file.fileName.version else {
        issues.append(
          StoreFileIssue(
            path: file.path, severity: .error, code: .activeFileVersion,
            message:
              "The active file '\(file.fileName.fileName)' has no version in its name "
              + "(expected '\(SliceFileName.activeFileName(name: file.name, version: 1))'): the "
              + "module fails the compile on it."))
        continue
      }
      if file.format != .json {
        issues.append(
          StoreFileIssue(
            path: file.path, severity: .warning, code: .activeFileFormat,
            message:
              "The active file '\(file.fileName.fileName)' is not JSON: the module reads it, but "
              + "a sync writes '\(SliceFileName.activeFileName(name: file.name, version: version))'"
              + " next to it, and then two files hold the same version."))
      }
      activeFiles.append(file)
    }
    // By name, version, file name; the names' bytes taken once (see `sortedByScalars`).
    let unsorted = activeFiles
    let names = unsorted.map { Array($0.name.utf8) }
    activeFiles = unsorted.indices.sorted { left, right in
      if names[left] != names[right] { return names[left].lexicographicallyPrecedes(names[right]) }
      let leftFile = unsorted[left].fileName
      let rightFile = unsorted[right].fileName
      if leftFile.version != rightFile.version { return (leftFile.version ?? 0) < (rightFile.version ?? 0) }
      return codePointLess(leftFile.fileName, rightFile.fileName)
    }.map { unsorted[$0] }
    var index = 0
    while index < activeFiles.count {
      var end = index + 1
      while end < activeFiles.count, activeFiles[end].name.isScalarExact(to: activeFiles[index].name),
        activeFiles[end].fileName.version == activeFiles[index].fileName.version
      {
        end += 1
      }
      if end - index > 1 {
        let clashing = Array(activeFiles[index..<end])
        issues += clashIssues(clashing, code: .activeVersionClash) { file, names in
          "\(clashing.count) active files hold version \(file.fileName.version ?? 0) of "
            + "'\(file.name)' (\(names)): the module uses whichever the file system lists "
            + "first."
        }
      }
      index = end
    }
    return activeFiles
  }

  /// One error per file of a clash (several files claiming one slice or one version), each
  /// pointing at the others; `message` gets the file and the quoted names of all of them.
  private static func clashIssues(
    _ files: [SliceFileEntry], code: FindingCode, message: (SliceFileEntry, String) -> String
  ) -> [StoreFileIssue] {
    let names = files.map { "'\($0.fileName.fileName)'" }.joined(separator: ", ")
    return files.map { file in
      StoreFileIssue(
        path: file.path, severity: .error, code: code, message: message(file, names),
        relatedPaths: files.filter { !$0.path.isScalarExact(to: file.path) }.map(\.path))
    }
  }

  static func join(_ folder: String, _ name: String) -> String {
    folder.hasSuffix("/") ? folder + name : folder + "/" + name
  }
}

/// Python's string order (by code point), which `sorted(..., key=lambda s: s.name)` uses.
/// Swift's `<` on String compares canonically equivalent forms and would differ.
func codePointLess(_ left: String, _ right: String) -> Bool {
  left.precedesByScalars(right)
}

extension SliceFileEntry {
  /// The file's URL as the analysis keys its files (`URL(fileURLWithPath:).standardizedFileURL`).
  public var url: URL { StoreFolders.fileURL(path) }
}

extension StoreFolders {
  /// `URL(fileURLWithPath: path).standardizedFileURL` of a file's path. A listed path is
  /// absolute and clean already, so Foundation's standardising (and its `stat` to tell a folder)
  /// is skipped: done twice for every file of an `export`, they were 2.4 % of its instructions.
  public static func fileURL(_ path: String) -> URL {
    guard isCleanAbsolute(path) else { return URL(fileURLWithPath: path).standardizedFileURL }
    return URL(fileURLWithPath: path, isDirectory: false)
  }

  /// Absolute, with no empty, `.` or `..` component and no trailing slash.
  static func isCleanAbsolute(_ path: String) -> Bool {
    var utf8 = path.utf8.makeIterator()
    guard utf8.next() == UInt8(ascii: "/") else { return false }
    // The length of the component read so far, and whether it is all dots.
    var length = 0
    var dots = 0
    while let byte = utf8.next() {
      if byte == UInt8(ascii: "/") {
        if length == 0 || (dots == length && dots <= 2) { return false }
        length = 0
        dots = 0
      } else {
        length += 1
        if byte == UInt8(ascii: ".") { dots += 1 }
      }
    }
    return length > 0 && !(dots == length && dots <= 2)
  }
}
