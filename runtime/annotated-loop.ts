// What code compiled from `// @parallel` (by parlens/esbuild) calls: one counted `for` loop, or one for-of loop
// over an array or typed array (run as an index loop over it), run over the pool.
//
// The loop runs as a parallelReduce over its iteration numbers. Each chunk's accumulator carries what the
// main thread needs after the loop: the chunk's partial reductions and the elements it wrote into copied
// arrays. The main thread folds chunks in order, so reductions combine left to right and write-backs land
// at the same indices the sequential loop writes.

import { createPool, defaultPool } from './index';
import type { Pool } from './pool-api';
import { isNumericArray, isShared, sharedUint8Array } from './shared-memory';

export type AnnotationReductionOperator = '+' | '*' | '&&' | '||' | '|' | '&' | '^' | 'max' | 'min';

/** Per chunk: created by the compiled body on its first iteration (the identity sent is null on purpose, see below). */
export interface LoopChunkAccumulator {
  /** Iteration number (0-based) of the chunk's first iteration. */
  lo: number;
  /** Partial reduction values, by variable. */
  r: Record<string, unknown>;
  /** Elements written at the loop index into copied arrays, in iteration order, by variable. */
  w: Record<string, unknown[]>;
  /**
   * threadId of the worker that ran the chunk: evidence (for people and tests) that the loop left the main thread.
   * The compiled body reads it from `__parlens_threadId`, which the worker's loop kernels define.
   */
  thread: number;
}

/** The context the compiled body receives; its field names are part of the compiled code's contract. */
export interface LoopContext {
  start: number;
  step: number;
  values: Record<string, unknown>;
  ids: Record<string, unknown>;
  /** Copied arrays whose elements at the loop index are sent back (shared ones are written in place). */
  wb: Record<string, true>;
  /** A for-of loop's array: the body binds its element as `iterated[index]`. */
  iterated?: ArrayLike<unknown>;
}

export interface AnnotatedLoop {
  /** `file:line`, shown in traces and errors. */
  name: string;
  /** What was annotated, for errors: 'for-of loop', 'map() call', … (default: 'for-of loop' for an iterated array). */
  construct?: string;
  /** Counted loops: the bounds as written (`inclusive` for `<=`). For-of loops give `iterated` instead. */
  start?: number;
  end?: number;
  inclusive?: boolean;
  step?: number;
  /** For-of loops: the array iterated over, evaluated once before the loop; must be an array or typed array. */
  iterated?: unknown;
  /** Its source text, for errors. */
  iteratedText?: string;
  body: (accumulator: LoopChunkAccumulator | null, unused: number, k: number, context: LoopContext) => LoopChunkAccumulator;
  /** Values the body reads from around the loop, by name, and the line each is first used on (for errors). */
  values: Record<string, unknown>;
  valueLines: Record<string, number>;
  reductions: { variable: string; operator: AnnotationReductionOperator; initial: unknown }[];
  /** Arrays written only at the loop index: written back after the loop unless they are shared. */
  writes: string[];
  /** Arrays written at other subscripts: only a shared typed array makes those writes visible. */
  sharedOnly: string[];
  chunk?: number;
  workers?: number;
}

export interface AnnotatedLoopRun {
  name: string;
  iterations: number;
  chunks: number;
  /** Distinct worker threadIds that ran chunks (never 0, the main thread). */
  threads: number[];
}

const runs: AnnotatedLoopRun[] = [];

/** Every annotated loop run so far in this process, oldest first (kept small: the last 1000). */
export function annotatedLoopRuns(): AnnotatedLoopRun[] {
  return runs.slice();
}

/** Runs the loop; resolves to the final values of its reduction variables once every write is back. */
export async function runAnnotatedLoop(loop: AnnotatedLoop): Promise<Record<string, unknown>> {
  const { results, run } = prepare(loop);
  if (!run) return results;
  await poolFor(loop.workers).parallelReduce(indexSpace(run.count), loop.body as never, run.combine as never, null, run.options);
  return run.done();
}

/**
 * The same for a loop in synchronous code: blocks this thread until the workers are done (Atomics.wait), so
 * nothing else on it runs meanwhile — no timers, no I/O callbacks, no other awaited work.
 */
export function runAnnotatedLoopSync(loop: AnnotatedLoop): Record<string, unknown> {
  const { results, run } = prepare(loop);
  if (!run) return results;
  poolFor(loop.workers).parallelReduceSync(indexSpace(run.count), loop.body as never, run.combine as never, null, run.options);
  return run.done();
}

interface PreparedLoop {
  /** Reduction values so far, by variable; final once every chunk is combined. */
  results: Record<string, unknown>;
  /** What the pool runs; absent when the loop has no iterations. */
  run?: {
    count: number;
    combine: (total: null, part: LoopChunkAccumulator) => null;
    options: { context: LoopContext; name: string; chunkSize?: number };
    /** Records the run and returns the results. */
    done(): Record<string, unknown>;
  };
}

/** Checks the loop's values and builds what both the awaited and the blocking run need. */
function prepare(loop: AnnotatedLoop): PreparedLoop {
  const { start, step, count, iterated } = iterationSpace(loop);
  const results: Record<string, unknown> = {};
  for (const reduction of loop.reductions) results[reduction.variable] = reduction.initial;
  const threads = new Set<number>();
  let chunks = 0;
  // The combine runs here, on the main thread, over chunks in order: it folds reductions and writes back.
  const combine = (total: null, part: LoopChunkAccumulator): null => {
    chunks++;
    threads.add(part.thread);
    for (const reduction of loop.reductions) {
      results[reduction.variable] = fold(reduction.operator, results[reduction.variable], part.r[reduction.variable]);
    }
    for (const [name, elements] of Object.entries(part.w)) {
      const target = loop.values[name] as { [index: number]: unknown };
      for (let j = 0; j < elements.length; j++) target[start + (part.lo + j) * step] = elements[j];
    }
    return total;
  };
  const done = (): Record<string, unknown> => {
    record({ name: loop.name, iterations: count, chunks, threads: [...threads].sort((a, b) => a - b) });
    return results;
  };
  if (count === 0) return { results };
  checkValues(loop);
  const wb: Record<string, true> = {};
  for (const name of loop.writes) {
    const value = loop.values[name];
    if (!Array.isArray(value) && !isNumericArray(value)) {
      throw new TypeError(`${loop.name}: the loop writes ${name}[…] (line ${loop.valueLines[name]}), but '${name}' is not an array or typed array; only array elements can be written back from workers.`);
    }
    if (!isShared(value)) wb[name] = true;
  }
  for (const name of loop.sharedOnly) {
    if (!isShared(loop.values[name])) {
      throw new TypeError(`${loop.name}: the loop writes '${name}' at an index other than the loop counter (line ${loop.valueLines[name]}); workers write their own copies of a plain array, so those writes would be lost. Allocate '${name}' with sharedFloat64Array()/sharedInt32Array()/… from parlens/runtime, or write only ${name}[counter].`);
    }
  }
  const context: LoopContext = { start, step, values: loop.values, ids: identities(loop), wb, ...(iterated ? { iterated } : {}) };
  // The identity is null so that each chunk builds its own accumulator: chunks batched into one message
  // would otherwise share one structured-cloned identity object and add into each other's partials.
  return { results, run: { count, combine, options: { context, name: loop.name, ...(loop.chunk !== undefined ? { chunkSize: loop.chunk } : {}) }, done } };
}

interface IterationSpace { start: number; step: number; count: number; iterated?: ArrayLike<unknown> }

function iterationSpace(loop: AnnotatedLoop): IterationSpace {
  if ('iterated' in loop) {
    const iterated = loop.iterated;
    if (!Array.isArray(iterated) && !(ArrayBuffer.isView(iterated) && !(iterated instanceof DataView))) {
      const what = loop.iteratedText || 'the value';
      throw new TypeError(`${loop.name}: the @parallel ${loop.construct ?? 'for-of loop'} at line ${lineOf(loop.name)} iterates over ${what}, which is ${describe(iterated)}, not an array or typed array; `
        + `the compiled loop runs it by index, and iterating it any other way would run the wrong iterations. Iterate over Array.from(${what}) instead${iterated instanceof Map ? ` (its [key, value] pairs; Array.from(${what}.values()) for the values)` : ''}.`);
    }
    const problem = uncloneable(iterated, 0);
    if (problem) {
      throw new TypeError(`${loop.name}: the @parallel ${loop.construct ?? 'for-of loop'} iterates over ${loop.iteratedText || 'an array'}, which holds ${problem}; its elements are copied to the workers and would arrive broken. Iterate over plain data instead.`);
    }
    return { start: 0, step: 1, count: (iterated as ArrayLike<unknown>).length, iterated: iterated as ArrayLike<unknown> };
  }
  const { start = 0, step = 1, inclusive = false } = loop;
  const end = loop.end ?? Number.NaN;
  if (![start, end, step].every(Number.isFinite)) {
    throw new RangeError(`${loop.name}: the loop bounds must be finite numbers, got start ${loop.start}, end ${loop.end}, step ${loop.step}`);
  }
  // i = start, start + step, … while i < end (or i <= end): counted exactly, whole or fractional bounds alike.
  const count = inclusive
    ? (end >= start ? Math.floor((end - start) / step) + 1 : 0)
    : (end > start ? Math.ceil((end - start) / step) : 0);
  return { start, step, count };
}

/** The line in a `file:line` loop name. */
function lineOf(name: string): string {
  return /:(\d+)$/.exec(name)?.[1] ?? '?';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value === 'function' ? 'a function' : `a ${typeof value}`;
  if (value instanceof Set) return 'a Set';
  if (value instanceof Map) return 'a Map';
  if (typeof (value as { next?: unknown }).next === 'function' && Symbol.iterator in value) return 'an iterator (a generator, or a method such as .values())';
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return name ? `an instance of ${name}` : 'an object';
}

const pools = new Map<number, Pool>();

/** workers(n): a pool of that size, kept for the process (its idle workers do not keep the process alive). */
function poolFor(workers: number | undefined): Pool {
  if (workers === undefined) return defaultPool();
  let pool = pools.get(workers);
  if (!pool || pool.closed) {
    pool = createPool({ workers });
    pools.set(workers, pool);
  }
  return pool;
}

/** Closes the pools opened for workers(n) clauses; the default pool is closed by close() as usual. */
export async function closeAnnotationPools(): Promise<void> {
  const open = [...pools.values()];
  pools.clear();
  await Promise.all(open.map((pool) => pool.close()));
}

let space: Uint8Array | undefined;

/**
 * The loop reduces over iteration numbers, so it needs an input of that length. A shared array is passed by
 * reference (never sliced or copied), and one buffer, grown as needed, serves every loop: a byte per iteration.
 */
function indexSpace(count: number): Uint8Array {
  if (!space || space.length < count) space = sharedUint8Array(Math.max(count, 2 * (space?.length ?? 0), 1024));
  return space.subarray(0, count);
}

/** Each chunk's starting value per reduction, by the operator and the initial value's type. */
function identities(loop: AnnotatedLoop): Record<string, unknown> {
  const ids: Record<string, unknown> = {};
  for (const { variable, operator, initial } of loop.reductions) {
    const type = typeof initial;
    const big = type === 'bigint';
    if (!(type === 'number' || big || (type === 'string' && operator === '+') || (type === 'boolean' && (operator === '&&' || operator === '||')))) {
      throw new TypeError(`${loop.name}: reduction(${operator}: ${variable}) needs '${variable}' to start as a number or bigint${operator === '+' ? ' (or a string)' : ''}, but it is ${initial === null ? 'null' : type} before the loop.`);
    }
    switch (operator) {
      case '+': ids[variable] = type === 'string' ? '' : big ? 0n : -0; break; // -0 + x is x for every x, +0 too
      case '*': ids[variable] = big ? 1n : 1; break;
      case '&&': ids[variable] = true; break;
      case '||': ids[variable] = false; break;
      case '|': case '^': ids[variable] = big ? 0n : 0; break;
      case '&': ids[variable] = big ? -1n : -1; break;
      case 'max': ids[variable] = big ? undefined : -Infinity; break;
      case 'min': ids[variable] = big ? undefined : Infinity; break;
    }
    if (ids[variable] === undefined) throw new TypeError(`${loop.name}: reduction(${operator}: ${variable}) works on numbers, not bigints.`);
  }
  return ids;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function fold(operator: AnnotationReductionOperator, left: any, right: any): unknown {
  switch (operator) {
    case '+': return left + right;
    case '*': return left * right;
    case '&&': return left && right;
    case '||': return left || right;
    case '|': return left | right;
    case '&': return left & right;
    case '^': return left ^ right;
    case 'max': return Math.max(left, right);
    case 'min': return Math.min(left, right);
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const cloneablePrototypes = new Set<unknown>([
  Object.prototype, Array.prototype, Map.prototype, Set.prototype, Date.prototype, RegExp.prototype,
  ArrayBuffer.prototype, SharedArrayBuffer.prototype, DataView.prototype, Error.prototype,
  String.prototype, Number.prototype, Boolean.prototype, BigInt.prototype,
]);

/**
 * A value the body uses must survive a structured clone unchanged. Functions fail the clone; class instances
 * pass it but arrive as plain objects without their methods (and a socket's handle not at all), so both are
 * refused here, naming the variable, rather than failing obscurely inside a worker.
 */
function checkValues(loop: AnnotatedLoop): void {
  for (const [name, value] of Object.entries(loop.values)) {
    const problem = uncloneable(value, 0);
    if (problem) {
      throw new TypeError(`${loop.name}: the loop body uses '${name}' (line ${loop.valueLines[name]}), which is ${problem}; it cannot be sent to a worker. `
        + 'Workers get copies of plain data (numbers, strings, arrays, typed arrays, plain objects): pass the data the loop needs instead, or move the code into the loop body.');
    }
  }
}

function uncloneable(value: unknown, depth: number): string | undefined {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (value === null || typeof value !== 'object' || depth > 3) return undefined;
  if (ArrayBuffer.isView(value)) return undefined;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== null && !cloneablePrototypes.has(prototype) && !(value instanceof Error)) {
    return `an instance of ${prototype.constructor?.name ?? 'a class'}, whose methods and hidden state do not survive the copy`;
  }
  const entries = value instanceof Map ? [...value.values()] : value instanceof Set ? [...value] : Object.values(value as object);
  for (const entry of entries.slice(0, 64)) {
    const inner = uncloneable(entry, depth + 1);
    if (inner) return `an object holding ${inner}`;
  }
  return undefined;
}

function record(run: AnnotatedLoopRun): void {
  runs.push(run);
  if (runs.length > 1000) runs.splice(0, runs.length - 1000);
}
