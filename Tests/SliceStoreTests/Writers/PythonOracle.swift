import Foundation
import SliceSyntax

/// Runs the real Python (`json.dumps(v, indent=2)`, `yaml.safe_dump(v, sort_keys=False)`,
/// `str(v)`) over a batch of values in a single process.
///
/// Values travel in a tagged form that does not depend on the writers under test: strings as
/// code point lists, integers as decimal text, floats as their IEEE bit pattern.
enum PythonOracle {
  struct Output {
    /// nil when `json.dumps` raised `TypeError`.
    var json: String?
    var yaml: String
    /// `str(v)` for scalar values, nil for collections.
    var str: String?
  }

  /// python3 with PyYAML importable.
  static let isAvailable: Bool = {
    guard let result = try? run(["-c", "import yaml, json"]) else { return false }
    return result == 0
  }()

  private static let script = #"""
    import sys, json, struct, datetime, yaml

    def decode(t):
        kind = t[0]
        if kind == "s": return "".join(chr(c) for c in t[1])
        if kind == "i": return int(t[1])
        if kind == "f": return struct.unpack(">d", bytes.fromhex(t[1]))[0]
        if kind == "b": return bool(t[1])
        if kind == "n": return None
        if kind == "l": return [decode(item) for item in t[1]]
        if kind == "d": return {decode(k): decode(v) for k, v in t[1]}
        if kind == "date": return datetime.date(t[1], t[2], t[3])
        if kind == "dt":
            tz = None if t[8] is None else datetime.timezone(datetime.timedelta(minutes=t[8]))
            return datetime.datetime(t[1], t[2], t[3], t[4], t[5], t[6], t[7], tzinfo=tz)
        raise ValueError(kind)

    with open(sys.argv[1]) as f:
        values = [decode(t) for t in json.load(f)]
    results = []
    for value in values:
        try:
            as_json = json.dumps(value, indent=2)
        except TypeError:
            as_json = None
        as_str = None if isinstance(value, (list, dict)) else str(value)
        results.append({"json": as_json, "yaml": yaml.safe_dump(value, sort_keys=False), "str": as_str})
    with open(sys.argv[2], "w") as f:
        json.dump(results, f)
    """#

  static func outputs(for values: [Value]) throws -> [Output] {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("slicels-writer-oracle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("values.json")
    let output = directory.appendingPathComponent("outputs.json")
    var encoded = "["
    for (index, value) in values.enumerated() {
      if index > 0 { encoded += ",\n" }
      encode(value, into: &encoded)
    }
    encoded += "]"
    try encoded.write(to: input, atomically: true, encoding: .utf8)
    let status = try run(["-c", script, input.path, output.path])
    guard status == 0 else { throw OracleFailure(description: "python3 exited with status \(status)") }
    let text = try String(contentsOf: output, encoding: .utf8)
    guard let results = WriterTestSupport.readJSON(text)?.elements else {
      throw OracleFailure(description: "unreadable oracle output")
    }
    return results.map { result in
      func string(_ key: String) -> String? {
        if case .scalar(.string(let text))? = result[key] { return text }
        return nil
      }
      return Output(json: string("json"), yaml: string("yaml") ?? "", str: string("str"))
    }
  }

  struct OracleFailure: Error, CustomStringConvertible {
    var description: String
  }

  private static func run(_ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// The tagged form, written by hand in ASCII only.
  private static func encode(_ value: Value, into output: inout String) {
    switch value {
    case .object(let members):
      output += "[\"d\",["
      for (index, member) in members.enumerated() {
        if index > 0 { output += "," }
        output += "["
        encode(.scalar(member.key.scalar), into: &output)
        output += ","
        encode(member.value, into: &output)
        output += "]"
      }
      output += "]]"
    case .array(let elements):
      output += "[\"l\",["
      for (index, element) in elements.enumerated() {
        if index > 0 { output += "," }
        encode(element, into: &output)
      }
      output += "]]"
    case .scalar(let scalar):
      switch scalar {
      case .string(let text):
        output += "[\"s\",[" + text.unicodeScalars.map { String($0.value) }.joined(separator: ",") + "]]"
      case .integer(let number):
        output += "[\"i\",\"\(number)\"]"
      case .float(let number):
        let hex = String(number.bitPattern, radix: 16)
        output += "[\"f\",\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\"]"
      case .boolean(let flag):
        output += "[\"b\",\(flag ? 1 : 0)]"
      case .null:
        output += "[\"n\"]"
      case .date(let t):
        output += "[\"date\",\(t.year),\(t.month),\(t.day)]"
      case .datetime(let t):
        let offset = t.utcOffsetMinutes.map(String.init) ?? "null"
        output += "[\"dt\",\(t.year),\(t.month),\(t.day),\(t.hour),\(t.minute),\(t.second),\(t.microsecond),\(offset)]"
      }
    }
  }
}
