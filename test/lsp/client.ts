// A small LSP client for the protocol tests and the benchmark: starts the REAL built server (dist/server.js or
// `dist/cli.js lsp --stdio`) as a child process and talks JSON-RPC to it over stdio.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection, CancellationTokenSource, ProgressType } from 'vscode-jsonrpc/node';

export const ROOT = resolve(__dirname, '..', '..');

export interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  source: string;
  message: string;
  codeDescription?: { href: string };
}

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };
/** A lens as listed (range and data, no command) or as resolved (with its command). */
export interface Lens { range: Range; command?: { title: string; command: string; arguments?: unknown[] }; data?: unknown }
export interface ResolvedLens extends Lens { command: { title: string; command: string; arguments?: unknown[] } }

export class TestClient {
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, Diag[]>();
  readonly notifications: { method: string; params: any }[] = [];
  readonly logs: string[] = [];
  settings: Record<string, unknown> = {};
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private listeners: (() => void)[] = [];

  private constructor(readonly child: ChildProcess) {
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    this.connection.onNotification((method, params: any) => {
      this.notifications.push({ method, params });
      if (method === 'textDocument/publishDiagnostics') this.diagnostics.set(params.uri, params.diagnostics);
      if (method === 'window/logMessage') this.logs.push(params.message);
      for (const l of this.listeners) l();
    });
    this.connection.onRequest('workspace/configuration', (params: any) => params.items.map((item: any) => (item.section === 'parlens' ? this.settings : null)));
    // vscode-jsonrpc routes $/progress to handlers registered per token, never to the catch-all notification handler.
    this.connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      this.connection.onProgress(new ProgressType<any>(), params.token, (value) => {
        this.notifications.push({ method: '$/progress', params: { token: params.token, value } });
        for (const l of this.listeners) l();
      });
      return null;
    });
    this.connection.onRequest('workspace/codeLens/refresh', () => null);
    this.connection.onRequest('workspace/workspaceFolders', () => this.folders);
    this.connection.listen();
  }

  folders: { uri: string; name: string }[] = [];

  /** `server`: dist/server.js --stdio; `cli`: dist/cli.js lsp --stdio. */
  static async start(how: 'server' | 'cli' = 'server', options: { folder?: string; settings?: Record<string, unknown> } = {}): Promise<TestClient> {
    const args = how === 'server' ? [resolve(ROOT, 'dist/server.js'), '--stdio'] : [resolve(ROOT, 'dist/cli.js'), 'lsp', '--stdio'];
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const client = new TestClient(child);
    client.settings = options.settings ?? {};
    if (options.folder) client.folders = [{ uri: pathToFileURL(options.folder).href, name: 'ws' }];
    await client.connection.sendRequest('initialize', {
      processId: process.pid, rootUri: null, workspaceFolders: client.folders.length > 0 ? client.folders : null,
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, codeLens: { refreshSupport: true } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
    });
    client.connection.sendNotification('initialized', {});
    return client;
  }

  open(uri: string, text: string, languageId = 'typescript'): void {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text (or a range of it when `range` is given), as an editor would send it. */
  change(uri: string, text: string, range?: { start: { line: number; character: number }; end: { line: number; character: number } }): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    if (!range) this.texts.set(uri, text);
    else this.texts.set(uri, applyEdits(this.texts.get(uri)!, [{ range, newText: text }]));
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version }, contentChanges: [range ? { range, text } : { text }],
    });
    return version;
  }

  text(uri: string): string {
    return this.texts.get(uri)!;
  }

  /** The lens list as the server sends it: ranges and data, commands filled in by `resolveLens`. */
  lensList(uri: string): Promise<Lens[]> {
    return this.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
  }

  resolveLens(lens: Lens): Promise<ResolvedLens> {
    return this.connection.sendRequest('codeLens/resolve', lens);
  }

  /** The lens list with every lens resolved, as an editor showing all of them would have it. */
  async lenses(uri: string): Promise<ResolvedLens[]> {
    const list = await this.lensList(uri);
    return Promise.all(list.map((l) => (l.command ? (l as ResolvedLens) : this.resolveLens(l))));
  }

  hover(uri: string, line: number, character: number): Promise<{ contents: { kind: string; value: string } } | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  codeActions(uri: string, line: number): Promise<any[]> {
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character: 0 } }, context: { diagnostics: [] },
    });
  }

  changeSettings(settings: Record<string, unknown>): void {
    this.settings = settings;
    void this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { parlens: settings } });
  }

  /** Resolves when `check` holds after some notification (or right away); rejects after `ms`. */
  waitFor<T>(check: () => T | undefined | false, ms = 20_000, what = 'condition'): Promise<T> {
    return new Promise((resolvePromise, reject) => {
      const first = check();
      if (first) { resolvePromise(first); return; }
      const timer = setTimeout(() => { this.listeners = this.listeners.filter((l) => l !== listener); reject(new Error(`timed out waiting for ${what}`)); }, ms);
      const listener = (): void => {
        const v = check();
        if (!v) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolvePromise(v);
      };
      this.listeners.push(listener);
    });
  }

  cancellable<T>(method: string, params: unknown): { promise: Promise<T>; cancel: () => void } {
    const source = new CancellationTokenSource();
    return { promise: this.connection.sendRequest<T>(method, params, source.token), cancel: () => source.cancel() };
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; killing it below is what matters.
    }
    await new Promise((r) => setTimeout(r, 100));
    this.connection.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}

export function applyEdits(text: string, edits: { range: Diag['range']; newText: string }[]): string {
  const offsetAt = (p: { line: number; character: number }): number => {
    let at = 0;
    for (let l = 0; l < p.line; l++) at = text.indexOf('\n', at) + 1;
    return at + p.character;
  };
  const resolved = edits.map((e) => ({ start: offsetAt(e.range.start), end: offsetAt(e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of resolved) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}
