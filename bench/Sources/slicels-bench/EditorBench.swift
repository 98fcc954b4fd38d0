import Foundation
import SliceIDE
import SliceSchema
import SliceStore
import SliceSyntax

/// Latency of the editor queries on a large slice: completion (which re-reads the enclosing list
/// item, or the whole text, with the token under the cursor replaced), hover and inlay hints, on
/// a generated ~1 MB YAML slice and the same data as JSON, against the example project's `fs`
/// schema.
/// `slicels-bench editor` prints the table.
enum EditorBench {
  struct Measurement {
    var name: String
    var bytes: Int
    var medianMilliseconds: Double
    var maximumMilliseconds: Double
    var candidates: Int
  }

  /// A host with `folders` folders of `filesPerFolder` files each, like the example's `fs` slices.
  static func largeSlice(folders: Int, filesPerFolder: Int) -> Value {
    var content: [Value] = []
    for folder in 0..<folders {
      var files: [Value] = []
      for file in 0..<filesPerFolder {
        files.append(
          .object([
            Value.Member("type", .string("file")), Value.Member("name", .string("file-\(file).conf")),
            Value.Member("owner", .string("root")), Value.Member("mode", .string("0644")),
            Value.Member("content", .string("setting_\(file) = \(folder * 31 + file) # généré\n")),
          ]))
      }
      content.append(
        .object([
          Value.Member("type", .string("folder")), Value.Member("name", .string("folder-\(folder)")),
          Value.Member("owner", .string("www-data")), Value.Member("content", .array(files)),
        ]))
    }
    return .object([Value.Member("host", .string("big01")), Value.Member("content", .array(content))])
  }

  static func time(_ runs: Int, _ body: () -> Int) -> (median: Double, maximum: Double, result: Int) {
    var samples: [Double] = []
    var result = 0
    let clock = ContinuousClock()
    for _ in 0..<runs {
      let duration = clock.measure { result = body() }
      samples.append(Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000)
    }
    samples.sort()
    return (samples[samples.count / 2], samples.last ?? 0, result)
  }

  static func measurements(projectRoot: URL, runs: Int = 15) -> [Measurement] {
    let schemaFile = projectRoot.appendingPathComponent("files/schemas/fs.json")
    let schema = StoreSchema.load(file: schemaFile, projectRoot: projectRoot)
    let value = largeSlice(folders: 1300, filesPerFolder: 6)
    var results: [Measurement] = []

    // YAML: a key being typed in the middle (the text does not parse), a value, a new item.
    let yaml = ReferenceYAMLWriter.text(for: value)
    var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let middle = lines.count / 2
    let itemLine = lines[middle...].firstIndex { $0.hasPrefix("  - type: file") || $0.hasPrefix("  - content:") || $0.contains("- type: file") } ?? middle
    let indent = String(lines[itemLine].prefix { $0 == " " }) + "  "
    lines.insert(indent + "gr", at: itemLine + 1)
    let typing = lines.joined(separator: "\n")
    let typingBytes = Array(typing.utf8)
    let keyOffset = lines[...(itemLine + 1)].map { $0.utf8.count + 1 }.reduce(0, +) - 1
    let typingDocument = TextDocument(bytes: typingBytes)
    let typingTree = SliceReader.read(typingBytes, format: .yaml)
    var measured = time(runs) {
      EditorQueries.completions(document: typingDocument, tree: typingTree, format: .yaml, offset: keyOffset, schema: schema).count
    }
    results.append(Measurement(name: "YAML completion, key being typed (text broken)", bytes: typingBytes.count, medianMilliseconds: measured.median, maximumMilliseconds: measured.maximum, candidates: measured.result))

    // A key typed at the top level: no list item encloses it, the whole text is re-read.
    let topBytes = Array(("ro\n" + yaml).utf8)
    let topDocument = TextDocument(bytes: topBytes)
    let topTree = SliceReader.read(topBytes, format: .yaml)
    measured = time(runs) {
      EditorQueries.completions(document: topDocument, tree: topTree, format: .yaml, offset: 2, schema: schema).count
    }
    results.append(Measurement(name: "YAML completion, top-level key (whole text re-read)", bytes: topBytes.count, medianMilliseconds: measured.median, maximumMilliseconds: measured.maximum, candidates: measured.result))

    let yamlBytes = Array(yaml.utf8)
    let document = TextDocument(bytes: yamlBytes)
    let tree = SliceReader.read(yamlBytes, format: .yaml)
    let modeRange = yaml.range(of: "mode: '0644'", range: yaml.index(yaml.startIndex, offsetBy: yaml.count / 2)..<yaml.endIndex)
    let valueOffset = modeRange.map { yaml[..<$0.lowerBound].utf8.count + 6 } ?? 0
    measured = time(runs) {
      EditorQueries.completions(document: document, tree: tree, format: .yaml, offset: valueOffset, schema: schema).count
    }
    results.append(Measurement(name: "YAML completion, value", bytes: yamlBytes.count, medianMilliseconds: measured.median, maximumMilliseconds: measured.maximum, candidates: measured.result))

    let url = projectRoot.appendingPathComponent("files/fs/big01.yaml")
    let withSchema = EditorFile(url: url, document: document, tree: tree, role: .source(store: "fs"), schema: schema)
    measured = time(runs) { EditorQueries.hover(at: valueOffset - 3, in: withSchema) == nil ? 0 : 1 }
    results.append(Measurement(name: "YAML hover, key", bytes: yamlBytes.count, medianMilliseconds: measured.median, maximumMilliseconds: measured.maximum, candidates: measured.result))

    let screen = document.lineRange(document.line(containing: valueOffset)).lowerBound..<document.lineRange(document.line(containing: valueOffset) + 60).upperBound
    measured = time(runs) { EditorQueries.inlayHints(for: withSchema, in: screen, options: InlayHintOptions(identities: .always, coercions: false)).count }
    results.append(Measurement(name: "YAML inlay hints, 60 lines", bytes: yamlBytes.count, medianMilliseconds: measured.median, maximumMilliseconds: measured.maximum, candidates: measured.result))

    // JSON: a key being typed in the middle (unterminated string).
    let json = ValueTextForBench.json(value)
    guard let marker = json.range(of: "\"owner\": \"root\",", range: json.index(json.startIndex, offsetBy: json.count / 2)..<json.endIndex) else {
      return results
    }
    let broken = json[..<marker.lowerBound] + "\"gr\n      " + json[marker.lowerBound...]
    let brokenBytes = Array(broken.utf8)
    let jsonOffset = json[..<marker.lowerBound].utf8.count + 3
    let jsonDocument = TextDocument(bytes: brokenBytes)
    let jsonTree = SliceReader.read(brokenBytes, format: .json)
    measured = time(runs) {
      EditorQueries.completions(document: jsonDocument, tree: jsonTree, format: .json, offset: jsonOffset, schema: schema).count
    }
    results.append(Measurement(name: "JSON completion, key being typed (text broken)", bytes: brokenBytes.count, medianMilliseconds: measured.median, maximumMilliseconds: measured.maximum, candidates: measured.result))
    return results
  }

  /// Completion at every query position of `slicels-bench lsp`'s 1 MB slice (the same document
  /// and positions), in process: the engine's share of that bench's p99, and the slowest
  /// positions with their line, to see which shapes of cursor context are slow.
  static func lspPositionSweep(projectRoot: URL) -> String {
    let schema = StoreSchema.load(file: projectRoot.appendingPathComponent("files/schemas/fs.json"), projectRoot: projectRoot)
    let generated = makeFSDocument(targetBytes: 1 << 20)
    let document = TextDocument(bytes: generated.valid)
    let tree = SliceReader.read(generated.valid, format: .yaml)
    // CPU time of this thread, not wall time: on the shared machine a query of 0.2 ms that is
    // preempted would otherwise read as a scheduler slice of 20 ms.
    func threadMilliseconds() -> Double {
      var time = timespec()
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
      return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
    }
    var samples: [(milliseconds: Double, line: Int, character: Int)] = []
    for position in generated.completionPositions.prefix(400) {
      let offset = document.lineStarts[position.line] + position.character
      let start = threadMilliseconds()
      _ = EditorQueries.completions(document: document, tree: tree, format: .yaml, offset: offset, schema: schema)
      samples.append((threadMilliseconds() - start, position.line, position.character))
    }
    let sorted = samples.map(\.milliseconds).sorted()
    func percentile(_ fraction: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction))] }
    var output = "completion at \(samples.count) positions of the 1 MB slice (thread CPU time): p50 \(String(format: "%.2f", percentile(0.5))) ms, p99 \(String(format: "%.2f", percentile(0.99))) ms, max \(String(format: "%.2f", percentile(1))) ms\n"
    let lines = String(decoding: generated.valid, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    for slow in samples.sorted(by: { $0.milliseconds > $1.milliseconds }).prefix(5) {
      let text = lines[slow.line]
      let cursor = text.utf8.index(text.utf8.startIndex, offsetBy: slow.character)
      output += "  \(String(format: "%.2f", slow.milliseconds)) ms  line \(slow.line + 1): \(text[..<cursor])|\(text[cursor...])\n"
    }
    return output
  }

  /// The table, one line per query.
  static func run(projectRoot: URL = URL(fileURLWithPath: "Examples/network-project")) -> String {
    var output = "query | file size | median ms | max ms | result\n--- | --- | --- | --- | ---\n"
    for measurement in measurements(projectRoot: projectRoot) {
      output += "\(measurement.name) | \(measurement.bytes / 1024) KiB | \(String(format: "%.1f", measurement.medianMilliseconds)) | \(String(format: "%.1f", measurement.maximumMilliseconds)) | \(measurement.candidates)\n"
    }
    return output + "\n" + lspPositionSweep(projectRoot: projectRoot)
  }
}

/// The reference JSON writer escapes non-ASCII text; the bench keeps it as an editor has it.
enum ValueTextForBench {
  static func json(_ value: Value) -> String {
    (try? ReferenceJSONWriter.text(for: value)) ?? "{}"
  }
}
