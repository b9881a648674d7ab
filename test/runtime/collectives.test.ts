import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPool, sharedFloat64Array, type WorkerGroup } from '../../runtime/index';

const pool = createPool({ workers: 2 });
after(() => pool.close());

test('allReduce gives every rank the element-wise sum, min and max', async () => {
  const { results } = await pool.runGroup((group: WorkerGroup) => {
    const base = Float64Array.from({ length: 1000 }, (_, i) => i * (group.rank + 1));
    const sum = group.allReduce(Float64Array.from(base), 'sum');
    const min = group.allReduce(Float64Array.from(base, (v) => -v), 'min');
    const max = group.allReduce(Float64Array.from(base), 'max');
    return { sum: Array.from(sum), min: Array.from(min), max: Array.from(max) };
  });
  const expected = {
    sum: Array.from({ length: 1000 }, (_, i) => i * 1 + i * 2),
    min: Array.from({ length: 1000 }, (_, i) => -(i * 2) + 0),
    max: Array.from({ length: 1000 }, (_, i) => i * 2),
  };
  expected.min[0] = -0;
  assert.deepEqual(results[0], expected);
  assert.deepEqual(results[1], expected);
});

test('the barrier orders phases: no rank reads before every rank has written', async () => {
  const board = sharedFloat64Array(2 * 50);
  const { results } = await pool.runGroup((group: WorkerGroup, ctx: { board: Float64Array }) => {
    let mismatches = 0;
    for (let round = 0; round < 50; round++) {
      ctx.board[round * 2 + group.rank] = round + 1;
      group.barrier();
      const other = ctx.board[round * 2 + (1 - group.rank)];
      if (other !== round + 1) mismatches++;
      group.barrier();
    }
    return mismatches;
  }, { context: { board } });
  assert.deepEqual(results, [0, 0]);
});

test('atomic counters hand out every index exactly once across ranks', async () => {
  const claimed = sharedFloat64Array(10_000);
  const { results, counters } = await pool.runGroup((group: WorkerGroup, ctx: { claimed: Float64Array }) => {
    const next = group.counter(0);
    let mine = 0;
    for (let i = next.next(); i < ctx.claimed.length; i = next.next()) {
      ctx.claimed[i] += 1;
      mine++;
    }
    return mine;
  }, { context: { claimed } });
  assert.equal(results[0] + results[1], 10_000);
  assert.ok(Array.from(claimed).every((v) => v === 1));
  assert.equal(counters[0], 10_000 + 2); // each rank's last claim overshoots once
});

test('a rank that throws releases the other from its barrier and the group rejects with the real error', async () => {
  const started = Date.now();
  await assert.rejects(
    pool.runGroup((group: WorkerGroup) => {
      if (group.rank === 1) throw new Error('rank 1 gave up');
      group.barrier();
      return 'unreachable';
    }, { name: 'fragile' }),
    /fragile\[rank 1\].*rank 1 gave up/,
  );
  assert.ok(Date.now() - started < 5000);
  // The workers are usable afterwards.
  const { results } = await pool.runGroup((group: WorkerGroup) => { group.barrier(); return group.rank; });
  assert.deepEqual(results, [0, 1]);
});

test('a group larger than the pool is refused instead of deadlocking', async () => {
  await assert.rejects(pool.runGroup(() => 1, { size: 3 }), /every rank needs its own thread/);
});

test('allReduce refuses arrays beyond the capacity with what to change', async () => {
  await assert.rejects(
    pool.runGroup((group: WorkerGroup) => group.allReduce(new Float64Array(100)), { allReduceCapacity: 10 }),
    /exceeds the group's capacity of 16; pass a larger allReduceCapacity/,
  );
});
