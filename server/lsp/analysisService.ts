// The main thread's side of the analysis worker: sends document versions, caches the newest result per document,
// and lets request handlers wait for the result of exactly the version they were asked about (or give up on cancel).
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { CancellationToken } from 'vscode-languageserver';
import type { Finding } from '../core/index';
import type { DocumentResult, FileResult, FindingsDelta, FromWorker, ToWorker } from './protocol';

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
  /** The text each result in `results` was made from. */
  private readonly texts = new Map<string, string>();
  /** The version each open document is at, with its text: what the worker is (re)told after a restart. */
  private readonly latest = new Map<string, Extract<ToWorker, { type: 'update' }>>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** The text the worker has for each document: the next update is sent as an edit of it. */
  private readonly sent = new Map<string, string>();
  /** The findings of the last result the worker posted per document (stale ones included): the base of its deltas. */
  private readonly received = new Map<string, { seq: number; findings: Finding[] }>();
  private readonly fileJobs = new Map<number, (result: FileResult) => void>();
  private nextFileJob = 1;
  private stopping = false;

  constructor(private readonly events: AnalysisEvents, private readonly workerPath = defaultWorkerPath()) {}

  update(uri: string, fileName: string, version: number, text: string): void {
    const message: ToWorker = { type: 'update', uri, fileName, version, text };
    this.latest.set(uri, message);
    const sent = this.worker ? this.sent.get(uri) : undefined;
    this.sent.set(uri, text);
    if (sent === undefined) {
      this.post(message);
      return;
    }
    // Only the changed part travels: a keystroke in a 5,000-line file is a few characters, not the whole text.
    const { start, tail } = commonEnds(sent, text);
    this.post({ type: 'edit', uri, fileName, version, start, end: sent.length - tail, insert: text.slice(start, text.length - tail) });
  }

  close(uri: string): void {
    this.sent.delete(uri);
    this.received.delete(uri);
    this.latest.delete(uri);
    this.results.delete(uri);
    this.texts.delete(uri);
    this.settle(uri, undefined);
    this.post({ type: 'close', uri });
  }

  /** The newest result whatever its version (for diagnostics already published). */
  current(uri: string): DocumentResult | undefined {
    return this.results.get(uri);
  }

  /** The newest result with the text it was made from (the document may have moved on since). */
  currentWithText(uri: string): { result: DocumentResult; text: string } | undefined {
    const result = this.results.get(uri);
    const text = this.texts.get(uri);
    return result && text !== undefined ? { result, text } : undefined;
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
      // The new worker has no texts and has posted nothing: everything goes whole.
      this.sent.clear();
      this.received.clear();
      for (const message of this.latest.values()) {
        this.sent.set(message.uri, message.text);
        this.post(message);
      }
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
    const { type: _type, seq, findings: delta, report: rest, ...fields } = message;
    const findings = this.findingsOf(fields.uri, delta);
    if (!findings) {
      // Cannot happen while both sides keep to the protocol; if it does, ask for the whole result again.
      this.events.log(`Parlens: lost track of the findings of ${fields.uri}; re-analysing it.`);
      this.received.delete(fields.uri);
      const latest = this.latest.get(fields.uri);
      if (latest) {
        this.post({ type: 'close', uri: fields.uri });
        this.sent.set(fields.uri, latest.text);
        this.post(latest);
      }
      return;
    }
    this.received.set(fields.uri, { seq, findings });
    const result: DocumentResult = { ...fields, report: { ...rest, findings } };
    const open = this.latest.get(result.uri);
    // A result for a closed document or an older version than the one now open is stale: drop it.
    if (!open || open.version !== result.version) return;
    this.results.set(result.uri, result);
    this.texts.set(result.uri, open.text);
    this.settle(result.uri, result);
    this.events.onResult(result);
  }

  /** The findings a delta stands for, or undefined when its base is not the last result received. */
  private findingsOf(uri: string, delta: FindingsDelta): Finding[] | undefined {
    const base = this.received.get(uri);
    if (delta.base !== undefined && base?.seq !== delta.base) return undefined;
    const findings: Finding[] = [];
    for (const part of delta.parts) {
      if (Array.isArray(part)) {
        for (const f of part) findings.push(f);
      } else {
        for (let i = part.from; i < part.to; i++) findings.push(base!.findings[i]);
      }
    }
    return findings;
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

/**
 * The lengths of the common prefix and suffix of two texts (not overlapping). Compared in blocks first: slicing
 * flattens the rope a TextDocument's edits leave behind, and equal blocks compare as memory, not character by character.
 */
export function commonEnds(a: string, b: string): { start: number; tail: number } {
  const shorter = Math.min(a.length, b.length);
  const BLOCK = 4096;
  let start = 0;
  while (start + BLOCK <= shorter && a.slice(start, start + BLOCK) === b.slice(start, start + BLOCK)) start += BLOCK;
  while (start < shorter && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let tail = 0;
  while (tail + BLOCK <= shorter - start && a.slice(a.length - tail - BLOCK, a.length - tail) === b.slice(b.length - tail - BLOCK, b.length - tail)) tail += BLOCK;
  while (tail < shorter - start && a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)) tail++;
  return { start, tail };
}

/** dist/server.js and dist/cli.js both sit next to dist/analysis-worker.js. */
function defaultWorkerPath(): string {
  const path = join(__dirname, 'analysis-worker.js');
  if (!existsSync(path)) throw new Error(`Parlens: the analysis worker ${path} is missing; rebuild with 'npm run build'.`);
  return path;
}
