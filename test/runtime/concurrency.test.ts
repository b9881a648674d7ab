import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapConcurrent } from '../../runtime/concurrency';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('mapConcurrent keeps input order and never exceeds the limit', async () => {
  let inFlight = 0;
  let peak = 0;
  const out = await mapConcurrent([50, 10, 30, 5, 20, 1], 3, async (ms, i) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await sleep(ms);
    inFlight--;
    return `${i}:${ms}`;
  });
  assert.deepEqual(out, ['0:50', '1:10', '2:30', '3:5', '4:20', '5:1']);
  assert.equal(peak, 3);
});

test('mapConcurrent fails fast and starts nothing after the first failure', async () => {
  const started: number[] = [];
  await assert.rejects(
    mapConcurrent([1, 2, 3, 4, 5, 6], 2, async (x) => {
      started.push(x);
      await sleep(5);
      if (x === 2) throw new Error('boom 2');
      return x;
    }),
    /boom 2/,
  );
  await sleep(30);
  assert.ok(started.length <= 4, `started ${started.join(',')}`);
});

test('mapConcurrent rejects a bad limit with a clear message, and handles empty input', async () => {
  await assert.rejects(mapConcurrent([1], 0, async (x) => x), /limit must be a whole number/);
  assert.deepEqual(await mapConcurrent([], 4, async (x) => x), []);
  assert.deepEqual(await mapConcurrent(new Set([3, 4]), 8, (x) => x * 2), [6, 8]);
});
