import Foundation
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

@Suite("Embedded engine on a copy of the example project")
struct EmbeddedEngineTests {
  /// The files a compile mode changes, compared with what the reference's compile changed.
  func expectMatchesGolden(_ mode: CompileMode) throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let before = project.state()
    let outcome = try EmbeddedEngine.run(mode: mode, root: project.root, style: .reference)
    #expect(outcome.succeeded, "\(outcome.failedFiles.map(\.findings)) \(outcome.problems)")
    let golden = try TemporaryProject.golden(mode.rawValue)
    var expected = before
    for (path, bytes) in golden.changed { expected[path] = bytes }
    for path in golden.removed { expected[path] = nil }
    let problems = treeDifferences(expected, project.state())
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
  }

  @Test func updateWritesTheReferenceBytes() throws { try expectMatchesGolden(.update) }
  @Test func syncCreatesTheActiveFilesTheReferenceCreates() throws { try expectMatchesGolden(.sync) }
  @Test func pruneDeletesTheFilesTheReferenceDeletes() throws { try expectMatchesGolden(.prune) }
  @Test func exportWritesNothing() throws { try expectMatchesGolden(.export) }

  @Test func updateIsIdempotent() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let first = try EmbeddedEngine.run(mode: .update, root: project.root, style: .reference)
    #expect(first.succeeded)
    #expect(Set(first.changes.map(\.kind)) == [.modified])
    let afterFirst = project.state()
    let second = try EmbeddedEngine.run(mode: .update, root: project.root, style: .reference)
    #expect(second.succeeded)
    #expect(second.changes.isEmpty)
    #expect(project.state() == afterFirst)
  }

  @Test func syncAfterSyncChangesNothing() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let first = try EmbeddedEngine.run(mode: .sync, root: project.root)
    #expect(first.changes.map(\.kind) == [.created, .created, .created])
    let second = try EmbeddedEngine.run(mode: .sync, root: project.root)
    #expect(second.succeeded)
    #expect(second.changes.isEmpty)
  }

  @Test func exportGivesTheReferenceViewOfStoresWithoutModelOnlyAttributes() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let outcome = try EmbeddedEngine.run(mode: .export, root: project.root, stores: ["vlans"])
    let golden = try TemporaryProject.golden("export")
    let expected = try #require(golden.result["views"]?["vlans"])
    let actual = Value.array(outcome.exportedSlices.map(\.value))
    #expect(WriterTestSupport.identical(actual, expected) || actual == expected)
    #expect(outcome.exportedSlices.map(\.name) == ["guest", "lab", "office"])
    #expect(outcome.exportedSlices.allSatisfy { $0.storeName == "vlans" })
  }

  @Test func modelOnlyAttributesFromSlicelsYmlCompleteTheExportView() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("slicels.yml", "stores:\n  fs:\n    model_only: {File: {previous_content: null}}\n")
    let before = project.state()
    let outcome = try EmbeddedEngine.run(mode: .export, root: project.root)
    let golden = try TemporaryProject.golden("export")
    for store in ["fs", "vlans"] {
      let expected = try #require(golden.result["views"]?[store])
      let actual = Value.array(outcome.exportedSlices.filter { $0.storeName == store }.map(\.value))
      #expect(actual == expected, "\(store)")
    }
    // They are never written: update and sync give the reference's bytes all the same.
    #expect(project.state() == before)
    try expectMatchesGoldenAfterConfiguring(.update)
    try expectMatchesGoldenAfterConfiguring(.sync)
  }

  @Test func modelOnlyConfigurationMistakesAreReported() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("slicels.yml", "stores:\n  fs:\n    model_only: [previous_content]\n    modelonly: {}\n")
    let configuration = ProjectConfiguration.load(root: project.root)
    #expect(configuration.findings.map(\.finding.code).sorted() == ["config-invalid", "config-unknown-key"])
    #expect(configuration.store(named: "fs")?.modelOnly.isEmpty == true)
    try project.write("slicels.yml", "stores:\n  fs:\n    model_only: {File: {previous_content: null, seen: [1]}}\n")
    let parsed = ProjectConfiguration.load(root: project.root).store(named: "fs")?.modelOnly["File"]
    #expect(parsed == [
      ModelOnlyAttribute(name: "previous_content", defaultValue: .null),
      ModelOnlyAttribute(name: "seen", defaultValue: .array([.integer(1)])),
    ])
  }

  func expectMatchesGoldenAfterConfiguring(_ mode: CompileMode) throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("slicels.yml", "stores:\n  fs:\n    model_only: {File: {previous_content: null}}\n")
    let before = project.state()
    _ = try EmbeddedEngine.run(mode: mode, root: project.root, style: .reference)
    let golden = try TemporaryProject.golden(mode.rawValue)
    var expected = before
    for (path, bytes) in golden.changed { expected[path] = bytes }
    #expect(treeDifferences(expected, project.state()).isEmpty)
  }

  @Test func handWrittenManagedAttributesCountForTheVersion() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    // lab.json holds what lab@v2 holds: nothing to activate.
    #expect(try EmbeddedEngine.run(mode: .sync, root: project.root, slices: ["lab"]).changes.isEmpty)
    // The module reads hand-written managed attributes (only `path` is stripped): v3.
    let original = try #require(project.read("files/vlans/lab.json"))
    try project.write("files/vlans/lab.json", original.replacingOccurrences(of: "{\n", with: "{\n  \"version\": \"7\",\n  \"path\": \"x\",\n"))
    let sync = try EmbeddedEngine.run(mode: .sync, root: project.root, slices: ["lab"])
    #expect(sync.changes.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["lab@v3.json"])
    #expect(project.read("git_ops/active/vlans/lab@v3.json") == project.read("git_ops/active/vlans/lab@v2.json"))
    // Update removes them.
    _ = try EmbeddedEngine.run(mode: .update, root: project.root, slices: ["lab"], style: .reference)
    #expect(project.read("files/vlans/lab.json") == original)
  }

  @Test func exportHonoursTheSliceFilter() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let outcome = try EmbeddedEngine.run(mode: .export, root: project.root, slices: ["office", "web01"])
    #expect(outcome.exportedSlices.map { "\($0.storeName)/\($0.name)" } == ["fs/web01", "vlans/office"])
  }

  @Test func aFailingCompileWritesNothing() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("files/vlans/broken.yaml", "site: bru\nvlan_id: not a number\nname: broken\n")
    let before = project.state()
    for mode in [CompileMode.update, .sync] {
      let outcome = try EmbeddedEngine.run(mode: mode, root: project.root)
      let succeeded = outcome.succeeded
      #expect(!succeeded)
      #expect(outcome.changes.isEmpty)
      #expect(project.state() == before, "\(mode) changed files")
      let failed = try #require(outcome.failedFiles.first)
      #expect(failed.file.lastPathComponent == "broken.yaml")
      #expect(failed.findings.allSatisfy { $0.severity == .error })
      #expect(failed.findings.contains { $0.message.contains("integer") })
    }
  }

  @Test func exportIgnoresBrokenSourcesButNotBrokenActiveFiles() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("files/vlans/broken.yaml", "site: [unclosed\n")
    #expect(try EmbeddedEngine.run(mode: .export, root: project.root).succeeded)
    try project.write("git_ops/active/vlans/broken@v1.json", "{\"site\": ")
    let before = project.state()
    let outcome = try EmbeddedEngine.run(mode: .export, root: project.root)
    #expect(!outcome.succeeded)
    #expect(outcome.failedFiles.map(\.file.lastPathComponent) == ["broken@v1.json"])
    #expect(project.state() == before)
  }

  @Test func aSliceFilterLimitsWritesAndIgnoresOtherSlicesFailures() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("files/vlans/broken.yaml", "site: bru\nvlan_id: x\n")
    let before = project.state()
    let outcome = try EmbeddedEngine.run(mode: .update, root: project.root, slices: ["office"], style: .reference)
    #expect(outcome.succeeded)
    #expect(outcome.changes.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["office.yaml"])
    let after = project.state()
    #expect(after["files/vlans/broken.yaml"] == before["files/vlans/broken.yaml"])
    #expect(after["files/vlans/voice.yml"] == before["files/vlans/voice.yml"])
    // The broken slice itself fails.
    let broken = try EmbeddedEngine.run(mode: .update, root: project.root, slices: ["broken"])
    #expect(!broken.succeeded)
  }

  @Test func unparsableFileNamesFailTheCompile() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("files/vlans/Notes.TXT", "hello\n")
    let before = project.state()
    let outcome = try EmbeddedEngine.run(mode: .update, root: project.root, slices: ["office"])
    #expect(!outcome.succeeded)
    #expect(outcome.failedFiles.first?.findings.first?.code == FindingCode.sliceFileName.rawValue)
    #expect(project.state() == before)
  }

  @Test func unknownStoresSlicesAndMissingSchemasAreSetupErrors() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    #expect(throws: CompileSetupError.unknownStore(name: "nope", known: ["fs", "vlans"])) {
      try EmbeddedEngine.run(mode: .update, root: project.root, stores: ["nope"])
    }
    #expect(throws: CompileSetupError.unknownSlices(names: ["ghost"], stores: ["vlans"])) {
      try EmbeddedEngine.run(mode: .update, root: project.root, stores: ["vlans"], slices: ["ghost", "office"])
    }
    try FileManager.default.removeItem(at: project.url("files/schemas/fs.json"))
    do {
      _ = try EmbeddedEngine.run(mode: .sync, root: project.root)
      Issue.record("a store without its schema file compiled")
    } catch {
      guard case .unusableSchema(let store, let reason) = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(store == "fs")
      #expect(reason.contains("files/schemas/fs.json"))
      #expect(reason.contains("--engine inmanta"))
    }
    // Prune reads no schema.
    #expect(try EmbeddedEngine.run(mode: .prune, root: project.root).succeeded)
  }

  @Test func firstTouchCreatesTheActiveFolderWithItsMigrationsFile() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try FileManager.default.removeItem(at: project.url("git_ops"))
    let outcome = try EmbeddedEngine.run(mode: .export, root: project.root)
    #expect(outcome.succeeded)
    #expect(project.read("git_ops/active/fs/.migrations.json") == "{\n  \"applied\": []\n}")
    #expect(project.read("git_ops/active/vlans/.migrations.json") == "{\n  \"applied\": []\n}")
    #expect(outcome.exportedSlices.isEmpty)
  }

  // MARK: Preserve style

  @Test func preserveLeavesFilesWhoseDataIsAlreadyNormalised() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    _ = try EmbeddedEngine.run(mode: .update, root: project.root, style: .reference)
    let normalised = try #require(project.read("files/vlans/office.yaml"))
    // Same data, with a comment and another key order: the reference would rewrite it.
    let commented = "# the office\n" + normalised
    try project.write("files/vlans/office.yaml", commented)
    let preserved = try EmbeddedEngine.run(mode: .update, root: project.root, style: .preserve)
    #expect(preserved.succeeded)
    #expect(preserved.changes.isEmpty)
    #expect(project.read("files/vlans/office.yaml") == commented)
    let rewritten = try EmbeddedEngine.run(mode: .update, root: project.root, style: .reference)
    #expect(rewritten.changes.count == 1)
    #expect(project.read("files/vlans/office.yaml") == normalised)
  }

  @Test func preserveRewritesChangedDataWithTheReferenceBytesOrThePreservingStyle() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let reference = try TemporaryProject.example()
    defer { reference.remove() }
    _ = try EmbeddedEngine.run(mode: .update, root: reference.root, style: .reference)
    // Without a preserving style, changed data gets the reference's text.
    _ = try EmbeddedEngine.run(mode: .update, root: project.root, style: .preserve, preserving: nil)
    #expect(project.read("files/vlans/voice.yml") == reference.read("files/vlans/voice.yml"))

    // With one, it decides the text of files whose data changes (and only of those).
    try project.write("files/vlans/voice.yml", "# voice\nsite: bru\nvlan_id: 40\nname: voice\nmtu: '1500'\n")
    let marker = PreservingClosure { document, _, format, normalized in
      #expect(format == .yaml)
      #expect(normalized["mtu"] == .integer(1500))
      return String(decoding: document.bytes, as: UTF8.self).replacingOccurrences(of: "'1500'", with: "1500")
    }
    let outcome = try EmbeddedEngine.run(
      mode: .update, root: project.root, slices: ["voice", "office"], style: .preserve, preserving: marker)
    #expect(outcome.succeeded)
    #expect(project.read("files/vlans/voice.yml") == "# voice\nsite: bru\nvlan_id: 40\nname: voice\nmtu: 1500\n")
  }

  @Test func theDefaultPreservingStyleKeepsCommentsAndEditsOnlyWhatChanges() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("files/vlans/voice.yml", "# voice\nsite: bru  # Brussels\nvlan_id: '40'\nname: voice\n")
    let outcome = try EmbeddedEngine.run(mode: .update, root: project.root, slices: ["voice"], style: .preserve)
    #expect(outcome.succeeded)
    let text = project.read("files/vlans/voice.yml") ?? ""
    #expect(text.hasPrefix("# voice\nsite: bru  # Brussels\nvlan_id: 40\nname: voice\n"))
    // Defaults the compile fills in are inserted after the user's keys, in schema order.
    #expect(text.contains("mtu: 1500"))
  }

  @Test func typedEqualityTellsNumbersApart() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    _ = try EmbeddedEngine.run(mode: .update, root: project.root, style: .reference)
    let normalised = try #require(project.read("files/vlans/lab.json"))
    // 9000.0 == 9000 for Python, but the file would change: preserve must rewrite it.
    try project.write("files/vlans/lab.json", normalised.replacingOccurrences(of: "\"mtu\": 9000", with: "\"mtu\": 9000.0"))
    let outcome = try EmbeddedEngine.run(mode: .update, root: project.root, style: .preserve)
    #expect(outcome.changes.count == 1)
    #expect(project.read("files/vlans/lab.json") == normalised)
  }
}
