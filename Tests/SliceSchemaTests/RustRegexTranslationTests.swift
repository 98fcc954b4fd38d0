import Foundation
import SliceSyntax
import Testing

@testable import SliceSchema

/// pydantic-core runs `pattern` with the Rust `regex` crate; slicels translates each pattern into
/// ICU syntax with the same meaning. Each rule is checked on its spelling and on texts where the
/// two engines would disagree without it.
@Suite struct RustRegexTranslationTests {
  func translated(_ pattern: String) -> String {
    RustRegexTranslation.icuPattern(fromRust: pattern)
  }

  func rust(_ pattern: String, _ text: String) throws -> PatternOutcome {
    try SchemaPattern(pattern).match(text, as: .rustRegex)
  }

  func ecma(_ pattern: String, _ text: String) throws -> PatternOutcome {
    try SchemaPattern(pattern).match(text, as: .ecma262)
  }

  // MARK: Outside classes

  @Test func dotExcludesOnlyNewline() throws {
    #expect(translated("a.b") == "a[^\\n]b")
    for separator in ["\r", "\u{85}", "\u{2028}", "\u{2029}", "\u{B}"] {
      #expect(try rust("^a.b$", "a\(separator)b") == .matched, "separator \(separator.unicodeScalars.map(\.value))")
    }
    #expect(try rust("^a.b$", "a\nb") == .notMatched)
    #expect(try rust("^.$", "😀") == .matched)
  }

  @Test func dotUnderTheSFlagMatchesEverything() throws {
    #expect(translated("(?s)a.b") == "(?s)a[\\x{0}-\\x{10FFFF}]b")
    #expect(try rust("(?s)^a.b$", "a\nb") == .matched)
    #expect(try rust("^(?s:a.)b$", "a\nb") == .matched)
    // A scoped flag ends with its group; `(?-s)` switches it off again.
    #expect(try rust("^(?s:a)(.)b$", "a\nb") == .notMatched)
    #expect(try rust("(?s)^a(?-s).b$", "a\nb") == .notMatched)
    #expect(try rust("(?is)^A.B$", "a\nb") == .matched)
  }

  @Test func dollarIsTheEndOfTheText() throws {
    #expect(translated("^end$") == "\\Aend\\z")
    #expect(try rust("^end$", "end") == .matched)
    #expect(try rust("^end$", "end\n") == .notMatched)
    #expect(try ecma("^end$", "end\n") == .notMatched)
  }

  @Test func multiLineAnchorsKnowOnlyNewline() throws {
    #expect(translated("(?m)^a$") == "(?m)(?<![^\\n])a(?![^\\n])")
    #expect(try rust("(?m)^b$", "a\nb\nc") == .matched)
    #expect(try rust("(?m)a$", "a\r\nb") == .notMatched)
    #expect(try rust("(?m)^b", "a\rb") == .notMatched)
    #expect(try rust("(?m)^b", "a\u{2028}b") == .notMatched)
    #expect(try rust("(?m)^$", "a\n") == .matched)
  }

  @Test func whitespaceIsUnicodeWhiteSpace() throws {
    #expect(translated("\\s\\S") == "\\p{White_Space}\\P{White_Space}")
    #expect(translated("[\\s,]") == "[\\p{White_Space},]")
    for space in ["\u{B}", "\u{85}", "\u{A0}", "\u{2028}", "\u{3000}", " ", "\t"] {
      #expect(try rust("^\\s$", space) == .matched, "space \(space.unicodeScalars.map(\.value))")
      #expect(try rust("^[\\s]$", space) == .matched)
      #expect(try rust("^\\S$", space) == .notMatched)
      #expect(try rust("^[^\\s]$", space) == .notMatched)
    }
    #expect(try rust("^\\s$", "\u{200B}") == .notMatched)
  }

  @Test func digitsAndWordCharactersAreUnicode() throws {
    #expect(translated("\\d\\w\\D\\W") == "\\d\\w\\D\\W")
    #expect(try rust("^\\d+$", "\u{661}\u{662}\u{663}") == .matched)
    #expect(try rust("^\\w+$", "h\u{E9}llo_\u{FC}n\u{EF}") == .matched)
    #expect(try rust("^\\w+$", "x\u{301}\u{200D}") == .matched)
    #expect(try rust("^\\w+$", "a-b") == .notMatched)
    // JSON Schema's ECMA-262 reading stays ASCII.
    #expect(try ecma("^\\d+$", "\u{661}") == .notMatched)
    #expect(try ecma("^\\w+$", "\u{E9}") == .notMatched)
  }

  @Test func wordBoundariesCompareWordCharacters() throws {
    // ICU's own `\b` skips combining marks: a space then U+0301 is no boundary for it.
    #expect(try rust(" \\b", " \u{301}") == .matched)
    #expect(try rust("\\bx\\b", "a x\u{E9}") == .notMatched)
    #expect(try rust("\\bx\\b", "\u{E9} x.") == .matched)
    #expect(try rust("a\\Bb", "ab") == .matched)
    #expect(try rust("a\\B ", "a ") == .notMatched)
    #expect(try rust("\\b{start}x", "a x") == .matched)
    #expect(try rust("x\\b{end}", "xa") == .notMatched)
    #expect(try rust("\\<x\\>", "(x)") == .matched)
  }

  @Test func rustOnlyEscapesAreRespelled() throws {
    #expect(translated("\\v") == "\\x{B}")
    #expect(try rust("^\\v$", "\u{B}") == .matched)
    #expect(try rust("^\\v$", "\n") == .notMatched)
    #expect(translated("\\u{E9}\\U{1F600}") == "\\x{E9}\\x{1F600}")
    #expect(try rust("^\\u{E9}$", "\u{E9}") == .matched)
    #expect(translated("\\pL\\PN") == "\\p{L}\\P{N}")
    #expect(try rust("^\\pL$", "\u{3B1}") == .matched)
  }

  @Test func literalEscapesAreKept() throws {
    #expect(translated("\\.\\$\\^\\(\\[\\\\") == "\\.\\$\\^\\(\\[\\\\")
    #expect(try rust("^a\\.b\\$$", "a.b$") == .matched)
    #expect(try rust("^a\\.b$", "axb") == .notMatched)
    #expect(translated("\\x41\\x{42}\\t\\n") == "\\x41\\x{42}\\t\\n")
  }

  @Test func inlineFlags() throws {
    #expect(translated("(?i)abc") == "(?i)abc")
    #expect(try rust("(?i)^abc$", "ABC") == .matched)
    // `u` is Rust's default and means nothing to ICU.
    #expect(translated("(?u)a(?u:b)") == "a(?:b)")
    #expect(translated("(?i-m)a") == "(?i-m)a")
    #expect(try rust("(?x) ^ a  b # a comment [ with . and $\n c $", "abc") == .matched)
    #expect(try rust("(?x)^[a b]$", " ") == .notMatched)
    #expect(try rust("(?x)^a\\ b$", "a b") == .matched)
  }

  @Test func swapGreedChangesNothingAMatchDecides() throws {
    #expect(translated("(?U)a+(?iU:b)") == "a+(?i:b)")
    #expect(try rust("(?U)^a+b$", "aab") == .matched)
    #expect(try rust("(?U)^a+?b$", "c") == .notMatched)
  }

  @Test func crlfModeEndsLinesAtCarriageReturnsToo() throws {
    #expect(try rust("(?R)^a.b$", "a\rb") == .notMatched)
    #expect(try rust("(?R)^a.b$", "a\u{2028}b") == .matched)
    #expect(try rust("(?Rm)^a$", "x\r\na\r\ny") == .matched)
    #expect(try rust("(?Rm)^a$", "x\ra\ry") == .matched)
    #expect(try rust("(?Rm)^$", "\r\n") == .matched)
    // Not between the `\r` and the `\n` of one line end.
    #expect(try rust("(?Rm)\r$", "x\r\n") == .notMatched)
    #expect(try rust("(?Rm)^\n", "x\r\n") == .notMatched)
    #expect(try rust("(?m)^\n", "x\r\n") == .notMatched)
    #expect(try rust("(?m)\r$", "x\r\n") == .matched)
  }

  @Test func withoutTheUFlagClassesAreASCII() throws {
    #expect(translated("(?-u:\\d)\\d") == "(?:[0-9])\\d")
    #expect(try rust("(?-u)^\\d$", "\u{661}") == .notMatched)
    #expect(try rust("(?-u)^\\w+$", "\u{E9}") == .notMatched)
    #expect(try rust("(?-u)^\\W$", "\u{E9}") == .matched)
    #expect(try rust("(?-u)^\\s$", "\u{A0}") == .notMatched)
    #expect(try rust("(?-u)^[\\s]$", "\u{B}") == .matched)
    #expect(try rust("(?-u)^\\S$", "\u{A0}") == .matched)
    // `é` is no ASCII word character: a boundary between it and `x`.
    #expect(try rust("(?-u)\\bx", "\u{E9}x") == .matched)
    #expect(try rust("\\bx", "\u{E9}x") == .notMatched)
  }

  @Test func namedGroupsBecomePlainGroups() throws {
    #expect(translated("(?P<first_name>a)(?<n>b)") == "(a)(b)")
    #expect(try rust("^(?P<first_name>a)+$", "aa") == .matched)
  }

  // MARK: Classes

  @Test func classLiteralsKeepTheirMeaning() throws {
    #expect(translated("[.$]") == "[.$]")
    #expect(try rust("^[.$]+$", ".$") == .matched)
    #expect(try rust("^[.$]$", "x") == .notMatched)
    #expect(try rust("^[]a]$", "]") == .matched)
    #expect(try rust("^[^]a]$", "]") == .notMatched)
    #expect(try rust("^[a-]$", "-") == .matched)
    #expect(try rust("^[-a]$", "-") == .matched)
    #expect(try rust("^[a^&~]+$", "^&~") == .matched)
    // A range's end starts no range: `[a-c-e]` is a, b, c, `-` and e.
    #expect(try rust("^[a-c-e]+$", "a-e") == .matched)
    #expect(try rust("^[a-c-e]$", "d") == .notMatched)
  }

  @Test func nestedClassesAndSetOperations() throws {
    #expect(try rust("^[a[0-9]]+$", "a1") == .matched)
    #expect(try rust("^[a-z&&[^x]]$", "x") == .notMatched)
    #expect(try rust("^[a-z&&[^x]]$", "y") == .matched)
    // Union binds tighter than `&&`: the digits are intersected too.
    #expect(try rust("^[a-z0-9&&[^5]]$", "5") == .notMatched)
    #expect(try rust("^[a-z0-9&&[^5]]$", "7") == .matched)
    #expect(try rust("^[a-c--b]$", "b") == .notMatched)
    #expect(try rust("^[a-c--b]$", "a") == .matched)
    // Symmetric difference, which ICU lacks.
    #expect(try rust("^[a-c~~b-d]$", "a") == .matched)
    #expect(try rust("^[a-c~~b-d]$", "b") == .notMatched)
    #expect(try rust("^[a-c~~b-d]$", "d") == .matched)
    // Negation applies to the whole operation.
    #expect(try rust("^[^a-c&&b]$", "a") == .matched)
    #expect(try rust("^[^a-c&&b]$", "b") == .notMatched)
  }

  @Test func asciiClassesAreASCII() throws {
    #expect(translated("[[:alpha:]]") == "[[A-Za-z]]")
    #expect(try rust("^[[:alpha:]]$", "\u{E9}") == .notMatched)
    #expect(try rust("^[[:alpha:]]$", "e") == .matched)
    #expect(try rust("^[[:^digit:]]$", "5") == .notMatched)
    #expect(try rust("^[[:punct:]]+$", "!/:@[`{~") == .matched)
    #expect(try rust("^[[:space:]]$", "\u{B}") == .matched)
    // An unknown name is a nested class of its characters, as in Rust.
    #expect(try rust("^[[:foo:]]+$", ":of") == .matched)
  }

  // MARK: What Rust refuses

  @Test func constructsOutsideRustsSyntaxAreKeptAsWritten() throws {
    // pydantic refuses look-around and backreferences when it builds the schema; slicels keeps
    // running them in ICU as before.
    #expect(translated("(?=a)(?<!b)(a)\\1") == "(?=a)(?<!b)(a)\\1")
    #expect(try rust("(?=a)", "a") == .matched)
    #expect(throws: (any Error).self) { try SchemaPattern("[a") }
    #expect(throws: (any Error).self) { try SchemaPattern("a\\") }
  }

  @Test func aPatternOnlyOneDialectReadsLoadsAndIsUnreadableInTheOther() throws {
    // `\u{E9}` is Rust only; a named backreference is ECMA-262 only (Rust has no backreferences,
    // and its named groups become plain groups).
    #expect(try rust("^\\u{E9}$", "\u{E9}") == .matched)
    #expect(try ecma("^\\u{E9}$", "\u{E9}") == .unreadable)
    #expect(try ecma("^(?<n>a)\\k<n>$", "aa") == .matched)
    #expect(try rust("^(?<n>a)\\k<n>$", "aa") == .unreadable)

    let schemas = SchemaLoader().load(
      text: ##"{"type": "object", "properties": {"rust": {"type": "string", "pattern": "^\\u{E9}$"}, "ecma": {"type": "string", "pattern": "^(?<n>a)\\k<n>$"}}}"##)
    #expect(schemas.errors.isEmpty)
    let text = ##"{"rust": "\u00e9", "ecma": "aa"}"##
    let instance = try readJSON(text)
    let slice = SliceValidator(schemas: schemas).validate(instance)
    let sliceFinding = try #require(slice.findings.first)
    #expect(slice.findings.count == 1)
    #expect(sliceFinding.code == FindingCode.schemaInvalidRegex.rawValue)
    #expect(sliceFinding.range == instance.lookup("ecma")?.range)
    #expect(sliceFinding.message.contains("pydantic-core"))
    let violations = SchemaValidator(schemas: schemas).validate(instance)
    #expect(violations.map(\.code) == [FindingCode.schemaInvalidRegex.rawValue])
    #expect(violations.first?.instanceRange == instance.lookup("rust")?.range)
  }

  @Test func aPatternNeitherDialectReadsIsASchemaError() throws {
    let schemas = SchemaLoader().load(
      text: ##"{"type": "object", "properties": {"value": {"type": "string", "pattern": "(?<=a+)[a"}}}"##)
    #expect(schemas.errors.map(\.code) == [FindingCode.schemaInvalidRegex.rawValue])
  }

  // MARK: Which validation reads which dialect

  @Test func sliceValidationReadsRustAndJSONSchemaValidationECMA() throws {
    let schemas = SchemaLoader().load(
      text: ##"{"type": "object", "properties": {"value": {"type": "string", "pattern": "^\\w+.$"}}}"##)
    #expect(schemas.errors.isEmpty)
    let instance = try readJSON(##"{"value": "\u00e9t\u00e9\r"}"##)
    #expect(SliceValidator(schemas: schemas).validate(instance).isValid)
    #expect(SchemaValidator(schemas: schemas).validate(instance).map(\.code) == ["schema-pattern"])
  }
}
