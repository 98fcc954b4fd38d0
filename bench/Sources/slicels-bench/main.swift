// slicels-bench: workloads that measure the engine. See bench/README.md.
//
//   slicels-bench parse [--megabytes 10] [--runs 7]   reading a large slice: YAML tree, JSON tree,
//                                                       and libyaml's bare event loop (the floor)
//   slicels-bench edits [--megabytes 10] [--edits 2000] incremental edits and position lookups
//                                                       on a large text document
//   slicels-bench schema [--sizes 1,10] [--runs 7]     validation against parsing (SchemaBench.swift)
//   slicels-bench lsp [--sizes 1,10] [--edits 11]      the language server over stdio (LSPBench.swift)
//   slicels-bench lsp --project [--slices 10,1000,10000] the server in generated projects of many
//                                                       slices (ProjectLSPBench.swift)
//   slicels-bench writers [--items 320000] [--runs 3]  the update's writers on a long list (WriterBench.swift)
//   slicels-bench editor                               completion/hover/inlay hints in process (EditorBench.swift)
import CLibYAML
import Foundation
import SliceSyntax

struct Options {
  var command = "parse"
  var megabytes = 10.0
  var runs = 7
  var edits = 2000
  /// Measure one reader only (yaml, json or bare), for profiling.
  var only: String?

  init(_ arguments: [String]) {
    var iterator = arguments.dropFirst().makeIterator()
    var sawCommand = false
    while let argument = iterator.next() {
      switch argument {
      case "--megabytes": megabytes = iterator.next().flatMap(Double.init) ?? megabytes
      case "--runs": runs = max(1, iterator.next().flatMap(Int.init) ?? runs)
      case "--edits": edits = max(1, iterator.next().flatMap(Int.init) ?? edits)
      case "--only": only = iterator.next()
      case "-h", "--help":
        print("usage: slicels-bench [parse|edits|all] [--megabytes N] [--runs N] [--edits N] | schema [...] | lsp [...]")
        exit(0)
      default:
        if !sawCommand {
          command = argument
          sawCommand = true
        } else {
          print("unknown argument \(argument)")
          exit(2)
        }
      }
    }
  }
}

// MARK: Workload: a realistic slice

/// A small deterministic generator (SplitMix64), so every run measures the same bytes.
struct SplitMix {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
  mutating func flag() -> Bool { next() & 1 == 0 }
}

/// A slice-shaped value: a root mapping with a list of tenants, each with nested objects and
/// lists of objects holding strings, integers and booleans.
func makeSlice(targetBytes: Int) -> Value {
  var random = SplitMix(state: 42)
  let words = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima",
    "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
  ]
  func word() -> String { words[random.below(words.count)] }
  func sentence() -> String { (0..<(3 + random.below(6))).map { _ in word() }.joined(separator: " ") }

  var tenants: [Value] = []
  var approximateSize = 0
  var tenantIndex = 0
  while approximateSize < targetBytes {
    tenantIndex += 1
    var networks: [Value] = []
    for networkIndex in 0..<(2 + random.below(4)) {
      networks.append(
        .object([
          .init("name", .string("net-\(tenantIndex)-\(networkIndex)")),
          .init("vlan", .integer(100 + random.below(3900))),
          .init("cidr", .string("10.\(random.below(256)).\(random.below(256)).0/24")),
          .init("dhcp", .boolean(random.flag())),
          .init("mtu", .integer(random.flag() ? 1500 : 9000)),
          .init("tags", .array((0..<random.below(4)).map { _ in .string(word()) })),
        ]))
    }
    var users: [Value] = []
    for userIndex in 0..<(3 + random.below(6)) {
      users.append(
        .object([
          .init("name", .string("\(word())-\(userIndex)")),
          .init("uid", .integer(1000 + random.below(60000))),
          .init("admin", .boolean(random.below(5) == 0)),
          .init("shell", .string(random.flag() ? "/bin/bash" : "/usr/bin/zsh")),
          .init("comment", .string(sentence())),
        ]))
    }
    let tenant = Value.object([
      .init("name", .string("tenant-\(tenantIndex)")),
      .init("id", .integer(tenantIndex)),
      .init("enabled", .boolean(random.below(10) != 0)),
      .init("description", .string(sentence())),
      .init(
        "contact",
        .object([
          .init("email", .string("\(word())@example.com")),
          .init("phone", .string("+32 \(random.below(900) + 100) \(random.below(900000) + 100000)")),
        ])),
      .init("quota", .object([.init("cpu", .integer(1 + random.below(64))), .init("memory_gb", .integer(1 + random.below(512)))])),
      .init("networks", .array(networks)),
      .init("users", .array(users)),
    ])
    approximateSize += 330 + networks.count * 120 + users.count * 110
    tenants.append(tenant)
  }
  return .object([
    .init("name", .string("benchmark")),
    .init("description", .string("a large slice generated by slicels-bench")),
    .init("tenants", .array(tenants)),
  ])
}

// MARK: Writers (just enough for the workload: strings, integers, booleans)

func yamlScalar(_ scalar: Scalar) -> String {
  switch scalar {
  case .string(let text):
    // Plain unless it could read as something else (the workload's strings are simple).
    let first = text.utf8.first ?? 0
    let plain =
      !text.isEmpty && !(first >= 0x30 && first <= 0x39) && first != UInt8(ascii: "+") && first != UInt8(ascii: "-")
      && !text.contains(": ") && !text.contains(" #") && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text.lowercased())
    if plain { return text }
    return "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
  case .integer(let number): return String(number)
  case .boolean(let flag): return flag ? "true" : "false"
  default: return "null"
  }
}

func writeYAML(_ value: Value, indent: Int, into output: inout String) {
  let padding = String(repeating: " ", count: indent)
  switch value {
  case .object(let members):
    for member in members {
      output += padding + (member.key.string ?? "") + ":"
      writeYAMLChild(member.value, indent: indent, into: &output)
    }
  case .array(let items):
    for item in items {
      output += padding + "-"
      if case .object(let members) = item, !members.isEmpty {
        // "- key: value" with the following keys aligned under the first.
        var nested = ""
        writeYAML(item, indent: indent + 2, into: &nested)
        output += " " + nested.dropFirst(indent + 2)
      } else {
        writeYAMLChild(item, indent: indent + 2, into: &output)
      }
    }
  case .scalar(let scalar):
    output += padding + yamlScalar(scalar) + "\n"
  }
}

func writeYAMLChild(_ value: Value, indent: Int, into output: inout String) {
  switch value {
  case .object(let members) where !members.isEmpty:
    output += "\n"
    writeYAML(value, indent: indent + 2, into: &output)
  case .array(let items) where !items.isEmpty:
    if items.allSatisfy({ $0.scalarValue != nil }) {
      output += " [" + items.compactMap { $0.scalarValue.map(yamlScalar) }.joined(separator: ", ") + "]\n"
    } else {
      output += "\n"
      writeYAML(value, indent: indent, into: &output)
    }
  case .object: output += " {}\n"
  case .array: output += " []\n"
  case .scalar(let scalar): output += " " + yamlScalar(scalar) + "\n"
  }
}

func jsonString(_ text: String) -> String {
  var output = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": output += "\\\""
    case "\\": output += "\\\\"
    case "\n": output += "\\n"
    default: output.unicodeScalars.append(scalar)
    }
  }
  return output + "\""
}

func writeJSON(_ value: Value, indent: Int, into output: inout String) {
  let padding = String(repeating: " ", count: indent + 2)
  switch value {
  case .object(let members):
    if members.isEmpty { output += "{}"; return }
    output += "{\n"
    for (index, member) in members.enumerated() {
      output += padding + jsonString(member.key.string ?? "") + ": "
      writeJSON(member.value, indent: indent + 2, into: &output)
      output += index + 1 < members.count ? ",\n" : "\n"
    }
    output += String(repeating: " ", count: indent) + "}"
  case .array(let items):
    if items.isEmpty { output += "[]"; return }
    output += "[\n"
    for (index, item) in items.enumerated() {
      output += padding
      writeJSON(item, indent: indent + 2, into: &output)
      output += index + 1 < items.count ? ",\n" : "\n"
    }
    output += String(repeating: " ", count: indent) + "]"
  case .scalar(.string(let text)): output += jsonString(text)
  case .scalar(let scalar): output += yamlScalar(scalar)
  }
}

// MARK: Measuring

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// CPU time of this thread: on a shared machine it varies much less than wall time.
func cpuSeconds() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func cpuTime(_ body: () -> Void) -> Double {
  let start = cpuSeconds()
  body()
  return cpuSeconds() - start
}

/// Median seconds of `runs` runs of `body` (after one warm-up run).
func measure(runs: Int, _ body: () -> Void) -> Double {
  let clock = ContinuousClock()
  body()
  var times: [Double] = []
  for _ in 0..<runs { times.append(seconds(clock.measure(body))) }
  return median(times)
}

/// libyaml alone: every event parsed and freed, nothing built. No reader can be faster.
func bareEventLoop(_ bytes: [UInt8]) -> Int {
  let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
  defer { parser.deallocate() }
  guard yaml_parser_initialize(parser) != 0 else { return -1 }
  defer { yaml_parser_delete(parser) }
  var events = 0
  bytes.withUnsafeBufferPointer { buffer in
    guard let base = buffer.baseAddress else { return }
    yaml_parser_set_input_string(parser, base, buffer.count)
    var event = yaml_event_t()
    while yaml_parser_parse(parser, &event) != 0 {
      events += 1
      let done = event.type == YAML_STREAM_END_EVENT
      yaml_event_delete(&event)
      if done { break }
    }
  }
  return events
}

/// The event loop plus a Swift string for every scalar: the cost of the strings alone.
func eventLoopWithStrings(_ bytes: [UInt8]) -> Int {
  let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
  defer { parser.deallocate() }
  guard yaml_parser_initialize(parser) != 0 else { return -1 }
  defer { yaml_parser_delete(parser) }
  var total = 0
  bytes.withUnsafeBufferPointer { buffer in
    guard let base = buffer.baseAddress else { return }
    yaml_parser_set_input_string(parser, base, buffer.count)
    var event = yaml_event_t()
    while yaml_parser_parse(parser, &event) != 0 {
      if event.type == YAML_SCALAR_EVENT {
        let text = String(decoding: UnsafeBufferPointer(start: event.data.scalar.value, count: event.data.scalar.length), as: UTF8.self)
        total &+= text.utf8.count
      }
      let done = event.type == YAML_STREAM_END_EVENT
      yaml_event_delete(&event)
      if done { break }
    }
  }
  return total
}

func countNodes(_ node: Node) -> Int {
  var count = 0
  var pending = [node]
  while let next = pending.popLast() {
    count += 1
    switch next.kind {
    case .mapping(let entries): for entry in entries { pending.append(entry.key); pending.append(entry.value) }
    case .sequence(let items): pending.append(contentsOf: items)
    case .scalar: break
    }
  }
  return count
}

func format(_ number: Double, _ decimals: Int = 1) -> String {
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  let rounded = (number * scale).rounded() / scale
  var text = String(rounded)
  if let dot = text.firstIndex(of: ".") {
    let fraction = text[text.index(after: dot)...]
    if fraction.count < decimals { text += String(repeating: "0", count: decimals - fraction.count) }
  }
  return text
}

func parseBenchmark(_ options: Options) {
  let target = Int(options.megabytes * 1_000_000)
  let slice = makeSlice(targetBytes: target)
  var yamlText = ""
  writeYAML(slice, indent: 0, into: &yamlText)
  var jsonText = ""
  writeJSON(slice, indent: 0, into: &jsonText)
  let yaml = Array(yamlText.utf8)
  let json = Array(jsonText.utf8)

  // Both files must hold the same data, or the comparison means nothing.
  let yamlTree = YAMLReader().read(yaml)
  let jsonTree = JSONReader().read(json)
  let sameData =
    yamlTree.loads && jsonTree.loads && yamlTree.root != nil && jsonTree.root.map { $0.value } == yamlTree.root.map { $0.value }
  if !sameData {
    print("error: the generated YAML and JSON do not load to the same data")
    print(yamlTree.findings.prefix(3).map(\.message), jsonTree.findings.prefix(3).map(\.message))
    exit(1)
  }
  let nodeCount = jsonTree.root.map(countNodes) ?? 0
  let events = bareEventLoop(yaml)
  print("workload: YAML \(format(Double(yaml.count) / 1e6, 2)) MB, JSON \(format(Double(json.count) / 1e6, 2)) MB, \(nodeCount) nodes, \(events) libyaml events; median of \(options.runs) runs")

  if let only = options.only {
    let time: Double
    switch only {
    case "yaml": time = measure(runs: options.runs) { _ = YAMLReader().read(yaml) }
    case "json": time = measure(runs: options.runs) { _ = JSONReader().read(json) }
    case "yaml-keep":
      // The reading alone, without freeing the tree (kept until the end).
      var kept: [SyntaxTree] = []
      time = measure(runs: options.runs) { kept.append(YAMLReader().read(yaml)) }
      print("kept \(kept.count) trees")
    case "strings":
      var times: [Double] = []
      for _ in 0..<options.runs { times.append(cpuTime { _ = eventLoopWithStrings(yaml) }) }
      time = median(times)
    default:
      var times: [Double] = []
      for _ in 0..<options.runs {
        times.append(cpuTime { _ = only == "yaml-cpu" ? YAMLReader().read(yaml).loads ? 1 : 0 : bareEventLoop(yaml) })
      }
      time = median(times)
    }
    print("\(only): \(format(time * 1000)) ms")
    return
  }
  // Interleaved runs, so that a busy machine slows all three alike.
  // CPU time of the reading thread, tree destruction included.
  var bareTimes: [Double] = []
  var yamlTimes: [Double] = []
  var jsonTimes: [Double] = []
  var buildTimes: [Double] = []
  var freeTimes: [Double] = []
  for _ in 0..<options.runs {
    bareTimes.append(cpuTime { _ = bareEventLoop(yaml) })
    yamlTimes.append(cpuTime { _ = YAMLReader().read(yaml) })
    jsonTimes.append(cpuTime { _ = JSONReader().read(json) })
    // The same read split in two: building the tree, and freeing it.
    var kept: SyntaxTree? = nil
    buildTimes.append(cpuTime { kept = YAMLReader().read(yaml) })
    freeTimes.append(cpuTime { kept = nil })
    _ = kept
  }
  let bare = median(bareTimes)
  let yamlTime = median(yamlTimes)
  let jsonTime = median(jsonTimes)
  let buildTime = median(buildTimes)
  let freeTime = median(freeTimes)
  let megabytes = Double(yaml.count) / 1e6
  let jsonMegabytes = Double(json.count) / 1e6
  print("| reader | median CPU time | throughput |")
  print("| --- | ---: | ---: |")
  print("| libyaml bare event loop (floor) | \(format(bare * 1000)) ms | \(format(megabytes / bare)) MB/s |")
  print("| YAMLReader (tree) | \(format(yamlTime * 1000)) ms | \(format(megabytes / yamlTime)) MB/s |")
  print("| JSONReader (tree) | \(format(jsonTime * 1000)) ms | \(format(jsonMegabytes / jsonTime)) MB/s |")
  print("| YAMLReader, building only (tree kept) | \(format(buildTime * 1000)) ms | \(format(megabytes / buildTime)) MB/s |")
  print("| freeing the YAML tree | \(format(freeTime * 1000)) ms | |")
  print("YAML tree / bare event loop: \(format(yamlTime / bare, 2))x (target <= 1.5x); building only: \(format(buildTime / bare, 2))x")
}

func editsBenchmark(_ options: Options) {
  let target = Int(options.megabytes * 1_000_000)
  var yamlText = ""
  writeYAML(makeSlice(targetBytes: target), indent: 0, into: &yamlText)
  let bytes = Array(yamlText.utf8)
  var document = TextDocument(bytes: [])
  let build = cpuTime { document = TextDocument(bytes: bytes) }
  var random = SplitMix(state: 7)
  let edits = options.edits
  // Typing: single-character insertions and deletions at random places, positions in UTF-16.
  let editTime = cpuTime {
      for index in 0..<edits {
        let line = random.below(document.lineCount)
        let character = random.below(40)
        let start = Position(line: line, character: character)
        if index % 2 == 0 {
          document.apply([.init(range: PositionRange(start: start, end: start), text: "x")], encoding: .utf16)
        } else {
          let end = Position(line: line, character: character + 1)
          document.apply([.init(range: PositionRange(start: start, end: end), text: "")], encoding: .utf16)
        }
      }
    }
  let lookups = 100_000
  var checksum = 0
  let lookupTime = cpuTime {
      for _ in 0..<lookups {
        let offset = random.below(document.bytes.count)
        let position = document.position(of: offset, in: .utf16)
        checksum &+= document.offset(of: position, in: .utf16)
      }
    }
  print("document: \(format(Double(bytes.count) / 1e6, 2)) MB, \(document.lineCount) lines (checksum \(checksum % 10))")
  print("| operation | CPU time |")
  print("| --- | ---: |")
  print("| build line index | \(format(build * 1000)) ms |")
  print("| one edit (LSP range, UTF-16) | \(format(editTime / Double(edits) * 1e6)) µs |")
  print("| offset → position → offset (UTF-16) | \(format(lookupTime / Double(lookups) * 1e9, 0)) ns |")
}

// Workloads with their own options.
if CommandLine.arguments.count > 1 {
  let rest = Array(CommandLine.arguments.dropFirst(2))
  switch CommandLine.arguments[1] {
  case "schema": exit(runSchemaBench(arguments: rest))
  case "lsp": exit(runLSPBench(arguments: rest))
  case "writers": exit(runWriterBench(arguments: rest))
  case "analysis": exit(runAnalysisBench(arguments: rest))
  case "editor":
    // In process: completion, hover and inlay hints on a ~1 MB slice (EditorBench.swift).
    print(EditorBench.run(projectRoot: SchemaBench.packageRoot().appendingPathComponent("Examples/network-project")))
    exit(0)
  default: break
  }
}

let options = Options(CommandLine.arguments)
switch options.command {
case "parse": parseBenchmark(options)
case "edits": editsBenchmark(options)
case "all":
  parseBenchmark(options)
  print("")
  editsBenchmark(options)
default:
  print("unknown command \(options.command); try parse, edits or all")
  exit(2)
}
