import Foundation
import SliceSyntax
import Testing

@testable import SliceSchema

@Suite struct SchemaQueryTests {
  let schemas: SchemaSet
  let query: SchemaQuery

  init() throws {
    schemas = try SliceFixtureTests.loadSchema()
    query = SchemaQuery(schemas: schemas)
  }

  @Test func schemasAtAPathFollowRefsOptionalsAndTheDiscriminator() throws {
    let instance = try readJSON(#"{"content": [{"type": "link", "name": "a"}], "backup": {"schedule": "x"}, "directories": [{"children": [{}]}]}"#)
    let link = query.schemas(at: [.key("content"), .index(0)], in: instance)
    #expect(link.flatMap { query.concreteSchemas($0, for: instance.lookup("content")?.items?.first) }.map { schemas[$0].title } == ["LinkEntry"])
    let target = query.schemas(at: [.key("content"), .index(0), .key("target")], in: instance)
    #expect(target.count == 1)
    // Without the instance every member applies.
    let anyMember = query.schemas(at: [.key("content"), .index(0), .key("name")])
    #expect(anyMember.count == 3)
    let schedule = query.schemas(at: [.key("backup"), .key("schedule")], in: instance)
    #expect(schedule.map { schemas[$0].title } == ["Schedule"])
    // Recursion: Folder.children[0].children[0].name
    let deep = query.schemas(at: [.key("directories"), .index(0), .key("children"), .index(0), .key("children"), .index(0), .key("name")])
    #expect(deep.map { schemas[$0].description } == ["The folder name."])
    #expect(query.schemas(at: [.key("nothing")]).isEmpty)
  }

  @Test func schemasAtAnOffset() throws {
    let text = #"{"settings": {"access": "read"}}"#
    let instance = try readJSON(text)
    let offset = Array(text.utf8).firstIndex(of: UInt8(ascii: "r")) ?? 0
    let (path, found) = query.schemas(atOffset: offset, in: instance)
    #expect(path == [.key("settings"), .key("access")])
    #expect(found.flatMap { query.allowedValues($0) } == [.string("read"), .string("write"), .string("admin")])
  }

  @Test func propertiesWithTheirDocumentation() throws {
    let properties = query.properties(of: schemas.root)
    #expect(properties.first?.name == "root")
    #expect(properties.first?.required == true)
    #expect(properties.first?.description == "Where the tree is created.")
    let description = try #require(properties.first { $0.name == "description" })
    #expect(description.required == false)
    #expect(description.type == "string | null")
    #expect(description.defaultValue == .null)
    #expect(description.allowedValues == [.null])
    let kind = try #require(properties.first { $0.name == "kind" })
    #expect(kind.allowedValues == [.string("standard"), .string("archive")])
    #expect(kind.defaultValue == .string("standard"))
    let content = try #require(properties.first { $0.name == "content" })
    #expect(content.type == "list of FileEntry | LinkEntry | DirEntry")
    // Go to definition: the key of the property in the schema file.
    let schemaText = String(decoding: try TestPaths.read(TestPaths.fixtures.appendingPathComponent("fs.schema.json")), as: UTF8.self)
    #expect(schemaText.utf8Slice(kind.definitionRange) == #""kind""#)
    #expect(kind.definitionPath == "files/schemas/fs.json")
    // A union member chosen by the object's discriminator.
    let link = try readJSON(#"{"type": "link"}"#)
    let entrySchema = try #require(query.schemas(at: [.key("content"), .index(0)]).first)
    #expect(query.properties(of: entrySchema, for: link).map(\.name) == ["type", "name", "target"])
    #expect(Set(query.properties(of: entrySchema).map(\.name)) == ["type", "name", "size", "checksum", "target", "hidden"])
  }

  @Test func scaffoldLikeSliceCreate() throws {
    let scaffold = query.scaffold(schemas.root)
    #expect(scaffold["root"] == .string("<REPLACE_THIS>"))
    #expect(scaffold["name"] == .string("<REPLACE_THIS>"))
    #expect(scaffold["description"] == .null)
    #expect(scaffold["directories"] == .array([]))
    // A required embedded object is scaffolded recursively, even with a default, without
    // the compile-managed attributes pydantic shows in the schema's default.
    #expect(scaffold["settings"] == .object([
      Value.Member("owner", .string("root")), Value.Member("access", .string("read")), Value.Member("quota_gb", .null),
    ]))
    #expect(scaffold["backup"] == .null)
    #expect(scaffold.members?.map { $0.key.string ?? "" }.first == "root")
    // A new list item.
    let folder = try #require(schemas.definition(named: "Folder"))
    #expect(query.scaffold(folder) == .object([
      Value.Member("name", .string("<REPLACE_THIS>")), Value.Member("mode", .integer(493)), Value.Member("children", .array([])),
    ]))
  }

  @Test func identityKeys() throws {
    let folder = try #require(schemas.definition(named: "Folder"))
    let inferred = query.identityKeys(forItem: folder)
    #expect(inferred == IdentityKeys(discriminator: nil, keys: ["name"], source: .inferred))
    let user = try #require(schemas.definition(named: "User"))
    #expect(query.identityKeys(forItem: user) == IdentityKeys(discriminator: nil, keys: ["login"], source: .schemaExtension))
    #expect(query.identityKeys(forItem: folder, configured: ["Folder": ["name", "mode"]]).source == .configuration)
    let entries = try #require(query.schemas(at: [.key("content"), .index(0)]).first)
    let link = try #require(schemas.definition(named: "LinkEntry"))
    let member = query.identityKeys(forItem: link, discriminator: "type")
    #expect(member.all == ["type", "name", "target"])
    #expect(query.identityKeys(forItem: entries).discriminator == "type")
  }

  /// The schema layer says when nothing identifies an item; the store layer only passes it on.
  @Test func identityKeysOfAModelWithoutRequiredScalarsAreNone() throws {
    let schemas = SchemaLoader().load(
      text: #"{"$defs": {"Tag": {"type": "object", "properties": {"label": {"type": "string"}}}}, "type": "object"}"#)
    let tag = try #require(schemas.definition(named: "Tag"))
    #expect(SchemaQuery(schemas: schemas).identityKeys(forItem: tag) == IdentityKeys(discriminator: nil, keys: [], source: .none))
    #expect(KeySource.none.label == "none: items cannot be told apart")
  }

  @Test func shapeSplitsAttributesFromRelations() throws {
    let shape = query.shape(of: schemas.root)
    #expect(shape.attributes == ["root", "name", "description", "tags", "labels", "created", "identifier", "weight", "kind"])
    let relations = Dictionary(uniqueKeysWithValues: shape.relations.map { ($0.name, $0) })
    #expect(relations["directories"]?.cardinality == .many)
    #expect(relations["settings"]?.cardinality == .one)
    #expect(relations["backup"]?.cardinality == .optional)
    let content = try #require(relations["content"])
    #expect(content.cardinality == .many)
    #expect(content.discriminator == "type")
    #expect(content.members.map { schemas[$0].title ?? "" } == ["FileEntry", "LinkEntry", "DirEntry"])
    let dir = Value.object([Value.Member("type", .string("dir")), Value.Member("name", .string("d"))])
    #expect(content.member(for: dir).map { schemas[$0].title } == "DirEntry")
    let folder = try #require(relations["directories"]?.members.first)
    #expect(query.shape(of: folder).relations.map(\.name) == ["children"])
  }
}
