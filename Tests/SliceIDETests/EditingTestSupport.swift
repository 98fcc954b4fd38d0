import Foundation
import SliceIDE
import SliceSchema
import SliceStore
import SliceSyntax
import SliceTestSupport

/// Shared helpers of the editor query tests: the example project, its schemas, and texts with a
/// cursor marked `‸`.
enum EditingSupport {
  static let exampleProject = TestPackage.exampleProject

  static func schemaFile(_ store: String) -> URL {
    exampleProject.appendingPathComponent("files/schemas/\(store).json")
  }

  /// The store schema of the example project (`fs` or `vlans`).
  static func schema(_ store: String) -> StoreSchema {
    StoreSchema.load(file: schemaFile(store), projectRoot: exampleProject)
  }

  static let fs = schema("fs")
  static let vlans = schema("vlans")

  static func completions(_ marked: String, format: SliceFormat, schema: StoreSchema) -> (
    candidates: [CompletionCandidate], text: String, offset: Int
  ) {
    let (text, offset) = CursorFixture.split(marked)
    let bytes = Array(text.utf8)
    let candidates = EditorQueries.completions(
      document: TextDocument(bytes: bytes), tree: SliceReader.read(bytes, format: format), format: format, offset: offset,
      schema: schema)
    return (candidates, text, offset)
  }

  /// The text after applying a candidate (insert text with snippet syntax removed).
  static func apply(_ candidate: CompletionCandidate, to text: String) -> String {
    var document = TextDocument(text: text)
    let insert = candidate.isSnippet ? plain(candidate.insertText) : candidate.insertText
    document.apply([TextEdit(range: candidate.replaceRange, newText: insert)] + candidate.additionalEdits)
    return document.text
  }

  /// Snippet text with tab stops replaced by their placeholders and escapes removed.
  static func plain(_ snippet: String) -> String {
    var result = ""
    var characters = Array(snippet)
    var index = 0
    while index < characters.count {
      let character = characters[index]
      if character == "\\", index + 1 < characters.count {
        result.append(characters[index + 1])
        index += 2
        continue
      }
      if character == "$", index + 1 < characters.count {
        if characters[index + 1] == "{" {
          // ${n:text} or ${n|a,b|}
          var end = index + 2
          while end < characters.count, characters[end].isNumber { end += 1 }
          if end < characters.count, characters[end] == ":" {
            characters.remove(at: end)
            characters.removeSubrange(index..<end)
            // Drop the matching unescaped closing brace.
            var depth = 0
            var scan = index
            while scan < characters.count {
              if characters[scan] == "\\" {
                scan += 2
                continue
              }
              if characters[scan] == "{" { depth += 1 }
              if characters[scan] == "}" {
                if depth == 0 {
                  characters.remove(at: scan)
                  break
                }
                depth -= 1
              }
              scan += 1
            }
            continue
          }
          if end < characters.count, characters[end] == "}" {
            index = end + 1
            continue
          }
        } else if characters[index + 1].isNumber {
          index += 1
          while index < characters.count, characters[index].isNumber { index += 1 }
          continue
        }
      }
      result.append(character)
      index += 1
    }
    return result
  }
}
