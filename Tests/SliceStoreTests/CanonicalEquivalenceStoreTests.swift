import SliceStore
import SliceSyntax
import Testing

/// Issue 13, class 4, in the store: slice names (file names), identities and attribute names
/// that differ only by Unicode normalisation are distinct for the reference.
@Suite struct CanonicalEquivalenceStoreTests {
  static let nfc = "caf\u{E9}"
  static let nfd = "cafe\u{301}"

  func files(_ names: String...) -> [FolderEntry] { names.map { FolderEntry(name: $0, isFile: true) } }

  @Test func filesNamedInBothSpellingsAreTwoSlicesWithoutAClash() {
    let folders = StoreFolders.classify(
      sourceFolder: "src", sourceEntries: files("\(Self.nfc).yaml", "\(Self.nfd).yaml"),
      activeFolder: "active", activeEntries: files("\(Self.nfc)@v1.json", "\(Self.nfd)@v1.json"))
    #expect(folders.issues.isEmpty)
    // Python's sorted(): by code point, the NFD name ('e' + U+0301) before the NFC one (U+00E9).
    #expect(folders.sources.map(\.name).map(ExactString.init) == [ExactString(Self.nfd), ExactString(Self.nfc)])
    #expect(folders.active.count == 2)
    #expect(folders.source(named: Self.nfc)?.path.isScalarExact(to: "src/\(Self.nfc).yaml") == true)
    #expect(folders.activeVersions(named: Self.nfd).map { ExactString($0.path) } == [ExactString("active/\(Self.nfd)@v1.json")])
  }

  @Test func pruneTreatsEachSpellingAsItsOwnSlice() {
    var store = StoreFolders.classify(
      sourceFolder: "files/fs", sourceEntries: [],
      activeFolder: "git_ops/active/fs", activeEntries: files("\(Self.nfc)@v1.json", "\(Self.nfd)@v2.json"))
    store.activeFolderExists = true
    let plan = CompilePlans.prune(folders: store, registeredMigrations: []) { _ in false }
    // Each is the latest of its slice: nothing is deleted.
    #expect(plan.operations.isEmpty)
  }

  @Test func snapshotsKeyByCodePoints() {
    let snapshot = StoreSnapshot(
      storeName: "fs",
      sources: [
        SourceSlice(name: Self.nfc, attributes: TestShapes.root(size: 1), path: "files/fs/\(Self.nfc).yaml"),
        SourceSlice(name: Self.nfd, attributes: TestShapes.root(size: 2), path: "files/fs/\(Self.nfd).yaml"),
      ],
      active: NameMap<[ActiveVersion]>())
    #expect(snapshot.sources.count == 2)
    #expect(snapshot.sliceNames.map(ExactString.init) == [ExactString(Self.nfd), ExactString(Self.nfc)])
    #expect(snapshot.sources[Self.nfd]?.attributes["size"] == .integer(2))
  }

  @Test func identitiesInBothSpellingsAreTwoItems() throws {
    #expect(Identity([.init(key: "id", value: Self.nfc)]) != Identity([.init(key: "id", value: Self.nfd)]))
    #expect(DictPath.Segment.relation(Self.nfc) != DictPath.Segment.relation(Self.nfd))
    let current = TestShapes.root(plain: [TestShapes.plain(.string(Self.nfc)), TestShapes.plain(.string(Self.nfd), x: 2)])
    let (merged, elements) = try Merger(catalog: TestShapes.catalog).mergeListingElements(current: current, previous: nil)
    #expect(try #require(merged?["plain"]?.elements).count == 2)
    let plainItems = elements.filter { $0.path.segments.first.map { if case .item = $0 { true } else { false } } ?? false }
    #expect(plainItems.count == 2)
    #expect(plainItems.allSatisfy { $0.operation == .create })
  }
}
