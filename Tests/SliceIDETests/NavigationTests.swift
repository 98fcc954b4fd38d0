import Foundation
import SliceIDE
import SliceSchema
import SliceStore
import SliceSyntax
import Testing

/// Definition, code lenses and inlay hints over the example project.
@Suite struct NavigationTests {
  typealias S = EditingSupport
  static let analysis = ProjectAnalysis.analyze(root: S.exampleProject)

  func openFile(_ relative: String, bytes: [UInt8]? = nil) -> EditorFile? {
    EditorFile(analysis: Self.analysis, url: S.exampleProject.appendingPathComponent(relative), bytes: bytes)
  }

  func byteOffset(of needle: String, in file: EditorFile, plus delta: Int = 0) -> Int? {
    let text = file.document.text
    guard let range = text.range(of: needle) else { return nil }
    return text[..<range.lowerBound].utf8.count + delta
  }

  func text(_ target: DefinitionTarget) -> String? {
    guard let data = FileManager.default.contents(atPath: target.path) else { return nil }
    let bytes = [UInt8](data)
    guard target.range.upperBound <= bytes.count else { return nil }
    return String(decoding: bytes[target.range], as: UTF8.self)
  }

  // MARK: Definition

  @Test func propertyKeyGoesToTheSchema() throws {
    let file = try #require(openFile("files/fs/web01.yaml"))
    let offset = try #require(byteOffset(of: "owner: www-data", in: file, plus: 2))
    let targets = EditorQueries.definition(at: offset, in: file)
    #expect(targets.count == 1)
    let target = try #require(targets.first)
    #expect(target.kind == .schemaDefinition)
    #expect(target.path.hasSuffix("files/schemas/fs.json"))
    #expect(text(target) == "\"owner\"")
    #expect(target.title == "Folder.owner in fs.json")
  }

  @Test func sourceElementGoesToTheSameElementInTheLatestActiveVersion() throws {
    let file = try #require(openFile("files/fs/web01.yaml"))
    // The value of index.html's owner: the same value in web01@v3.
    let valueOffset = try #require(byteOffset(of: "owner: www-data\n            content", in: file, plus: 8))
    let targets = EditorQueries.definition(at: valueOffset, in: file)
    let target = try #require(targets.first)
    #expect(target.kind == .activeVersion)
    #expect(target.version == 3)
    #expect(target.path.hasSuffix("git_ops/active/fs/web01@v3.json"))
    #expect(text(target) == "\"www-data\"")
    let activeText = try #require(FileManager.default.contents(atPath: target.path)).map { $0 }
    let before = String(decoding: activeText[..<target.range.lowerBound], as: UTF8.self)
    // The second www-data of v3 is index.html's.
    #expect(before.components(separatedBy: "www-data").count == 2)

    // The new log folder is not in v3: its parent var/www… no, its parent `var` is.
    let logOffset = try #require(byteOffset(of: "name: log", in: file, plus: 7))
    let log = try #require(EditorQueries.definition(at: logOffset, in: file).first)
    #expect(text(log)?.hasPrefix("\"name\": \"var\"") == true)

    // The document start: the whole file.
    let start = try #require(EditorQueries.definition(at: 0, in: file).first)
    #expect(start.range == 0..<0)
  }

  @Test func activeVersionGoesToTheSourceThenTheOtherVersions() throws {
    let file = try #require(openFile("git_ops/active/vlans/office@v2.json"))
    let offset = try #require(byteOffset(of: "\"port\": 3", in: file, plus: 8))
    let targets = EditorQueries.definition(at: offset, in: file)
    #expect(targets.map(\.kind) == [.sourceSlice, .activeVersion])
    #expect(targets[0].path.hasSuffix("files/vlans/office.yaml"))
    // office.yaml holds sw1/3 as a flow mapping: the port value there.
    #expect(text(targets[0]) == "3")
    #expect(targets[1].version == 1)
  }

  // MARK: Code lens

  @Test func sourceLensSummarisesThePlan() throws {
    let web01 = try #require(openFile("files/fs/web01.yaml"))
    let lenses = EditorQueries.codeLenses(for: web01)
    // Only index.html's own content changes: the folders above it are not counted as updated.
    #expect(lenses.first?.title == "v4 next (active v3) · 1 created · 1 updated · 2 purged")
    #expect(lenses.first?.action == .previewMergedView(store: "fs", slice: "web01"))
    #expect(lenses.first?.range == web01.document.lineContentRange(0))
    #expect(lenses.last?.title == "open active v3")

    let voice = try #require(openFile("files/vlans/voice.yml"))
    #expect(EditorQueries.codeLenses(for: voice).first?.title.hasPrefix("v1 next (new slice) · ") == true)

    let lab = try #require(openFile("files/vlans/lab.json"))
    #expect(EditorQueries.codeLenses(for: lab).first?.title == "active v2 · no pending change · export: 1 updated")
  }

  @Test func activeLensSaysWhereTheVersionStands() throws {
    let old = try #require(openFile("git_ops/active/fs/web01@v2.json"))
    #expect(EditorQueries.codeLenses(for: old).first?.title == "active v2 of web01 · superseded by v3")
    let latest = try #require(openFile("git_ops/active/fs/web01@v3.json"))
    #expect(EditorQueries.codeLenses(for: latest).first?.title == "active v3 of web01 · latest · next sync: v4")
    let deleted = try #require(openFile("git_ops/active/vlans/guest@v2.json"))
    #expect(EditorQueries.codeLenses(for: deleted).first?.title == "active v2 of guest · latest · deleted slice")
  }

  // MARK: Inlay hints

  @Test func identityHintsAfterEachItemsFirstLine() throws {
    let file = try #require(openFile("files/fs/web01.yaml"))
    let hints = EditorQueries.inlayHints(for: file)
    let labels = hints.filter { $0.kind == .identity }.map(\.label)
    #expect(labels.first == "[type=folder][name=etc]")
    // Identity values are escaped as in a dict path.
    #expect(labels.contains("[type=file][name=index\\.html]"))
    #expect(labels.count == 8)
    let first = try #require(hints.first)
    #expect(first.position == file.document.lineContentRange(3).upperBound)
    #expect(first.tooltip?.contains("content[type=folder][name=etc]") == true)
    #expect(first.tooltip?.contains("inferred") == true)
    // Only what is visible in the requested range.
    let line10 = file.document.lineRange(10)
    let some = EditorQueries.inlayHints(for: file, in: line10)
    #expect(some.allSatisfy { line10.contains($0.position) || line10.upperBound == $0.position })
    #expect(some.count <= 1)
  }

  @Test func flowItemsOnTheirOwnLinesAndCoercionHints() throws {
    let text = "site: bru\nvlan_id: \"10\"\nname: office\nports:\n  - {switch: sw1, port: 1}\n  - {switch: sw1, port: 3}\n"
    let file = try #require(openFile("files/vlans/office.yaml", bytes: Array(text.utf8)))
    let hints = EditorQueries.inlayHints(for: file)
    #expect(hints.map(\.label) == ["→ 10", "[switch=sw1][port=1]", "[switch=sw1][port=3]"])
    #expect(hints[0].position == 23)
    let none = EditorQueries.inlayHints(for: file, options: InlayHintOptions(identities: .never, coercions: false))
    #expect(none.isEmpty)
  }
}
