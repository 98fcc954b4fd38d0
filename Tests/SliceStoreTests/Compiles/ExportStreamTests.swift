import Foundation
import SliceSyntax
import SliceTestSupport
import Testing

@testable import SliceStore

/// `slicels export` streams its output slice by slice in chunks, with the whole-text writers' bytes.
@Suite struct ExportStreamTests {
  /// The stream's output, and the size of each chunk the sink received.
  func streamed(_ slices: [UnrolledSlice], format: ExportStream.Format, chunkSize: Int) throws -> (bytes: [UInt8], chunks: [Int]) {
    final class Collected: @unchecked Sendable {
      var bytes: [UInt8] = []
      var chunks: [Int] = []
    }
    let collected = Collected()
    var stream = ExportStream(format: format, chunkSize: chunkSize) { chunk in
      collected.bytes += chunk
      collected.chunks.append(chunk.count)
    }
    for slice in slices { try stream.append(slice) }
    stream.finish()
    return (collected.bytes, collected.chunks)
  }

  @Test func theStreamedOutputIsTheWholeTextWritersOutput() throws {
    let project = try BatchPipelineTests().generatedProject(slices: 300)
    defer { project.remove() }
    let outcome = try EmbeddedEngine.run(mode: .export, root: project.root)
    let slices = outcome.exportedSlices
    #expect(outcome.succeeded && slices.count > 300)
    #expect(slices.contains { $0.storeName == "fs" } && slices.contains { $0.storeName == "vlans" })

    let chunkSize = 4096
    let json = try streamed(slices, format: .json, chunkSize: chunkSize)
    #expect(json.bytes == Array(ExportReport.json(slices).utf8))
    #expect(json.chunks.count > 10, "a large view goes out in many chunks")
    #expect(json.chunks.dropLast().allSatisfy { $0 >= chunkSize })

    for colored in [false, true] {
      let style = TerminalStyle(colored: colored)
      let text = try streamed(slices, format: .text(style), chunkSize: chunkSize)
      #expect(text.bytes == Array(ExportReport.text(slices, style: style).utf8))
    }
  }

  @Test func anEmptyViewStreamsTheWholeTextWritersOutput() throws {
    #expect(try streamed([], format: .json, chunkSize: 16).bytes == Array(ExportReport.json([]).utf8))
    let style = TerminalStyle(colored: false)
    #expect(try streamed([], format: .text(style), chunkSize: 16).bytes == Array(ExportReport.text([], style: style).utf8))
  }

  @Test func aSliceJSONCannotHoldIsRefusedWithNothingOfItWritten() throws {
    let good = UnrolledSlice(
      name: "a", storeName: "vlans", version: 1, attributes: .object([Value.Member("name", .string("a"))]), deleted: false)
    let dated = UnrolledSlice(
      name: "b", storeName: "vlans", version: 2,
      attributes: .object([Value.Member("since", .scalar(.date(Timestamp(year: 2024, month: 1, day: 2))))]), deleted: false)
    var written: [UInt8] = []
    var stream = ExportStream(format: .json, chunkSize: 1 << 20) { written += $0 }
    try stream.append(good)
    #expect(throws: ExportStream.UnwritableSlice.self) { try stream.append(dated) }
    do {
      try stream.append(dated)
    } catch {
      #expect(error.description == "slice 'b' of store 'vlans' cannot be written as JSON: Object of type date is not JSON serializable")
    }
    stream.finish()
    #expect(String(decoding: written, as: UTF8.self) == ExportReport.json([good]))
  }

  @Test func exportKeepsNoMergedElementLists() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let analysis = ProjectAnalysis.analyze(root: project.root, options: .init(compileHints: false, computePlans: false))
    let store = try #require(analysis.store(named: "vlans"))
    let catalog = try #require(store.schema?.catalog)
    let elementCounts = { (mode: CompileMode) in
      store.snapshot.outcomes(mode: mode, catalog: catalog).map { outcome -> Int in
        if case .emitted(_, let elements) = outcome.result { return elements.count }
        return 0
      }
    }
    #expect(elementCounts(.sync).reduce(0, +) > 0, "sync's plans read the elements")
    #expect(elementCounts(.export).allSatisfy { $0 == 0 })
  }
}
