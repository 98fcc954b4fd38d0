import Foundation
import SliceSchema
import SliceSyntax

/// `slicels-bench schema`: validation cost against parsing, on generated 1 MB and 10 MB JSON
/// slices of a realistic pydantic schema, with `check-jsonschema` on the same files as the peer.
///
/// Options: `--sizes 1,10` (MB), `--runs N` (median of N, default 7), `--workdir DIR` (where the
/// generated files go, default a temporary directory), `--peer PATH` (the check-jsonschema
/// executable; default: found on PATH, skipped when absent), `--schema PATH` (default: the
/// fixture schema Tests/SliceSchemaTests/Fixtures/fs.schema.json of this package).
/// Returns the process exit status.
func runSchemaBench(arguments: [String]) -> Int32 {
  var sizes = [1, 10]
  var runs = 7
  var workdir = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-bench-schema").path
  var peer: String? = findExecutable("check-jsonschema")
  var schemaPath = SchemaBench.packageRoot().appendingPathComponent("Tests/SliceSchemaTests/Fixtures/fs.schema.json").path
  var iterator = arguments.makeIterator()
  while let argument = iterator.next() {
    switch argument {
    case "--sizes": sizes = (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }
    case "--runs": runs = max(1, Int(iterator.next() ?? "") ?? runs)
    case "--workdir": workdir = iterator.next() ?? workdir
    case "--peer": peer = iterator.next()
    case "--schema": schemaPath = iterator.next() ?? schemaPath
    default:
      FileHandle.standardError.write(Data("schema bench: unknown option \(argument)\n".utf8))
      return 2
    }
  }
  guard let schemaData = FileManager.default.contents(atPath: schemaPath) else {
    FileHandle.standardError.write(Data("schema bench: cannot read the schema \(schemaPath)\n".utf8))
    return 2
  }
  try? FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
  let schemaFile = (workdir as NSString).appendingPathComponent("schema.json")
  _ = FileManager.default.createFile(atPath: schemaFile, contents: schemaData)
  let schemas = SchemaLoader().load(bytes: [UInt8](schemaData), uri: fileURI(forPath: schemaFile), filePath: schemaFile)
  guard schemas.errors.isEmpty else {
    FileHandle.standardError.write(Data("schema bench: the schema has errors: \(schemas.errors)\n".utf8))
    return 1
  }
  let jsonSchema = SchemaValidator(schemas: schemas)
  let sliceCheck = SliceValidator(schemas: schemas, options: SliceValidationOptions(normalize: false))
  let sliceNormalize = SliceValidator(schemas: schemas)

  print("schema validation benchmark (median CPU time of \(runs) runs, peer: wall time; schema \(schemaPath))")
  print(
    "size      parse     +json-schema      +slice check      +slice normalise   check-jsonschema (startup)")
  for megabytes in sizes {
    let bytes = SchemaBench.generateSlice(targetBytes: megabytes << 20)
    let instancePath = (workdir as NSString).appendingPathComponent("slice-\(megabytes)mb.json")
    _ = FileManager.default.createFile(atPath: instancePath, contents: Data(bytes))
    guard let root = JSONReader().read(bytes).root else {
      print("generated slice does not parse")
      return 1
    }
    // The generated slice must be valid for every validator: timing failures would hide work.
    let violations = jsonSchema.validate(root)
    let sliceResult = sliceNormalize.validate(root)
    guard violations.isEmpty, sliceResult.isValid else {
      print("generated slice is invalid: \(violations.prefix(3).map(\.message)) \(sliceResult.errors.prefix(3).map(\.message))")
      return 1
    }
    let parse = SchemaBench.median(runs) { _ = JSONReader().read(bytes).root }
    let withJSONSchema = SchemaBench.median(runs) {
      if let node = JSONReader().read(bytes).root { _ = jsonSchema.validate(node) }
    }
    let withCheck = SchemaBench.median(runs) {
      if let node = JSONReader().read(bytes).root { _ = sliceCheck.validate(node) }
    }
    let withNormalize = SchemaBench.median(runs) {
      if let node = JSONReader().read(bytes).root { _ = sliceNormalize.validate(node) }
    }
    var peerText = "not run (check-jsonschema not found)"
    if let peer {
      let peerRuns = max(1, min(runs, 3))
      let full = SchemaBench.medianWall(peerRuns) { _ = SchemaBench.runProcess(peer, ["--schemafile", schemaFile, instancePath]) }
      let emptyPath = (workdir as NSString).appendingPathComponent("empty.json")
      _ = FileManager.default.createFile(atPath: emptyPath, contents: Data(#"{"root": "/", "name": "a"}"#.utf8))
      let startup = SchemaBench.medianWall(peerRuns) { _ = SchemaBench.runProcess(peer, ["--schemafile", schemaFile, emptyPath]) }
      peerText = String(format: "%8.1f ms (%6.1f ms)", full * 1000, startup * 1000)
    }
    func cell(_ total: Double) -> String {
      String(format: "%8.1f ms %+5.0f%%", total * 1000, (total - parse) / parse * 100)
    }
    print(
      String(format: "%3d MB %8.1f ms", megabytes, parse * 1000) + "  " + cell(withJSONSchema) + "  " + cell(withCheck)
        + "  " + cell(withNormalize) + "   " + peerText)
  }
  print("(+x% = time added to parsing alone; target: validation adds at most 50%)")
  return 0
}

enum SchemaBench {
  static func packageRoot() -> URL {
    var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while directory.path != "/" {
      if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
        return directory
      }
      directory = directory.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  }

  /// Median process CPU time of `body` (steadier than wall time on a machine shared with builds).
  static func median(_ runs: Int, _ body: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
      let start = cpuSeconds()
      body()
      times.append(cpuSeconds() - start)
    }
    times.sort()
    return times[times.count / 2]
  }

  static func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }

  /// Median wall time (for the peer, a separate process).
  static func medianWall(_ runs: Int, _ body: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
      let start = DispatchTime.now().uptimeNanoseconds
      body()
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    times.sort()
    return times[times.count / 2]
  }

  static func runProcess(_ executable: String, _ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
      process.waitUntilExit()
      return process.terminationStatus
    } catch {
      return -1
    }
  }

  /// A deterministic slice of the fixture schema (RootFolder) of about `targetBytes`: folder
  /// trees, entries of the three union kinds, users, tags and labels.
  static func generateSlice(targetBytes: Int) -> [UInt8] {
    var text = #"{"root": "/srv/data", "name": "bench", "description": "generated for the schema benchmark","#
    text += #" "settings": {"owner": "ops", "access": "write", "quota_gb": 12.5},"#
    text += #" "backup": {"schedule": "daily", "retention_days": 14},"#
    text += #" "tags": {"team": "ops", "env": "prod"}, "labels": ["a", "b", "c"],"#
    text += #" "created": "2024-01-31T10:20:30+02:00", "identifier": "12345678-1234-5678-1234-567812345678","#
    text += #" "weight": 2.5, "kind": "standard", "directories": ["#
    var index = 0
    let budget = targetBytes * 45 / 100
    while text.utf8.count < budget {
      if index > 0 { text += ", " }
      text += #"{"name": "dir\#(index)", "mode": \#(448 + index % 64), "children": ["#
      for child in 0..<4 {
        if child > 0 { text += ", " }
        text += #"{"name": "sub\#(child)", "children": [{"name": "leaf", "mode": 420}]}"#
      }
      text += "]}"
      index += 1
    }
    text += #"], "content": ["#
    index = 0
    let contentBudget = targetBytes * 85 / 100
    while text.utf8.count < contentBudget {
      if index > 0 { text += ", " }
      switch index % 3 {
      case 0: text += #"{"type": "file", "name": "file\#(index).txt", "size": \#(index * 17), "checksum": "sha256:\#(index)"}"#
      case 1: text += #"{"type": "link", "name": "link\#(index)", "target": "file\#(index - 1).txt"}"#
      default: text += #"{"type": "dir", "name": "d\#(index)", "hidden": \#(index % 2 == 0)}"#
      }
      index += 1
    }
    text += #"], "users": ["#
    index = 0
    while text.utf8.count < targetBytes {
      if index > 0 { text += ", " }
      text += #"{"login": "user\#(index)", "uid": \#(1000 + index), "email": "user\#(index)@example.com"}"#
      index += 1
    }
    text += "]}"
    return Array(text.utf8)
  }
}

/// The absolute path of an executable found on PATH.
func findExecutable(_ name: String) -> String? {
  let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
  for directory in path.split(separator: ":") {
    let candidate = (String(directory) as NSString).appendingPathComponent(name)
    if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
  }
  return nil
}
