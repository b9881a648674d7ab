// The blocking loops for synchronous code: the main thread waits in Atomics.wait while workers claim chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createPool, sharedFloat64Array, sharedInt32Array, TaskError, WorkerCrashedError, type Pool } from '../../runtime/index';

async function withPool(workers: number, body: (pool: Pool) => Promise<void> | void): Promise<void> {
  const pool = createPool({ workers });
  try {
    await body(pool);
  } finally {
    await pool.close({ mode: 'abort' });
    assert.equal(pool.stats().liveWorkers, 0, 'leaked worker threads');
  }
}

test('a fresh pool runs a blocking loop at once: its workers start while the main thread waits', () => withPool(2, (pool) => {
  const hits = sharedInt32Array(10_000);
  pool.parallelForSync(0, hits.length, (i: number, ctx: { hits: Int32Array }) => { ctx.hits[i] += 1; }, { context: { hits } });
  assert.ok(hits.every((count) => count === 1));
}));

test('blocking map, reduce and for equal the sequential loops (property)', () => withPool(2, async (pool) => {
  await fc.assert(fc.property(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { maxLength: 5000 }), fc.integer({ min: 1, max: 700 }), (values, chunkSize) => {
    const input = sharedFloat64Array(values);
    const mapped = pool.parallelMapSync(input, (x: number, i: number) => x * 3 - i, { chunkSize });
    assert.deepEqual([...mapped], values.map((x, i) => x * 3 - i));
    // Not commutative: equal only if chunks combine in order.
    const digits = pool.parallelReduceSync(input, (acc: string, x: number) => acc + (Math.abs(Math.trunc(x)) % 10), (a, b) => a + b, '', { chunkSize });
    assert.equal(digits, values.map((x) => Math.abs(Math.trunc(x)) % 10).join(''));
    const squares = new Array<number>(values.length).fill(0);
    pool.parallelForSync(0, values.length, (i: number, ctx: { squares: number[] }) => { ctx.squares[i] = i * i; }, { context: { squares }, writes: ['squares'], chunkSize });
    assert.deepEqual(squares, values.map((_, i) => i * i));
  }), { numRuns: 25 });
}));

test('an error in a blocking loop is thrown synchronously with the loop name and worker stack; the pool goes on', () => withPool(2, async (pool) => {
  const input = sharedFloat64Array(Array.from({ length: 4000 }, (_, i) => i));
  assert.throws(
    () => pool.parallelMapSync(input, function failAt(x: number) { if (x === 3210) throw new Error(`cannot map ${x}`); return x; }, { name: 'strict map', chunkSize: 100 }),
    (error: unknown) => error instanceof TaskError && /strict map/.test(error.message) && /cannot map 3210/.test(error.message),
  );
  assert.equal(pool.parallelReduceSync(input, (a: number, x: number) => a + x, (a, b) => a + b, 0), (3999 * 4000) / 2);
  assert.equal(await pool.parallelReduce(input, (a: number, x: number) => a + x, (a, b) => a + b, 0), (3999 * 4000) / 2);
}));

test('a worker that exits during a blocking loop fails the loop instead of blocking forever', () => withPool(2, async (pool) => {
  const input = sharedFloat64Array(4096);
  assert.throws(() => pool.parallelMapSync(input, (_x: number, i: number) => {
    if (i === 2500) process.exit(9);
    return i;
  }, { chunkSize: 256 }), WorkerCrashedError);
  // Still blocked in this turn: the dead worker is skipped, the other one runs the loop alone.
  assert.deepEqual([...pool.parallelMapSync(sharedFloat64Array([1, 2]), (x: number) => x + 1)], [2, 3]);
  // Once the event loop turns, the pool replaces the worker.
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(pool.stats().spawned, 3);
  assert.deepEqual([...pool.parallelMapSync(sharedFloat64Array([1, 2, 3, 4]), (x: number) => x * 10, { chunkSize: 1 })], [10, 20, 30, 40]);
}));

test('a blocking map over a plain array is refused with what to do instead', () => withPool(1, (pool) => {
  assert.throws(
    () => pool.parallelMapSync(new Float64Array([1, 2, 3]), (x: number) => x),
    /parallelMapSync needs a typed array on a SharedArrayBuffer.*or use parallelMap and await it/,
  );
}));

test('a blocking loop waits for work a worker is already running, then runs', () => withPool(1, async (pool) => {
  const slow = pool.task(() => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100); return 'slow done'; });
  const pending = slow();
  await new Promise((resolve) => setTimeout(resolve, 20)); // the task is on the worker now
  const started = performance.now();
  const doubled = pool.parallelMapSync(sharedFloat64Array([1, 2, 3]), (x: number) => 2 * x);
  assert.deepEqual([...doubled], [2, 4, 6]);
  assert.ok(performance.now() - started >= 50, 'the loop ran only after the running task');
  assert.equal(await pending, 'slow done');
}));
