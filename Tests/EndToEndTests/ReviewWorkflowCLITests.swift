import Foundation
import SliceTestSupport
import Testing

/// What a reviewer and a CI job get from the command line: plan's detail and exit codes,
/// check's scope, color conventions, prune's dry run, the pre-commit hooks.
@Suite("Review and CI workflow through the command line")
struct ReviewWorkflowCLITests {
  func changedEntries(_ before: [String: [UInt8]], _ after: [String: [UInt8]]) -> [String] {
    Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
  }

  /// Runs `slicels ARGUMENTS` in the project folder with a terminal as its output (through
  /// util-linux' `script`), NO_COLOR set to `noColor` (nil: unset).
  func runOnATerminal(_ project: CLIProject, _ arguments: [String], noColor: String?) throws -> CommandRun {
    let binary = try ServerProcess.binary()
    let command = ([binary.path] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qec", command, "/dev/null"]
    process.currentDirectoryURL = project.root
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = noColor
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandRun(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), errors: "")
  }

  static var hasScript: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/script") }

  // MARK: plan

  @Test func planShowsAttributeChangesAndCountsOnlyObjectsThatChangeThemselves() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let before = project.state()
    let plan = try project.run(["plan"])
    #expect(plan.status == 0, "\(plan.all)")
    #expect(plan.output.contains("vlans/office: v2 → v3\n  ~ . (Vlan)\n      + description: \"Desks, printers and meeting rooms\"\n      ~ mtu: 1500 → 9216\n"), "\(plan.output)")
    #expect(plan.output.contains("      ~ content: \"<h1>web01</h1>\\n\" → \"<h1>web01</h1>\\n<p>Hello</p>\\n\"\n"))
    // web01's root and folders only hold the changes: context, not updates.
    #expect(plan.output.contains("fs/web01: v3 → v4\n    . (Host)\n"))
    #expect(plan.output.contains("  - ports[switch=sw2][port=1] (PortAssignment) already purged by v2, until a prune\n"))
    #expect(plan.output.contains("Plan: 4 to create, 2 to update, 2 to purge; 4 purges still carried"))
    #expect(changedEntries(before, project.state()).isEmpty)
  }

  @Test func afterASyncPlanListsThePurgesExportStillCarries() throws {
    let project = try CLIProject()
    defer { project.remove() }
    #expect(try project.run(["sync"]).status == 0)
    let export = try project.run(["export", "--json"])
    let carried = export.output.components(separatedBy: "\"operation\": \"delete\"").count - 1
    #expect(carried > 0)
    let plan = try project.run(["plan"])
    #expect(plan.status == 0, "\(plan.all)")
    #expect(!plan.output.contains("purges nothing"), "\(plan.output)")
    #expect(plan.output.contains("Already activated, purged by every export until a prune:\n"))
    #expect(plan.output.contains("Plan: 0 to create, 0 to update, 0 to purge; \(carried) purges still carried by the active versions until a prune\n"), "\(plan.output)")
    let purgeLines = plan.output.split(separator: "\n").filter { $0.hasPrefix("  - ") }
    #expect(purgeLines.count == carried)
    #expect(try project.run(["plan", "--detailed-exitcode"]).status == 0, "nothing left to sync")
    // After a prune, nothing is carried any more.
    #expect(try project.run(["prune"]).status == 0)
    let pruned = try project.run(["plan"])
    #expect(pruned.output.hasPrefix("No changes: the next sync activates no new version and the next export purges nothing."), "\(pruned.output)")
  }

  @Test func planAcceptsStoreSlashNameNamesAndFilePaths() throws {
    let project = try CLIProject()
    defer { project.remove() }
    for reference in ["vlans/office", "office", "files/vlans/office.yaml", "git_ops/active/vlans/office@v1.json", "./files/vlans/office.yaml"] {
      let plan = try project.run(["plan", reference])
      #expect(plan.status == 0, "\(reference): \(plan.all)")
      #expect(plan.output.hasPrefix("vlans/office: v2 → v3\n"), "\(reference): \(plan.output)")
      #expect(!plan.output.contains("vlans/voice") && !plan.output.contains("fs/web01"), "\(reference): \(plan.output)")
    }
    let folder = try project.run(["plan", "files/fs"])
    #expect(folder.output.contains("fs/web01") && !folder.output.contains("vlans/"), "\(folder.output)")

    let unknownName = try project.run(["plan", "vlans/nosuch"])
    #expect(unknownName.status == 2 && unknownName.errors.contains("vlans/nosuch: store 'vlans' has no slice 'nosuch'"), "\(unknownName.all)")
    let notASlice = try project.run(["plan", "files/schemas/vlans.json"])
    #expect(notASlice.status == 2 && notASlice.errors.contains("files/schemas/vlans.json: not a slice file of the stores 'fs', 'vlans'"), "\(notASlice.all)")
    let nothing = try project.run(["plan", "nosuch"])
    #expect(nothing.status == 2 && nothing.errors.contains("nosuch: no such slice"), "\(nothing.all)")
  }

  @Test func planJSONCarriesTheAttributeChanges() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let plan = try project.run(["plan", "--format", "json", "vlans/office"])
    #expect(plan.status == 0, "\(plan.all)")
    #expect(plan.output.contains("\"name\": \"mtu\",\n                  \"change\": \"changed\",\n                  \"before\": 1500,\n                  \"after\": 9216"), "\(plan.output)")
    #expect(plan.output.contains("\"pending_purge\": 1,"), "sw2/1, removed by v2")
    #expect(try project.run(["plan", "--json", "vlans/office"]).output == plan.output)
    let clash = try project.run(["plan", "--json", "--format", "markdown"])
    #expect(clash.status == 2 && clash.errors.contains("--json and --format markdown do not go together"))
  }

  @Test func planMarkdownIsAMergeRequestSummary() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let plan = try project.run(["plan", "--format", "markdown"])
    #expect(plan.status == 0, "\(plan.all)")
    #expect(plan.output.hasPrefix("### slicels plan\n\n**Plan: 4 to create, 2 to update, 2 to purge** (and 4 purges still carried"), "\(plan.output)")
    #expect(plan.output.contains("| vlans/office | v2 → v3 | 0 | 1 | 1 |\n"))
    #expect(plan.output.contains("> The next export purges 2 objects"))
    #expect(plan.output.contains("```diff\n") && plan.output.hasSuffix("</details>\n"))
    #expect(!plan.output.contains("\u{1B}["))
  }

  @Test func planDetailedExitcodeIsTerraformsConvention() throws {
    let project = try CLIProject()
    defer { project.remove() }
    #expect(try project.run(["plan", "--detailed-exitcode"]).status == 2, "changes")
    #expect(try project.run(["plan"]).status == 0, "without the flag, changes are a success")
    #expect(try project.run(["plan", "--detailed-exitcode", "lab"]).status == 0, "lab is unchanged")
    #expect(try project.run(["plan", "--detailed-exitcode", "nosuch"]).status == 1, "an unknown slice is an error")
    #expect(try project.run(["plan", "--detailed-exitcode", "--store", "nosuch"]).status == 1)
    try project.write("files/vlans/broken.json", "{\"site\": 1")
    let broken = try project.run(["plan", "--detailed-exitcode"])
    #expect(broken.status == 1 && broken.errors.contains("files/vlans/broken.json:1:"), "\(broken.all)")
  }

  // MARK: check

  @Test func checkOutsideAProjectExits2SayingWhatItLookedFor() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let empty = project.folder.appendingPathComponent("elsewhere")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let here = try CLIProject.execute(try ServerProcess.binary(), ["check"], in: empty)
    #expect(here.status == 2, "\(here.all)")
    #expect(here.errors.contains("not inside an inmanta project (looked for project.yml or files/git-ops-config.yml in it and every folder above)"), "\(here.errors)")
    #expect(!here.all.contains("no findings"))
    let named = try project.run(["check", empty.path])
    #expect(named.status == 2 && named.errors.contains("\(empty.path): not inside an inmanta project"), "\(named.all)")
  }

  @Test func checkOfAFolderOrFileReportsOnItOnly() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let cleanVlans = try project.run(["check", "files/vlans"])
    #expect(cleanVlans.status == 0 && cleanVlans.errors.contains("no findings in 3 files"), "\(cleanVlans.all)")
    try project.write("files/vlans/broken.json", "{\"site\": 1")
    try project.write("files/fs/broken.json", "[1,")
    let vlans = try project.run(["check", "files/vlans"])
    #expect(vlans.status == 1, "\(vlans.all)")
    #expect(vlans.output.contains("files/vlans/broken.json:1:") && !vlans.output.contains("files/fs/"), "\(vlans.output)")
    #expect(vlans.errors.contains("1 error in 1 file"), "\(vlans.errors)")
    let fs = try project.run(["check", "files/fs/broken.json"])
    #expect(fs.output.contains("files/fs/broken.json:1:") && !fs.output.contains("files/vlans/"), "\(fs.output)")
    let clean = try project.run(["check", "git_ops"])
    #expect(clean.status == 0 && clean.errors.contains("no findings in 10 files"), "the active files: \(clean.all)")
    let whole = try project.run(["check", "."])
    #expect(whole.output.contains("files/vlans/broken.json") && whole.output.contains("files/fs/broken.json"))
  }

  // MARK: color

  @Test func colorFlagsWinOverTheTerminalAndNO_COLOR() throws {
    let project = try CLIProject()
    defer { project.remove() }
    // CLIProject runs with NO_COLOR=1 and no terminal.
    #expect(try project.run(["plan", "--color", "always"]).output.contains("\u{1B}["))
    #expect(!(try project.run(["plan"]).output.contains("\u{1B}[")))
    try project.write("files/vlans/broken.json", "{\"site\": 1")
    #expect(try project.run(["check", "--color", "always"]).output.contains("\u{1B}["))
    #expect(try project.run(["schema", "vlans", "--color", "always"]).output.contains("\u{1B}["))
    let bad = try project.run(["plan", "--color", "sometimes"])
    #expect(bad.status == 2 && bad.errors.contains("sometimes"))
  }

  @Test(.enabled(if: ReviewWorkflowCLITests.hasScript)) func NO_COLORTurnsColorOffOnATerminal() throws {
    let project = try CLIProject()
    defer { project.remove() }
    #expect(try runOnATerminal(project, ["plan"], noColor: nil).output.contains("\u{1B}["), "a terminal is colored")
    #expect(try runOnATerminal(project, ["plan"], noColor: "").output.contains("\u{1B}["), "an empty NO_COLOR does not count")
    let off = try runOnATerminal(project, ["plan"], noColor: "1")
    #expect(off.output.contains("Plan:") && !off.output.contains("\u{1B}["), "\(off.output)")
    #expect(!(try runOnATerminal(project, ["plan", "--color", "never"], noColor: nil).output.contains("\u{1B}[")))
    #expect(!(try runOnATerminal(project, ["plan", "--no-color"], noColor: nil).output.contains("\u{1B}[")))
    #expect(try runOnATerminal(project, ["plan", "--color", "always"], noColor: "1").output.contains("\u{1B}["))
  }

  // MARK: prune --dry-run

  @Test func pruneDryRunListsWhatPruneDeletesAndWritesNothing() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let before = project.state()
    let dryRun = try project.run(["prune", "--dry-run"])
    #expect(dryRun.status == 0, "\(dryRun.all)")
    #expect(changedEntries(before, project.state()).isEmpty)
    let listed = dryRun.output.split(separator: "\n").map { String($0) }
    #expect(listed.contains("would delete git_ops/active/vlans/office@v1.json"), "\(dryRun.output)")
    #expect(dryRun.errors.contains("prune --dry-run: \(listed.count) files would be deleted in fs, vlans; nothing was written"))

    let prune = try project.run(["prune"])
    #expect(prune.status == 0, "\(prune.all)")
    let deleted = changedEntries(before, project.state())
    #expect(deleted == listed.map { $0.replacingOccurrences(of: "would delete ", with: "network-project/") }.sorted())
    let again = try project.run(["prune", "--dry-run"])
    #expect(again.output.isEmpty && again.errors.contains("nothing to delete"), "\(again.all)")
  }

  @Test func pruneDryRunKeepsToItsSelectionAndRefusesTheRealEngine() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let guest = try project.run(["prune", "--dry-run", "guest"])
    #expect(guest.output == "would delete git_ops/active/vlans/guest@v1.json\nwould delete git_ops/active/vlans/guest@v2.json\n", "\(guest.all)")
    let inmanta = try project.run(["prune", "--dry-run", "--engine", "inmanta"])
    #expect(inmanta.status == 2 && inmanta.errors.contains("--dry-run applies to the embedded engine only"))
  }

  // MARK: help and hooks

  @Test func helpDocumentsEveryNewFlag() throws {
    let project = try CLIProject()
    defer { project.remove() }
    let plan = try project.run(["plan", "--help"])
    for flag in ["--detailed-exitcode", "--format <format>", "--color <when>", "--no-color", "store/name"] {
      #expect(plan.all.contains(flag), "plan --help lacks \(flag)")
    }
    #expect(try project.run(["prune", "--help"]).all.contains("--dry-run"))
    for command in ["check", "update", "sync", "export", "prune", "schema"] {
      #expect(try project.run([command, "--help"]).all.contains("--color <when>"), "\(command) --help")
    }
  }

  @Test func thePreCommitHooksRunSlicels() throws {
    let hooks = try String(contentsOf: TestPackage.root.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
    #expect(hooks.contains("- id: slicels-check\n"))
    #expect(hooks.contains("  entry: slicels check\n"))
    #expect(hooks.contains("- id: slicels-update-check\n"))
    #expect(hooks.contains("  entry: slicels update --check\n"))
    #expect(hooks.components(separatedBy: "  pass_filenames: false\n").count == 3)
    let project = try CLIProject()
    defer { project.remove() }
    #expect(try project.run(["check"]).status == 0, "the hook's command passes on a clean project")
  }
}
