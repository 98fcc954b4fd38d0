import Foundation
import SliceAnalysis
import SliceSchema
import SliceStore
import SliceSyntax

/// `slicels-bench analysis`: one pass of the language server's per-change analysis of a large
/// valid slice, in process, for instruction counts under `valgrind --tool=callgrind` (immune to
/// the machine's load, unlike the LSP bench's wall times).
///
/// A copy of Examples/network-project gets the LSP bench's generated `fs` slice (files/fs/bench.yaml).
/// Every mode generates the document, loads the schema and opens the document's invalid
/// variant in an `AnalysisHost` (what an editor holds before the edit that fixes it); then:
/// - `--mode setup`: nothing more (the baseline every other count is taken against);
/// - `--mode parse`: `SliceReader` + the store's `SliceValidator` on the valid text (parse +
///   validation, the denominator of issue 9's target);
/// - `--mode host`: `AnalysisHost.update` with the valid text: what the server runs for the
///   edit that makes the slice valid (read, validation, findings, hints, the report).
/// - `--mode cpu`: the critical path, warm: the calling thread's CPU time of parse + validation
///   against the host's update (timed on the actor's executor), medians of `--runs N` (default
///   21); the work the host hands to other threads is not counted. Under callgrind, the
///   `threadCPUComparison` (parse loop) and `timedUpdate` inclusive counts of `--runs 1` and
///   `--runs 4` give the same comparison in instructions: whole-program differences between
///   modes also count the first use of the validator and background work racing the exit.
/// The cost of a mode is its count minus the setup's. Options: `--megabytes N` (default 1),
/// `--workdir DIR`, `--runs N`.
func runAnalysisBench(arguments: [String]) -> Int32 {
  var megabytes = 1.0
  var mode = "host"
  var runs = 21
  var workdir = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-bench-analysis").path
  var iterator = arguments.makeIterator()
  while let argument = iterator.next() {
    switch argument {
    case "--megabytes": megabytes = Double(iterator.next() ?? "") ?? megabytes
    case "--mode": mode = iterator.next() ?? mode
    case "--workdir": workdir = iterator.next() ?? workdir
    case "--runs": runs = max(1, Int(iterator.next() ?? "") ?? runs)
    default:
      FileHandle.standardError.write(Data("analysis bench: unknown option \(argument)\n".utf8))
      return 2
    }
  }
  guard ["setup", "parse", "host", "cpu"].contains(mode) else {
    FileHandle.standardError.write(Data("analysis bench: --mode is setup, parse, host or cpu\n".utf8))
    return 2
  }
  let project = URL(fileURLWithPath: workdir).appendingPathComponent("network-project")
  if !FileManager.default.fileExists(atPath: project.path) {
    try? FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
    do {
      try FileManager.default.copyItem(at: SchemaBench.packageRoot().appendingPathComponent("Examples/network-project"), to: project)
    } catch {
      FileHandle.standardError.write(Data("analysis bench: cannot copy the example project: \(error)\n".utf8))
      return 2
    }
  }
  let document = makeFSDocument(targetBytes: Int(megabytes * 1_000_000))
  let path = project.appendingPathComponent("files/fs/bench.yaml").standardizedFileURL
  // On disk the invalid text, as an editor's file before the fix is saved.
  guard FileManager.default.createFile(atPath: path.path, contents: Data(document.invalid)) else {
    FileHandle.standardError.write(Data("analysis bench: cannot write \(path.path)\n".utf8))
    return 2
  }
  guard let schema = usableFSSchema(project: project, bench: "analysis") else { return 2 }
  let host = AnalysisHost()
  let opened = blocking { await host.update(root: project, buffers: [path: document.invalid], compileHints: true) }
  var summary = "opened: \(opened.files.map { $0.findings.count }.reduce(0, +)) findings"
  switch mode {
  case "parse":
    let tree = SliceReader.read(document.valid, format: .yaml)
    let valid = tree.root.map { schema.validator.validate($0).isValid } ?? false
    summary += "; parse + validation: valid \(valid)"
  case "host":
    let changed = blocking { await host.update(root: project, buffers: [path: document.valid], compileHints: true) }
    let findings = changed.files.first { $0.file == path }?.findings ?? []
    summary += "; after the fix: \(findings.count) findings (\(findings.map(\.code).joined(separator: ", ")))"
  case "cpu":
    summary += "; " + threadCPUComparison(host: host, project: project, path: path, document: document, schema: schema, runs: runs)
  default:
    break
  }
  print("analysis bench, \(mode), \(format(Double(document.valid.count) / 1e6, 2)) MB: \(summary)")
  return 0
}

/// `--mode cpu`: the critical path in thread CPU time (the calling thread's only: whatever the
/// host hands to other threads, such as freeing the previous read, is not counted), medians of
/// `runs` alternations. Parse + validation of the valid text against the host's update that
/// brings the valid text after the invalid one (each timed update releases or hands over the
/// read of the invalid text, as an editor's fixing edit does).
private func threadCPUComparison(
  host: AnalysisHost, project: URL, path: URL, document: BenchDocument, schema: StoreSchema, runs: Int
) -> String {
  var parseTimes: [Double] = []
  var hostTimes: [Double] = []
  for _ in 0..<runs {
    let start = threadCPUSeconds()
    let tree = SliceReader.read(document.valid, format: .yaml)
    let valid = tree.root.map { schema.validator.validate($0).isValid } ?? false
    parseTimes.append(threadCPUSeconds() - start)
    precondition(valid, "analysis bench: the valid document does not validate")
  }
  for _ in 0..<runs {
    let valid = document.valid
    let invalid = document.invalid
    hostTimes.append(
      blocking {
        let spent = await timedUpdate(host, root: project, buffers: [path: valid])
        _ = await host.update(root: project, buffers: [path: invalid], compileHints: true)
        return spent
      })
  }
  let parse = median(parseTimes)
  let update = median(hostTimes)
  return "thread CPU medians of \(runs): parse + validation \(format(parse * 1000, 1)) ms, host update \(format(update * 1000, 1)) ms, ratio \(format(update / parse, 2))"
}

/// One update's CPU time, taken on the actor's executor: the task may resume on another thread
/// once it leaves the actor, so both clock readings are taken inside it.
private func timedUpdate(_ host: isolated AnalysisHost, root: URL, buffers: [URL: [UInt8]]) -> Double {
  let start = threadCPUSeconds()
  _ = host.update(root: root, buffers: buffers, compileHints: true)
  return threadCPUSeconds() - start
}

/// The calling thread's CPU time, in seconds.
private func threadCPUSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The example project's `fs` schema, or nil (said on standard error) when it does not load.
func usableFSSchema(project: URL, bench: String) -> StoreSchema? {
  let schema = StoreSchema.load(file: project.appendingPathComponent("files/schemas/fs.json"), projectRoot: project)
  guard schema.isUsable else {
    FileHandle.standardError.write(Data("\(bench) bench: the fs schema does not load: \(schema.findings)\n".utf8))
    return nil
  }
  return schema
}

/// Runs async work to completion from synchronous code (the bench's main thread).
private func blocking<Result: Sendable>(_ body: @escaping @Sendable () async -> Result) -> Result {
  let box = ResultBox<Result>()
  let done = DispatchSemaphore(value: 0)
  Task.detached {
    box.value = await body()
    done.signal()
  }
  done.wait()
  guard let value = box.value else { fatalError("analysis bench: no result") }
  return value
}

private final class ResultBox<Value>: @unchecked Sendable {
  var value: Value?
}
