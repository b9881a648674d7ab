// "Parlens: Explain Finding": shows a finding's markdown explanation (sent by the server's code actions) beside the
// editor. The markdown lives in read-only virtual documents (scheme `parlens-explain`), rendered by VS Code's own
// markdown preview: same rendering as hovers, nothing to save, no "unsaved changes" prompt on close.
import * as vscode from 'vscode';
import { isExplainArgs, type ExplainArgs } from './protocol';

export const explainScheme = 'parlens-explain';
// Explanations are small, but a long session can open many; keep the recent ones (open previews re-read theirs).
const kept = 50;

export class ExplainDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private opened = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '*This explanation is no longer available: run the code action again.*';
  }

  /** A new URI per explanation, named after its title so the preview tab reads well. */
  add({ title, markdown }: ExplainArgs): vscode.Uri {
    this.opened += 1;
    const name = title.replace(/[\\/:*?"<>|#%]+/g, ' ').trim().slice(0, 80) || 'Parlens explanation';
    const uri = vscode.Uri.from({ scheme: explainScheme, path: `/${name}.md`, query: String(this.opened) });
    this.contents.set(uri.toString(), markdown.startsWith('#') ? markdown : `# ${title}\n\n${markdown}`);
    while (this.contents.size > kept) this.contents.delete(this.contents.keys().next().value as string);
    return uri;
  }
}

export async function explain(documents: ExplainDocuments, args: unknown): Promise<void> {
  if (!isExplainArgs(args)) {
    void vscode.window.showInformationMessage(
      'Parlens: Explain Finding shows why a loop got its verdict. Put the cursor on a loop and use the light bulb (Quick Fix, Ctrl+.) to choose "Explain"; hovering the loop keyword gives the short version.',
    );
    return;
  }
  const uri = documents.add(args);
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    // The built-in markdown extension can be disabled; the plain markdown text is still the explanation.
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}
