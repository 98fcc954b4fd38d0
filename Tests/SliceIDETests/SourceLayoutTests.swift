import Foundation
import SliceTestSupport
import Testing

/// A file name says what the file holds: two `Completion.swift` in two modules send a newcomer's
/// search (and a stack trace's file name) to the wrong layer.
@Suite struct SourceLayoutTests {
  @Test func everySourceFileNameIsUnique() throws {
    let sources = TestPackage.root.appendingPathComponent("Sources")
    let enumerator = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
    var paths: [String: [String]] = [:]
    for case let url as URL in enumerator where url.pathExtension == "swift" {
      paths[url.lastPathComponent, default: []].append(url.path.replacingOccurrences(of: sources.path + "/", with: ""))
    }
    #expect(paths.count > 100, "the Sources folder was found")
    let repeated = paths.values.filter { $0.count > 1 }.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    #expect(repeated.isEmpty, "file names used more than once: \(repeated)")
  }
}
