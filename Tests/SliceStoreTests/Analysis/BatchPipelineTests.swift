import Foundation
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceStore

/// The batch pipeline: each mode reads only what it needs, on every core, dropping each file's
/// tree once its findings and slice data are taken, with the output of a sequential run.
@Suite struct BatchPipelineTests {
  /// The paths a reader opened, in any order.
  final class OpenedPaths: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [String] = []

    func record(_ path: String) { lock.withLock { paths.append(path) } }
    var all: [String] { lock.withLock { paths } }
    func opened(under folder: URL) -> [String] {
      let prefix = folder.standardizedFileURL.path + "/"
      return all.filter { $0.hasPrefix(prefix) }
    }
  }

  func recordingReader(_ opened: OpenedPaths) -> FileReader {
    FileReader { path in
      opened.record(path)
      return FileReader.systemOpen(path)
    }
  }

  /// The example project with `count` more vlans slices, synced once, then every third YAML one
  /// edited (a port removed: a purged element) and left pending.
  func generatedProject(slices count: Int, _ name: String = #function) throws -> TemporaryProject {
    let project = try TemporaryProject.example(name)
    for index in 0..<count {
      let ports = (0..<(index % 5 + 1)).map { "  - {switch: sw\(index % 3), port: \($0 + 1)}" }.joined(separator: "\n")
      let format = index % 2 == 0 ? "yaml" : "json"
      if format == "yaml" {
        try project.write("files/vlans/gen\(index).yaml", "site: s\(index % 7)\nvlan_id: \(100 + index)\nname: gen\(index)\nports:\n\(ports)\n")
      } else {
        let items = (0..<(index % 5 + 1)).map { "{\"switch\": \"sw\(index % 3)\", \"port\": \($0 + 1)}" }.joined(separator: ", ")
        try project.write(
          "files/vlans/gen\(index).json", "{\"site\": \"s\(index % 7)\", \"vlan_id\": \(100 + index), \"name\": \"gen\(index)\", \"ports\": [\(items)]}")
      }
    }
    let sync = try EmbeddedEngine.run(mode: .sync, root: project.root)
    try #require(sync.succeeded, "\(sync.failedFiles.map(\.findings))")
    for index in stride(from: 0, to: count, by: 6) where index % 5 > 0 {
      try project.write("files/vlans/gen\(index).yaml", "site: s\(index % 7)\nvlan_id: \(100 + index)\nname: gen\(index)\nports:\n  - {switch: sw\(index % 3), port: 1}\n")
    }
    return project
  }

  func checkReport(_ analysis: ProjectAnalysis) -> String {
    let reported = analysis.findings.sorted { $0.key.path < $1.key.path }.compactMap { url, findings in
      findings.isEmpty ? nil : ReportedFile(file: url, document: analysis.files[url]?.document ?? TextDocument(bytes: []), findings: findings)
    }
    return FindingReport.json(reported, relativeTo: analysis.root)
  }

  @Test func exportReadsNoSourceFile() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    // The reference's export never reads the sources: a broken one does not fail it.
    try project.write("files/vlans/broken.yaml", "site: [\n")
    let opened = OpenedPaths()
    let outcome = try EmbeddedEngine.run(mode: .export, root: project.root, fileReader: recordingReader(opened))
    #expect(outcome.succeeded, "\(outcome.failedFiles.map(\.findings))")
    #expect(opened.opened(under: project.url("files/vlans")).isEmpty, "\(opened.all)")
    #expect(opened.opened(under: project.url("files/fs")).isEmpty, "\(opened.all)")
    #expect(!opened.opened(under: project.url("git_ops/active/vlans")).isEmpty)
  }

  @Test func checkWithoutHintsReadsNoActiveFileUnlessNamed() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let opened = OpenedPaths()
    let options = ProjectAnalysis.Options(
      compileHints: false, computePlans: false, fileReader: recordingReader(opened), sourceFiles: .findingsOnly,
      activeFiles: .skipped)
    let analysis = ProjectAnalysis.analyze(root: project.root, options: options)
    #expect(opened.opened(under: project.url("git_ops/active")).isEmpty, "\(opened.all)")
    #expect(!opened.opened(under: project.url("files/vlans")).isEmpty)
    #expect(analysis.files.keys.allSatisfy { !$0.path.contains("/git_ops/") })

    let named = project.url("git_ops/active/vlans/lab@v2.json").standardizedFileURL
    let shownOptions = ProjectAnalysis.Options(
      compileHints: false, computePlans: false, sourceFiles: .findingsOnly, activeFiles: .skipped,
      shownFiles: { $0 == named })
    let shown = ProjectAnalysis.analyze(root: project.root, options: shownOptions)
    #expect(shown.files[named] != nil)
    #expect(shown.files.keys.filter { $0.path.contains("/git_ops/") }.count == 1)
  }

  @Test func hintsReadEveryFileWhole() {
    let options = ProjectAnalysis.Options(compileHints: true, sourceFiles: .findingsOnly, activeFiles: .skipped)
    #expect(options.sourceFiles == .whole && options.activeFiles == .whole)
    let plans = ProjectAnalysis.Options(compileHints: false, computePlans: true, activeFiles: .skipped)
    #expect(plans.activeFiles == .findingsAndData, "a plan needs the active versions' data")
    let checkPlans = ProjectAnalysis.Options(compileHints: false, computePlans: true, sourceFiles: .findingsOnly)
    #expect(checkPlans.sourceFiles == .findingsAndData)
  }

  @Test func findingsReadingsKeepTheFindingsAndDropTheTrees() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write(
      "files/vlans/voice.yml",
      "site: bru\nvlan_id: 40\nname: voice\nports:\n  - {switch: sw1, port: 1}\n  - {switch: sw1, port: 1, tagged: true}\n")
    try project.write("files/vlans/wrong.yaml", "site: bru\nvlan_id: nine\nname: wrong\n")
    try project.write("git_ops/active/vlans/broken@v1.json", "{\"site\": ")
    let whole = ProjectAnalysis.analyze(root: project.root, options: .init(compileHints: false, computePlans: false))
    let slim = ProjectAnalysis.analyze(
      root: project.root,
      options: .init(compileHints: false, computePlans: false, sourceFiles: .findingsAndData, activeFiles: .findingsAndData))
    let findingsOnly = ProjectAnalysis.analyze(
      root: project.root,
      options: .init(compileHints: false, computePlans: false, sourceFiles: .findingsOnly, activeFiles: .findingsOnly))
    #expect(checkReport(findingsOnly) == checkReport(whole))
    #expect(findingsOnly.stores.allSatisfy { $0.snapshot.sources.isEmpty && $0.snapshot.active.isEmpty })
    #expect(findingsOnly.stores.map(\.failedSlices) == whole.stores.map(\.failedSlices))
    #expect(checkReport(slim) == checkReport(whole))
    #expect(slim.findings[project.url("files/vlans/voice.yml").standardizedFileURL]?.contains { $0.code == "identity-collision" } == true)
    for (url, file) in slim.files {
      #expect(!file.keepsContents && file.tree.root == nil, "\(url.path)")
      #expect(file.readErrors.validated.map(\.code) == whole.files[url]?.readErrors.validated.map(\.code), "\(url.path)")
      // A document stays only where findings need its positions.
      let expected = file.findings.isEmpty ? [] : whole.files[url]?.document.bytes
      #expect(file.document.bytes == expected, "\(url.path)")
    }
    let clean = try #require(slim.files[project.url("files/vlans/office.yaml").standardizedFileURL])
    #expect(clean.findings.isEmpty && clean.document.bytes.isEmpty)
    #expect(slim.stores.map { $0.snapshot.active.count } == whole.stores.map { $0.snapshot.active.count })
    #expect(slim.stores.map(\.failedSlices) == whole.stores.map(\.failedSlices))
  }

  @Test func theParallelPipelineGivesTheSequentialOutput() throws {
    let project = try generatedProject(slices: 200)
    defer { project.remove() }
    try project.write("files/vlans/zbroken.yaml", "site: [\n")
    try project.write("files/vlans/zwrong.yaml", "site: bru\nvlan_id: nine\nname: zwrong\n")

    let checkOptions = { (workers: Int) in
      ProjectAnalysis.Options(
        compileHints: false, computePlans: false, sourceFiles: .findingsOnly, activeFiles: .skipped, workers: workers)
    }
    let sequentialCheck = checkReport(ProjectAnalysis.analyze(root: project.root, options: checkOptions(1)))
    let parallelCheck = checkReport(ProjectAnalysis.analyze(root: project.root, options: checkOptions(4)))
    #expect(sequentialCheck.contains("zbroken.yaml") && sequentialCheck.contains("zwrong.yaml"))
    #expect(parallelCheck == sequentialCheck)

    let hinted = { (workers: Int) in ProjectAnalysis.Options(workers: workers) }
    #expect(
      checkReport(ProjectAnalysis.analyze(root: project.root, options: hinted(4)))
        == checkReport(ProjectAnalysis.analyze(root: project.root, options: hinted(1))))

    let sequential = try EmbeddedEngine.run(mode: .export, root: project.root, workers: 1)
    let parallel = try EmbeddedEngine.run(mode: .export, root: project.root, workers: 4)
    #expect(sequential.succeeded && sequential.exportedSlices.count > 200)
    #expect(ExportReport.json(parallel.exportedSlices) == ExportReport.json(sequential.exportedSlices))

    let dryRun = { (workers: Int) throws in
      try EmbeddedEngine.run(mode: .sync, root: project.root, dryRun: true, workers: workers)
    }
    let sequentialSync = try dryRun(1)
    let parallelSync = try dryRun(4)
    #expect(!sequentialSync.succeeded, "the broken sources fail the sync")
    #expect(
      FindingReport.json(parallelSync.failedFiles, relativeTo: project.root)
        == FindingReport.json(sequentialSync.failedFiles, relativeTo: project.root))
  }

  @Test func theWorkQueueRunsEveryJobOnceOnAtMostItsWorkers() {
    let count = 1000
    let slots = ResultSlots<Int>(count: count)
    let running = RunningJobs()
    BoundedWorkQueue.run(count: count, workers: 3) { index in
      running.enter()
      slots.set(index, index * 2)
      running.leave()
    }
    #expect(slots.values() == (0..<count).map { $0 * 2 })
    #expect(running.peak <= 3)
    BoundedWorkQueue.run(count: 0, workers: 3) { _ in Issue.record("no job to run") }
  }

  @Test(arguments: [1, 2, 3])
  func theOrderedPipelineUsesEveryResultOnceInOrderWithinItsWindow(workers: Int) {
    let count = 500
    let window = 4
    let running = RunningJobs()
    let started = RunningJobs()
    var used: [Int] = []
    var usingNow = 0
    var overlapped = false
    OrderedPipeline.run(count: count, window: window, workers: workers) { index in
      running.enter()
      started.enter()  // left when used: started and not yet used
      defer { running.leave() }
      return index * 3
    } use: { result in
      usingNow += 1
      if usingNow > 1 { overlapped = true }
      used.append(result)
      usingNow -= 1
      started.leave()
    }
    #expect(used == (0..<count).map { $0 * 3 })
    #expect(!overlapped)
    #expect(running.peak <= workers)
    #expect(started.peak <= window)
    OrderedPipeline.run(count: 0, window: window, workers: workers) { _ in
      Issue.record("no job to run")
    } use: { _ in Issue.record("nothing to use") }
  }

  final class RunningJobs: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0
    private(set) var peak = 0
    func enter() { lock.withLock { now += 1; peak = max(peak, now) } }
    func leave() { lock.withLock { now -= 1 } }
  }
}
