import Foundation
import LanguageServerProtocol
import SliceAnalysis
import SliceIDE
import SliceSyntax

enum DefinitionLocations {
  static func response(
    _ targets: [DefinitionTarget], origin: ByteRange?, request: EditorRequestFile, encoding: PositionEncodingKind,
    links: Bool
  ) -> DefinitionResponse? {
    var locations: [Location] = []
    var linkList: [LocationLink] = []
    for target in targets {
      let url = target.path.hasPrefix("/") ? URL(fileURLWithPath: target.path) : URL(string: target.path)
      guard let url else { continue }
      let uri = url.isFileURL ? request.snapshot.uri(for: url.standardizedFileURL) : target.path
      // A schema not read from a file has no text to measure: its start.
      var range = LSPRange(start: LSPPosition(line: 0, character: 0), end: LSPPosition(line: 0, character: 0))
      if url.isFileURL, let document = request.document(at: url) {
        let count = document.bytes.count
        range = document.lspRange(of: min(target.range.lowerBound, count)..<min(target.range.upperBound, count), in: encoding)
      }
      locations.append(Location(uri: uri, range: range))
      linkList.append(
        LocationLink(
          originSelectionRange: origin.map { request.open.document.lspRange(of: $0, in: encoding) }, targetUri: uri,
          targetRange: range, targetSelectionRange: range))
    }
    if locations.isEmpty { return nil }
    return links ? .links(linkList) : .locations(locations)
  }
}

extension FeatureHandlers {
  /// `textDocument/definition`.
  static func registerDefinition(on server: LanguageServer, workspace: Workspace, host: AnalysisHost) {
    server.register(DefinitionRequest.self) { params, context in
      guard let request = try await EditorRequestFile.load(params.textDocument.uri, workspace: workspace, host: host, context: context),
        let file = request.file
      else { return nil }
      let offset = file.document.offset(of: params.position, in: context.positionEncoding)
      let targets = EditorQueries.definition(at: offset, in: file)
      try context.checkCancellation()
      return DefinitionLocations.response(
        targets, origin: nil, request: request, encoding: context.positionEncoding,
        links: context.clientCapabilities.textDocument?.definition?.linkSupport == true)
    }
  }
}
