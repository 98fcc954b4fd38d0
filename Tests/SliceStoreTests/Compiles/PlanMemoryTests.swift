import Foundation
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceStore

/// `slicels plan` without a second merge of every slice or the whole JSON document in memory.
@Suite struct PlanMemoryTests {
  /// The merges the next sync cannot make come from the plans merged already; only the slices
  /// a failing file kept out of the plans are merged again.
  @Test func theFailedMergesAreThoseOfMergingEverySliceAgain() throws {
    let project = try ExportStreamingTests().projectWithHistory(slices: 30)
    defer { project.remove() }
    let streaming = ExportStreamingTests()
    // Deleted versions between live ones: the fold fails (KeyError 'ports'); gen7's source
    // does not load either, so it has no plan.
    for name in ["gen4", "gen7"] {
      let live = try #require(FileManager.default.contents(atPath: try streaming.activePath(project, store: "vlans", file: "\(name)@v1.json")))
      try Data("{}".utf8).write(to: URL(fileURLWithPath: try streaming.activePath(project, store: "vlans", file: "\(name)@v5.json")))
      try live.write(to: URL(fileURLWithPath: try streaming.activePath(project, store: "vlans", file: "\(name)@v6.json")))
    }
    try project.write("files/vlans/gen7.json", "{\"site\": ")

    let analysis = ProjectAnalysis.analyze(root: project.root, options: ProjectAnalysis.Options(compileHints: false))
    let store = try #require(analysis.store(named: "vlans"))
    let catalog = try #require(store.schema?.catalog)
    #expect(store.failedSlices.contains("gen7"))
    let everySlice = store.snapshot.outcomes(mode: .sync, catalog: catalog).compactMap { outcome -> String? in
      guard case .failed(let error) = outcome.result else { return nil }
      return "\(outcome.name): \(error)"
    }
    let reported = (EmbeddedEngine.failedMerges(store) ?? []).compactMap { outcome -> String? in
      guard case .failed(let error) = outcome.result else { return nil }
      return "\(outcome.name): \(error)"
    }
    #expect(everySlice.count == 2)
    #expect(reported == everySlice)

    let plan = try EmbeddedEngine.plan(root: project.root, stores: ["vlans"])
    let report = FindingReport.json(plan.failedFiles, relativeTo: project.root)
    #expect(report.contains("gen4.yaml") && report.contains("gen7.json") && report.contains("merge-failure"))
  }

  @Test func theStreamedJSONIsTheWholeDocumentsText() throws {
    let project = try ExportStreamingTests().projectWithHistory(slices: 60)
    defer { project.remove() }
    let plan = try EmbeddedEngine.plan(root: project.root)
    #expect(plan.succeeded && plan.stores.count == 2)
    let withEmpty = plan.stores + [PlanReport.StorePlans(store: "empty", plans: [])]
    for stores in [plan.stores, withEmpty, [], Array(plan.stores.prefix(1))] {
      var bytes: [UInt8] = []
      var chunks = 0
      PlanReport.writeJSON(stores, chunkSize: 2048) { chunk in
        bytes += chunk
        chunks += 1
      }
      #expect(String(decoding: bytes, as: UTF8.self) == PlanReport.json(stores))
      if !stores.isEmpty { #expect(chunks > 1, "a large plan goes out in chunks") }
    }
  }
}
