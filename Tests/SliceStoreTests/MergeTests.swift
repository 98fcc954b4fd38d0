import SliceStore
import SliceSyntax
import Testing

/// A small schema built by hand: a root with a required and an optional embedded object and a
/// keyed list of a discriminated union.
enum TestShapes {
  static let catalog = ShapeCatalog(
    root: "Root",
    shapes: [
      EntityShape(
        id: "Root",
        attributes: EntityShape.referenceAttributeOrder(fieldOrder: ["name", "size"], isSliceRoot: true),
        relations: [
          .init(name: "meta", cardinality: .single, target: .entity("Meta")),
          .init(name: "extra", cardinality: .optional, target: .entity("Meta")),
          .init(
            name: "items", cardinality: .list,
            target: .union(.init(discriminator: "kind", members: [.init(value: .string("a"), shape: "A"), .init(value: .string("b"), shape: "B")]))),
          .init(name: "plain", cardinality: .list, target: .entity("Plain")),
        ],
        keys: ["name"], keySource: .inferred),
      EntityShape(id: "Meta", attributes: ["note"]),
      EntityShape(
        id: "A", attributes: EntityShape.referenceAttributeOrder(fieldOrder: ["name", "kind", "value"], isSliceRoot: false, unionDiscriminator: "kind"),
        keys: ["name"], keySource: .schemaExtension, unionDiscriminator: "kind"),
      EntityShape(
        id: "B", attributes: ["kind", "name"], relations: [.init(name: "children", cardinality: .list, target: .entity("Plain"))],
        keys: ["name"], keySource: .schemaExtension, unionDiscriminator: "kind"),
      EntityShape(id: "Plain", attributes: ["id", "x"], keys: ["id"], keySource: .configuration),
    ])

  static func object(_ pairs: KeyValuePairs<String, Value>) -> Value {
    .object(pairs.map { Value.Member($0.key, $0.value) })
  }

  static func item(_ kind: String, _ name: String, value: String = "") -> Value {
    kind == "a"
      ? object(["operation": .string("create"), "name": .string(name), "kind": .string("a"), "value": .string(value)])
      : object(["operation": .string("create"), "kind": .string("b"), "name": .string(name), "children": .array([])])
  }

  static func plain(_ id: Value, x: Int = 0) -> Value {
    object(["operation": .string("create"), "id": id, "x": .integer(x)])
  }

  static func root(items: [Value] = [], plain: [Value] = [], extra: Value = .null, size: Int = 1) -> Value {
    object([
      "operation": .string("create"), "version": .integer(0), "slice_store": .string(""), "slice_name": .string(""),
      "name": .string("r"), "size": .integer(size),
      "meta": object(["operation": .string("create"), "note": .string("")]),
      "extra": extra, "items": .array(items), "plain": .array(plain),
    ])
  }
}

@Suite struct MergeTests {
  let merger = Merger(catalog: TestShapes.catalog)

  func operations(_ elements: [MergedElement]) -> [String: ElementOperation] {
    var byPath: [String: ElementOperation] = [:]
    for element in elements { byPath[element.path.description] = element.operation }
    return byPath
  }

  @Test func operationRule() {
    let x = Value.object([Value.Member("a", .integer(1))])
    let y = Value.object([Value.Member("a", .float(1.0))])
    let z = Value.object([Value.Member("a", .integer(2))])
    #expect(Merger.operation(current: x, previous: nil) == .create)
    #expect(Merger.operation(current: nil, previous: x) == .delete)
    #expect(Merger.operation(current: x, previous: y) == .create)
    #expect(Merger.operation(current: x, previous: z) == .update)
  }

  static let samples: [Value] = [
    TestShapes.root(),
    TestShapes.root(items: [TestShapes.item("a", "1"), TestShapes.item("b", "1")], plain: [TestShapes.plain(.null), TestShapes.plain(.boolean(true))]),
    TestShapes.root(items: [TestShapes.item("b", "x")], extra: TestShapes.object(["operation": .string("create"), "note": .string("n")])),
  ]

  @Test(arguments: samples)
  func mergingAStateWithItselfCreatesEverything(sample: Value) throws {
    let (merged, elements) = try merger.mergeListingElements(current: sample, previous: sample)
    #expect(merged != nil)
    #expect(elements.allSatisfy { $0.operation == .create && $0.inCurrent && $0.inPrevious })
    let (_, alone) = try merger.mergeListingElements(current: sample, previous: nil)
    #expect(alone.allSatisfy { $0.operation == .create && !$0.inPrevious })
    let (_, removed) = try merger.mergeListingElements(current: nil, previous: sample)
    #expect(removed.allSatisfy { $0.operation == .delete })
    #expect(elements.map(\.path) == alone.map(\.path))
    #expect(elements.map(\.path) == removed.map(\.path))
  }

  @Test func keyOrderPathsAndIdentities() throws {
    let current = TestShapes.root(items: [TestShapes.item("a", "n", value: "v")], plain: [TestShapes.plain(.float(1.0))])
    let merged = try #require(try merger.merge(current: current, previous: nil))
    #expect(merged.members?.map { $0.key.string ?? "" } == [
      "operation", "path", "version", "slice_store", "slice_name", "name", "size", "meta", "extra", "items", "plain",
    ])
    let item = try #require(merged["items"]?.elements?.first)
    // The discriminator leads, whatever the field order.
    #expect(item.members?.map { $0.key.string ?? "" } == ["operation", "path", "kind", "name", "value"])
    #expect(item["path"] == .string("items[kind=a][name=n]"))
    #expect(merged["plain"]?.elements?.first?["path"] == .string("plain[id=1\\.0]"))
    #expect(merged["meta"]?["path"] == .string("meta"))
    #expect(merged["extra"] == .null)
    #expect(merged["path"] == .string("."))
  }

  @Test func withoutPathsForTheFold() throws {
    let fold = Merger(catalog: TestShapes.catalog, insertPath: false)
    let merged = try #require(try fold.merge(current: TestShapes.root(items: [TestShapes.item("a", "n")]), previous: nil))
    #expect(merged["path"] == nil)
    #expect(merged["items"]?.elements?.first?["path"] == nil)
    #expect(merged["operation"] == .string("create"))
  }

  @Test func itemsOrderCurrentThenPreviousOnly() throws {
    let previous = TestShapes.root(items: [TestShapes.item("a", "1"), TestShapes.item("a", "2"), TestShapes.item("a", "3")])
    let current = TestShapes.root(items: [TestShapes.item("a", "3"), TestShapes.item("b", "2"), TestShapes.item("a", "1", value: "changed")])
    let (merged, elements) = try merger.mergeListingElements(current: current, previous: previous)
    let paths = try #require(merged?["items"]?.elements).compactMap { $0["path"]?.scalarValue }
    #expect(paths == [
      .string("items[kind=a][name=3]"), .string("items[kind=b][name=2]"), .string("items[kind=a][name=1]"), .string("items[kind=a][name=2]"),
    ])
    let byPath = operations(elements)
    #expect(byPath["items[kind=a][name=3]"] == .create)
    #expect(byPath["items[kind=b][name=2]"] == .create)
    #expect(byPath["items[kind=a][name=1]"] == .update)
    #expect(byPath["items[kind=a][name=2]"] == .delete)
    #expect(byPath["."] == .update)
    #expect(byPath["meta"] == .create)
  }

  @Test func embeddedObjectsComeAndGo() throws {
    let withExtra = TestShapes.root(extra: TestShapes.object(["operation": .string("create"), "note": .string("n")]))
    let without = TestShapes.root()
    let (removed, removedElements) = try merger.mergeListingElements(current: without, previous: withExtra)
    #expect(operations(removedElements)["extra"] == .delete)
    #expect(removed?["extra"]?["note"] == .string("n"))
    let (_, addedElements) = try merger.mergeListingElements(current: withExtra, previous: without)
    #expect(operations(addedElements)["extra"] == .create)
  }

  @Test func duplicateIdentityKeepsTheLastValueInTheFirstPlace() throws {
    let current = TestShapes.root(plain: [TestShapes.plain(.string("d"), x: 1), TestShapes.plain(.string("e")), TestShapes.plain(.string("d"), x: 2)])
    let merged = try #require(try merger.merge(current: current, previous: nil))
    let items = try #require(merged["plain"]?.elements)
    #expect(items.count == 2)
    #expect(items.first?["x"] == .integer(2))
    #expect(items.first?["path"] == .string("plain[id=d]"))
  }

  @Test func identitiesCompareAsPythonStrings() throws {
    // 1 and "1" render alike: the reference takes them for the same item.
    let previous = TestShapes.root(plain: [TestShapes.plain(.integer(1))])
    let current = TestShapes.root(plain: [TestShapes.plain(.string("1"))])
    let (merged, elements) = try merger.mergeListingElements(current: current, previous: previous)
    #expect(merged?["plain"]?.elements?.count == 1)
    #expect(operations(elements)["plain[id=1]"] == .update)
  }

  @Test func failsWhereTheReferenceFails() throws {
    let unkeyed = ShapeCatalog(
      root: "R",
      shapes: [
        EntityShape(id: "R", attributes: [], relations: [.init(name: "xs", cardinality: .list, target: .entity("X"))]),
        EntityShape(id: "X", attributes: ["v"]),
      ])
    let xs = TestShapes.object(["xs": .array([TestShapes.object(["v": .string("1")])])])
    let empty = #expect(throws: MergeError.self) { try Merger(catalog: unkeyed).merge(current: xs, previous: nil) }
    #expect(empty?.referenceMessage == "ValueError: A keyed list path requires at least one key-value pair.")
    // An empty list of them is fine.
    #expect(throws: Never.self) { try Merger(catalog: unkeyed).merge(current: TestShapes.object(["xs": .array([])]), previous: nil) }

    var doubled = TestShapes.catalog
    doubled.shapes["A"]?.keys = ["kind", "name"]
    let duplicate = #expect(throws: MergeError.self) {
      try Merger(catalog: doubled).merge(current: TestShapes.root(items: [TestShapes.item("a", "n")]), previous: nil)
    }
    #expect(duplicate?.referenceMessage == "ValueError: No duplicate keys allowed in keyed list path")

    let wildcard = #expect(throws: MergeError.self) {
      try merger.merge(current: TestShapes.root(plain: [TestShapes.plain(.string("*"))]), previous: nil)
    }
    #expect(wildcard?.referenceMessage == "ValueError: The Wildcard ('*') can not be used in DictPath's")
    #expect(throws: Never.self) { try merger.merge(current: TestShapes.root(plain: [TestShapes.plain(.string("\\*"))]), previous: nil) }

    let missing = #expect(throws: MergeError.self) { try merger.merge(current: TestShapes.root(), previous: .deletedSlice) }
    #expect(missing?.referenceMessage == "KeyError: 'items'")
    #expect(missing?.path == ".")

    let noMember = #expect(throws: MergeError.self) {
      try merger.merge(current: TestShapes.root(items: [TestShapes.object(["kind": .string("c"), "name": .string("n")])]), previous: nil)
    }
    #expect(noMember?.kind == .noUnionMember(discriminator: "kind", value: "'c'"))

    let unknown = #expect(throws: MergeError.self) {
      try Merger(catalog: ShapeCatalog(root: "Nope", shapes: [])).merge(current: .deletedSlice, previous: nil)
    }
    #expect(unknown?.kind == .unknownShape("Nope"))
  }

  @Test func deletedStateInTheMiddleOfAFoldWithoutLists() throws {
    // Without list relations the reference gets through a `{}` version: every attribute is
    // read from it (None) and the object is an update.
    let flat = ShapeCatalog(
      root: "R", shapes: [EntityShape(id: "R", attributes: ["a"], relations: [.init(name: "m", cardinality: .optional, target: .entity("M"))]), EntityShape(id: "M", attributes: ["b"])])
    let older = TestShapes.object(["a": .integer(1), "m": TestShapes.object(["b": .integer(2)])])
    let merged = try #require(try Merger(catalog: flat, insertPath: false).merge(current: .deletedSlice, previous: older))
    #expect(merged["operation"] == .string("update"))
    #expect(merged["a"] == .null)
    #expect(merged["m"]?["operation"] == .string("delete"))
  }
}
