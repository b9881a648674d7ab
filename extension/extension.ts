// Entry point of the VS Code extension: starts the Parlens language server and wires the commands, the status bar
// and Workspace Trust around it. Each concern lives in its own module; this file only connects them.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { analyzeWorkspace } from './analyzeWorkspace';
import { createLanguageClient, serverModulePath } from './client';
import { explain, ExplainDocuments, explainScheme } from './explain';
import { profileRun, showProfile } from './profile';
import { ClientCommands } from './protocol';
import { StatusBar } from './statusBar';
import { ServerWatch } from './serverStatus';
import { watchTraceSetting } from './traceHint';

let client: LanguageClient | undefined;
let watch: ServerWatch | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Parlens', { log: true });
  const statusBar = new StatusBar();
  const explanations = new ExplainDocuments();
  context.subscriptions.push(
    output,
    statusBar,
    watchTraceSetting(output),
    vscode.workspace.registerTextDocumentContentProvider(explainScheme, explanations),
    vscode.commands.registerCommand(ClientCommands.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(ClientCommands.showProfile, showProfile),
    vscode.commands.registerCommand(ClientCommands.explain, (args: unknown) => explain(explanations, args)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.info('Workspace trusted: profile runs are enabled.');
      statusBar.render();
    }),
  );

  const serverModule = serverModulePath(context.extensionPath);
  if (!existsSync(serverModule)) {
    // A build without the server (npm run build before server/lsp existed): say so instead of a bare spawn error,
    // and keep the server's commands answering with the same explanation instead of "command not found".
    const problem = `The Parlens language server is missing from this installation (${serverModule}). Rebuild with npm run build, or reinstall the extension.`;
    output.error(problem);
    statusBar.set({ kind: 'stopped', reason: `${serverModule} is missing; rebuild with npm run build.` });
    const explainMissing = () => void vscode.window.showErrorMessage(`Parlens: ${problem}`);
    context.subscriptions.push(
      vscode.commands.registerCommand(ClientCommands.analyzeWorkspace, explainMissing),
      vscode.commands.registerCommand(ClientCommands.profileRun, explainMissing),
    );
    explainMissing();
    return;
  }

  const languageClient = createLanguageClient(context.extensionPath, output);
  client = languageClient;
  watch = new ServerWatch(languageClient, statusBar, output);
  const runAnalysis = () => analyzeWorkspace(languageClient, output);
  context.subscriptions.push(
    watch,
    vscode.commands.registerCommand(ClientCommands.analyzeWorkspace, runAnalysis),
    vscode.commands.registerCommand(ClientCommands.profileRun, (uri: unknown, line: unknown) => profileRun(uri, line, runAnalysis, output)),
  );
  try {
    await languageClient.start();
  } catch (error) {
    // The client has already written the details to the output channel; activation itself must not fail, so the
    // output and status commands keep working.
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Parlens: the language server did not start: ${reason}. See "Parlens: Show Output".`);
  }
}

export async function deactivate(): Promise<void> {
  watch?.expectStop();
  const stopping = client;
  client = undefined;
  watch = undefined;
  if (stopping?.needsStop()) await stopping.stop();
}
