import Foundation

/// `slicels-bench lsp --project`: the language server in projects of many slices (issue 9), through
/// the real stdio protocol of any `slicels` binary (nothing here links the engine).
///
/// For each size of `--slices` (default 10,1000,10000) bench/peers/generate_project.py makes a
/// project of that many `vlans` slices (Examples/network-project with its sources multiplied,
/// ~1 KB each, YAML and JSON, two synced versions, 2 % deleted, 5 % pending edits), cached under
/// the workdir by size, seed and the generator's own bytes. Its probe is a ~1 KB YAML slice with
/// two active versions and a pending edit (its `next-version` hint gives it diagnostics even when
/// valid: today's server publishes nothing for a clean file at didOpen). Each session starts `slicels serve` in the project's root, with the root
/// as workspace folder, as a push client (no `textDocument.diagnostic` capability), and measures:
/// - `didOpen` of the probe (sent right after `initialized`, as an editor does) → its first
///   `publishDiagnostics`;
/// - `didChange` → the `publishDiagnostics` of that version: a 4-character incremental edit that
///   toggles `mtu: dddd` ↔ `mtu: 9999` (above the schema's maximum), so the diagnostics change
///   every time; raw and minus the server's 150 ms debounce, by direction (adds the error /
///   removes it, the slice valid again);
/// - completion requested right after a `didChange` (both written back to back, no waiting):
///   latency to the response; the next round waits for that edit's diagnostics first;
/// - the server's peak RSS (`VmHWM` of /proc/PID/status) at the end of the session.
/// Sessions are repeated `--runs` times, the sizes interleaved (10, 1000, 10000, 10, ...), so that
/// load on the shared machine hits every size alike. A session over `--session-timeout` seconds is
/// killed and what it had not measured is reported as "timeout".
///
/// Options: `--slices 10,1000,10000`, `--runs N` (sessions per size, default 3), `--edits N`
/// (timed edits per session after 2 warm-up ones, default 10), `--completions N` (per session,
/// default 40), `--session-timeout S` (default 600), `--seed N` (default 9), `--python PATH`
/// (default python3, with PyYAML), `--regenerate`, `--slicels PATH`, `--workdir DIR`.
func runProjectLSPBench(arguments: [String]) -> Int32 {
  var options = ProjectBenchOptions()
  var iterator = arguments.makeIterator()
  while let argument = iterator.next() {
    switch argument {
    case "--slices": options.sizes = (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
    case "--runs": options.runs = max(1, Int(iterator.next() ?? "") ?? options.runs)
    case "--edits": options.edits = max(2, Int(iterator.next() ?? "") ?? options.edits)
    case "--completions": options.completions = max(1, Int(iterator.next() ?? "") ?? options.completions)
    case "--session-timeout": options.sessionTimeout = max(1, Double(iterator.next() ?? "") ?? options.sessionTimeout)
    case "--seed": options.seed = Int(iterator.next() ?? "") ?? options.seed
    case "--python": options.python = iterator.next() ?? options.python
    case "--regenerate": options.regenerate = true
    case "--slicels": options.slicels = iterator.next() ?? options.slicels
    case "--workdir": options.workdir = iterator.next() ?? options.workdir
    default:
      FileHandle.standardError.write(Data("lsp --project bench: unknown option \(argument)\n".utf8))
      return 2
    }
  }
  guard !options.sizes.isEmpty else {
    FileHandle.standardError.write(Data("lsp --project bench: --slices needs sizes such as 10,1000,10000\n".utf8))
    return 2
  }
  guard FileManager.default.isExecutableFile(atPath: options.slicels) else {
    FileHandle.standardError.write(
      Data("lsp --project bench: no slicels binary at \(options.slicels) (build it, or --slicels)\n".utf8))
    return 2
  }

  var projects: [Int: BenchProject] = [:]
  for size in options.sizes where projects[size] == nil {
    guard let project = BenchProject.prepare(slices: size, options: options) else { return 1 }
    projects[size] = project
  }

  var load = [0.0, 0.0, 0.0]
  getloadavg(&load, 3)
  print(
    "lsp --project benchmark: slicels \(options.slicels), load average \(load.map { format($0, 2) }.joined(separator: " ")), "
      + "\(options.runs) sessions per size, \(options.edits) edits and \(options.completions) completions per session")
  var results: [Int: ProjectSizeResults] = [:]
  for run in 1...options.runs {
    for size in options.sizes {
      guard let project = projects[size] else { continue }
      let session = measureProjectSession(project: project, options: options, run: run)
      results[size, default: ProjectSizeResults()].add(session)
      print("[\(size) slices, run \(run)] \(session.summary)")
    }
  }
  getloadavg(&load, 3)
  print("")
  for line in projectTables(sizes: options.sizes, projects: projects, results: results) { print(line) }
  print("load average at the end: \(load.map { format($0, 2) }.joined(separator: " "))")
  return 0
}

struct ProjectBenchOptions {
  var sizes = [10, 1000, 10000]
  var runs = 3
  var edits = 10
  var completions = 40
  var sessionTimeout = 600.0
  var seed = 9
  var python = "python3"
  var regenerate = false
  var slicels = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    .appendingPathComponent("slicels").path
  var workdir = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-bench-lsp-project").path
  /// The server's debounce of edits, subtracted for the "net" figures.
  let debounce = 0.150
}

// MARK: The generated project

/// A generated project and its probe: the slice the sessions open, edit and complete in.
struct BenchProject {
  let root: URL
  let slices: Int
  let sourceFiles: Int
  let sourceBytes: Int
  let activeFiles: Int
  let activeBytes: Int
  let probe: URL
  let probeText: [UInt8]
  /// The line of `mtu: dddd` and its original digits.
  let toggleLine: Int
  let originalDigits: String
  /// Where completion is asked: before a top-level key, or at the end of a line.
  let completionPositions: [(line: Int, character: Int)]

  static let invalidDigits = "9999"

  /// Generates the project, or reuses the cached one for the same size, seed and generator.
  static func prepare(slices: Int, options: ProjectBenchOptions) -> BenchProject? {
    let generator = SchemaBench.packageRoot().appendingPathComponent("bench/peers/generate_project.py")
    guard let script = FileManager.default.contents(atPath: generator.path) else {
      print("cannot read \(generator.path)")
      return nil
    }
    let key = "vlans-\(slices)-seed\(options.seed)-\(String(fnv1a(script), radix: 16))"
    let folder = URL(fileURLWithPath: options.workdir).appendingPathComponent("projects").appendingPathComponent(key)
    let root = folder.appendingPathComponent("project")
    let manifestURL = folder.appendingPathComponent("manifest.json")
    if options.regenerate || !FileManager.default.fileExists(atPath: manifestURL.path) {
      try? FileManager.default.removeItem(at: manifestURL)
      try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      print("generating \(slices) slices into \(root.path) ...")
      let start = LSPClient.now()
      let status = runProcess(
        options.python,
        [
          generator.path, "--out", root.path, "--slices", "\(slices)", "--seed", "\(options.seed)", "--stores", "vlans",
          "--probe", "--slicels", options.slicels, "--manifest", manifestURL.path,
        ])
      guard status == 0 else {
        print("generate_project.py failed (exit \(status)); it needs Python 3 with PyYAML (--python)")
        return nil
      }
      print("generated in \(format(Double(LSPClient.now() - start) / 1e9, 1)) s")
    }
    guard let data = FileManager.default.contents(atPath: manifestURL.path),
      let manifest = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
      let stats = manifest["stats"] as? [String: Any], let probePath = manifest["probe"] as? String
    else {
      print("unreadable manifest \(manifestURL.path) (--regenerate)")
      return nil
    }
    let probe = root.appendingPathComponent(probePath)
    guard let probeData = FileManager.default.contents(atPath: probe.path) else {
      print("the probe \(probe.path) is missing (--regenerate)")
      return nil
    }
    let lines = String(decoding: probeData, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    guard let toggleLine = lines.firstIndex(where: { isMTULine($0) }) else {
      print("the probe \(probe.path) has no `mtu: dddd` line (--regenerate)")
      return nil
    }
    var positions: [(line: Int, character: Int)] = []
    for (index, line) in lines.enumerated() where !line.isEmpty && !line.hasPrefix("#") && index != toggleLine {
      // ASCII text: UTF-16 offsets are byte offsets.
      if line.first != " " && line.first != "-" && line.contains(":") { positions.append((index, 0)) }
      positions.append((index, line.utf8.count))
    }
    func count(_ name: String) -> Int { stats[name] as? Int ?? 0 }
    return BenchProject(
      root: root, slices: slices, sourceFiles: count("vlans_sources") + count("fs_sources"),
      sourceBytes: count("vlans_source_bytes") + count("fs_source_bytes"),
      activeFiles: count("vlans_active") + count("fs_active"),
      activeBytes: count("vlans_active_bytes") + count("fs_active_bytes"), probe: probe, probeText: Array(probeData),
      toggleLine: toggleLine, originalDigits: String(lines[toggleLine].suffix(4)), completionPositions: positions)
  }

  static func isMTULine(_ line: Substring) -> Bool {
    line.hasPrefix("mtu: ") && line.utf8.count == 9 && line.suffix(4).allSatisfy { $0.isASCII && $0.isNumber }
  }

  /// 64-bit FNV-1a: a cache key that changes with the generator's bytes.
  static func fnv1a(_ data: Data) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in data {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }
}

/// Runs a program (found on PATH when not a path) to its end; its output goes to this process's.
func runProcess(_ program: String, _ arguments: [String]) -> Int32 {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [program] + arguments
  do { try process.run() } catch { return -1 }
  process.waitUntilExit()
  return process.terminationStatus
}

// MARK: One session

struct ProjectSession {
  var firstDiagnostics: Double?
  /// didChange → publishDiagnostics, by direction: "error" (the edit adds it) and "fix".
  var edits: [String: [Double]] = [:]
  var completions: [Double] = []
  var completionsWithItems = 0
  var peakRSSKilobytes: Int?
  /// Publications whose errors did not match the toggled text.
  var mismatches = 0
  /// What the session was measuring when its time ran out or the server stopped answering.
  var failure: String?

  var summary: String {
    var parts: [String] = []
    if let firstDiagnostics { parts.append("first diagnostics \(milliseconds(firstDiagnostics))") }
    let all = edits.values.flatMap { $0 }
    if !all.isEmpty { parts.append("didChange median \(milliseconds(median(all)))") }
    if !completions.isEmpty {
      parts.append("completion p50 \(milliseconds(percentile(completions, 0.5))) p99 \(milliseconds(percentile(completions, 0.99)))")
    }
    if let peakRSSKilobytes { parts.append("peak RSS \(format(Double(peakRSSKilobytes) / 1024, 1)) MB") }
    if mismatches > 0 { parts.append("WARNING: \(mismatches) unexpected diagnostics") }
    if let failure { parts.append("STOPPED: \(failure)") }
    return parts.joined(separator: ", ")
  }
}

func measureProjectSession(project: BenchProject, options: ProjectBenchOptions, run: Int) -> ProjectSession {
  var result = ProjectSession()
  let deadline = LSPClient.now() + UInt64(options.sessionTimeout * 1e9)
  func remaining() -> Double { max(0, Double(Int64(deadline) - Int64(LSPClient.now())) / 1e9) }
  let log = (options.workdir as NSString).appendingPathComponent("server-project-\(project.slices).log")
  guard
    let client = try? LSPClient(
      executable: options.slicels, arguments: ["serve"], logPath: log, directory: project.root)
  else {
    result.failure = "cannot start \(options.slicels)"
    return result
  }
  drive(client, project: project, options: options, log: log, remaining: remaining, into: &result)
  // Read while the server is alive, also when the session stopped early.
  result.peakRSSKilobytes = peakRSSKilobytes(of: client.serverProcessIdentifier)
  if result.failure == nil { client.shutdown() } else { client.kill() }
  return result
}

/// The session's protocol and timings; returns early, with `result.failure` set, when a wait runs
/// out of time.
private func drive(
  _ client: LSPClient, project: BenchProject, options: ProjectBenchOptions, log: String, remaining: () -> Double,
  into result: inout ProjectSession
) {
  let rootURI = project.root.absoluteString
  let params: [String: Any] = [
    "processId": Int(getpid()), "rootUri": rootURI,
    "workspaceFolders": [["uri": rootURI, "name": "bench"]],
    "capabilities": [
      "general": ["positionEncodings": ["utf-16"]],
      "textDocument": [
        "synchronization": ["dynamicRegistration": false, "didSave": true],
        "publishDiagnostics": ["relatedInformation": true, "versionSupport": true],
        "completion": ["completionItem": ["snippetSupport": true, "documentationFormat": ["markdown", "plaintext"]]],
        "hover": ["contentFormat": ["markdown", "plaintext"]],
      ],
      "workspace": ["configuration": true, "workspaceFolders": true],
    ],
  ]
  guard client.request("initialize", params, timeout: remaining()) != nil else {
    result.failure = "initialize: timeout (see \(log))"
    return
  }
  client.notify("initialized", [String: Any]())

  let uri = project.probe.absoluteString
  var lines = String(decoding: project.probeText, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    .map(String.init)
  var version = 1
  let openFrame = LSPClient.frame([
    "method": "textDocument/didOpen",
    "params": [
      "textDocument": [
        "uri": uri, "languageId": "yaml", "version": version, "text": String(decoding: project.probeText, as: UTF8.self),
      ]
    ],
  ])
  client.drain()
  let openStart = client.write(openFrame)
  guard let opened = client.wait(timeout: remaining(), where: { isPublish($0, uri: uri, exactVersion: 1) }) else {
    result.failure = "first diagnostics: timeout"
    return
  }
  result.firstDiagnostics = Double(opened.arrival - openStart) / 1e9

  /// The next toggle of the probe's mtu digits, framed before any timing starts.
  func nextEdit() -> (frame: Data, version: Int, makesInvalid: Bool) {
    version += 1
    let makesInvalid = lines[project.toggleLine].hasSuffix(project.originalDigits)
    let digits = makesInvalid ? BenchProject.invalidDigits : project.originalDigits
    lines[project.toggleLine] = "mtu: " + digits
    let range: [String: Any] = [
      "start": ["line": project.toggleLine, "character": 5], "end": ["line": project.toggleLine, "character": 9],
    ]
    let frame = LSPClient.frame([
      "method": "textDocument/didChange",
      "params": ["textDocument": ["uri": uri, "version": version], "contentChanges": [["range": range, "text": digits]]],
    ])
    return (frame, version, makesInvalid)
  }
  func awaitPublish(_ edit: (frame: Data, version: Int, makesInvalid: Bool)) -> LSPClient.Received? {
    let version = edit.version
    guard let received = client.wait(timeout: remaining(), where: { isPublish($0, uri: uri, exactVersion: version) })
    else { return nil }
    if (errorCount(received.message) > 0) != edit.makesInvalid { result.mismatches += 1 }
    return received
  }

  let warmUp = 2
  for round in 0..<(warmUp + options.edits) {
    let edit = nextEdit()
    client.drain()
    let start = client.write(edit.frame)
    guard let received = awaitPublish(edit) else {
      result.failure = "didChange → diagnostics: timeout"
      return
    }
    if round >= warmUp {
      result.edits[edit.makesInvalid ? "error" : "fix", default: []].append(Double(received.arrival - start) / 1e9)
    }
  }

  for round in 0..<options.completions {
    let edit = nextEdit()
    let position = project.completionPositions[round % project.completionPositions.count]
    let (id, completionFrame) = client.makeRequest(
      "textDocument/completion",
      ["textDocument": ["uri": uri], "position": ["line": position.line, "character": position.character]])
    client.drain()
    client.write(edit.frame)
    let start = client.write(completionFrame)
    guard let response = client.wait(timeout: remaining(), where: { ($0["id"] as? Int) == id && $0["method"] == nil })
    else {
      result.failure = "completion after an edit: timeout"
      return
    }
    result.completions.append(Double(response.arrival - start) / 1e9)
    let answer = response.message["result"]
    let items = (answer as? [Any]) ?? ((answer as? [String: Any])?["items"] as? [Any]) ?? []
    if !items.isEmpty { result.completionsWithItems += 1 }
    // The edit's diagnostics before the next round, so that rounds do not pile analyses up.
    guard awaitPublish(edit) != nil else {
      result.failure = "diagnostics of an edit followed by completion: timeout"
      return
    }
  }
}

/// A publication for `uri` of exactly `version` (or without a version, from a server that does
/// not send them).
func isPublish(_ message: [String: Any], uri: String, exactVersion: Int) -> Bool {
  guard message["method"] as? String == "textDocument/publishDiagnostics", let params = message["params"] as? [String: Any],
    params["uri"] as? String == uri
  else { return false }
  return (params["version"] as? Int).map { $0 == exactVersion } ?? true
}

/// `VmHWM` (peak resident set) of a live process, in kB; nil off Linux.
func peakRSSKilobytes(of pid: Int32) -> Int? {
  // /proc files report a size of 0: read them to their end rather than by their size.
  let descriptor = open("/proc/\(pid)/status", O_RDONLY)
  guard descriptor >= 0 else { return nil }
  defer { close(descriptor) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 4096)
  while true {
    let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    if count <= 0 { break }
    bytes += chunk[0..<count]
  }
  let status = String(decoding: bytes, as: UTF8.self)
  for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    return Int(line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
  }
  return nil
}

// MARK: Tables

struct ProjectSizeResults {
  var firstDiagnostics: [Double] = []
  var edits: [String: [Double]] = [:]
  var completions: [Double] = []
  var completionsWithItems = 0
  var peakRSSKilobytes: [Int] = []
  var mismatches = 0
  var failures: [String] = []

  mutating func add(_ session: ProjectSession) {
    if let value = session.firstDiagnostics { firstDiagnostics.append(value) }
    for (key, values) in session.edits { edits[key, default: []] += values }
    completions += session.completions
    completionsWithItems += session.completionsWithItems
    if let value = session.peakRSSKilobytes { peakRSSKilobytes.append(value) }
    mismatches += session.mismatches
    if let failure = session.failure { failures.append(failure) }
  }

  var allEdits: [Double] { edits.values.flatMap { $0 } }
}

func projectTables(sizes: [Int], projects: [Int: BenchProject], results: [Int: ProjectSizeResults]) -> [String] {
  let debounce = ProjectBenchOptions().debounce
  func cell(_ values: [Double], minus: Double = 0, timedOut: Bool) -> String {
    values.isEmpty ? (timedOut ? "timeout" : "–") : milliseconds(median(values) - minus)
  }
  func megabytes(_ kilobytes: [Int]) -> String {
    kilobytes.isEmpty ? "–" : format(median(kilobytes.map { Double($0) / 1024 }), 1) + " MB"
  }
  var lines: [String] = []
  lines.append("| slices | source files (MB) | active files (MB) | probe |")
  lines.append("| ---: | ---: | ---: | --- |")
  for size in sizes {
    guard let project = projects[size] else { continue }
    lines.append(
      "| \(size) | \(project.sourceFiles) (\(format(Double(project.sourceBytes) / 1e6, 2))) | \(project.activeFiles) (\(format(Double(project.activeBytes) / 1e6, 2))) | \(project.probe.lastPathComponent), \(project.probeText.count) bytes |"
    )
  }
  lines.append("")
  lines.append(
    "| slices | didOpen → first diagnostics | didChange → diagnostics | net of the 150 ms debounce | net, edit adds an error | net, edit removes it | completion after an edit p50 | p99 | server peak RSS | sessions |"
  )
  lines.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
  for size in sizes {
    let result = results[size] ?? ProjectSizeResults()
    let timedOut = !result.failures.isEmpty
    let all = result.allEdits
    let completion: (String, String) =
      result.completions.isEmpty
      ? (timedOut ? "timeout" : "–", "")
      : (milliseconds(percentile(result.completions, 0.5)), milliseconds(percentile(result.completions, 0.99)))
    var sessions = "\(result.firstDiagnostics.count) opened, \(all.count) edits, \(result.completions.count) completions"
    if !result.failures.isEmpty { sessions += "; " + result.failures.joined(separator: "; ") }
    if result.mismatches > 0 { sessions += "; \(result.mismatches) unexpected diagnostics" }
    lines.append(
      "| \(size) | \(cell(result.firstDiagnostics, timedOut: timedOut)) | \(cell(all, timedOut: timedOut)) | \(cell(all, minus: debounce, timedOut: timedOut)) | \(cell(result.edits["error"] ?? [], minus: debounce, timedOut: timedOut)) | \(cell(result.edits["fix"] ?? [], minus: debounce, timedOut: timedOut)) | \(completion.0) | \(completion.1) | \(megabytes(result.peakRSSKilobytes)) | \(sessions) |"
    )
  }
  guard let smallest = sizes.min(), let largest = sizes.max(), smallest != largest,
    let small = results[smallest], let large = results[largest]
  else { return lines }
  func ratio(_ numerator: [Double], _ denominator: [Double], minus: Double = 0) -> (text: String, value: Double?) {
    guard !numerator.isEmpty, !denominator.isEmpty else { return ("timeout", nil) }
    let value = (median(numerator) - minus) / (median(denominator) - minus)
    return (format(value, 2) + "×", value)
  }
  let timedOut = !large.failures.isEmpty
  func verdict(_ value: Double?, _ limit: Double) -> String {
    guard let value else { return timedOut ? "missed (timeout)" : "–" }
    return value <= limit ? "met" : "**missed**"
  }
  let raw = ratio(large.allEdits, small.allEdits)
  let net = ratio(large.allEdits, small.allEdits, minus: debounce)
  let first = ratio(large.firstDiagnostics, small.firstDiagnostics)
  let rss = large.peakRSSKilobytes.isEmpty ? nil : median(large.peakRSSKilobytes.map { Double($0) / 1024 })
  let completionP99 = large.completions.isEmpty ? nil : percentile(large.completions, 0.99)
  lines.append("")
  lines.append("| \(largest) slices against \(smallest) | measured | target | |")
  lines.append("| --- | ---: | ---: | --- |")
  lines.append("| didChange → diagnostics, ratio of the medians (debounce included, as in the issue's table) | \(raw.text) | ≤ 1.5× | \(verdict(raw.value, 1.5)) |")
  lines.append("| didChange → diagnostics, ratio net of the 150 ms debounce | \(net.text) | ≤ 1.5× | \(verdict(net.value, 1.5)) |")
  lines.append("| didOpen → first diagnostics, ratio of the medians | \(first.text) | ≤ 3× | \(verdict(first.value, 3)) |")
  lines.append(
    "| server peak RSS with \(largest) slices (median of the sessions) | \(rss.map { format($0, 1) + " MB" } ?? "–") | ≤ 150 MB | \(verdict(rss, 150)) |")
  lines.append(
    "| completion right after an edit, p99 with \(largest) slices | \(completionP99.map(milliseconds) ?? "timeout") | ≤ 10 ms | \(verdict(completionP99, 0.010)) |"
  )
  return lines
}
