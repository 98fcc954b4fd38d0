import SliceStore
import SliceSyntax
import Testing

@Suite struct DictPathLocationTests {
  let catalog = TestShapes.catalog

  @Test func locatesEveryElementOfAMergedView() throws {
    let state = TestShapes.root(
      items: [TestShapes.item("a", "1"), TestShapes.item("b", "1")],
      plain: [TestShapes.plain(.null), TestShapes.plain(.float(2.5))],
      extra: TestShapes.object(["operation": .string("create"), "note": .string("n")]))
    let (_, elements) = try Merger(catalog: catalog).mergeListingElements(current: state, previous: nil)
    #expect(elements.count == 7)
    for element in elements {
      #expect(catalog.locate(element.path, in: state) != nil, "\(element.path)")
    }
    let folder = DictPath([.item(relation: "items", identity: Identity([.init(key: "kind", value: "b"), .init(key: "name", value: "1")]))])
    #expect(catalog.locate(folder, in: state) == [.key("items"), .index(1)])
    #expect(catalog.locate(DictPath([.relation("extra")]), in: state) == [.key("extra")])
    #expect(catalog.locate(.root, in: state) == [])
  }

  @Test func absentElementsAreNotFound() {
    let state = TestShapes.root(items: [TestShapes.item("a", "1")])
    #expect(catalog.locate(DictPath([.relation("extra")]), in: state) == nil)
    #expect(catalog.locate(DictPath([.item(relation: "items", identity: Identity([.init(key: "kind", value: "a"), .init(key: "name", value: "2")]))]), in: state) == nil)
    #expect(catalog.locate(DictPath([.relation("nope")]), in: state) == nil)
    #expect(catalog.locate(DictPath([.relation("meta")]), in: .deletedSlice) == nil)
  }

  @Test func purgedItemIsFoundInThePreviousVersion() throws {
    let v1 = TestShapes.root(items: [TestShapes.item("a", "x"), TestShapes.item("a", "y")])
    let v2 = TestShapes.root(items: [TestShapes.item("a", "x")])
    let snapshot = StoreSnapshot(
      storeName: "s", sources: [SourceSlice(name: "r", attributes: v2)], active: ["r": [ActiveVersion(version: 1, attributes: v1)]])
    let plan = try #require(snapshot.plan(catalog: catalog).first)
    let purged = try #require(plan.elements(.purged).first)
    #expect(catalog.locate(purged.path, in: v1) == [.key("items"), .index(1)])
    #expect(catalog.locate(purged.path, in: v2) == nil)
  }

  @Test func duplicateIdentityLocatesTheLastItem() {
    let state = TestShapes.root(plain: [TestShapes.plain(.string("d"), x: 1), TestShapes.plain(.string("d"), x: 2)])
    #expect(catalog.locate(DictPath([.item(relation: "plain", identity: Identity([.init(key: "id", value: "d")]))]), in: state) == [.key("plain"), .index(1)])
  }
}

@Suite struct StateElementsTests {
  @Test func listsObjectsInDocumentOrder() {
    let state = TestShapes.root(
      items: [TestShapes.item("b", "1"), TestShapes.item("a", "1")], plain: [TestShapes.plain(.integer(1))])
    let elements = TestShapes.catalog.elements(in: state)
    #expect(elements.map(\.path.description) == ["." , "meta", "items[kind=b][name=1]", "items[kind=a][name=1]", "plain[id=1]"])
    #expect(elements.map(\.shape) == ["Root", "Meta", "B", "A", "Plain"])
    #expect(elements[3].steps == [.key("items"), .index(1)])
  }

  @Test func findsIdentityCollisions() throws {
    // 1 and "1" have the same identity; 1.0 does not (`str(1.0)` is `1.0`).
    let state = TestShapes.root(plain: [
      TestShapes.plain(.integer(1)), TestShapes.plain(.float(1.0)), TestShapes.plain(.string("1")), TestShapes.plain(.string("x")),
    ])
    let collisions = TestShapes.catalog.identityCollisions(in: state)
    #expect(collisions.count == 1)
    let collision = try #require(collisions.first)
    #expect(collision.path.description == "plain[id=1]")
    #expect(collision.items == [[.key("plain"), .index(0)], [.key("plain"), .index(2)]])
    #expect(TestShapes.catalog.identityCollisions(in: TestShapes.root()).isEmpty)
  }
}
