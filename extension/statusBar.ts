// The status bar item: one place that owns the item and renders the current server state into it.
import * as vscode from 'vscode';
import { ClientCommands } from './protocol';
import { statusView, type ServerState } from './statusView';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('parlens.status', vscode.StatusBarAlignment.Left, 0);
  private state: ServerState = { kind: 'starting' };

  constructor() {
    this.item.name = 'Parlens';
    this.item.command = ClientCommands.showOutput;
    this.render();
    this.item.show();
  }

  set(state: ServerState): void {
    this.state = state;
    this.render();
  }

  /** Trust changes the tooltip (whether profile runs are available), so it re-renders. */
  render(): void {
    const view = statusView(this.state, vscode.workspace.isTrusted);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    // Screen readers (and the e2e test) read the state from the label; the icon alone says nothing to them.
    this.item.accessibilityInformation = { label: view.tooltip.replace(/\s+/g, ' ').trim(), role: 'button' };
    this.item.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
