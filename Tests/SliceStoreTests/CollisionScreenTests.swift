import Foundation
import SliceSchema
@testable import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

/// The screen that spares a slice without identity collisions every identity and dict path
/// (`CollisionScreen`) must never hide a collision: whatever it lets through is compared with
/// the definition (`IdentityCollisionDefinitionTests.byDefinition`).
@Suite struct CollisionScreenTests {
  static let fs = IdentityCollisionDefinitionTests.exampleSchema("fs")

  /// An `fs` slice state of random folders and files whose names come from a small pool, so
  /// that duplicates turn up at every depth, below distinct and below colliding folders alike.
  static func randomState(_ random: inout XorShift, duplicates: Bool) -> Value {
    var counter = 0
    func name() -> String {
      counter += 1
      return duplicates ? ["a", "b", "c", "d", "e", "f", "g"][random.below(7)] : "n\(counter)"
    }
    func element(depth: Int) -> Value {
      if depth < 4, random.below(3) == 0 {
        let children = (0..<random.below(5)).map { _ in element(depth: depth + 1) }
        return .object([
          Value.Member("type", .string("folder")), Value.Member("name", .string(name())), Value.Member("content", .array(children)),
        ])
      }
      return .object([Value.Member("type", .string("file")), Value.Member("name", .string(name())), Value.Member("content", .string("x"))])
    }
    let top = (0..<(1 + random.below(8))).map { _ in element(depth: 0) }
    return .object([Value.Member("host", .string("h")), Value.Member("content", .array(top))])
  }

  @Test func randomTreesAreReportedAsByDefinition() {
    var random = XorShift(state: 9)
    var screenedOut = 0
    for round in 0..<400 {
      let state = Self.randomState(&random, duplicates: round % 4 != 0)
      let expected = IdentityCollisionDefinitionTests.byDefinition(Self.fs.catalog, state)
      // The walk reports in the merged view's preorder, the definition in the order the
      // document first shows each path: the same collisions, in an order of their own.
      let found = Self.fs.catalog.identityCollisions(in: state)
      #expect(Set(found) == Set(expected) && found.count == expected.count, "round \(round)")
      let screen = CollisionScreen(catalog: Self.fs.catalog).mayHoldCollisions(in: state)
      // The screen may raise a false alarm (two hashes that meet), never miss a collision.
      #expect(screen || expected.isEmpty, "round \(round)")
      if !screen { screenedOut += 1 }
    }
    // The rounds without duplicate names are all let through.
    #expect(screenedOut >= 100)
  }

  @Test func aCollisionAtTheBottomOfDeepDistinctFoldersIsFound() {
    // Nested as deep as the YAML reader lets a file nest (two nodes per level).
    func file(_ name: String) -> Value {
      .object([Value.Member("type", .string("file")), Value.Member("name", .string(name)), Value.Member("content", .string("x"))])
    }
    var innermost: [Value] = [file("a"), file("b")]
    for level in 0..<490 {
      innermost = [
        .object([
          Value.Member("type", .string("folder")), Value.Member("name", .string("d\(level)")), Value.Member("content", .array(innermost)),
        ]), file("f\(level)"),
      ]
    }
    let clean = Value.object([Value.Member("host", .string("h")), Value.Member("content", .array(innermost))])
    #expect(Self.fs.catalog.identityCollisions(in: clean).isEmpty)
    #expect(!CollisionScreen(catalog: Self.fs.catalog).mayHoldCollisions(in: clean))

    var bottom: [Value] = [file("a"), file("a")]
    for level in 0..<490 {
      bottom = [
        .object([
          Value.Member("type", .string("folder")), Value.Member("name", .string("d\(level)")), Value.Member("content", .array(bottom)),
        ])
      ]
    }
    let colliding = Value.object([Value.Member("host", .string("h")), Value.Member("content", .array(bottom))])
    let found = Self.fs.catalog.identityCollisions(in: colliding)
    #expect(found.count == 1)
    #expect(found.first?.items.count == 2)
    #expect(found.first?.path.segments.count == 491)
  }

  @Test func keyValuesThatAreListsOrObjectsAreNotVouchedFor() {
    // The read form strips `path` keys inside them: the normalised data's `str()` may differ.
    let members = [Value.Member("name", .object([Value.Member("path", .string("p"))]))]
    #expect(IdentityHash.screen(members, discriminator: nil, keys: ["name"], printsLists: false) == .listOrObject)
    #expect(IdentityHash.of(members, discriminator: nil, keys: ["name"]) != nil)
    #expect(IdentityHash.screen(members, discriminator: nil, keys: ["other"], printsLists: false) == .missingKey)
  }

  @Test func theExampleStoresAreScreenedOnTheirNormalisedData() {
    #expect(Self.fs.readFormKeepsIdentities)
    #expect(IdentityCollisionDefinitionTests.exampleSchema("vlans").readFormKeepsIdentities)
  }

  @Test func aKeyTheReadFormAddsIsCheckedOnTheReadForm() throws {
    // `operation` is not in the files: the read form gives every object `operation: create`,
    // so two files of a folder share the identity (type, operation) though the normalised
    // data has no such key.
    let project = TestPackage.exampleProject
    let schema = StoreSchema.load(
      file: project.appendingPathComponent("files/schemas/fs.json"), projectRoot: project,
      configuredKeys: ["File": ["operation"], "Folder": ["operation"]])
    #expect(!schema.readFormKeepsIdentities)
    let text = "host: web01\ncontent:\n  - {type: file, name: a, content: x}\n  - {type: file, name: b, content: y}\n"
    let read = SliceFileAnalyzer.read(
      URL(fileURLWithPath: "/p/files/fs/web.yaml"), bytes: Array(text.utf8), role: .source(store: "fs"), format: .yaml, schema: schema,
      checkUnknown: true)
    #expect(read.file.findings.map(\.code) == [FindingCode.identityCollision.rawValue])
  }

  @Test func aModelOnlyKeyIsCheckedOnTheReadForm() {
    let project = TestPackage.exampleProject
    let schema = StoreSchema.load(
      file: project.appendingPathComponent("files/schemas/fs.json"), projectRoot: project,
      configuredKeys: ["File": ["checksum"]], modelOnly: ["File": [ModelOnlyAttribute(name: "checksum", defaultValue: .null)]])
    #expect(!schema.readFormKeepsIdentities)
  }
}

/// A valid slice's diagnostics go out without its read form: it is built when first asked for.
@Suite struct DeferredReadFormTests {
  @Test func aValidSliceIsReadWithoutItsReadForm() throws {
    let schema = CollisionScreenTests.fs
    let text = "host: web01\ncontent:\n  - {type: folder, name: etc, content: [{type: file, name: a, content: x}]}\n"
    let read = SliceFileAnalyzer.read(
      URL(fileURLWithPath: "/p/files/fs/web.yaml"), bytes: Array(text.utf8), role: .source(store: "fs"), format: .yaml, schema: schema,
      checkUnknown: true)
    #expect(read.file.findings.isEmpty)
    #expect(read.hasAttributes)
    #expect(!read.readFormIsBuilt)
    let copy = read
    let root = try #require(read.file.tree.root)
    let normalized = try #require(read.file.validation?.normalized)
    #expect(read.attributes == schema.readForm(of: normalized, source: root))
    // Built once, for every copy of the read.
    #expect(copy.readFormIsBuilt)
  }

  @Test func aSliceWithACollisionBuildsItsReadFormToReportIt() {
    let schema = CollisionScreenTests.fs
    let text = "host: web01\ncontent:\n  - {type: file, name: a, content: x}\n  - {type: file, name: a, content: y}\n"
    let read = SliceFileAnalyzer.read(
      URL(fileURLWithPath: "/p/files/fs/web.yaml"), bytes: Array(text.utf8), role: .source(store: "fs"), format: .yaml, schema: schema,
      checkUnknown: true)
    #expect(read.file.findings.map(\.code) == [FindingCode.identityCollision.rawValue])
    #expect(read.readFormIsBuilt)
  }

  @Test func anInvalidSliceHasNoReadForm() {
    let text = "host: web01\ncontent: 3\n"
    let read = SliceFileAnalyzer.read(
      URL(fileURLWithPath: "/p/files/fs/web.yaml"), bytes: Array(text.utf8), role: .source(store: "fs"), format: .yaml,
      schema: CollisionScreenTests.fs, checkUnknown: true)
    #expect(!read.hasAttributes)
    #expect(read.attributes == nil)
  }
}

/// A deterministic generator (xorshift64*), so a failing round can be replayed.
struct XorShift {
  var state: UInt64

  mutating func below(_ bound: Int) -> Int {
    state ^= state >> 12
    state ^= state << 25
    state ^= state >> 27
    return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % bound
  }
}
