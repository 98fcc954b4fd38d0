@testable import SliceStore
import Testing

@Suite struct DictPathTests {
  func keyedList(_ relation: String, _ pairs: [(String, String)]) -> String {
    DictPath([.relation("content"), .item(relation: relation, identity: Identity(pairs.map { Identity.Pair(key: $0.0, value: $0.1) }))])
      .description
  }

  /// `str(NullPath() + InDict("content") + KeyedList(relation, pairs))` recorded from inmanta-core.
  @Test func rendersLikeInmantaDictPaths() {
    #expect(keyedList("items", [("id", "a.b")]) == "content.items[id=a\\.b]")
    #expect(keyedList("items", [("id", "a\\.b")]) == "content.items[id=a\\.b]")
    #expect(keyedList("items", [("id", "\\0")]) == "content.items[id=\\0]")
    #expect(keyedList("items", [("id", "None")]) == "content.items[id=None]")
    #expect(keyedList("items", [("id", "x\\\\y")]) == "content.items[id=x\\\\y]")
    #expect(keyedList("items", [("id", "x\\y")]) == "content.items[id=x\\\\y]")
    #expect(keyedList("items", [("id", "=[]")]) == "content.items[id=\\=\\[\\]]")
    #expect(keyedList("items", [("type", "folder"), ("name", "a")]) == "content.items[type=folder][name=a]")
    #expect(keyedList("it.ems", [("k", "")]) == "content.it\\.ems[k=]")
    #expect(keyedList("items", [("id", "\\*")]) == "content.items[id=\\*]")
    #expect(keyedList("items", [("id", "a\\")]) == "content.items[id=a\\\\]")
  }

  @Test func rootAndNestedPaths() {
    #expect(DictPath.root.description == ".")
    #expect(DictPath.root.appending(.relation("meta")).description == "meta")
    #expect(
      DictPath.root.appending(.item(relation: "content", identity: Identity([.init(key: "type", value: "folder"), .init(key: "name", value: "a")])))
        .appending(.relation("meta")).description == "content[type=folder][name=a].meta")
  }

  @Test func escapingRoundTrips() {
    for text in ["plain", "a.b", "[x]", "k=v", "*", "back\\slash", "", "é.ü"] {
      #expect(DictPath.unescape(DictPath.escape(text)) == text)
    }
    #expect(DictPath.escape("a.b*") == "a\\.b\\*")
    #expect(Identity([.init(key: "id", value: "1.0")]).description == "[id=1\\.0]")
  }
}

/// The path writer escapes bytes in one pass: it must give what the string escaping gives.
@Suite struct DictPathByteEscapingTests {
  @Test func escapesAsTheStringEscapingDoes() {
    let alphabet: [String] = ["a", "\\", "[", "]", ".", "*", "=", "0", "é", "😀"]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<2000 {
      var text = ""
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      for step in 0..<Int(state % 9) { text += alphabet[Int((state >> (UInt64(step) * 4)) % UInt64(alphabet.count))] }
      var bytes: [UInt8] = []
      DictPath.appendEscaped(text, into: &bytes)
      #expect(bytes == Array(DictPath.escapeKey(text).utf8), "\(text)")
      let path = DictPath([.item(relation: "r", identity: Identity([Identity.Pair(key: text, value: text)]))]).description
      #expect(path == "r[" + DictPath.escapeKey(text) + "=" + DictPath.escapeValue(text) + "]", "\(text)")
    }
  }
}
