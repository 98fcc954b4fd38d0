import Foundation
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceStore

/// `slicels plan` reports the merges the next sync cannot make from the plans it merged
/// already, merging again only the slices a failing file kept out of the plans.
@Suite struct PlanFailedMergesTests {
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
}
