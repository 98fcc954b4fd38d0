import Foundation
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// A store whose source folder is missing or holds no slice, while slices of it are active:
/// a sync would delete all of them. `check` warns, `plan` shows it, `sync` refuses unless allowed.
@Suite("Emptied stores")
struct EmptiedStoreTests {
  /// The example without its `vlans` source folder: `lab` (v2) and `office` (v2) are active and
  /// live, `guest` is deleted already (v2 is `{}`), `voice` was never activated.
  func exampleWithoutVlansSources() throws -> TemporaryProject {
    let project = try TemporaryProject.example()
    try FileManager.default.removeItem(at: project.url("files/vlans"))
    return project
  }

  func warnings(_ analysis: ProjectAnalysis, at url: URL) -> [Finding] {
    (analysis.findings.first { $0.key.path == url.standardizedFileURL.path }?.value ?? [])
      .filter { $0.code == FindingCode.storeSourcesMissing.rawValue }
  }

  @Test func checkWarnsAtTheMissingFolderNamingTheLiveSlices() throws {
    let project = try exampleWithoutVlansSources()
    defer { project.remove() }
    let analysis = ProjectAnalysis.analyze(root: project.root)
    let found = warnings(analysis, at: project.url("files/vlans"))
    #expect(found.count == 1)
    #expect(found.first?.severity == .warning)
    let message = found.first?.message ?? ""
    #expect(message.contains("does not exist") && message.contains("2 slices") && message.contains("'lab', 'office'"), "\(message)")
    #expect(!message.contains("guest") && !message.contains("voice"), "\(message)")
    // The other store is untouched.
    #expect(warnings(analysis, at: project.url("files/fs")).isEmpty)
  }

  @Test func anEmptySourceFolderIsTheSameDanger() throws {
    let project = try exampleWithoutVlansSources()
    defer { project.remove() }
    try FileManager.default.createDirectory(at: project.url("files/vlans"), withIntermediateDirectories: false)
    try project.write("files/vlans/.gitkeep", "")
    let found = warnings(ProjectAnalysis.analyze(root: project.root), at: project.url("files/vlans"))
    #expect(found.first?.message.contains("holds no slice file") == true, "\(found)")
  }

  @Test func syncRefusesAndWritesNothingUnlessAllowed() throws {
    let project = try exampleWithoutVlansSources()
    defer { project.remove() }
    let before = project.state()
    let refused = try EmbeddedEngine.run(mode: .sync, root: project.root)
    #expect(!refused.succeeded)
    let findings = refused.failedFiles.flatMap(\.findings)
    #expect(findings.map(\.code) == [FindingCode.storeSourcesMissing.rawValue])
    #expect(findings.first?.severity == .error)
    #expect(treeDifferences(before, project.state()).isEmpty)
    // A slice selection does not get around it: the folder is gone for every slice.
    #expect(try !EmbeddedEngine.run(mode: .sync, root: project.root, slices: ["lab"]).succeeded)
    // Nor does the update compile, which creates the folder empty.
    #expect(try EmbeddedEngine.run(mode: .update, root: project.root, stores: ["vlans"]).succeeded)
    #expect(FileManager.default.fileExists(atPath: project.url("files/vlans").path))
    #expect(try !EmbeddedEngine.run(mode: .sync, root: project.root, stores: ["vlans"]).succeeded)
    #expect(project.read("git_ops/active/vlans/lab@v3.json") == nil)

    let allowed = try EmbeddedEngine.run(mode: .sync, root: project.root, stores: ["vlans"], allowsEmptiedStores: true)
    #expect(allowed.succeeded, "\(allowed.failedFiles) \(allowed.problems)")
    #expect(project.read("git_ops/active/vlans/lab@v3.json") == "{}")
    #expect(project.read("git_ops/active/vlans/office@v3.json") == "{}")
    #expect(project.read("git_ops/active/vlans/guest@v3.json") == nil)
    // Every slice is deleted now: nothing left to warn of, and a sync is a no-op again.
    #expect(warnings(ProjectAnalysis.analyze(root: project.root), at: project.url("files/vlans")).isEmpty)
    #expect(try EmbeddedEngine.run(mode: .sync, root: project.root, stores: ["vlans"]).succeeded)
  }

  @Test func theUnstreamedSyncRefusesToo() throws {
    let project = try exampleWithoutVlansSources()
    defer { project.remove() }
    let before = project.state()
    let outcome = try EmbeddedEngine.run(mode: .sync, root: project.root, compileStreaming: nil)
    #expect(outcome.failedFiles.flatMap(\.findings).map(\.code) == [FindingCode.storeSourcesMissing.rawValue])
    #expect(treeDifferences(before, project.state()).isEmpty)
  }

  @Test func planShowsTheDeletionsWithTheWarning() throws {
    let project = try exampleWithoutVlansSources()
    defer { project.remove() }
    let plan = try EmbeddedEngine.plan(root: project.root)
    #expect(plan.succeeded)
    let vlans = try #require(plan.stores.first { $0.store == "vlans" })
    #expect(vlans.warnings.count == 1)
    let deleted = vlans.plans.filter { $0.decision.change == .deleted }.map(\.name)
    #expect(deleted == ["lab", "office"])
    #expect(PlanReport.text(plan.stores, style: TerminalStyle(colored: false)).contains("Warning: the source folder of store 'vlans'"))
    #expect(PlanReport.markdown(plan.stores).contains("> [!CAUTION]"))
    var json: [UInt8] = []
    PlanReport.writeJSON(plan.stores) { json += $0 }
    let parsed = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
    let stores = parsed?["stores"] as? [[String: Any]] ?? []
    #expect((stores.first { $0["store"] as? String == "vlans" }?["warnings"] as? [String])?.count == 1)
  }

  @Test func aStoreWithSourcesOrWithoutLiveSlicesIsNoConcern() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    // Sources present: nothing is read, nothing is said.
    #expect(warnings(ProjectAnalysis.analyze(root: project.root), at: project.url("files/vlans")).isEmpty)
    // A new store: no active slice yet.
    try FileManager.default.removeItem(at: project.url("files/vlans"))
    try FileManager.default.removeItem(at: project.url("git_ops/active/vlans"))
    #expect(warnings(ProjectAnalysis.analyze(root: project.root), at: project.url("files/vlans")).isEmpty)
    #expect(try EmbeddedEngine.run(mode: .sync, root: project.root, stores: ["vlans"]).succeeded)
  }

  @Test func liveSlicesAreTheOnesWhoseLatestVersionIsNotEmpty() throws {
    let project = try exampleWithoutVlansSources()
    defer { project.remove() }
    try project.write("git_ops/active/vlans/lab@v3.json", " {\r\n\t}\n")
    // An unreadable latest version counts as live.
    try project.write("git_ops/active/vlans/office@v3.json", "{}")
    let refusing = FileReader(open: { path in
      path.hasSuffix("office@v3.json") ? (-1, EACCES) : FileReader.systemOpen(path)
    })
    let folders = StoreFolders.scan(
      sourceFolder: project.url("files/vlans").path, activeFolder: project.url("git_ops/active/vlans").path)
    #expect(folders.liveSlicesWithoutSources(reader: refusing) == ["office"])
    #expect(folders.liveSlicesWithoutSources(reader: FileReader()).isEmpty)
  }
}
