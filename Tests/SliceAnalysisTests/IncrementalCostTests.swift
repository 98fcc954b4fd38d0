import Foundation
import SliceAnalysis
import SliceStore
import SliceSyntax
import Testing

/// What an edit costs: counted in slice analyses, never in time.
@Suite struct IncrementalCostTests {
  @Test func anEditAnalysesOnlyTheEditedSlice() async throws {
    let sandbox = try ProjectSandbox()
    let host = AnalysisHost()
    let office = sandbox.url("files/vlans/office.yaml")
    let text = try #require(sandbox.disk(office))
    sandbox.buffers[office] = text
    let first = await host.update(root: sandbox.root, buffers: sandbox.buffers, compileHints: true)
    // The open file's slice first; the rest of the project (listing the stores included)
    // waits for the background.
    #expect(first.files.contains { $0.file == office })
    #expect(first.remainingSlices > 0)
    #expect(await host.statistics(root: sandbox.root).slicesAnalysed == 1)
    while await host.analyseBackground(root: sandbox.root).remainingSlices > 0 {}
    let settled = await host.statistics(root: sandbox.root).slicesAnalysed

    sandbox.buffers[office] = Array(String(decoding: text, as: UTF8.self).replacingOccurrences(of: "mtu: 9216", with: "mtu: 1500").utf8)
    let edit = await host.update(root: sandbox.root, buffers: sandbox.buffers, compileHints: true)
    #expect(edit.files.map(\.file) == [office])
    #expect(edit.remainingSlices == 0)
    #expect(await host.statistics(root: sandbox.root).slicesAnalysed == settled + 1)
  }

  @Test func aCommentOnlyEditReusesThePlan() async throws {
    let sandbox = try ProjectSandbox()
    let host = AnalysisHost()
    let office = sandbox.url("files/vlans/office.yaml")
    let text = try #require(sandbox.disk(office))
    sandbox.buffers[office] = text
    _ = await host.update(root: sandbox.root, buffers: sandbox.buffers, compileHints: true)
    let before = await host.statistics(root: sandbox.root)
    sandbox.buffers[office] = Array("# a new comment\n".utf8) + text
    let update = await host.update(root: sandbox.root, buffers: sandbox.buffers, compileHints: true)
    let after = await host.statistics(root: sandbox.root)
    #expect(after.slicesAnalysed == before.slicesAnalysed + 1)
    #expect(after.plansReused == before.plansReused + 1)
    // The hints moved with the text: anchored in the new tree, not copied from the old one.
    let hints = update.files.first { $0.file == office }?.findings.filter { $0.severity == .hint } ?? []
    let batch = ProjectAnalysis.analyze(root: sandbox.root, contents: sandbox.buffers).findings[office]?.filter { $0.severity == .hint }
    #expect(hints == batch)
    #expect(!hints.isEmpty)
  }

  @Test func aFileChangedOnDiskIsReadAgainOnlyWhenReported() async throws {
    let sandbox = try ProjectSandbox()
    let host = AnalysisHost()
    _ = await host.update(root: sandbox.root, buffers: [:], compileHints: true)
    while await host.analyseBackground(root: sandbox.root).remainingSlices > 0 {}
    let lab = sandbox.url("files/vlans/lab.json")
    try Data("{ broken".utf8).write(to: lab)
    let unreported = await host.update(root: sandbox.root, buffers: [:], compileHints: true)
    #expect(unreported.files.isEmpty)
    let reported = await host.update(root: sandbox.root, buffers: [:], diskChanges: [lab], compileHints: true)
    #expect(reported.files.first { $0.file == lab }?.findings.contains { $0.code == "json-syntax" } == true)
  }

  @Test func aFileCreatedOnDiskJoinsItsStore() async throws {
    let sandbox = try ProjectSandbox()
    let host = AnalysisHost()
    _ = await host.update(root: sandbox.root, buffers: [:], compileHints: true)
    while await host.analyseBackground(root: sandbox.root).remainingSlices > 0 {}
    // `lab.yaml` beside `lab.json`: a name clash on both files.
    let clash = sandbox.url("files/vlans/lab.yaml")
    try Data(try #require(sandbox.disk(sandbox.url("files/vlans/office.yaml")))).write(to: clash)
    let update = await host.update(root: sandbox.root, buffers: [:], diskChanges: [clash], compileHints: true)
    let files = Set(update.files.filter { !$0.findings.isEmpty }.map(\.file.lastPathComponent))
    #expect(files.isSuperset(of: ["lab.yaml", "lab.json"]))
    #expect(await host.allFindings(root: sandbox.root) == sandbox.batchFindings(compileHints: true))
  }
}

/// What an edit replaces is freed off the path to its diagnostics, in bounded memory: counted
/// through a graveyard whose drain the test holds, never timed.
@Suite struct StaleResultsTests {
  /// A project, a host whose graveyard drains only when the test says, and the slice edited.
  static func session() throws -> (ProjectSandbox, HeldDrains, AnalysisHost, URL, [UInt8]) {
    let sandbox = try ProjectSandbox()
    let drains = HeldDrains()
    let host = AnalysisHost(staleResults: StaleResults(capacity: 2, scheduler: drains.scheduler))
    let office = sandbox.url("files/vlans/office.yaml")
    return (sandbox, drains, host, office, try #require(sandbox.disk(office)))
  }

  @Test func anEditHandsThePreviousReadToTheGraveyard() async throws {
    let (sandbox, drains, host, office, text) = try Self.session()
    sandbox.buffers[office] = text
    _ = await host.update(root: sandbox.root, buffers: sandbox.buffers, compileHints: true)
    let before = host.staleResults.counts
    sandbox.buffers[office] = Array("# an edit\n".utf8) + text
    _ = await host.update(root: sandbox.root, buffers: sandbox.buffers, compileHints: true)
    let after = host.staleResults.counts
    // The old buffer, the slice's last result and the read cache's previous read at least.
    #expect(after.buried == before.buried + 1)
    #expect(after.waitingValues >= 3)
    drains.runAll()
    #expect(host.staleResults.counts.waitingValues == 0)
  }

  @Test func aStreamOfEditsKeepsAtMostTwoStaleBatches() async throws {
    let (sandbox, drains, host, office, text) = try Self.session()
    var mostValues = 0
    // The drain never runs: the bound alone keeps memory flat.
    for edit in 0..<40 {
      sandbox.buffers[office] = Array("# edit \(edit)\n".utf8) + text
      _ = await host.update(root: sandbox.root, buffers: sandbox.buffers, compileHints: true)
      let counts = host.staleResults.counts
      #expect(counts.waiting <= 2)
      mostValues = max(mostValues, counts.waitingValues)
    }
    let counts = host.staleResults.counts
    // Every edit after the opening one replaced something.
    #expect(counts.buried >= 39)
    #expect(counts.freedInline >= 37)
    // Two edits' worth: a handful of values each (buffer, slice result, plan memo, read).
    #expect(mostValues <= 2 * 8)
    #expect(drains.pending == 1)
    // Still the batch analysis's findings.
    #expect(await host.allFindings(root: sandbox.root)[office] == sandbox.batchFindings(compileHints: true)[office])
  }
}

/// A slice without active versions publishes its diagnostics without its read form or merge:
/// the editor queries that need them get them built, equal to the batch analysis's.
@Suite struct DeferredSourceTests {
  @Test func aNewSliceGetsItsSourcesWhenAnEditorQueryAsks() async throws {
    let sandbox = try ProjectSandbox()
    let host = AnalysisHost()
    // `new@v4.yaml` has no active version: its hint is its first version, the file's v4.
    let created = sandbox.url("files/fs/new@v4.yaml")
    sandbox.buffers[created] = Array("host: new01\ncontent:\n  - {type: folder, name: etc, content: [{type: file, name: a, content: x}]}\n".utf8)
    let update = await host.update(root: sandbox.root, buffers: sandbox.buffers, compileHints: true)
    let findings = update.files.first { $0.file == created }?.findings ?? []
    #expect(findings.filter { $0.code == FindingCode.nextVersion.rawValue }.map(\.message) == ["the next sync activates this new slice as v4"])
    #expect(findings == sandbox.batchFindings(compileHints: true)[created])

    let context = try #require(await host.context(root: sandbox.root, file: created, buffers: sandbox.buffers, compileHints: true))
    let batch = ProjectAnalysis.analyze(root: sandbox.root, contents: sandbox.buffers)
    let batchStore = try #require(batch.stores.first { $0.configuration.name == "fs" })
    let source = try #require(context.store?.snapshot.sources["new"])
    #expect(source == batchStore.snapshot.sources["new"])
    #expect(source.fileVersion == 4)
    #expect(context.store?.plans.first?.decision.version == 4)
  }
}
