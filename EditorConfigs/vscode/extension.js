// Minimal VS Code client for slicels: starts `slicels serve` on stdio for YAML and JSON files.
// Build: `npm install` in this folder, then `npx @vscode/vsce package` (or copy the folder into
// ~/.vscode/extensions/).
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("slicels").get("path", "slicels");
  const serverOptions = { command, args: ["serve"], transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "json" },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{files,git_ops}/**"),
    },
  };
  client = new LanguageClient("slicels", "slicels", serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
