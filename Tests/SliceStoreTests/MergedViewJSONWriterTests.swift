import Foundation
import SliceSchema
@testable import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// Export merges and writes each slice in one walk (`MergedViewJSONWriter`): its bytes must be
/// those of the general path (the merged view built by `MergedView.unroll`, then written), and
/// it must hand every unusual slice to that path.
@Suite struct MergedViewJSONWriterTests {
  static let fs = IdentityCollisionDefinitionTests.exampleSchema("fs")
  static let vlans = IdentityCollisionDefinitionTests.exampleSchema("vlans")

  /// The general path's export text of one slice, or what stopped it.
  enum General: Equatable {
    case text([UInt8])
    case notEmitted
    case failed
  }

  static func general(_ history: [ActiveVersion], store: String, schema: StoreSchema) -> General {
    let snapshot = StoreSnapshot(storeName: store, sources: [], active: ["s": history])
    guard let outcome = snapshot.outcomes(mode: .export, catalog: schema.catalog, workers: 1).first else { return .notEmitted }
    switch outcome.result {
    case .emitted(let view, _):
      var bytes: [UInt8] = []
      var stream = ExportStream(format: .json) { bytes += $0 }
      do { try stream.append(view) } catch { return .failed }
      stream.finish()
      return .text(bytes)
    case .notEmitted: return .notEmitted
    case .failed: return .failed
    }
  }

  static func fused(_ history: [ActiveVersion], store: String, schema: StoreSchema) -> General? {
    switch MergedViewJSONWriter.render(name: "s", storeName: store, history: history, catalog: schema.catalog) {
    case .rendered(let rendered)?:
      var bytes: [UInt8] = []
      var stream = ExportStream(format: .json) { bytes += $0 }
      stream.append(ExportStream.RenderedSlice(bytes: rendered))
      stream.finish()
      return .text(bytes)
    case .notEmitted?: return .notEmitted
    case nil: return nil
    }
  }

  @Test func randomHistoriesAreWrittenAsTheGeneralPathWritesThem() {
    var random = XorShift(state: 23)
    var written = 0
    for round in 0..<300 {
      // One to three versions, some of them deleted, from states that share names so that
      // items are kept, changed, added and purged between versions.
      var history: [ActiveVersion] = []
      for version in 1...(1 + random.below(3)) {
        var state: Value =
          random.below(5) == 0 ? .deletedSlice : Self.fs.readForm(of: CollisionScreenTests.randomState(&random, duplicates: true))
        // Sometimes the same state again: every object's two states are then equal.
        if let last = history.last, random.below(4) == 0 { state = last.attributes }
        history.append(ActiveVersion(version: version, attributes: state))
      }
      let expected = Self.general(history, store: "fs", schema: Self.fs)
      let found = Self.fused(history, store: "fs", schema: Self.fs)
      if let found {
        #expect(found == expected, "round \(round)")
        written += 1
      } else {
        // Only what the general path refuses is handed back.
        #expect(expected == .failed, "round \(round)")
      }
    }
    #expect(written >= 200)
  }

  @Test func theExampleSlicesAreWrittenAlike() throws {
    let project = TestPackage.exampleProject
    for store in ["vlans", "fs"] {
      let schema = store == "fs" ? Self.fs : Self.vlans
      let folder = project.appendingPathComponent("files/\(store)")
      for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
        let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
        let read = SliceFileAnalyzer.read(
          folder.appendingPathComponent(name), bytes: bytes, role: .active(store: store),
          format: name.hasSuffix(".json") ? .json : .yaml, schema: schema, checkUnknown: false)
        guard let attributes = read.attributes else { continue }
        // The slice alone, then after a version that held less of it (a purge to show).
        let histories = [
          [ActiveVersion(version: 1, attributes: attributes)],
          [ActiveVersion(version: 1, attributes: attributes), ActiveVersion(version: 2, attributes: .deletedSlice)],
        ]
        for history in histories {
          let found = Self.fused(history, store: store, schema: schema)
          #expect(found != nil && found == Self.general(history, store: store, schema: schema), "\(store)/\(name)")
        }
      }
    }
  }

  @Test func unusualSlicesAreHandedToTheGeneralPath() {
    // A date, which JSON cannot hold: the general path reports it.
    let withDate = Value.object([
      Value.Member("host", .string("h")), Value.Member("root", .scalar(.date(Timestamp(year: 2024, month: 1, day: 2)))),
      Value.Member("content", .array([])),
    ])
    let dated = [ActiveVersion(version: 1, attributes: Self.fs.readForm(of: withDate))]
    #expect(Self.fused(dated, store: "fs", schema: Self.fs) == nil)
    #expect(Self.general(dated, store: "fs", schema: Self.fs) == .failed)
    // A list item without its identity key: the merge fails.
    let keyless = Value.object([
      Value.Member("host", .string("h")), Value.Member("content", .array([.object([Value.Member("type", .string("file"))])])),
    ])
    let broken = [ActiveVersion(version: 1, attributes: keyless)]
    #expect(Self.fused(broken, store: "fs", schema: Self.fs) == nil)
    #expect(Self.general(broken, store: "fs", schema: Self.fs) == .failed)
    // Deleted without an older version: not in the view, either way.
    let deleted = [ActiveVersion(version: 1, attributes: .deletedSlice)]
    #expect(Self.fused(deleted, store: "fs", schema: Self.fs) == .notEmitted)
    #expect(Self.general(deleted, store: "fs", schema: Self.fs) == .notEmitted)
  }
}
