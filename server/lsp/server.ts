// The Parlens language server: wires documents, settings and the analysis worker to the LSP features. Each feature
// lives in its own module (lenses, hovers, diagnostics, codeActions, workspaceAnalysis); this file only connects them.
import { fileURLToPath } from 'node:url';
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, CodeActionKind, ResponseError, LSPErrorCodes,
  type CancellationToken, type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisService } from './analysisService';
import { codeActions } from './codeActions';
import { diagnosticsFor } from './diagnostics';
import { isExcluded } from './glob';
import { hoverAt } from './hovers';
import { codeLenses, forgetLenses, resolveLens, decodeLensData } from './lenses';
import type { DocumentResult } from './protocol';
import { SettingsStore, workerCount } from './settings';
import { analyzeWorkspace } from './workspaceAnalysis';

export const ANALYZE_WORKSPACE_COMMAND = 'parlens.server.analyzeWorkspace';
const languages = new Set(['typescript', 'javascript', 'typescriptreact', 'javascriptreact']);
const extensions: Record<string, string> = { typescript: '.ts', javascript: '.js', typescriptreact: '.tsx', javascriptreact: '.jsx' };

/** Starts the server on the transport named in argv (`--stdio`, `--node-ipc`, ...), or on `connection` when given. */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  let roots: string[] = [];
  let canAskSettings = false;
  let canRefreshLenses = false;
  let canAskFolders = false;
  const settings = new SettingsStore(connection, () => canAskSettings);
  /** Documents whose newest version is not analysed yet: the status bar shows "analyzing" while any are. */
  const waiting = new Set<string>();
  const lastErrors = new Map<string, string>();

  const status = (state: 'idle' | 'analyzing', detail: string): void => {
    void connection.sendNotification('parlens/status', { state, detail });
  };

  const analysis = new AnalysisService({
    onResult(result) {
      waiting.delete(result.uri);
      logProblems(result);
      publishSoon(result.uri);
      if (waiting.size === 0) status('idle', `${result.report.findings.length} findings in ${shortName(result.uri)} (${result.ms.toFixed(0)} ms)`);
    },
    log: (message) => connection.console.error(message),
  });

  function logProblems(result: DocumentResult): void {
    // One line per distinct problem, not one per keystroke.
    const problems = [result.failure, ...result.report.errors.filter((e) => !e.startsWith('syntax errors'))].filter(Boolean).join('; ');
    if (problems && lastErrors.get(result.uri) !== problems) {
      connection.console.error(`Parlens: ${shortName(result.uri)}: ${result.failure ? `no findings: ${problems}` : problems}`);
    }
    lastErrors.set(result.uri, problems);
  }

  function excluded(uri: string): boolean {
    return uri.startsWith('file:') && isExcluded(fileURLToPath(uri), settings.current.exclude, roots);
  }

  function wanted(doc: TextDocument): boolean {
    return languages.has(doc.languageId) && !excluded(doc.uri);
  }

  function analyse(doc: TextDocument): void {
    if (!wanted(doc)) {
      analysis.close(doc.uri);
      void connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
      return;
    }
    waiting.add(doc.uri);
    status('analyzing', shortName(doc.uri));
    analysis.update(doc.uri, fileNameOf(doc), doc.version, doc.getText());
  }

  /**
   * Requests that waited for this result (lenses, hovers, code actions) are answered first: their handlers run in the
   * microtasks after the result arrives and queue their responses on the next check phase; the diagnostics (hundreds
   * of them in a large file, the largest message per edit) are built and written one turn later.
   */
  const publishing = new Set<string>();
  function publishSoon(uri: string): void {
    if (publishing.has(uri)) return;
    publishing.add(uri);
    setImmediate(() => setImmediate(() => {
      publishing.delete(uri);
      publish(uri);
    }));
  }

  function publish(uri: string): void {
    const doc = documents.get(uri);
    const result = analysis.current(uri);
    if (!doc || !result || result.version !== doc.version) return;
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: diagnosticsFor(result, doc, settings.current) });
  }

  /** The result for the document's current version, or a cancellation error for the client. */
  async function resultNow(uri: string, token: CancellationToken): Promise<{ doc: TextDocument; result: DocumentResult } | undefined> {
    const doc = documents.get(uri);
    if (!doc || !wanted(doc)) return undefined;
    const result = await analysis.resultFor(uri, doc.version, token);
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    // Edited while we waited: this answer would be stale; the client asks again for the new version.
    const now = documents.get(uri);
    if (!result || !now || now.version !== result.version) {
      throw new ResponseError(LSPErrorCodes.ContentModified, 'the document changed during the analysis');
    }
    return { doc: now, result };
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    canAskSettings = caps.workspace?.configuration === true;
    canRefreshLenses = caps.workspace?.codeLens?.refreshSupport === true;
    canAskFolders = caps.workspace?.workspaceFolders === true;
    roots = (params.workspaceFolders ?? []).map((f) => f.uri).concat(params.workspaceFolders ? [] : params.rootUri ? [params.rootUri] : [])
      .filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeLensProvider: { resolveProvider: true },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: [ANALYZE_WORKSPACE_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'parlens' },
    };
  });

  connection.onInitialized(async () => {
    await settings.refresh();
    if (canAskFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(async () => { roots = await currentRoots(); });
    }
    // Documents opened before the settings arrived: clear the ones now excluded, re-render the rest.
    for (const doc of documents.all()) {
      if (!wanted(doc)) analyse(doc);
      else publish(doc.uri);
    }
    if (waiting.size === 0) status('idle', 'ready');
  });

  async function currentRoots(): Promise<string[]> {
    if (!canAskFolders) return roots;
    const folders = (await connection.workspace.getWorkspaceFolders()) ?? [];
    return folders.map((f) => f.uri).filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
  }

  connection.onDidChangeConfiguration(async (change) => {
    await settings.refresh(change.settings);
    // Exclusions may have changed: analyse what is now wanted, clear what is not; re-render the rest.
    for (const doc of documents.all()) {
      if (!wanted(doc)) analyse(doc);
      else if (!analysis.current(doc.uri)) analyse(doc);
      else publish(doc.uri);
    }
    if (canRefreshLenses) void connection.sendRequest('workspace/codeLens/refresh');
  });

  // onDidChangeContent also fires when a document opens.
  documents.onDidChangeContent((e) => analyse(e.document));
  documents.onDidClose((e) => {
    waiting.delete(e.document.uri);
    lastErrors.delete(e.document.uri);
    forgetLenses(e.document.uri);
    analysis.close(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCodeLens(async (params, token) => {
    const found = await resultNow(params.textDocument.uri, token);
    return found ? codeLenses(found.result, found.doc, settings.current) : [];
  });

  // Against the newest result, whatever version the lens was listed for: never an error (the client would pop it up).
  connection.onCodeLensResolve((lens) => {
    const uri = decodeLensData(lens.data)?.uri;
    const analysed = typeof uri === 'string' ? analysis.currentWithText(uri) : undefined;
    const doc = typeof uri === 'string' ? documents.get(uri) : undefined;
    return resolveLens(lens, analysed && { ...analysed, languageId: doc?.languageId ?? 'typescript', doc }, settings.current, workerCount(settings.current));
  });

  connection.onHover(async (params, token) => {
    const found = await resultNow(params.textDocument.uri, token);
    return found ? hoverAt(found.result, found.doc, params.position, settings.current, workerCount(settings.current)) : null;
  });

  connection.onCodeAction(async (params, token) => {
    const found = await resultNow(params.textDocument.uri, token);
    return found ? codeActions(found.result, found.doc, params.range, settings.current, workerCount(settings.current)) : [];
  });

  connection.onExecuteCommand(async (params, token) => {
    if (params.command !== ANALYZE_WORKSPACE_COMMAND) {
      throw new ResponseError(-32601, `Parlens has no command '${params.command}'; the server runs only ${ANALYZE_WORKSPACE_COMMAND}.`);
    }
    roots = await currentRoots();
    return analyzeWorkspace({
      connection, analysis, settings: () => settings.current, roots: async () => roots,
      openResult: (uri) => {
        const doc = documents.get(uri);
        const result = analysis.current(uri);
        return doc && result && result.version === doc.version ? result : undefined;
      },
      status,
    }, token);
  });

  connection.onShutdown(() => analysis.dispose());
  documents.listen(connection);
  connection.listen();
  return connection;
}

function fileNameOf(doc: TextDocument): string {
  if (doc.uri.startsWith('file:')) return fileURLToPath(doc.uri);
  // Untitled buffers: the language decides how the text is parsed (TSX, JS, ...).
  return `${doc.uri.replace(/[^\w.-]+/g, '_')}${extensions[doc.languageId] ?? '.ts'}`;
}

function shortName(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}
