// `parlens.trace.server` picks how much of the LSP message trace is written, but vscode-languageclient 11 writes the
// trace only while the Parlens output channel's log level is Trace. Without this hint, turning the setting on
// seems to do nothing; this tells the user the second switch.
import * as vscode from 'vscode';

const setting = 'parlens.trace.server';

export function watchTraceSetting(output: vscode.LogOutputChannel): vscode.Disposable {
  const check = () => {
    const trace = vscode.workspace.getConfiguration().get<string>(setting, 'off');
    if (trace !== 'off' && output.logLevel !== vscode.LogLevel.Trace) {
      output.warn(`${setting} is "${trace}": the message trace appears here once this channel's log level is Trace (the gear icon of the Output panel, or "Developer: Set Log Level…" → Parlens → Trace).`);
    }
  };
  check();
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(setting)) check();
    }),
  );
}
