import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createPool, sharedFloat64Array, sharedInt32Array, transferMode, isShared } from '../../runtime/index';

const pool = createPool({ workers: 2 });
after(() => pool.close());

test('parallelMap over plain arrays equals Array.prototype.map (property)', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { maxLength: 3000 }), fc.integer({ min: 1, max: 50 }), async (values, factor) => {
    const expected = values.map((x, i) => x * factor + i);
    const actual = await pool.parallelMap(values, (x: number, i: number, ctx: { factor: number }) => x * ctx.factor + i, { context: { factor } });
    assert.deepEqual(actual, expected);
  }), { numRuns: 25 });
});

test('parallelMap over objects and strings keeps order and structure', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.record({ name: fc.string(), n: fc.integer() }), { maxLength: 500 }), async (records) => {
    const actual = await pool.parallelMap(records, (r: { name: string; n: number }) => `${r.name}:${r.n * 2}`);
    assert.deepEqual(actual, records.map((r) => `${r.name}:${r.n * 2}`));
  }), { numRuns: 15 });
});

test('parallelReduce equals the sequential reduce for sums, maxima and string concatenation (property)', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 5000 }), async (values) => {
    const sum = await pool.parallelReduce(values, (acc: number, x: number) => acc + x, (a, b) => a + b, 0);
    assert.equal(sum, values.reduce((a, x) => a + x, 0));
    const max = await pool.parallelReduce(values, (acc: number, x: number) => Math.max(acc, x), Math.max, -Infinity);
    assert.equal(max, values.reduce((a, x) => Math.max(a, x), -Infinity));
    // Not commutative: passes only if chunks are combined in order.
    const text = await pool.parallelReduce(values, (acc: string, x: number) => acc + String.fromCharCode(65 + (Math.abs(x) % 26)), (a, b) => a + b, '');
    assert.equal(text, values.map((x) => String.fromCharCode(65 + (Math.abs(x) % 26))).join(''));
  }), { numRuns: 20 });
});

test('map over a shared Float64Array writes a shared output in place, bit-identical to the sequential map', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { maxLength: 20_000 }), async (values) => {
    const input = sharedFloat64Array(values);
    assert.equal(transferMode(input), 'shared');
    const output = await pool.parallelMap(input, (x) => Math.sqrt(Math.abs(x)) * 3 + 1);
    assert.ok(output instanceof Float64Array && isShared(output));
    assert.deepEqual(Array.from(output), values.map((x) => Math.sqrt(Math.abs(x)) * 3 + 1));
  }), { numRuns: 15 });
});

test('map over an unshared typed array copies and returns the same type', async () => {
  const input = Int32Array.from({ length: 10_001 }, (_, i) => i - 5000);
  assert.equal(transferMode(input), 'copy');
  const output = await pool.parallelMap(input, (x) => x * x);
  assert.ok(output instanceof Int32Array && !isShared(output));
  assert.deepEqual(Array.from(output), Array.from(input, (x) => x * x));
});

test('shared typed-array reduce reads in place', async () => {
  const input = sharedInt32Array(Array.from({ length: 100_000 }, (_, i) => i % 97));
  const total = await pool.parallelReduce(input, (acc: number, x) => acc + x, (a, b) => a + b, 0);
  assert.equal(total, input.reduce((a, x) => a + x, 0));
});

test('parallelFor writes shared arrays directly and copies back plain arrays named in writes', async () => {
  const shared = sharedFloat64Array(5000);
  const plain = new Array<number>(5000).fill(0);
  await pool.parallelFor(0, 5000, (i, ctx: { shared: Float64Array; plain: number[] }) => {
    ctx.shared[i] = i * 0.5;
    ctx.plain[i] = i * 3;
  }, { context: { shared, plain }, writes: ['plain'] });
  assert.deepEqual(Array.from(shared), Array.from({ length: 5000 }, (_, i) => i * 0.5));
  assert.deepEqual(plain, Array.from({ length: 5000 }, (_, i) => i * 3));
});

test('parallelFor over an offset range passes global indices', async () => {
  const seen = sharedInt32Array(100);
  await pool.parallelFor(40, 60, (i, ctx: { seen: Int32Array }) => { Atomics.add(ctx.seen, i, 1); }, { context: { seen } });
  assert.deepEqual(Array.from(seen), Array.from({ length: 100 }, (_, i) => (i >= 40 && i < 60 ? 1 : 0)));
});

test('empty inputs return empty results without touching workers', async () => {
  assert.deepEqual(await pool.parallelMap([], (x: number) => x), []);
  assert.equal(await pool.parallelReduce([] as number[], (a: number, x: number) => a + x, (a, b) => a + b, 7), 7);
  await pool.parallelFor(5, 5, () => { throw new Error('must not run'); });
});

test('writes must name arrays in the context', async () => {
  await assert.rejects(
    pool.parallelFor(0, 10, () => undefined, { context: { n: 3 }, writes: ['n'] }),
    /options.writes names 'n', but options.context.n is not an array/,
  );
});
