import Foundation
import LanguageServerProtocol
import SliceSyntax
import Testing

@testable import SliceLanguageServer

private func item(_ uri: String, _ text: String, languageId: String = "yaml", version: Int = 1) -> TextDocumentItem {
  TextDocumentItem(uri: uri, languageId: languageId, version: version, text: text)
}

private func range(_ startLine: Int, _ startCharacter: Int, _ endLine: Int, _ endCharacter: Int) -> LSPRange {
  LSPRange(start: LSPPosition(line: startLine, character: startCharacter), end: LSPPosition(line: endLine, character: endCharacter))
}

private func edit(_ range: LSPRange?, _ text: String) -> TextDocumentContentChangeEvent {
  TextDocumentContentChangeEvent(range: range, text: text)
}

/// A scratch folder removed at the end of the test.
final class TemporaryFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("slicels-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  @discardableResult
  func write(_ relativePath: String, _ text: String) throws -> URL {
    let file = url.appendingPathComponent(relativePath)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
    return file
  }
}

@Suite struct WorkspaceTests {
  @Test func knowsTheFormatFromTheExtension() async {
    let workspace = Workspace()
    #expect(await workspace.open(item("file:///p/a.yaml", ""))?.format == .yaml)
    #expect(await workspace.open(item("file:///p/a.yml", "", languageId: "plaintext"))?.format == .yaml)
    #expect(await workspace.open(item("file:///p/a.json", "", languageId: "yaml"))?.format == .json)
    #expect(await workspace.open(item("file:///p/A.JSON", ""))?.format == .json)
    #expect(await workspace.open(item("file:///p/a.txt", "", languageId: "yaml")) == nil)
    #expect(await workspace.open(item("file:///p/Makefile", "", languageId: "yaml")) == nil)
    #expect(await workspace.open(item("file:///p/.yaml", "", languageId: "plaintext")) == nil)
    // Buffers: the extension when they have one, else the language id.
    #expect(await workspace.open(item("untitled:new.json", "", languageId: "plaintext"))?.format == .json)
    #expect(await workspace.open(item("untitled:Untitled-1", "", languageId: "yaml"))?.format == .yaml)
    #expect(await workspace.open(item("untitled:Untitled-2", "", languageId: "jsonc"))?.format == .json)
    #expect(await workspace.open(item("untitled:Untitled-3", "", languageId: "python")) == nil)
    #expect(await workspace.document("file:///p/a.txt") == nil)
  }

  @Test func keepsBuffersInMemory() async throws {
    let workspace = Workspace()
    let buffer = try #require(await workspace.open(item("untitled:Untitled-1", "a: 1\n")))
    #expect(!buffer.isFile)
    #expect(buffer.projectRoot == nil)
    let file = try #require(await workspace.open(item("file:///nonexistent/x%20y/a.yaml", "b: 2\n")))
    #expect(file.isFile)
    #expect(file.location.path == "/nonexistent/x y/a.yaml")
    let snapshot = await workspace.snapshot()
    #expect(snapshot.unsavedContents == [file.location: Array("b: 2\n".utf8)])
    #expect(snapshot.document(at: buffer.location)?.uri == "untitled:Untitled-1")
    #expect(snapshot.document(at: URL(fileURLWithPath: "/nonexistent/x y/./a.yaml"))?.uri == "file:///nonexistent/x%20y/a.yaml")
  }

  @Test func appliesIncrementalChangesInOrder() async throws {
    let workspace = Workspace()
    let uri = "file:///p/a.yaml"
    await workspace.open(item(uri, "name: é😀中\nlist:\n  - a\n"))
    // UTF-16: "name: " 6, é 1, 😀 2, 中 1.
    var document = try #require(
      await workspace.change(
        VersionedTextDocumentIdentifier(uri: uri, version: 2),
        [
          edit(range(0, 9, 0, 10), "文"),  // 中 → 文
          edit(range(0, 7, 0, 9), ""),  // drop 😀
          edit(range(2, 4, 2, 5), "b\n  - c"),  // a → b, add c
          edit(range(3, 5, 3, 5), "d"),  // append to the new line
        ], encoding: .utf16))
    #expect(document.document.text == "name: é文\nlist:\n  - b\n  - cd\n")
    #expect(document.version == 2)

    document = try #require(
      await workspace.change(
        VersionedTextDocumentIdentifier(uri: uri, version: 3),
        [edit(range(0, 0, 0, 0), "# c\n"), edit(nil, "x: 1\n"), edit(range(0, 3, 0, 4), "2")], encoding: .utf16))
    #expect(document.document.text == "x: 2\n")
    #expect(document.version == 3)
    #expect(await workspace.document(uri)?.document.text == "x: 2\n")
  }

  @Test func countsInTheNegotiatedEncoding() async throws {
    let text = "k: é😀中x\n"
    for (encoding, start, end) in [(PositionEncodingKind.utf8, 12, 13), (.utf16, 7, 8), (.utf32, 6, 7)] {
      let workspace = Workspace()
      await workspace.open(item("file:///p/a.yaml", text))
      let document = try #require(
        await workspace.change(
          VersionedTextDocumentIdentifier(uri: "file:///p/a.yaml", version: 2), [edit(range(0, start, 0, end), "y")],
          encoding: encoding))
      #expect(document.document.text == "k: é😀中y\n", "\(encoding.rawValue)")
    }
  }

  @Test func clampsRangesOutsideTheText() async throws {
    let workspace = Workspace()
    let uri = "file:///p/a.yaml"
    await workspace.open(item(uri, "ab\ncd"))
    let changes: [(TextDocumentContentChangeEvent, String)] = [
      (edit(range(0, 10, 0, 12), "!"), "ab!\ncd"),  // past the line's end: at its end
      (edit(range(9, 0, 12, 4), "?"), "ab!\ncd?"),  // past the last line: at the document's end
      (edit(range(1, 1, 0, 1), "<"), "ab!\nc<d?"),  // reversed: empty at its start
      (edit(range(-3, -1, 0, 1), ""), "b!\nc<d?"),  // negative: at the start
      (edit(range(0, 1, 0, 1), "\r\n"), "b\r\n!\nc<d?"),
      (edit(range(1, 0, 1, 0), "x"), "b\r\nx!\nc<d?"),  // CRLF is one line break
      (edit(range(0, 1, 1, 0), ""), "bx!\nc<d?"),
    ]
    for (version, (change, expected)) in changes.enumerated() {
      let document = try #require(
        await workspace.change(VersionedTextDocumentIdentifier(uri: uri, version: version + 2), [change], encoding: .utf16))
      #expect(document.document.text == expected)
    }
    // A position inside a surrogate pair stays before the character.
    await workspace.open(item(uri, "😀"))
    let split = try #require(
      await workspace.change(VersionedTextDocumentIdentifier(uri: uri, version: 20), [edit(range(0, 1, 0, 1), "x")], encoding: .utf16))
    #expect(split.document.text == "x😀")
  }

  @Test func ignoresChangesToDocumentsNotOpen() async {
    let workspace = Workspace()
    #expect(await workspace.change(VersionedTextDocumentIdentifier(uri: "file:///p/a.yaml", version: 2), [edit(nil, "x")], encoding: .utf16) == nil)
    #expect(await workspace.close("file:///p/a.yaml") == nil)
    #expect(await workspace.save("file:///p/a.yaml", text: nil) == nil)
  }

  @Test func closesAndSaves() async throws {
    let workspace = Workspace()
    let uri = "file:///p/a.yaml"
    await workspace.open(item(uri, "a: 1\n", version: 4))
    #expect(await workspace.save(uri, text: nil)?.document.text == "a: 1\n")
    // A client that saves a text other than ours: the saved text wins.
    let saved = try #require(await workspace.save(uri, text: "a: 2\n"))
    #expect(saved.document.text == "a: 2\n")
    #expect(saved.version == 4)
    #expect(await workspace.close(uri)?.document.text == "a: 2\n")
    #expect(await workspace.document(uri) == nil)
    #expect(await workspace.snapshot().document(at: URL(fileURLWithPath: "/p/a.yaml")) == nil)
  }

  /// Random edits against a model that counts UTF-16 code units by hand.
  @Test func matchesAModelOverRandomEditSequences() async throws {
    let pieces = ["a", "b", "é", "😀", "中", "\t", " ", "\n", "\r\n", "#"]
    var generator = SplitMix(seed: 42)
    for round in 0..<40 {
      var tokens = (0..<generator.next(upTo: 30)).map { _ in pieces[generator.next(upTo: pieces.count)] }
      let workspace = Workspace()
      let uri = "file:///p/random\(round).yaml"
      await workspace.open(item(uri, tokens.joined()))
      for version in 2..<30 {
        var changes: [TextDocumentContentChangeEvent] = []
        for _ in 0..<(1 + generator.next(upTo: 3)) {
          let a = generator.next(upTo: tokens.count + 1)
          let b = generator.next(upTo: tokens.count + 1)
          let (lower, upper) = (min(a, b), max(a, b))
          let inserted = (0..<generator.next(upTo: 4)).map { _ in pieces[generator.next(upTo: pieces.count)] }
          changes.append(edit(LSPRange(start: position(of: lower, in: tokens), end: position(of: upper, in: tokens)), inserted.joined()))
          tokens.replaceSubrange(lower..<upper, with: inserted)
        }
        let document = try #require(
          await workspace.change(VersionedTextDocumentIdentifier(uri: uri, version: version), changes, encoding: .utf16))
        #expect(document.document.text == tokens.joined(), "round \(round) version \(version)")
        #expect(document.document.lineCount == tokens.filter { $0.utf8.last == 0x0A }.count + 1)
      }
    }
  }

  private func position(of index: Int, in tokens: [String]) -> LSPPosition {
    var line = 0
    var character = 0
    for token in tokens[..<index] {
      if token.utf8.last == 0x0A {
        line += 1
        character = 0
      } else {
        character += token.utf16.count
      }
    }
    return LSPPosition(line: line, character: character)
  }

  @Test func takesFoldersFromInitialize() async {
    let workspace = Workspace()
    let capabilities = ClientCapabilities()
    await workspace.setFolders(
      from: InitializeRequest(
        processId: nil, rootPath: "/ignored", rootUri: "file:///ignored", capabilities: capabilities,
        workspaceFolders: [WorkspaceFolder(uri: "file:///a", name: "a"), WorkspaceFolder(uri: "file:///b%20c", name: "b c")]))
    #expect(await workspace.workspaceFolders.map(\.uri) == ["file:///a", "file:///b%20c"])
    #expect(await workspace.snapshot().folderLocations.map(\.path) == ["/a", "/b c"])

    await workspace.setFolders(from: InitializeRequest(processId: nil, rootPath: "/x", rootUri: "file:///root/project", capabilities: capabilities))
    #expect(await workspace.workspaceFolders == [WorkspaceFolder(uri: "file:///root/project", name: "project")])

    await workspace.setFolders(from: InitializeRequest(processId: nil, rootPath: "/old style/root", capabilities: capabilities))
    #expect(await workspace.workspaceFolders == [WorkspaceFolder(uri: "file:///old%20style/root", name: "root")])

    await workspace.setFolders(from: InitializeRequest(processId: nil, capabilities: capabilities))
    #expect(await workspace.workspaceFolders.isEmpty)
  }

  @Test func changesFolders() async {
    let workspace = Workspace()
    await workspace.setFolders(
      from: InitializeRequest(processId: nil, capabilities: ClientCapabilities(), workspaceFolders: [WorkspaceFolder(uri: "file:///a", name: "a")]))
    let (added, removed) = await workspace.changeFolders(
      WorkspaceFoldersChangeEvent(added: [WorkspaceFolder(uri: "file:///b", name: "b")], removed: [WorkspaceFolder(uri: "file:///a/", name: "a")]))
    #expect(added.map(\.path) == ["/b"])
    #expect(removed.map(\.path) == ["/a"])
    #expect(await workspace.workspaceFolders.map(\.uri) == ["file:///b"])
  }

  @Test func mapsDocumentsToTheirProjects() async throws {
    let folder = try TemporaryFolder()
    try folder.write("one/project.yml", "name: one\n")
    try folder.write("two/files/git-ops-config.yml", "stores: []\n")
    let workspace = Workspace()
    let root = folder.url.standardizedFileURL
    let inOne = try #require(await workspace.open(item(FileURI.uri(forFileAt: root.appendingPathComponent("one/files/fs/a.yaml")), "")))
    let inTwo = try #require(await workspace.open(item(FileURI.uri(forFileAt: root.appendingPathComponent("two/files/fs/b.yaml")), "")))
    let loose = try #require(await workspace.open(item(FileURI.uri(forFileAt: root.appendingPathComponent("three/c.yaml")), "")))
    #expect(inOne.projectRoot?.path == root.appendingPathComponent("one").path)
    #expect(inTwo.projectRoot?.path == root.appendingPathComponent("two").path)
    #expect(loose.projectRoot == nil)
    #expect(await workspace.snapshot().projectRoots.count == 2)

    // A project.yml appears: the loose file now belongs to a project.
    let marker = try folder.write("three/project.yml", "name: three\n")
    _ = await workspace.filesChanged([FileEvent(uri: FileURI.uri(forFileAt: marker), type: .created)])
    #expect(await workspace.document(loose.uri)?.projectRoot?.path == root.appendingPathComponent("three").path)
  }

  @Test func spellsClosedFilesLikeTheirFolder() async {
    let workspace = Workspace()
    await workspace.setFolders(
      from: InitializeRequest(
        processId: nil, capabilities: ClientCapabilities(), workspaceFolders: [WorkspaceFolder(uri: "file:///home/u/c%3Ad", name: "d")]))
    await workspace.open(item("file:///home/u/c:d/open@v1.json", "{}"))
    let snapshot = await workspace.snapshot()
    #expect(snapshot.uri(for: URL(fileURLWithPath: "/home/u/c:d/open@v1.json")) == "file:///home/u/c:d/open@v1.json")
    #expect(snapshot.uri(for: URL(fileURLWithPath: "/home/u/c:d/closed@v1.json")) == "file:///home/u/c%3Ad/closed%40v1.json")
    #expect(snapshot.uri(for: URL(fileURLWithPath: "/elsewhere/é.json")) == "file:///elsewhere/%C3%A9.json")
  }

  @Test func readsSettings() {
    #expect(ServerSettings(section: nil) == ServerSettings(showHints: true, trace: nil))
    #expect(ServerSettings(section: .null) == ServerSettings())
    #expect(ServerSettings(section: ["diagnostics": ["hints": false], "trace": "verbose"]) == ServerSettings(showHints: false, trace: .verbose))
    #expect(ServerSettings(section: ["diagnostics.hints": false, "trace.server": "messages"]) == ServerSettings(showHints: false, trace: .messages))
    #expect(ServerSettings(section: ["trace": ["server": "off"]]) == ServerSettings(showHints: true, trace: .off))
    // Wrong types and unknown values keep the defaults.
    #expect(ServerSettings(section: ["diagnostics": ["hints": "no"], "trace": "loud", "other": 1]) == ServerSettings())
  }
}

/// A small deterministic generator (SplitMix64) for reproducible random tests.
struct SplitMix {
  private var state: UInt64
  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func next(upTo bound: Int) -> Int {
    guard bound > 0 else { return 0 }
    return Int(next() % UInt64(bound))
  }
}
