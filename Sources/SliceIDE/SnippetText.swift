import Foundation

/// Snippet syntax (LSP / TextMate): `$` and `\` are escaped in literal text, and `}` too inside
/// a placeholder; tab stops are `${n:placeholder}`.
enum SnippetText {
  static func escape(_ text: String, inPlaceholder: Bool = false) -> String {
    var result = ""
    for character in text {
      if character == "$" || character == "\\" || (inPlaceholder && character == "}") { result.append("\\") }
      result.append(character)
    }
    return result
  }

  /// Escapes `text` and turns every occurrence of `placeholder` into a numbered tab stop,
  /// starting at `first`. Returns the snippet and the next free number.
  static func withTabStops(_ text: String, placeholder: String, first: Int = 1) -> (snippet: String, next: Int) {
    var result = ""
    var number = first
    var rest = Substring(text)
    while let range = rest.range(of: placeholder) {
      result += escape(String(rest[..<range.lowerBound]))
      result += "${\(number):" + escape(placeholder, inPlaceholder: true) + "}"
      number += 1
      rest = rest[range.upperBound...]
    }
    result += escape(String(rest))
    return (result, number)
  }
}
