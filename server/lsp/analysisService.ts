// The main thread's side of the analysis worker: sends document versions, caches the newest result per document,
// and lets request handlers wait for the result of exactly the version they were asked about (or give up on cancel).
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { CancellationToken } from 'vscode-languageserver';
import type { DocumentResult, FileResult, FromWorker, ToWorker } from './protocol';

interface Waiter {
  version: number;
  resolve: (result: DocumentResult | undefined) => void;
}

export interface AnalysisEvents {
  /** A fresh result for the document's current version. */
  onResult(result: DocumentResult): void;
  log(message: string): void;
}

export class AnalysisService {
  private worker: Worker | undefined;
  private readonly results = new Map<string, DocumentResult>();
  /** The version each open document is at, with its text: what the worker is (re)told after a restart. */
  private readonly latest = new Map<string, Extract<ToWorker, { type: 'update' }>>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly fileJobs = new Map<number, (result: FileResult) => void>();
  private nextFileJob = 1;
  private stopping = false;

  constructor(private readonly events: AnalysisEvents, private readonly workerPath = defaultWorkerPath()) {}

  update(uri: string, fileName: string, version: number, text: string): void {
    const message: ToWorker = { type: 'update', uri, fileName, version, text };
    this.latest.set(uri, message);
    this.post(message);
  }

  close(uri: string): void {
    this.latest.delete(uri);
    this.results.delete(uri);
    this.settle(uri, undefined);
    this.post({ type: 'close', uri });
  }

  /** The newest result whatever its version (for diagnostics already published). */
  current(uri: string): DocumentResult | undefined {
    return this.results.get(uri);
  }

  /**
   * The result for `version`; waits for the worker if it is not there yet. Undefined when the request is cancelled,
   * the document closes, or a newer version supersedes this one (a stale result is never returned).
   */
  resultFor(uri: string, version: number, token?: CancellationToken): Promise<DocumentResult | undefined> {
    const have = this.results.get(uri);
    if (have && have.version === version) return Promise.resolve(have);
    if (have && have.version > version) return Promise.resolve(undefined);
    if (!this.latest.has(uri)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiter: Waiter = { version, resolve };
      const list = this.waiters.get(uri) ?? [];
      list.push(waiter);
      this.waiters.set(uri, list);
      token?.onCancellationRequested(() => {
        const left = (this.waiters.get(uri) ?? []).filter((w) => w !== waiter);
        this.waiters.set(uri, left);
        resolve(undefined);
      });
    });
  }

  /** Analyses a file on disk (workspace analysis); never rejects. */
  analyzeFile(path: string): Promise<FileResult> {
    const id = this.nextFileJob++;
    return new Promise((resolve) => {
      this.fileJobs.set(id, resolve);
      this.post({ type: 'file', id, path });
    });
  }

  dispose(): void {
    this.stopping = true;
    void this.worker?.terminate();
  }

  private post(message: ToWorker): void {
    this.ensureWorker().postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerPath);
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error) => this.events.log(`Parlens analysis worker failed: ${error.message}; restarting it.`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.stopping) return;
      this.events.log(`Parlens analysis worker exited (code ${code}); restarting it and re-analysing the open documents.`);
      // Files in flight are lost with the worker: answer them empty rather than leave the workspace run hanging.
      for (const [id, resolve] of this.fileJobs) resolve({ id, path: '', report: { file: '', findings: [], errors: [] }, annotations: [], failure: 'the analysis worker stopped' });
      this.fileJobs.clear();
      for (const message of this.latest.values()) this.post(message);
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private receive(message: FromWorker): void {
    if (message.type === 'file') {
      const { type: _type, ...result } = message;
      this.fileJobs.get(message.id)?.(result);
      this.fileJobs.delete(message.id);
      return;
    }
    const { type: _type, ...result } = message;
    const open = this.latest.get(result.uri);
    // A result for a closed document or an older version than the one now open is stale: drop it.
    if (!open || open.version !== result.version) return;
    this.results.set(result.uri, result);
    this.settle(result.uri, result);
    this.events.onResult(result);
  }

  private settle(uri: string, result: DocumentResult | undefined): void {
    const list = this.waiters.get(uri);
    if (!list) return;
    const keep: Waiter[] = [];
    for (const w of list) {
      if (!result) w.resolve(undefined);
      else if (w.version === result.version) w.resolve(result);
      else if (w.version < result.version) w.resolve(undefined);
      else keep.push(w);
    }
    if (keep.length > 0) this.waiters.set(uri, keep);
    else this.waiters.delete(uri);
  }
}

/** dist/server.js and dist/cli.js both sit next to dist/analysis-worker.js. */
function defaultWorkerPath(): string {
  const path = join(__dirname, 'analysis-worker.js');
  if (!existsSync(path)) throw new Error(`Parlens: the analysis worker ${path} is missing; rebuild with 'npm run build'.`);
  return path;
}
