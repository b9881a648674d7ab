// The worker thread. It keeps the functions, contexts and actors it has been sent, runs each batch of
// work items in order and sends results back in batches (long items' results at once). Loops arrive whole and
// their chunks are claimed from a shared counter (runLoop); a blocked main thread's loops arrive as 'sync-loop'
// messages and are answered on a port of their own (runSyncLoop).

import { parentPort, threadId, workerData, type MessagePort } from 'node:worker_threads';
import { WorkerGroup, abortGroup } from './collectives';
import { serializeError } from './errors';
import { rebuildFunction } from './function-source';
import type { BatchMessage, ChunkSpec, ClaimedChunk, LoopSpec, NumericArray, SyncLoopMessage, SyncLoopReply, SyncPortMessage, WorkItem, WorkResult } from './protocol';
import { STATUS_EXITED, STATUS_RUNNING_TASK, SYNC_CRASHED, SYNC_FINISHED } from './protocol';
import { bufferIdOf, typedArrayOf } from './shared-memory';

const port = parentPort;
if (!port) throw new Error('runtime/worker.ts is the Parlens worker entry; start it through the runtime pool, not directly.');

const status: Int32Array = workerData.status;
const functions = new Map<number, Function>();
const sources = new Map<number, string>();
const kernels = new Map<string, Function>();
const contexts = new Map<number, unknown>();
const actors = new Map<number, { instance: Record<string, unknown>; queue: Promise<unknown> }>();
let outbox: WorkResult[] = [];
let flushScheduled = false;
/** When results last went back, or the current batch arrived. */
let lastFlush = 0;
/** A batch's finished results wait at most this long (ms) for the rest of the batch before going back. */
const EARLY_FLUSH_MS = 1;

const clock = (): number => performance.timeOrigin + performance.now();

let syncPort: MessagePort | undefined;
/** The `done` words of the synchronous loop running now, if any. */
let runningSync: Int32Array | undefined;

// A main thread blocked in a synchronous loop waits for this worker in shared memory; if the worker dies
// (process.exit, an uncaught error) it must still count itself, or the main thread would wait forever.
process.on('exit', () => {
  Atomics.store(status, STATUS_EXITED, 1);
  if (runningSync) {
    Atomics.add(runningSync, SYNC_CRASHED, 1);
    finishSync(runningSync);
  }
});

port.on('message', (message: BatchMessage | SyncPortMessage | SyncLoopMessage) => {
  if (message.type === 'sync-port') {
    syncPort = message.port;
    return;
  }
  if (message.type === 'sync-loop') {
    runSyncLoop(message);
    return;
  }
  if (message.release) for (const id of message.release) contexts.delete(id);
  if (message.dropActors) for (const id of message.dropActors) actors.delete(id);
  if (message.releaseBuffers) releaseBuffers(message.releaseBuffers);
  lastFlush = clock();
  for (const item of message.items) {
    if (item.source !== undefined) {
      try {
        learnFunction(item.fn, item.source);
      } catch (error) {
        const at = clock();
        outbox.push({ id: item.id, ok: false, error: serializeError(error), start: at, end: at });
        continue;
      }
    }
    if (item.context !== undefined && item.contextValue !== undefined) contexts.set(item.context, item.contextValue);
    run(item);
    // Results of long items go back at once, so the pool can send more work while the rest of the batch runs;
    // tiny items still share one message.
    if (outbox.length > 0 && clock() - lastFlush > EARLY_FLUSH_MS) flush();
  }
  flush();
});

/** Rebuilds and keeps a function sent for the first time (loop kernels are compiled from its source). */
function learnFunction(id: number, source: string): void {
  if (functions.has(id)) return;
  functions.set(id, rebuildFunction(source, require));
  sources.set(id, source);
}

function run(item: WorkItem): void {
  const start = clock();
  Atomics.store(status, STATUS_RUNNING_TASK, item.id);
  try {
    const value = execute(item);
    if (isThenable(value)) {
      value.then(
        (resolved) => finish({ id: item.id, ok: true, value: resolved, start, end: clock() }),
        (error) => finish({ id: item.id, ok: false, error: serializeError(error), start, end: clock() }),
      );
    } else {
      outbox.push({ id: item.id, ok: true, value, start, end: clock() });
    }
  } catch (error) {
    if (item.group) abortGroup(item.group.control);
    outbox.push({ id: item.id, ok: false, error: serializeError(error), start, end: clock() });
  } finally {
    Atomics.store(status, STATUS_RUNNING_TASK, 0);
  }
}

function execute(item: WorkItem): unknown {
  const context = item.context === undefined ? undefined : contexts.get(item.context);
  switch (item.kind) {
    case 'call':
      return functions.get(item.fn)!(...(item.args ?? []));
    case 'chunk':
      return runChunk(item.fn, item.chunk!, context);
    case 'loop':
      return runLoop(item.fn, item.loop!, context);
    case 'group': {
      const group = new WorkerGroup(item.group!);
      const result = functions.get(item.fn)!(group, context);
      if (isThenable(result)) return result.then(undefined, (error) => { abortGroup(item.group!.control); throw error; });
      return result;
    }
    case 'actor-create': {
      const Class = functions.get(item.fn)! as new (...args: unknown[]) => Record<string, unknown>;
      actors.set(item.actor!, { instance: new Class(...(item.args ?? [])), queue: Promise.resolve() });
      return undefined;
    }
    case 'actor-call':
      return callActor(item);
  }
}

function callActor(item: WorkItem): unknown {
  const actor = actors.get(item.actor!);
  if (!actor) throw new Error(`actor ${item.actor} does not exist in this worker (it failed to construct or was terminated)`);
  const method = actor.instance[item.method!];
  if (typeof method !== 'function') throw new TypeError(`the actor has no method '${item.method}'`);
  // Calls run strictly in order: a call waits for the one before it, even when that one is async.
  const call = actor.queue.then(() => method.apply(actor.instance, item.args ?? []));
  actor.queue = call.then(() => undefined, () => undefined);
  return call;
}

// Each function gets its own loop, compiled around it: the call inside is then monomorphic and V8
// inlines it, instead of a call per element through a shared, polymorphic loop.
const kernelBodies = {
  for: 'for (let i = start; i < end; i++) fn(i, context);',
  mapShared: 'for (let i = start; i < end; i++) out[i] = fn(input[i - offset], i, context);',
  mapCopied: 'for (let i = start; i < end; i++) out[i - start] = fn(input[i - offset], i, context);',
  reduce: 'let acc = identity; for (let i = start; i < end; i++) acc = fn(acc, input[i - offset], i, context); return acc;',
};
// Loops over closed-over shared arrays: a shared input is never sliced, so its index is the loop index.
const boundKernelBodies: Partial<Record<keyof typeof kernelBodies, string>> = {
  mapShared: 'for (let i = start; i < end; i++) out[i] = fn(input[i], i, context);',
  reduce: 'let acc = identity; for (let i = start; i < end; i++) acc = fn(acc, input[i], i, context); return acc;',
};
type KernelKind = keyof typeof kernelBodies;
type Kernel = (input: unknown, out: unknown, start: number, end: number, offset: number, context: unknown, identity: unknown) => unknown;
type BoundKernel = (start: number, end: number, offset: number, context: unknown, identity: unknown) => unknown;

const KERNEL_ARGUMENTS = 'start, end, offset, context, identity';

function compileKernel(fnId: number, kind: KernelKind, arrays: 'parameters' | 'closed over', input?: unknown, out?: unknown): Function {
  const parameters = arrays === 'parameters' ? `input, out, ${KERNEL_ARGUMENTS}` : KERNEL_ARGUMENTS;
  const loop = arrays === 'parameters' ? kernelBodies[kind] : boundKernelBodies[kind];
  const body = `"use strict"; const fn = (${sources.get(fnId)}); return function ${kind}Kernel(${parameters}) { ${loop} };`;
  // __parlens_threadId: compiled `@parallel` bodies record where they ran without naming `require`, which esbuild
  // warns about in ES module output.
  return new Function('__name', 'require', '__parlens_threadId', 'input', 'out', body)((target: unknown) => target, require, threadId, input, out) as Function;
}

function kernelFor(fnId: number, kind: KernelKind): Kernel {
  const key = `${fnId}:${kind}`;
  let kernel = kernels.get(key);
  if (!kernel) {
    kernel = compileKernel(fnId, kind, 'parameters');
    kernels.set(key, kernel);
  }
  return kernel as Kernel;
}

// A loop over shared arrays runs twice as fast when the arrays are constants of the compiled loop (V8 then
// drops the per-element loads of each array's length and data pointer) than when they arrive as arguments:
// measured 21 against 11 GB/s on two workers. Every message brings fresh array objects, so the loop is compiled
// once per function and shared-array pair (sharedViewKey, made on the main thread) and kept, a few at a time.
const BOUND_KERNELS_KEPT = 8;
const boundKernels = new Map<string, { kernel: BoundKernel; buffers: number[] }>();

function boundKernel(fnId: number, kind: KernelKind, chunk: ChunkSpec): BoundKernel {
  const key = `${fnId}:${kind}:${chunk.inputKey}:${chunk.outputKey ?? ''}`;
  let entry = boundKernels.get(key);
  if (entry) {
    boundKernels.delete(key); // re-inserted below: the map's order is least recently used first
  } else {
    const buffers = [chunk.inputKey, chunk.outputKey].filter((k): k is string => k !== undefined).map(bufferIdOf);
    entry = { kernel: compileKernel(fnId, kind, 'closed over', chunk.input, chunk.sharedOutput) as BoundKernel, buffers };
    if (boundKernels.size >= BOUND_KERNELS_KEPT) boundKernels.delete(boundKernels.keys().next().value!);
  }
  boundKernels.set(key, entry);
  return entry.kernel;
}

function releaseBuffers(ids: number[]): void {
  const gone = new Set(ids);
  for (const [key, entry] of boundKernels) if (entry.buffers.some((id) => gone.has(id))) boundKernels.delete(key);
}

function runChunk(fnId: number, chunk: ChunkSpec, context: unknown): unknown {
  const { start, end, inputOffset } = chunk;
  switch (chunk.op) {
    case 'for': {
      kernelFor(fnId, 'for')(undefined, undefined, start, end, 0, context, undefined);
      if (!chunk.writes) return undefined;
      const copied: Record<string, unknown> = {};
      for (const key of chunk.writes) copied[key] = (context as Record<string, { slice(a: number, b: number): unknown }>)[key].slice(start, end);
      return copied;
    }
    case 'map': {
      if (chunk.sharedOutput) {
        if (chunk.inputKey !== undefined && chunk.outputKey !== undefined) boundKernel(fnId, 'mapShared', chunk)(start, end, inputOffset, context, undefined);
        else kernelFor(fnId, 'mapShared')(chunk.input, chunk.sharedOutput, start, end, inputOffset, context, undefined);
        return undefined;
      }
      const out: unknown[] | NumericArray = chunk.outputType ? typedArrayOf(chunk.outputType, end - start) : new Array(end - start);
      kernelFor(fnId, 'mapCopied')(chunk.input, out, start, end, inputOffset, context, undefined);
      return out;
    }
    case 'reduce':
      if (chunk.inputKey !== undefined) return boundKernel(fnId, 'reduce', chunk)(start, end, inputOffset, context, chunk.identity);
      return kernelFor(fnId, 'reduce')(chunk.input, undefined, start, end, inputOffset, context, chunk.identity);
  }
}

/** Claims chunks of the loop from the shared counter until none are left; see LoopSpec. */
function runLoop(fnId: number, loop: LoopSpec, context: unknown): ClaimedChunk[] {
  const claimed: ClaimedChunk[] = [];
  const count = loop.ranges.length / 2;
  try {
    for (let k = Atomics.add(loop.claim, 0, 1); k < count; k = Atomics.add(loop.claim, 0, 1)) {
      const start = clock();
      const value = runChunk(fnId, { ...loop.chunk, start: loop.ranges[2 * k], end: loop.ranges[2 * k + 1] }, context);
      claimed.push({ k, value, start, end: clock() });
    }
  } catch (error) {
    Atomics.store(loop.claim, 0, count); // the loop has failed: the other workers need not take more chunks
    throw error;
  }
  return claimed;
}

function runSyncLoop(message: SyncLoopMessage): void {
  runningSync = message.done;
  let reply: SyncLoopReply;
  try {
    learnFunction(message.fn, message.source);
    reply = { ok: true, value: runLoop(message.fn, message.loop, message.context) };
  } catch (error) {
    reply = { ok: false, error: serializeError(error) };
  }
  try {
    syncPort!.postMessage(reply);
  } catch (error) {
    syncPort!.postMessage({ ok: false, error: serializeError(new TypeError(`the loop's chunk results cannot be sent back to the main thread (${(error as Error).message}); return plain data`)) });
  }
  finishSync(message.done);
  runningSync = undefined; // after counting: dying in between counts twice (harmless), never zero times
}

function finishSync(done: Int32Array): void {
  Atomics.add(done, SYNC_FINISHED, 1);
  Atomics.notify(done, SYNC_FINISHED);
}

function finish(result: WorkResult): void {
  outbox.push(result);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

function flush(): void {
  flushScheduled = false;
  lastFlush = clock();
  if (outbox.length === 0) return;
  const results = outbox;
  outbox = [];
  try {
    port!.postMessage({ type: 'results', results });
  } catch {
    // A result that cannot be cloned (a function, a class instance with private state) fails alone.
    port!.postMessage({ type: 'results', results: results.map(cloneableOrError) });
  }
}

function cloneableOrError(result: WorkResult): WorkResult {
  try {
    structuredClone(result.value);
    return result;
  } catch (error) {
    return {
      ...result,
      ok: false,
      value: undefined,
      error: serializeError(new TypeError(`the task's result cannot be sent back to the main thread (${(error as Error).message}); return plain data, arrays or typed arrays`)),
    };
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}
