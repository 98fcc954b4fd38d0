import SliceSyntax
import Testing

/// The byte-block comparisons behind `isScalarExact` and `precedesByScalars` agree with the
/// scalar-by-scalar definitions (Python's `==` and `<` on `str`) on every kind of text.
@Suite struct ExactStringOrderTests {
  static let samples: [String] = [
    "", "a", "b", "ab", "abc", "abd", "A", "Z", "a\0", "\0",
    "caf\u{E9}", "cafe\u{301}", "\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{FFFF}", "\u{E000}",
    "😀", "😀a", "a😀", "\u{10FFFF}", "\u{FFFD}", "\t", "\r\n",
    // Canonically equivalent (Swift's `==` holds) with the same UTF-8 length, other scalars.
    "e\u{301}\u{327}", "e\u{327}\u{301}", "\u{1E0B}\u{323}", "\u{1E0D}\u{307}",
    // Equivalent to ASCII text, longer in UTF-8 (KELVIN SIGN, GREEK QUESTION MARK).
    "\u{212A}", "K", "a\u{37E}", "a;",
    // Longer than a small string (15 UTF-8 bytes): heap storage on both sides.
    "a-slice-name-longer-than-fifteen-bytes", "a-slice-name-longer-than-fifteen-bytez",
    "a-slice-name-longer-than-fifteen-bytes-and-more", "ünïcödé-nämes-längër-thän-fïftëën",
  ]

  @Test func equalityIsScalarEquality() {
    for left in Self.samples {
      for right in Self.samples {
        let expected = Array(left.unicodeScalars) == Array(right.unicodeScalars)
        #expect(left.isScalarExact(to: right) == expected, "\(left.debugDescription) == \(right.debugDescription)")
      }
    }
  }

  @Test func orderIsCodePointOrder() {
    for left in Self.samples {
      for right in Self.samples {
        let expected = left.unicodeScalars.lexicographicallyPrecedes(right.unicodeScalars)
        #expect(left.precedesByScalars(right) == expected, "\(left.debugDescription) < \(right.debugDescription)")
        #expect((ExactString(left) < ExactString(right)) == expected)
      }
    }
  }

  @Test func substringsBackedByALargerStringCompareByTheirOwnBytes() {
    let whole = "prefix-caf\u{E9}-suffix"
    let middle = String(whole.dropFirst(7).dropLast(7))
    #expect(middle.isScalarExact(to: "caf\u{E9}"))
    #expect(!middle.isScalarExact(to: "cafe\u{301}"))
    #expect("cafe\u{301}".precedesByScalars(middle))
  }
}
