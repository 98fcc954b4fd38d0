import Foundation
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// A duplicated key is a difference the update must fix, as the reference's rewrite does: the
/// file's data may equal the normalised data, or a duplicate may stand in for a missing default
/// and keep the entry counts equal, but the compile writes every key once.
@Suite struct DuplicateKeyUpdateTests {
  private func duplicateFindings(_ text: String, _ format: SliceFormat) -> Int {
    SliceReader.read(text, format: format).findings.filter { $0.code == "duplicate-key" }.count
  }

  @Test func aDuplicateStandingInForAMissingDefaultIsRewrittenInJSON() throws {
    let source = "{\n  \"mtu\": 9000,\n  \"mtu\": 9000\n}"
    let result = try PreservingCheck.run(source, .json, PreservingCheck.value(#"{"mtu": 9000, "dhcp": false}"#))
    #expect(result.method != .unchanged)
    #expect(duplicateFindings(result.text, .json) == 0)
    #expect(result.text.contains("\"dhcp\": false"))
  }

  @Test func aDuplicateStandingInForAMissingDefaultIsRewrittenInYAML() throws {
    let source = "# the lab\nmtu: 9000\nmtu: 9000\n"
    let result = try PreservingCheck.run(source, .yaml, PreservingCheck.value(#"{"mtu": 9000, "dhcp": false}"#))
    #expect(result.method == .preserving)
    #expect(result.text.hasPrefix("# the lab\n"))
    #expect(duplicateFindings(result.text, .yaml) == 0)
  }

  @Test func aDuplicateWithTheSameDataIsStillRewritten() throws {
    let source = "mtu: 9000\nsite: bru\nmtu: 9000\n"
    let result = try PreservingCheck.run(source, .yaml, PreservingCheck.value(#"{"mtu": 9000, "site": "bru"}"#))
    #expect(result.method != .unchanged)
    #expect(duplicateFindings(result.text, .yaml) == 0)
  }

  @Test func aDuplicateInsideAMappingWithAMergeKeyIsRewritten() throws {
    let source = "base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n  y: 2\n"
    let normalized = PreservingCheck.value(#"{"base": {"x": 1}, "item": {"x": 1, "y": 2}}"#)
    let result = try PreservingCheck.run(source, .yaml, normalized)
    #expect(result.method != .unchanged)
    #expect(duplicateFindings(result.text, .yaml) == 0)
  }

  @Test(arguments: [CompileStyle.preserve, .reference])
  func updateRemovesADuplicateThatHidesAMissingDefault(style: CompileStyle) throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    // lab.json as the reference writes it, with `mtu` twice and `dhcp` (default false) missing.
    let source = """
      {
        "site": "bru",
        "vlan_id": 20,
        "name": "lab",
        "description": null,
        "mtu": 9000,
        "mtu": 9000,
        "subnets": [
          "10.20.0.0/24"
        ],
        "ports": []
      }
      """
    try project.write("files/vlans/lab.json", source)
    let outcome = try EmbeddedEngine.run(mode: .update, root: project.root, slices: ["lab"], style: style)
    #expect(outcome.succeeded)
    let written = try #require(project.read("files/vlans/lab.json"))
    #expect(written != source)
    #expect(duplicateFindings(written, .json) == 0)
    #expect(written.contains("\"dhcp\": false"))
  }

  @Test func updateRemovesADuplicateWhoseDataIsAlreadyNormalised() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let reference = try TemporaryProject.example()
    defer { reference.remove() }
    _ = try EmbeddedEngine.run(mode: .update, root: reference.root, slices: ["lab"], style: .reference)
    let normalised = try #require(reference.read("files/vlans/lab.json"))
    let duplicated = normalised.replacingOccurrences(of: "  \"mtu\": 9000,\n", with: "  \"mtu\": 9000,\n  \"mtu\": 9000,\n")
    #expect(duplicated != normalised)
    try project.write("files/vlans/lab.json", duplicated)
    let outcome = try EmbeddedEngine.run(mode: .update, root: project.root, slices: ["lab"], style: .preserve)
    #expect(outcome.succeeded)
    #expect(outcome.changes.count == 1)
    #expect(project.read("files/vlans/lab.json") == normalised)
  }
}
