// Monte Carlo estimate of π: throw points at the unit square, count those inside the quarter circle.
// Each batch has its own seed, so the parallel count equals the sequential one exactly.
// Run: npx tsx examples/monte-carlo-pi.ts

import { createPool, type Pool } from '../runtime/index';
import { reportTime } from './timing';

export interface PiSettings {
  samples: number;
}

/**
 * Adds the hits of one batch (points from a xorshift generator seeded by the batch id) to `total`.
 * Self-contained, so the same function runs sequentially here and rebuilt inside the workers.
 */
export function addHits(total: number, batch: number, _index: number, settings: PiSettings): number {
  let state = (batch * 2654435761 + 1) >>> 0 || 1;
  let inside = 0;
  for (let i = 0; i < settings.samples; i++) {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    const x = state / 4294967296;
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    const y = state / 4294967296;
    if (x * x + y * y <= 1) inside++;
  }
  return total + inside;
}

export function batchIds(batches: number): number[] {
  return Array.from({ length: batches }, (_, i) => i);
}

export function estimatePiSequential(batches: number, samples: number): number {
  const settings = { samples };
  let hits = 0;
  for (const batch of batchIds(batches)) hits = addHits(hits, batch, batch, settings);
  return (4 * hits) / (batches * samples);
}

export async function estimatePiParallel(pool: Pool, batches: number, samples: number): Promise<number> {
  const hits = await pool.parallelReduce(batchIds(batches), addHits, (a, b) => a + b, 0, { context: { samples } });
  return (4 * hits) / (batches * samples);
}

async function main(): Promise<void> {
  const batches = 64;
  const samples = 500_000;
  const pool = createPool();
  try {
    // Warm up both sides (worker start, JIT) outside the timing.
    estimatePiSequential(4, 10_000);
    await estimatePiParallel(pool, 4, 10_000);
    const sequential = reportTime('sequential', () => estimatePiSequential(batches, samples));
    const parallel = await reportTime('parlens   ', () => estimatePiParallel(pool, batches, samples));
    console.log(`π ≈ ${parallel.value} from ${batches * samples} points (sequential ${sequential.value}; error ${Math.abs(parallel.value - Math.PI).toExponential(2)})`);
    console.log(`speedup ${(sequential.ms / parallel.ms).toFixed(2)}x on ${pool.size} workers`);
  } finally {
    await pool.close();
  }
}

if (require.main === module) void main();
