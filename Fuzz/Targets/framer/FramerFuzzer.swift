import FuzzSupport

/// Invariant: any split of the byte stream into reads yields the same events (messages and
/// errors) as the stream in one read — byte at a time and in pieces chosen from the input.
@main enum FramerFuzzer {
  static func main() { Fuzz.main { data, size in fuzz(data, size) } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let stream = Fuzz.bytes(data, size)
  // A small limit reaches the refusal of large messages with small inputs.
  for limit in [16, MessageFramer.defaultMaximumContentLength] {
    let whole = events([stream[...]], limit: limit)
    let byteAtATime = events(stream.indices.map { stream[$0..<($0 + 1)] }, limit: limit)
    Fuzz.check(byteAtATime == whole, "byte at a time: \(byteAtATime) vs one read: \(whole)")
    var random = Fuzz.Random(seed: stream)
    for _ in 0..<4 {
      var chunks: [ArraySlice<UInt8>] = []
      var offset = 0
      while offset < stream.count {
        let length = random.next(1 + random.next(2) * 40)
        chunks.append(stream[offset..<min(offset + length, stream.count)])
        offset += length
      }
      let split = events(chunks, limit: limit)
      Fuzz.check(split == whole, "chunks \(chunks.map(\.count)): \(split) vs one read: \(whole)")
    }
  }
  return 0
}

private func events(_ chunks: [ArraySlice<UInt8>], limit: Int) -> [MessageFramer.Event] {
  var framer = MessageFramer(maximumContentLength: limit)
  var events: [MessageFramer.Event] = []
  for chunk in chunks {
    framer.append(chunk)
    while let event = framer.next() { events.append(event) }
  }
  return events
}
