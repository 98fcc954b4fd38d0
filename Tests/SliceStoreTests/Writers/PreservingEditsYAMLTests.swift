import SliceStore
import SliceSyntax
import Testing

/// Hand-written YAML cases: each states the exact text the preserving writer must produce.
@Suite struct PreservingEditsYAMLTests {
  private let value = PreservingCheck.value

  private func edited(
    _ source: String, _ normalized: String, method: PreservingEdits.Method = .preserving,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String {
    let result = try PreservingCheck.run(source, .yaml, value(normalized), sourceLocation: sourceLocation)
    #expect(result.method == method, sourceLocation: sourceLocation)
    return result.text
  }

  // MARK: Insertion

  @Test func defaultsAreInsertedWhereTheNormalisedOrderPutsThem() throws {
    let source = """
      # A router slice
      name: edge-1  # the host name
      # where it lives
      site: ams
      """ + "\n"
    // version before the first present key, port between name and site, enabled at the end.
    let normalized = #"{"version": 1, "name": "edge-1", "port": 8080, "site": "ams", "enabled": true}"#
    #expect(
      try edited(source, normalized) == """
        # A router slice
        version: 1
        name: edge-1  # the host name
        port: 8080
        # where it lives
        site: ams
        enabled: true

        """)
  }

  @Test func insertedNestedValuesUseBlockStyleAtTheRightIndentation() throws {
    let source = "name: a\nsettings:\n  mode: fast\n"
    let normalized = #"""
      {"name": "a", "settings": {"mode": "fast", "limits": {"cpu": 2, "tags": ["x", "y"]}, "extra": []},
       "items": [{"id": 1, "ports": [80, 443]}, {"id": 2, "ports": []}], "note": "line one\nline two"}
      """#
    #expect(
      try edited(source, normalized) == """
        name: a
        settings:
          mode: fast
          limits:
            cpu: 2
            tags:
            - x
            - y
          extra: []
        items:
        - id: 1
          ports:
          - 80
          - 443
        - id: 2
          ports: []
        note: 'line one

          line two'

        """)
  }

  @Test func theFileIndentationHabitsAreFollowed() throws {
    // Four-space mappings, sequences indented under their key.
    let source = """
      name: a
      interfaces:
          - name: eth0
            mtu: 1500
      """ + "\n"
    let normalized = #"""
      {"name": "a", "interfaces": [{"name": "eth0", "mtu": 1500, "vlans": [{"id": 10}]},
       {"name": "eth1", "mtu": 9000, "vlans": []}], "routing": {"static": [{"to": "0.0.0.0/0"}]}}
      """#
    #expect(
      try edited(source, normalized) == """
        name: a
        interfaces:
            - name: eth0
              mtu: 1500
              vlans:
                  - id: 10
            - name: eth1
              mtu: 9000
              vlans: []
        routing:
            static:
                - to: 0.0.0.0/0

        """)
  }

  @Test func insertionBeforeTheFirstKeyOfACompactListItem() throws {
    let source = "items:\n- name: a  # first\n  size: 1\n"
    let normalized = #"{"items": [{"kind": "disk", "name": "a", "size": 1}]}"#
    #expect(try edited(source, normalized) == "items:\n- kind: disk\n  name: a  # first\n  size: 1\n")
  }

  @Test func insertionAtTheEndOfANestedMappingAndAfterIt() throws {
    let source = "outer:\n  a: 1\n  # trailing comment of outer\nlast: 2\n"
    let normalized = #"{"outer": {"a": 1, "b": 2}, "middle": 0, "last": 2}"#
    #expect(
      try edited(source, normalized)
        == "outer:\n  a: 1\n  b: 2\nmiddle: 0\n  # trailing comment of outer\nlast: 2\n")
  }

  // MARK: Removal

  @Test func droppedKeysLoseTheirLinesAndTheirCommentsOnly() throws {
    let source = """
      path: .  # managed
      operation: create
      # about the name
      name: a
      typo_key: 1  # unknown property
      # about the size
      size: 2
      """ + "\n"
    #expect(try edited(source, #"{"name": "a", "size": 2}"#) == "# about the name\nname: a\n# about the size\nsize: 2\n")
  }

  @Test func removingTheFirstEntryOfACompactListItemMovesTheNextUp() throws {
    let source = "- path: x\n  # the name\n  name: a\n  size: 1\n- path: y\n  name: b\n"
    let normalized = #"[{"name": "a", "size": 1}, {"name": "b"}]"#
    #expect(try edited(source, normalized) == "- name: a\n  size: 1\n- name: b\n")
  }

  @Test func removingTheOnlyKeyOfANestedMappingLeavesAnEmptyMapping() throws {
    let source = "name: a\nsettings:\n  unknown: 1\nnext: 2\n"
    #expect(try edited(source, #"{"name": "a", "settings": {}, "next": 2}"#) == "name: a\nsettings: {}\nnext: 2\n")
  }

  @Test func removingTheLastKeyOfAFileWithoutFinalLineBreak() throws {
    #expect(try edited("name: a\nextra: 1", #"{"name": "a"}"#) == "name: a")
    #expect(try edited("name: a\nextra: 1", #"{"name": "a", "port": 1}"#) == "name: a\nport: 1")
    #expect(try edited("name: a", #"{"name": "a", "port": 1}"#) == "name: a\nport: 1")
    #expect(try edited("# only a comment after\nname: \"1\"", #"{"name": 1}"#) == "# only a comment after\nname: 1")
  }

  @Test func earlierDuplicatesAreRemoved() throws {
    let source = "name: a  # first\nsize: 1\nname: b  # second\n"
    #expect(try edited(source, #"{"name": "b", "size": 1}"#) == "size: 1\nname: b  # second\n")
  }

  @Test func listItemsAreMatchedByPosition() throws {
    let source = "ports:\n- 80  # http\n- 443\n- 8080  # dropped\n"
    #expect(try edited(source, "{\"ports\": [80, 443]}") == "ports:\n- 80  # http\n- 443\n")
    #expect(try edited(source, "{\"ports\": [80, 443, 8080, 9090]}") == "ports:\n- 80  # http\n- 443\n- 8080  # dropped\n- 9090\n")
    #expect(try edited(source, "{\"ports\": []}") == "ports: []\n")
  }

  // MARK: Rewriting values

  @Test func coercedScalarsAreRewrittenInPlaceInTheReferenceStyle() throws {
    let source = """
      port: "80"   # quoted by mistake
      ratio: 1
      enabled: yes
      count: yes
      label: 12
      word: plain
      """ + "\n"
    let normalized = #"{"port": 80, "ratio": 1.0, "enabled": true, "count": 1, "label": "12", "word": "yes"}"#
    #expect(
      try edited(source, normalized) == """
        port: 80   # quoted by mistake
        ratio: 1.0
        enabled: yes
        count: 1
        label: '12'
        word: 'yes'

        """)
  }

  @Test func emptyValuesGetTheirValueAfterTheColon() throws {
    let source = "a:\nb:  # empty\nc: 1\n"
    #expect(try edited(source, #"{"a": 0, "b": {"x": 1}, "c": 1}"#) == "a: 0\nb:\n  x: 1  # empty\nc: 1\n")
  }

  @Test func aScalarThatBecameACollectionIsReplacedAsAValue() throws {
    let source = "name: a\nports: 80  # http\nnext: 1\n"
    #expect(try edited(source, #"{"name": "a", "ports": [80], "next": 1}"#) == "name: a\nports:\n- 80  # http\nnext: 1\n")
  }

  @Test func longStringsAreFoldedAsPyYAMLFoldsThem() throws {
    let long = String(repeating: "word ", count: 20) + "end"
    let text = try edited("a: 1\n", "{\"a\": 1, \"description\": \"\(long)\"}")
    #expect(text.hasPrefix("a: 1\ndescription: word word"))
    #expect(text.split(separator: "\n").allSatisfy { $0.count <= 85 })
    #expect(text.contains("\n  word"))
  }

  // MARK: Flow collections

  @Test func flowMappingsAndSequencesKeepTheirStyle() throws {
    let source = "k: {a: 1, b: 2, c: 3}  # flow\nm: [1, 2, 3]\n"
    let normalized = #"{"k": {"b": 2, "c": 3, "d": "x y", "e": [true]}, "m": [1, 2, 3, "yes"]}"#
    #expect(try edited(source, normalized) == "k: {b: 2, c: 3, d: x y, e: [true]}  # flow\nm: [1, 2, 3, 'yes']\n")
    #expect(try edited(source, #"{"k": {"z": 0, "a": 1}, "m": [1]}"#) == "k: {z: 0, a: 1}  # flow\nm: [1]\n")
  }

  @Test func multiLineFlowMappingsKeepOneEntryPerLine() throws {
    let source = """
      k: {
        a: 1,  # first
        b: 2,  # second
        c: 3
      }
      """ + "\n"
    #expect(
      try edited(source, #"{"k": {"a": 1, "n": "new", "c": 3}}"#) == """
        k: {
          a: 1,  # first
          n: new,
          c: 3
        }

        """)
    #expect(
      try edited(source, #"{"k": {"a": 1, "b": 2}}"#) == """
        k: {
          a: 1,  # first
          b: 2  # second
        }

        """)
  }

  @Test func aFlowMappingEntryWithoutValueGetsOne() throws {
    #expect(try edited("k: {a, b: 1}\n", #"{"k": {"a": 5, "b": 1}}"#) == "k: {a: 5, b: 1}\n")
  }

  // MARK: Anchors, aliases, merge keys

  @Test func aliasesOfAChangedAnchorAreRewritten() throws {
    let source = "base: &b \"80\"\ncopy: *b\nother: *b\n"
    // base becomes 80; copy must stay the string "80"; other follows base.
    #expect(try edited(source, #"{"base": 80, "copy": "80", "other": 80}"#) == "base: &b 80\ncopy: '80'\nother: *b\n")
  }

  @Test func aRemovedAnchorTakesItsAliasesAlong() throws {
    let source = "defaults: &d\n  size: 1\nitem: *d\n"
    #expect(try edited(source, #"{"item": {"size": 1}}"#) == "item:\n  size: 1\n")
  }

  @Test func mergeKeysAreLeftAloneWhileTheirAnchorsHold() throws {
    let source = "base: &b {size: 1}\nitem:\n  <<: *b\n  name: a\nextra: 1\n"
    #expect(
      try edited(source, #"{"base": {"size": 1}, "item": {"size": 1, "name": "a"}}"#)
        == "base: &b {size: 1}\nitem:\n  <<: *b\n  name: a\n")
    // The anchor changes: the merging mapping is written out.
    #expect(
      try edited(source, #"{"base": {"size": 2}, "item": {"size": 1, "name": "a"}, "extra": 1}"#)
        == "base: &b {size: 2}\nitem:\n  size: 1\n  name: a\nextra: 1\n")
  }

  // MARK: Files

  @Test func crlfFilesGetCRLFLines() throws {
    let source = "name: a\r\nnested:\r\n  x: 1\r\nold: 2\r\n"
    let text = try edited(source, #"{"name": "a", "nested": {"x": 1, "y": [1, 2]}, "new": "a\nb"}"#)
    #expect(text == "name: a\r\nnested:\r\n  x: 1\r\n  y:\r\n  - 1\r\n  - 2\r\nnew: 'a\r\n\r\n  b'\r\n")
  }

  @Test func multiByteCharactersDoNotShiftColumns() throws {
    let source = "- naïve: \"😀\"  # 🎉 comment\n  count: \"3\"\n- ключ: значение\n"
    let normalized = #"[{"naïve": "😀", "count": 3, "new": {"x": "é"}}, {"ключ": "значение", "z": 1}]"#
    #expect(
      try edited(source, normalized)
        == "- naïve: \"😀\"  # 🎉 comment\n  count: 3\n  new:\n    x: \"\\xE9\"\n- ключ: значение\n  z: 1\n")
  }

  @Test func blockScalarsKeepTheirTrailingLines() throws {
    let source = "script: |+\n  echo hi\n\nname: a\n"
    #expect(
      try edited(source, #"{"script": "echo hi\n\n", "before": 1, "name": "a"}"#)
        == "script: |+\n  echo hi\n\nbefore: 1\nname: a\n")
    #expect(
      try edited(source, #"{"script": "echo hi\n\n", "name": "a", "after": 1}"#)
        == "script: |+\n  echo hi\n\nname: a\nafter: 1\n")
  }

  @Test func aByteOrderMarkStays() throws {
    let source = "\u{FEFF}name: a\n"
    #expect(try edited(source, #"{"version": 1, "name": "a"}"#) == "\u{FEFF}version: 1\nname: a\n")
  }

  @Test func documentMarkersAndDirectivesStay() throws {
    let source = "%YAML 1.1\n---\nname: a\nold: 1\n...\n"
    #expect(try edited(source, #"{"name": "a", "port": 2}"#) == "%YAML 1.1\n---\nname: a\nport: 2\n...\n")
  }

  @Test func tabsInQuotedScalarsAndCommentsDoNotDisturbTheLayout() throws {
    let source = "name: \"a\tb\"  # tab\there\nport: '80'\n"
    #expect(
      try edited(source, #"{"name": "a\tb", "port": 80, "extra": {"x": "\t"}}"#)
        == "name: \"a\tb\"  # tab\there\nport: 80\nextra:\n  x: \"\\t\"\n")
  }

  @Test func aFlowRootStaysAFlowMapping() throws {
    #expect(try edited("{a: 1, b: 2}  # root\n", #"{"a": 1, "c": ["x"]}"#) == "{a: 1, c: [x]}  # root\n")
  }

  @Test func explicitKeysMakeTheirMappingBeReplacedAsAWhole() throws {
    let source = "outer:\n  ? a\n  : 1\nkept: 1  # stays\n"
    #expect(try edited(source, #"{"outer": {"a": 1, "b": 2}, "kept": 1}"#) == "outer:\n  a: 1\n  b: 2\nkept: 1  # stays\n")
  }

  @Test func deletedSlicesStayAsTheyAre() throws {
    for source in ["", "# nothing\n", "null\n", "{}\n", "~"] {
      let result = try PreservingCheck.run(source, .yaml, value("{}"))
      #expect(result.method == .unchanged)
      #expect(result.edits.isEmpty)
    }
  }

  @Test func anUnchangedFileNeedsNoEdits() throws {
    let result = try PreservingCheck.run("# c\nname: 'a'\nport: 0x50\n", .yaml, value(#"{"port": 80, "name": "a"}"#))
    #expect(result.method == .unchanged)
    #expect(result.edits.isEmpty)
  }

  @Test func aFileThatDoesNotLoadGetsNoEdits() {
    let source = Array("name: [a\n".utf8)
    let tree = SliceReader.read(source, format: .yaml)
    #expect(throws: PreservingEditsError.self) {
      try PreservingEdits.edits(source: source, tree: tree, normalized: PreservingCheck.value(#"{"name": "a"}"#))
    }
    do {
      _ = try PreservingEdits.edits(source: source, tree: tree, normalized: .null)
    } catch {
      guard case .sourceDoesNotLoad(let finding) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(finding.code == "yaml-syntax")
    }
  }
}
