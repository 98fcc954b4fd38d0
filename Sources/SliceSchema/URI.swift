/// A URI reference split into its RFC 3986 components, with reference resolution (§5.2).
///
/// Written by hand because schema identifiers include URNs and `tag:` URIs that Foundation's `URL`
/// does not resolve the way JSON Schema expects, and because the loader only needs string
/// arithmetic on identifiers, never a network request.
struct URIReference: Sendable, Hashable {
  var scheme: String?
  var authority: String?
  var path: String
  var query: String?
  var fragment: String?

  init(scheme: String?, authority: String?, path: String, query: String?, fragment: String?) {
    self.scheme = scheme
    self.authority = authority
    self.path = path
    self.query = query
    self.fragment = fragment
  }

  /// Splits with the regular expression of RFC 3986 appendix B, which accepts any string.
  init(parsing text: String) {
    var rest = Substring(text)
    if let hash = rest.firstIndex(of: "#") {
      fragment = String(rest[rest.index(after: hash)...])
      rest = rest[..<hash]
    }
    if let question = rest.firstIndex(of: "?") {
      query = String(rest[rest.index(after: question)...])
      rest = rest[..<question]
    }
    if let colon = rest.firstIndex(of: ":"), colon != rest.startIndex,
      !rest[..<colon].contains(where: { $0 == "/" || $0 == "?" || $0 == "#" })
    {
      scheme = String(rest[..<colon]).lowercased()
      rest = rest[rest.index(after: colon)...]
    }
    if rest.hasPrefix("//") {
      let afterSlashes = rest.index(rest.startIndex, offsetBy: 2)
      let end = rest[afterSlashes...].firstIndex(of: "/") ?? rest.endIndex
      authority = String(rest[afterSlashes..<end])
      rest = rest[end...]
    }
    path = String(rest)
  }

  var text: String {
    var result = ""
    if let scheme { result += scheme + ":" }
    if let authority { result += "//" + authority }
    result += path
    if let query { result += "?" + query }
    if let fragment { result += "#" + fragment }
    return result
  }

  /// The same reference without its fragment.
  var withoutFragment: URIReference {
    var copy = self
    copy.fragment = nil
    return copy
  }

  var isAbsolute: Bool { scheme != nil }

  /// RFC 3986 §5.2.2: the target of `reference` relative to this base.
  func resolving(_ reference: URIReference) -> URIReference {
    if reference.scheme != nil {
      return URIReference(
        scheme: reference.scheme, authority: reference.authority, path: Self.removeDotSegments(reference.path),
        query: reference.query, fragment: reference.fragment)
    }
    if reference.authority != nil {
      return URIReference(
        scheme: scheme, authority: reference.authority, path: Self.removeDotSegments(reference.path),
        query: reference.query, fragment: reference.fragment)
    }
    if reference.path.isEmpty {
      return URIReference(
        scheme: scheme, authority: authority, path: path, query: reference.query ?? query,
        fragment: reference.fragment)
    }
    let mergedPath: String
    if reference.path.hasPrefix("/") {
      mergedPath = reference.path
    } else if authority != nil && path.isEmpty {
      mergedPath = "/" + reference.path
    } else if let slash = path.lastIndex(of: "/") {
      mergedPath = String(path[...slash]) + reference.path
    } else {
      mergedPath = reference.path
    }
    return URIReference(
      scheme: scheme, authority: authority, path: Self.removeDotSegments(mergedPath), query: reference.query,
      fragment: reference.fragment)
  }

  static func removeDotSegments(_ path: String) -> String {
    guard path.contains(".") else { return path }
    var output: [Substring] = []
    let segments = path.split(separator: "/", omittingEmptySubsequences: false)
    for (index, segment) in segments.enumerated() {
      let isLast = index == segments.count - 1
      switch segment {
      case ".":
        if isLast { output.append("") }
      case "..":
        if output.count > 1 || (output.count == 1 && !output[0].isEmpty) { output.removeLast() }
        if isLast { output.append("") }
      default:
        output.append(segment)
      }
    }
    var result = output.joined(separator: "/")
    if path.hasPrefix("/") && !result.hasPrefix("/") { result = "/" + result }
    return result
  }
}

extension URIReference {
  /// Resolves a reference string against a base string.
  static func resolve(_ reference: String, against base: String) -> String {
    URIReference(parsing: base).resolving(URIReference(parsing: reference)).text
  }

  /// Splits `text` into the part before `#` and the decoded fragment (nil when absent).
  static func splitFragment(_ text: String) -> (String, String?) {
    guard let hash = text.firstIndex(of: "#") else { return (text, nil) }
    return (String(text[..<hash]), String(text[text.index(after: hash)...]))
  }
}

/// Percent-decoding of URI fragments (JSON pointers in `$ref` are percent-encoded).
func percentDecoded(_ text: String) -> String {
  guard text.contains("%") else { return text }
  var bytes: [UInt8] = []
  var utf8 = Array(text.utf8)[...]
  while let byte = utf8.popFirst() {
    if byte == UInt8(ascii: "%"), utf8.count >= 2,
      let high = hexDigit(utf8[utf8.startIndex]), let low = hexDigit(utf8[utf8.startIndex + 1])
    {
      bytes.append(high << 4 | low)
      utf8 = utf8.dropFirst(2)
    } else {
      bytes.append(byte)
    }
  }
  return String(decoding: bytes, as: UTF8.self)
}

private func hexDigit(_ byte: UInt8) -> UInt8? {
  switch byte {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
  default: return nil
  }
}

/// JSON Pointer (RFC 6901) tokens of a pointer string, or nil when it is not a pointer.
func jsonPointerTokens(_ pointer: String) -> [String]? {
  if pointer.isEmpty { return [] }
  guard pointer.hasPrefix("/") else { return nil }
  return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
    $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
  }
}

/// Escapes one JSON Pointer token.
func jsonPointerEscape(_ token: String) -> String {
  guard token.contains("~") || token.contains("/") else { return token }
  return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
}
