// bench:lsp — the language server over stdio, as an editor uses it: a generated 5,000-line file (loops of every
// verdict, async functions), time from open to code lenses, then from a one-line edit to the fresh lens list (50 edits),
// and to the list plus a resolved screenful (the 50 lenses around the edited line, resolved concurrently, as VS Code
// resolves the visible ones); the same for 50 typed characters (edits that move everything below them). Prints a table and writes bench/results/lsp.md. Goal: p95 <= 50 ms after an edit.
//
// Node flags for the server process go after `--`: `node bench/lsp.mjs -- --cpu-prof --cpu-prof-dir=/tmp/prof`
// (the analysis worker thread writes its own profile next to the main thread's).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import rpc from 'vscode-jsonrpc/node';

const LINES = 5000;
const EDITS = 50;
const SCREENFUL = 50;
const STALE = /out of date/;
const dash = process.argv.indexOf('--');
const nodeFlags = dash >= 0 ? process.argv.slice(dash + 1) : [];

function generate(lines) {
  const out = [];
  for (let n = 0; out.length < lines; n++) {
    switch (n % 7) {
      case 0: out.push(`export function par${n}(a: number[], b: number[]) {`, '  for (let i = 0; i < a.length; i++) {', '    a[i] = b[i] * 2 + 1;', '  }', '}', ''); break;
      case 1: out.push(`export function seq${n}(a: number[]) {`, '  for (let i = 1; i < a.length; i++) {', '    a[i] = a[i - 1] + 1;', '  }', '}', ''); break;
      case 2: out.push(`export function sum${n}(a: number[]) {`, '  let s = 0;', '  for (const x of a) {', '    s += x * 2;', '  }', '  return s;', '}', ''); break;
      case 3: out.push(`export function unk${n}(a: number[], f: (x: number) => number) {`, '  for (let i = 0; i < a.length; i++) {', '    a[i] = f(a[i]);', '  }', '}', ''); break;
      case 4: out.push(`export function map${n}(rows: number[][]) {`, '  return rows.map((r) => r.length * 2);', '}', ''); break;
      case 5: out.push(`export async function io${n}(get: (s: string) => Promise<number>, keys: string[]) {`, "  const x = await get('a');", "  const y = await get('b');", '  for (const k of keys) {', '    await get(k);', '  }', '  return x + y;', '}', ''); break;
      case 6: out.push(`export function scan${n}(a: number[]) {`, '  let i = 0;', '  while (i < a.length && a[i] > 0) {', '    i++;', '  }', '  return i;', '}', ''); break;
    }
  }
  return out.join('\n') + '\n';
}

const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const median = (xs) => quantile(xs, 0.5);

const child = spawn(process.execPath, [...nodeFlags, 'dist/server.js', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const exited = new Promise((resolve) => child.on('exit', resolve));
const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
connection.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
/** The server reports each analysis's worker time in its idle status ("… (12 ms)"): the analysis share of an edit. */
const workerMs = [];
connection.onNotification('parlens/status', (p) => { const m = /\((\d+) ms\)$/.exec(p.detail); if (p.state === 'idle' && m) workerMs.push(Number(m[1])); });
/** The size of the last diagnostics publication: the other large message the server writes after each edit. */
let diagnosticsBytes = 0;
let diagnosticsCount = 0;
connection.onNotification('textDocument/publishDiagnostics', (p) => { if (diagnosticsBytes === 0) { diagnosticsBytes = JSON.stringify(p).length; diagnosticsCount = p.diagnostics.length; } });
connection.listen();
await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
connection.sendNotification('initialized', {});

const text = generate(LINES);
const lines = text.split('\n');
const uri = 'file:///bench/generated.ts';
let t = performance.now();
connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
const firstLenses = await connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
const first = performance.now() - t;
const listBytes = JSON.stringify(firstLenses).length;
// A lens that comes with its command needs no resolve (a server without resolveProvider sends them all that way).
const resolve = (lens) => (lens.command ? lens : connection.sendRequest('codeLens/resolve', lens));
const firstResolved = await Promise.all(firstLenses.map(resolve));
const resolvedBytes = JSON.stringify(firstResolved).length;
if (firstResolved.some((l) => !l.command || STALE.test(l.command.title))) throw new Error('a lens of the first listing did not resolve');

// One-line edits inside loop bodies spread over the file: `b[i] * 2 + 1` → `b[i] * 3 + 1` (same length, one line).
// (Until 2026-11-21 every second edit rewrote `* 2` as `* 2`: a no-op the worker answered from its cache.)
// Then typing: one character inserted per edit (`+ 1;` → `+ 10;`), which moves every finding below it by an offset.
const targets = lines.map((l, i) => (l.includes('a[i] = b[i] * 2 + 1;') ? i : -1)).filter((i) => i >= 0);
let version = 1;

async function edits(kind) {
  const times = [];
  const screenTimes = [];
  const worker = [];
  for (let e = 0; e < EDITS; e++) {
    const line = targets[Math.floor((e * targets.length) / EDITS)];
    let change;
    if (kind === 'replace') {
      // Every edit changes the text: `* 2` becomes `* 3` (or back, when a line comes round again).
      const was = lines[line].includes('* 2') ? '* 2' : '* 3';
      const from = lines[line].indexOf(was);
      change = { range: { start: { line, character: from }, end: { line, character: from + 3 } }, text: was === '* 2' ? '* 3' : '* 2' };
      lines[line] = lines[line].replace(was, change.text);
    } else {
      const at = lines[line].lastIndexOf(';');
      change = { range: { start: { line, character: at }, end: { line, character: at } }, text: '0' };
      lines[line] = `${lines[line].slice(0, at)}0${lines[line].slice(at)}`;
    }
    const analysed = workerMs.length;
    t = performance.now();
    connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [change] });
    const lenses = await connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    times.push(performance.now() - t);
    // The screenful the user is looking at: the lenses around the edited line.
    const mid = Math.max(0, lenses.findIndex((l) => l.range.start.line >= line) - SCREENFUL / 2);
    const screen = await Promise.all(lenses.slice(mid, mid + SCREENFUL).map(resolve));
    screenTimes.push(performance.now() - t);
    worker.push(...workerMs.slice(analysed));
    if (lenses.length !== firstLenses.length) throw new Error(`edit ${e}: ${lenses.length} lenses, expected ${firstLenses.length}`);
    if (screen.length !== SCREENFUL || screen.some((l) => !l.command || STALE.test(l.command.title))) throw new Error(`edit ${e}: a lens of the screenful did not resolve`);
  }
  return { list: times, screen: screenTimes, worker };
}

const replaced = await edits('replace');
const typed = await edits('type');
await connection.sendRequest('shutdown');
connection.sendNotification('exit');
// Let the server exit by itself (a --cpu-prof profile is written at exit); kill it only if it hangs.
const killer = setTimeout(() => child.kill(), 10_000);
await exited;
clearTimeout(killer);
connection.dispose();

const stats = (xs) => [`median ${median(xs).toFixed(1)} ms`, `p95 ${quantile(xs, 0.95).toFixed(1)} ms`, `max ${Math.max(...xs).toFixed(1)} ms`];
const rows = [
  ['first analysis (open → lenses)', `${first.toFixed(0)} ms`, '', ''],
  [`edit → fresh lens list (${EDITS} one-line edits)`, ...stats(replaced.list)],
  [`edit → lens list + ${SCREENFUL} lenses resolved (a screenful)`, ...stats(replaced.screen)],
  ['  of which analysis in the worker', ...stats(replaced.worker)],
  [`typing → fresh lens list (${EDITS} one-character insertions)`, ...stats(typed.list)],
  [`typing → lens list + ${SCREENFUL} lenses resolved`, ...stats(typed.screen)],
  ['  of which analysis in the worker', ...stats(typed.worker)],
];
const table = ['| measure | value | p95 | max |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const header = `${LINES}-line generated file, ${firstLenses.length} lenses (list ${(listBytes / 1024).toFixed(0)} KB; all resolved ${(resolvedBytes / 1024).toFixed(0)} KB), ${diagnosticsCount} diagnostics (${(diagnosticsBytes / 1024).toFixed(0)} KB per publication); ${cpus()[0]?.model ?? 'cpu'} (${availableParallelism()} threads), Node ${process.version}${nodeFlags.length > 0 ? `; server flags ${nodeFlags.join(' ')}` : ''}`;
console.log(header);
console.log(table);
console.log(quantile(replaced.list, 0.95) <= 50 ? 'goal met: p95 <= 50 ms (edit → lens list)' : 'goal missed: p95 > 50 ms (edit → lens list)');
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/lsp.md', `# bench:lsp\n\n${header}\n\n${table}\n`);
// Raw samples, to pool several runs on a noisy machine.
writeFileSync('bench/results/lsp.json', JSON.stringify({ first, list: replaced.list, screen: replaced.screen, worker: replaced.worker, typedList: typed.list, typedScreen: typed.screen, typedWorker: typed.worker }));
