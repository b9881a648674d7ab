// Every example's parallel function must give what its sequential function gives.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPool } from '../../runtime/index';
import { makeBatch, preprocessParallel, preprocessSequential } from '../../examples/preprocess';
import { best, makeDataset, searchParallel, searchSequential } from '../../examples/hyperparameter-grid';
import { runDagParallel, runDagSequential } from '../../examples/task-dag';
import { estimatePiParallel, estimatePiSequential } from '../../examples/monte-carlo-pi';
import { makeMatrices, multiplyParallel, multiplySequential } from '../../examples/matrix-multiply';
import { makeProblem, meanSquaredError, trainHogwild, trainSequential, trainSynchronous } from '../../examples/sgd';
import { fetchConcurrent, fetchSequential, startServer } from '../../examples/http-fan-out';

const pool = createPool({ workers: 3 });
after(() => pool.close());

test('preprocess: parallel rows equal sequential rows', async () => {
  const expected = preprocessSequential(makeBatch(12, 333));
  const actual = await preprocessParallel(pool, makeBatch(12, 333));
  assert.deepEqual(Array.from(actual), Array.from(expected));
});

test('hyperparameter grid: same losses for every setting and fold', async () => {
  const data = makeDataset(300, 5);
  const expected = searchSequential(data, 3, 10);
  const actual = await searchParallel(pool, data, 3, 10);
  assert.deepEqual(actual, expected);
  assert.deepEqual(best(actual), best(expected));
});

test('task DAG: same results', async () => {
  assert.deepEqual(await runDagParallel(pool, 0.2), runDagSequential(0.2));
});

test('Monte Carlo π: identical estimate', async () => {
  const expected = estimatePiSequential(12, 20_000);
  assert.equal(await estimatePiParallel(pool, 12, 20_000), expected);
  assert.ok(Math.abs(expected - Math.PI) < 0.02);
});

test('blocked matrix multiply: bit-identical product, also for a size that is not a multiple of the block', async () => {
  for (const n of [64, 77]) {
    const expected = multiplySequential(makeMatrices(n, 16));
    const actual = await multiplyParallel(pool, makeMatrices(n, 16));
    assert.deepEqual(Array.from(actual), Array.from(expected));
    // And it is a product: check one entry by the definition.
    const m = makeMatrices(n, 16);
    let c01 = 0;
    for (let k = 0; k < n; k++) c01 += m.a[k] * m.b[k * n + 1];
    assert.ok(Math.abs(actual[1] - c01) < 1e-9);
  }
});

test('synchronous SGD with allReduce is bit-identical to the sequential reference; Hogwild converges near it', async () => {
  const problem = makeProblem(2000, 8, 3, 40);
  const expected = trainSequential(problem);
  const actual = await trainSynchronous(pool, problem);
  assert.deepEqual(Array.from(actual), Array.from(expected));
  const hogwild = await trainHogwild(pool, problem, 5);
  assert.equal(hogwild.updates, 5 * 2000);
  assert.ok(meanSquaredError(problem, hogwild.weights) < 1e-3, `Hogwild MSE ${meanSquaredError(problem, hogwild.weights)}`);
});

test('HTTP fan-out: concurrent results equal sequential ones, in order', async () => {
  const { server, baseUrl } = await startServer(2);
  try {
    const ids = Array.from({ length: 20 }, (_, i) => i * 3);
    assert.deepEqual(await fetchConcurrent(baseUrl, ids, 5), await fetchSequential(baseUrl, ids));
  } finally {
    server.close();
  }
});
