import Foundation
import LanguageServerProtocol
import SliceAnalysis
import SliceIDE
import SliceSyntax

enum CodeLenses {
  static func lenses(_ infos: [CodeLensInfo], request: EditorRequestFile, encoding: PositionEncodingKind) -> [CodeLens] {
    let document = request.open.document
    return infos.map { info in
      let command: Command
      switch info.action {
      case .previewMergedView:
        command = Command(title: info.title, command: EditorCommands.previewPurged, arguments: [.string(request.open.uri)])
      case .open(let path, let range):
        let url = URL(fileURLWithPath: path)
        let target = request.document(at: url)
        var arguments: [LSPAny] = [.string(request.snapshot.uri(for: url.standardizedFileURL))]
        if let target, let encoded = try? LSPAnyEncoder().encode(target.lspRange(of: range, in: encoding)) {
          arguments.append(encoded)
        }
        command = Command(title: info.title, command: EditorCommands.openFile, arguments: arguments)
      case .applyUpdate:
        command = Command(title: info.title, command: EditorCommands.applyUpdate, arguments: [.string(request.open.uri)])
      case .runInmantaUpdate:
        command = Command(title: info.title, command: EditorCommands.inmantaUpdate, arguments: [.string(request.open.uri)])
      case .none:
        // A title only: clients show a lens with an empty command as plain text.
        command = Command(title: info.title, command: "")
      }
      return CodeLens(range: document.lspRange(of: info.range, in: encoding), command: command)
    }
  }
}

extension FeatureHandlers {
  /// `textDocument/codeLens`.
  static func registerCodeLenses(on server: LanguageServer, workspace: Workspace, host: AnalysisHost) {
    server.register(CodeLensRequest.self) { params, context in
      guard let request = try await EditorRequestFile.load(params.textDocument.uri, workspace: workspace, host: host, context: context),
        let file = request.file
      else { return [] }
      var infos = EditorQueries.codeLenses(for: file)
      if file.isSource {
        if request.snapshot.settings.updateLens, let update = EditorQueries.updateLens(for: file) { infos.append(update) }
        if let configuration = request.context?.configuration, InmantaCompileCommand.isOffered(configuration) {
          infos.append(
            CodeLensInfo(range: file.document.lineContentRange(0), title: "Run update compile (inmanta)", action: .runInmantaUpdate))
        }
      }
      return CodeLenses.lenses(infos, request: request, encoding: context.positionEncoding)
    }
  }
}
