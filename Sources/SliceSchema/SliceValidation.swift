import Foundation
import SliceSyntax

/// What the slice layer adds to a schema: the attributes the compile manages and the placeholder
/// `slice-create` writes.
public struct SliceValidationOptions: Sendable {
  /// Attributes every slice object carries that the compile manages (`operation`, `path`).
  public var managedAttributes: [String]
  /// Attributes only the root object carries (`version`, `slice_store`, `slice_name`).
  public var rootManagedAttributes: [String]
  /// The value `slice-create` writes for required properties.
  public var placeholder: String
  /// Build the normalised value (turn off for a faster check).
  public var normalize: Bool

  public init(
    managedAttributes: [String] = ["operation", "path"],
    rootManagedAttributes: [String] = ["version", "slice_store", "slice_name"],
    placeholder: String = "<REPLACE_THIS>", normalize: Bool = true
  ) {
    self.managedAttributes = managedAttributes
    self.rootManagedAttributes = rootManagedAttributes
    self.placeholder = placeholder
    self.normalize = normalize
  }

  /// The pydantic type of each managed attribute (`version` is an int, the others strings).
  func managedType(_ name: String) -> PydanticKind {
    name == "version" ? .integer : .string(format: nil)
  }
}

/// One error as pydantic reports it (type, loc, msg), located in the file.
public struct PydanticError: Sendable, Hashable {
  /// pydantic's error type (`int_parsing`, `missing`, `union_tag_invalid`, …).
  public var type: String
  /// pydantic's message.
  public var message: String
  /// pydantic's `loc`: instance keys and indices, plus discriminator tags.
  public var loc: [String]
  /// The instance path (no tags), for locating.
  public var path: [InstancePathComponent]
  public var range: ByteRange
  public var schema: SchemaID?
}

/// Names missing from an object, with what a scaffold would put there (for an "add missing
/// properties" fix, which needs the file's formatting to place them).
public struct MissingProperties: Sendable {
  public var path: [InstancePathComponent]
  /// The object's range.
  public var objectRange: ByteRange
  public var names: [String]
  /// Required names with their scaffold value (placeholder, or an object scaffolded recursively).
  public var scaffold: [Value.Member]
}

/// The reference's reading of a slice: pydantic's verdict, the value an update compile writes,
/// and the findings slicels reports on the way.
public struct SliceValidation: Sendable {
  /// pydantic's errors: the file would not load.
  public var errors: [PydanticError]
  /// Every finding: errors (with slicels codes), unknown and managed properties, placeholders,
  /// values the update compile rewrites. Sorted by position.
  public var findings: [Finding]
  /// The JSON-mode dump the update compile writes (defaults filled, unknown properties dropped,
  /// managed attributes removed); nil when there are errors or normalisation was off.
  public var normalized: Value?
  public var missing: [MissingProperties]
  public var isValid: Bool { errors.isEmpty }
}

/// Validates slices the way the reference does — pydantic v2 in lax mode — over the located tree.
public struct SliceValidator: Sendable {
  public let schemas: SchemaSet
  public let options: SliceValidationOptions
  let kinds: [PydanticKind]

  /// Hash lookups for the large `Literal`s and enums.
  let literalLookups: [SchemaID: LiteralLookup]
  /// For aliases: the end of the chain of aliases (`PydanticKind.aliasChainEnds`).
  let aliasEnds: [SchemaID?]

  public init(schemas: SchemaSet, options: SliceValidationOptions = SliceValidationOptions()) {
    self.schemas = schemas
    self.options = options
    let kinds = schemas.schemas.map { PydanticKind.classify($0, in: schemas) }
    self.kinds = kinds
    self.aliasEnds = PydanticKind.aliasChainEnds(kinds)
    var lookups: [SchemaID: LiteralLookup] = [:]
    for (index, kind) in kinds.enumerated() {
      if case .literal(let values, _) = kind, values.count > LiteralLookup.threshold {
        lookups[SchemaID(index)] = LiteralLookup(values)
      }
    }
    self.literalLookups = lookups
  }

  /// Validates a whole slice (the root object). `nestingDepth`: how deep the root's collections
  /// nest, when the reader counted it (`SyntaxTree.nestingDepth`).
  /// `keysAreDistinct`: no mapping of the document holds a key twice (`SyntaxTree.keysAreDistinct`).
  public func validate(_ root: Node, nestingDepth: Int? = nil, keysAreDistinct: Bool = false) -> SliceValidation {
    validate(root, against: schemas.root, isSliceRoot: true, nestingDepth: nestingDepth, keysAreDistinct: keysAreDistinct)
  }

  /// Validates a value against one schema of the set.
  public func validate(
    _ node: Node, against schema: SchemaID, at path: [InstancePathComponent] = [], isSliceRoot: Bool = false,
    nestingDepth: Int? = nil, keysAreDistinct: Bool = false
  ) -> SliceValidation {
    LargeStack.run(for: node, nestingDepth: nestingDepth, schemaChain: schemas.longestInPlaceChain) {
      var run = PydanticRun(validator: self)
      run.basePath = path
      run.rootPending = isSliceRoot
      run.keysAreDistinct = keysAreDistinct
      let value = run.coerce(node, schema)
      return run.result(value)
    }
  }

  /// The value the update compile writes for this slice, or nil when pydantic rejects it.
  public func normalize(_ root: Node) -> Value? {
    validate(root).normalized
  }

  func kind(_ id: SchemaID) -> PydanticKind { kinds[id.index] }
}
