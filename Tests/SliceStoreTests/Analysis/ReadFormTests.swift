import Foundation
import SliceSchema
import SliceSyntax
import Testing

@testable import SliceStore

/// The read form takes the hand-written managed attributes from the located tree itself.
@Suite struct ReadFormTests {
  static func schema() -> StoreSchema {
    var root = URL(fileURLWithPath: #filePath)
    while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
    let project = root.appendingPathComponent("Examples/network-project")
    return StoreSchema.load(file: project.appendingPathComponent("files/schemas/fs.json"), projectRoot: project)
  }

  @Test func handWrittenManagedAttributesComeFromTheSourceTreeAtEveryDepth() throws {
    let schema = Self.schema()
    // `version` twice: the loaded dict keeps the last. `operation` in a list item and in an
    // item of its nested list; `path` is stripped wherever it is.
    let text = """
      host: web01
      version: 1
      operation: update
      version: "7"
      path: somewhere
      content:
        - type: folder
          name: etc
          operation: delete
          path: x
          content:
            - {type: file, name: a, operation: update}
        - {type: file, name: b}
      """
    let tree = SliceReader.read(Array(text.utf8), format: .yaml)
    guard case .slice(let node) = tree.sliceKind else {
      Issue.record("not a slice")
      return
    }
    let normalized = try #require(schema.validator.validate(node).normalized)
    let state = schema.readForm(of: normalized, source: node)
    #expect(state["version"] == .integer(7))
    #expect(state["operation"] == .string("update"))
    #expect(state["path"] == nil)
    let content = try #require(state["content"]?.elements)
    #expect(content.map { $0["operation"] } == [.string("delete"), .string("create")])
    #expect(content[0]["path"] == nil)
    #expect(content[0]["content"]?.elements?.first?["operation"] == .string("update"))
  }

  /// With the file's bytes, the tree is walked only when they can spell a managed name: the
  /// result is the same either way, escapes included.
  @Test func theBytesShortcutGivesTheSameReadForm() throws {
    let schema = Self.schema()
    let texts = [
      "host: web01\nversion: 3\ncontent:\n  - {type: file, name: a, operation: delete}\n",
      "host: web01\ncontent:\n  - {type: file, name: a, content: \"operations\"}\n",
      "host: web01\ncontent:\n  - {type: file, name: a, \"oper\\x61tion\": delete}\n",
      "{\"host\": \"web01\", \"content\": [{\"type\": \"file\", \"name\": \"a\", \"oper\\u0061tion\": \"delete\"}]}",
      "{\"host\": \"web01\", \"content\": [{\"type\": \"folder\", \"name\": \"é😀\", \"content\": []}]}",
    ]
    for (index, text) in texts.enumerated() {
      let bytes = Array(text.utf8)
      let tree = SliceReader.read(bytes, format: index < 3 ? .yaml : .json)
      guard case .slice(let node) = tree.sliceKind else {
        Issue.record("not a slice: \(text)")
        continue
      }
      let normalized = try #require(schema.validator.validate(node).normalized, "\(text)")
      #expect(schema.readForm(of: normalized, source: node, sourceBytes: bytes) == schema.readForm(of: normalized, source: node), "\(text)")
    }
    // The escaped spellings are read as the name: the shortcut must not skip them.
    let escaped = Array(texts[2].utf8)
    let node = try #require(SliceReader.read(escaped, format: .yaml).root)
    let normalized = try #require(schema.validator.validate(node).normalized)
    let state = schema.readForm(of: normalized, source: node, sourceBytes: escaped)
    #expect(state["content"]?.elements?.first?["operation"] == .string("delete"))
  }

  @Test func aSourceThatIsNoMappingAddsNothing() throws {
    let schema = Self.schema()
    let normalized = Value.object([Value.Member("host", .string("web01"))])
    let source = try #require(SliceReader.read(Array("[1, 2]".utf8), format: .yaml).root)
    #expect(schema.readForm(of: normalized, source: source) == schema.readForm(of: normalized))
  }
}

/// The placeholder is found by bytes, wherever it stands in a key or a value.
@Suite struct PlaceholderFindingsTests {
  @Test func findsThePlaceholderAmongMultiByteCharactersAndOnlyWhole() throws {
    let placeholder = PlaceholderFindings.placeholder
    let text = """
      host: "é日\(placeholder)😀"
      \(placeholder): x
      note: "\(placeholder.dropLast())"
      """
    let bytes = Array(text.utf8)
    let root = try #require(SliceReader.read(bytes, format: .yaml).root)
    let findings = PlaceholderFindings.findings(in: root, source: bytes)
    let inValue = "host: \"é日".utf8.count
    let asKey = "host: \"é日\(placeholder)😀\"\n".utf8.count
    #expect(findings.map(\.range.lowerBound).sorted() == [inValue, asKey])
    #expect(findings.allSatisfy { $0.range.count == placeholder.utf8.count && $0.code == FindingCode.placeholder.rawValue })
  }
}

/// A file with neither the placeholder's bytes nor a backslash is not walked: the escapes that
/// spell it without its bytes must still be found.
@Suite struct PlaceholderShortcutTests {
  @Test func escapedPlaceholdersAreFoundAtTheirScalar() throws {
    let yaml = Array("a: \"\\x3cREPLACE_THIS>\"\nb: \"<REPLACE_\\\n  THIS>\"\nc: fine\n".utf8)
    let yamlRoot = try #require(SliceReader.read(yaml, format: .yaml).root)
    #expect(PlaceholderFindings.findings(in: yamlRoot, source: yaml).count == 2)
    let json = Array(#"{"a": "\u003cREPLACE_THIS>", "b": "fine"}"#.utf8)
    let jsonRoot = try #require(SliceReader.read(json, format: .json).root)
    let findings = PlaceholderFindings.findings(in: jsonRoot, source: json)
    #expect(findings.count == 1)
  }

  @Test func onlyFilesThatCanHoldItAreWalked() {
    let needle = Array(PlaceholderFindings.placeholder.utf8)
    #expect(!PlaceholderFindings.mayHold(needle, Array("a: <REPLACE_THAT>\nb: <<: x\n".utf8)))
    #expect(PlaceholderFindings.mayHold(needle, Array("a: x <REPLACE_THIS>".utf8)))
    #expect(!PlaceholderFindings.mayHold(needle, Array("a: \"\\t \\n \\\"\"".utf8)))
    #expect(PlaceholderFindings.mayHold(needle, Array("a: \"\\n\\x3c\"".utf8)))
    #expect(PlaceholderFindings.mayHold(needle, Array("a: \"x\\\n  y\"".utf8)))
    #expect(PlaceholderFindings.mayHold(needle, Array("a: \"x\\".utf8)))
    #expect(!PlaceholderFindings.mayHold(needle, Array("<REPLACE_THI".utf8)))
    #expect(!PlaceholderFindings.mayHold(needle, []))
  }
}

/// `occurs` anchors its search on the needle's rarest byte: it must agree with a plain search
/// wherever the needle stands, at either end or overlapping a false start.
@Suite struct ByteOccurrenceTests {
  static func naive(_ needle: [UInt8], _ bytes: [UInt8]) -> Bool {
    guard needle.count <= bytes.count else { return false }
    return (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<($0 + needle.count)]) == needle }
  }

  @Test func agreesWithAPlainSearch() {
    let needles = ["operation", "version", "slice_store", "slice_name", "path", "<REPLACE_THIS>", "a", "zz"].map { Array($0.utf8) }
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("operatinvsl_cme<>PATHzé".utf8)
    for _ in 0..<2000 {
      let length = Int.random(in: 0...24, using: &generator)
      var bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
      if Bool.random(using: &generator), let needle = needles.randomElement(using: &generator) {
        let at = Int.random(in: 0...bytes.count, using: &generator)
        bytes.insert(contentsOf: needle.dropLast(Int.random(in: 0...1, using: &generator)), at: at)
      }
      for needle in needles {
        let found = bytes.withUnsafeBufferPointer { PlaceholderFindings.occurs(needle, in: $0) }
        #expect(found == Self.naive(needle, bytes), "\(String(decoding: needle, as: UTF8.self)) in \(bytes)")
      }
    }
  }
}

@Suite struct RemovingPathKeysTests {
  @Test func removesPathAtEveryDepthAndLeavesTheRestAsItIs() {
    let value = Value.object([
      Value.Member("path", .string("root")),
      Value.Member("a", .array([.integer(1), .object([Value.Member("path", .integer(2)), Value.Member("b", .null)]), .object([Value.Member("c", .integer(3))])])),
      Value.Member("d", .object([Value.Member("e", .object([Value.Member("path", .null)]))])),
      Value.Member("f", .object([Value.Member("g", .string("path"))])),
    ])
    let expected = Value.object([
      Value.Member("a", .array([.integer(1), .object([Value.Member("b", .null)]), .object([Value.Member("c", .integer(3))])])),
      Value.Member("d", .object([Value.Member("e", .object([]))])),
      Value.Member("f", .object([Value.Member("g", .string("path"))])),
    ])
    #expect(StoreSchema.removingPathKeys(value) == expected)
    #expect(StoreSchema.removingPathKeys(expected) == expected)
  }
}

extension RemovingPathKeysTests {
  /// With the file's bytes, the strip is skipped only where it could remove nothing: the read
  /// and merge forms are the same as without the bytes, `path` spelt plainly or escaped.
  @Test func theBytesShortcutStripsWhatTheWalkStrips() throws {
    let schema = ReadFormTests.schema()
    #expect(!schema.mayAddPathKeys)
    let texts = [
      "host: web01\ncontent:\n  - {type: file, name: a}\n",
      "host: web01\npath: top\ncontent:\n  - {type: file, name: a, path: x}\n",
      "{\"host\": \"web01\", \"content\": [{\"type\": \"file\", \"name\": \"a\", \"pa\\u0074h\": \"x\"}]}",
    ]
    for text in texts {
      let bytes = Array(text.utf8)
      let tree = SliceReader.read(bytes, format: text.hasPrefix("{") ? .json : .yaml)
      guard case .slice(let node) = tree.sliceKind else {
        Issue.record("not a slice: \(text)")
        continue
      }
      let normalized = try #require(schema.validator.validate(node).normalized)
      #expect(schema.readForm(of: normalized, source: node, sourceBytes: bytes) == schema.readForm(of: normalized, source: node), "\(text)")
      if let merge = schema.mergeFormWithoutOlderVersion(normalized: normalized, sourceBytes: bytes) {
        #expect(merge == StoreSchema.removingPathKeys(normalized), "\(text)")
      }
    }
  }

  @Test func aSchemaMayAddAPathKeyByPropertyOrDefault() throws {
    func schemaSet(_ text: String) -> SchemaSet {
      SchemaLoader().load(text: text)
    }
    #expect(!schemaSet(#"{"type": "object", "properties": {"a": {"type": "string", "default": "path"}}}"#).mayAddKey("path"))
    #expect(schemaSet(#"{"type": "object", "properties": {"path": {"type": "string"}}}"#).mayAddKey("path"))
    #expect(schemaSet(#"{"type": "object", "properties": {"a": {"default": [{"b": {"path": 1}}]}}}"#).mayAddKey("path"))
    #expect(schemaSet(#"{"type": "object", "properties": {"a": {"const": {"path": 1}}}}"#).mayAddKey("path"))
    #expect(schemaSet(#"{"$defs": {"m": {"enum": [1, {"path": 2}]}}, "type": "object"}"#).mayAddKey("path"))
  }
}

/// A listed file's URL skips Foundation's standardising only where it would change nothing.
@Suite struct FileURLTests {
  @Test func equalsTheStandardizedURLForEveryKindOfPath() {
    let paths = [
      "/p/files/vlans/a.yaml", "/p/git_ops/active/vlans/a@v1.json", "/p/files/é 日/😀 #1?%20.yaml",
      "/p/./files/a.yaml", "/p/files/../files/a.yaml", "/p//files/a.yaml", "/p/files/", "/p/files/.",
      "/p/files/..", "/p/...", "/p/.hidden", "/p/a..b", "files/a.yaml", "./a.yaml", "/", "",
    ]
    for path in paths {
      let expected = URL(fileURLWithPath: path).standardizedFileURL
      #expect(StoreFolders.fileURL(path) == expected, "\(path)")
      #expect(StoreFolders.fileURL(path).hashValue == expected.hashValue, "\(path)")
    }
    #expect(StoreFolders.isCleanAbsolute("/p/...") && StoreFolders.isCleanAbsolute("/p/a..b"))
    #expect(!StoreFolders.isCleanAbsolute("/p/./a") && !StoreFolders.isCleanAbsolute("/p/a/") && !StoreFolders.isCleanAbsolute("p/a"))
  }
}
