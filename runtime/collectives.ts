// Collectives for a group of workers that run one function together (SPMD): a barrier, allReduce over
// typed arrays and atomic counters, all on shared memory with Atomics for signalling. The main thread
// builds the shared state (createGroupState); each worker wraps it in a WorkerGroup for the user code.

import type { GroupSpec, NumericArray } from './protocol';

const CONTROL_ARRIVED = 0;
const CONTROL_GENERATION = 1;
const CONTROL_ABORTED = 2;
const CONTROL_SLOTS = 4;
export const GROUP_COUNTERS = 16;

export type ReduceOp = 'sum' | 'min' | 'max';

export interface GroupState {
  control: Int32Array;
  scratch: Float64Array;
  result: Float64Array;
  counters: Int32Array;
  capacity: number;
  size: number;
}

export function createGroupState(size: number, capacity: number): GroupState {
  const line = 8; // doubles per 64-byte cache line: each rank's scratch slot starts on its own line
  const stride = Math.ceil(capacity / line) * line;
  return {
    control: new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4)),
    scratch: new Float64Array(new SharedArrayBuffer(Math.max(8, stride * size * 8))),
    result: new Float64Array(new SharedArrayBuffer(Math.max(8, stride * 8))),
    counters: new Int32Array(new SharedArrayBuffer(GROUP_COUNTERS * 4)),
    capacity: stride,
    size,
  };
}

/** Wakes every rank waiting in a barrier and makes them throw: one rank failed, the rest must not hang. */
export function abortGroup(control: Int32Array): void {
  Atomics.store(control, CONTROL_ABORTED, 1);
  Atomics.add(control, CONTROL_GENERATION, 1);
  Atomics.notify(control, CONTROL_GENERATION);
}

export class GroupAbortedError extends Error {
  override readonly name = 'GroupAbortedError';
  constructor() {
    super('Another worker of this group failed, so the collective was abandoned; see the error of the failing rank.');
  }
}

/** An atomic counter shared by the group. */
export interface SharedCounter {
  /** Adds `delta` and returns the value before the addition. */
  add(delta: number): number;
  /** Claims the next integer: add(1). Handy for work stealing by index. */
  next(): number;
  get(): number;
}

/** What a group function receives: its rank, the group size, and the collectives. */
export class WorkerGroup {
  readonly rank: number;
  readonly size: number;
  private readonly spec: GroupSpec;

  constructor(spec: GroupSpec) {
    this.spec = spec;
    this.rank = spec.rank;
    this.size = spec.size;
  }

  /** Blocks until every rank has called barrier() the same number of times. */
  barrier(): void {
    const control = this.spec.control;
    this.throwIfAborted();
    const generation = Atomics.load(control, CONTROL_GENERATION);
    if (Atomics.add(control, CONTROL_ARRIVED, 1) === this.size - 1) {
      Atomics.store(control, CONTROL_ARRIVED, 0);
      Atomics.add(control, CONTROL_GENERATION, 1);
      Atomics.notify(control, CONTROL_GENERATION);
    } else {
      while (Atomics.load(control, CONTROL_GENERATION) === generation) Atomics.wait(control, CONTROL_GENERATION, generation);
    }
    this.throwIfAborted();
  }

  /**
   * Combines `values` element-wise across all ranks and writes the result back into `values` on every rank.
   * Reduce-scatter then all-gather through shared memory: each rank reduces its own slice of indices, in rank
   * order, so every rank gets bit-identical results.
   */
  allReduce<T extends NumericArray>(values: T, op: ReduceOp = 'sum'): T {
    const { scratch, result, capacity } = this.spec;
    const n = values.length;
    if (n > capacity) {
      throw new RangeError(`allReduce of ${n} elements exceeds the group's capacity of ${capacity}; pass a larger allReduceCapacity to runGroup().`);
    }
    scratch.set(values, this.rank * capacity);
    this.barrier();
    const per = Math.ceil(n / this.size / 8) * 8; // slice edges on cache lines
    const lo = Math.min(n, this.rank * per);
    const hi = Math.min(n, lo + per);
    for (let i = lo; i < hi; i++) {
      let acc = scratch[i];
      for (let r = 1; r < this.size; r++) {
        const v = scratch[r * capacity + i];
        acc = op === 'sum' ? acc + v : op === 'min' ? (v < acc ? v : acc) : (v > acc ? v : acc);
      }
      result[i] = acc;
    }
    this.barrier();
    for (let i = 0; i < n; i++) values[i] = result[i] as never;
    // A third barrier is not needed: the next allReduce reads `result` only after its own first barrier,
    // which every rank reaches only once it has finished copying out of `result`.
    return values;
  }

  /** One of the group's GROUP_COUNTERS atomic counters; runGroup() returns their final values. */
  counter(index: number): SharedCounter {
    if (!(Number.isInteger(index) && index >= 0 && index < GROUP_COUNTERS)) {
      throw new RangeError(`counter index must be an integer in 0..${GROUP_COUNTERS - 1}, got ${index}`);
    }
    const counters = this.spec.counters;
    return {
      add: (delta: number) => Atomics.add(counters, index, delta),
      next: () => Atomics.add(counters, index, 1),
      get: () => Atomics.load(counters, index),
    };
  }

  private throwIfAborted(): void {
    if (Atomics.load(this.spec.control, CONTROL_ABORTED) !== 0) throw new GroupAbortedError();
  }
}
