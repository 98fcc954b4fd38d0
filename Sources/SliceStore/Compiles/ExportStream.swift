import SliceSyntax

/// `slicels export`'s output written slice by slice into one byte buffer that is handed to a
/// sink whenever it holds a chunk: memory holds one slice's text and one chunk, never the whole
/// view (the JSON of a large project is tens of megabytes). The bytes are exactly those of
/// `ExportReport.json` and `ExportReport.text`.
public struct ExportStream {
  public enum Format: Sendable {
    case json
    case text(TerminalStyle)
  }

  /// A slice the reference's JSON writer refuses (a date, which `json.dumps` cannot write).
  public struct UnwritableSlice: Error, CustomStringConvertible, Sendable {
    public var store: String
    public var slice: String
    public var reason: ReferenceWriterError
    public var description: String {
      "slice '\(slice)' of store '\(store)' cannot be written as JSON: \(reason)"
    }
  }

  public static let defaultChunkSize = 1 << 16

  private let format: Format
  private let chunkSize: Int
  private let sink: ([UInt8]) -> Void
  private var buffer: [UInt8] = []
  private var list = ReferenceJSONWriter.ListWriter()
  private var textSlices = 0

  /// - Parameter sink: receives the output in order, a chunk at a time (at least `chunkSize`
  ///   bytes except the last).
  public init(format: Format, chunkSize: Int = ExportStream.defaultChunkSize, sink: @escaping ([UInt8]) -> Void) {
    self.format = format
    self.chunkSize = max(1, chunkSize)
    self.sink = sink
    buffer.reserveCapacity(self.chunkSize)
  }

  /// One slice's text in a stream's format, made apart from the stream: workers render the
  /// slices on every core and the stream only copies their bytes in order.
  public struct RenderedSlice: Sendable {
    fileprivate var bytes: [UInt8]

    /// Bytes made as `render` makes them (see `MergedViewJSONWriter`).
    init(bytes: [UInt8]) {
      self.bytes = bytes
    }
  }

  /// The bytes `append(_:)` would add for `slice` (for JSON: the list item without its
  /// separator, which depends on the slices before it).
  public static func render(_ slice: UnrolledSlice, format: Format) throws(UnwritableSlice) -> RenderedSlice {
    var bytes: [UInt8] = []
    switch format {
    case .json:
      do {
        try ReferenceJSONWriter.ListWriter.render(slice.value, into: &bytes)
      } catch {
        throw UnwritableSlice(store: slice.storeName, slice: slice.name, reason: error)
      }
    case .text(let style):
      var lines: [String] = []
      ExportReport.appendBlock(of: slice, into: &lines, style: style)
      appendLines(lines, into: &bytes)
    }
    return RenderedSlice(bytes: bytes)
  }

  /// Writes one slice; nothing of a slice that cannot be written is kept.
  public mutating func append(_ slice: UnrolledSlice) throws(UnwritableSlice) {
    append(try Self.render(slice, format: format))
  }

  /// Writes one slice rendered in this stream's format.
  public mutating func append(_ rendered: RenderedSlice) {
    switch format {
    case .json: list.append(rendered: rendered.bytes, into: &buffer)
    case .text:
      buffer.append(contentsOf: rendered.bytes)
      textSlices += 1
    }
    if buffer.count >= chunkSize { flush() }
  }

  /// Closes the output and hands on what is left.
  public mutating func finish() {
    switch format {
    case .json:
      list.finish(into: &buffer)
      buffer.append(UInt8(ascii: "\n"))
    case .text:
      if textSlices == 0 { Self.appendLines([ExportReport.emptyViewLine], into: &buffer) }
    }
    flush()
  }

  private static func appendLines(_ lines: [String], into bytes: inout [UInt8]) {
    for line in lines {
      bytes.appendUTF8(of: line)
      bytes.append(UInt8(ascii: "\n"))
    }
  }

  private mutating func flush() {
    guard !buffer.isEmpty else { return }
    sink(buffer)
    buffer.removeAll(keepingCapacity: true)
  }
}
