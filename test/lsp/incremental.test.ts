// Incremental re-analysis (server/core/incremental.ts): after any sequence of edits, the result equals a fresh
// analyzeSource of the new text; and it is actually incremental (an edit in one function redoes few units).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeSource, canonicalReport, startAnalysis, updateAnalysis } from '../../server/core/index';
import type { LoopFinding } from '../../server/core/index';

/** PARLENS_SEED=<n> runs the property test with another seed (a failure prints the seed and path to replay it). */
const SEED = Number(process.env.PARLENS_SEED ?? 20250301);

/** Top-level units that reach each other by name: helpers whose purity decides callers' verdicts, reassigned globals. */
const templates: ((k: number) => string)[] = [
  () => 'function helper(x: number) { return x * 2; }',
  () => 'function helper(x: number) { log.push(x); return x; }',
  () => 'const log: number[] = [];',
  () => 'let scale = 2;',
  () => 'function setScale(v: number) { scale = v; }',
  () => 'const data = [1, 2, 3, 4];',
  () => 'const api = { run(x: number) { return x + 1; } };',
  () => 'const api = { run(x: number) { log.push(x); return x; } };',
  (k) => `function par${k}(a: number[], b: number[]) {\n  for (let i = 0; i < a.length; i++) {\n    a[i] = helper(b[i]);\n  }\n}`,
  (k) => `function carried${k}(a: number[]) {\n  for (let i = 1; i < a.length; i++) a[i] = a[i - 1] + scale;\n}`,
  (k) => `function sum${k}(a: number[]) {\n  let s = 0;\n  for (const x of a) {\n    s += api.run(x);\n  }\n  return s;\n}`,
  (k) => `function each${k}(a: number[]) {\n  a.forEach((x, i) => { a[i] = helper(x) + scale; });\n}`,
  () => 'for (let i = 0; i < data.length; i++) {\n  data[i] = data[i] * scale;\n}',
  () => 'for (let i = 1; i < data.length; i++) data[i] = data[i - 1] + helper(i);',
  (k) => `async function load${k}(get: (s: string) => Promise<number>) {\n  const x = await get('a');\n  const y = await get('b');\n  for (const n of ['c', 'd']) {\n    await get(n);\n  }\n  return x + y;\n}`,
  (k) => `class Box${k} {\n  v: number[] = [];\n  fill() { for (let i = 0; i < this.v.length; i++) this.v[i] = this.twice(i); }\n  twice(x: number) { return helper(x); }\n}`,
  (k) => `function useBox${k}(b: Box${k}) { for (let j = 0; j < 3; j++) b.fill(); }`,
  () => 'scale = 3;',
  () => '// a comment line',
  () => "import { mapConcurrent } from 'parlens/runtime';",
  // Four-space indentation: rewrites indent by the file's first indented line, wherever it is.
  (k) => `function wide${k}(a: number[]) {\n    for (let i = 0; i < a.length; i++) {\n        a[i] = a[i] * 2;\n    }\n}`,
  // Not an import, but the import rewrite reads the whole file for these words.
  () => "const note = 'mapConcurrent comes from parlens/runtime';",
];

type Edit =
  | { op: 'replace' | 'insert'; at: number; template: number; k: number }
  | { op: 'delete'; at: number }
  | { op: 'newline' | 'char'; at: number; ch: string };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constantFrom('replace' as const, 'insert' as const), at: fc.nat(40), template: fc.nat(templates.length - 1), k: fc.nat(3) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(40) }),
  fc.record({ op: fc.constantFrom('newline' as const, 'char' as const), at: fc.nat(10_000), ch: fc.constantFrom('\n', ' ', '{', '}', ';', 'x', '(', '1', '// c\n') }),
);

function render(units: string[]): string {
  return units.join('\n') + '\n';
}

function apply(units: string[], text: string, edit: Edit): { units: string[]; text: string } {
  switch (edit.op) {
    case 'replace': case 'insert': {
      const next = [...units];
      const at = units.length === 0 ? 0 : edit.at % (units.length + (edit.op === 'insert' ? 1 : 0));
      next.splice(at, edit.op === 'replace' ? 1 : 0, templates[edit.template](edit.k));
      return { units: next, text: render(next) };
    }
    case 'delete': {
      if (units.length === 0) return { units, text };
      const next = [...units];
      next.splice(edit.at % units.length, 1);
      return { units: next, text: render(next) };
    }
    case 'newline': case 'char': {
      // Character edits may break the syntax; later unit edits re-render from the unit list and repair it.
      const at = edit.at % (text.length + 1);
      return { units, text: text.slice(0, at) + (edit.op === 'newline' ? '\n' : edit.ch) + text.slice(at) };
    }
  }
}

test('incremental results equal a fresh analyzeSource after random edits', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ template: fc.nat(templates.length - 1), k: fc.nat(3) }), { minLength: 1, maxLength: 14 }),
      fc.array(editArb, { minLength: 1, maxLength: 8 }),
      (initial, edits) => {
        let units = initial.map(({ template, k }) => templates[template](k));
        let text = render(units);
        let state = startAnalysis('prop.ts', text);
        assert.deepEqual(state.report, canonicalReport(analyzeSource('prop.ts', text)));
        for (const edit of edits) {
          ({ units, text } = apply(units, text, edit));
          state = updateAnalysis(state, text);
          assert.deepEqual(state.report, canonicalReport(analyzeSource('prop.ts', text)), `after ${JSON.stringify(edit)}:\n${text}`);
        }
      },
    ),
    { seed: SEED, numRuns: 150 },
  );
});

test('a helper turning impure re-analyses its callers in other units', () => {
  const before = ['function helper(x: number) { return x * 2; }', 'const log: number[] = [];', templates[8](1)];
  let state = startAnalysis('h.ts', render(before));
  const verdict = () => (state.report.findings.find((f) => f.kind === 'loop') as LoopFinding).verdict;
  assert.equal(verdict(), 'parallel');
  state = updateAnalysis(state, render(['function helper(x: number) { log.push(x); return x; }', ...before.slice(1)]));
  assert.notEqual(verdict(), 'parallel');
  assert.ok(state.stats.reanalysedUnits >= 2, 'the changed helper and the caller are both redone');
});

test('an edit inside one function of many redoes only that function, and moves the findings below it', () => {
  const units = Array.from({ length: 200 }, (_, k) => templates[9 + (k % 3)](k));
  const text = render(units);
  let state = startAnalysis('big.ts', text);
  const lastBefore = state.report.findings.at(-1)!;
  const edited = [...units];
  edited[50] = edited[50].replace('{\n', '{\n  const unused = 1;\n\n');
  const next = render(edited);
  state = updateAnalysis(state, next);
  assert.equal(state.stats.whole, false);
  assert.equal(state.stats.reanalysedUnits, 1);
  assert.deepEqual(state.report, canonicalReport(analyzeSource('big.ts', next)));
  const lastAfter = state.report.findings.at(-1)!;
  assert.equal(lastAfter.line, lastBefore.line + 2, 'two lines were inserted above the last unit');
  assert.equal(lastAfter.span!.start, lastBefore.span!.start + '  const unused = 1;\n\n'.length);
});

test('syntax errors fall back to analysing the file whole, and the next valid edit is incremental again', () => {
  const units = [templates[0](0), templates[8](1), templates[9](2)];
  let state = startAnalysis('s.ts', render(units));
  state = updateAnalysis(state, render(units).replace('a[i] = helper', 'a[i] = = helper'));
  assert.equal(state.stats.whole, true);
  assert.ok(state.report.errors.some((e) => e.startsWith('syntax errors')));
  state = updateAnalysis(state, render(units));
  assert.deepEqual(state.report, canonicalReport(analyzeSource('s.ts', render(units))));
  state = updateAnalysis(state, render(units).replace('a[i - 1] + scale', 'a[i - 1] + scale + 1'));
  assert.equal(state.stats.whole, false);
  assert.equal(state.stats.reanalysedUnits, 1);
});

test('a typed character above an async function with a bounded rewrite moves it (the added import stays) instead of redoing it', () => {
  const units = ["import { readFile } from 'node:fs/promises';", ...Array.from({ length: 30 }, (_, k) => templates[14](k))];
  const text = render(units);
  let state = startAnalysis('io.ts', text);
  const importEdit = (report: typeof state.report) => report.findings.flatMap((f) => ('fixes' in f ? f.fixes : []))
    .flatMap((fix) => fix.edits).filter((e) => e.newText.includes("from 'parlens/runtime'"));
  assert.ok(importEdit(state.report).length > 0, 'the bounded rewrite adds an import after the last one');
  const edited = [...units];
  edited[5] = edited[5].replace("get('a')", "get('ab')");
  const next = render(edited);
  state = updateAnalysis(state, next);
  assert.equal(state.stats.reanalysedUnits, 1, 'only the edited function is redone');
  assert.deepEqual(state.report, canonicalReport(analyzeSource('io.ts', next)));
  const at = importEdit(state.report).map((e) => e.start);
  assert.ok(at.length > 0 && at.every((s) => s === units[0].length), 'the import edits still point after the import');
});

test('a rewrite picks its fresh names from its own function, so incremental equals fresh', () => {
  const collect = (arg: string) => `async function collect(get: (s: string) => Promise<number>, keys: string[]) {\n    const out: number[] = [];\n    for (const k of keys) {\n        out.push(await get(${arg}));\n    }\n    return out;\n}`;
  const other = 'function other() {\n  const value = 1;\n  return value;\n}';
  let text = [other, collect('k')].join('\n') + '\n';
  let state = startAnalysis('v.ts', text);
  text = [other, collect('k + 1')].join('\n') + '\n';
  state = updateAnalysis(state, text);
  const fresh = canonicalReport(analyzeSource('v.ts', text));
  assert.deepEqual(state.report, fresh);
  const rewrite = JSON.stringify(fresh.findings);
  assert.ok(rewrite.includes('for (const value of await Promise.all'), 'value is free inside collect, though other() uses it');
});
