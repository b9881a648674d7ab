// Feeds the status bar from the client's lifecycle and the server's `parlens/status` notification, and logs
// server crashes to the output channel. Restarting a crashed server is the client's default error handler's job
// (a few restarts, then it gives up with its own message).
import type * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { isStatusParams, StatusNotification } from './protocol';
import type { StatusBar } from './statusBar';

export class ServerWatch implements vscode.Disposable {
  private stopRequested = false;
  private crashes = 0;
  private readonly listeners: vscode.Disposable[];

  constructor(client: LanguageClient, statusBar: StatusBar, private readonly output: vscode.LogOutputChannel) {
    this.listeners = [
      client.onDidChangeState(({ oldState, newState }) => {
        if (newState === State.Starting) {
          statusBar.set({ kind: 'starting' });
        } else if (newState === State.Running) {
          statusBar.set({ kind: 'running', status: { state: 'idle', detail: 'Parlens: ready.' }, crashes: this.crashes });
        } else if (newState === State.StartFailed) {
          this.output.error('The Parlens language server failed to start.');
          statusBar.set({ kind: 'stopped', reason: 'it failed to start (see the output).' });
        } else if (newState === State.Stopped && oldState === State.Running && !this.stopRequested) {
          // Stopped without our asking: the server process died. If the client restarts it, the Starting and
          // Running transitions above replace this state.
          this.crashes += 1;
          this.output.error('The Parlens language server stopped unexpectedly (it crashed or exited).');
          statusBar.set({ kind: 'stopped', reason: 'it crashed or exited (see the output).' });
        }
      }),
      client.onNotification(StatusNotification, (params: unknown) => {
        if (isStatusParams(params)) statusBar.set({ kind: 'running', status: params, crashes: this.crashes });
        else this.output.warn(`Ignored a ${StatusNotification} notification with unexpected content: ${JSON.stringify(params)}`);
      }),
    ];
  }

  /** Called before an intentional stop (deactivation), so it is not reported as a crash. */
  expectStop(): void {
    this.stopRequested = true;
  }

  dispose(): void {
    for (const listener of this.listeners) listener.dispose();
  }
}
