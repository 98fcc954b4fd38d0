import FuzzSupport

/// Invariants: decoding arbitrary bytes as JSON then as a JSON-RPC message never crashes; a value
/// the parser accepts is written and parsed back equal; a decoded message re-encodes and decodes
/// equal.
@main enum JSONRPCFuzzer {
  static func main() { Fuzz.main { data, size in fuzz(data, size) } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  guard let json = try? LSPJSONParser.parse(bytes) else { return 0 }
  let written = JSONWriter.serialize(json)
  let reparsed: LSPAny
  do {
    reparsed = try LSPJSONParser.parse(written)
  } catch {
    Fuzz.check(false, "the writer's output does not parse: \(error)\n\(String(decoding: written, as: UTF8.self))")
    return 0
  }
  // A number beyond Double's range reads as infinity, written as null: JavaScript's JSON does the
  // same, so editors agree.
  Fuzz.check(reparsed == finite(json), "written and parsed back differently: \(json) vs \(reparsed)")
  guard let message = try? JSONRPCMessage(reparsed) else { return 0 }
  do {
    let again = try JSONRPCMessage(try LSPJSONParser.parse(JSONWriter.serialize(message.json)))
    Fuzz.check(again == message, "message re-encoded differently: \(message) vs \(again)")
  } catch {
    Fuzz.check(false, "a decoded message does not decode after re-encoding: \(message): \(error)")
  }
  return 0
}

private func finite(_ value: LSPAny) -> LSPAny {
  switch value {
  case .double(let number) where !number.isFinite: return .null
  case .array(let elements): return .array(elements.map(finite))
  case .object(let members): return .object(members.mapValues(finite))
  default: return value
  }
}
