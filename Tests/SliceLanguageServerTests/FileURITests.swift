import Foundation
import Testing

@testable import SliceLanguageServer

@Suite struct FileURITests {
  @Test(arguments: [
    ("file:///home/user/project/files/fs/a.yaml", "/home/user/project/files/fs/a.yaml"),
    ("file:///home/user/my%20project/a.yaml", "/home/user/my project/a.yaml"),
    ("file:///home/user/caf%C3%A9/%E4%B8%AD%E6%96%87.yaml", "/home/user/café/中文.yaml"),
    ("file:///home/user/caf%c3%a9/x.json", "/home/user/café/x.json"),
    ("file:///p/name%40v2.json", "/p/name@v2.json"),
    ("file:///p/name@v2.json", "/p/name@v2.json"),
    ("file://localhost/p/a.yml", "/p/a.yml"),
    ("FILE:///p/a.yml", "/p/a.yml"),
    ("file:/p/a.yml", "/p/a.yml"),
    ("file:///p/a.yml?query#fragment", "/p/a.yml"),
    ("file:///c%3A/Users/a.yaml", "/c:/Users/a.yaml"),
  ])
  func decodesFilePaths(uri: String, path: String) {
    #expect(FileURI.filePath(from: uri) == path)
    #expect(FileURI.fileURL(from: uri)?.path == path)
  }

  @Test(arguments: [
    "untitled:Untitled-1", "git:/p/a.yaml?ref", "file://server/share/a.yaml", "file:relative/a.yaml",
    "file:///bad%zzescape", "file:///truncated%4", "file:///invalid-utf8%FF%FE", "file:///nul%00byte", "", "a.yaml",
  ])
  func refusesWhatIsNotALocalFile(uri: String) {
    #expect(FileURI.filePath(from: uri) == nil)
  }

  @Test func encodesLikeVSCode() {
    #expect(FileURI.uri(forPath: "/home/user/my project/café/中.yaml") == "file:///home/user/my%20project/caf%C3%A9/%E4%B8%AD.yaml")
    #expect(FileURI.uri(forPath: "/p/name@v2.json") == "file:///p/name%40v2.json")
    #expect(FileURI.uri(forPath: "/p/a-b_c.d~e/x.yml") == "file:///p/a-b_c.d~e/x.yml")
    #expect(FileURI.uri(forFileAt: URL(fileURLWithPath: "/p/./q/../a.yaml")) == "file:///p/a.yaml")
  }

  @Test func roundTripsAnyPath() {
    for path in ["/a b/c%d/e#f/g?h/i:j/k+l/é/😀/\t", "/", "/x/[1]/{2}/'3'/\"4\""] {
      let uri = FileURI.uri(forPath: path)
      #expect(uri.allSatisfy { $0.isASCII && $0 != " " }, "\(uri)")
      #expect(FileURI.filePath(from: uri) == path)
    }
  }

  @Test func spellsAFileLikeItsWorkspaceFolder() {
    let file = URL(fileURLWithPath: "/home/u/c:d/files/fs/a b.yaml")
    // The client encodes ':' in its folder URI; the file's URI keeps the client's spelling.
    #expect(FileURI.uri(forFileAt: file, inside: "file:///home/u/c%3Ad") == "file:///home/u/c%3Ad/files/fs/a%20b.yaml")
    #expect(FileURI.uri(forFileAt: file, inside: "file:///home/u/c:d/") == "file:///home/u/c:d/files/fs/a%20b.yaml")
    #expect(FileURI.uri(forFileAt: file, inside: "file:///home/u/c") == nil)
    #expect(FileURI.uri(forFileAt: file, inside: "untitled:x") == nil)
  }
}
