import Foundation

/// Snippet syntax (LSP / TextMate): `$` and `\` are escaped in literal text, and `}` too inside
/// a placeholder; tab stops are `${n:placeholder}`. Completion writes snippets; the server turns them
/// back into plain text for a client without snippet support.
public enum SnippetText {
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

  /// `${1:<REPLACE_THIS>}` → `<REPLACE_THIS>`, `$0` / `${2}` → nothing, `${1|a,b|}` → `a`,
  /// `\$` `\}` `\\` → the character.
  public static func plain(_ snippet: String) -> String {
    let characters = Array(snippet)
    var index = 0
    var output = ""
    func parse(until terminator: Character?) {
      while index < characters.count {
        let character = characters[index]
        if let terminator, character == terminator { return }
        if character == "\\", index + 1 < characters.count, "$}\\,|".contains(characters[index + 1]) {
          output.append(characters[index + 1])
          index += 2
        } else if character == "$", index + 1 < characters.count, characters[index + 1].isNumber {
          index += 1
          while index < characters.count, characters[index].isNumber { index += 1 }
        } else if character == "$", index + 1 < characters.count, characters[index + 1] == "{" {
          index += 2
          while index < characters.count, characters[index].isNumber || characters[index].isLetter || characters[index] == "_" {
            index += 1
          }
          guard index < characters.count else { return }
          if characters[index] == ":" {
            index += 1
            parse(until: "}")
            index += 1
          } else if characters[index] == "|" {
            index += 1
            var choice = ""
            while index < characters.count, characters[index] != "|" {
              if characters[index] == "\\", index + 1 < characters.count {
                index += 1
              }
              choice.append(characters[index])
              index += 1
            }
            output += choice.split(separator: ",", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            while index < characters.count, characters[index] != "}" { index += 1 }
            index += 1
          } else {
            while index < characters.count, characters[index] != "}" { index += 1 }
            index += 1
          }
        } else {
          output.append(character)
          index += 1
        }
      }
    }
    parse(until: nil)
    return output
  }
}
