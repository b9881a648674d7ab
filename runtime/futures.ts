// Futures: the handle a remote call returns at once. Awaitable (it is a thenable), and accepted as an
// argument by other tasks, which then wait for it and receive its value: that is how a DAG is built.

export class Future<T> implements PromiseLike<T> {
  /** Scheduler bookkeeping of the call behind this future (tasks.ts); opaque to users. */
  node: unknown;

  constructor(readonly name: string, private readonly promise: Promise<T>) {}

  then<A = T, B = never>(onFulfilled?: ((value: T) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.promise.then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected: (reason: unknown) => B | PromiseLike<B>): Promise<T | B> {
    return this.promise.catch(onRejected);
  }

  /** The value as a plain Promise. */
  toPromise(): Promise<T> {
    return this.promise;
  }
}

export function isFuture(value: unknown): value is Future<unknown> {
  return value instanceof Future;
}

type Unwrapped<F> = F extends PromiseLike<infer V> ? V : F;

/** Waits for one future (or value), or for every one of an array, in order. Ray's `get`. */
export function get<T extends readonly unknown[] | []>(futures: T): Promise<{ -readonly [K in keyof T]: Unwrapped<T[K]> }>;
export function get<T>(future: T): Promise<Unwrapped<T>>;
export function get(input: unknown): Promise<unknown> {
  return Array.isArray(input) ? Promise.all(input.map(unwrap)) : Promise.resolve(unwrap(input));
}

/** All values, in order; rejects with the first failure. */
export function all<T extends readonly unknown[] | []>(futures: T): Promise<{ -readonly [K in keyof T]: Unwrapped<T[K]> }> {
  return Promise.all(futures.map(unwrap)) as Promise<{ -readonly [K in keyof T]: Unwrapped<T[K]> }>;
}

/** The first value to arrive; rejects (AggregateError) only if every one fails. */
export function any<T>(futures: readonly T[]): Promise<Unwrapped<T>> {
  return Promise.any(futures.map(unwrap)) as Promise<Unwrapped<T>>;
}

/** The first future to settle, fulfilled or rejected. */
export function race<T>(futures: readonly T[]): Promise<Unwrapped<T>> {
  return Promise.race(futures.map(unwrap)) as Promise<Unwrapped<T>>;
}

/** A future's own promise: Promise.all adopts a native promise without the extra turn a thenable costs. */
function unwrap(value: unknown): unknown {
  return value instanceof Future ? value.toPromise() : value;
}
