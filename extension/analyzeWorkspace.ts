// "Parlens: Analyze Workspace": asks the server to analyse every file (it reports progress itself) and shows the
// totals it answers.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { ClientCommands, isWorkspaceSummary, ServerCommands } from './protocol';
import { formatSummary } from './summary';

const showOutput = 'Show Output';

function offerOutput(choice: string | undefined): void {
  if (choice === showOutput) void vscode.commands.executeCommand(ClientCommands.showOutput);
}

export async function analyzeWorkspace(client: LanguageClient, output: vscode.LogOutputChannel): Promise<void> {
  let result: unknown;
  try {
    result = await client.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.analyzeWorkspace, arguments: [] });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    output.error(`Analyze Workspace failed: ${reason}`);
    // Not awaited: the command finishes while the message stays up.
    void vscode.window
      .showErrorMessage(`Parlens could not analyse the workspace: ${reason}. The output has details; if the server stopped, run "Developer: Reload Window".`, showOutput)
      .then(offerOutput);
    return;
  }
  if (!isWorkspaceSummary(result)) {
    output.error(`Analyze Workspace: unexpected answer from the server: ${JSON.stringify(result)}`);
    void vscode.window
      .showErrorMessage('Parlens: the server answered Analyze Workspace with something this extension does not understand; the extension and server builds may not match (rebuild with npm run build).', showOutput)
      .then(offerOutput);
    return;
  }
  const message = formatSummary(result);
  output.info(message);
  for (const problem of result.errors) output.warn(problem);
  void vscode.window.showInformationMessage(message, showOutput).then(offerOutput);
}
