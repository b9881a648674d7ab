// The rewrites, executed: each fixture runs as written and as `parlens analyze --fix` rewrites it, against fake
// services that record every call. Results and the calls made must be the same; the rewritten version must start
// the independent calls together (peak in-flight > 1) and type-check under strict TypeScript.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { analyzeSource, applyEdits, chooseFixes } from '../../server/core/index';
import type { AwaitInLoopFinding, Fix } from '../../server/core/index';
import { FakeServices } from './fixtures/services';

const fixtures = join(__dirname, 'fixtures');
// Inside the package, so `parlens/runtime` in a rewritten file resolves to this package (self-reference).
const generated = join(__dirname, '.generated');
const repoRoot = join(__dirname, '..', '..');

type Module = Record<string, (svc: FakeServices, ...args: never[]) => Promise<unknown>>;

function rewrite(name: string, pick: (text: string) => Fix[] = (text) => chooseFixes(analyzeSource(name, text).findings)): { before: string; after: string; fixes: Fix[] } {
  const before = readFileSync(join(fixtures, name), 'utf8');
  const fixes = pick(before);
  return { before, after: applyEdits(before, fixes.flatMap((f) => f.edits)), fixes };
}

async function load(dir: string, name: string, text: string): Promise<Module> {
  mkdirSync(join(generated, dir), { recursive: true });
  copyFileSync(join(fixtures, 'services.ts'), join(generated, dir, 'services.ts'));
  const path = join(generated, dir, name);
  writeFileSync(path, text);
  return (await import(path)) as Module;
}

async function run(module: Module, fn: string, args: unknown[], failing: string[] = []) {
  const svc = new FakeServices(15, new Set(failing));
  const result = await (module[fn] as (svc: FakeServices, ...a: unknown[]) => Promise<unknown>)(svc, ...args);
  const returnedAt = performance.now();
  const unfinishedAtReturn = svc.calls.filter((c) => c.end === 0).length;
  await new Promise((r) => setTimeout(r, 80)); // let anything nobody awaited finish before comparing the calls
  const calls = svc.calls.map((c) => `${c.name}(${c.argument})`).sort();
  return { result, calls, peak: svc.peakInFlight, unfinishedAtReturn, returnedAt };
}

/** Strict type-check of one file; `parlens/runtime` maps to the runtime's source. */
function typeErrors(path: string): string[] {
  const program = ts.createProgram([path], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'], skipLibCheck: true, baseUrl: repoRoot, paths: { 'parlens/runtime': ['runtime/index.ts'] }, typeRoots: [join(repoRoot, 'node_modules/@types')],
  });
  return ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === path)
    .map((d) => `${d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

before(() => {
  rmSync(generated, { recursive: true, force: true });
});

async function beforeAndAfter(name: string, pick?: (text: string) => Fix[], variant = 'after') {
  const r = rewrite(name, pick);
  assert.ok(r.fixes.length > 0, `${name}: expected at least one rewrite`);
  assert.notEqual(r.after, r.before);
  const original = await load('before', name, r.before);
  const rewritten = await load(variant, name, r.after);
  assert.deepEqual(typeErrors(join(generated, 'before', name)), [], 'the original type-checks');
  assert.deepEqual(typeErrors(join(generated, variant, name)), [], `the rewritten file type-checks:\n${r.after}`);
  return { ...r, original, rewritten };
}

test('Promise.all: independent awaits start together, results and calls unchanged, comments kept', async () => {
  const { after, original, rewritten } = await beforeAndAfter('profile.ts');
  assert.match(after, /const \[user, posts, settings\]: \[.*\] = await Promise\.all\(\[|const \[user, posts, settings\] = await Promise\.all\(\[/);
  assert.match(after, /\/\/ who\n/);
  assert.match(after, /svc\.getPosts\(id\) satisfies string\[\] \| PromiseLike<string\[\]>, \/\/ what they wrote/, 'the annotation stays as a check, the comment with its call');
  const a = await run(original, 'loadProfile', ['ada']);
  const b = await run(rewritten, 'loadProfile', ['ada']);
  assert.deepEqual(b.result, a.result);
  assert.deepEqual(b.calls, a.calls);
  assert.equal(a.peak, 1);
  assert.equal(b.peak, 3, 'getUser, getPosts and getSettings run at once; getTeam waits for the user');
  const n = await run(original, 'notify', [['a', 'bb', 'ccc']]);
  const m = await run(rewritten, 'notify', [['a', 'bb', 'ccc']]);
  assert.deepEqual(m.result, n.result);
  assert.deepEqual(m.calls, n.calls);
  assert.equal(m.peak, 3);
});

test('Promise.all: a failure rejects the rewritten function as it did the original', async () => {
  const { original, rewritten } = await beforeAndAfter('profile.ts');
  await assert.rejects(run(original, 'loadProfile', ['bob'], ['getPosts:bob']), /getPosts\(bob\) failed/);
  await assert.rejects(run(rewritten, 'loadProfile', ['bob'], ['getPosts:bob']), /getPosts\(bob\) failed/);
});

test('Promise.allSettled: each try/catch still handles its own failure', async () => {
  const { after, original, rewritten } = await beforeAndAfter('dashboard.ts');
  assert.match(after, /await Promise\.allSettled\(\[/);
  for (const failing of [[], ['getUser:ada'], ['getPosts:ada'], ['getUser:ada', 'getPosts:ada']]) {
    const a = await run(original, 'loadDashboard', ['ada'], failing);
    const b = await run(rewritten, 'loadDashboard', ['ada'], failing);
    assert.deepEqual(b.result, a.result, `with failing ${failing.join(', ') || 'nothing'}`);
    assert.deepEqual(b.calls, a.calls);
    assert.equal(b.peak, 2);
  }
});

test('Promise.all(map): loops keep result order, reductions and slots; the dependent loop is left alone', async () => {
  const { after, original, rewritten } = await beforeAndAfter('batches.ts');
  assert.match(after, /while \(cursor\)/, 'the cursor loop is not rewritten');
  const ids = ['a', 'bbbb', 'cc', 'ddd', 'e', 'ffffff'];
  for (const [fn, args] of [['fetchAll', [ids]], ['total', [ids]], ['concatenated', [ids]], ['bySlot', [ids]], ['saveNonEmpty', [['a', '', 'b', '']]], ['walkPages', ['p']]] as const) {
    const a = await run(original, fn, [...args]);
    const b = await run(rewritten, fn, [...args]);
    assert.deepEqual(b.result, a.result, fn);
    assert.deepEqual(b.calls, a.calls, fn);
    assert.equal(a.peak, 1, `${fn} runs one call at a time as written`);
    if (fn === 'walkPages') assert.equal(b.peak, 1);
    else assert.ok(b.peak >= 2, `${fn} runs its calls concurrently after the rewrite (peak ${b.peak})`);
  }
});

test('async forEach: the rewrite waits for every callback', async () => {
  const { original, rewritten } = await beforeAndAfter('batches.ts');
  const a = await run(original, 'saveEach', [['a', 'b', 'c']]);
  const b = await run(rewritten, 'saveEach', [['a', 'b', 'c']]);
  assert.equal(a.unfinishedAtReturn, 3, 'as written, nothing waits for the saves');
  assert.equal(b.unfinishedAtReturn, 0, 'rewritten, the function returns after every save');
  assert.deepEqual(b.calls, a.calls);
  assert.equal(b.peak, 3);
});

test('bounded rewrite: mapConcurrent from parlens/runtime keeps order and the limit', async () => {
  const pickBounded = (text: string) => analyzeSource('batches.ts', text).findings
    .filter((f): f is AwaitInLoopFinding => f.kind === 'await-in-loop' && f.fixes.length > 1)
    .slice(0, 1).map((f) => f.fixes[1]);
  const { after, original, rewritten } = await beforeAndAfter('batches.ts', pickBounded, 'bounded');
  assert.match(after, /import \{ mapConcurrent \} from 'parlens\/runtime';/);
  assert.match(after, /await mapConcurrent\(ids, 8, async \(id\) =>/);
  const many = Array.from({ length: 20 }, (_, i) => `id${i}`);
  const a = await run(original, 'fetchAll', [many]);
  const b = await run(rewritten, 'fetchAll', [many]);
  assert.deepEqual(b.result, a.result);
  assert.deepEqual(b.calls, a.calls);
  assert.equal(b.peak, 8);
});

test('--fix is idempotent: a rewritten file offers nothing more to rewrite in the rewritten places', () => {
  for (const name of ['profile.ts', 'dashboard.ts', 'batches.ts']) {
    const { after } = rewrite(name);
    const again = chooseFixes(analyzeSource(name, after).findings);
    assert.deepEqual(again.map((f) => f.title), [], `${name} after one --fix`);
  }
});
