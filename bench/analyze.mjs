// npm run bench:analyze — analysis time of the TypeScript compiler's own lib/_tsc.js (~134k lines) beside
// `tsc --noEmit --allowJs` of the same file, both as whole processes, in the same run. Medians of several runs.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

const require = createRequire(import.meta.url);
const typescriptDir = dirname(require.resolve('typescript/package.json'));
const target = join(typescriptDir, 'lib', '_tsc.js');
const tscBin = join(typescriptDir, 'bin', 'tsc');
const runs = Number(process.env.BENCH_RUNS ?? 3);

function time(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  return { ms, stdout: r.stdout, status: r.status };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

const ours = [];
const theirs = [];
let summary = '';
for (let i = 0; i < runs; i++) {
  // Interleaved so both see the same machine noise.
  const a = time(['dist/cli.js', 'analyze', target]);
  if (a.status !== 0) throw new Error(`parlens analyze failed with exit code ${a.status}`);
  summary = a.stdout.trim().split('\n').pop();
  ours.push(a.ms);
  theirs.push(time([tscBin, '--noEmit', '--allowJs', target]).ms);
  process.stderr.write(`run ${i + 1}/${runs}: parlens ${ours[i].toFixed(0)} ms, tsc ${theirs[i].toFixed(0)} ms\n`);
}
const lines = readFileSync(target, 'utf8').split('\n').length;
const oursMedian = median(ours);
const tscMedian = median(theirs);
const ratio = oursMedian / tscMedian;
const date = new Date().toISOString().slice(0, 10);
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
const table = [
  `### bench:analyze — ${date}`,
  '',
  `Machine: ${machine}. Input: typescript/lib/_tsc.js (${lines} lines). ${runs} interleaved runs, medians, whole processes.`,
  '',
  '| command | median (ms) | runs (ms) |',
  '|---|---:|---|',
  `| parlens analyze | ${oursMedian.toFixed(0)} | ${ours.map((x) => x.toFixed(0)).join(', ')} |`,
  `| tsc --noEmit --allowJs | ${tscMedian.toFixed(0)} | ${theirs.map((x) => x.toFixed(0)).join(', ')} |`,
  '',
  `Ratio parlens / tsc: **${ratio.toFixed(2)}** (goal: at most 0.50). Result: ${summary}`,
  '',
].join('\n');
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/analyze.md', table);
process.stdout.write(`${table}\n`);
