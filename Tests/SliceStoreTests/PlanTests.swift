import SliceStore
import SliceSyntax
import Testing

@Suite struct PlanTests {
  func changes(_ plan: SlicePlan) -> [String: SlicePlan.Change] {
    var byPath: [String: SlicePlan.Change] = [:]
    for element in plan.elements { byPath[element.path.description] = element.change }
    return byPath
  }

  @Test func modifiedSlice() throws {
    let v1 = TestShapes.root(items: [TestShapes.item("a", "kept"), TestShapes.item("a", "edited"), TestShapes.item("a", "gone")])
    let source = TestShapes.root(items: [TestShapes.item("a", "kept"), TestShapes.item("a", "edited", value: "new"), TestShapes.item("b", "added")])
    let snapshot = StoreSnapshot(
      storeName: "s", sources: [SourceSlice(name: "r", attributes: source)], active: ["r": [ActiveVersion(version: 1, attributes: v1)]])
    let plan = try #require(snapshot.plan(catalog: TestShapes.catalog).first)
    #expect(plan.decision.version == 2 && plan.decision.change == .modified && plan.hasChanges)
    #expect(plan.emitted && plan.failure == nil)
    let byPath = changes(plan)
    #expect(byPath["items[kind=a][name=kept]"] == .unchanged)
    #expect(byPath["items[kind=a][name=edited]"] == .updated)
    #expect(byPath["items[kind=b][name=added]"] == .created)
    #expect(byPath["items[kind=a][name=gone]"] == .purged)
    // Its own attributes are unchanged: the root only holds the changes.
    #expect(byPath["."] == .unchanged)
    #expect(plan.elements(.purged).map(\.path.description) == ["items[kind=a][name=gone]"])
    #expect(plan.elements.first?.path == .root)
  }

  @Test func newRemovedAndNeverUndeletedSlices() throws {
    let v1 = TestShapes.root(items: [TestShapes.item("a", "x")])
    let snapshot = StoreSnapshot(
      storeName: "s",
      sources: [SourceSlice(name: "new", attributes: TestShapes.root()), SourceSlice(name: "empty", attributes: .deletedSlice)],
      active: ["removed": [ActiveVersion(version: 1, attributes: v1)]])
    let plans = snapshot.plan(catalog: TestShapes.catalog)
    #expect(plans.map(\.name) == ["empty", "new", "removed"])

    let empty = plans[0]
    #expect(!empty.emitted && empty.elements.isEmpty && empty.decision.version == 1)

    let new = plans[1]
    #expect(new.decision.change == .new)
    #expect(new.elements.allSatisfy { $0.change == .created })

    let removed = plans[2]
    #expect(removed.decision.change == .deleted && removed.decision.version == 2)
    #expect(!removed.elements.isEmpty && removed.elements.allSatisfy { $0.change == .purged })
    #expect(removed.elements.map(\.path.description).contains("items[kind=a][name=x]"))
  }

  @Test func unchangedSliceStillShowsPendingPurges() throws {
    // v2 removed an item; the source still equals v2, so nothing new is activated, and until a
    // prune the item stays purged in the model's view.
    let v1 = TestShapes.root(items: [TestShapes.item("a", "x"), TestShapes.item("a", "y")])
    let v2 = TestShapes.root(items: [TestShapes.item("a", "x")])
    let snapshot = StoreSnapshot(
      storeName: "s", sources: [SourceSlice(name: "r", attributes: v2)],
      active: ["r": [ActiveVersion(version: 1, attributes: v1), ActiveVersion(version: 2, attributes: v2)]])
    let plan = try #require(snapshot.plan(catalog: TestShapes.catalog).first)
    #expect(!plan.hasChanges && plan.decision.version == 2)
    #expect(plan.elements(.purged).map(\.path.description) == ["items[kind=a][name=y]"])
  }

  @Test func failureIsReported() throws {
    // Re-created before the deleted version was pruned: the reference fails (KeyError).
    let snapshot = StoreSnapshot(
      storeName: "s", sources: [SourceSlice(name: "r", attributes: TestShapes.root())],
      active: ["r": [ActiveVersion(version: 1, attributes: TestShapes.root()), ActiveVersion(version: 2, attributes: .deletedSlice)]])
    let plan = try #require(snapshot.plan(catalog: TestShapes.catalog).first)
    #expect(plan.decision.version == 3)
    #expect(plan.failure?.referenceMessage == "KeyError: 'items'")
    #expect(plan.elements.isEmpty)
  }
}

@Suite struct PlanDetailTests {
  func plan(source: Value, history: [Value]) throws -> SlicePlan {
    let snapshot = StoreSnapshot(
      storeName: "s", sources: [SourceSlice(name: "r", attributes: source)],
      active: ["r": history.enumerated().map { ActiveVersion(version: $0.offset + 1, attributes: $0.element) }])
    return try #require(snapshot.plan(catalog: TestShapes.catalog).first)
  }

  func element(_ plan: SlicePlan, _ path: String) throws -> SlicePlan.Element {
    try #require(plan.elements.first { $0.path.description == path })
  }

  @Test func anElementIsUpdatedOnlyWhenItsOwnAttributesChange() throws {
    let v1 = TestShapes.root(items: [TestShapes.item("a", "edited", value: "old"), TestShapes.item("a", "kept")])
    let source = TestShapes.root(items: [TestShapes.item("a", "edited", value: "new"), TestShapes.item("a", "kept")])
    let plan = try plan(source: source, history: [v1])
    let root = try element(plan, ".")
    #expect(root.operation == .update, "the model is told to update the root: something below it changed")
    #expect(root.change == .unchanged && root.isContext && root.attributeChanges.isEmpty)
    let edited = try element(plan, "items[kind=a][name=edited]")
    #expect(edited.change == .updated && !edited.isContext)
    #expect(edited.attributeChanges == [AttributeChange(name: "value", before: .string("old"), after: .string("new"))])
    #expect(try element(plan, "items[kind=a][name=kept]").change == .unchanged)
    #expect(PlanReport.summary([PlanReport.StorePlans(store: "s", plans: [plan])]) == PlanReport.Summary(update: 1, changedSlices: 1))
  }

  @Test func attributeChangesSayAddedRemovedAndChanged() throws {
    let v1 = TestShapes.root(size: 1)
    let source = TestShapes.object([
      "operation": .string("create"), "version": .integer(0), "slice_store": .string(""), "slice_name": .string(""),
      "name": .null, "size": .integer(2),
      "meta": TestShapes.object(["operation": .string("create"), "note": .string("n")]),
      "extra": .null, "items": .array([]), "plain": .array([]),
    ])
    let plan = try plan(source: source, history: [v1])
    let root = try element(plan, ".")
    #expect(root.change == .updated)
    #expect(root.attributeChanges.map(\.kind) == [.removed, .changed])
    #expect(root.attributeChanges.map(\.name) == ["name", "size"])
    let meta = try element(plan, "meta")
    #expect(meta.attributeChanges == [AttributeChange(name: "note", before: .string(""), after: .string("n"))])

    let text = PlanReport.text([PlanReport.StorePlans(store: "s", plans: [plan])], style: TerminalStyle(colored: false))
    #expect(
      text == """
        s/r: v1 → v2
          ~ . (Root)
              - name: "r"
              ~ size: 1 → 2
          ~ meta (Meta)
              ~ note: "" → "n"

        Plan: 0 to create, 2 to update, 0 to purge

        """)
  }

  @Test func aCreatedElementListsItsValuesAndLongValuesAreCut() throws {
    let long = String(repeating: "x", count: 100)
    let source = TestShapes.root(items: [TestShapes.item("a", "new", value: long)])
    let plan = try plan(source: source, history: [TestShapes.root()])
    let created = try element(plan, "items[kind=a][name=new]")
    #expect(created.change == .created)
    #expect(created.attributeChanges.map(\.name) == ["kind", "name", "value"])
    #expect(created.attributeChanges.allSatisfy { $0.kind == .added })
    let text = PlanReport.text([PlanReport.StorePlans(store: "s", plans: [plan])], style: TerminalStyle(colored: false))
    let shown = "      + value: \"" + String(repeating: "x", count: PlanReport.shownValueLength - 2) + "…\n"
    #expect(text.contains("  + items[kind=a][name=new] (A)\n      + kind: \"a\"\n      + name: \"new\"\n" + shown))
    // Compact nested values: one line, the JSON spelling.
    #expect(PlanReport.compact(.array([.integer(1), TestShapes.object(["a": .boolean(true)])])) == "[1, {\"a\": true}]")
    // Whole values for machines.
    let json = try #require(JSONReader().read(PlanReport.json([PlanReport.StorePlans(store: "s", plans: [plan])])).root?.value)
    let item = try #require(json["stores"]?.elements?.first?["slices"]?.elements?.first?["elements"]?.elements?.first {
      $0["path"] == .string("items[kind=a][name=new]")
    })
    #expect(item["attributes"]?.elements?.last?["after"] == .string(long))
    #expect(item["attributes"]?.elements?.last?["change"] == .string("added"))
  }

  @Test func purgesTheActiveVersionsStillCarryAreListedAsSuch() throws {
    // Right after a sync: the source equals v2, which removed an item; exports carry its
    // purge until a prune.
    let v1 = TestShapes.root(items: [TestShapes.item("a", "x"), TestShapes.item("a", "y")])
    let v2 = TestShapes.root(items: [TestShapes.item("a", "x")])
    let plan = try plan(source: v2, history: [v1, v2])
    #expect(!plan.hasChanges)
    #expect(plan.pendingPurges.map(\.path.description) == ["items[kind=a][name=y]"])
    let stores = [PlanReport.StorePlans(store: "s", plans: [plan])]
    let summary = PlanReport.summary(stores)
    #expect(summary == PlanReport.Summary(pendingPurge: 1))
    #expect(!summary.hasChanges)
    let text = PlanReport.text(stores, style: TerminalStyle(colored: false))
    #expect(
      text == """
        Already activated, purged by every export until a prune:
        s/r: v2, unchanged; its active versions still purge 1 object until a prune
          - items[kind=a][name=y] (A)

        Plan: 0 to create, 0 to update, 0 to purge; 1 purge still carried by the active versions until a prune

        """)
    #expect(!text.contains("purges nothing"))
    let json = try #require(JSONReader().read(PlanReport.json(stores)).root?.value)
    #expect(json["summary"]?["pending_purge"] == .integer(1))
  }

  @Test func aPurgeTheLatestVersionAlreadyCarriesIsNotCountedAgain() throws {
    // v2 removed y; the source also adds z: the sync is a change, but y's purge is not new.
    let v1 = TestShapes.root(items: [TestShapes.item("a", "x"), TestShapes.item("a", "y")])
    let v2 = TestShapes.root(items: [TestShapes.item("a", "x")])
    let source = TestShapes.root(items: [TestShapes.item("a", "x"), TestShapes.item("a", "z")])
    let snapshot = StoreSnapshot(
      storeName: "s", sources: [SourceSlice(name: "r", attributes: source)],
      active: ["r": [ActiveVersion(version: 1, attributes: v1), ActiveVersion(version: 2, attributes: v2)]])
    var plan = try #require(snapshot.plan(catalog: TestShapes.catalog).first)
    #expect(plan.hasChanges)
    #expect(!(try element(plan, "items[kind=a][name=y]").alreadyPurged), "only plan asks for the second merge")
    snapshot.markAlreadyPurged(&plan, catalog: TestShapes.catalog)
    #expect(try element(plan, "items[kind=a][name=y]").alreadyPurged)
    #expect(plan.newPurges.isEmpty && plan.pendingPurges.map(\.path.description) == ["items[kind=a][name=y]"])
    let stores = [PlanReport.StorePlans(store: "s", plans: [plan])]
    #expect(PlanReport.summary(stores) == PlanReport.Summary(create: 1, pendingPurge: 1, changedSlices: 1))
    let text = PlanReport.text(stores, style: TerminalStyle(colored: false))
    #expect(text.contains("  - items[kind=a][name=y] (A) already purged by v2, until a prune\n"), "\(text)")
    #expect(text.hasSuffix("Plan: 1 to create, 0 to update, 0 to purge; 1 purge still carried by the active versions until a prune\n"))
  }

  @Test func markdownSummarisesForAMergeRequest() throws {
    let v1 = TestShapes.root(items: [TestShapes.item("a", "gone"), TestShapes.item("a", "edited", value: "old")])
    let source = TestShapes.root(items: [TestShapes.item("a", "edited", value: "new")])
    let snapshot = StoreSnapshot(
      storeName: "s", sources: [SourceSlice(name: "r|1", attributes: source)],
      active: ["r|1": [ActiveVersion(version: 1, attributes: v1)]])
    let stores = [PlanReport.StorePlans(store: "s", plans: snapshot.plan(catalog: TestShapes.catalog))]
    let markdown = PlanReport.markdown(stores)
    #expect(markdown.hasPrefix("### slicels plan\n\n**Plan: 0 to create, 1 to update, 1 to purge**\n"))
    #expect(markdown.contains("| Slice | Version | Create | Update | Purge |\n| --- | --- | ---: | ---: | ---: |\n"))
    #expect(markdown.contains("| s/r\\|1 | v1 → v2 | 0 | 1 | 1 |\n"), "a | in a name does not split the cell")
    #expect(markdown.contains("> [!WARNING]\n> The next export purges 1 object"))
    #expect(markdown.contains("> - s/r\\|1 items\\[kind=a\\]\\[name=gone\\]\n"))
    #expect(markdown.contains("```diff\ns/r|1: v1 → v2\n"))
    #expect(markdown.contains("      ~ value: \"old\" → \"new\"\n"))
    #expect(markdown.hasSuffix("```\n\n</details>\n"))
    #expect(PlanReport.markdown([]).contains("No changes"))
  }
}
