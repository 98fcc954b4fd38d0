import Foundation
import SliceSyntax

/// One store's exposed slice schema, loaded once, with everything the store layer and the
/// language server ask of it. The entry point of this layer:
///
/// - `check(_:)`: the reference's verdict on a slice, its findings and the normalised value;
/// - `jsonSchemaViolations(_:)`: plain JSON Schema validation (for hand-written schemas);
/// - `query`: schemas at a place, properties, allowed values, scaffolds, identity keys, shapes.
public struct ExposedSchema: Sendable {
  public let schemas: SchemaSet
  public let validator: SliceValidator
  public let jsonSchema: SchemaValidator
  public let query: SchemaQuery

  public init(schemas: SchemaSet, options: SliceValidationOptions = SliceValidationOptions()) {
    self.schemas = schemas
    self.validator = SliceValidator(schemas: schemas, options: options)
    self.jsonSchema = SchemaValidator(schemas: schemas)
    self.query = SchemaQuery(schemas: schemas, options: options)
  }

  /// Loads a schema file; references to other files are read inside `projectRoot` only.
  public static func load(fileAt path: String, projectRoot: String, options: SliceValidationOptions = SliceValidationOptions()) -> ExposedSchema {
    ExposedSchema(schemas: SchemaLoader.load(fileAt: path, projectRoot: projectRoot), options: options)
  }

  /// The reference's reading of a slice (pydantic, lax): errors, warnings, hints, normalised value.
  public func check(_ root: Node) -> SliceValidation { validator.validate(root) }

  /// The value an update compile writes, or nil when the reference rejects the slice.
  public func normalize(_ root: Node) -> Value? { validator.normalize(root) }

  /// JSON Schema (draft 2020-12) violations as findings of the instance's file.
  public func jsonSchemaViolations(_ root: Node) -> [Finding] {
    jsonSchema.validate(root).map(schemas.finding(for:))
  }
}
