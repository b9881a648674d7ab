// runGroup: one function on several workers at once (SPMD), with collectives between them. Each rank is
// pinned to its own worker, so a barrier never waits for a rank that has no thread to run on.

import { abortGroup, createGroupState, WorkerGroup } from './collectives';
import { onAbort as subscribeAbort } from './abort-listeners';
import { abortError } from './errors';
import { functionSource } from './function-source';
import type { WorkerPool, Work } from './pool';

export interface GroupOptions<C> {
  /** Sent once to each rank; shared typed arrays in it are shared by all ranks (Hogwild-style updates). */
  context?: C;
  /** Ranks, at most the pool's worker count (default: all workers). */
  size?: number;
  /** Largest array allReduce accepts, in elements (default 65,536). */
  allReduceCapacity?: number;
  signal?: AbortSignal;
  name?: string;
}

export interface GroupRun<R> {
  /** Each rank's return value, by rank. */
  results: R[];
  /** Final values of the group's atomic counters (group.counter(i)). */
  counters: number[];
}

export async function runGroup<C, R>(
  pool: WorkerPool,
  fn: (group: WorkerGroup, context: C) => R,
  options: GroupOptions<C> = {},
): Promise<GroupRun<Awaited<R>>> {
  const source = functionSource(fn, 'group function');
  const size = options.size ?? pool.size;
  if (!(Number.isInteger(size) && size >= 1 && size <= pool.size)) {
    throw new RangeError(`group size must be an integer in 1..${pool.size} (the pool's workers): every rank needs its own thread or the barrier would never open.`);
  }
  const name = options.name ?? (fn.name || 'group');
  options.signal?.throwIfAborted();
  const state = createGroupState(size, options.allReduceCapacity ?? 65_536);
  const context = options.context === undefined ? undefined : pool.registerContext(options.context);
  const works: Work[] = [];
  for (let rank = 0; rank < size; rank++) {
    works.push(pool.submit({
      kind: 'group',
      name: `${name}[rank ${rank}]`,
      source,
      context,
      slot: rank,
      retryable: false,
      group: { rank, size, control: state.control, scratch: state.scratch, result: state.result, counters: state.counters, capacity: state.capacity },
    }));
  }
  // A failed or cancelled rank must release the others from their barriers.
  for (const work of works) work.promise.catch(() => abortGroup(state.control));
  const unsubscribe = options.signal ? subscribeAbort(options.signal, () => {
    abortGroup(state.control);
    for (const work of works) pool.cancel(work, options.signal!.reason);
  }) : undefined;
  try {
    const settled = await Promise.allSettled(works.map((work) => work.promise));
    if (options.signal?.aborted) throw abortError(name, options.signal.reason);
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
    if (failures.length > 0) {
      // The ranks released by the abort only report that; the first real failure is the useful error.
      throw failures.find((error) => !isGroupAborted(error)) ?? failures[0];
    }
    const results = settled.map((s) => (s as PromiseFulfilledResult<Awaited<R>>).value);
    return { results, counters: Array.from(state.counters) };
  } finally {
    unsubscribe?.();
    if (context !== undefined) pool.releaseContext(context);
  }
}

function isGroupAborted(error: unknown): boolean {
  return error instanceof Error && error.cause instanceof Error && error.cause.name === 'GroupAbortedError';
}
