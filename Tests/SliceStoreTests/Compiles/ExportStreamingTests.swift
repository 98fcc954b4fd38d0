import Foundation
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceStore

/// `slicels export` reads, merges and writes its slices a group at a time: the same bytes and
/// failures as merging the whole view first, with a bounded number of slices alive at once.
@Suite struct ExportStreamingTests {
  /// A generated project whose active store has a history: two syncs with edits between them,
  /// and edits left pending.
  func projectWithHistory(slices: Int, _ name: String = #function) throws -> TemporaryProject {
    let project = try BatchPipelineTests().generatedProject(slices: slices, name)
    let second = try EmbeddedEngine.run(mode: .sync, root: project.root)
    try #require(second.succeeded)
    for index in stride(from: 1, to: slices, by: 10) where index % 2 == 1 {
      try project.write(
        "files/vlans/gen\(index).json", "{\"site\": \"s1\", \"vlan_id\": \(100 + index), \"name\": \"gen\(index)\", \"ports\": []}")
    }
    return project
  }

  /// The whole view's output, as export wrote it before it streamed.
  func wholeViewOutput(_ root: URL, format: ExportStream.Format, slices: [String]? = nil) throws -> (CompileOutcome, [UInt8]) {
    let outcome = try EmbeddedEngine.run(mode: .export, root: root, slices: slices)
    var bytes: [UInt8] = []
    var stream = ExportStream(format: format) { bytes += $0 }
    for slice in outcome.exportedSlices { try stream.append(slice) }
    stream.finish()
    return (outcome, bytes)
  }

  func streamedOutput(
    _ root: URL, format: ExportStream.Format, groupSize: Int = 8, slices: [String]? = nil, probe: LiveSliceProbe? = nil,
    memoryLimit: Int = 4096
  ) throws -> (CompileOutcome, [UInt8]) {
    let streaming = ExportStreaming(
      format: format, groupSize: groupSize, spool: ByteSpool(memoryLimit: memoryLimit), probe: probe)
    let outcome = try EmbeddedEngine.run(mode: .export, root: root, slices: slices, export: streaming)
    var bytes: [UInt8] = []
    outcome.streamedExport?.spool.copy(chunkSize: 1000) { bytes += $0 }
    return (outcome, bytes)
  }

  func activePath(_ project: TemporaryProject, store: String, file: String) throws -> String {
    let analysis = ProjectAnalysis.analyze(root: project.root, options: ProjectAnalysis.Options(compileHints: false))
    let folder = try #require(analysis.store(named: store)).folders.activeFolder
    return (folder as NSString).appendingPathComponent(file)
  }

  @Test func theStreamedOutputIsTheWholeViewsOutput() throws {
    let project = try projectWithHistory(slices: 120)
    defer { project.remove() }
    for format in [ExportStream.Format.json, .text(TerminalStyle(colored: false)), .text(TerminalStyle(colored: true))] {
      let (whole, expected) = try wholeViewOutput(project.root, format: format)
      #expect(whole.succeeded && whole.exportedSlices.count > 120)
      let probe = LiveSliceProbe()
      let (streamed, bytes) = try streamedOutput(project.root, format: format, probe: probe)
      #expect(streamed.succeeded && streamed.views.isEmpty)
      #expect(streamed.streamedExport?.spool.isOnDisk == true, "the output outgrew the spool's memory")
      #expect(bytes == expected)
      #expect(streamed.changes == whole.changes)
      #expect(probe.live == 0)
      #expect(probe.highWater >= 1 && probe.highWater <= 8, "at most one group of slices is alive at once")
    }
    let selected = ["gen3", "gen10", "gen40"]
    let (_, expected) = try wholeViewOutput(project.root, format: .json, slices: selected)
    let (_, bytes) = try streamedOutput(project.root, format: .json, slices: selected)
    #expect(bytes == expected)
  }

  @Test func aFailingActiveFileOrMergeFailsTheStreamedExportLikeTheWholeOne() throws {
    let project = try projectWithHistory(slices: 30)
    defer { project.remove() }
    // A deleted version between two live ones: the reference's fold fails (KeyError 'ports').
    let live = try #require(FileManager.default.contents(atPath: try activePath(project, store: "vlans", file: "gen4@v1.json")))
    try Data("{}".utf8).write(to: URL(fileURLWithPath: try activePath(project, store: "vlans", file: "gen4@v5.json")))
    try live.write(to: URL(fileURLWithPath: try activePath(project, store: "vlans", file: "gen4@v6.json")))
    try Data("{\"site\": ".utf8).write(to: URL(fileURLWithPath: try activePath(project, store: "vlans", file: "gen7@v9.json")))

    let (whole, _) = try wholeViewOutput(project.root, format: .json)
    let (streamed, bytes) = try streamedOutput(project.root, format: .json, groupSize: 3)
    #expect(!whole.succeeded && !streamed.succeeded)
    #expect(streamed.streamedExport == nil && bytes.isEmpty, "nothing is printed of a failing export")
    let report = { (outcome: CompileOutcome) in FindingReport.json(outcome.failedFiles, relativeTo: project.root) }
    #expect(report(streamed) == report(whole))
    #expect(report(streamed).contains("merge-failure") && report(streamed).contains("gen7@v9.json"))
    #expect(streamed.problems == whole.problems)
  }

  @Test func aSpoolThatCannotMakeItsFileKeepsTheOutputInMemory() {
    let spool = ByteSpool(memoryLimit: 4, folder: "/nonexistent-folder-of-slicels")
    spool.append(Array("0123".utf8))
    spool.append(Array("456789".utf8))
    spool.append(Array("ab".utf8))
    var bytes: [UInt8] = []
    spool.copy(chunkSize: 3) { bytes += $0 }
    #expect(!spool.isOnDisk)
    #expect(String(decoding: bytes, as: UTF8.self) == "0123456789ab")
  }
}
