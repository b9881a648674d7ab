// Profile commands. A profile run executes the user's code, so it is refused in Restricted Mode (package.json
// also disables the command there with `"enablement": "isWorkspaceTrusted"`; the check here covers calls from
// code lenses and other extensions, which enablement does not stop).
import * as vscode from 'vscode';

const manageTrust = 'Manage Workspace Trust';

/** True when user code may run; otherwise explains why not and offers the trust editor. */
export function ensureTrusted(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `Parlens: ${action} runs your code, so it is disabled in Restricted Mode. Trust this workspace to enable it; the analysis keeps working without trust.`,
      manageTrust,
    )
    .then((choice) => {
      if (choice === manageTrust) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}

/**
 * `parlens.profileRun(uri, line)`: the code lens above a loop passes the document and the loop's line. The profiler
 * has not landed yet, so for now a profile run refreshes the workspace analysis (after the trust check that the
 * real profiler will need) and says so.
 */
export async function profileRun(
  uri: unknown,
  line: unknown,
  runAnalysis: () => Promise<void>,
  output: vscode.LogOutputChannel,
): Promise<void> {
  if (!ensureTrusted('a profile run')) return;
  const where = typeof uri === 'string' ? `${uri}${typeof line === 'number' ? ` (line ${line})` : ''}` : 'the workspace';
  output.info(`Profile run requested for ${where}. The profiler is not available in this version; running the workspace analysis instead.`);
  await runAnalysis();
}

export function showProfile(): void {
  void vscode.window.showInformationMessage(
    'Parlens has not recorded a profile in this workspace yet. Record one with "Parlens: Profile Run" (or the Profile lens above a loop) in a trusted workspace, then run "Parlens: Show Profile" again.',
  );
}
