// The analysis worker thread: keeps one incremental analysis per open document and analyses workspace files, so
// the server's main thread stays free to answer (and cancel) requests while the analyzer runs.
import { parentPort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { analyzeSource, findParallelAnnotations, startAnalysis, updateAnalysis, type IncrementalState } from '../core/index';
import { parseSource } from '../core/syntax/parse';
import type { Finding } from '../core/index';
import type { DocumentResult, FileResult, FindingsDelta, FromWorker, ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('analysisWorker must run as a worker thread of the Parlens language server');

const states = new Map<string, IncrementalState>();
/** The newest text per document; older versions still queued are skipped (stale results are never computed). */
const pending = new Map<string, Extract<ToWorker, { type: 'update' }>>();
const files: Extract<ToWorker, { type: 'file' }>[] = [];
let scheduled = false;
/** The newest text per document, which the main thread's edits apply to. */
const texts = new Map<string, string>();
/** Per document, the findings of the last result posted and that message's number: the base of the next delta. */
const posted = new Map<string, { seq: number; findings: readonly Finding[] }>();
let nextSeq = 1;

port.on('message', (message: ToWorker) => {
  if (message.type === 'update') {
    texts.set(message.uri, message.text);
    pending.set(message.uri, message);
  } else if (message.type === 'edit') {
    const base = texts.get(message.uri);
    if (base === undefined) throw new Error(`analysisWorker: an edit of ${message.uri}, whose text it never got`);
    const text = base.slice(0, message.start) + message.insert + base.slice(message.end);
    texts.set(message.uri, text);
    pending.set(message.uri, { type: 'update', uri: message.uri, fileName: message.fileName, version: message.version, text });
  } else if (message.type === 'close') {
    pending.delete(message.uri);
    states.delete(message.uri);
    texts.delete(message.uri);
    posted.delete(message.uri);
  } else {
    files.push(message);
  }
  schedule();
});

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  // setImmediate lets every message already queued arrive first, so a burst of edits is analysed once.
  setImmediate(drain);
}

function drain(): void {
  scheduled = false;
  // Open documents first: they are what the user looks at. One workspace file per turn, then look at the queue again.
  const updates = [...pending.values()];
  pending.clear();
  for (const update of updates) postDocument(analyseDocument(update));
  const file = files.shift();
  if (file) post({ type: 'file', ...analyseFile(file) });
  if (pending.size > 0 || files.length > 0) schedule();
}

function analyseDocument(update: Extract<ToWorker, { type: 'update' }>): DocumentResult {
  const started = performance.now();
  const base = { uri: update.uri, version: update.version };
  try {
    const previous = states.get(update.uri);
    const state = previous ? updateAnalysis(previous, update.text) : startAnalysis(update.fileName, update.text);
    states.set(update.uri, state);
    return {
      ...base, report: state.report, annotations: findParallelAnnotations(state.sourceFile),
      ms: performance.now() - started, reanalysedUnits: state.stats.reanalysedUnits, reusedUnits: state.stats.reusedUnits,
    };
  } catch (error) {
    states.delete(update.uri);
    return { ...base, ...failed(update.fileName, error), ms: performance.now() - started, reanalysedUnits: 0, reusedUnits: 0 };
  }
}

function analyseFile(job: Extract<ToWorker, { type: 'file' }>): FileResult {
  try {
    const text = readFileSync(job.path, 'utf8');
    const report = analyzeSource(job.path, text);
    return { id: job.id, path: job.path, report, annotations: findParallelAnnotations(parseSource(job.path, text)) };
  } catch (error) {
    return { id: job.id, path: job.path, ...failed(job.path, error) };
  }
}

function failed(fileName: string, error: unknown): { report: DocumentResult['report']; annotations: []; failure: string } {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code ? `cannot read the file (${code})` : `the analyzer failed (${(error as Error)?.message ?? String(error)})`;
  return { report: { file: fileName, findings: [], errors: [] }, annotations: [], failure: reason };
}

/** Posts a result with its findings as a delta against the last result posted for the document. */
function postDocument(result: DocumentResult): void {
  const { report: { findings, ...report }, ...rest } = result;
  const seq = nextSeq++;
  const findingsDelta = delta(posted.get(result.uri), findings);
  posted.set(result.uri, { seq, findings });
  post({ type: 'document', ...rest, seq, report, findings: findingsDelta });
}

/** Runs of `findings` that are (the same objects as) consecutive findings of `previous`, and the new ones in between. */
function delta(previous: { seq: number; findings: readonly Finding[] } | undefined, findings: Finding[]): FindingsDelta {
  if (!previous) return { base: undefined, parts: [findings] };
  const index = new Map<Finding, number>();
  previous.findings.forEach((f, i) => index.set(f, i));
  const parts: FindingsDelta['parts'] = [];
  let run: { from: number; to: number } | undefined;
  let fresh: Finding[] | undefined;
  for (const f of findings) {
    const i = index.get(f);
    if (i === undefined) {
      run = undefined;
      if (!fresh) parts.push((fresh = []));
      fresh.push(f);
    } else if (run && run.to === i) {
      run.to++;
    } else {
      fresh = undefined;
      parts.push((run = { from: i, to: i + 1 }));
    }
  }
  return { base: previous.seq, parts };
}

function post(message: FromWorker): void {
  port!.postMessage(message);
}
