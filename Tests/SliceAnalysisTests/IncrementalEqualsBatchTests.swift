import Foundation
import SliceAnalysis
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// A copy of the example project in a temporary folder, with the editor's buffers beside it.
final class ProjectSandbox {
  let root: URL
  var buffers: [URL: [UInt8]] = [:]

  static let example = TestPackage.exampleProject

  init() throws {
    root = FileManager.default.temporaryDirectory
      .appendingPathComponent("slicels-incremental-\(UUID().uuidString)", isDirectory: true).standardizedFileURL
    let manager = FileManager.default
    try manager.createDirectory(at: root, withIntermediateDirectories: true)
    for name in try manager.contentsOfDirectory(atPath: Self.example.path) where name != "libs" {
      try manager.copyItem(at: Self.example.appendingPathComponent(name), to: root.appendingPathComponent(name))
    }
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  func url(_ relative: String) -> URL { root.appendingPathComponent(relative).standardizedFileURL }

  func disk(_ url: URL) -> [UInt8]? { FileManager.default.contents(atPath: url.path).map { Array($0) } }

  /// The slice files of both stores, source and active.
  func sliceFiles() -> [URL] {
    var found: [URL] = []
    for folder in ["files/vlans", "files/fs", "git_ops/active/vlans", "git_ops/active/fs"] {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: url(folder).path)) ?? []
      found += names.filter { !$0.hasPrefix(".") }.sorted().map { url(folder + "/" + $0) }
    }
    return found
  }

  /// The batch analysis of the same inputs: what the CLI reports.
  func batchFindings(compileHints: Bool) -> [URL: [Finding]] {
    let analysis = ProjectAnalysis.analyze(
      root: root, contents: buffers,
      options: ProjectAnalysis.Options(compileHints: compileHints, extraFiles: buffers.keys.sorted { $0.path < $1.path }))
    return analysis.findings.filter { !$0.value.isEmpty }
  }
}

/// A deterministic generator (SplitMix64), so a failing sequence can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Text edits a user (or a careless tool) makes: some keep the slice valid, some break it.
enum Mutation {
  static func apply(_ bytes: [UInt8], using random: inout SeededGenerator) -> [UInt8] {
    var lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n")
    switch Int.random(in: 0..<7, using: &random) {
    case 0:
      lines.append("# a comment \(Int.random(in: 0..<100, using: &random))")
    case 1:
      lines.insert("extra_\(Int.random(in: 0..<5, using: &random)): 1", at: min(lines.count, 1))
    case 2 where lines.count > 2:
      lines.remove(at: Int.random(in: 1..<lines.count, using: &random))
    case 3 where !lines.isEmpty:
      let index = Int.random(in: 0..<lines.count, using: &random)
      lines.insert(lines[index], at: index)
    case 4:
      let text = lines.joined(separator: "\n")
      let digits = text.indices.filter { text[$0].isNumber }
      guard let position = digits.randomElement(using: &random) else { break }
      var changed = text
      changed.replaceSubrange(position...position, with: String(Int.random(in: 0..<10, using: &random)))
      return Array(changed.utf8)
    case 5:
      lines.append("ports: [")
    default:
      lines = lines.map { $0.replacingOccurrences(of: "\r", with: "") }
    }
    return Array(lines.joined(separator: "\n").utf8)
  }
}

@Suite struct IncrementalEqualsBatchTests {
  /// The property of issue 9: whatever the sequence of edits, buffers, saves and changes on disk,
  /// the incremental analysis reports exactly what a batch analysis of the same inputs reports.
  @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
  func randomEditSequences(seed: UInt64) async throws {
    let sandbox = try ProjectSandbox()
    var random = SeededGenerator(state: seed)
    let host = AnalysisHost(readCacheBytes: seed % 2 == 0 ? 1 << 20 : 2048)
    let compileHints = seed % 3 != 0
    _ = await host.update(root: sandbox.root, buffers: [:], compileHints: compileHints)
    try await drain(host, sandbox.root)
    try await expectSame(host, sandbox, compileHints: compileHints, step: "start")

    for step in 0..<40 {
      let files = sandbox.sliceFiles()
      var diskChanges: [URL] = []
      let action = Int.random(in: 0..<8, using: &random)
      switch action {
      case 0, 1, 2:
        // Type in a buffer (opening the file if it was closed).
        guard let file = files.randomElement(using: &random) else { continue }
        let current = sandbox.buffers[file] ?? sandbox.disk(file) ?? []
        sandbox.buffers[file] = Mutation.apply(current, using: &random)
      case 3:
        // Close a buffer without saving.
        guard let file = sandbox.buffers.keys.sorted(by: { $0.path < $1.path }).randomElement(using: &random) else { continue }
        sandbox.buffers[file] = nil
      case 4:
        // Save a buffer.
        guard let file = sandbox.buffers.keys.sorted(by: { $0.path < $1.path }).randomElement(using: &random),
          let bytes = sandbox.buffers[file]
        else { continue }
        try Data(bytes).write(to: file)
        diskChanges.append(file)
      case 5:
        // A tool rewrites a closed file on disk (a git checkout, a sync from a shell).
        guard let file = files.filter({ sandbox.buffers[$0] == nil }).randomElement(using: &random), let bytes = sandbox.disk(file)
        else { continue }
        try Data(Mutation.apply(bytes, using: &random)).write(to: file)
        diskChanges.append(file)
      case 6:
        // A file is created or deleted on disk.
        if Bool.random(using: &random), let file = files.filter({ sandbox.buffers[$0] == nil }).randomElement(using: &random) {
          try FileManager.default.removeItem(at: file)
          diskChanges.append(file)
        } else if let template = files.randomElement(using: &random), let bytes = sandbox.disk(template) {
          let name = ["copy.yaml", "copy.json", "lab.yaml", "copy@v1.json"].randomElement(using: &random) ?? "copy.yaml"
          let target = template.deletingLastPathComponent().appendingPathComponent(name)
          try Data(bytes).write(to: target)
          diskChanges.append(target)
        }
      default:
        // A new file that exists only as an unsaved buffer.
        let folder = ["files/vlans", "files/fs", "files"].randomElement(using: &random) ?? "files/vlans"
        let target = sandbox.url(folder + "/unsaved-\(step % 3).yaml")
        if let template = files.randomElement(using: &random), let bytes = sandbox.disk(template) {
          sandbox.buffers[target] = bytes
        }
      }
      _ = await host.update(root: sandbox.root, buffers: sandbox.buffers, diskChanges: diskChanges, compileHints: compileHints)
      try await drain(host, sandbox.root)
      try await expectSame(host, sandbox, compileHints: compileHints, step: "seed \(seed) step \(step) action \(action)")
    }
  }

  func drain(_ host: AnalysisHost, _ root: URL) async throws {
    for _ in 0..<10_000 {
      let update = await host.analyseBackground(root: root, limit: 3)
      if update.remainingSlices == 0 { return }
    }
    Issue.record("the background analysis did not finish")
  }

  func expectSame(_ host: AnalysisHost, _ sandbox: ProjectSandbox, compileHints: Bool, step: String) async throws {
    let incremental = await host.allFindings(root: sandbox.root)
    let batch = sandbox.batchFindings(compileHints: compileHints)
    let files = Set(incremental.keys).union(batch.keys).sorted { $0.path < $1.path }
    for file in files where incremental[file] != batch[file] {
      Issue.record(
        """
        \(step): \(file.lastPathComponent) differs
        incremental: \((incremental[file] ?? []).map { "\($0.code)@\($0.range)" })
        batch:       \((batch[file] ?? []).map { "\($0.code)@\($0.range)" })
        """)
    }
    #expect(await host.problems(root: sandbox.root) == ProjectAnalysis.analyze(root: sandbox.root, contents: sandbox.buffers).problems)
  }
}

@Suite struct EmptiedStoreIncrementalTests {
  /// Removing a store's last source file (a folder moved away) warns that a sync would delete
  /// the store, as `check` does; putting one back takes the warning away.
  @Test func theLastSourceGoingAndComingBackIsSeenAsCheckSeesIt() async throws {
    let sandbox = try ProjectSandbox()
    let host = AnalysisHost()
    let batch = IncrementalEqualsBatchTests()
    _ = await host.update(root: sandbox.root, buffers: [:], compileHints: false)
    try await batch.drain(host, sandbox.root)
    let folder = sandbox.url("files/vlans")
    let sources = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { folder.appendingPathComponent($0) }
    let saved = sources.map { sandbox.disk($0) ?? [] }
    try FileManager.default.removeItem(at: folder)
    _ = await host.update(root: sandbox.root, buffers: [:], diskChanges: sources + [folder], compileHints: false)
    try await batch.drain(host, sandbox.root)
    let warned = await host.allFindings(root: sandbox.root)
    // A folder's URL may carry a trailing slash: compare paths.
    #expect(warned.first { $0.key.path == folder.path }?.value.map(\.code) == [FindingCode.storeSourcesMissing.rawValue])
    try await batch.expectSame(host, sandbox, compileHints: false, step: "folder removed")

    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    try Data(saved[0]).write(to: sources[0])
    _ = await host.update(root: sandbox.root, buffers: [:], diskChanges: [folder, sources[0]], compileHints: false)
    try await batch.drain(host, sandbox.root)
    #expect(await host.allFindings(root: sandbox.root).first { $0.key.path == folder.path } == nil)
    try await batch.expectSame(host, sandbox, compileHints: false, step: "one source back")
  }
}
