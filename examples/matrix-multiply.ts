// Blocked matrix multiply C = A·B on shared memory: the chunked algorithm of the Dask notes. Each
// parallelFor iteration computes one band of rows of C block by block, so a block of B is reused while it
// sits in cache, and workers write disjoint rows. Run: npx tsx examples/matrix-multiply.ts

import { createPool, sharedFloat64Array, type Pool } from '../runtime/index';
import { reportTime, seededRandom } from './timing';

export interface Matrices {
  n: number;
  block: number;
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
}

export function makeMatrices(n: number, block: number, seed = 3): Matrices {
  const random = seededRandom(seed);
  const a = sharedFloat64Array(n * n);
  const b = sharedFloat64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    a[i] = random() - 0.5;
    b[i] = random() - 0.5;
  }
  return { n, block, a, b, c: sharedFloat64Array(n * n) };
}

/** Computes rows [band·block, (band+1)·block) of C. Self-contained: it also runs inside workers. */
export function multiplyBand(band: number, m: Matrices): void {
  const { n, block, a, b, c } = m;
  const rowEnd = Math.min(n, (band + 1) * block);
  for (let i = band * block; i < rowEnd; i++) for (let j = 0; j < n; j++) c[i * n + j] = 0;
  for (let kk = 0; kk < n; kk += block) {
    const kEnd = Math.min(n, kk + block);
    for (let jj = 0; jj < n; jj += block) {
      const jEnd = Math.min(n, jj + block);
      for (let i = band * block; i < rowEnd; i++) {
        for (let k = kk; k < kEnd; k++) {
          const aik = a[i * n + k];
          for (let j = jj; j < jEnd; j++) c[i * n + j] += aik * b[k * n + j];
        }
      }
    }
  }
}

export function bands(m: Matrices): number {
  return Math.ceil(m.n / m.block);
}

export function multiplySequential(m: Matrices): Float64Array {
  for (let band = 0; band < bands(m); band++) multiplyBand(band, m);
  return m.c;
}

export async function multiplyParallel(pool: Pool, m: Matrices): Promise<Float64Array> {
  await pool.parallelFor(0, bands(m), multiplyBand, { context: m });
  return m.c;
}

async function main(): Promise<void> {
  const n = 512;
  const block = 32;
  const pool = createPool();
  try {
    // Warm up both sides (worker start, JIT) outside the timing.
    multiplySequential(makeMatrices(128, block));
    await multiplyParallel(pool, makeMatrices(128, block));
    const forSequential = makeMatrices(n, block);
    const forParallel = makeMatrices(n, block);
    const sequential = reportTime('sequential', () => multiplySequential(forSequential));
    const parallel = await reportTime('parlens   ', () => multiplyParallel(pool, forParallel));
    const equal = parallel.value.every((v, i) => v === sequential.value[i]);
    const gflops = (2 * n ** 3) / (parallel.ms * 1e6);
    console.log(`${n}×${n} in ${block}×${block} blocks; C[0] = ${parallel.value[0].toFixed(6)}; equal to sequential: ${equal}; ${gflops.toFixed(2)} GFLOP/s`);
    console.log(`speedup ${(sequential.ms / parallel.ms).toFixed(2)}x on ${pool.size} workers`);
  } finally {
    await pool.close();
  }
}

if (require.main === module) void main();
