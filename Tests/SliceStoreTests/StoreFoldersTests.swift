import Foundation
import SliceStore
import SliceSyntax
import Testing

@Suite struct StoreFoldersTests {
  func files(_ names: String...) -> [FolderEntry] { names.map { FolderEntry(name: $0, isFile: true) } }

  func codes(_ folders: StoreFolders) -> [String: [FindingCode]] {
    var byPath: [String: [FindingCode]] = [:]
    for issue in folders.issues { byPath[issue.path, default: []].append(issue.code) }
    return byPath
  }

  @Test func ignoresHiddenFilesAndFolders() {
    let folders = StoreFolders.classify(
      sourceFolder: "src",
      sourceEntries: files("a.json", ".hidden.json", ".a.yaml") + [FolderEntry(name: "sub", isFile: false)],
      activeFolder: "active",
      activeEntries: files("a@v1.json", ".migrations.json") + [FolderEntry(name: "old@v1.json", isFile: false)])
    #expect(folders.issues.isEmpty)
    #expect(folders.sources.map(\.path) == ["src/a.json"])
    #expect(folders.active.map(\.path) == ["active/a@v1.json"])
    #expect(folders.hasMigrationsFile)
  }

  @Test func reportsNamesTheReferenceCannotRead() {
    let folders = StoreFolders.classify(
      sourceFolder: "src/", sourceEntries: files("README", "notes.txt", "a.json~", "b.json"),
      activeFolder: "active", activeEntries: files("c.json", "c@v1.md"))
    let byPath = codes(folders)
    #expect(byPath["src/README"] == [FindingCode.sliceFileName])
    #expect(byPath["src/notes.txt"] == [FindingCode.sliceFileExtension])
    #expect(byPath["src/a.json~"] == [FindingCode.sliceFileName])
    #expect(byPath["active/c.json"] == [FindingCode.activeFileVersion])
    #expect(byPath["active/c@v1.md"] == [FindingCode.sliceFileExtension])
    #expect(folders.sources.map(\.name) == ["b"])
    #expect(folders.active.isEmpty)
    #expect(folders.issues.allSatisfy { $0.severity == .error })
  }

  @Test func sourceNamesClashAcrossExtensions() throws {
    let folders = StoreFolders.classify(
      sourceFolder: "src", sourceEntries: files("a.yaml", "a.json", "a@v2.yml", "b.yml"),
      activeFolder: "active", activeEntries: [])
    let clashes = folders.issues.filter { $0.code == .sliceNameClash }
    #expect(clashes.map(\.path).sorted() == ["src/a.json", "src/a.yaml", "src/a@v2.yml"])
    let onJSON = try #require(clashes.first { $0.path == "src/a.json" })
    #expect(onJSON.relatedPaths.sorted() == ["src/a.yaml", "src/a@v2.yml"])
    #expect(onJSON.message.contains("'a'"))
    #expect(onJSON.finding.related.count == 2)
    // One file per slice is kept, deterministically the first by file name.
    #expect(folders.sources.map(\.path) == ["src/a.json", "src/b.yml"])
    #expect(codes(folders)["src/a@v2.yml"]?.contains(FindingCode.sourceFileVersion) == true)
  }

  @Test func activeVersionsSortedAndClashesReported() {
    let folders = StoreFolders.classify(
      sourceFolder: "src", sourceEntries: [], activeFolder: "active",
      activeEntries: files("b@v10.json", "b@v9.json", "a@v2.json", "a@v2.yaml", "a@v1.json"))
    #expect(
      folders.active.map(\.fileName.fileName) == ["a@v1.json", "a@v2.json", "a@v2.yaml", "b@v9.json", "b@v10.json"])
    let byPath = codes(folders)
    #expect(byPath["active/a@v2.json"] == [FindingCode.activeVersionClash])
    #expect(byPath["active/a@v2.yaml"]?.sorted { $0.rawValue < $1.rawValue } == [FindingCode.activeFileFormat, .activeVersionClash].sorted { $0.rawValue < $1.rawValue })
    #expect(byPath["active/b@v9.json"] == nil)
    #expect(folders.activeVersions(named: "b").map(\.fileName.version) == [9, 10])
  }

  @Test func scansTheFileSystem() throws {
    let fileManager = FileManager.default
    let root = fileManager.temporaryDirectory.appendingPathComponent("slicestore-\(UUID().uuidString)")
    defer { try? fileManager.removeItem(at: root) }
    let source = root.appendingPathComponent("files/fs")
    let active = root.appendingPathComponent("git_ops/active/fs")
    try fileManager.createDirectory(at: source.appendingPathComponent("nested"), withIntermediateDirectories: true)
    try fileManager.createDirectory(at: active, withIntermediateDirectories: true)
    for (folder, name) in [(source, "a.json"), (source, "nested/b.json"), (source, ".c.json"), (active, "a@v1.json"), (active, ".migrations.json")] {
      try Data("{}".utf8).write(to: folder.appendingPathComponent(name))
    }
    try fileManager.createSymbolicLink(
      at: source.appendingPathComponent("link.yaml"), withDestinationURL: source.appendingPathComponent("a.json"))

    let folders = StoreFolders.scan(sourceFolder: source.path, activeFolder: active.path)
    #expect(folders.sourceFolderExists && folders.activeFolderExists)
    #expect(folders.sources.map(\.name) == ["a", "link"])
    #expect(folders.active.map(\.name) == ["a"])
    #expect(folders.hasMigrationsFile)
    #expect(folders.issues.isEmpty)

    let missing = StoreFolders.scan(
      sourceFolder: root.appendingPathComponent("nope").path, activeFolder: root.appendingPathComponent("none").path)
    #expect(!missing.sourceFolderExists && !missing.activeFolderExists)
    #expect(missing.sources.isEmpty && missing.active.isEmpty)
  }

  @Test(.timeLimit(.minutes(1))) func specialFilesAndLinksToNothingAreErrorsAndNeverSlices() throws {
    let fileManager = FileManager.default
    let root = fileManager.temporaryDirectory.appendingPathComponent("slicestore-\(UUID().uuidString)")
    defer { try? fileManager.removeItem(at: root) }
    let source = root.appendingPathComponent("files/fs")
    let active = root.appendingPathComponent("git_ops/active/fs")
    try fileManager.createDirectory(at: source, withIntermediateDirectories: true)
    try fileManager.createDirectory(at: active, withIntermediateDirectories: true)
    try Data("{}".utf8).write(to: source.appendingPathComponent("a.json"))
    #expect(mkfifo(source.appendingPathComponent("fifo.json").path, 0o644) == 0)
    #expect(mkfifo(source.appendingPathComponent(".hidden.json").path, 0o644) == 0)
    try fileManager.createSymbolicLink(atPath: active.appendingPathComponent("null@v1.json").path, withDestinationPath: "/dev/null")
    try fileManager.createSymbolicLink(
      atPath: source.appendingPathComponent("gone.yaml").path, withDestinationPath: root.appendingPathComponent("none").path)

    let folders = StoreFolders.scan(sourceFolder: source.path, activeFolder: active.path)
    #expect(folders.sources.map(\.name) == ["a"])
    #expect(folders.active.isEmpty)
    let byPath = codes(folders)
    #expect(byPath[source.appendingPathComponent("fifo.json").path] == [FindingCode.sliceFileSpecial])
    #expect(byPath[active.appendingPathComponent("null@v1.json").path] == [FindingCode.sliceFileSpecial])
    #expect(byPath[source.appendingPathComponent("gone.yaml").path] == [FindingCode.sliceLinkBroken])
    #expect(byPath[source.appendingPathComponent(".hidden.json").path] == nil)
    #expect(folders.issues.allSatisfy { $0.severity == .error })
    let deviceIssue = folders.issues.first { $0.path == active.appendingPathComponent("null@v1.json").path }
    #expect(deviceIssue?.message.contains("a symbolic link to a character device") == true)
  }

  @Test func aFolderReplacedByAFileIsAnErrorAtTheFolder() throws {
    let fileManager = FileManager.default
    let root = fileManager.temporaryDirectory.appendingPathComponent("slicestore-\(UUID().uuidString)")
    defer { try? fileManager.removeItem(at: root) }
    let source = root.appendingPathComponent("files/fs")
    let active = root.appendingPathComponent("git_ops/active/fs")
    try fileManager.createDirectory(at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
    try fileManager.createDirectory(at: active.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data("oops\n".utf8).write(to: source)
    try fileManager.createSymbolicLink(atPath: active.path, withDestinationPath: "/dev/null")

    let folders = StoreFolders.scan(sourceFolder: source.path, activeFolder: active.path)
    let byPath = codes(folders)
    #expect(byPath[source.path] == [FindingCode.storeFolderNotAFolder])
    #expect(byPath[active.path] == [FindingCode.storeFolderNotAFolder])
    #expect(folders.sourceFolderExists && folders.activeFolderExists)

    // A folder that does not exist yet is not an issue: a store without files.
    try fileManager.removeItem(at: source)
    try fileManager.removeItem(at: active)
    let missing = StoreFolders.scan(sourceFolder: source.path, activeFolder: active.path)
    #expect(missing.issues.isEmpty && !missing.sourceFolderExists)
  }
}

/// Listings are sorted on the names' bytes taken once: the order must be the code-point order
/// of the names, stable for equal names, whatever their characters.
@Suite struct SortedByScalarsTests {
  @Test func ordersAsCodePointsAndKeepsEqualNamesInPlace() {
    let alphabet = ["a", "b", "é", "e\u{301}", "日", "😀", "@", "0", "Z", "\u{7F}", ""]
    var random = XorShift(state: 5)
    for _ in 0..<200 {
      let names = (0..<random.below(12)).map { _ in (0..<random.below(4)).map { _ in alphabet[random.below(alphabet.count)] }.joined() }
      let items = names.enumerated().map { (name: $0.element, position: $0.offset) }
      let sorted = items.sortedByScalars(\.name)
      let expected = names.sorted { $0.precedesByScalars($1) }
      #expect(sorted.map(\.name) == expected)
      for (left, right) in zip(sorted, sorted.dropFirst()) where left.name.isScalarExact(to: right.name) {
        #expect(left.position < right.position)
      }
    }
  }
}
