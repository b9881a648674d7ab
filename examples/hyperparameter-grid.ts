// A hyperparameter grid with k-fold cross-validation (futures, in the manner of Ray's train_fold.remote):
// ridge regression fitted by gradient descent for every (learning rate, penalty, fold); each fit is a
// remote call returning a future, and the best setting is chosen from their averages.
// Run: npx tsx examples/hyperparameter-grid.ts

import { createPool, get, sharedFloat64Array, type Pool } from '../runtime/index';
import { reportTime, seededRandom } from './timing';

/** Rows of features, flattened, in shared memory: every fit reads the same data, none copies it. */
export interface Dataset {
  features: Float64Array;
  targets: Float64Array;
  dimensions: number;
}

export interface Setting {
  learningRate: number;
  penalty: number;
}

export interface Score extends Setting {
  validationLoss: number;
}

export function makeDataset(samples: number, dimensions: number, seed = 7): Dataset {
  const random = seededRandom(seed);
  const truth = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const features = sharedFloat64Array(samples * dimensions);
  const targets = sharedFloat64Array(samples);
  for (let i = 0; i < samples; i++) {
    let target = 0;
    for (let j = 0; j < dimensions; j++) {
      features[i * dimensions + j] = random() * 2 - 1;
      target += features[i * dimensions + j] * truth[j];
    }
    targets[i] = target + (random() - 0.5) * 0.1;
  }
  return { features, targets, dimensions };
}

export const grid: Setting[] = [0.01, 0.03, 0.1].flatMap((learningRate) => [0, 0.01, 0.1].map((penalty) => ({ learningRate, penalty })));

/** Trains on every fold but `fold` and returns the mean squared error on `fold`. Self-contained for workers. */
export function validateFold(data: Dataset, setting: Setting, fold: number, folds: number, epochs: number): number {
  const n = data.targets.length;
  const d = data.dimensions;
  const weights = new Array<number>(d).fill(0);
  const inFold = (i: number) => i % folds === fold;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gradient = new Array<number>(d).fill(0);
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (inFold(i)) continue;
      let error = -data.targets[i];
      for (let j = 0; j < d; j++) error += data.features[i * d + j] * weights[j];
      for (let j = 0; j < d; j++) gradient[j] += error * data.features[i * d + j];
      count++;
    }
    for (let j = 0; j < d; j++) weights[j] -= setting.learningRate * (gradient[j] / count + setting.penalty * weights[j]);
  }
  let loss = 0;
  let held = 0;
  for (let i = 0; i < n; i++) {
    if (!inFold(i)) continue;
    let error = -data.targets[i];
    for (let j = 0; j < d; j++) error += data.features[i * d + j] * weights[j];
    loss += error * error;
    held++;
  }
  return loss / held;
}

function summarise(settings: Setting[], losses: number[][]): Score[] {
  return settings.map((setting, s) => ({ ...setting, validationLoss: losses[s].reduce((a, b) => a + b, 0) / losses[s].length }));
}

export function searchSequential(data: Dataset, folds: number, epochs: number): Score[] {
  const losses = grid.map((setting) => Array.from({ length: folds }, (_, fold) => validateFold(data, setting, fold, folds, epochs)));
  return summarise(grid, losses);
}

export async function searchParallel(pool: Pool, data: Dataset, folds: number, epochs: number): Promise<Score[]> {
  const fit = pool.task(validateFold);
  const futures = grid.map((setting) => Array.from({ length: folds }, (_, fold) => fit(data, setting, fold, folds, epochs)));
  const losses = await Promise.all(futures.map((row) => get(row)));
  return summarise(grid, losses);
}

export function best(scores: Score[]): Score {
  return scores.reduce((a, b) => (b.validationLoss < a.validationLoss ? b : a));
}

async function main(): Promise<void> {
  const data = makeDataset(2000, 20);
  const folds = 5;
  const epochs = 60;
  const pool = createPool();
  try {
    // Warm up both sides (worker start, JIT) outside the timing.
    searchSequential(makeDataset(50, 4), 2, 5);
    await searchParallel(pool, makeDataset(50, 4), 2, 5);
    const sequential = reportTime('sequential', () => searchSequential(data, folds, epochs));
    const parallel = await reportTime('parlens   ', () => searchParallel(pool, data, folds, epochs));
    const winner = best(parallel.value);
    console.log(`${grid.length} settings × ${folds} folds; best: learning rate ${winner.learningRate}, penalty ${winner.penalty}, validation MSE ${winner.validationLoss.toFixed(5)}`);
    console.log(`equal to sequential: ${JSON.stringify(parallel.value) === JSON.stringify(sequential.value)}; speedup ${(sequential.ms / parallel.ms).toFixed(2)}x on ${pool.size} workers`);
  } finally {
    await pool.close();
  }
}

if (require.main === module) void main();
