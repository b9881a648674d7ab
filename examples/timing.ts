// Shared helpers of the examples: timing that prints, and a seeded random generator so that sequential
// and parallel runs see the same data.

export interface Timed<T> {
  value: T;
  ms: number;
}

export function reportTime<T>(label: string, run: () => Promise<T>): Promise<Timed<T>>;
export function reportTime<T>(label: string, run: () => T): Timed<T>;
export function reportTime<T>(label: string, run: () => T | Promise<T>): Timed<T> | Promise<Timed<T>> {
  const started = performance.now();
  const value = run();
  const finish = (resolved: T): Timed<T> => {
    const ms = performance.now() - started;
    console.log(`${label}: ${ms.toFixed(1)} ms`);
    return { value: resolved, ms };
  };
  return value instanceof Promise ? value.then(finish) : finish(value as T);
}

/** Mulberry32: small, fast, and the same sequence on every thread for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
