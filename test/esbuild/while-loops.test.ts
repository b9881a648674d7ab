// `@parallel` on while loops: a counted while compiles as the counted loop it is (and leaves its counter where the
// sequential loop does); any other while, and every do-while, is a build error saying why and what to write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildErrors, byLine, parallelAndSequential, assertRanOnWorkers } from './harness';

test('counted while loops (<, <=, bound > counter, a fractional bound, steps 1, 4 and 2) give the sequential results on workers and leave the counters as the sequential loops do', async () => {
  const { parallel, sequential, report, code } = await parallelAndSequential('while-counted.mts');
  assert.doesNotMatch(code, /while \(i < n\)|while \(j <= n\)/, 'the annotated while loops are compiled away');
  assert.equal(parallel, sequential);
  const result = JSON.parse(parallel);
  assert.deepEqual([result.i, result.j, result.k, result.none, result.h], [5000, 5003, 5000, 5007, 1668], 'the first counter value past each bound, or the start when the loop never runs');
  assert.ok(result.squares > 0 && result.odd > 0);
  assert.equal(result.untouched, 0);
  assert.equal(assertRanOnWorkers(report, 'while-counted.mts:12').iterations, 5000);
  assert.equal(assertRanOnWorkers(report, 'while-counted.mts:20').iterations, 1250, 'j = 3, 7, …, 4999');
  const stepTwo = assertRanOnWorkers(report, 'while-counted.mts:27');
  assert.equal(stepTwo.iterations, 2495, 'k = 10, 12, …, 4998');
  assert.equal(stepTwo.chunks, 39, 'chunk(64): ceil(2495 / 64) chunks');
  assert.equal(assertRanOnWorkers(report, 'while-counted.mts:41').iterations, 1668, 'h = 0, 1, …, 1667: at or below the fractional bound 1667.17');
});

test('while loops whose iterations are not known before they start are refused with the reason and what to write; a dependence is reported as for any loop', async () => {
  const errors = await buildErrors('while-refused.mts');
  const { at, listing } = byLine(errors);
  assert.equal(errors.length, 8, listing);
  assert.match(at(9), /does not compile do-while loops: the number of iterations is known only by running the loop.*while \(i < end\) \{ …; i\+\+; \} or for \(let i = start; i < end; i\+\+\)/);
  assert.match(at(14), /only in counted form.*Here the condition is not 'counter < bound'/);
  assert.match(at(19), /Here the body does not end with the counter's step, 'j\+\+'/);
  assert.match(at(25), /Here the body also assigns the counter 'k' \(line 26\)/);
  assert.match(at(33), /'continue;' at line 33 skips the step 'm\+\+' at the end of the @parallel while loop/);
  assert.match(at(39), /the last statement, 'f \+= 0\.5', does not step 'f' by a whole-number literal/);
  assert.match(at(45), /flow dependence on 'out' between lines 46 and 46 \(distance 1\)/);
  assert.ok(errors.find((e) => e.location?.line === 45)!.notes.some((n) => n.location?.line === 46));
  assert.match(at(51), /Here the bound 'g \+ n' changes with the counter 'g'/);
});
