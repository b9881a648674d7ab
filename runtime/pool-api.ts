// The public face of a worker pool: every parallel operation, bound to one set of threads.

import { makeActor, type ActorHandle, type ActorOptions } from './actors';
import type { WorkerGroup } from './collectives';
import {
  parallelFor, parallelForSync, parallelMap, parallelMapSync, parallelReduce, parallelReduceSync,
  type DataParallelOptions, type MapOptions, type ParallelForOptions, type SyncForOptions, type SyncLoopOptions, type SyncMapOptions,
} from './data-parallel';
import { runGroup, type GroupOptions, type GroupRun } from './group';
import { WorkerPool, type PoolOptions, type PoolStats } from './pool';
import type { NumericArray } from './protocol';
import { makeRemoteFunction, type RemoteFunction, type TaskOptions } from './tasks';
import type { Trace } from './trace';

export class Pool {
  private readonly workers: WorkerPool;

  constructor(options: PoolOptions = {}) {
    this.workers = new WorkerPool(options);
  }

  /** Worker threads in this pool. */
  get size(): number {
    return this.workers.size;
  }

  get closed(): boolean {
    return this.workers.closed;
  }

  /** Runs body(i, context) for every integer i in [start, end). See ParallelForOptions.writes for plain arrays. */
  parallelFor<C = undefined>(start: number, end: number, body: (index: number, context: C) => void, options?: ParallelForOptions<C>): Promise<void> {
    return parallelFor(this.workers, start, end, body, options);
  }

  /** Maps over a typed array: the result has the same type, and is shared when the input is shared. */
  parallelMap<T extends NumericArray, C = undefined>(input: T, fn: (element: number, index: number, context: C) => number, options?: MapOptions<C>): Promise<T>;
  /** Maps over a plain array: elements are copied to workers in chunks and results copied back. */
  parallelMap<T, R, C = undefined>(input: readonly T[], fn: (element: T, index: number, context: C) => R, options?: DataParallelOptions<C>): Promise<R[]>;
  parallelMap(input: readonly unknown[] | NumericArray, fn: (element: never, index: number, context: never) => unknown, options?: MapOptions<unknown>): Promise<unknown> {
    return parallelMap(this.workers, input, fn as (element: unknown, index: number, context: unknown) => unknown, options);
  }

  /** Reduces chunks in workers with fn, then their results here with combine, in order. */
  parallelReduce<T extends NumericArray, A, C = undefined>(input: T, fn: (accumulator: A, element: number, index: number, context: C) => A, combine: (left: A, right: A) => A, identity: A, options?: DataParallelOptions<C>): Promise<A>;
  parallelReduce<T, A, C = undefined>(input: readonly T[], fn: (accumulator: A, element: T, index: number, context: C) => A, combine: (left: A, right: A) => A, identity: A, options?: DataParallelOptions<C>): Promise<A>;
  parallelReduce(input: readonly unknown[] | NumericArray, fn: (accumulator: never, element: never, index: number, context: never) => unknown, combine: (left: never, right: never) => unknown, identity: unknown, options?: DataParallelOptions<unknown>): Promise<unknown> {
    return parallelReduce(this.workers, input, fn as never, combine as never, identity, options);
  }

  /**
   * parallelFor for synchronous code: blocks this thread until every iteration has run. Plain arrays named in
   * `writes` are copied back as with parallelFor. Nothing else on this thread runs meanwhile (no timers, no I/O
   * callbacks), so prefer the async form wherever you can await.
   */
  parallelForSync<C = undefined>(start: number, end: number, body: (index: number, context: C) => void, options?: SyncForOptions<C>): void {
    parallelForSync(this.workers, start, end, body, options);
  }

  /** parallelMap for synchronous code, over a typed array in shared memory (sharedFloat64Array(), ...); blocks until done. */
  parallelMapSync<T extends NumericArray, C = undefined>(input: T, fn: (element: number, index: number, context: C) => number, options?: SyncMapOptions<C>): T {
    return parallelMapSync(this.workers, input, fn, options) as T;
  }

  /** parallelReduce for synchronous code, over a typed array in shared memory; blocks until done. */
  parallelReduceSync<T extends NumericArray, A, C = undefined>(input: T, fn: (accumulator: A, element: number, index: number, context: C) => A, combine: (left: A, right: A) => A, identity: A, options?: SyncLoopOptions<C>): A {
    return parallelReduceSync(this.workers, input, fn, combine, identity, options);
  }

  /** A remote function: calls return futures, futures may be passed as arguments (a DAG). */
  task<A extends unknown[], R>(fn: (...args: A) => R, options?: TaskOptions): RemoteFunction<A, R> {
    return makeRemoteFunction(() => this.workers, fn, options);
  }

  /** A stateful instance of Class in one worker; method calls return futures and run in order. */
  actor<C extends new (...args: never[]) => object>(Class: C, options?: ActorOptions<ConstructorParameters<C>>): ActorHandle<InstanceType<C>> {
    return makeActor(this.workers, Class, options);
  }

  /** Runs fn(group, context) on `size` workers at once, with barrier/allReduce/counters between them. */
  runGroup<C, R>(fn: (group: WorkerGroup, context: C) => R, options?: GroupOptions<C>): Promise<GroupRun<Awaited<R>>> {
    return runGroup(this.workers, fn, options);
  }

  startTracing(): void {
    this.workers.startTracing();
  }

  /** The events since startTracing(); see runtime/README.md for the format. */
  stopTracing(): Trace {
    return this.workers.stopTracing();
  }

  stats(): PoolStats {
    return this.workers.stats();
  }

  /** 'drain' (default) finishes queued work first; 'abort' rejects it. Resolves once every thread has exited. */
  close(options?: { mode?: 'drain' | 'abort' }): Promise<void> {
    return this.workers.close(options);
  }
}
