import SliceSyntax
import Testing

/// Issue 13, class 4: the reference (Python) compares strings by code points, so NFC and NFD
/// spellings of one text are two names, two keys, two identities.
@Suite struct CanonicalEquivalenceTests {
  static let nfc = "caf\u{E9}"
  static let nfd = "cafe\u{301}"

  @Test func swiftStringsMergeTheSpellingsButExactStringsDoNot() {
    #expect(Self.nfc == Self.nfd, "the premise: Swift's String equality is canonical equivalence")
    #expect(!Self.nfc.isScalarExact(to: Self.nfd))
    #expect(ExactString(Self.nfc) != ExactString(Self.nfd))
    #expect(Set([ExactString(Self.nfc), ExactString(Self.nfd)]).count == 2)
    #expect(ExactString(Self.nfc) == ExactString("caf\u{E9}"))
    // Python's sorted(): by code point, so "cafe\u0301" (e, 0x65) before "caf\u00e9" (0xE9).
    #expect(ExactString(Self.nfd) < ExactString(Self.nfc))
  }

  @Test func scalarsValuesAndKeysCompareByCodePoints() {
    #expect(Scalar.string(Self.nfc) != Scalar.string(Self.nfd))
    #expect(Set([Scalar.string(Self.nfc), Scalar.string(Self.nfd)]).count == 2)
    #expect(Value.string(Self.nfc) != Value.string(Self.nfd))
    #expect(Value.Key.string(Self.nfc) != Value.Key.string(Self.nfd))
    #expect(Set([Value.Key.string(Self.nfc), Value.Key.string(Self.nfd)]).count == 2)
    let object = Value.object([Value.Member(Self.nfc, .integer(1)), Value.Member(Self.nfd, .integer(2))])
    #expect(object[Self.nfc] == .integer(1))
    #expect(object[Self.nfd] == .integer(2))
    #expect(object != Value.object([Value.Member(Self.nfd, .integer(1)), Value.Member(Self.nfc, .integer(2))]))
    #expect(Value.Key.string(Self.nfc).isString(Self.nfc) && !Value.Key.string(Self.nfc).isString(Self.nfd))
  }

  @Test func nameMapsAndSetsKeepBothSpellings() {
    var map: NameMap<Int> = [:]
    map[Self.nfc] = 1
    map[Self.nfd] = 2
    #expect(map.count == 2)
    #expect(map[Self.nfc] == 1 && map[Self.nfd] == 2)
    map[Self.nfd, default: 0] += 1
    #expect(map[Self.nfd] == 3)
    #expect(map.filter { $0.key.isScalarExact(to: Self.nfc) }.keys == [Self.nfc])
    var names: NameSet = []
    let insertedNFC = names.insert(Self.nfc)
    let insertedNFD = names.insert(Self.nfd)
    let insertedAgain = names.insert(Self.nfd)
    #expect(insertedNFC && insertedNFD && !insertedAgain)
    #expect(names.contains(Self.nfd))
  }

  @Test func yamlAndJSONKeysThatDifferByNormalisationAreNotDuplicates() throws {
    let yaml = YAMLReader().read("\(Self.nfc): c\n\(Self.nfd): d\n")
    #expect(yaml.loads)
    #expect(yaml.findings.isEmpty)
    let yamlRoot = try #require(yaml.root)
    #expect(yamlRoot.lookup(Self.nfc)?.scalar == .string("c"))
    #expect(yamlRoot.lookup(Self.nfd)?.scalar == .string("d"))

    let json = JSONReader().read(#"{"\#(Self.nfc)": 1, "\#(Self.nfd)": 2}"#)
    #expect(json.findings.isEmpty)
    #expect(json.root?.value == .object([Value.Member(Self.nfc, .integer(1)), Value.Member(Self.nfd, .integer(2))]))
  }
}
