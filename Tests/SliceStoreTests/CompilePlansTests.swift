import SliceStore
import SliceSyntax
import Testing

@Suite struct CompilePlansTests {
  struct Writer: SliceWriting {
    func fileContent(for attributes: Value) throws -> Value {
      .object((attributes.members ?? []).filter { !["operation", "version", "slice_store", "slice_name"].contains($0.key.string ?? "") })
    }
  }

  func folders(sources: [String], active: [String], activeExists: Bool = true, sourceExists: Bool = true) -> StoreFolders {
    var folders = StoreFolders.classify(
      sourceFolder: "files/fs", sourceEntries: sources.map { FolderEntry(name: $0, isFile: true) },
      activeFolder: "git_ops/active/fs", activeEntries: active.map { FolderEntry(name: $0, isFile: true) })
    folders.activeFolderExists = activeExists
    folders.sourceFolderExists = sourceExists
    return folders
  }

  @Test func newStoreGetsItsActiveFolderAndMigrationState() {
    let fresh = folders(sources: [], active: [], activeExists: false)
    #expect(
      CompilePlans.activeFolderSetup(folders: fresh, registeredMigrations: ["2024-01-01-a", "2024-02-01-b"]) == [
        .createDirectory(path: "git_ops/active/fs"),
        .write(
          path: "git_ops/active/fs/.migrations.json",
          content: .object([Value.Member("applied", .array([.string("2024-01-01-a"), .string("2024-02-01-b")]))]), format: .json),
      ])
    #expect(CompilePlans.activeFolderSetup(folders: folders(sources: [], active: []), registeredMigrations: ["x"]).isEmpty)
    #expect(CompilePlans.export(folders: fresh, registeredMigrations: []).operations.count == 2)
  }

  @Test func updateRewritesEverySourceInItsOwnFormat() throws {
    let snapshot = StoreSnapshot(
      storeName: "fs",
      sources: [
        SourceSlice(name: "a", attributes: TestShapes.root(), path: "files/fs/a.yaml"),
        SourceSlice(name: "gone", attributes: .deletedSlice, path: "files/fs/gone.json"),
      ],
      active: ["old": [ActiveVersion(version: 1, attributes: TestShapes.root())]])
    let plan = try CompilePlans.update(
      snapshot: snapshot, folders: folders(sources: ["a.yaml", "gone.json"], active: ["old@v1.json"], sourceExists: false),
      registeredMigrations: [], catalog: TestShapes.catalog, writer: Writer())
    #expect(plan.failures.isEmpty)
    #expect(plan.operations.first == .createDirectory(path: "files/fs"))
    let writes = plan.operations.compactMap { operation -> (String, Value, SliceFormat)? in
      if case .write(let path, let content, let format) = operation { return (path, content, format) }
      return nil
    }
    #expect(writes.map(\.0) == ["files/fs/a.yaml", "files/fs/gone.json"])
    #expect(writes[0].2 == .yaml && writes[1].2 == .json)
    #expect(writes[0].1["operation"] == nil && writes[0].1["name"] == .string("r"))
    #expect(writes[1].1 == .deletedSlice)
  }

  @Test func syncActivatesEverySlice() throws {
    let v1 = TestShapes.root(size: 1)
    let snapshot = StoreSnapshot(
      storeName: "fs",
      sources: [SourceSlice(name: "a", attributes: TestShapes.root(size: 2)), SourceSlice(name: "same", attributes: v1)],
      active: [
        "a": [ActiveVersion(version: 1, attributes: v1)], "same": [ActiveVersion(version: 3, attributes: v1)],
        "removed": [ActiveVersion(version: 1, attributes: v1)], "dead": [ActiveVersion(version: 2, attributes: .deletedSlice)],
      ])
    let plan = try CompilePlans.sync(
      snapshot: snapshot, folders: folders(sources: ["a.json", "same.json"], active: []), registeredMigrations: [],
      catalog: TestShapes.catalog, writer: Writer())
    #expect(plan.operations.map(\.path) == [
      "git_ops/active/fs/a@v2.json", "git_ops/active/fs/dead@v2.json", "git_ops/active/fs/removed@v2.json", "git_ops/active/fs/same@v3.json",
    ])
    #expect(plan.operations[1] == .write(path: "git_ops/active/fs/dead@v2.json", content: .deletedSlice, format: .json))
    #expect(plan.operations[2] == .write(path: "git_ops/active/fs/removed@v2.json", content: .deletedSlice, format: .json))
  }

  @Test func pruneKeepsTheLatestUnlessDeleted() throws {
    let store = folders(
      sources: [], active: ["a@v1.json", "a@v3.json", "a@v2.json", "b@v1.json", "b@v2.json", "c@v4.json", "d@v1.json", "d@v1.yaml"])
    let deleted: Set<String> = ["b@v2.json", "c@v4.json"]
    var read: [String] = []
    let plan = CompilePlans.prune(folders: store, registeredMigrations: []) { file in
      read.append(file.fileName.fileName)
      return deleted.contains(file.fileName.fileName)
    }
    #expect(Set(plan.operations.map(\.path)) == [
      "git_ops/active/fs/a@v1.json", "git_ops/active/fs/a@v2.json", "git_ops/active/fs/b@v1.json", "git_ops/active/fs/b@v2.json",
      "git_ops/active/fs/c@v4.json", "git_ops/active/fs/d@v1.yaml",
    ])
    // Only the latest file of each slice is read.
    #expect(read.sorted() == ["a@v3.json", "b@v2.json", "c@v4.json", "d@v1.json"])
  }
}
