import SliceSyntax

/// Keeps findings short whatever the schema holds: a million-value `enum`, a megabyte `const`
/// or a very long pattern must not make every finding about them as large as the schema.
enum MessageBounds {
  /// Lists up to this many items are written in full (pydantic's exact wording).
  static let fullListLimit = 20
  /// Longer lists show this many items and count the rest.
  static let shownItems = 10
  /// Text quoted from a schema or a value keeps at most this many characters.
  static let quotedCharacters = 200
  /// Values nested deeper than this are written as `[…]` / `{…}`.
  static let renderedDepth = 4

  /// `items` rendered and joined; a long list keeps its first items and says how many more
  /// there are (the rest is not rendered at all).
  static func list<Item>(
    _ items: some Collection<Item>, separator: String = ", ", lastSeparator: String? = nil,
    render: (Item) -> String
  ) -> String {
    if items.count > fullListLimit {
      let shown = items.prefix(shownItems).map(render).joined(separator: separator)
      return shown + separator + "… (\(items.count - shownItems) more)"
    }
    let rendered = items.map(render)
    guard let lastSeparator, rendered.count > 1, let last = rendered.last else {
      return rendered.joined(separator: separator)
    }
    return rendered.dropLast().joined(separator: separator) + lastSeparator + last
  }

  /// `text` cut to `quotedCharacters` characters, the cut marked with `…`.
  static func clipped(_ text: String) -> String {
    var count = 0
    for index in text.unicodeScalars.indices {
      if count == quotedCharacters {
        return String(text.unicodeScalars[..<index]) + "…"
      }
      count += 1
    }
    return text
  }
}
