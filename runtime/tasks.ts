// Remote functions in the manner of Ray: task(fn) returns a function whose calls return futures at once.
// Futures passed as arguments become edges of a DAG; a call runs when its inputs are ready, and among
// ready calls the one with the longest estimated path to the end of the known graph goes first.

import { onAbort as subscribeAbort } from './abort-listeners';
import { abortError } from './errors';
import { functionSource } from './function-source';
import { Future, isFuture } from './futures';
import { functionId, type Work, type WorkerPool } from './pool';

export interface TaskOptions {
  /** Shown in errors and traces; defaults to the function's name. */
  name?: string;
  /**
   * Estimated run time in ms, used to put the critical path first and to decide how many calls a worker
   * is handed at once. Without it the runtime uses the measured average of earlier calls (or 1 ms for
   * ordering, and one call per worker for dispatch, before the first call has finished).
   */
  cost?: number;
  /** Cancels every call of this remote function that has not finished. */
  signal?: AbortSignal;
}

/** Arguments may be values or futures of values. */
export type RemoteArgs<A extends unknown[]> = { [K in keyof A]: A[K] | PromiseLike<A[K]> };

export interface RemoteFunction<A extends unknown[], R> {
  (...args: RemoteArgs<A>): Future<Awaited<R>>;
  /** The same remote function with other options (a name, a cost, a signal for the calls made through it). */
  with(options: TaskOptions): RemoteFunction<A, R>;
  readonly taskName: string;
}

/** Bookkeeping per call, for priorities: its cost, its longest path to the end, and its unfinished inputs. */
interface TaskNode {
  cost: number;
  bottomLevel: number;
  parents: TaskNode[];
  work?: Work;
  /** Set when the call failed before reaching the pool (a failed input, cancellation). */
  failed: boolean;
}

function isDone(node: TaskNode): boolean {
  return node.failed || node.work?.state === 'done';
}

export function makeRemoteFunction<A extends unknown[], R>(
  resolvePool: () => WorkerPool,
  fn: (...args: A) => R,
  options: TaskOptions = {},
): RemoteFunction<A, R> {
  const source = functionSource(fn, 'task function');
  const remoteTask: RemoteTask = { source, name: options.name ?? (fn.name || 'task'), estimateKey: functionId(source), options };
  const remote = (...args: RemoteArgs<A>): Future<Awaited<R>> => call(resolvePool(), remoteTask, args);
  return Object.assign(remote, {
    with: (more: TaskOptions) => makeRemoteFunction(resolvePool, fn, { ...options, ...more }),
    taskName: remoteTask.name,
  }) as RemoteFunction<A, R>;
}

interface RemoteTask {
  source: string;
  name: string;
  estimateKey: number;
  options: TaskOptions;
}

function call(pool: WorkerPool, remote: RemoteTask, args: unknown[]): Future<never> {
  const { source, name, options } = remote;
  const cost = options.cost ?? pool.estimateOf(remote.estimateKey) ?? 1;
  const node: TaskNode = { cost, bottomLevel: cost, parents: [], failed: false };
  let pending = 0;
  for (const arg of args) {
    if (!isThenable(arg)) continue;
    pending++;
    const parent = isFuture(arg) ? (arg.node as TaskNode | undefined) : undefined;
    if (parent && !isDone(parent)) {
      node.parents.push(parent);
      raise(pool, parent, node.bottomLevel);
    }
  }
  const signal = options.signal;
  let promise: Promise<unknown>;
  if (pending === 0 && !signal) {
    // The common case, kept lean: thousands of tiny calls per second go through here.
    node.work = pool.submit({ kind: 'call', name, source, args, priority: node.bottomLevel, estimateMs: options.cost });
    promise = node.work.promise;
  } else {
    promise = callWithInputsOrSignal(pool, remote, node, args, pending);
  }
  const future = new Future(name, promise) as Future<never>;
  future.node = node;
  return future;
}

function callWithInputsOrSignal(pool: WorkerPool, remote: RemoteTask, node: TaskNode, args: unknown[], pending: number): Promise<unknown> {
  const { source, name } = remote;
  const signal = remote.options.signal;
  if (signal?.aborted) {
    node.failed = true;
    return rejected(abortError(name, signal.reason));
  }
  let rejectEarly!: (error: unknown) => void;
  const early = new Promise<never>((_, reject) => (rejectEarly = reject));
  early.catch(() => undefined);
  const submit = (values: unknown[]): Promise<unknown> => {
    if (node.failed) return early;
    node.work = pool.submit({ kind: 'call', name, source, args: values, priority: node.bottomLevel, estimateMs: remote.options.cost });
    return node.work.promise;
  };
  const unsubscribe = signal
    ? subscribeAbort(signal, () => {
        if (node.work) return pool.cancel(node.work, signal.reason);
        node.failed = true;
        rejectEarly(abortError(name, signal.reason));
      })
    : undefined;
  let result: Promise<unknown>;
  if (pending === 0) {
    result = submit(args);
  } else {
    // The pool must not close under a task that is still waiting for its inputs.
    const release = pool.hold();
    const inputs = Promise.all(args.map((arg) => (isThenable(arg) ? Promise.resolve(arg).catch((error: unknown) => { throw dependencyFailed(name, error); }) : arg)));
    result = Promise.race([inputs, early]).then(submit).finally(release);
  }
  const settled = result.then(
    (value) => value,
    (error: unknown) => {
      if (!node.work) node.failed = true;
      throw error;
    },
  ).finally(() => unsubscribe?.());
  settled.catch(() => undefined);
  return settled;
}

function rejected(error: Error): Promise<never> {
  const promise = Promise.reject(error);
  promise.catch(() => undefined);
  return promise;
}

/** A new dependent lengthens its inputs' paths to the end; queued inputs move up accordingly. */
function raise(pool: WorkerPool, node: TaskNode, pathAfter: number): void {
  const candidate = node.cost + pathAfter;
  if (candidate <= node.bottomLevel) return;
  node.bottomLevel = candidate;
  if (node.work) pool.reprioritize(node.work, candidate);
  for (const parent of node.parents) if (!isDone(parent)) raise(pool, parent, candidate);
}

function dependencyFailed(name: string, error: unknown): Error {
  const why = error instanceof Error ? error.message : String(error);
  return new Error(`Task '${name}' did not run because one of its input futures failed: ${why}`, { cause: error });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}
