// Messages between the pool (main thread) and its workers. Work goes out in batches, results come
// back in batches: one postMessage carries many small tasks, which is where most of the speed is.

import type { MessagePort } from 'node:worker_threads';
import type { SerializedError } from './errors';

export type NumericArray =
  | Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray;

/** One data-parallel chunk: indices [start, end) of the whole iteration space. */
export interface ChunkSpec {
  op: 'for' | 'map' | 'reduce';
  start: number;
  end: number;
  /** Input elements; `inputOffset` is the global index of input[0] (0 for a shared array, `start` for a copied slice). */
  input?: ArrayLike<unknown>;
  inputOffset: number;
  /** Shared output the worker writes in place (map over a shared typed array). */
  sharedOutput?: NumericArray;
  /** sharedViewKey of a shared input and output: the worker keeps a loop compiled around arrays it has seen. */
  inputKey?: string;
  outputKey?: string;
  /** Element type to return a copied typed-array result in (map over an unshared typed array). */
  outputType?: string;
  identity?: unknown;
  /** Context keys of arrays to copy back, elements [start, end) of each (parallelFor over copied arrays). */
  writes?: string[];
}

/**
 * A whole loop handed to every worker at once (OpenMP's dynamic schedule): each worker claims the next chunk
 * from a shared counter until none is left, so chunks flow to whichever worker is free without a message to
 * the main thread and back per chunk. Only for loops whose chunks need no data of their own (shared arrays,
 * index ranges).
 */
export interface LoopSpec {
  /** What every chunk does; its start and end come from `ranges`. */
  chunk: ChunkSpec;
  /** Chunk bounds, flat: [start0, end0, start1, end1, ...]. */
  ranges: number[];
  /** claim[0] is the next chunk to take; a failing worker sets it past the end so the others stop early. */
  claim: Int32Array;
}

/** One chunk of a LoopSpec, as the worker that claimed it ran it. Times are epoch ms on the worker's clock. */
export interface ClaimedChunk {
  k: number;
  value: unknown;
  start: number;
  end: number;
}

export interface GroupSpec {
  rank: number;
  size: number;
  control: Int32Array;
  scratch: Float64Array;
  result: Float64Array;
  counters: Int32Array;
  capacity: number;
}

export type WorkKind = 'call' | 'chunk' | 'loop' | 'actor-create' | 'actor-call' | 'group';

export interface WorkItem {
  id: number;
  kind: WorkKind;
  /** Function (or class, for actor-create) id; its source rides along the first time a worker sees it. */
  fn: number;
  source?: string;
  /** Context id; the value rides along the first time a worker sees it. */
  context?: number;
  contextValue?: unknown;
  args?: unknown[];
  actor?: number;
  method?: string;
  chunk?: ChunkSpec;
  loop?: LoopSpec;
  group?: GroupSpec;
}

export interface BatchMessage {
  type: 'batch';
  items: WorkItem[];
  /** Context ids the worker may forget. */
  release?: number[];
  /** Actor ids the worker may forget. */
  dropActors?: number[];
  /** Shared buffer ids collected on the main thread: the worker drops loops compiled around them. */
  releaseBuffers?: number[];
}

export interface WorkResult {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: SerializedError;
  /** Worker clock, ms since the epoch (performance.timeOrigin + performance.now()). */
  start: number;
  end: number;
}

export interface ResultsMessage {
  type: 'results';
  results: WorkResult[];
}

/** Shared per-worker status: the id of the task running synchronously now, 0 when none. */
export const STATUS_RUNNING_TASK = 0;
/** Set by the worker as it exits: a main thread blocked in a synchronous loop cannot see 'exit' events. */
export const STATUS_EXITED = 1;
export const STATUS_SLOTS = 2;

// Synchronous loops (parallelForSync, `// @parallel` in synchronous code). The main thread blocks in
// Atomics.wait, so it can neither send batches nor receive results as events: each worker has a second port
// the main thread reads with receiveMessageOnPort, and counts finished workers in shared memory.

/** Sent once to every worker when it starts: the port it answers synchronous loops on. */
export interface SyncPortMessage {
  type: 'sync-port';
  port: MessagePort;
}

export interface SyncLoopMessage {
  type: 'sync-loop';
  fn: number;
  source: string;
  context: unknown;
  loop: LoopSpec;
  /** done[SYNC_FINISHED]: workers finished (or exited); done[SYNC_CRASHED]: of those, workers that exited. */
  done: Int32Array;
}

export const SYNC_FINISHED = 0;
export const SYNC_CRASHED = 1;

export interface SyncLoopReply {
  ok: boolean;
  value?: ClaimedChunk[];
  error?: SerializedError;
}
