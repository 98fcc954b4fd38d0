import Foundation
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

@Suite("What an update drops and rewrites")
struct UpdateReviewTests {
  func tree(_ text: String) -> SyntaxTree { SliceReader.read(Array(text.utf8), format: .yaml) }

  func normalized(_ json: String) throws -> Value { try #require(JSONReader().read(json).root?.value) }

  func text(_ source: String, _ range: ByteRange) -> String {
    String(decoding: Array(source.utf8)[range], as: UTF8.self)
  }

  @Test func aNearMissIsHeldWithARenameAndAnUnknownKeyIsDropped() throws {
    let source = "name: a\ncolour: blue\nports: [{port: 1, taged: true}]\n"
    let review = UpdateReview.review(
      tree(source), normalized: try normalized(#"{"name": "a", "ports": [{"port": 1, "tagged": false}]}"#), policy: .hold)
    #expect(review.dropped == ["colour", "taged"])
    #expect(review.nearMisses == ["taged"])
    let nearMiss = try #require(review.findings.first { $0.code == FindingCode.updateNearMiss.rawValue })
    #expect(nearMiss.severity == .error)
    #expect(text(source, nearMiss.range) == "taged")
    #expect(nearMiss.message.hasPrefix("would drop 'ports[0].taged' (did you mean 'tagged'?)"))
    #expect(nearMiss.fixes.first?.edits.first?.newText == "tagged")
    let unknown = try #require(review.findings.first { $0.code == FindingCode.updateDropped.rawValue })
    #expect(text(source, unknown.range) == "colour" && unknown.severity == .warning)
  }

  @Test func underDropANearMissIsAWarning() throws {
    let review = UpdateReview.review(
      tree("name: a\nnmae: b\n"), normalized: try normalized(#"{"name": "a"}"#), policy: .drop)
    #expect(review.findings.map(\.code) == [FindingCode.updateDropped.rawValue])
    #expect(review.findings.first?.message == "dropped 'nmae' (did you mean 'name'?)")
    #expect(review.findings.first?.severity == .warning)
  }

  @Test func rewrittenValuesSayWhatTheyBecome() throws {
    let source = "mtu: \"1600\"\nsubnets: [a, b]\nflag: 1\n"
    let review = UpdateReview.review(
      tree(source), normalized: try normalized(#"{"mtu": 1600, "subnets": ["a"], "flag": true}"#), policy: .hold)
    #expect(
      review.findings.map(\.message) == [
        #"rewrote 'mtu' "1600" → 1600"#, #"rewrote 'subnets' ["a", "b"] → ["a"]"#, "rewrote 'flag' 1 → true",
      ])
    #expect(review.findings.map { text(source, $0.range) } == [#""1600""#, "[a, b]", "1"])
    #expect(review.findings.allSatisfy { $0.code == FindingCode.updateRewrote.rawValue && $0.severity == .information })
    #expect(review.nearMisses.isEmpty)
  }

  @Test func managedAndRepeatedKeysAreDroppedWithTheirReason() throws {
    let source = "version: 3\nname: a\nname: b\n"
    let review = UpdateReview.review(tree(source), normalized: try normalized(#"{"name": "b"}"#), policy: .hold)
    #expect(
      review.findings.map(\.message) == [
        "dropped 'version': it is managed by the compile", "dropped 'name': a later 'name' in the same mapping wins",
      ])
    #expect(review.nearMisses.isEmpty)
  }

  @Test func defaultsFilledInAndEqualValuesAreNotReported() throws {
    let review = UpdateReview.review(
      tree("name: a\nmtu: 1500\n"), normalized: try normalized(#"{"name": "a", "mtu": 1500, "dhcp": false}"#), policy: .hold)
    #expect(review.isEmpty)
  }

  @Test func aHugeKeyMakesABoundedMessage() throws {
    let key = String(repeating: "k", count: 100_000)
    let json = SliceReader.read(Array("{\"\(key)\": 1}".utf8), format: .json)
    let review = UpdateReview.review(json, normalized: try normalized("{}"), policy: .hold)
    #expect(review.findings.count == 1)
    #expect((review.findings.first?.message.count ?? .max) < 200)
  }
}

@Suite("Update's near misses and dry runs in the embedded engine")
struct UpdateHoldAndDryRunTests {
  static let typo = "site: bru\nvlan_id: 20\nname: t\nports: [{switch: sw1, port: 1, taged: true}]\n"

  @Test func aHeldFileIsUntouchedWhileTheOthersAreWritten() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("files/vlans/t.yaml", Self.typo)
    let outcome = try EmbeddedEngine.run(mode: .update, root: project.root, style: .reference, nearMisses: .hold)
    #expect(outcome.succeeded)
    #expect(outcome.heldFiles.map { URL(fileURLWithPath: $0).lastPathComponent } == ["t.yaml"])
    #expect(project.read("files/vlans/t.yaml") == Self.typo)
    #expect(!outcome.changes.isEmpty)
    #expect(!outcome.changes.contains { $0.path.hasSuffix("t.yaml") })
    let review = try #require(outcome.reviews.first { $0.file.lastPathComponent == "t.yaml" })
    #expect(review.findings.map(\.code) == [FindingCode.updateNearMiss.rawValue])
  }

  @Test func dropIsTheReferenceBehaviourAndIsReported() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("files/vlans/t.yaml", Self.typo)
    let outcome = try EmbeddedEngine.run(mode: .update, root: project.root, style: .reference)
    #expect(outcome.heldFiles.isEmpty)
    #expect(project.read("files/vlans/t.yaml")?.contains("taged") == false)
    #expect(outcome.reviews.flatMap(\.findings).contains { $0.message == "dropped 'ports[0].taged' (did you mean 'tagged'?)" })
  }

  @Test func aDryRunWritesNothingAndGivesTheBytesBeforeAndAfter() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let before = project.state()
    let outcome = try EmbeddedEngine.run(mode: .update, root: project.root, style: .reference, dryRun: true)
    #expect(outcome.succeeded)
    #expect(project.state() == before)
    #expect(!outcome.plannedWrites.isEmpty)
    #expect(outcome.changes.filter { $0.kind == .modified }.count == outcome.plannedWrites.count)
    for write in outcome.plannedWrites {
      #expect(write.before == FileManager.default.contents(atPath: write.path).map { [UInt8]($0) })
      #expect(write.after != nil && write.after != write.before)
    }
    // What the dry run plans is what the update then writes.
    _ = try EmbeddedEngine.run(mode: .update, root: project.root, style: .reference)
    for write in outcome.plannedWrites {
      #expect(FileManager.default.contents(atPath: write.path).map { [UInt8]($0) } == write.after)
    }
  }

  @Test func aDryRunRefusesToStartOverAnInterruptedCommit() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let journal = CommitRecovery.journalPath(root: project.root)
    try FileManager.default.createDirectory(
      atPath: (journal as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data("{}".utf8).write(to: URL(fileURLWithPath: journal))
    let before = project.state()
    #expect(throws: CompileSetupError.self) {
      try EmbeddedEngine.run(mode: .update, root: project.root, dryRun: true)
    }
    #expect(project.state() == before)
  }
}

@Suite("Scaffold placeholders")
struct PlaceholderTests {
  @Test func everyStringHoldingThePlaceholderIsAnErrorAtThePlaceholder() {
    let source = "a: <REPLACE_THIS>\nb: [\"x <REPLACE_THIS>\"]\n<REPLACE_THIS>: 1\nc: fine\n"
    let bytes = Array(source.utf8)
    let tree = SliceReader.read(bytes, format: .yaml)
    guard case .slice(let root) = tree.sliceKind else {
      Issue.record("not a slice")
      return
    }
    let findings = PlaceholderFindings.findings(in: root, source: bytes)
    #expect(findings.count == 3)
    #expect(findings.allSatisfy { $0.severity == .error && $0.code == "placeholder" })
    #expect(findings.allSatisfy { String(decoding: bytes[$0.range], as: UTF8.self) == "<REPLACE_THIS>" })
  }

  @Test func syncFailsOnAPlaceholderAndUpdateDoesNot() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("files/vlans/t.yaml", "site: <REPLACE_THIS>\nvlan_id: 20\nname: t\n")
    let before = project.state()
    let sync = try EmbeddedEngine.run(mode: .sync, root: project.root)
    #expect(!sync.succeeded)
    #expect(sync.failedFiles.flatMap(\.findings).map(\.code) == ["placeholder"])
    #expect(project.state() == before)
    let update = try EmbeddedEngine.run(mode: .update, root: project.root)
    #expect(update.succeeded)
  }
}

@Suite("Unified diffs")
struct UnifiedDiffTests {
  func diff(_ old: String?, _ new: String?) -> String {
    UnifiedDiff.text(old: old.map { Array($0.utf8) }, new: new.map { Array($0.utf8) }, label: "f.yaml")
  }

  @Test func sameTextsGiveNothing() { #expect(diff("a\n", "a\n") == "") }

  @Test func aChangeComesWithThreeLinesOfContext() {
    let old = (1...10).map { "l\($0)\n" }.joined()
    let new = old.replacingOccurrences(of: "l5\n", with: "five\n")
    #expect(
      diff(old, new) == """
        --- a/f.yaml
        +++ b/f.yaml
        @@ -2,7 +2,7 @@
         l2
         l3
         l4
        -l5
        +five
         l6
         l7
         l8

        """)
  }

  @Test func farChangesMakeTwoHunks() {
    let old = (1...20).map { "l\($0)\n" }.joined()
    let new = old.replacingOccurrences(of: "l2\n", with: "two\n").replacingOccurrences(of: "l19\n", with: "")
    let text = diff(old, new)
    #expect(text.contains("@@ -1,5 +1,5 @@\n l1\n-l2\n+two\n"))
    #expect(text.contains("@@ -16,5 +16,4 @@\n l16\n l17\n l18\n-l19\n l20\n"))
  }

  @Test func newAndMissingFinalNewlinesAndFiles() {
    #expect(diff("a", "a\n") == "--- a/f.yaml\n+++ b/f.yaml\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n")
    #expect(diff(nil, "x\n") == "--- /dev/null\n+++ b/f.yaml\n@@ -0,0 +1 @@\n+x\n")
    #expect(diff("x\n", nil) == "--- a/f.yaml\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n")
  }

  @Test func aHugeRewriteStaysACorrectDiff() {
    let old = (0..<5000).map { "o\($0)\n" }.joined()
    let new = (0..<5000).map { "n\($0)\n" }.joined()
    let text = diff(old, new)
    #expect(text.hasPrefix("--- a/f.yaml\n+++ b/f.yaml\n@@ -1,5000 +1,5000 @@\n-o0\n"))
    #expect(text.split(separator: "\n").count == 3 + 10_000)
  }
}
