// Per-item preprocessing of many arrays (data parallelism): standardise each array to zero mean and unit
// variance, as a multiprocessing Pool.map over .npy files would. The arrays are rows of one matrix in
// shared memory, so workers read and write them in place; copying 8 million numbers to the workers and
// back would cost more than the arithmetic. Run: npx tsx examples/preprocess.ts

import { createPool, sharedFloat64Array, type Pool } from '../runtime/index';
import { reportTime, seededRandom } from './timing';

export interface RowBatch {
  /** `rows` arrays of `length` values each, row after row. */
  input: Float64Array;
  output: Float64Array;
  length: number;
}

export function makeBatch(rows: number, length: number, seed = 1): RowBatch {
  const random = seededRandom(seed);
  const input = sharedFloat64Array(rows * length);
  for (let i = 0; i < input.length; i++) input[i] = random() * 100 + 50;
  return { input, output: sharedFloat64Array(rows * length), length };
}

/** Standardises row `row` of the batch into the output. Self-contained: it also runs inside workers. */
export function standardiseRow(row: number, batch: RowBatch): void {
  const { input, output, length } = batch;
  const first = row * length;
  let sum = 0;
  for (let i = first; i < first + length; i++) sum += input[i];
  const mean = sum / length;
  let squares = 0;
  for (let i = first; i < first + length; i++) squares += (input[i] - mean) * (input[i] - mean);
  const deviation = Math.sqrt(squares / length) + 1e-8;
  for (let i = first; i < first + length; i++) output[i] = (input[i] - mean) / deviation;
}

export function preprocessSequential(batch: RowBatch): Float64Array {
  const rows = batch.input.length / batch.length;
  for (let row = 0; row < rows; row++) standardiseRow(row, batch);
  return batch.output;
}

export async function preprocessParallel(pool: Pool, batch: RowBatch): Promise<Float64Array> {
  await pool.parallelFor(0, batch.input.length / batch.length, standardiseRow, { context: batch });
  return batch.output;
}

async function main(): Promise<void> {
  const rows = 400;
  const length = 20_000;
  const pool = createPool();
  try {
    // Warm up both sides (worker start, JIT) outside the timing.
    preprocessSequential(makeBatch(8, 1000));
    await preprocessParallel(pool, makeBatch(8, 1000));
    const forSequential = makeBatch(rows, length);
    const forParallel = makeBatch(rows, length);
    const sequential = reportTime('sequential', () => preprocessSequential(forSequential));
    const parallel = await reportTime('parlens   ', () => preprocessParallel(pool, forParallel));
    const equal = parallel.value.every((v, i) => v === sequential.value[i]);
    console.log(`${rows} arrays of ${length}; first value ${parallel.value[0].toFixed(6)}; equal to sequential: ${equal}`);
    console.log(`speedup ${(sequential.ms / parallel.ms).toFixed(2)}x on ${pool.size} workers`);
  } finally {
    await pool.close();
  }
}

if (require.main === module) void main();
