import Foundation
import LanguageServerProtocol
import Testing

@testable import SliceLanguageServer

/// The lens and code action commands for clients without `window/showDocument` (Neovim, eglot):
/// the result carries what the shipped editor configurations show. In the serialized editor
/// feature suite: one more suite of whole-project analyses in parallel starves the timing-bound
/// lifecycle tests on a 2-core machine.
extension EditorFeatureTests {
  @Test func previewWithoutShowDocumentReturnsTheMergedViewAndABufferName() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/fs/web01.yaml")
    let editor = try EditorSession()
    try await editor.initialize([:])
    editor.open(file, try project.text("files/fs/web01.yaml"))
    let result = try await editor.session.request(
      ExecuteCommandRequest(command: EditorCommands.previewPurged, arguments: [.string(file.absoluteString)]))
    #expect(result["shown"] == false)
    #expect(result["name"] == "fs/web01.merged.json")
    let text = try #require(result["text"]?.stringValue, "\(result)")
    #expect(text.contains("\"name\": \"web01\""))
    #expect(text.contains("\"operation\""))
    #expect(result["uri"] == nil)
    #expect(editor.recorder.params(of: ShowDocumentRequest.method).isEmpty)
    _ = try await editor.session.finish()
  }

  @Test func previewNameKeepsEachPartOneComponent() {
    #expect(CommandRunner.previewName(store: "fs", slice: "web01") == "fs/web01.merged.json")
    #expect(CommandRunner.previewName(store: "a/b", slice: "../x") == "a_b/__x.merged.json")
  }

  @Test func previewDeclinedByTheClientStillReturnsTheText() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let file = project.url("files/fs/web01.yaml")
    let editor = try EditorSession { request in
      request.method == ShowDocumentRequest.method ? ["success": false] : .null
    }
    try await editor.initialize(["window": ["showDocument": ["support": true]]])
    editor.open(file, try project.text("files/fs/web01.yaml"))
    let result = try await editor.session.request(
      ExecuteCommandRequest(command: EditorCommands.previewPurged, arguments: [.string(file.absoluteString)]))
    #expect(result["shown"] == false)
    #expect(result["uri"]?.stringValue != nil)
    #expect(result["text"]?.stringValue?.contains("\"name\": \"web01\"") == true)
    _ = try await editor.session.finish()
  }

  @Test func openFileWithoutShowDocumentReturnsWhereToOpen() async throws {
    let editor = try EditorSession()
    try await editor.initialize([:])
    let target = "file:///tmp/project/git_ops/active/fs/web01%40v3.json"
    let range: LSPAny = ["start": ["line": 4, "character": 2], "end": ["line": 4, "character": 9]]
    let result = try await editor.session.request(
      ExecuteCommandRequest(command: EditorCommands.openFile, arguments: [.string(target), range]))
    #expect(result["shown"] == false)
    #expect(result["uri"] == .string(target))
    #expect(result["range"] == range)
    #expect(editor.recorder.params(of: ShowDocumentRequest.method).isEmpty)
    _ = try await editor.session.finish()
  }

  @Test func openFileWithShowDocumentAsksTheClientAtTheRange() async throws {
    let editor = try EditorSession { request in
      request.method == ShowDocumentRequest.method ? ["success": true] : .null
    }
    try await editor.initialize(["window": ["showDocument": ["support": true]]])
    let target = "file:///tmp/project/git_ops/active/fs/web01%40v3.json"
    let range: LSPAny = ["start": ["line": 4, "character": 2], "end": ["line": 4, "character": 9]]
    let result = try await editor.session.request(
      ExecuteCommandRequest(command: EditorCommands.openFile, arguments: [.string(target), range]))
    #expect(result["shown"] == true)
    let shown = try #require(editor.recorder.params(of: ShowDocumentRequest.method).first ?? nil)
    #expect(shown["uri"] == .string(target))
    #expect(shown["selection"] == range)
    _ = try await editor.session.finish()
  }
}
