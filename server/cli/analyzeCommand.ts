// `parlens analyze`: analyse files and print the findings; with --fix apply the proven rewrites in place,
// with --fix-dry-run print them as a unified diff and change nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { collectSourceFiles, analyzeFile, analyzeSource, applyEdits, chooseFixes } from '../core/index';
import type { FileReport } from '../core/index';
import { toJson, toText } from './format';

type FixMode = 'none' | 'apply' | 'dry-run';

export function analyzeCommand(args: readonly string[]): number {
  let format = 'text';
  let fixMode: FixMode = 'none';
  let latencies: Map<string, Map<number, number>> | undefined;
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format' || a.startsWith('--format=')) {
      format = a.includes('=') ? a.slice('--format='.length) : args[++i] ?? '';
      if (format !== 'text' && format !== 'json') {
        process.stderr.write(`parlens analyze: --format must be 'text' or 'json', not '${format}'.\n`);
        return 2;
      }
    } else if (a === '--fix' || a === '--fix-dry-run') {
      if (fixMode !== 'none') {
        process.stderr.write('parlens analyze: give either --fix or --fix-dry-run, not both.\n');
        return 2;
      }
      fixMode = a === '--fix' ? 'apply' : 'dry-run';
    } else if (a === '--latencies' || a.startsWith('--latencies=')) {
      const path = a.includes('=') ? a.slice('--latencies='.length) : args[++i] ?? '';
      const read = readLatencies(path);
      if (typeof read === 'string') {
        process.stderr.write(`parlens analyze: ${read}\n`);
        return 2;
      }
      latencies = read;
    } else if (a.startsWith('-')) {
      process.stderr.write(`parlens analyze: unknown option '${a}'. Run 'parlens help' for the options.\n`);
      return 2;
    } else {
      inputs.push(a);
    }
  }
  const { files, problems } = collectSourceFiles(inputs.length > 0 ? inputs : ['.']);
  for (const p of problems) process.stderr.write(`parlens: ${p}\n`);
  if (files.length === 0) {
    process.stderr.write('parlens: no TypeScript or JavaScript files to analyse; name files, folders or a tsconfig.json.\n');
    return 2;
  }
  const reports = files.map((f) => analyzeFile(f, { awaitLatencies: latencies?.get(resolve(f)) }));
  for (const r of reports) for (const e of r.errors) process.stderr.write(`parlens: ${r.file}: ${e}\n`);
  const readable = reports.filter((r) => !r.errors.some((e) => e.startsWith('cannot read')));
  if (readable.length === 0) return 2;
  if (fixMode !== 'none') return fix(readable, fixMode);
  process.stdout.write(`${format === 'json' ? toJson(readable) : toText(readable, process.cwd(), process.stdout.isTTY === true)}\n`);
  return 0;
}

function fix(reports: readonly FileReport[], mode: FixMode): number {
  let applied = 0;
  let changedFiles = 0;
  for (const report of reports) {
    const fixes = chooseFixes(report.findings);
    if (fixes.length === 0) continue;
    const before = readFileSync(report.file, 'utf8');
    const after = applyEdits(before, fixes.flatMap((f) => f.edits));
    // A rewrite that broke the syntax would be our bug; refuse to write it rather than damage the user's file.
    const check = analyzeSource(report.file, after, { loops: false, futures: false });
    if (check.errors.some((e) => e.startsWith('syntax errors'))) {
      process.stderr.write(`parlens: ${report.file}: the rewrite would not parse, so the file was left unchanged; please report this with the file.\n`);
      continue;
    }
    const name = relative(process.cwd(), report.file) || report.file;
    if (mode === 'dry-run') {
      const patch = createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3 });
      process.stdout.write(patch.endsWith('\n') ? patch : `${patch}\n`);
    } else {
      writeFileSync(report.file, after);
    }
    for (const f of fixes) process.stderr.write(`parlens: ${name}: ${mode === 'dry-run' ? 'would apply' : 'applied'}: ${f.title}\n`);
    applied += fixes.length;
    changedFiles++;
  }
  process.stderr.write(`parlens: ${mode === 'dry-run' ? 'would apply' : 'applied'} ${applied} rewrite${applied === 1 ? '' : 's'} in ${changedFiles} file${changedFiles === 1 ? '' : 's'}.\n`);
  return 0;
}

/**
 * `--latencies file.json`: measured or assumed latency of awaits, `{ "src/app.ts:12": 120, ... }` (path relative to
 * the current folder, 1-based line, any unit), used by the await-graph estimates instead of 1 per await.
 */
function readLatencies(path: string): Map<string, Map<number, number>> | string {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return `cannot read the latencies file '${path}': ${(error as Error).message}. It should be a JSON object such as { "src/app.ts:12": 120 }.`;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return `the latencies file '${path}' must hold a JSON object such as { "src/app.ts:12": 120 }.`;
  const out = new Map<string, Map<number, number>>();
  for (const [key, value] of Object.entries(data)) {
    const m = /^(.*):(\d+)$/.exec(key);
    if (!m || typeof value !== 'number' || !(value > 0)) return `bad entry "${key}": ${JSON.stringify(value)} in '${path}'; write "file:line": positive number.`;
    const file = resolve(m[1]);
    const lines = out.get(file) ?? new Map<number, number>();
    lines.set(Number(m[2]), value);
    out.set(file, lines);
  }
  return out;
}
