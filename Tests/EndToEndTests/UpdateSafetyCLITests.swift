import Foundation
import Testing

/// `update` never drops or rewrites silently, holds back near misses, and has dry runs; `sync`
/// and `check` refuse scaffold placeholders. Each test runs the real binary on a temporary copy
/// of Examples/network-project.
@Suite("Update and sync say what they lose")
struct UpdateSafetyCLITests {
  /// A VLAN with a typo of a known property (`taged`), an unknown one (`colour`) and a value
  /// the update rewrites (`mtu: "1600"`). Line 6 column 29 is `taged`.
  static let typoSlice = """
    site: bru
    vlan_id: 20
    name: t
    mtu: "1600"
    colour: blue
    ports: [{switch: sw1, port: 1, taged: true}]

    """

  /// The same without the typo'd key: what `--drop-unknown` keeps.
  static let typoDropped = """
    site: bru
    vlan_id: 20
    name: t
    mtu: "1600"
    colour: blue
    ports: [{switch: sw1, port: 1}]

    """

  /// A copy whose slices an update already normalised (the example's are not): a later update
  /// changes only what a test writes.
  func normalisedProject() throws -> CLIProject {
    let project = try CLIProject()
    let update = try project.run(["update"])
    try #require(update.status == 0, "\(update.all)")
    return project
  }

  /// What changed under the temporary folder between two states.
  func changedPaths(_ before: [String: [UInt8]], _ after: [String: [UInt8]]) -> [String] {
    Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
  }

  @Test func aNearMissStopsTheUpdateOfItsFileAndSaysHowToProceed() throws {
    let project = try normalisedProject()
    defer { project.remove() }
    try project.write("files/vlans/t.yaml", Self.typoSlice)
    // Another file the same update must still write.
    let office = try project.read("files/vlans/office.yaml")
    try project.write("files/vlans/office.yaml", office.replacingOccurrences(of: "mtu: 9216", with: "mtu: \"9000\""))
    let before = project.state()
    let run = try project.run(["update"])
    #expect(run.status == 1, "\(run.all)")
    #expect(
      run.errors.contains(
        "files/vlans/t.yaml:6:32: error: would drop 'ports[0].taged' (did you mean 'tagged'?): this file is not updated; rename the key, or run `slicels update --drop-unknown` to drop it [update-near-miss]"
      ), "\(run.all)")
    #expect(run.errors.contains("--drop-unknown"), "\(run.all)")
    let after = project.state()
    #expect(after["network-project/files/vlans/t.yaml"] == Array(Self.typoSlice.utf8))
    #expect(changedPaths(before, after) == ["network-project/files/vlans/office.yaml"])
    #expect(try project.read("files/vlans/office.yaml").contains("mtu: 9000"))
    #expect(run.errors.contains("files/vlans/office.yaml:6:6: info: rewrote 'mtu' \"9000\" → 9000 [update-rewrote]"), "\(run.all)")
  }

  @Test func dropUnknownReportsEveryDropAndRewriteAtItsPlace() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try project.write("files/vlans/t.yaml", Self.typoSlice)
    let run = try project.run(["update", "--drop-unknown"])
    #expect(run.status == 0, "\(run.all)")
    #expect(run.output.contains("modified files/vlans/t.yaml"), "\(run.all)")
    let expected = [
      "files/vlans/t.yaml:4:6: info: rewrote 'mtu' \"1600\" → 1600 [update-rewrote]",
      "files/vlans/t.yaml:5:1: warning: dropped 'colour': the store's schema has no such property [update-dropped]",
      "files/vlans/t.yaml:6:32: warning: dropped 'ports[0].taged' (did you mean 'tagged'?) [update-dropped]",
    ]
    for line in expected { #expect(run.errors.contains(line), "\(line) in:\n\(run.all)") }
    let written = try project.read("files/vlans/t.yaml")
    #expect(written.contains("mtu: 1600") && !written.contains("taged") && !written.contains("colour"), "\(written)")
  }

  @Test func referenceStyleStillWritesTheReferenceBytesWhenItProceeds() throws {
    let withTypo = try CLIProject()
    defer { withTypo.remove() }
    try withTypo.write("files/vlans/t.yaml", Self.typoSlice)
    let dropped = try #require(try withTypo.run(["update", "--style", "reference", "--drop-unknown"]).status == 0 ? withTypo.read("files/vlans/t.yaml") : nil)
    let clean = try CLIProject()
    defer { clean.remove() }
    try clean.write("files/vlans/t.yaml", Self.typoDropped)
    let run = try clean.run(["update", "--style", "reference"])
    #expect(run.status == 0, "\(run.all)")
    #expect(dropped == (try clean.read("files/vlans/t.yaml")))
  }

  @Test func checkWritesNothingAndExitsOneWhenAFileWouldChange() throws {
    let project = try normalisedProject()
    defer { project.remove() }
    let clean = try project.run(["update", "--check"])
    #expect(clean.status == 0, "\(clean.all)")
    #expect(clean.errors.contains("update: nothing would change"), "\(clean.all)")
    try project.write("files/vlans/t.yaml", Self.typoDropped)
    let before = project.state()
    let run = try project.run(["update", "--check"])
    #expect(run.status == 1, "\(run.all)")
    #expect(run.output == "would modify files/vlans/t.yaml\n", "\(run.all)")
    #expect(changedPaths(before, project.state()).isEmpty)
  }

  @Test func checkCountsAHeldBackFileAsAFailure() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try project.write("files/vlans/t.yaml", Self.typoSlice)
    let before = project.state()
    let run = try project.run(["update", "--check"])
    #expect(run.status == 1, "\(run.all)")
    #expect(run.errors.contains("[update-near-miss]") && run.errors.contains("would be left untouched"), "\(run.all)")
    #expect(changedPaths(before, project.state()).isEmpty)
    let diff = try project.run(["update", "--diff"])
    #expect(diff.status == 1, "\(diff.all)")
    #expect(!diff.output.contains("t.yaml"), "a held file has no diff: \(diff.output)")
    #expect(changedPaths(before, project.state()).isEmpty)
  }

  @Test func diffPrintsAUnifiedDiffAndWritesNothing() throws {
    let project = try normalisedProject()
    defer { project.remove() }
    try project.write("files/vlans/t.yaml", Self.typoDropped)
    let before = project.state()
    let run = try project.run(["update", "--diff"])
    #expect(run.status == 0, "\(run.all)")
    #expect(changedPaths(before, project.state()).isEmpty)
    #expect(run.output.hasPrefix("--- a/files/vlans/t.yaml\n+++ b/files/vlans/t.yaml\n@@ "), "\(run.output)")
    #expect(run.output.contains("\n-mtu: \"1600\"\n") && run.output.contains("\n+mtu: 1600\n"), "\(run.output)")
    // The diff is what the update writes: applied with git, it gives the same file.
    try FileManager.default.copyItem(at: project.url("files/vlans/t.yaml"), to: project.url("t.yaml.orig"))
    let patchFile = project.folder.appendingPathComponent("update.diff")
    try Data(run.output.utf8).write(to: patchFile)
    let applied = try CLIProject.execute(
      URL(fileURLWithPath: "/usr/bin/env"), ["git", "apply", "--unsafe-paths", patchFile.path], in: project.root)
    try #require(applied.status == 0, "git apply: \(applied.all)")
    let patched = try project.read("files/vlans/t.yaml")
    let update = try project.run(["update", "--check"])
    #expect(update.status == 0, "after applying the diff: \(update.all)\n\(patched)")
  }

  @Test func checkAndDiffTogetherExitOneAndKeepTheDiffAloneOnStdout() throws {
    let project = try normalisedProject()
    defer { project.remove() }
    try project.write("files/vlans/t.yaml", Self.typoDropped)
    let run = try project.run(["update", "--check", "--diff"])
    #expect(run.status == 1, "\(run.all)")
    #expect(run.output.hasPrefix("--- a/files/vlans/t.yaml"), "\(run.output)")
    #expect(run.errors.contains("would modify files/vlans/t.yaml"), "\(run.all)")
  }

  @Test func jsonAndSarifCarryTheDropsAtTheirPlace() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try project.write("files/vlans/t.yaml", Self.typoSlice)
    let json = try project.run(["update", "--check", "--format", "json"])
    #expect(json.status == 1, "\(json.all)")
    let findings = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]], "\(json.output)")
    let nearMiss = try #require(findings.first { $0["code"] as? String == "update-near-miss" }, "\(findings)")
    let start = try #require(nearMiss["start"] as? [String: Any])
    #expect(start["line"] as? Int == 6 && start["column"] as? Int == 32)
    #expect(findings.contains { $0["code"] as? String == "update-rewrote" && ($0["message"] as? String)?.contains("→ 1600") == true })
    let sarif = try project.run(["update", "--check", "--format", "sarif"])
    #expect(sarif.status == 1)
    #expect(sarif.output.contains("\"ruleId\" : \"update-near-miss\"") || sarif.output.contains("\"ruleId\":\"update-near-miss\""), "\(sarif.output)")
  }

  @Test func helpDocumentsTheNewFlags() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let help = try project.run(["update", "--help"])
    for flag in ["--drop-unknown", "--check", "--diff", "--format"] {
      #expect(help.output.contains(flag), "\(flag) in:\n\(help.output)")
    }
  }

  @Test func theRealCompileIsReviewedFirstAndNotRunOnANearMiss() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try project.write("fake-compile.sh", "#!/bin/sh\necho ran > compile-ran\n")
    _ = try CLIProject.shell(["chmod", "+x", project.url("fake-compile.sh").path])
    try project.write("slicels.yml", try project.read("slicels.yml") + "compile:\n  command: [./fake-compile.sh]\n")
    try project.write("files/vlans/t.yaml", Self.typoSlice)
    let held = try project.run(["update", "--engine", "inmanta"])
    #expect(held.status == 1, "\(held.all)")
    #expect(held.errors.contains("files/vlans/t.yaml:6:32: error: would drop 'ports[0].taged' (did you mean 'tagged'?)"), "\(held.all)")
    #expect(held.errors.contains("the compile was not run"), "\(held.all)")
    #expect(!FileManager.default.fileExists(atPath: project.url("compile-ran").path))
    let dropped = try project.run(["update", "--engine", "inmanta", "--drop-unknown"])
    #expect(dropped.status == 0, "\(dropped.all)")
    #expect(dropped.errors.contains("files/vlans/t.yaml:6:32: warning: dropped 'ports[0].taged' (did you mean 'tagged'?) [update-dropped]"), "\(dropped.all)")
    #expect(FileManager.default.fileExists(atPath: project.url("compile-ran").path))
  }

  @Test func syncAndCheckRefuseAScaffoldPlaceholder() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let created = try project.run(["new", "fs", "web09"])
    try #require(created.status == 0, "\(created.all)")
    #expect(created.output == "files/fs/web09.json\n")
    let scaffold = try project.read("files/fs/web09.json")
    let lines = scaffold.split(separator: "\n", omittingEmptySubsequences: false)
    let index = try #require(lines.firstIndex { $0.contains("<REPLACE_THIS>") }, "\(scaffold)")
    let found = try #require(lines[index].range(of: "<REPLACE_THIS>"))
    let column = lines[index].distance(from: lines[index].startIndex, to: found.lowerBound) + 1
    let place = "files/fs/web09.json:\(index + 1):\(column)"
    let before = project.state()
    let sync = try project.run(["sync", "web09"])
    #expect(sync.status == 1, "\(sync.all)")
    #expect(sync.errors.contains("\(place): error: '<REPLACE_THIS>' is the placeholder"), "\(place) in:\n\(sync.all)")
    #expect(sync.errors.contains("[placeholder]"))
    #expect(changedPaths(before, project.state()).isEmpty)
    let check = try project.run(["check"])
    #expect(check.status == 1)
    #expect(check.output.contains("\(place): error: '<REPLACE_THIS>' is the placeholder"), "\(check.all)")
  }

  @Test func aPlaceholderInsideALongerValueIsFoundToo() throws {
    let project = try CLIProject()
    defer { project.remove() }
    try project.write("files/vlans/t.yaml", "site: bru\nvlan_id: 20\nname: t\ndescription: \"uplink to <REPLACE_THIS>\"\n")
    let before = project.state()
    let sync = try project.run(["sync"])
    #expect(sync.status == 1, "\(sync.all)")
    #expect(sync.errors.contains("files/vlans/t.yaml:4:25: error: '<REPLACE_THIS>' is the placeholder"), "\(sync.all)")
    #expect(changedPaths(before, project.state()).isEmpty)
  }
}
