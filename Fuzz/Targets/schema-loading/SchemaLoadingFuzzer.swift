import FuzzSupport

/// Invariants: arbitrary bytes as a schema file never crash or hang the loader; every load error
/// lies inside the document; a loaded schema then validates a few instances without crashing.
@main enum SchemaLoadingFuzzer {
  static func main() { Fuzz.main { data, size in fuzz(data, size) } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  // No documents besides the built-in metaschemas: nothing is read from disk.
  let schemas = SchemaLoader(maximumSchemas: 20_000).load(bytes: bytes)
  // Errors in the built-in metaschemas have their own documents; only the input's are checked.
  for error in schemas.errors where error.documentURI == "file:///schema.json" {
    Fuzz.check(error.range.upperBound <= bytes.count, "load error at \(error.range) outside 0..<\(bytes.count)")
  }
  guard schemas.errors.isEmpty else { return 0 }
  let validator = SchemaValidator(schemas: schemas, maximumEvaluations: 200_000)
  for instance in instances {
    let tree = YAMLReader().read(instance)
    guard let root = tree.root else { continue }
    _ = validator.validate(root)
    _ = SliceValidator(schemas: schemas).validate(root)
  }
  return 0
}

private let instances: [String] = [
  "{}", "name: x\nvlan_id: 10\nports: [1, 2]\n", "[1, 2.5, true, null, \"s\"]", "a: {b: {c: [x, {d: 1}]}}",
  "2024-01-01", "'0x10'",
]
