import Testing

@testable import SliceIDE

/// Completion writes snippets and the server reads them back for clients without snippet support:
/// both directions live in `SnippetText`, so they must agree.
@Suite struct SnippetTextTests {
  @Test func plainTextLosesTheTabStops() {
    #expect(SnippetText.plain("name: ${1:<REPLACE_THIS>}\nport: ${2}$0") == "name: <REPLACE_THIS>\nport: ")
    #expect(SnippetText.plain("a: ${1|x,y|} \\$5 ${2:{\\}}") == "a: x $5 {}")
  }

  @Test func plainTextUndoesTheEscaping() {
    let literal = #"cost: $5 \ {a} ${1:x}"#
    #expect(SnippetText.plain(SnippetText.escape(literal)) == literal)
    let (snippet, next) = SnippetText.withTabStops("name: <X>, port: <X>", placeholder: "<X>")
    #expect(next == 3)
    #expect(SnippetText.plain(snippet) == "name: <X>, port: <X>")
  }
}
