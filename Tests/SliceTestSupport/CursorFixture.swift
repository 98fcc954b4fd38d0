/// Texts with the cursor marked in them, for editor queries: `‸` for a byte offset (the engine's
/// queries), `|` for an LSP position (the server's).
public enum CursorFixture {
  public static let mark = "‸"

  /// The text without `mark` and the mark's byte offset (the end when there is no mark).
  public static func split(_ marked: String) -> (text: String, offset: Int) {
    guard let range = marked.range(of: mark) else { return (marked, marked.utf8.count) }
    let before = String(marked[..<range.lowerBound])
    return (before + String(marked[range.upperBound...]), before.utf8.count)
  }

  /// What an LSP character counts: UTF-8 bytes or UTF-16 units (the negotiated position encoding).
  public enum CharacterUnit: Sendable {
    case utf8, utf16
  }

  /// The 0-based line and character of the first `marker` in `text`, which is removed from it;
  /// nil when `text` holds no marker.
  public static func position(of marker: String = "|", in text: inout String, counting unit: CharacterUnit)
    -> (line: Int, character: Int)?
  {
    guard let range = text.range(of: marker) else { return nil }
    let before = text[..<range.lowerBound]
    let line = before.filter { $0 == "\n" }.count
    let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
    let prefix = text[lineStart..<range.lowerBound]
    text.removeSubrange(range)
    return (line, unit == .utf8 ? prefix.utf8.count : prefix.utf16.count)
  }
}
