import SliceAnalysis
import SliceStore

/// One slice file offered by `workspace/symbol`, protocol-neutral.
public struct SliceSymbol: Sendable, Hashable {
  /// `vlans/office (source)`, `vlans/office v2 (active)`.
  public var name: String
  public var store: String
  public var path: String
  public var role: SliceFileRole
}

extension EditorQueries {
  /// At most this many symbols answer one query (the best matches).
  public static let maximumWorkspaceSymbols = 1000

  /// The slice files whose name matches `query` as editors expect: every character of the
  /// query in order, ignoring case (`vof` finds `vlans/office`); an empty query matches all.
  /// Whole-substring matches come first, then the tighter ones; at most `limit`.
  public static func workspaceSymbols(
    _ entries: [SliceDirectoryEntry], query: String, limit: Int = maximumWorkspaceSymbols
  ) -> [SliceSymbol] {
    let needle = Array(query.lowercased().filter { !$0.isWhitespace })
    var ranked: [(score: Int, symbol: SliceSymbol)] = []
    for entry in entries {
      let name = symbolName(entry)
      guard let score = matchScore(Array(name.lowercased()), needle) else { continue }
      ranked.append((score, SliceSymbol(name: name, store: entry.store, path: entry.path, role: entry.role)))
    }
    ranked.sort { $0.score != $1.score ? $0.score < $1.score : $0.symbol.name < $1.symbol.name }
    return ranked.prefix(max(0, limit)).map(\.symbol)
  }

  /// The readable name of a slice file: `store/slice (source)` or `store/slice vN (active)`.
  public static func symbolName(_ entry: SliceDirectoryEntry) -> String {
    switch entry.role {
    case .source: return "\(entry.store)/\(entry.slice) (source)"
    case .active: return "\(entry.store)/\(entry.slice)" + (entry.version.map { " v\($0)" } ?? "") + " (active)"
    }
  }

  /// Lower is better; nil when the query's characters are not all in `name`, in order.
  /// A substring scores its position; a scattered match scores past every substring, by its span.
  static func matchScore(_ name: [Character], _ needle: [Character]) -> Int? {
    guard !needle.isEmpty else { return 0 }
    guard needle.count <= name.count else { return nil }
    if let start = substringStart(name, needle) { return start }
    var found = 0
    var first: Int?
    for (index, character) in name.enumerated() where character == needle[found] {
      if first == nil { first = index }
      found += 1
      if found == needle.count { return name.count + index - (first ?? 0) }
    }
    return nil
  }

  private static func substringStart(_ name: [Character], _ needle: [Character]) -> Int? {
    guard needle.count <= name.count else { return nil }
    for start in 0...(name.count - needle.count) where name[start..<(start + needle.count)].elementsEqual(needle) {
      return start
    }
    return nil
  }
}
