import SliceStore
import Testing

@Suite struct SliceFileNameTests {
  /// (file name, what Python's `re.fullmatch` of the reference's pattern gives: name, version,
  /// extension — or nil for no match), recorded from Python 3.12.
  static let referenceMatches: [(String, (String, Int?, String)?)] = [
    ("a.json", ("a", nil, "json")),
    ("a.b.json", ("a.b", nil, "json")),
    ("a@v1.json", ("a", 1, "json")),
    ("a@v\u{0663}.yaml", ("a", 3, "yaml")),
    ("a@v00012.yml", ("a", 12, "yml")),
    ("a@v1x.json", nil),
    ("@v1.json", nil),
    ("a.JSON", nil),
    ("README", nil),
    ("a.txt", ("a", nil, "txt")),
    ("a@b.json", nil),
    ("a@v1.2.json", nil),
    ("a@v1@v2.json", nil),
    ("a.json~", nil),
    ("x.json.yaml", ("x.json", nil, "yaml")),
    ("a b.json", ("a b", nil, "json")),
    ("é.json", ("é", nil, "json")),
    ("a@v.json", nil),
    ("a@V1.json", nil),
    ("a.", nil),
    (".json", nil),
    ("a..json", ("a.", nil, "json")),
    ("a@v1..json", nil),
    ("ü@v2.json", ("ü", 2, "json")),
    ("a\nb.json", ("a\nb", nil, "json")),
    ("a.j5on", nil),
    ("😀@v10.yaml", ("😀", 10, "yaml")),
    ("cafe\u{301}.json", ("cafe\u{301}", nil, "json")),
    ("a@v\u{0661}\u{0662}.json", ("a", 12, "json")),
    ("a@v1\u{0662}.json", ("a", 12, "json")),
    ("a@v\u{00B2}.json", nil),
  ]

  @Test func parsesLikeTheReferenceRegex() {
    for (fileName, expected) in Self.referenceMatches {
      let parsed = SliceFileName.parse(fileName)
      #expect(parsed?.name == expected?.0, "\(fileName)")
      #expect(parsed?.version == expected?.1, "\(fileName)")
      #expect(parsed?.fileExtension == expected?.2, "\(fileName)")
    }
  }

  @Test func formatsFromExtensions() {
    #expect(SliceFileName.parse("a.json")?.format == .json)
    #expect(SliceFileName.parse("a.yaml")?.format == .yaml)
    #expect(SliceFileName.parse("a.yml")?.format == .yaml)
    #expect(SliceFileName.parse("a.txt")?.format == nil)
  }

  @Test func versionBeyondIntIsNotAVersion() {
    #expect(SliceFileName.parse("a@v99999999999999999999999.json") == nil)
  }

  @Test func hiddenAndGeneratedNames() {
    #expect(SliceFileName.isHidden(".migrations.json"))
    #expect(SliceFileName.isHidden(".a.json"))
    #expect(!SliceFileName.isHidden("a.json"))
    #expect(SliceFileName.activeFileName(name: "a.b", version: 12) == "a.b@v12.json")
    #expect(SliceFileName.sourceFileName(name: "a", format: .yaml) == "a.yaml")
    #expect(SliceFileName.parse(SliceFileName.activeFileName(name: "x", version: 7))?.version == 7)
  }

  @Test func sliceNameRulesOfCreateSlice() {
    #expect(SliceFileName.problem(withSliceName: "router-1") == nil)
    #expect(SliceFileName.problem(withSliceName: "a.b") == nil)
    #expect(SliceFileName.problem(withSliceName: "") != nil)
    #expect(SliceFileName.problem(withSliceName: ".a") != nil)
    #expect(SliceFileName.problem(withSliceName: "a/b") != nil)
    #expect(SliceFileName.problem(withSliceName: "a@v1") != nil)
  }
}
