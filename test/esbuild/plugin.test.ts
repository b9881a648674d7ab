// Real builds with esbuild + the plugin, real runs with node: each accepted fixture's output must equal the same
// file run sequentially without the plugin, and must have run on worker threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, buildErrors, byLine, runNode, parallelAndSequential, assertRanOnWorkers, fixtures, work } from './harness';

test('a parallel map over typed and plain arrays gives the sequential result and runs on workers', async () => {
  const { parallel, sequential, report, code } = await parallelAndSequential('map.mts');
  assert.match(code, /runAnnotatedLoop/);
  assert.equal(parallel, sequential);
  assert.deepEqual(Object.keys(JSON.parse(parallel)), ['total', 'last', 'mid', 'label', 'labels']);
  const run = assertRanOnWorkers(report, 'map.mts:11');
  assert.equal(run.iterations, 10_000);
});

test('reduction(+: sum, odd) combines per-chunk partials into the sequential totals', async () => {
  const { parallel, sequential, report } = await parallelAndSequential('reduction.mts');
  assert.equal(parallel, sequential);
  assert.ok(JSON.parse(parallel).sum > 10);
  assert.ok(assertRanOnWorkers(report, 'reduction.mts:8').chunks > 1);
});

test('private(t) gives each iteration its own temporary', async () => {
  const { parallel, sequential, report } = await parallelAndSequential('private.mts');
  assert.equal(parallel, sequential);
  assertRanOnWorkers(report, 'private.mts:9');
});

test('chunk(100) and workers(2) set the chunk size and pool; <= bounds and step 3 cover the same indices', async () => {
  const { parallel, sequential, report } = await parallelAndSequential('clauses.mts');
  assert.equal(parallel, sequential);
  const run = assertRanOnWorkers(report, 'clauses.mts:5');
  assert.equal(run.iterations, 1001);
  assert.equal(run.chunks, 11, 'ceil(1001 / 100) chunks');
  assert.ok(run.threads.length <= 2, `workers(2) allows two threads, got ${run.threads}`);
  assert.equal(assertRanOnWorkers(report, 'clauses.mts:15').iterations, 21, 'i <= 20.5 runs i = 0..20');
});

test('a fractional step is refused: start + k × step would drift from the repeated additions', async () => {
  const errors = await buildErrors('fractional-step.mts');
  assert.equal(errors.length, 1);
  assert.match(errors[0].text, /whole-number step/);
  assert.equal(errors[0].location?.line, 4);
});

test('@task functions return futures that run in workers; awaiting them gives the sequential values', async () => {
  const { parallel, sequential, report } = await parallelAndSequential('task.mts');
  assert.equal(parallel, sequential);
  assert.deepEqual(JSON.parse(parallel).results, [6765, 10946, 17711]);
  assert.equal(report.tasks.filter((t) => t.name === 'fib').length, 3);
  assert.equal(report.tasks.filter((t) => t.name === 'describe').length, 1);
});

test('a carried dependence fails the build with the variable, its lines and kind, at the loop', async () => {
  const errors = await buildErrors('carried.mts');
  assert.equal(errors.length, 1);
  const [error] = errors;
  assert.match(error.text, /flow dependence on 'a' between lines 6 and 6 \(distance 1\)/);
  assert.match(error.text, /@parallel force/);
  assert.equal(error.location?.line, 5);
  assert.equal(error.location?.column, 2);
  assert.match(error.location!.file, /carried\.mts$/);
  assert.ok(error.notes.some((n) => n.location?.line === 6 && /flow dependence on 'a'/.test(n.text)));
});

test('@parallel force compiles the same loop (the user vouches for it)', async () => {
  const code = await compile('carried-force.mts');
  assert.match(code, /runAnnotatedLoop/);
});

test('a captured function fails the build naming the variable and the line', async () => {
  const errors = await buildErrors('captured-function.mts');
  assert.equal(errors.length, 1);
  assert.match(errors[0].text, /uses 'helper' \(line 8\), which is a function/);
  assert.equal(errors[0].location?.line, 8);
});

test('a captured class instance fails the build naming the variable and the line, even with force', async () => {
  const errors = await buildErrors('captured-instance.mts');
  assert.equal(errors.length, 1);
  assert.match(errors[0].text, /uses 'scale' \(line 10\), which is an instance of Scale/);
});

test('a malformed clause is a build error that names the clause and what is expected', async () => {
  const errors = await buildErrors('malformed.mts');
  assert.equal(errors.length, 1);
  assert.match(errors[0].text, /unknown clause 'reduce\(…\)'/);
  assert.match(errors[0].text, /chunk\(0\) needs a positive whole number/);
  assert.equal(errors[0].location?.line, 3);
});

test('loops in synchronous functions and methods compile to blocking runs on workers, with the sequential results', async () => {
  const { parallel, sequential, report, code } = await parallelAndSequential('sync.mts');
  assert.equal(parallel, sequential);
  assert.doesNotMatch(code, /await/, 'nothing in the compiled synchronous code awaits');
  assert.equal(code.match(/runAnnotatedLoopSync\(/g)?.length, 6);
  for (const line of [8, 17, 27, 36, 38, 46]) assertRanOnWorkers(report, `sync.mts:${line}`);
});

test("a loop at a CommonJS module's top level blocks there instead of awaiting", async () => {
  const { parallel, sequential, report, code } = await parallelAndSequential('commonjs-top-level.cts', 'cjs');
  assert.equal(parallel, sequential);
  assert.match(code, /runAnnotatedLoopSync/);
  assertRanOnWorkers(report, 'commonjs-top-level.cts:5');
});

test('a file without annotations passes through unchanged', async () => {
  assert.equal(await compile('plain.mts'), await compile('plain.mts', []));
  assert.equal(runNode([join(fixtures, 'plain.mts')]), '{"s":6}');
});

test('a file that does not parse gives esbuild syntax errors, not a crash', async () => {
  const errors = await buildErrors('broken.mts');
  assert.ok(errors.length >= 1);
  assert.equal(errors[0].location?.line, 2);
  assert.doesNotMatch(errors.map((e) => e.text).join('\n'), /parlens|internal/i);
});

// for-of loops: compiled as index loops over the array, with the same machinery as counted loops.

test('for-of over a plain array with reduction(+: sum, odd) and a continue gives the sequential totals on workers', async () => {
  const { parallel, sequential, report, code } = await parallelAndSequential('forof-reduction.mts');
  assert.match(code, /runAnnotatedLoop\(\{ name: "forof-reduction\.mts:8", construct: "for-of loop", iterated: data, iteratedText: "data"/);
  assert.match(code, /const x = __ctx\.iterated\[__parlens_i\];/);
  assert.equal(parallel, sequential);
  assert.ok(JSON.parse(parallel).sum > 10);
  const run = assertRanOnWorkers(report, 'forof-reduction.mts:8');
  assert.equal(run.iterations, 20_000);
  assert.ok(run.chunks > 1);
});

test('for (const [i, x] of shared.entries()) writes out[i] in place and a plain labels[i] back, like the sequential loop', async () => {
  const { parallel, sequential, report } = await parallelAndSequential('forof-entries.mts');
  assert.equal(parallel, sequential);
  assert.deepEqual(Object.keys(JSON.parse(parallel)), ['total', 'first', 'last', 'label', 'labels']);
  assert.equal(JSON.parse(parallel).label, '4321:3240.75');
  assert.equal(assertRanOnWorkers(report, 'forof-entries.mts:11').iterations, 10_000);
});

test('for-of over a typed array with private(t), reduction, chunk(100) and workers(2)', async () => {
  const { parallel, sequential, report } = await parallelAndSequential('forof-clauses.mts');
  assert.equal(parallel, sequential);
  const run = assertRanOnWorkers(report, 'forof-clauses.mts:9');
  assert.equal(run.iterations, 3001);
  assert.equal(run.chunks, 31, 'ceil(3001 / 100) chunks');
  assert.ok(run.threads.length <= 2, `workers(2) allows two threads, got ${run.threads}`);
});

test('a for-of (entries form) carrying a dependence fails the build with variable, lines and kind; force compiles it', async () => {
  const errors = await buildErrors('forof-carried.mts');
  assert.equal(errors.length, 1);
  const [error] = errors;
  assert.match(error.text, /flow dependence on 'acc' between lines 7 and 7 \(distance 1\)/);
  assert.match(error.text, /@parallel force/);
  assert.equal(error.location?.line, 6);
  assert.ok(error.notes.some((n) => n.location?.line === 7 && /flow dependence on 'acc'/.test(n.text)));
  assert.match(await compile('forof-carried-force.mts'), /runAnnotatedLoop/);
});

test('a for-of over a Set fails at run time naming the loop line and Array.from; without the plugin it runs', async () => {
  const code = await compile('forof-set.mts');
  const out = join(work, 'forof-set.mjs');
  writeFileSync(out, code);
  assert.throws(() => execFileSync(process.execPath, ['--import', 'tsx', out], { encoding: 'utf8', stdio: 'pipe', timeout: 60_000 }), (error: Error & { stderr: string }) => {
    assert.match(error.stderr, /forof-set\.mts:6: the @parallel for-of loop at line 6 iterates over tags, which is a Set, not an array or typed array/);
    assert.match(error.stderr, /Iterate over Array\.from\(tags\) instead/);
    return true;
  });
  assert.equal(runNode([join(fixtures, 'forof-set.mts')]), '{"sum":30}');
});

test('an annotated forEach over a Set fails at run time naming the call, not a for-of loop', async () => {
  const code = await compile('methods-set.mts');
  const out = join(work, 'methods-set.mjs');
  writeFileSync(out, code);
  assert.throws(() => execFileSync(process.execPath, ['--import', 'tsx', out], { encoding: 'utf8', stdio: 'pipe', timeout: 60_000 }), (error: Error & { stderr: string }) => {
    assert.match(error.stderr, /methods-set\.mts:5: the @parallel forEach\(\) call at line 5 iterates over tags, which is a Set/);
    return true;
  });
});

test('a for-of writing off the index or into its element is refused with what to write', async () => {
  const errors = await buildErrors('forof-refused.mts');
  const { at, listing } = byLine(errors);
  assert.equal(errors.length, 2, listing);
  assert.match(at(9), /writes 'out\[…\]'.*Use the entries\(\) form and write at its index: for \(const \[i, x\] of xs\.entries\(\)\) \{ out\[i\] = …; \}/);
  assert.match(at(13), /writes into its element 'p'.*would be lost/);
});

test('two @parallel comments on the same loop are a build error at the second', async () => {
  const errors = await buildErrors('twice.mts');
  assert.equal(errors.length, 1);
  assert.equal(errors[0].location?.line, 4);
  assert.match(errors[0].text, /second @parallel annotation on the same code \(the first is on line 3\)/);
});
