import Foundation
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// Files that cannot be read are errors at their place, never empty documents (deleted slices),
/// and every compile that meets one fails and writes nothing.
@Suite("Reading safety of the embedded engine")
struct ReadingSafetyTests {
  /// A reader for which the system refuses to open the files whose path ends with `suffix`
  /// (what mode 000 does to a user who is not root).
  func refusing(_ suffix: String) -> FileReader {
    FileReader(open: { path in
      path.hasSuffix(suffix) ? (-1, EACCES) : FileReader.systemOpen(path)
    })
  }

  @Test func anUnreadableSourceSliceIsAnErrorNotADeletion() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let reader = refusing("files/vlans/office.yaml")
    let analysis = ProjectAnalysis.analyze(root: project.root, options: .init(compileHints: true, fileReader: reader))
    let url = project.url("files/vlans/office.yaml").standardizedFileURL
    let findings = analysis.findings[url] ?? []
    #expect(findings.map(\.code) == [FindingCode.fileUnreadable.rawValue])
    #expect(findings.first?.severity == .error)
    #expect(findings.first?.message.contains(String(cString: strerror(EACCES))) == true)
    let vlans = try #require(analysis.store(named: "vlans"))
    #expect(vlans.failedSlices.contains("office"))
    #expect(!vlans.snapshot.sliceNames.contains("office") || vlans.plan(for: "office") == nil)

    let before = project.state()
    for mode in CompileMode.allCases where mode.readsSources {
      let outcome = try EmbeddedEngine.run(mode: mode, root: project.root, fileReader: reader)
      #expect(!outcome.succeeded)
      #expect(outcome.failedFiles.map(\.file) == [url])
      #expect(outcome.changes.isEmpty)
    }
    #expect(treeDifferences(before, project.state()).isEmpty)
  }

  @Test func anUnreadableLatestActiveVersionStopsPruneAndExport() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let reader = refusing("git_ops/active/vlans/office@v2.json")
    let before = project.state()
    for mode in CompileMode.allCases {
      let outcome = try EmbeddedEngine.run(mode: mode, root: project.root, fileReader: reader)
      #expect(!outcome.succeeded, "\(mode) must fail")
      #expect(outcome.failedFiles.flatMap(\.findings).contains { $0.code == FindingCode.fileUnreadable.rawValue })
    }
    #expect(treeDifferences(before, project.state()).isEmpty)
  }

  @Test func aFileLargerThanTheLimitIsAnErrorAndStopsCompiles() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let office = try #require(project.read("files/vlans/office.yaml"))
    try project.write("files/vlans/office.yaml", office + "# padding\n" + String(repeating: "#\n", count: 4_000))
    let before = project.state()
    let outcome = try EmbeddedEngine.run(mode: .sync, root: project.root, maximumFileSize: 4_096)
    #expect(!outcome.succeeded)
    let finding = try #require(outcome.failedFiles.first?.findings.first)
    #expect(outcome.failedFiles.map(\.file) == [project.url("files/vlans/office.yaml").standardizedFileURL])
    #expect(finding.code == FindingCode.fileTooLarge.rawValue)
    #expect(finding.message.contains("4096 bytes (4 KiB)"))
    #expect(treeDifferences(before, project.state()).isEmpty)

    // The same limit from slicels.yml; the option overrides it.
    let settings = try #require(project.read("slicels.yml"))
    try project.write("slicels.yml", settings + "limits: {max_file_size: 4KiB}\n")
    #expect(!(try EmbeddedEngine.run(mode: .sync, root: project.root)).succeeded)
    #expect(try EmbeddedEngine.run(mode: .sync, root: project.root, maximumFileSize: 1 << 20).succeeded)
  }

  @Test func anEditorBufferLargerThanTheLimitIsNotAnalysed() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("slicels.yml", "limits: {max_file_size: 1KiB}\n")
    let url = project.url("files/vlans/office.yaml").standardizedFileURL
    let buffer = [UInt8]("vlans:\n".utf8) + [UInt8](repeating: UInt8(ascii: "#"), count: 2_000)
    let analysis = ProjectAnalysis.analyze(root: project.root, contents: [url: buffer])
    #expect(analysis.findings[url]?.map(\.code) == [FindingCode.fileTooLarge.rawValue])
  }

  @Test func aSchemaThatIsAFolderIsAnErrorAndStopsTheStoresCompiles() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let schema = project.url("files/schemas/vlans.json")
    try FileManager.default.removeItem(at: schema)
    try FileManager.default.createDirectory(at: schema, withIntermediateDirectories: false)
    let analysis = ProjectAnalysis.analyze(root: project.root)
    // A folder's URL may carry a trailing slash: compare paths.
    let schemaFindings = analysis.findings.first { $0.key.path == schema.path }?.value
    #expect(schemaFindings?.map(\.code) == [FindingCode.schemaUnreadable.rawValue])
    #expect(!analysis.problems.contains { $0.contains("does not exist yet") })
    let before = project.state()
    #expect(throws: CompileSetupError.self) { try EmbeddedEngine.run(mode: .sync, root: project.root, stores: ["vlans"]) }
    #expect(treeDifferences(before, project.state()).isEmpty)
  }

  @Test func anUnusableStoreFolderStopsTheCompilesThatReadIt() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try FileManager.default.removeItem(at: project.url("files/vlans"))
    try project.write("files/vlans", "oops\n")
    let before = project.state()
    for mode in [CompileMode.update, .sync] {
      let outcome = try EmbeddedEngine.run(mode: mode, root: project.root, slices: ["lab"])
      #expect(!outcome.succeeded)
      #expect(outcome.failedFiles.flatMap(\.findings).map(\.code) == [FindingCode.storeFolderNotAFolder.rawValue])
    }
    // Export and prune read only the active folder, which is fine.
    #expect(try EmbeddedEngine.run(mode: .export, root: project.root).succeeded)
    #expect(treeDifferences(before, project.state()).isEmpty)
  }

  @Test func anInvalidStoreNameStopsEveryCompileAndNothingIsWrittenOutside() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let config = try #require(project.read("files/git-ops-config.yml"))
    let escape = "../../escaped-\(UUID().uuidString)"
    try project.write(
      "files/git-ops-config.yml", config + "  - store_name: \(escape)\n    schema_path: inmanta:///files/schemas/vlans.json\n")
    let before = project.state()
    let outside = project.root.appendingPathComponent("git_ops/active/\(escape)").standardizedFileURL
    for mode in CompileMode.allCases {
      let outcome = try EmbeddedEngine.run(mode: mode, root: project.root)
      #expect(!outcome.succeeded)
      #expect(outcome.failedFiles.flatMap(\.findings).map(\.code) == [FindingCode.storeNameInvalid.rawValue])
    }
    #expect(!FileManager.default.fileExists(atPath: outside.path))
    #expect(treeDifferences(before, project.state()).isEmpty)
  }
}
