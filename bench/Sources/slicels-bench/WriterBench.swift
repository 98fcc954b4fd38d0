// slicels-bench writers [--items 320000] [--runs 3]
//
// The update compile's writers on a slice with one long list: the reference writers
// (`yaml.safe_dump`, `json.dumps(indent=2)`) and the preserving writer, which adds a missing
// default to the file as it is. Each is timed at a quarter, half and the whole of the items: a
// linear writer takes about twice as long for twice the items (the YAML writer appended to a
// String's unicode scalars, copying the text each time: 19 s for 320 000 items).
import Foundation
import SliceStore
import SliceSyntax

func runWriterBench(arguments: [String]) -> Int32 {
  var items = 320_000
  var runs = 3
  var iterator = arguments.makeIterator()
  while let argument = iterator.next() {
    switch argument {
    case "--items": items = max(4, iterator.next().flatMap(Int.init) ?? items)
    case "--runs": runs = max(1, iterator.next().flatMap(Int.init) ?? runs)
    default:
      print("usage: slicels-bench writers [--items N] [--runs N]")
      return 2
    }
  }
  print("| writer | items | output | median CPU time | per item |")
  print("| --- | ---: | ---: | ---: | ---: |")
  var failed = false
  for count in [items / 4, items / 2, items] {
    let normalized = writerBenchSlice(items: count)
    var yaml: [UInt8] = []
    var json: [UInt8] = []
    let cases: [(String, () -> Int)] = [
      ("reference YAML", {
        yaml = ReferenceYAMLWriter.bytes(for: normalized)
        return yaml.count
      }),
      ("reference JSON", {
        json = (try? ReferenceJSONWriter.bytes(for: normalized)) ?? []
        return json.count
      }),
      ("preserving YAML (one default added)", { preservingBenchRun(source: withoutDefault(yaml, .yaml), .yaml, normalized) }),
      ("preserving JSON (one default added)", { preservingBenchRun(source: withoutDefault(json, .json), .json, normalized) }),
    ]
    for (name, body) in cases {
      var size = 0
      var times: [Double] = []
      for _ in 0..<runs { times.append(cpuTime { size = body() }) }
      let time = median(times)
      if size < 0 { failed = true }
      print(
        "| \(name) | \(count) | \(format(Double(max(size, 0)) / 1e6, 2)) MB | \(format(time * 1000)) ms | \(format(time / Double(count) * 1e9, 0)) ns |"
      )
    }
  }
  return failed ? 1 : 0
}

/// A vlans-like slice: a few scalars and `subnets`, a list of `items` short strings.
private func writerBenchSlice(items: Int) -> Value {
  var subnets: [Value] = []
  subnets.reserveCapacity(items)
  for index in 0..<items {
    subnets.append(.string("10.\(index >> 16 & 255).\(index >> 8 & 255).\(index & 255)/32"))
  }
  return .object([
    Value.Member("site", .string("bru")), Value.Member("vlan_id", .integer(10)), Value.Member("name", .string("office")),
    Value.Member("description", .null), Value.Member("mtu", .integer(9216)), Value.Member("dhcp", .boolean(false)),
    Value.Member("subnets", .array(subnets)),
  ])
}

/// The reference text without its `dhcp` line: what a user's file looks like before an update
/// fills the default in.
private func withoutDefault(_ bytes: [UInt8], _ format: SliceFormat) -> [UInt8] {
  let line = Array((format == .yaml ? "dhcp: false\n" : "  \"dhcp\": false,\n").utf8)
  guard let start = bytes.indices.first(where: { bytes[$0...].starts(with: line) }) else { return bytes }
  return Array(bytes[..<start] + bytes[(start + line.count)...])
}

/// The preserving writer's output size, or -1 when it had to replace the whole document.
private func preservingBenchRun(source: [UInt8], _ format: SliceFormat, _ normalized: Value) -> Int {
  let tree = SliceReader.read(source, format: format)
  guard let outcome = try? PreservingEdits.outcome(source: source, tree: tree, normalized: normalized),
    outcome.method == .preserving
  else { return -1 }
  return PreservingEdits.apply(outcome.edits, to: source).count
}
