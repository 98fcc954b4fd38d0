import Foundation
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceStore

/// `slicels update` and `sync` read, check, merge and render their slices a group at a time:
/// the same files written, reports and failures as compiling from the whole analysis, with a
/// bounded number of slices alive at once and every file read once.
@Suite struct CompileStreamingTests {
  /// A generated project (see `BatchPipelineTests.generatedProject`) with more to update: a
  /// file to normalise, a dropped key, a near miss, a deleted slice and a new one.
  func pendingProject(slices: Int, _ name: String = #function) throws -> TemporaryProject {
    let project = try BatchPipelineTests().generatedProject(slices: slices, name)
    try project.write("files/vlans/gen1.json", "{\"name\": \"gen1\", \"site\": \"s1\", \"vlan_id\": 101, \"ports\": []}")
    try project.write("files/vlans/gen3.json", "{\"site\": \"s3\", \"vlan_id\": 103, \"name\": \"gen3\", \"ports\": [], \"colour\": \"red\"}")
    try project.write("files/vlans/gen5.json", "{\"site\": \"s5\", \"vlan_id\": 105, \"name\": \"gen5\", \"port\": [], \"ports\": []}")
    try project.write("files/vlans/gen7.json", "{}")
    try project.write("files/vlans/fresh.yaml", "# a new vlan\nsite: s9\nvlan_id: 999\nname: fresh\nports: []\n")
    return project
  }

  /// Every file under `root` (hidden ones too), by relative path.
  func files(under root: URL) -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    let base = root.standardizedFileURL.path + "/"
    guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return files }
    while let relative = enumerator.nextObject() as? String {
      let path = base + relative
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
      files[relative] = FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
    }
    return files
  }

  /// What a compile reports, with the project's own path taken out.
  func report(_ outcome: CompileOutcome, root: URL) -> String {
    let relative = { (path: String) in path.replacingOccurrences(of: root.standardizedFileURL.path, with: "<root>") }
    var lines = [
      "succeeded \(outcome.succeeded)",
      "failed " + FindingReport.json(outcome.failedFiles, relativeTo: root),
      "reviews " + FindingReport.json(outcome.reviews, relativeTo: root),
    ]
    lines += outcome.problems.map { "problem " + relative($0) }
    lines += outcome.changes.map { "change \($0.kind.rawValue) " + relative($0.path) }
    lines += outcome.heldFiles.map { "held " + relative($0) }
    lines += outcome.notes.map { "note " + relative($0) }
    for write in outcome.plannedWrites {
      lines.append("planned \(relative(write.path)) \(write.before.map { $0.count } ?? -1) → \(write.after ?? [])")
    }
    return lines.joined(separator: "\n")
  }

  /// Runs the compile on a copy of `project` from the whole analysis and on another copy
  /// streamed, and expects the same outcome and files; returns the streamed outcome.
  @discardableResult
  func expectSameAsWhole(
    _ mode: CompileMode, _ project: TemporaryProject, slices: [String]? = nil, style: CompileStyle = .preserve,
    nearMisses: UpdateReview.NearMissPolicy = .hold, dryRun: Bool = false, groupSize: Int = 4, spoolMemory: Int = 256,
    probe: LiveSliceProbe? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> CompileOutcome {
    let whole = try TemporaryProject.copy(of: project.root)
    let streamed = try TemporaryProject.copy(of: project.root)
    defer {
      whole.remove()
      streamed.remove()
    }
    let wholeOutcome = try EmbeddedEngine.run(
      mode: mode, root: whole.root, slices: slices, style: style, nearMisses: nearMisses, dryRun: dryRun,
      compileStreaming: nil)
    let streaming = CompileStreaming(groupSize: groupSize, spool: ByteSpool(memoryLimit: spoolMemory), probe: probe)
    let streamedOutcome = try EmbeddedEngine.run(
      mode: mode, root: streamed.root, slices: slices, style: style, nearMisses: nearMisses, dryRun: dryRun,
      compileStreaming: streaming)
    #expect(report(streamedOutcome, root: streamed.root) == report(wholeOutcome, root: whole.root), sourceLocation: sourceLocation)
    #expect(files(under: streamed.root) == files(under: whole.root), sourceLocation: sourceLocation)
    if streamedOutcome.changes.count > 5 {
      #expect(streaming.spool.isOnDisk, "the new bytes outgrew the spool's memory", sourceLocation: sourceLocation)
    }
    return streamedOutcome
  }

  @Test func streamedUpdatesWriteAndReportWhatTheWholeCompileDoes() throws {
    let project = try pendingProject(slices: 40)
    defer { project.remove() }
    let held = try expectSameAsWhole(.update, project)
    #expect(held.succeeded && !held.reviews.isEmpty && held.heldFiles.count == 1, "\(held.problems)")
    #expect(held.changes.count > 10, "\(held.changes)")
    try expectSameAsWhole(.update, project, nearMisses: .drop)
    try expectSameAsWhole(.update, project, style: .reference, nearMisses: .drop, groupSize: 1)
    try expectSameAsWhole(.update, project, nearMisses: .drop, dryRun: true, groupSize: 64)
    try expectSameAsWhole(.update, project, slices: ["gen3", "gen7", "fresh"], nearMisses: .drop)
  }

  @Test func streamedSyncsWriteAndReportWhatTheWholeCompileDoes() throws {
    let project = try pendingProject(slices: 40)
    defer { project.remove() }
    let synced = try expectSameAsWhole(.sync, project)
    #expect(synced.succeeded && synced.changes.contains { $0.kind == .created }, "\(synced.problems)")
    try expectSameAsWhole(.sync, project, dryRun: true)
    try expectSameAsWhole(.sync, project, slices: ["gen6", "fresh"], groupSize: 1)
    // Synced once: the next sync rewrites nothing.
    _ = try EmbeddedEngine.run(mode: .sync, root: project.root)
    let again = try expectSameAsWhole(.sync, project)
    #expect(again.succeeded && again.changes.isEmpty, "\(again.changes)")
  }

  @Test func aFailingFileOrMergeWritesNothingLikeTheWholeCompile() throws {
    let project = try pendingProject(slices: 30)
    defer { project.remove() }
    try project.write("files/vlans/gen20.yaml", "site: [\n")
    // A deleted version between two live ones: the reference's fold fails (KeyError 'ports').
    let active = project.url("git_ops/active/vlans")
    let live = try #require(FileManager.default.contents(atPath: active.appendingPathComponent("gen4@v1.json").path))
    try Data("{}".utf8).write(to: active.appendingPathComponent("gen4@v5.json"))
    try live.write(to: active.appendingPathComponent("gen4@v6.json"))
    let before = files(under: project.root)
    for mode in [CompileMode.update, .sync] {
      let outcome = try expectSameAsWhole(mode, project)
      #expect(!outcome.succeeded && outcome.changes.isEmpty)
      let failures = FindingReport.json(outcome.failedFiles, relativeTo: project.root)
      #expect(failures.contains("gen20.yaml") && failures.contains("merge-failure"), "\(failures)")
    }
    #expect(files(under: project.root) == before)
  }

  @Test func atMostOneGroupOfSlicesIsAliveAtOnce() throws {
    let project = try pendingProject(slices: 60)
    defer { project.remove() }
    for mode in [CompileMode.update, .sync] {
      let probe = LiveSliceProbe()
      let outcome = try expectSameAsWhole(mode, project, nearMisses: .drop, groupSize: 5, probe: probe)
      #expect(outcome.succeeded)
      #expect(probe.live == 0)
      #expect(probe.highWater >= 1 && probe.highWater <= 5, "\(mode): \(probe.highWater) slices alive at once")
    }
  }

  @Test func eachFileIsReadOnceAndOnlyChangedFilesOfTheSameSizeAreComparedAgain() throws {
    let project = try pendingProject(slices: 30)
    defer { project.remove() }
    for mode in [CompileMode.update, .sync] {
      let copy = try TemporaryProject.copy(of: project.root)
      defer { copy.remove() }
      let opened = BatchPipelineTests.OpenedPaths()
      let fileSystem = ComparingFileSystem()
      let outcome = try EmbeddedEngine.run(
        mode: mode, root: copy.root, fileReader: BatchPipelineTests().recordingReader(opened), fileSystem: fileSystem,
        nearMisses: .drop)
      #expect(outcome.succeeded && !outcome.changes.isEmpty)
      let sliceFiles = opened.opened(under: copy.url("files/vlans")) + opened.opened(under: copy.url("git_ops/active"))
      #expect(!sliceFiles.isEmpty)
      #expect(Set(sliceFiles).count == sliceFiles.count, "\(mode): a slice file read twice")
      #expect(fileSystem.compared.isEmpty, "\(mode): read again at the commit: \(fileSystem.compared)")
    }
  }

  /// The plan as `slicels plan` prints it (text and JSON), with its failures.
  func planReport(_ plan: EmbeddedEngine.PlanOutcome, root: URL) -> String {
    var json: [UInt8] = []
    PlanReport.writeJSON(plan.stores) { json += $0 }
    return [
      PlanReport.text(plan.stores, style: TerminalStyle(colored: false)), String(decoding: json, as: UTF8.self),
      FindingReport.json(plan.failedFiles, relativeTo: root),
    ].joined(separator: "\n") + plan.problems.joined(separator: "\n")
  }

  @Test func streamedPlansAreTheWholeAnalysisPlans() throws {
    let project = try pendingProject(slices: 40)
    defer { project.remove() }
    // An element removed in an active version (a pending purge) and a sync pending on top.
    _ = try EmbeddedEngine.run(mode: .sync, root: project.root)
    try project.write("files/vlans/gen12.yaml", "site: s5\nvlan_id: 112\nname: gen12\nports: []\n")
    for (slices, stores) in [(nil, nil), (["gen12", "vlans/gen3", "fresh"], nil), (nil, ["vlans"])] as [([String]?, [String]?)] {
      let whole = try EmbeddedEngine.plan(root: project.root, stores: stores, slices: slices, streaming: nil)
      let probe = LiveSliceProbe()
      let streamed = try EmbeddedEngine.plan(
        root: project.root, stores: stores, slices: slices, streaming: CompileStreaming(groupSize: 3, probe: probe))
      #expect(whole.succeeded && PlanReport.summary(whole.stores).hasChanges)
      #expect(planReport(streamed, root: project.root) == planReport(whole, root: project.root))
      #expect(probe.live == 0 && probe.highWater >= 1 && probe.highWater <= 3, "\(probe.highWater) slices alive at once")
    }
    // Files that do not load, merges that fail: the same failures, and the other slices' plans.
    try project.write("files/vlans/gen20.yaml", "site: [\n")
    let active = project.url("git_ops/active/vlans")
    let live = try #require(FileManager.default.contents(atPath: active.appendingPathComponent("gen4@v1.json").path))
    try Data("{}".utf8).write(to: active.appendingPathComponent("gen4@v5.json"))
    try live.write(to: active.appendingPathComponent("gen4@v6.json"))
    let whole = try EmbeddedEngine.plan(root: project.root, streaming: nil)
    let streamed = try EmbeddedEngine.plan(root: project.root, streaming: CompileStreaming(groupSize: 2))
    #expect(!whole.succeeded)
    #expect(planReport(streamed, root: project.root) == planReport(whole, root: project.root))
  }

  @Test func aWriteWhoseSpoolLostItsBytesFailsTheCommitBeforeAnyFileChanges() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-spool-lost-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let kept = folder.appendingPathComponent("kept.json").path
    let created = folder.appendingPathComponent("created.json").path
    try Data("old".utf8).write(to: URL(fileURLWithPath: kept))
    let spool = ByteSpool()
    let range = spool.append(Array("new".utf8))
    let transaction = FileTransaction(steps: [
      .writeSpooled(path: created, content: SpooledBytes(spool: spool, range: range)),
      .writeSpooled(path: kept, content: SpooledBytes(spool: spool, range: range.lowerBound..<range.upperBound + 5)),
    ])
    #expect(throws: FileTransactionError.self) { try transaction.commit() }
    #expect(FileManager.default.contents(atPath: kept) == Data("old".utf8))
    #expect(!FileManager.default.fileExists(atPath: created))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["kept.json"], "no temporary file left")
  }

  @Test func aSpoolGivesBackAnyRangeFromMemoryOrItsFile() throws {
    for folder in [NSTemporaryDirectory(), "/nonexistent-folder-of-slicels"] {
      let spool = ByteSpool(memoryLimit: 5, folder: folder)
      let ranges = ["0123", "456789", "", "ab"].map { spool.append(Array($0.utf8)) }
      #expect(ranges == [0..<4, 4..<10, 10..<10, 10..<12])
      #expect(spool.isOnDisk == (folder == NSTemporaryDirectory()))
      let texts = ranges.map { range in spool.bytes(in: range).map { String(decoding: $0, as: UTF8.self) } }
      #expect(texts == ["0123", "456789", "", "ab"])
      #expect(spool.bytes(in: 3..<11).map { String(decoding: $0, as: UTF8.self) } == "3456789a")
      #expect(spool.bytes(in: 10..<13) == nil, "past the end")
    }
  }
}

/// The real file system, recording the files a commit reads back to compare with new bytes.
final class ComparingFileSystem: FileSystem, @unchecked Sendable {
  private let real = PosixFileSystem()
  private let lock = NSLock()
  private var paths: [String] = []

  var compared: [String] { lock.withLock { paths } }

  func status(_ path: String) throws(FileSystemError) -> FileStatus? { try real.status(path) }
  func destinationOfLink(_ path: String) throws(FileSystemError) -> String { try real.destinationOfLink(path) }
  func contents(_ path: String) throws(FileSystemError) -> [UInt8] {
    lock.withLock { paths.append(path) }
    return try real.contents(path)
  }
  func createFile(_ path: String, bytes: [UInt8], like: FileStatus?) throws(FileSystemError) {
    try real.createFile(path, bytes: bytes, like: like)
  }
  func rename(_ path: String, to destination: String) throws(FileSystemError) { try real.rename(path, to: destination) }
  func link(_ path: String, to destination: String) throws(FileSystemError) { try real.link(path, to: destination) }
  func unlink(_ path: String) throws(FileSystemError) { try real.unlink(path) }
  func makeFolder(_ path: String) throws(FileSystemError) { try real.makeFolder(path) }
  func removeFolder(_ path: String) throws(FileSystemError) { try real.removeFolder(path) }
  func syncFolder(_ path: String) throws(FileSystemError) { try real.syncFolder(path) }
  func folderEntries(_ path: String) throws(FileSystemError) -> [String] { try real.folderEntries(path) }
  func isWritable(_ path: String) -> Bool { real.isWritable(path) }
  func processIsRunning(_ processID: Int32) -> Bool { real.processIsRunning(processID) }
  var processID: Int32 { real.processID }
}
