import Foundation
import SliceSchema
@testable import SliceStore
import SliceSyntax
import SliceTestSupport
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

/// `identityCollisions` walks objects that share a path together; its definition is "every dict
/// path that more than one object of the state has", which `elements(in:)` gives directly.
@Suite struct IdentityCollisionDefinitionTests {
  static func byDefinition(_ catalog: ShapeCatalog, _ state: Value) -> [IdentityCollision] {
    var byPath: [DictPath: [[InstancePathComponent]]] = [:]
    var order: [DictPath] = []
    for element in catalog.elements(in: state) {
      if byPath[element.path] == nil { order.append(element.path) }
      byPath[element.path, default: []].append(element.steps)
    }
    return order.compactMap { path in
      guard let items = byPath[path], items.count > 1 else { return nil }
      return IdentityCollision(path: path, items: items)
    }
  }

  /// A YAML slice as the store reads it.
  static func readState(_ text: String, schema: StoreSchema) throws -> Value {
    let tree = SliceReader.read(Array(text.utf8), format: .yaml)
    guard case .slice(let node) = tree.sliceKind else { throw SliceNotRead() }
    let validation = schema.validator.validate(node)
    return try #require(validation.normalized.map { schema.readForm(of: $0, source: node) })
  }

  struct SliceNotRead: Error {}

  /// A store schema of the example project (`fs`, `vlans`).
  static func exampleSchema(_ store: String) -> StoreSchema {
    let project = TestPackage.exampleProject
    return StoreSchema.load(file: project.appendingPathComponent("files/schemas/\(store).json"), projectRoot: project)
  }

  @Test func nestedDuplicatesAreReportedAsByDefinition() throws {
    let schema = IdentityCollisionDefinitionTests.exampleSchema("fs")
    // Two `etc` folders (a collision) whose children overlap (`nginx` twice below them, one
    // `extra` each side), a duplicate file inside one of them, and a clean sibling.
    let text = """
      host: web01
      content:
        - {type: folder, name: etc, content: [{type: folder, name: nginx}, {type: file, name: a, content: x}, {type: file, name: a, content: y}]}
        - {type: folder, name: var}
        - {type: folder, name: etc, content: [{type: folder, name: extra}, {type: folder, name: nginx, content: [{type: file, name: b, content: z}]}]}
        - {type: folder, name: etc}
      """
    let state = try Self.readState(text, schema: schema)
    let found = schema.catalog.identityCollisions(in: state)
    #expect(found == Self.byDefinition(schema.catalog, state))
    #expect(found.map(\.path.description).count == 3)
  }

  @Test func aLongListOfLeafItemsIsReportedAsByDefinition() throws {
    let schema = IdentityCollisionDefinitionTests.exampleSchema("vlans")
    // Leaf items are not walked below: only collisions among them are reported, three times the
    // same port (first, middle and last of the list) and one pair.
    var ports = (0..<2000).map { "  - {switch: sw\($0 / 90), port: \($0 % 90 + 1)}" }
    ports[1000] = "  - {switch: sw0, port: 1}"
    ports.append("  - {switch: sw0, port: 1, tagged: true}")
    ports.append("  - {switch: sw3, port: 7}")
    let text = "site: bru\nvlan_id: 7\nname: many\nports:\n" + ports.joined(separator: "\n") + "\n"
    let state = try Self.readState(text, schema: schema)
    let found = schema.catalog.identityCollisions(in: state)
    #expect(found == Self.byDefinition(schema.catalog, state))
    #expect(found.map(\.items.count) == [3, 2])
    #expect(found.first?.items.map { $0.last } == [.index(0), .index(1000), .index(2000)])
  }
}

/// The shortcut for lists of leaf items (hashes of the key values, no identity built) must
/// decide exactly as whole identities do.
@Suite struct DistinctIdentityShortcutTests {
  @Test func keyValuesThatPrintAlikeAreNeverTakenAsDistinct() throws {
    let shape = try #require(TestShapes.catalog["Plain"])
    let merger = Merger(catalog: TestShapes.catalog)
    func distinct(_ items: [Value]) -> Bool {
      ShapeCatalog.identitiesAreDistinct(items, target: .entity("Plain"), fixedShape: shape, merger: merger, path: .root)
    }
    // Python's str() of 1 and of "1" is the same identity: the shortcut must not say "distinct".
    #expect(!distinct([TestShapes.plain(.integer(1)), TestShapes.plain(.string("1"))]))
    #expect(distinct([TestShapes.plain(.integer(1)), TestShapes.plain(.float(1.0))]))
    // Items without their key have no identity: the merge and the walk leave them out.
    let keyless = TestShapes.object(["operation": .string("create"), "x": .integer(0)])
    #expect(distinct([keyless, keyless, TestShapes.plain(.integer(2))]))
  }

  @Test func aLongListOfDistinctLeafItemsHasNoCollision() throws {
    let schema = IdentityCollisionDefinitionTests.exampleSchema("vlans")
    // The last port repeats the first (its number quoted, which pydantic reads as 1): a
    // collision the shortcut must hand over to the whole comparison.
    let ports = (0..<500).map { "  - {switch: sw\($0 / 90), port: \($0 % 90 + 1)}" }
    let text = "site: bru\nvlan_id: 7\nname: many\nports:\n" + ports.joined(separator: "\n") + "\n"
    let distinct = try IdentityCollisionDefinitionTests.readState(text, schema: schema)
    #expect(schema.catalog.identityCollisions(in: distinct).isEmpty)
    let repeated = try IdentityCollisionDefinitionTests.readState(text + "  - {switch: sw0, port: '1'}\n", schema: schema)
    let found = schema.catalog.identityCollisions(in: repeated)
    #expect(found == IdentityCollisionDefinitionTests.byDefinition(schema.catalog, repeated))
    #expect(found.first?.items.map { $0.last } == [.index(0), .index(500)])
  }

  @Test func duplicatesBelowDistinctUnionItemsAreStillFound() throws {
    let schema = IdentityCollisionDefinitionTests.exampleSchema("fs")
    // The top list's items all differ (a file and a folder may share a name: the type is part of
    // the identity); the duplicates are one and two levels below, and a file and a folder that
    // share a name inside one folder do not collide.
    let text = """
      host: web01
      content:
        - {type: file, name: etc, content: x}
        - {type: folder, name: etc, content: [{type: file, name: a, content: x}, {type: folder, name: a}, {type: file, name: a, content: y}]}
        - {type: folder, name: srv, content: [{type: folder, name: www, content: [{type: file, name: i, content: x}, {type: file, name: i, content: y}]}]}
      """
    let state = try IdentityCollisionDefinitionTests.readState(text, schema: schema)
    let found = schema.catalog.identityCollisions(in: state)
    #expect(found == IdentityCollisionDefinitionTests.byDefinition(schema.catalog, state))
    #expect(found.map(\.path.description) == ["content[type=folder][name=etc].content[type=file][name=a]", "content[type=folder][name=srv].content[type=folder][name=www].content[type=file][name=i]"])
  }
}
