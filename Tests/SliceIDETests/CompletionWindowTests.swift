import Foundation
@testable import SliceIDE
import SliceSchema
import SliceStore
import SliceSyntax
import Testing

/// Completion re-reads only the list item around the cursor when it can; these tests check that
/// the answer is the one a re-read of the whole text gives, at every offset.
@Suite struct CompletionWindowTests {
  typealias S = EditingSupport

  func compare(_ text: String, format: SliceFormat, schema: StoreSchema, label: String) {
    let bytes = Array(text.utf8)
    let document = TextDocument(bytes: bytes)
    let tree = SliceReader.read(bytes, format: format)
    for offset in 0...bytes.count {
      let windowed = EditorQueries.completions(document: document, tree: tree, format: format, offset: offset, schema: schema, windowed: true)
      let whole = EditorQueries.completions(document: document, tree: tree, format: format, offset: offset, schema: schema, windowed: false)
      #expect(windowed == whole, "\(label)@\(offset)")
    }
  }

  @Test func exampleFiles() throws {
    for (relative, schema) in [("files/fs/web01.yaml", S.fs), ("files/fs/db01.json", S.fs), ("files/vlans/office.yaml", S.vlans)] {
      let url = S.exampleProject.appendingPathComponent(relative)
      let text = try String(contentsOf: url, encoding: .utf8)
      compare(text, format: relative.hasSuffix("json") ? .json : .yaml, schema: schema, label: relative)
    }
  }

  @Test func onlyTheEnclosingItemIsReread() throws {
    let yaml = "host: h\ncontent:\n  - type: folder\n    name: a\n  - type: folder\n    name: b\n    content:\n      - type: file\n        na\n  - type: file\n    name: c\n"
    let offset = try #require(yaml.range(of: "        na")).upperBound.utf16Offset(in: yaml)
    let document = TextDocument(text: yaml)
    let tree = SliceReader.read(document.bytes, format: .yaml)
    let context = try #require(CursorContextFinder.find(document: document, tree: tree, format: .yaml, offset: offset))
    #expect(context.path == [.key("content"), .index(1), .key("content"), .index(0)])
    let item = try #require(yaml.range(of: "      - type: file")).lowerBound.utf16Offset(in: yaml)
    let next = try #require(yaml.range(of: "  - type: file\n    name: c")).lowerBound.utf16Offset(in: yaml)
    #expect(context.rereadRange == item..<next)

    let json = "{\"host\": \"h\", \"content\": [{\"type\": \"folder\", \"name\": \"a\"}, {\"type\": \"file\", \"na\"}]}"
    let jsonOffset = try #require(json.range(of: "\"na\"}")).lowerBound.utf16Offset(in: json) + 3
    let jsonContext = try #require(
      CursorContextFinder.find(document: TextDocument(text: json), tree: nil, format: .json, offset: jsonOffset))
    #expect(jsonContext.path == [.key("content"), .index(1)])
    #expect(jsonContext.rereadRange.lowerBound == (try #require(json.range(of: "{\"type\": \"file\"")).lowerBound.utf16Offset(in: json)))
    #expect(jsonContext.existingKeys == ["type"])
  }

  @Test func onTheFirstLineOfAnItemOnlyThatItemIsReread() throws {
    // A root-level item of a large list: no item encloses its first line, and before the own-item
    // window the whole text was re-read (~30 ms at 1 MB).
    let yaml = "host: h\ncontent:\n  - type: folder\n    name: a\n  - type: fol\n    name: b\n    content:\n      - type: file\n        name: c\n  - type: file\n    name: d\n"
    let offset = try #require(yaml.range(of: "type: fol\n")).lowerBound.utf16Offset(in: yaml) + "type: fol".count
    let document = TextDocument(text: yaml)
    let tree = SliceReader.read(document.bytes, format: .yaml)
    let context = try #require(CursorContextFinder.find(document: document, tree: tree, format: .yaml, offset: offset))
    #expect(context.path == [.key("content"), .index(1), .key("type")])
    let item = try #require(yaml.range(of: "  - type: fol\n")).lowerBound.utf16Offset(in: yaml)
    let next = try #require(yaml.range(of: "  - type: file\n    name: d")).lowerBound.utf16Offset(in: yaml)
    #expect(context.rereadRange == item..<next)
    compare(yaml, format: .yaml, schema: S.fs, label: "own item")
  }

  @Test func textsBeingTyped() {
    // Broken lines inside nested items, multi-byte names, a tab, CRLF.
    let yaml = "host: h\r\ncontent:\r\n  - type: folder\r\n    name: été\r\n    content:\r\n      - type: file\r\n        na\r\n        mode: '0644'\r\n      - type: folder\r\n        name: 東京\r\n        con\r\n  - type: file\r\n    name: x\r\n"
    compare(yaml, format: .yaml, schema: S.fs, label: "yaml")
    let json = "{\"host\": \"h\", \"content\": [\n  {\"type\": \"folder\", \"name\": \"été\", \"content\": [\n\t{\"type\": \"file\", \"na\n\t{\"type\": \"folder\", \"name\": \"東京\", \"con\"}\n  ]},\n  {\"type\": \"file\", \"name\": \"🚀\"}\n]}"
    compare(json, format: .json, schema: S.fs, label: "json")
  }
}
