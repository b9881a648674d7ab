// parlens/runtime: data and task parallelism on worker threads, with collectives, cancellation and traces.
//
// The top-level functions use a default pool (one worker per core) opened on first use; createPool()
// gives a pool of your own. Functions you hand to the runtime run in workers: they are rebuilt from
// their source text, so they must be self-contained (see runtime/README.md).

import type { ActorHandle, ActorOptions } from './actors';
import type { WorkerGroup } from './collectives';
import type { DataParallelOptions, MapOptions, ParallelForOptions, SyncForOptions, SyncLoopOptions, SyncMapOptions } from './data-parallel';
import type { GroupOptions, GroupRun } from './group';
import { functionSource } from './function-source';
import { Pool } from './pool-api';
import type { PoolOptions, PoolStats } from './pool';
import type { NumericArray } from './protocol';
import type { RemoteArgs, RemoteFunction, TaskOptions } from './tasks';
import type { Trace } from './trace';

export { Pool } from './pool-api';
export type { PoolOptions, PoolStats } from './pool';
export type { DataParallelOptions, MapOptions, ParallelForOptions, SyncForOptions, SyncLoopOptions, SyncMapOptions } from './data-parallel';
export type { TaskOptions, RemoteFunction, RemoteArgs } from './tasks';
export type { ActorHandle, ActorOptions } from './actors';
export type { GroupOptions, GroupRun } from './group';
export type { WorkerGroup, SharedCounter, ReduceOp } from './collectives';
export { GroupAbortedError, GROUP_COUNTERS } from './collectives';
export type { NumericArray } from './protocol';
export type { Trace, TraceEvent } from './trace';
export { Future, get, all, any, race } from './futures';
export { TaskError, WorkerCrashedError, FunctionSourceError, PoolClosedError, ActorLostError } from './errors';
export {
  sharedFloat64Array, sharedFloat32Array, sharedInt32Array, sharedUint8Array, sharedLike, isShared, transferMode,
} from './shared-memory';
export { planChunks, CACHE_LINE_BYTES } from './chunking';
export { mapConcurrent } from './concurrency';

let defaultPoolInstance: Pool | undefined;
let defaultOptions: PoolOptions = {};

export function createPool(options?: PoolOptions): Pool {
  return new Pool(options);
}

/** The pool the top-level functions use; a closed one is replaced by a fresh one on next use. */
export function defaultPool(): Pool {
  if (!defaultPoolInstance || defaultPoolInstance.closed) defaultPoolInstance = new Pool(defaultOptions);
  return defaultPoolInstance;
}

/** Options for the default pool; takes effect the next time it is opened (after close(), or before first use). */
export function configureDefaultPool(options: PoolOptions): void {
  defaultOptions = { ...options };
}

export function parallelFor<C = undefined>(start: number, end: number, body: (index: number, context: C) => void, options?: ParallelForOptions<C>): Promise<void> {
  return defaultPool().parallelFor(start, end, body, options);
}

export function parallelMap<T extends NumericArray, C = undefined>(input: T, fn: (element: number, index: number, context: C) => number, options?: MapOptions<C>): Promise<T>;
export function parallelMap<T, R, C = undefined>(input: readonly T[], fn: (element: T, index: number, context: C) => R, options?: DataParallelOptions<C>): Promise<R[]>;
// Implementation signatures are as loose as the overloads above need; callers only see the overloads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function parallelMap(input: any, fn: any, options?: any): Promise<unknown> {
  return defaultPool().parallelMap(input, fn, options);
}

export function parallelReduce<T extends NumericArray, A, C = undefined>(input: T, fn: (accumulator: A, element: number, index: number, context: C) => A, combine: (left: A, right: A) => A, identity: A, options?: DataParallelOptions<C>): Promise<A>;
export function parallelReduce<T, A, C = undefined>(input: readonly T[], fn: (accumulator: A, element: T, index: number, context: C) => A, combine: (left: A, right: A) => A, identity: A, options?: DataParallelOptions<C>): Promise<A>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function parallelReduce(input: any, fn: any, combine: any, identity: unknown, options?: any): Promise<unknown> {
  return defaultPool().parallelReduce(input, fn, combine, identity, options);
}

/** Blocking parallelFor for synchronous code; see Pool.parallelForSync. */
export function parallelForSync<C = undefined>(start: number, end: number, body: (index: number, context: C) => void, options?: SyncForOptions<C>): void {
  defaultPool().parallelForSync(start, end, body, options);
}

/** Blocking parallelMap over a shared typed array; see Pool.parallelMapSync. */
export function parallelMapSync<T extends NumericArray, C = undefined>(input: T, fn: (element: number, index: number, context: C) => number, options?: SyncMapOptions<C>): T {
  return defaultPool().parallelMapSync(input, fn, options);
}

/** Blocking parallelReduce over a shared typed array; see Pool.parallelReduceSync. */
export function parallelReduceSync<T extends NumericArray, A, C = undefined>(input: T, fn: (accumulator: A, element: number, index: number, context: C) => A, combine: (left: A, right: A) => A, identity: A, options?: SyncLoopOptions<C>): A {
  return defaultPool().parallelReduceSync(input, fn, combine, identity, options);
}

/** A remote function on the default pool; it follows the default pool across close() and reopen. */
export function task<A extends unknown[], R>(fn: (...args: A) => R, options?: TaskOptions): RemoteFunction<A, R> {
  let boundTo: Pool | undefined;
  let bound: RemoteFunction<A, R> | undefined;
  const current = (): RemoteFunction<A, R> => {
    const pool = defaultPool();
    if (pool !== boundTo || !bound) {
      boundTo = pool;
      bound = pool.task(fn, options);
    }
    return bound;
  };
  functionSource(fn, 'task function'); // fails here, where the mistake is, rather than at the first call
  const remote = (...args: RemoteArgs<A>) => current()(...args);
  return Object.assign(remote, {
    with: (more: TaskOptions) => task(fn, { ...options, ...more }),
    taskName: options?.name ?? (fn.name || 'task'),
  });
}

export function actor<C extends new (...args: never[]) => object>(Class: C, options?: ActorOptions<ConstructorParameters<C>>): ActorHandle<InstanceType<C>> {
  return defaultPool().actor(Class, options);
}

export function runGroup<C, R>(fn: (group: WorkerGroup, context: C) => R, options?: GroupOptions<C>): Promise<GroupRun<Awaited<R>>> {
  return defaultPool().runGroup(fn, options);
}

export function startTracing(): void {
  defaultPool().startTracing();
}

export function stopTracing(): Trace {
  return defaultPool().stopTracing();
}

export function stats(): PoolStats | undefined {
  return defaultPoolInstance?.stats();
}

/** Closes the default pool ('drain' by default). Safe to call when it was never opened. */
export async function close(options?: { mode?: 'drain' | 'abort' }): Promise<void> {
  const pool = defaultPoolInstance;
  defaultPoolInstance = undefined;
  await pool?.close(options);
}
// The entry code compiled from `// @parallel` loops calls (see server/esbuild/README.md).
export { runAnnotatedLoop, runAnnotatedLoopSync, annotatedLoopRuns, closeAnnotationPools } from './annotated-loop';
export type { AnnotatedLoop, AnnotatedLoopRun, LoopChunkAccumulator, LoopContext } from './annotated-loop';
