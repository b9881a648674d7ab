// Builds the language client: the server is dist/server.js, a Node module started over IPC. No middleware: the
// server owns lenses, hovers, diagnostics and code actions; the client only forwards.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

const languages = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'];
// Untitled buffers are analysed too: the analysis reads only the text the editor sends.
const schemes = ['file', 'untitled'];

export function serverModulePath(extensionPath: string): string {
  return path.join(extensionPath, 'dist', 'server.js');
}

export function createLanguageClient(extensionPath: string, output: vscode.LogOutputChannel): LanguageClient {
  const module = serverModulePath(extensionPath);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    // Debug mode (extension development host) lets a debugger attach to the server.
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: languages.flatMap((language) => schemes.map((scheme) => ({ scheme, language }))),
    // Settings under `parlens.*` reach the server as workspace/didChangeConfiguration.
    synchronize: { configurationSection: 'parlens' },
    // One channel for the server's log and the `parlens.trace.server` message trace, so a bug report needs one paste.
    outputChannel: output,
    traceOutputChannel: output,
  };
  // The id `parlens` makes the client read `parlens.trace.server` for its trace level.
  return new LanguageClient('parlens', 'Parlens', serverOptions, clientOptions);
}
