// parallelFor, parallelMap and parallelReduce: one function over an index range or an array, cut into
// chunks (see chunking.ts) that run on the pool's workers.
//
// Data movement, by input type:
//   - typed array on a SharedArrayBuffer (sharedFloat64Array(), ...): workers read it in place and a map
//     writes into a shared output, no copies at all;
//   - plain array or ordinary typed array: each chunk's elements are copied to a worker and its results
//     copied back.

import { onAbort as subscribeAbort } from './abort-listeners';
import { planChunks, type ChunkPlanInput } from './chunking';
import { abortError } from './errors';
import { functionSource } from './function-source';
import type { WorkerPool, Work } from './pool';
import type { ChunkSpec, ClaimedChunk, LoopSpec, NumericArray } from './protocol';
import { isNumericArray, isShared, sharedLike, sharedViewKey } from './shared-memory';

export interface DataParallelOptions<C = unknown> {
  /**
   * Values the function needs besides its element, sent once to each worker and passed as the last
   * argument. The function cannot see variables around it (it is rebuilt from source in the worker), so
   * anything it uses goes here. Shared typed arrays in it are shared; everything else is copied.
   */
  context?: C;
  /** Fixed elements per chunk, instead of the automatic size (which follows workers and measured cost). */
  chunkSize?: number;
  /** Cancels the loop: queued chunks are dropped, running ones are stopped by replacing their worker. */
  signal?: AbortSignal;
  /** Shown in errors and traces. Defaults to the function's name. */
  name?: string;
}

export interface MapOptions<C> extends DataParallelOptions<C> {
  /**
   * Shared typed array to write the results into, instead of a fresh one: reusing an array skips the page
   * faults of new memory, which on large maps cost as much as the map itself. Same type and length as the input.
   */
  output?: NumericArray;
}

export interface ParallelForOptions<C> extends DataParallelOptions<C> {
  /**
   * Keys of `context` holding plain arrays (or unshared typed arrays) that the body writes: after each chunk
   * the elements [chunkStart, chunkEnd) of each are copied back into your array. The body may write only
   * element i for iteration i of these. Shared typed arrays need no entry: writes land directly.
   */
  writes?: Array<keyof C & string>;
}

export type SyncLoopOptions<C> = Omit<DataParallelOptions<C>, 'signal'>;
export type SyncForOptions<C> = Omit<ParallelForOptions<C>, 'signal'>;
export type SyncMapOptions<C> = Omit<MapOptions<C>, 'signal'>;

/** ns per element measured for each function, keyed by its source: the next run sizes chunks from it. */
const costPerElement = new Map<string, number>();

interface ChunkResult {
  spec: ChunkSpec;
  value: unknown;
}

/**
 * How chunks reach workers. 'claimed': every worker gets the whole loop once and claims chunks from a shared
 * counter (no main-thread round trip per chunk; for chunks that carry no data of their own: shared arrays and
 * index ranges). 'dispatched': each chunk is a message of its own, carrying its slice of a copied input.
 */
type Schedule = NonNullable<ChunkPlanInput['schedule']>;

/** One data-parallel operation, independent of whether it is awaited or run blocking. */
interface LoopPlan<R> {
  /** 'parallelFor', 'parallelMap', ...: for errors. */
  operation: string;
  source: string;
  length: number;
  schedule: Schedule;
  /** A typed array whose chunk edges should fall on cache lines. */
  layout?: NumericArray;
  makeChunk(lo: number, hi: number): ChunkSpec;
  /** Builds the result from the chunks' values, in chunk order. */
  finish(results: ChunkResult[]): R;
}

function forPlan<C>(start: number, end: number, body: (index: number, context: C) => void, options: ParallelForOptions<C>): LoopPlan<void> {
  if (!(Number.isInteger(start) && Number.isInteger(end))) throw new RangeError(`parallelFor needs integer bounds, got ${start}..${end}`);
  const writes = options.writes?.length ? options.writes : undefined;
  if (writes) checkWritable(options.context, writes);
  return {
    operation: 'parallelFor',
    source: functionSource(body, 'parallelFor body'),
    length: end - start,
    schedule: 'claimed',
    makeChunk: (lo, hi) => ({ op: 'for', start: start + lo, end: start + hi, inputOffset: 0, writes }),
    finish(results) {
      if (!writes) return;
      const context = options.context as Record<string, { [index: number]: unknown }>;
      for (const { spec, value } of results) {
        const copied = value as Record<string, ArrayLike<unknown>>;
        for (const key of writes) {
          const target = context[key];
          const part = copied[key];
          for (let i = 0; i < part.length; i++) target[spec.start + i] = part[i];
        }
      }
    },
  };
}

function mapPlan<T, R, C>(input: readonly T[] | NumericArray, fn: (element: T, index: number, context: C) => R, options: MapOptions<C>): LoopPlan<R[] | NumericArray> {
  const source = functionSource(fn, 'parallelMap function');
  if (isNumericArray(input) && isShared(input)) {
    const output = options.output ?? sharedLike(input);
    checkOutput(input, output);
    const inputKey = sharedViewKey(input);
    const outputKey = sharedViewKey(output);
    return {
      operation: 'parallelMap',
      source,
      length: input.length,
      schedule: 'claimed',
      layout: input,
      makeChunk: (lo, hi) => ({ op: 'map', start: lo, end: hi, input, inputOffset: 0, sharedOutput: output, inputKey, outputKey }),
      finish: () => output,
    };
  }
  const typed = isNumericArray(input) ? input : undefined;
  return {
    operation: 'parallelMap',
    source,
    length: input.length,
    schedule: 'dispatched',
    layout: typed,
    makeChunk: (lo, hi) => ({ op: 'map', start: lo, end: hi, input: input.slice(lo, hi) as ArrayLike<unknown>, inputOffset: lo, outputType: typed?.constructor.name }),
    finish(results) {
      const output: unknown[] | NumericArray = typed ? new (typed.constructor as new (n: number) => NumericArray)(input.length) : new Array(input.length);
      for (const { spec, value } of results) {
        const part = value as ArrayLike<unknown>;
        for (let i = 0; i < part.length; i++) (output as unknown[])[spec.start + i] = part[i];
      }
      return output as R[] | NumericArray;
    },
  };
}

function reducePlan<T, A, C>(
  input: readonly T[] | NumericArray,
  fn: (accumulator: A, element: T, index: number, context: C) => A,
  combine: (left: A, right: A) => A,
  identity: A,
): LoopPlan<A> {
  const shared = isNumericArray(input) && isShared(input);
  const inputKey = shared ? sharedViewKey(input) : undefined;
  return {
    operation: 'parallelReduce',
    source: functionSource(fn, 'parallelReduce function'),
    length: input.length,
    schedule: shared ? 'claimed' : 'dispatched',
    layout: isNumericArray(input) ? input : undefined,
    makeChunk: (lo, hi) => (shared
      ? { op: 'reduce', start: lo, end: hi, input, inputOffset: 0, identity, inputKey }
      : { op: 'reduce', start: lo, end: hi, input: input.slice(lo, hi) as ArrayLike<unknown>, inputOffset: lo, identity }),
    finish(results) {
      let accumulator = identity;
      for (const { value } of results) accumulator = combine(accumulator, value as A);
      return accumulator;
    },
  };
}

/** Runs body(i, context) for every integer i in [start, end) on the pool's workers. */
export async function parallelFor<C>(pool: WorkerPool, start: number, end: number, body: (index: number, context: C) => void, options: ParallelForOptions<C> = {}): Promise<void> {
  return runPlan(pool, forPlan(start, end, body, options), options);
}

/**
 * Maps `fn(element, index, context)` over `input`. A typed array gives a typed array of the same type
 * (shared if the input is shared: workers write it in place); a plain array gives a plain array.
 */
export async function parallelMap<T, R, C>(pool: WorkerPool, input: readonly T[] | NumericArray, fn: (element: T, index: number, context: C) => R, options: MapOptions<C> = {}): Promise<R[] | NumericArray> {
  return runPlan(pool, mapPlan(input, fn, options), options);
}

/**
 * Folds each chunk with `fn(accumulator, element, index, context)` from `identity` in a worker, then folds
 * the chunk results in order with `combine` on this thread. Equals the sequential reduce when `combine`
 * is associative, `identity` is its neutral element and `fn(acc, x)` = `combine(acc, fn(identity, x))`.
 */
export async function parallelReduce<T, A, C>(
  pool: WorkerPool,
  input: readonly T[] | NumericArray,
  fn: (accumulator: A, element: T, index: number, context: C) => A,
  combine: (left: A, right: A) => A,
  identity: A,
  options: DataParallelOptions<C> = {},
): Promise<A> {
  return runPlan(pool, reducePlan(input, fn, combine, identity), options);
}

// Blocking forms, for synchronous code: this thread waits in Atomics.wait while the workers run the loop.
// They take index ranges and shared typed arrays only, whose chunks workers claim by themselves.

export function parallelForSync<C>(pool: WorkerPool, start: number, end: number, body: (index: number, context: C) => void, options: SyncForOptions<C> = {}): void {
  return runPlanSync(pool, forPlan(start, end, body, options), options);
}

export function parallelMapSync<C>(pool: WorkerPool, input: NumericArray, fn: (element: number, index: number, context: C) => number, options: SyncMapOptions<C> = {}): NumericArray {
  return runPlanSync(pool, mapPlan(input, fn, options), options) as NumericArray;
}

export function parallelReduceSync<A, C>(
  pool: WorkerPool,
  input: NumericArray,
  fn: (accumulator: A, element: number, index: number, context: C) => A,
  combine: (left: A, right: A) => A,
  identity: A,
  options: SyncLoopOptions<C> = {},
): A {
  return runPlanSync(pool, reducePlan(input, fn, combine, identity), options);
}

function chunkRanges<R>(pool: WorkerPool, plan: LoopPlan<R>, options: DataParallelOptions<unknown>): Array<[number, number]> {
  return planChunks({
    length: plan.length,
    workers: pool.size,
    costNsPerElement: costPerElement.get(plan.source),
    bytesPerElement: plan.layout?.BYTES_PER_ELEMENT,
    byteOffset: plan.layout?.byteOffset,
    chunkSize: options.chunkSize,
    schedule: plan.schedule,
  });
}

/** The loop every worker runs at once, claiming chunks; bounds are in the chunks' own index space. */
function claimedLoop(specs: ChunkSpec[]): LoopSpec {
  return { chunk: specs[0], ranges: specs.flatMap((spec) => [spec.start, spec.end]), claim: new Int32Array(new SharedArrayBuffer(4)) };
}

function inChunkOrder(specs: ChunkSpec[], perWorker: ClaimedChunk[][]): ChunkResult[] {
  const results: ChunkResult[] = new Array(specs.length);
  for (const claimed of perWorker) for (const { k, value } of claimed) results[k] = { spec: specs[k], value };
  return results;
}

function runPlanSync<R>(pool: WorkerPool, plan: LoopPlan<R>, options: SyncLoopOptions<unknown>): R {
  if (plan.schedule !== 'claimed') {
    throw new TypeError(`${plan.operation}Sync needs a typed array on a SharedArrayBuffer (sharedFloat64Array(), sharedLike(), ...): `
      + `a blocked thread cannot hand out chunks of a copied array one by one. Put the data in shared memory, or use ${plan.operation} and await it.`);
  }
  if (plan.length <= 0) return plan.finish([]);
  const specs = chunkRanges(pool, plan, options).map(([lo, hi]) => plan.makeChunk(lo, hi));
  const started = performance.now();
  const perWorker = pool.runLoopSync(options.name ?? 'parallel loop', plan.source, claimedLoop(specs), options.context);
  recordCost(plan.source, plan.length, performance.now() - started, pool.size);
  return plan.finish(inChunkOrder(specs, perWorker));
}

async function runPlan<R>(pool: WorkerPool, plan: LoopPlan<R>, options: DataParallelOptions<unknown>): Promise<R> {
  if (plan.length <= 0) return plan.finish([]);
  const { source, length } = plan;
  const name = options.name ?? 'parallel loop';
  options.signal?.throwIfAborted();
  const cost = costPerElement.get(source);
  const specs = chunkRanges(pool, plan, options).map(([lo, hi]) => plan.makeChunk(lo, hi));
  const context = options.context === undefined ? undefined : pool.registerContext(options.context);
  const estimateMs = (elements: number): number | undefined => (cost === undefined ? undefined : (elements * cost) / 1e6);
  const works: Work[] = [];
  if (plan.schedule === 'claimed') {
    const loop = claimedLoop(specs);
    const participants = Math.min(pool.size, specs.length);
    for (let p = 0; p < participants; p++) {
      // Not retryable: the chunks a crashed worker had claimed are gone with it, so the loop fails rather than hangs.
      works.push(pool.submit({ kind: 'loop', name, source, loop, context, estimateMs: estimateMs(length / participants), retryable: false }));
    }
  } else {
    for (const spec of specs) works.push(pool.submit({ kind: 'chunk', name, source, chunk: spec, context, estimateMs: estimateMs(spec.end - spec.start) }));
  }
  const unsubscribe = options.signal
    ? subscribeAbort(options.signal, () => {
        for (const work of works) pool.cancel(work, options.signal!.reason);
      })
    : undefined;
  const started = performance.now();
  try {
    const values = await Promise.all(works.map((work) => work.promise));
    recordCost(source, length, performance.now() - started, pool.size);
    return plan.finish(plan.schedule === 'claimed' ? inChunkOrder(specs, values as ClaimedChunk[][]) : values.map((value, k) => ({ spec: specs[k], value })));
  } catch (error) {
    // One failed chunk fails the loop; the rest need not run.
    for (const work of works) if (work.state === 'queued') pool.cancel(work, error);
    if (options.signal?.aborted) throw abortError(name, options.signal.reason);
    throw error;
  } finally {
    unsubscribe?.();
    if (context !== undefined) pool.releaseContext(context);
  }
}

/** Wall time × workers / elements is an upper bound on the per-element cost, which is what sizing needs. */
function recordCost(source: string, length: number, wallMs: number, workers: number): void {
  const ns = (wallMs * 1e6 * workers) / length;
  const previous = costPerElement.get(source);
  costPerElement.set(source, previous === undefined ? ns : (previous + ns) / 2);
}

function checkOutput(input: NumericArray, output: NumericArray): void {
  if (output.constructor !== input.constructor || output.length !== input.length || !isShared(output)) {
    throw new TypeError(`options.output must be a shared ${input.constructor.name} of length ${input.length} (see sharedLike(input)).`);
  }
}

function checkWritable(context: unknown, writes: string[]): void {
  for (const key of writes) {
    const value = (context as Record<string, unknown> | undefined)?.[key];
    if (!Array.isArray(value) && !isNumericArray(value)) {
      throw new TypeError(`options.writes names '${key}', but options.context.${key} is not an array or typed array; list only arrays the body writes.`);
    }
  }
}
