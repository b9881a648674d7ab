// Two ways to train linear regression on several workers (CS6787's parallel SGD):
//   - synchronous data-parallel SGD: each rank computes the gradient of its shard, allReduce sums them,
//     every rank applies the same update, so all stay in lockstep (what DistributedDataParallel does);
//   - Hogwild!: ranks update one shared weight vector with no locks at all; races add a little noise.
// Run: npx tsx examples/sgd.ts

import { createPool, sharedFloat64Array, type Pool, type WorkerGroup } from '../runtime/index';
import { reportTime, seededRandom } from './timing';

export interface Problem {
  features: Float64Array;
  targets: Float64Array;
  samples: number;
  dimensions: number;
  steps: number;
  learningRate: number;
  /** Ranks the data is sharded over (sample i belongs to shard i % shards). */
  shards: number;
}

export function makeProblem(samples: number, dimensions: number, shards: number, steps: number, seed = 11): Problem {
  const random = seededRandom(seed);
  const truth = Array.from({ length: dimensions }, (_, j) => (j % 2 === 0 ? 1 : -1) * (1 + j / dimensions));
  const features = sharedFloat64Array(samples * dimensions);
  const targets = sharedFloat64Array(samples);
  for (let i = 0; i < samples; i++) {
    let y = 0;
    for (let j = 0; j < dimensions; j++) {
      const x = random() * 2 - 1;
      features[i * dimensions + j] = x;
      y += x * truth[j];
    }
    targets[i] = y + (random() - 0.5) * 0.01;
  }
  return { features, targets, samples, dimensions, steps, learningRate: 0.5, shards };
}

/** Adds the squared-error gradient of shard `shard` at `weights` into `gradient`. Self-contained. */
export function addShardGradient(problem: Problem, shard: number, weights: Float64Array, gradient: Float64Array): void {
  const { features, targets, samples, dimensions: d, shards } = problem;
  for (let i = shard; i < samples; i += shards) {
    let error = -targets[i];
    for (let j = 0; j < d; j++) error += features[i * d + j] * weights[j];
    for (let j = 0; j < d; j++) gradient[j] += (error * features[i * d + j]) / samples;
  }
}

export function meanSquaredError(problem: Problem, weights: ArrayLike<number>): number {
  const { features, targets, samples, dimensions: d } = problem;
  let total = 0;
  for (let i = 0; i < samples; i++) {
    let error = -targets[i];
    for (let j = 0; j < d; j++) error += features[i * d + j] * weights[j];
    total += error * error;
  }
  return total / samples;
}

/** The sequential reference: the same sharded gradients, summed in shard order, so results match bit for bit. */
export function trainSequential(problem: Problem): Float64Array {
  const weights = new Float64Array(problem.dimensions);
  for (let step = 0; step < problem.steps; step++) {
    const total = new Float64Array(problem.dimensions);
    for (let shard = 0; shard < problem.shards; shard++) {
      const gradient = new Float64Array(problem.dimensions);
      addShardGradient(problem, shard, weights, gradient);
      for (let j = 0; j < total.length; j++) total[j] += gradient[j];
    }
    for (let j = 0; j < weights.length; j++) weights[j] -= problem.learningRate * total[j];
  }
  return weights;
}

/** One rank of synchronous SGD. The shard gradient is inlined: a group function is rebuilt alone in its worker. */
export function synchronousRank(group: WorkerGroup, problem: Problem): number[] {
  const { features, targets, samples, dimensions: d, steps, learningRate } = problem;
  const weights = new Float64Array(d);
  for (let step = 0; step < steps; step++) {
    const gradient = new Float64Array(d);
    for (let i = group.rank; i < samples; i += group.size) {
      let error = -targets[i];
      for (let j = 0; j < d; j++) error += features[i * d + j] * weights[j];
      for (let j = 0; j < d; j++) gradient[j] += (error * features[i * d + j]) / samples;
    }
    group.allReduce(gradient, 'sum');
    for (let j = 0; j < d; j++) weights[j] -= learningRate * gradient[j];
  }
  return Array.from(weights);
}

export async function trainSynchronous(pool: Pool, problem: Problem): Promise<Float64Array> {
  const { results } = await pool.runGroup(synchronousRank, { context: problem, size: problem.shards, name: 'sync-sgd' });
  return Float64Array.from(results[0]);
}

export interface HogwildProblem extends Problem {
  /** The one weight vector every rank reads and writes without locks. */
  shared: Float64Array;
  epochs: number;
}

/** One Hogwild! rank: per-sample SGD on its shard, straight into the shared weights. */
export function hogwildRank(group: WorkerGroup, problem: HogwildProblem): number {
  const { features, targets, samples, dimensions: d, shared, epochs } = problem;
  const step = 0.05;
  let updates = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = group.rank; i < samples; i += group.size) {
      let error = -targets[i];
      for (let j = 0; j < d; j++) error += features[i * d + j] * shared[j];
      for (let j = 0; j < d; j++) shared[j] -= step * error * features[i * d + j];
      updates++;
    }
  }
  group.counter(0).add(updates);
  return updates;
}

export async function trainHogwild(pool: Pool, problem: Problem, epochs: number): Promise<{ weights: Float64Array; updates: number }> {
  const shared = sharedFloat64Array(problem.dimensions);
  const { counters } = await pool.runGroup(hogwildRank, { context: { ...problem, shared, epochs }, size: problem.shards, name: 'hogwild' });
  return { weights: shared, updates: counters[0] };
}

async function main(): Promise<void> {
  const pool = createPool();
  const problem = makeProblem(20_000, 16, pool.size, 150);
  try {
    // Warm up both sides (worker start, JIT) outside the timing.
    const small = makeProblem(200, 4, pool.size, 3);
    trainSequential(small);
    await trainSynchronous(pool, small);
    const sequential = reportTime('sequential SGD      ', () => trainSequential(problem));
    const synchronous = await reportTime('synchronous (allReduce)', () => trainSynchronous(pool, problem));
    const hogwild = await reportTime('Hogwild! (lock-free)   ', () => trainHogwild(pool, problem, 3));
    const same = synchronous.value.every((w, j) => w === sequential.value[j]);
    console.log(`MSE: sequential ${meanSquaredError(problem, sequential.value).toExponential(3)}, synchronous ${meanSquaredError(problem, synchronous.value).toExponential(3)} (bit-identical: ${same}), Hogwild ${meanSquaredError(problem, hogwild.value.weights).toExponential(3)} after ${hogwild.value.updates} racy updates`);
    console.log(`synchronous speedup ${(sequential.ms / synchronous.ms).toFixed(2)}x on ${pool.size} workers, ${problem.steps} allReduce rounds`);
  } finally {
    await pool.close();
  }
}

if (require.main === module) void main();
