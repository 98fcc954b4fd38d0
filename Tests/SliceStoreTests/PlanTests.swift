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
    #expect(byPath["."] == .updated)
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
