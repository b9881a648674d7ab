// Object state, histograms (array reductions), for-in over objects, and loops that grow or shrink what they iterate.

interface State { x: number; y: number }
interface Stats { total: number; count: number; max: number }

export function filterState(state: State, vs: number[], k: number) {
  // expect: sequential state.x (flow)
  for (const v of vs) {
    state.x = state.x * k + v;
  }
}

export function accumulate(stats: Stats, vs: number[]) {
  // expect: reduction stats.total
  for (const v of vs) {
    stats.total += v;
  }
}

export function tally(stats: Stats, vs: number[], limit: number) {
  // expect: reduction stats.count
  for (let i = 0; i < vs.length; i++) {
    if (vs[i] > limit) stats.count++;
  }
}

export function sumVectors(state: State, xs: number[], ys: number[]) {
  // expect: reduction state.x
  for (let i = 0; i < xs.length; i++) {
    state.x += xs[i];
    state.y += ys[i];
  }
}

export function byteHistogram(data: Uint8Array) {
  const hist = new Uint32Array(256);
  // expect: reduction hist
  for (let i = 0; i < data.length; i++) {
    hist[data[i]]++;
  }
  return hist;
}

function bucketOf(v: number, width: number) {
  return Math.floor(v / width);
}

export function bucketCounts(values: number[], width: number, buckets: number) {
  const hist = new Array<number>(buckets).fill(0);
  // expect: reduction hist
  for (const v of values) {
    const k = bucketOf(v, width);
    hist[k] += 1;
  }
  return hist;
}

export function weightedHistogram(keys: Int32Array, weights: Float64Array, n: number) {
  const hist = new Float64Array(n);
  // expect: reduction hist
  for (let i = 0; i < keys.length; i++) {
    hist[keys[i]] += weights[i];
  }
  return hist;
}

export function countWithMap(words: string[]) {
  const m = new Map<string, number>();
  // expect: sequential m (call)
  for (const w of words) {
    m.set(w, (m.get(w) ?? 0) + 1);
  }
  return m;
}

export function doubleValues(src: Record<string, number>) {
  const out: Record<string, number> = {};
  // for-in keys are distinct.
  // expect: parallel
  for (const k in src) {
    out[k] = src[k] * 2;
  }
  return out;
}

export function sumValues(src: Record<string, number>) {
  let total = 0;
  // expect: reduction total
  for (const k in src) {
    total += src[k];
  }
  return total;
}

export function lowerKeys(src: Record<string, number>) {
  const out: Record<string, number> = {};
  // 'A' and 'a' both write out['a']: the written key is not the iteration's own key.
  // expect: unknown out
  for (const k in src) {
    out[k.toLowerCase()] = src[k];
  }
  return out;
}

export function expand(xs: number[]) {
  // expect: sequential xs (control)
  for (const x of xs) {
    if (x > 1) xs.push(x - 1);
  }
  return xs;
}

export function drain(queue: { done: boolean }[]) {
  // expect: sequential queue (control)
  for (const job of queue) {
    if (job.done) queue.splice(queue.indexOf(job), 1);
  }
}

export function flattenTree(items: { children?: unknown[] }[]) {
  // expect: sequential items (control)
  items.forEach((it) => {
    if (it.children) items.push(...(it.children as { children?: unknown[] }[]));
  });
  return items;
}

export function popWhileScanning(stack: number[]) {
  let s = 0;
  // expect: sequential stack (control)
  for (const v of stack) {
    s += v;
    stack.pop();
  }
  return s;
}
