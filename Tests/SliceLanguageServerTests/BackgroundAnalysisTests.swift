import Foundation
import LanguageServerProtocol
import SliceAnalysis
import SliceStore
import Testing

@testable import SliceLanguageServer

/// The server's start-up on the incremental analysis (issue 9, item 3): the opened document
/// first, the rest of the project in background steps shown as work-done progress, the closed
/// files' findings pushed as they come.
@Suite struct BackgroundAnalysisTests {
  @Test func openedDocumentFirstThenTheProjectWithProgress() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    // A closed slice with an error, found only by the background analysis.
    let lab = project.url("files/vlans/lab.json")
    try Data("{\"site\": \"bru\", \"vlan_id\": \"not a number\", \"name\": \"lab\"}".utf8).write(to: lab)
    let editor = try EditorSession(answer: { _ in .null })
    try await editor.initialize(["window": ["workDoneProgress": true]])
    let office = project.url("files/vlans/office.yaml")
    editor.open(office, try project.text("files/vlans/office.yaml"))

    let labURI = FileURI.uri(forFileAt: lab.standardizedFileURL)
    try await eventually {
      await editor.session.notifications(PublishDiagnosticsNotification.method).contains {
        $0["uri"]?.stringValue == labURI && $0["diagnostics"]?.arrayValue?.isEmpty == false
      }
    }
    // The project's progress was created, begun and ended (the background finished).
    try await eventually {
      await editor.session.notifications("$/progress").contains { $0["value"]?["kind"]?.stringValue == "end" }
    }
    let progress = await editor.session.notifications("$/progress")
    #expect(progress.first?["value"]?["kind"]?.stringValue == "begin")
    #expect(editor.recorder.params(of: WorkDoneProgressCreateRequest.method).count >= 1)
    // The opened document was published before the closed file with the error.
    let published = await editor.session.notifications(PublishDiagnosticsNotification.method).compactMap { $0["uri"]?.stringValue }
    let officeIndex = try #require(published.firstIndex(of: FileURI.uri(forFileAt: office.standardizedFileURL)) ?? published.firstIndex(of: office.absoluteString))
    let labIndex = try #require(published.firstIndex(of: labURI))
    #expect(officeIndex < labIndex)
    _ = try await editor.session.finish()
  }

  @Test func aCancelledBackgroundStepAnalysesNothingAndKeepsItsWork() async throws {
    let project = try ExampleProject()
    defer { project.remove() }
    let host = AnalysisHost()
    let root = project.root.standardizedFileURL
    _ = await host.update(root: root, buffers: [:], compileHints: true)
    // The first step lists the stores; then slices wait.
    _ = await host.analyseBackground(root: root)
    _ = await host.analyseBackground(root: root)
    let waiting = await host.analyseBackground(root: root, limit: 0).remainingSlices
    #expect(waiting > 0)
    let before = await host.statistics(root: root).slicesAnalysed
    let cancelled = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return await host.analyseBackground(root: root)
    }
    let update = await cancelled.value
    #expect(update.remainingSlices == waiting)
    #expect(await host.statistics(root: root).slicesAnalysed == before)
    #expect(await host.analyseBackground(root: root, limit: 100).remainingSlices == 0)
  }
}
