// bench:lsp — the language server over stdio, as an editor uses it: a generated 5,000-line file (loops of every
// verdict, async functions), time from open to code lenses, then from a one-line edit to fresh lenses (50 edits).
// Prints a table and writes bench/results/lsp.md. Goal: p95 <= 50 ms after an edit.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import rpc from 'vscode-jsonrpc/node';

const LINES = 5000;
const EDITS = 50;

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

const child = spawn(process.execPath, ['dist/server.js', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
connection.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
/** The server reports each analysis's worker time in its idle status ("… (12 ms)"): the analysis share of an edit. */
const workerMs = [];
connection.onNotification('parlens/status', (p) => { const m = /\((\d+) ms\)$/.exec(p.detail); if (p.state === 'idle' && m) workerMs.push(Number(m[1])); });
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

// One-line edits inside loop bodies spread over the file: `b[i] * 2 + 1` ↔ `b[i] * 3 + 1` (same length, one line).
const targets = lines.map((l, i) => (l.includes('a[i] = b[i] * 2 + 1;') ? i : -1)).filter((i) => i >= 0);
const times = [];
workerMs.length = 0;
let version = 1;
for (let e = 0; e < EDITS; e++) {
  const line = targets[Math.floor((e * targets.length) / EDITS)];
  const from = lines[line].indexOf('* 2');
  const newText = e % 2 === 0 ? '* 3' : '* 2';
  t = performance.now();
  connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: ++version },
    contentChanges: [{ range: { start: { line, character: from }, end: { line, character: from + 3 } }, text: newText }],
  });
  const lenses = await connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
  times.push(performance.now() - t);
  if (lenses.length !== firstLenses.length) throw new Error(`edit ${e}: ${lenses.length} lenses, expected ${firstLenses.length}`);
  if (e % 2 === 0) lines[line] = lines[line].replace('* 2', '* 3'); else lines[line] = lines[line].replace('* 3', '* 2');
}
await connection.sendRequest('shutdown');
connection.sendNotification('exit');
setTimeout(() => child.kill(), 500).unref();

const rows = [
  ['first analysis (open → lenses)', `${first.toFixed(0)} ms`, '', ''],
  [`edit → fresh lenses (${EDITS} one-line edits)`, `median ${median(times).toFixed(1)} ms`, `p95 ${quantile(times, 0.95).toFixed(1)} ms`, `max ${Math.max(...times).toFixed(1)} ms`],
  ['  of which analysis in the worker', `median ${median(workerMs).toFixed(1)} ms`, `p95 ${quantile(workerMs, 0.95).toFixed(1)} ms`, `max ${Math.max(...workerMs).toFixed(1)} ms`],
];
const table = ['| measure | value | p95 | max |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const header = `${LINES}-line generated file, ${firstLenses.length} lenses; ${cpus()[0]?.model ?? 'cpu'} (${availableParallelism()} threads), Node ${process.version}`;
console.log(header);
console.log(table);
console.log(quantile(times, 0.95) <= 50 ? 'goal met: p95 <= 50 ms' : 'goal missed: p95 > 50 ms');
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/lsp.md', `# bench:lsp\n\n${header}\n\n${table}\n`);
