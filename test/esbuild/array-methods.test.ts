// `@parallel` on map / forEach / reduce calls: compiled as index loops over the array with the callback's body; the
// analysis of the call itself decides, so dependences are reported on the callback's lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildErrors, buildWarnings, byLine, parallelAndSequential, assertRanOnWorkers } from './harness';

test('map() gives the sequential arrays on workers: expression and block callbacks, a typed array, holes kept, assignment and return forms', async () => {
  const { parallel, sequential, report, code } = await parallelAndSequential('methods-map.mts');
  assert.doesNotMatch(code, /data\.map\(/, 'the annotated calls are compiled away');
  assert.equal(parallel, sequential);
  const result = JSON.parse(parallel);
  assert.deepEqual(result.halves.slice(0, 2), ['Float64Array', 10_000]);
  assert.deepEqual(result.plusOne, [5, ['0', '2', '4'], [2, null, 4, null, 6]], 'the holes of the input stay holes');
  assert.equal(result.labels[0], 10_000);
  for (const line of [12, 14, 16, 29]) assert.equal(assertRanOnWorkers(report, `methods-map.mts:${line}`).iterations, 10_000);
  assertRanOnWorkers(report, 'methods-map.mts:23');
});

test('forEach() writes at its index come back, return ends an iteration, reduction and private clauses apply, holes are skipped (destructured elements too)', async () => {
  const { parallel, sequential, report } = await parallelAndSequential('methods-foreach.mts');
  assert.equal(parallel, sequential);
  const result = JSON.parse(parallel);
  assert.equal(result.visited, 3, 'forEach visits the three elements of [4, , , 7, , 9]');
  assert.equal(result.products, 14, 'a hole is skipped before its element would be destructured');
  assert.equal(assertRanOnWorkers(report, 'methods-foreach.mts:13').iterations, 10_000);
  assert.ok(assertRanOnWorkers(report, 'methods-foreach.mts:19').chunks > 1);
});

test('reduce() combines with the callback\'s operator (+, -, Math.max, &&, string +), with and without an initial value, and throws on an empty array as reduce does', async () => {
  const { parallel, sequential, report } = await parallelAndSequential('methods-reduce.mts');
  assert.equal(parallel, sequential);
  const result = JSON.parse(parallel);
  assert.equal(result.emptyError, 'TypeError: Reduce of empty array with no initial value');
  assert.equal(result.sentence, '>abgdez');
  for (const line of [11, 13, 15, 17, 23]) assert.ok(assertRanOnWorkers(report, `methods-reduce.mts:${line}`).chunks > 1);
  assertRanOnWorkers(report, 'methods-reduce.mts:25');
});

test('array-method calls that cannot be compiled are refused with the reason, at the callback\'s lines', async () => {
  const errors = await buildErrors('methods-refused.mts');
  const { at, listing } = byLine(errors);
  assert.equal(errors.length, 13, listing);
  assert.match(at(11), /map\(\) callback uses 'this' at line 11/);
  assert.match(at(17), /needs the callback of xs\.map\(…\) written inline/);
  assert.match(at(19), /uses its parameter 'all' \(line 19\), the array itself\. Write xs instead/);
  assert.match(at(21), /flow dependence on 'xs' between lines 21 and 21 \(distance 1\)/);
  assert.ok(errors.find((e) => e.location?.line === 21)!.notes.some((n) => n.location?.line === 21 && /xs\[i - 1\]/.test(n.text)));
  assert.match(at(23), /flow dependence on 'acc'.*not a single associative operation/);
  assert.match(at(25), /an array-method call that is the whole statement.*part of a larger expression/);
  assert.match(at(27), /not xs\.filter\(…\).*flags\[i\]/);
  assert.match(at(29), /forEach\(\) callback writes into its element 'p' \(line 29\).*points\.forEach\(\(p, i\) => \{ … out\[i\] = …; \}\)/);
  assert.match(at(31), /the callback has no index parameter\. Add one and write at it: xs\.forEach\(\(x, i\) => \{ out\[i\] = …; \}\)/);
  assert.match(at(33), /reduce\(\) callback can end without returning/);
  assert.match(at(35), /does not compile an async callback/);
  assert.match(at(37), /with the callback alone: a second argument/);
});

test('a @parallel call inside a @parallel loop is a warning: only the outer loop is compiled, with the sequential result', async () => {
  const warnings = (await buildWarnings('nested-method.mts')).filter((w) => /@parallel/.test(w.text));
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].location?.line, 9);
  assert.match(warnings[0].text, /inside another @parallel loop; only the outer one is compiled/);
  const { parallel, sequential, report } = await parallelAndSequential('nested-method.mts');
  assert.equal(parallel, sequential);
  assertRanOnWorkers(report, 'nested-method.mts:8');
  assert.equal(report.loops.length, 1);
});
