import SliceSyntax

/// The cursor's line in a YAML text, classified: the token a candidate replaces, and the ways
/// to write the placeholder in its place that the finder tries in turn.
struct YAMLCursorLine {
  /// One way to write the placeholder: `prefix` before it, `suffix` after it.
  struct Attempt {
    var suffix: String
    var prefix: String
    /// The placeholder only fits as a new list item (`- ` is not typed yet).
    var needsDash: Bool
  }

  var line: Int
  /// After the line's indentation.
  var indentEnd: Int
  /// After the line's indentation and sequence indicators (`- `).
  var contentStart: Int
  /// Before a comment and trailing blanks.
  var contentEnd: Int
  /// How many `- ` start the line.
  var dashes: Int
  /// `-` just typed at the end of the line, its space not yet: a new item, the dash replaced by
  /// `- ` and what follows.
  var isBareDash: Bool
  var token: ByteRange
  var quote: CursorContext.Quote?
  var needsLeadingSpace = false
  var isFlow = false
  var keyHasSeparator = false
  var attempts: [Attempt] = []
  /// The column the enclosing item's `- ` must be left of (for the window).
  var column: Int
  /// Where the text after the cursor's line starts (dropped when the whole text does not load).
  var truncateAt: Int
}

/// Reads the cursor's line of a YAML text on its own, the tree being unreliable while the user
/// types: indentation, `- ` indicators, a comment, `key: value`, flow collections and quotes.
enum YAMLCursorScanner {
  private static func isSpace(_ byte: UInt8) -> Bool { CursorContextFinder.isSpace(byte) }

  /// The cursor's line classified, or nil when the cursor takes nothing there (in a comment, or
  /// in the indentation of a line that has content).
  static func scan(_ document: TextDocument, offset: Int) -> YAMLCursorLine? {
    let bytes = document.bytes
    let line = document.line(containing: offset)
    let lineRange = document.lineContentRange(line)
    let lineEnd = lineRange.upperBound
    var indentEnd = lineRange.lowerBound
    while indentEnd < lineEnd, isSpace(bytes[indentEnd]) { indentEnd += 1 }
    // Sequence indicators: `- `, possibly several (`- - a`).
    var contentStart = indentEnd
    var dashes = 0
    while contentStart < lineEnd, bytes[contentStart] == UInt8(ascii: "-"),
      contentStart + 1 == lineEnd || isSpace(bytes[contentStart + 1])
    {
      dashes += 1
      contentStart += 1
      while contentStart < lineEnd, isSpace(bytes[contentStart]) { contentStart += 1 }
    }
    let isBareDash = dashes > 0 && contentStart == lineEnd && offset == lineEnd && bytes[offset - 1] == UInt8(ascii: "-")
    // A comment ends the content; the cursor in it gets nothing.
    let commentStart = Self.commentStart(bytes, from: contentStart, to: lineEnd)
    if let commentStart, offset > commentStart { return nil }
    var contentEnd = commentStart ?? lineEnd
    while contentEnd > contentStart, isSpace(bytes[contentEnd - 1]) { contentEnd -= 1 }
    if offset < contentStart {
      // In the indentation (or before a dash): only a blank line takes a key there.
      guard contentStart == contentEnd, dashes == 0 else { return nil }
    }
    var scanned = YAMLCursorLine(
      line: line, indentEnd: indentEnd, contentStart: contentStart, contentEnd: contentEnd, dashes: dashes,
      isBareDash: isBareDash, token: offset..<offset,
      column: contentStart == contentEnd && dashes == 0 ? offset - lineRange.lowerBound : indentEnd - lineRange.lowerBound,
      // With the text after the cursor's line dropped, an error further down cannot hide the cursor.
      truncateAt: document.lineRange(line).upperBound)
    classifyToken(bytes, offset: offset, into: &scanned)
    if isBareDash {
      scanned.token = (offset - 1)..<offset
      scanned.attempts = [
        YAMLCursorLine.Attempt(suffix: ":", prefix: "- ", needsDash: true),
        YAMLCursorLine.Attempt(suffix: "", prefix: "- ", needsDash: true),
      ]
    }
    return scanned
  }

  /// The token under the cursor and how the placeholder replaces it: flow collection, value
  /// or key of `key: value`, or a bare word.
  private static func classifyToken(_ bytes: [UInt8], offset: Int, into scanned: inout YAMLCursorLine) {
    let contentStart = scanned.contentStart
    let contentEnd = scanned.contentEnd
    var appendColon = false
    var alternatives: [YAMLCursorLine.Attempt] = []
    if offset >= contentStart, contentStart < contentEnd, bytes[contentStart] == UInt8(ascii: "[") || bytes[contentStart] == UInt8(ascii: "{") {
      scanned.isFlow = true
      (scanned.token, scanned.quote) = flowToken(bytes, flowStart: contentStart, end: contentEnd, offset: offset)
      scanned.needsLeadingSpace = scanned.token.isEmpty && offset > 0 && bytes[offset - 1] == UInt8(ascii: ":")
    } else if let separator = Self.separator(bytes, from: contentStart, to: contentEnd), offset > separator {
      // In the value of `key: value`.
      var valueStart = separator + 1
      while valueStart < contentEnd, isSpace(bytes[valueStart]) { valueStart += 1 }
      if valueStart >= contentEnd {
        scanned.token = offset..<offset
        scanned.needsLeadingSpace = offset > 0 && bytes[offset - 1] == UInt8(ascii: ":")
      } else if offset < valueStart {
        // Between the colon and the value: the value is replaced from the cursor on.
        scanned.token = offset..<contentEnd
        scanned.needsLeadingSpace = bytes[offset - 1] == UInt8(ascii: ":")
      } else if bytes[valueStart] == UInt8(ascii: "[") || bytes[valueStart] == UInt8(ascii: "{") {
        scanned.isFlow = true
        (scanned.token, scanned.quote) = flowToken(bytes, flowStart: valueStart, end: contentEnd, offset: offset)
        // `{a: 1, b:|}`: `b:` and the value read as one plain scalar without the space.
        scanned.needsLeadingSpace = scanned.token.isEmpty && bytes[offset - 1] == UInt8(ascii: ":")
      } else if bytes[valueStart] == UInt8(ascii: "\"") || bytes[valueStart] == UInt8(ascii: "'") {
        let end = quotedEnd(bytes, start: valueStart, limit: contentEnd)
        scanned.token = valueStart..<end
        scanned.quote = bytes[valueStart] == UInt8(ascii: "'") ? .single : .double
      } else {
        scanned.token = valueStart..<contentEnd
      }
    } else if let separator = Self.separator(bytes, from: contentStart, to: contentEnd) {
      // On the key of `key: value`.
      var keyEnd = separator
      while keyEnd > contentStart, isSpace(bytes[keyEnd - 1]) { keyEnd -= 1 }
      scanned.token = contentStart..<max(keyEnd, offset)
      scanned.keyHasSeparator = true
      if contentStart < keyEnd, bytes[contentStart] == UInt8(ascii: "\"") || bytes[contentStart] == UInt8(ascii: "'") {
        scanned.quote = bytes[contentStart] == UInt8(ascii: "'") ? .single : .double
      }
    } else {
      // A bare word: a key being typed, or (after `- `) a scalar item.
      scanned.token = contentStart < contentEnd ? contentStart..<max(contentEnd, offset) : offset..<offset
      if contentStart < contentEnd, bytes[contentStart] == UInt8(ascii: "\"") || bytes[contentStart] == UInt8(ascii: "'") {
        scanned.quote = bytes[contentStart] == UInt8(ascii: "'") ? .single : .double
      }
      appendColon = true
      if scanned.dashes > 0 {
        alternatives.append(YAMLCursorLine.Attempt(suffix: "", prefix: "", needsDash: false))
      } else if contentStart == contentEnd {
        // A blank line under a block sequence's items takes a new item only.
        alternatives.append(YAMLCursorLine.Attempt(suffix: "", prefix: "- ", needsDash: true))
      }
    }
    scanned.attempts =
      [YAMLCursorLine.Attempt(suffix: appendColon ? ":" : "", prefix: scanned.needsLeadingSpace ? " " : "", needsDash: false)]
      + alternatives
  }

  /// Whether a `:` follows `offset` after blanks.
  static func followedByColon(_ bytes: [UInt8], _ offset: Int) -> Bool {
    var index = offset
    while index < bytes.count, isSpace(bytes[index]) { index += 1 }
    return index < bytes.count && bytes[index] == UInt8(ascii: ":")
  }

  /// Where a comment starts on a YAML line (`#` at the content start or after a blank, outside quotes).
  private static func commentStart(_ bytes: [UInt8], from start: Int, to end: Int) -> Int? {
    var index = start
    var quote: UInt8?
    while index < end {
      let byte = bytes[index]
      if let open = quote {
        if byte == open {
          if open == UInt8(ascii: "'"), index + 1 < end, bytes[index + 1] == open {
            index += 2
            continue
          }
          quote = nil
        } else if open == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
          index += 1
        }
      } else if byte == UInt8(ascii: "#"), index == start || isSpace(bytes[index - 1]) {
        return index
      } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'"), index == start || isSpace(bytes[index - 1]) || bytes[index - 1] == UInt8(ascii: ":") {
        quote = byte
      }
      index += 1
    }
    return nil
  }

  /// The `:` that separates a block mapping key from its value (followed by a blank or the end).
  private static func separator(_ bytes: [UInt8], from start: Int, to end: Int) -> Int? {
    var index = start
    if index < end, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
      index = quotedEnd(bytes, start: index, limit: end)
    }
    while index < end {
      if bytes[index] == UInt8(ascii: ":"), index + 1 >= end || isSpace(bytes[index + 1]) { return index }
      index += 1
    }
    return nil
  }

  /// The end of a quoted scalar starting at `start` (after its closing quote), or `limit` when it is not closed.
  private static func quotedEnd(_ bytes: [UInt8], start: Int, limit: Int) -> Int {
    let quote = bytes[start]
    var index = start + 1
    while index < limit {
      if bytes[index] == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
        index += 2
        continue
      }
      if bytes[index] == quote {
        if quote == UInt8(ascii: "'"), index + 1 < limit, bytes[index + 1] == quote {
          index += 2
          continue
        }
        return index + 1
      }
      index += 1
    }
    return limit
  }

  /// The token at the cursor inside a flow collection on one line.
  private static func flowToken(_ bytes: [UInt8], flowStart: Int, end: Int, offset: Int) -> (ByteRange, CursorContext.Quote?) {
    // Quoted scalars first: is the cursor inside one?
    var index = flowStart
    while index < end {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
        let close = quotedEnd(bytes, start: index, limit: end)
        if index < offset, offset <= close { return (index..<close, byte == UInt8(ascii: "'") ? .single : .double) }
        index = close
        continue
      }
      if index >= offset { break }
      index += 1
    }
    func isBoundary(_ byte: UInt8) -> Bool {
      isSpace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
        || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
    }
    var start = offset
    while start > flowStart, !isBoundary(bytes[start - 1]) { start -= 1 }
    var stop = offset
    while stop < end, !isBoundary(bytes[stop]) {
      if bytes[stop] == UInt8(ascii: ":"), stop + 1 >= end || isBoundary(bytes[stop + 1]) { break }
      stop += 1
    }
    // `key:|` — the cursor after a key's colon: the value is empty.
    if start < offset, bytes[offset - 1] == UInt8(ascii: ":"), stop == offset { return (offset..<offset, nil) }
    return (start..<stop, nil)
  }
}
