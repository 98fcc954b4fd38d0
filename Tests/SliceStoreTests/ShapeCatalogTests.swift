import SliceStore
import SliceSyntax
import Testing

@Suite struct ShapeCatalogTests {
  @Test func referenceAttributeOrder() {
    #expect(
      EntityShape.referenceAttributeOrder(fieldOrder: ["name", "operation", "root"], isSliceRoot: true)
        == ["version", "slice_store", "slice_name", "name", "root"])
    #expect(
      EntityShape.referenceAttributeOrder(fieldOrder: ["name", "type", "x"], isSliceRoot: false, unionDiscriminator: "type")
        == ["type", "name", "x"])
  }

  @Test func wellFormedCatalogsHaveNoIssues() throws {
    #expect(TestShapes.catalog.issues.isEmpty)
    #expect(try ReferenceFixture.load().catalog.issues.isEmpty)
  }

  @Test func reportsWhatMakesTheReferenceFail() {
    let catalog = ShapeCatalog(
      root: "R",
      shapes: [
        EntityShape(
          id: "R", attributes: ["name"],
          relations: [
            .init(name: "xs", cardinality: .list, target: .entity("X")),
            .init(name: "one", cardinality: .single, target: .entity("X")),
            .init(name: "ghost", cardinality: .optional, target: .entity("Ghost")),
            .init(name: "us", cardinality: .list, target: .union(.init(discriminator: "t", members: [.init(value: .string("m"), shape: "M")]))),
          ],
          keys: ["name", "missing"]),
        EntityShape(id: "X", attributes: ["v"]),
        EntityShape(id: "M", attributes: ["t", "n"], keys: ["t", "n"], unionDiscriminator: "t"),
      ])
    #expect(catalog.issues.map(\.kind) == [
      .discriminatorAmongKeys("t"),
      .keyNotAnAttribute("missing"),
      .unkeyedListItems(relation: "xs", itemShape: "X"),
      .danglingReference("Ghost"),
    ])
    #expect(catalog.danglingReferences == ["Ghost"])
    #expect(ShapeCatalog(root: "Nope", shapes: []).issues.map(\.kind) == [.danglingReference("Nope")])
  }
}
