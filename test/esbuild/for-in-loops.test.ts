// `@parallel` on for-in loops: an index loop over the keys the for-in visits, collected before the loop; writes at
// the key come back to the objects on the main thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildErrors, byLine, parallelAndSequential, assertRanOnWorkers } from './harness';

test('for-in loops give the sequential objects on workers: values set, keys added and deleted at the loop key, reductions, inherited keys', async () => {
  const { parallel, sequential, report } = await parallelAndSequential('forin-objects.mts');
  assert.equal(parallel, sequential);
  const result = JSON.parse(parallel);
  assert.equal(Object.keys(result.doubled).length, 2001, 'a key for every price, plus the one it had');
  assert.deepEqual(result.stock, { b: 102, a: 101 }, 'keys deleted in the loop are gone, the others updated');
  assert.deepEqual(result.keyLengths, { own: 3, inherited: 9 }, 'for-in visits inherited enumerable keys, and so does the compiled loop');
  assert.equal(assertRanOnWorkers(report, 'forin-objects.mts:14').iterations, 2000);
  assert.ok(assertRanOnWorkers(report, 'forin-objects.mts:20').chunks > 1);
  assert.equal(assertRanOnWorkers(report, 'forin-objects.mts:24').iterations, 4);
  assert.equal(assertRanOnWorkers(report, 'forin-objects.mts:29').iterations, 2);
});

test('for-in loops that cannot be compiled are refused with what to write instead', async () => {
  const errors = await buildErrors('forin-refused.mts');
  const { at, listing } = byLine(errors);
  assert.equal(errors.length, 7, listing);
  assert.match(at(9), /needs the for-in loop to declare its key: write for \(const key in obj\)/);
  assert.match(at(13), /declare one key with const or let/);
  assert.match(at(18), /writes into 'nested' \(line 18\) other than as nested\[key\].*Write results into an object at the loop key, nested\[key\] = …/);
  assert.match(at(22), /assigns its key 'key' \(line 22\)/);
  assert.match(at(26), /output dependence on 'out\.total'/);
  assert.match(at(27), /writes into 'out' \(line 27\) other than as out\[key\]/);
});
