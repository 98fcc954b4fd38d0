import SliceStore
import SliceSyntax
import Testing

/// The engine against what the reference returned and wrote for the same store contents.
@Suite struct ReferenceStoreCasesTests {
  static let fixture: ReferenceFixture? = try? ReferenceFixture.load()

  static var unrollTitles: [String] {
    (fixture?.cases ?? []).filter { $0.action == "unroll" }.map(\.title)
  }

  @Test func fixtureLoads() throws {
    let fixture = try ReferenceFixture.load()
    #expect(fixture.cases.count >= 20)
    #expect(fixture.catalog.danglingReferences.isEmpty)
  }

  @Test(arguments: unrollTitles)
  func unrollMatchesReference(title: String) throws {
    let fixture = try #require(Self.fixture)
    let testCase = try fixture.case(title)
    let snapshot = StoreSnapshot(storeName: "fs", sources: testCase.sources, active: testCase.active)
    let mode: CompileMode = testCase.mode == "export" ? .export : .update
    if let expectedError = testCase.error {
      let error = #expect(throws: MergeError.self) {
        try snapshot.unrollSlices(mode: mode, catalog: fixture.catalog)
      }
      #expect(error?.referenceMessage == expectedError)
      return
    }
    let slices = try snapshot.unrollSlices(mode: mode, catalog: fixture.catalog)
    let produced = Value.array(slices.map(\.value))
    let expected = try #require(testCase.expected)
    // Compared apart so that a failure prints the first difference, not both trees.
    let identical = produced.isIdentical(to: expected)
    #expect(identical, "\(produced.firstDifference(from: expected) ?? "")")
  }

  /// A test stand-in for the schema layer's writer: the fixture's schema has no free-form
  /// dicts, so dropping the managed and model-only keys everywhere is what pydantic's dump does.
  struct StrippingWriter: SliceWriting {
    static let dropped: Set<String> = ["operation", "path", "version", "slice_store", "slice_name", "model_only"]
    func fileContent(for attributes: Value) throws -> Value { strip(attributes) }
    func strip(_ value: Value) -> Value {
      switch value {
      case .object(let members):
        return .object(
          members.filter { !Self.dropped.contains($0.key.string ?? "") }
            .map { Value.Member(key: $0.key, value: strip($0.value)) })
      case .array(let items): return .array(items.map(strip))
      case .scalar: return value
      }
    }
  }

  /// Applies a plan's operations on the active folder to the files as they were.
  static func applyToActiveFolder(_ plan: CompilePlan, files: [String: String]) throws -> [String: Value] {
    var result: [String: Value] = [:]
    for (name, text) in files { result[name] = try jsonValue(text.isEmpty ? "null" : text) }
    for operation in plan.operations {
      guard operation.path.hasPrefix("active/") else { continue }
      let name = String(operation.path.dropFirst("active/".count))
      switch operation {
      case .write(_, let content, let format):
        #expect(format == .json)
        if name != SliceFileName.migrationsFileName { result[name] = content }
      case .delete:
        result[name] = nil
      case .createDirectory:
        break
      }
    }
    return result
  }

  static func folders(_ testCase: ReferenceFixture.Case) -> StoreFolders {
    StoreFolders.classify(
      sourceFolder: "src", sourceEntries: testCase.sourceFiles.map { FolderEntry(name: $0, isFile: true) },
      activeFolder: "active",
      activeEntries: testCase.activeFiles.keys.map { FolderEntry(name: $0, isFile: true) })
  }

  @Test(arguments: ["sync writes every slice", "sync of a slice re-created before a prune"])
  func syncWritesWhatTheReferenceWrites(title: String) throws {
    let fixture = try #require(Self.fixture)
    let testCase = try fixture.case(title)
    let snapshot = StoreSnapshot(storeName: "fs", sources: testCase.sources, active: testCase.active)
    let plan = try CompilePlans.sync(
      snapshot: snapshot, folders: Self.folders(testCase), registeredMigrations: [],
      catalog: fixture.catalog, writer: StrippingWriter())
    let after = try Self.applyToActiveFolder(plan, files: testCase.activeFiles)
    let expectedAfter = try #require(testCase.activeAfter)
    #expect(Set(after.keys) == Set(expectedAfter.keys))
    for (name, text) in expectedAfter {
      let expected = try jsonValue(text)
      let produced = try #require(after[name])
      let identical = produced.isIdentical(to: expected)
      #expect(identical, "\(name): \(produced.firstDifference(from: expected) ?? "")")
    }
    #expect(plan.failures.map(\.error.referenceMessage) == (testCase.error.map { [$0] } ?? []))
    // Existing folders: nothing to create, and sources are never written by a sync.
    #expect(!plan.operations.contains { if case .createDirectory = $0 { true } else { false } })
    #expect(!plan.operations.contains { $0.path.hasPrefix("src/") })
  }

  @Test func updateWritesWhatTheReferenceWrites() throws {
    let fixture = try #require(Self.fixture)
    let testCase = try fixture.case("update writes every source back")
    let snapshot = StoreSnapshot(storeName: "fs", sources: testCase.sources, active: testCase.active)
    let plan = try CompilePlans.update(
      snapshot: snapshot, folders: Self.folders(testCase), registeredMigrations: [],
      catalog: fixture.catalog, writer: StrippingWriter())
    #expect(plan.failures.isEmpty)
    var written: [String: Value] = [:]
    for operation in plan.operations {
      guard case .write(let path, let content, let format) = operation else {
        Issue.record("unexpected \(operation)")
        continue
      }
      let name = String(path.dropFirst("src/".count))
      #expect(format == (name.hasSuffix(".json") ? .json : .yaml), "\(name)")
      written[name] = content
    }
    let expected = try #require(testCase.sourcesAfterData)
    #expect(Set(written.keys) == Set(expected.keys))
    for (name, document) in expected {
      let produced = try #require(written[name])
      let identical = produced.isIdentical(to: document)
      #expect(identical, "\(name): \(produced.firstDifference(from: document) ?? "")")
    }
    // The active folder is left alone by an update.
    #expect(try #require(testCase.activeAfter).keys.sorted() == testCase.activeFiles.keys.sorted())
  }

  @Test func pruneDeletesWhatTheReferenceDeletes() throws {
    let fixture = try #require(Self.fixture)
    let testCase = try fixture.case("prune")
    let plan = try CompilePlans.prune(folders: Self.folders(testCase), registeredMigrations: []) { file in
      let text = try #require(testCase.activeFiles[file.fileName.fileName])
      let value = try jsonValue(text.isEmpty ? "null" : text)
      return value.isNull || value.isDeletedSlice
    }
    let after = try Self.applyToActiveFolder(plan, files: testCase.activeFiles)
    #expect(Set(after.keys) == Set(try #require(testCase.activeAfter).keys))
  }

  /// Export and update views agree when every source equals its latest active version.
  @Test func sourceViewEqualsExportViewWhenNothingChanged() throws {
    let fixture = try #require(Self.fixture)
    let testCase = try fixture.case("export: three versions, removals and updates persist")
    let latest = try #require(testCase.active["a"]?.max { $0.version < $1.version })
    let snapshot = StoreSnapshot(
      storeName: "fs", sources: [SourceSlice(name: "a", attributes: latest.attributes)], active: testCase.active)
    let export = try snapshot.unrollSlices(mode: .export, catalog: fixture.catalog)
    let update = try snapshot.unrollSlices(mode: .update, catalog: fixture.catalog)
    #expect(export == update)
    #expect(export.first?.version == 3)
  }
}
