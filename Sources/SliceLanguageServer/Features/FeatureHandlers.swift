import LanguageServerProtocol
import SliceAnalysis

/// Registers every feature request, one file per request in this folder. They answer from a
/// document snapshot (outline, folding, selection), from the diagnostics (pull, quick fixes) or
/// from the project analysis (completion, hover, definition, lenses, inlay hints, source actions,
/// their commands); byte ranges become LSP positions there, once.
enum FeatureHandlers {
  static func register(on server: LanguageServer, workspace: Workspace, pipeline: DiagnosticsPipeline) {
    registerDocumentSymbols(on: server, workspace: workspace)
    registerFoldingRanges(on: server, workspace: workspace)
    registerSelectionRanges(on: server, workspace: workspace)
    registerPullDiagnostics(on: server, pipeline: pipeline)
    let host = pipeline.analysisHost ?? AnalysisHost()
    registerCompletion(on: server, workspace: workspace, host: host)
    registerHover(on: server, workspace: workspace, host: host)
    registerDefinition(on: server, workspace: workspace, host: host)
    registerCodeLenses(on: server, workspace: workspace, host: host)
    registerInlayHints(on: server, workspace: workspace, host: host)
    registerCodeActions(on: server, workspace: workspace, pipeline: pipeline, host: host)
    registerExecuteCommand(on: server, workspace: workspace, pipeline: pipeline, host: host)
    registerDocumentLinks(on: server, workspace: workspace, host: host)
    registerWorkspaceSymbols(on: server, workspace: workspace, host: host)
    registerFormatting(on: server, workspace: workspace)
  }
}
