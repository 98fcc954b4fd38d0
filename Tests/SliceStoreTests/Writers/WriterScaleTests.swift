import Foundation
import SliceStore
import SliceSyntax
import Testing

/// The reference writers are linear in their output: the YAML writer once appended to a
/// `String`'s unicode scalars, copying the text for every scalar (an update of a 320 000-item
/// list took minutes in a debug build while reading it took seconds).
@Suite struct WriterScaleTests {
  private func longList(_ count: Int) -> Value {
    .object([
      Value.Member("name", .string("office")),
      Value.Member("subnets", .array((0..<count).map { .string("10.\($0 >> 16 & 255).\($0 >> 8 & 255).\($0 & 255)/32") })),
    ])
  }

  @Test func aLongListIsWrittenInLinearTime() throws {
    let value = longList(300_000)
    let clock = ContinuousClock()
    var yaml: [UInt8] = []
    var json: [UInt8] = []
    let elapsed = try clock.measure {
      yaml = ReferenceYAMLWriter.bytes(for: value)
      json = try ReferenceJSONWriter.bytes(for: value)
    }
    #expect(yaml.starts(with: Array("name: office\nsubnets:\n- 10.0.0.0/32\n- 10.0.0.1/32\n".utf8)))
    #expect(json.suffix(20).elementsEqual("\"10.4.147.223/32\"\n  ]\n}".utf8.suffix(20)))
    // A hang guard only: quadratic copying took minutes here, linear writing a few seconds.
    #expect(elapsed < .seconds(60))
    // Both read back to the value.
    #expect(SliceReader.read(yaml, format: .yaml).root?.value == value)
    #expect(SliceReader.read(json, format: .json).root?.value == value)
  }

  @Test func bytesAndTextAgree() throws {
    let value = PreservingCheck.value(#"{"a": "caf\u00e9 \ud83d\ude00", "b": [1, 2.5, null, true], "c": {"d": "x: y"}}"#)
    #expect(ReferenceYAMLWriter.bytes(for: value) == Array(ReferenceYAMLWriter.text(for: value).utf8))
    #expect(try ReferenceJSONWriter.bytes(for: value) == Array(try ReferenceJSONWriter.text(for: value).utf8))
  }
}
