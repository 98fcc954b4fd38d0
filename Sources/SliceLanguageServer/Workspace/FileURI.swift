import Foundation
import LanguageServerProtocol

/// Conversion between LSP document URIs and file paths.
///
/// Only `file:` URIs name files: their path is percent-decoded as UTF-8 (`%20` is a space,
/// `%C3%A9` is `é`). Any other scheme (`untitled:`, `git:`, …) names a buffer that lives in the
/// editor only; slicels keeps such documents in memory and never touches the disk for them.
public enum FileURI {
  /// The file a `file:` URI names, or nil for other schemes, remote hosts and malformed URIs.
  /// `file:///p`, `file://localhost/p` and `file:/p` are all `/p`; query and fragment are dropped.
  public static func fileURL(from uri: DocumentURI) -> URL? {
    guard let path = filePath(from: uri) else { return nil }
    return URL(fileURLWithPath: path).standardizedFileURL
  }

  /// The decoded absolute path of a `file:` URI (see `fileURL(from:)`).
  public static func filePath(from uri: DocumentURI) -> String? {
    guard let colon = uri.firstIndex(of: ":"), uri[..<colon].lowercased() == "file" else { return nil }
    var rest = uri[uri.index(after: colon)...]
    if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
    if rest.hasPrefix("//") {
      rest = rest.dropFirst(2)
      let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
      let authority = rest[..<authorityEnd]
      // A host other than this machine (a UNC share) is not a local file.
      guard authority.isEmpty || authority.lowercased() == "localhost" else { return nil }
      rest = rest[authorityEnd...]
    }
    guard rest.hasPrefix("/"), let decoded = percentDecoded(rest) else { return nil }
    // A NUL cannot be part of a path; such a URI names no file.
    guard !decoded.contains("\u{0}") else { return nil }
    return decoded
  }

  /// The `file:` URI of a path, encoded as VS Code writes it: letters, digits, `-._~` and `/`
  /// stay, every other byte of the UTF-8 path is `%XX`.
  public static func uri(forFileAt url: URL) -> DocumentURI {
    uri(forPath: url.standardizedFileURL.path)
  }

  public static func uri(forPath path: String) -> DocumentURI {
    "file://" + percentEncoded(path.hasPrefix("/") ? path : "/" + path, keepingSlashes: true)
  }

  /// The URI of `url` relative to a workspace folder written by the client, so that a closed file
  /// gets the same spelling of the folder part as the client uses (some clients encode `:` or
  /// `@`, some do not). Nil when `url` is not inside the folder.
  public static func uri(forFileAt url: URL, inside folderURI: DocumentURI) -> DocumentURI? {
    guard let folderPath = filePath(from: folderURI) else { return nil }
    let folder = folderPath.hasSuffix("/") ? String(folderPath.dropLast()) : folderPath
    let path = url.standardizedFileURL.path
    guard path.hasPrefix(folder + "/") else { return nil }
    let relative = path.dropFirst(folder.count + 1)
    var base = folderURI
    if let end = base.firstIndex(where: { $0 == "?" || $0 == "#" }) { base = String(base[..<end]) }
    if base.hasSuffix("/") { base.removeLast() }
    return base + "/" + percentEncoded(String(relative), keepingSlashes: true)
  }

  static func percentDecoded(_ text: Substring) -> String? {
    guard text.contains("%") else { return String(text) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
      guard byte == UInt8(ascii: "%") else {
        bytes.append(byte)
        continue
      }
      guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
        return nil
      }
      bytes.append(high << 4 | low)
    }
    // Bytes that are not UTF-8 cannot name a path the editor showed us.
    return String(bytes: bytes, encoding: .utf8)
  }

  static func percentEncoded(_ text: String, keepingSlashes: Bool) -> String {
    let hexDigits = Array("0123456789ABCDEF".utf8)
    var encoded: [UInt8] = []
    encoded.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
      let unreserved =
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
        || byte == UInt8(ascii: "~") || (keepingSlashes && byte == UInt8(ascii: "/"))
      if unreserved {
        encoded.append(byte)
      } else {
        encoded += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
      }
    }
    return String(decoding: encoded, as: UTF8.self)
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x41...0x46: return byte - 0x41 + 10
    case 0x61...0x66: return byte - 0x61 + 10
    default: return nil
    }
  }
}
