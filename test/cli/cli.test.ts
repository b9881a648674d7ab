// The `parlens` command as a user runs it: a real process over real files (dist/cli.js, built by `npm test`).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const created: string[] = [];
after(() => { for (const dir of created) rmSync(dir, { recursive: true, force: true }); });

const cli = resolve('dist/cli.js');

function run(args: string[], cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'parlens-cli-'));
  created.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const loops = `export function f(a: number[], n: number) {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i];
  for (let i = 1; i < n; i++) a[i] = a[i - 1] + 1;
  return a.map((x) => x * 2);
}
`;

test('json output is exactly one object with the documented fields', () => {
  const dir = project({ 'src/loops.ts': loops });
  const r = run(['analyze', 'src', '--format', 'json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.version, 1);
  assert.equal(out.findings.length, 3);
  const [sum, shift, map] = out.findings;
  assert.equal(sum.file, join(dir, 'src/loops.ts'));
  assert.deepEqual([sum.line, sum.column, sum.kind, sum.verdict], [3, 3, 'loop', 'reduction']);
  assert.deepEqual(sum.reductions, [{ variable: 's', operator: '+' }]);
  assert.deepEqual([shift.verdict, shift.dependencies[0].variable, shift.dependencies[0].kind, shift.dependencies[0].distance], ['sequential', 'a', 'flow', 1]);
  assert.deepEqual([map.line, map.column, map.verdict], [5, 12, 'parallel']);
  for (const f of out.findings) {
    for (const key of ['dependencies', 'reductions', 'privates', 'assumptions']) assert.ok(Array.isArray(f[key]), key);
    assert.equal(typeof f.message, 'string');
  }
});

test('text output reads like a linter, with a summary', () => {
  const dir = project({ 'loops.ts': loops });
  const r = run(['analyze', 'loops.ts'], dir);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^loops\.ts:3:3 +reduction +/m);
  assert.match(r.stdout, /^loops\.ts:4:3 +sequential +/m);
  assert.match(r.stdout, /3 loops in 1 file: 1 parallel, 1 reduction, 1 sequential, 0 unknown/);
});

test('a broken file is reported on stderr and the others are still analysed', () => {
  const dir = project({ 'good.ts': loops, 'bad.ts': 'for (let i = 0; i < n; i++ {\n  x(\n' });
  const r = run(['analyze', '.', '--format', 'json'], dir);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /bad\.ts: syntax errors/);
  const out = JSON.parse(r.stdout);
  assert.ok(out.findings.some((f: { file: string }) => f.file.endsWith('good.ts')));
});

test('usage errors and missing inputs exit with 2 and say what to do', () => {
  const dir = project({ 'a.ts': loops });
  assert.equal(run(['analyze', '--format', 'xml'], dir).code, 2);
  assert.equal(run(['analyze', '--bogus'], dir).code, 2);
  assert.equal(run(['frobnicate'], dir).code, 2);
  const missing = run(['analyze', 'nope.ts'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file/);
  const someMissing = run(['analyze', 'nope.ts', 'a.ts'], dir);
  assert.equal(someMissing.code, 0);
  assert.match(someMissing.stderr, /nope\.ts: no such file/);
});

test('a tsconfig.json names the files to analyse', () => {
  const dir = project({
    'tsconfig.json': JSON.stringify({ include: ['src'] }),
    'src/a.ts': loops,
    'other/b.ts': loops,
  });
  const out = JSON.parse(run(['analyze', 'tsconfig.json', '--format', 'json'], dir).stdout);
  assert.ok(out.findings.length > 0);
  assert.ok(out.findings.every((f: { file: string }) => f.file.includes(`${join('src', 'a.ts')}`)));
});

test('deeply nested and generated code neither crashes nor overflows the stack', () => {
  const longSum = `export function g(a: number[]) {\n  for (let i = 0; i < a.length; i++) {\n    a[i] = ${Array.from({ length: 5000 }, (_, k) => `a[i] * ${k}`).join(' + ')};\n  }\n}\n`;
  const nestedIfs = `export function h(a: number[], n: number) {\n  for (let i = 0; i < n; i++) {\n${'if (a[i] > 0) {\n'.repeat(600)}a[i] = 0;\n${'}\n'.repeat(600)}  }\n}\n`;
  const dir = project({ 'long.ts': longSum, 'nested.ts': nestedIfs });
  const r = run(['analyze', '.', '--format', 'json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const long = out.findings.find((f: { file: string }) => f.file.endsWith('long.ts'));
  const nested = out.findings.find((f: { file: string }) => f.file.endsWith('nested.ts'));
  assert.ok(long && nested);
  // Whatever the verdict, a loop too deep to analyse is never called parallel without proof.
  assert.ok(['parallel', 'unknown'].includes(long.verdict));
  assert.ok(['parallel', 'unknown'].includes(nested.verdict));
});
