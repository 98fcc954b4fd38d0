import Foundation
import SliceIDE
import SliceSchema
import SliceStore
import SliceSyntax
import SliceTestSupport
import Testing

@Suite struct HoverTests {
  typealias S = EditingSupport
  static let analysis = ProjectAnalysis.analyze(root: S.exampleProject)

  func openFile(_ relative: String, _ marked: String? = nil) -> (EditorFile, Int)? {
    let url = S.exampleProject.appendingPathComponent(relative)
    guard let marked else { return EditorFile(analysis: Self.analysis, url: url).map { ($0, 0) } }
    let (text, offset) = CursorFixture.split(marked)
    return EditorFile(analysis: Self.analysis, url: url, bytes: Array(text.utf8)).map { ($0, offset) }
  }

  @Test func yamlKeyWithActiveValueThatDiffers() throws {
    let office = try String(contentsOf: S.exampleProject.appendingPathComponent("files/vlans/office.yaml"), encoding: .utf8)
    let marked = office.replacingOccurrences(of: "mtu: 9216", with: "m‸tu: 9216")
    let (file, offset) = try #require(openFile("files/vlans/office.yaml", marked))
    let hover = try #require(EditorQueries.hover(at: offset, in: file))
    #expect(hover.propertyName == "mtu")
    #expect(hover.type == "integer")
    #expect(hover.isRequired == false)
    #expect(hover.activeValue == "active v2: 1500")
    let start = try #require(marked.range(of: "m‸tu")).lowerBound
    let keyStart = marked[..<start].utf8.count
    #expect(hover.range == keyStart..<keyStart + 3)
    #expect(hover.markdown.contains("The MTU of the VLAN."))
    #expect(hover.markdown.contains("default: `1500`"))
    #expect(hover.markdown.contains("minimum: `576`"))
    #expect(hover.markdown.contains("maximum: `9216`"))
    #expect(hover.plainText.contains("active v2: 1500"))
    #expect(!hover.plainText.contains("**"))
  }

  @Test func yamlValueEqualToTheActiveOneSaysNothingAboutIt() throws {
    let (file, _) = try #require(openFile("files/vlans/office.yaml"))
    let text = file.document.text
    let offset = try #require(text.range(of: "vlan_id: 10")).upperBound.utf16Offset(in: text) - 1
    let hover = try #require(EditorQueries.hover(at: offset, in: file))
    #expect(hover.propertyName == "vlan_id")
    #expect(hover.activeValue == nil)
    #expect(hover.isRequired == true)
  }

  @Test func listItemKeysAndIdentityWithMultiByteText() throws {
    // Identity values with é and CJK; the hover range counts bytes.
    let marked = """
      site: bru
      vlan_id: 10
      name: office
      description: Bureaux à Bruxelles 東京 🚀
      ports:
        - switch: sw1
          p‸ort: "3"
        - {switch: swé, port: 7}
      """
    let (file, offset) = try #require(openFile("files/vlans/office.yaml", marked))
    let hover = try #require(EditorQueries.hover(at: offset, in: file))
    #expect(hover.propertyName == "port")
    #expect(hover.elementPath == "ports[switch=sw1][port=3]")
    #expect(hover.identityKeys == "keys: switch, port (inferred: required scalar properties)")
    // "3" is read as the integer 3: the update compile writes it so.
    #expect(hover.coercion == "the update compile writes this value as 3")
    // The port sw1/3 exists in active v2 with the same value once coerced.
    #expect(hover.activeValue == nil)
    #expect(hover.range == offset - 1..<offset + 3)

    let second = CursorFixture.split(marked).text
    let swOffset = try #require(second.range(of: "swé")).lowerBound
    let byteOffset = second[..<swOffset].utf8.count + 1
    let item = try #require(EditorQueries.hover(at: byteOffset, in: file))
    #expect(item.propertyName == "switch")
    #expect(item.elementPath == "ports[switch=swé][port=7]")
    #expect(item.activeValue == "not in active v2 (new object)")
    #expect(item.range == byteOffset - 1..<byteOffset - 1 + "swé".utf8.count)
  }

  @Test func listPropertyKeyNamesHowItemsAreIdentified() throws {
    let (file, _) = try #require(openFile("files/fs/web01.yaml"))
    let text = file.document.text
    let offset = try #require(text.range(of: "content:")).lowerBound.utf16Offset(in: text)
    let hover = try #require(EditorQueries.hover(at: offset + 1, in: file))
    #expect(hover.type == "list of File | Folder")
    #expect(hover.identityKeys == "type (union tag), then keys: name (inferred: required scalar properties)")
  }

  @Test func dashOfAListItemHoversTheItem() throws {
    let (file, _) = try #require(openFile("files/fs/web01.yaml"))
    let text = file.document.text
    let dash = try #require(text.range(of: "      - type: folder\n        name: log")).lowerBound.utf16Offset(in: text) + 6
    let hover = try #require(EditorQueries.hover(at: dash, in: file))
    #expect(hover.propertyName == nil)
    #expect(hover.type == "Folder")
    #expect(hover.elementPath == "content[type=folder][name=var].content[type=folder][name=log]")
    #expect(hover.activeValue == "not in active v3 (new object)")
  }

  @Test func jsonKeyOfAFolderInAnItem() throws {
    let (file, _) = try #require(openFile("files/fs/db01.json"))
    let text = file.document.text
    let offset = try #require(text.range(of: "\"mode\": \"0700\"")).lowerBound.utf16Offset(in: text) + 2
    let hover = try #require(EditorQueries.hover(at: offset, in: file))
    #expect(hover.propertyName == "mode")
    #expect(hover.markdown.contains("The permissions of the folder, in octal."))
    #expect(hover.markdown.contains("default: `\"0755\"`"))
    #expect(hover.markdown.contains("pattern: `^0?[0-7]{3}$`"))
    #expect(hover.elementPath == "content[type=folder][name=backups]")
    #expect(hover.range == offset - 2..<offset + 4)
  }

  @Test func unknownAndManagedProperties() throws {
    let marked = "site: bru\nvlan_id: 10\nname: x\nmt‸o: 1\noperation: create\n"
    let (file, offset) = try #require(openFile("files/vlans/office.yaml", marked))
    let unknown = try #require(EditorQueries.hover(at: offset, in: file))
    #expect(unknown.markdown.contains("not in the schema"))
    #expect(unknown.markdown.contains("Vlan has no property `mto`"))
    let managedOffset = CursorFixture.split(marked).text.utf8.count - 10
    let managed = try #require(EditorQueries.hover(at: managedOffset, in: file))
    #expect(managed.markdown.contains("managed by the compile"))
  }

  @Test func nothingOnBlankSpaceOrWithoutSchema() throws {
    let (file, _) = try #require(openFile("files/vlans/office.yaml", "site: bru\n\n\n‸\n"))
    #expect(EditorQueries.hover(at: CursorFixture.split("site: bru\n\n\n‸\n").offset, in: file) == nil)
    var noSchema = file
    noSchema.store = nil
    noSchema.schema = nil
    #expect(EditorQueries.hover(at: 1, in: noSchema) == nil)
  }
}
