// Loops over shared arrays and index ranges run with the claimed schedule (workers take chunks from a shared
// counter) and with loops compiled around the shared arrays they have seen. These tests check that both stay
// correct when arrays, views and functions change between calls, and that failures still fail the loop.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createPool, sharedFloat64Array, sharedInt32Array, TaskError, WorkerCrashedError } from '../../runtime/index';
import { onSharedBufferFreed, sharedViewKey } from '../../runtime/shared-memory';

const pool = createPool({ workers: 2 });
after(() => pool.close());

test('maps over the same shared arrays, other views of one buffer and new buffers each compute their own result', async () => {
  const values = Array.from({ length: 10_000 }, (_, i) => i * 0.25);
  const input = sharedFloat64Array(values);
  const double = (x: number) => x * 2;
  for (let round = 0; round < 3; round++) {
    assert.deepEqual([...(await pool.parallelMap(input, double) as Float64Array)], values.map(double));
  }
  // A view of the same memory starting elsewhere: a loop compiled around the whole array must not be reused.
  const tail = input.subarray(5000);
  assert.deepEqual([...(await pool.parallelMap(tail, double) as Float64Array)], values.slice(5000).map(double));
  // Same length, new memory.
  const other = sharedFloat64Array(values.map((x) => -x));
  assert.deepEqual([...(await pool.parallelMap(other, double) as Float64Array)], values.map((x) => -2 * x));
  // Writing into a caller's output, then into another one.
  const outputA = sharedFloat64Array(values.length);
  const outputB = sharedFloat64Array(values.length);
  await pool.parallelMap(input, (x: number) => x + 1, { output: outputA });
  await pool.parallelMap(input, (x: number) => x + 1, { output: outputB });
  assert.deepEqual([...outputA], values.map((x) => x + 1));
  assert.deepEqual([...outputB], values.map((x) => x + 1));
  // Views of the same two buffers at other offsets: same buffers and function, other memory.
  const inc = (x: number) => x + 1;
  await pool.parallelMap(input.subarray(0, 4000), inc, { output: outputA.subarray(6000) });
  await pool.parallelMap(input.subarray(6000), inc, { output: outputA.subarray(0, 4000) });
  assert.deepEqual([...outputA.subarray(6000)], values.slice(0, 4000).map(inc));
  assert.deepEqual([...outputA.subarray(0, 4000)], values.slice(6000).map(inc));
});

test('more arrays than a worker keeps compiled loops for still map correctly (least recently used are dropped)', async () => {
  const arrays = Array.from({ length: 12 }, (_, k) => sharedFloat64Array(Array.from({ length: 2000 }, (_, i) => i + k)));
  for (let pass = 0; pass < 2; pass++) {
    for (const [k, array] of arrays.entries()) {
      const total = await pool.parallelReduce(array, (acc: number, x: number) => acc + x, (a, b) => a + b, 0);
      assert.equal(total, (1999 * 2000) / 2 + 2000 * k);
    }
  }
});

test('every chunk of a claimed loop runs exactly once, and the trace names each chunk', async () => {
  const hits = sharedInt32Array(50_000);
  pool.startTracing();
  await pool.parallelFor(0, hits.length, (i: number, ctx: { hits: Int32Array }) => { Atomics.add(ctx.hits, i, 1); }, { context: { hits }, chunkSize: 1000 });
  const trace = pool.stopTracing();
  assert.ok(hits.every((count) => count === 1));
  const chunks = trace.events.filter((e) => e.kind === 'chunk');
  assert.deepEqual(chunks.map((e) => e.chunk).sort((a, b) => a! - b!), Array.from({ length: 50 }, (_, k) => k));
  for (const e of chunks) assert.ok((e.worker === 0 || e.worker === 1) && e.end >= e.start);
});

test('a claimed loop that throws fails with the worker-side error, and the pool goes on', async () => {
  const input = sharedFloat64Array(Array.from({ length: 20_000 }, (_, i) => i));
  const failing = pool.parallelMap(input, function checkElement(x: number) {
    if (x === 12_345) throw new RangeError(`bad element ${x}`);
    return x;
  }, { chunkSize: 500, name: 'checked map' });
  const error = await failing.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof TaskError);
  assert.match(error.message, /checked map/);
  assert.match(error.message, /bad element 12345/);
  assert.equal(await pool.parallelReduce(input, (a: number, x: number) => a + x, (a, b) => a + b, 0), (19_999 * 20_000) / 2);
});

test('a worker that crashes during a claimed loop fails the loop instead of hanging', async () => {
  const crashing = createPool({ workers: 2 });
  try {
    const input = sharedFloat64Array(4096);
    const error = await crashing.parallelMap(input, (_x: number, i: number) => {
      if (i === 3000) process.exit(7);
      return i;
    }, { chunkSize: 256 }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof WorkerCrashedError, String(error));
    assert.deepEqual([...(await crashing.parallelMap(sharedFloat64Array([1, 2, 3]), (x: number) => x * 3) as Float64Array)], [3, 6, 9]);
  } finally {
    await crashing.close({ mode: 'abort' });
  }
  assert.equal(crashing.stats().liveWorkers, 0);
});

test('a shared buffer collected on the main thread is reported, so workers can drop loops compiled around it', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const freed: number[] = [];
  const stop = onSharedBufferFreed((id) => freed.push(id));
  let id = 0;
  (() => {
    const key = sharedViewKey(sharedFloat64Array(1024));
    id = Number.parseInt(key, 10);
  })();
  for (let attempt = 0; attempt < 20 && !freed.includes(id); attempt++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  stop();
  assert.ok(freed.includes(id), `buffer ${id} was not reported as freed (reported: ${freed.join(', ')})`);
});
