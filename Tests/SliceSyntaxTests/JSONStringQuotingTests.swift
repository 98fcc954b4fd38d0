import Testing

@testable import SliceSyntax

@Suite struct JSONStringQuotingTests {
  /// Every character class a style treats differently, with runs of plain text between them.
  static let sample = "a\"b\\c\nd\re\tf\u{08}g\u{0C}h\u{01}i\u{1F}j\u{7F}k é 日本 😀 end"

  @Test func pythonASCIIIsJSONDumpsWithEnsureASCII() {
    // json.dumps(sample) in Python 3.
    #expect(
      JSONStringQuoting.quoted(Self.sample, style: .pythonASCII)
        == #""a\"b\\c\nd\re\tf\bg\fh\u0001i\u001fj\u007fk \u00e9 \u65e5\u672c \ud83d\ude00 end""#)
  }

  @Test func readableKeepsNonASCIIAndDelete() {
    #expect(
      JSONStringQuoting.quoted(Self.sample, style: .readable)
        == "\"a\\\"b\\\\c\\nd\\re\\tf\\u0008g\\u000ch\\u0001i\\u001fj\u{7F}k é 日本 😀 end\"")
  }

  @Test func terminalEscapesDeleteToo() {
    #expect(
      JSONStringQuoting.quoted(Self.sample, style: .terminal)
        == "\"a\\\"b\\\\c\\nd\\re\\tf\\u0008g\\u000ch\\u0001i\\u001fj\\u007fk é 日本 😀 end\"")
  }

  @Test func appendsToWhatIsAlreadyWritten() {
    var output = Array("[".utf8)
    JSONStringQuoting.write("", style: .pythonASCII, into: &output)
    JSONStringQuoting.write("plain", style: .pythonASCII, into: &output)
    #expect(String(decoding: output, as: UTF8.self) == #"["""plain""#)
  }
}
