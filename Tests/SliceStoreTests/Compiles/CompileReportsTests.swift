import Foundation
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

@Suite("New slices, plans, export trees and schema overviews")
struct CompileReportsTests {
  // The reference's slice-create output for the example's stores (inmanta compile with
  // INMANTA_GIT_OPS_COMPILE_MODE=slice-create, inmanta-module-git-ops 0.7.2).
  static let referenceVlansJSON = """
    {
      "site": "<REPLACE_THIS>",
      "vlan_id": "<REPLACE_THIS>",
      "name": "<REPLACE_THIS>",
      "description": null,
      "mtu": 1500,
      "dhcp": false,
      "subnets": [],
      "ports": []
    }
    """
  static let referenceFsYAML = "host: <REPLACE_THIS>\nroot: /\ncontent: []\n"

  func analysis(_ project: TemporaryProject) -> ProjectAnalysis {
    ProjectAnalysis.analyze(root: project.root, options: ProjectAnalysis.Options(compileHints: false))
  }

  @Test func newSlicesAreTheReferenceScaffolds() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let before = project.state()
    let vlans = try EmbeddedEngine.storeWithSchema("vlans", in: analysis(project))
    let path = try NewSlice.create(name: "core", format: .json, store: vlans, schema: try #require(vlans.schema))
    #expect(path.hasSuffix("files/vlans/core.json"))
    #expect(project.read("files/vlans/core.json") == Self.referenceVlansJSON)
    let fs = try EmbeddedEngine.storeWithSchema("fs", in: analysis(project))
    try NewSlice.create(name: "app01", format: .yaml, store: fs, schema: try #require(fs.schema))
    #expect(project.read("files/fs/app01.yaml") == Self.referenceFsYAML)
    // The new files are the only writes.
    var expected = before
    expected["files/vlans/core.json"] = Array(Self.referenceVlansJSON.utf8)
    expected["files/fs/app01.yaml"] = Array(Self.referenceFsYAML.utf8)
    #expect(project.state() == expected)
  }

  @Test func newRefusesExistingSlicesAndInvalidNames() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let vlans = try EmbeddedEngine.storeWithSchema("vlans", in: analysis(project))
    let schema = try #require(vlans.schema)
    let before = project.state()
    // office.yaml exists: another format is refused too, like the reference.
    #expect(throws: NewSlice.Failure.exists(path: vlans.folders.source(named: "office")?.path ?? "")) {
      try NewSlice.create(name: "office", format: .json, store: vlans, schema: schema)
    }
    for name in ["", ".hidden", "a/b", "a@v1"] {
      #expect(throws: NewSlice.Failure.self) { try NewSlice.create(name: name, format: .json, store: vlans, schema: schema) }
    }
    #expect(project.state() == before)
  }

  @Test func planListsTheChangingSlicesAndCountsTheirObjects() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let outcome = try EmbeddedEngine.plan(root: project.root)
    #expect(outcome.succeeded)
    let summary = PlanReport.summary(outcome.stores)
    #expect(summary == PlanReport.Summary(create: 4, update: 2, purge: 2, pendingPurge: 4, changedSlices: 3))
    let text = PlanReport.text(outcome.stores, style: TerminalStyle(colored: false))
    #expect(text.hasSuffix("Plan: 4 to create, 2 to update, 2 to purge; 4 purges still carried by the active versions until a prune\n"))
    #expect(
      text.contains(
        "vlans/office: v2 → v3\n  ~ . (Vlan)\n      + description: \"Desks, printers and meeting rooms\"\n      ~ mtu: 1500 → 9216\n  - ports[switch=sw1][port=2] (PortAssignment)\n"
      ))
    #expect(text.contains("vlans/voice: new slice, v1\n  + . (Vlan)\n"))
    #expect(!text.contains("vlans/lab"), "unchanged slices are not in the text plan")
    #expect(!text.contains("\u{1B}["))
    #expect(PlanReport.text(outcome.stores, style: TerminalStyle(colored: true)).contains("\u{1B}[31m- ports"))

    let json = try #require(JSONReader().read(PlanReport.json(outcome.stores)).root?.value)
    #expect(json["summary"]?["purge"] == .integer(2))
    #expect(json["summary"]?["pending_purge"] == .integer(4))
    let vlanSlices = try #require(json["stores"]?.elements?.last?["slices"]?.elements)
    #expect(vlanSlices.compactMap { $0["name"]?.scalarValue } == [.string("guest"), .string("lab"), .string("office"), .string("voice")])
  }

  @Test func planAfterSyncHasNothingToSyncButListsThePurgesStillCarried() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    _ = try EmbeddedEngine.run(mode: .sync, root: project.root)
    let outcome = try EmbeddedEngine.plan(root: project.root, stores: ["vlans"])
    let export = try EmbeddedEngine.run(mode: .export, root: project.root, stores: ["vlans"])
    let carried = ExportReport.json(export.exportedSlices).components(separatedBy: "\"operation\": \"delete\"").count - 1
    #expect(PlanReport.summary(outcome.stores) == PlanReport.Summary(pendingPurge: carried))
    #expect(carried == 4)
    let text = PlanReport.text(outcome.stores, style: TerminalStyle(colored: false))
    #expect(text.hasPrefix("Already activated, purged by every export until a prune:\n"), "\(text)")
    _ = try EmbeddedEngine.run(mode: .prune, root: project.root)
    let pruned = try EmbeddedEngine.plan(root: project.root, stores: ["vlans"])
    #expect(PlanReport.text(pruned.stores, style: TerminalStyle(colored: false)).hasPrefix("No changes"))
  }

  @Test func planReportsFilesTheCompileFailsOn() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    try project.write("files/vlans/broken.json", "{\"site\": 1")
    let outcome = try EmbeddedEngine.plan(root: project.root)
    #expect(!outcome.succeeded)
    #expect(outcome.failedFiles.map(\.file.lastPathComponent) == ["broken.json"])
  }

  @Test func exportTreeShowsEachObjectWithItsOperation() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let outcome = try EmbeddedEngine.run(mode: .export, root: project.root, slices: ["guest", "office"])
    let text = ExportReport.text(outcome.exportedSlices, style: TerminalStyle(colored: false))
    #expect(text.contains("vlans/guest v2 [delete] (deleted slice: everything is purged)\n"))
    #expect(text.contains("  ports[switch=sw2][port=24] [delete]\n    switch=\"sw2\" port=24 tagged=true\n"))
    #expect(text.contains("vlans/office v2 [update]\n  site=\"bru\" vlan_id=10"))
    let json = try #require(JSONReader().read(ExportReport.json(outcome.exportedSlices)).root?.value)
    #expect(json.elements?.count == 2)
    #expect(json.elements?.first?.members?.map { $0.key.string ?? "" } == ["name", "store_name", "version", "attributes", "deleted"])
  }

  @Test func schemaOverviewShowsModelsPropertiesAndKeys() throws {
    let project = try TemporaryProject.example()
    defer { project.remove() }
    let store = try EmbeddedEngine.storeWithSchema("vlans", in: analysis(project))
    let schema = try #require(store.schema)
    let text = SchemaOverview.text(store: "vlans", schema: schema, relativeTo: project.root, style: TerminalStyle(colored: false))
    #expect(text.hasPrefix("Store vlans: schema files/schemas/vlans.json\nRoot model: Vlan\n"))
    #expect(text.contains("  mtu          integer                 default 1500\n"))
    #expect(text.contains("  vlan_id      integer                 required\n"))
    #expect(text.contains("identity keys: switch, port (inferred: the required scalar properties, in schema order)"))
    #expect(!text.contains("Vlan (root) — A VLAN of a site.\n  identity"), "the root is in no list: no identity")

    try project.write("slicels.yml", "stores:\n  vlans:\n    keys: {PortAssignment: [switch, port, tagged]}\n")
    let configured = try EmbeddedEngine.storeWithSchema("vlans", in: analysis(project))
    let configuredText = SchemaOverview.text(
      store: "vlans", schema: try #require(configured.schema), relativeTo: nil, style: TerminalStyle(colored: false))
    #expect(configuredText.contains("identity keys: switch, port, tagged (from slicels.yml)"))
  }
}
