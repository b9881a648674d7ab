// Array and typed-array methods as loops: map, filter, reduce, reduceRight, some, every, find, findIndex, flatMap, forEach.

export function doubled(xs: number[]) {
  // expect: parallel
  return xs.map((x) => x * 2);
}

export function scaled(xs: number[], scale: number) {
  // expect: parallel
  const ys = xs.map((x) => x * scale + 1);
  return ys;
}

export function positives(xs: number[]) {
  // expect: parallel
  return xs.filter((x) => x > 0);
}

export function total(xs: number[]) {
  // expect: reduction acc
  return xs.reduce((acc, x) => acc + x, 0);
}

export function productOf(xs: number[]) {
  // expect: reduction acc
  return xs.reduce((acc, x) => acc * x, 1);
}

export function largest(xs: number[]) {
  // expect: reduction acc
  return xs.reduce((acc, x) => Math.max(acc, x), -Infinity);
}

export function joinedBackwards(parts: string[]) {
  // expect: reduction acc
  return parts.reduceRight((acc, p) => acc + p, '');
}

export function collect(xs: number[]) {
  // expect: sequential acc
  return xs.reduce((acc: number[], x) => {
    acc.push(x * 2);
    return acc;
  }, []);
}

export function indexById(items: { id: string }[]) {
  // expect: sequential acc
  return items.reduce((acc: Record<string, { id: string }>, it) => {
    acc[it.id] = it;
    return acc;
  }, {});
}

export function horner(coeffs: number[], x: number) {
  // expect: sequential acc
  return coeffs.reduce((acc, c) => acc * x + c, 0);
}

export function hasNegative(xs: number[]) {
  // expect: parallel
  return xs.some((x) => x < 0);
}

export function allSmall(xs: number[], limit: number) {
  // expect: parallel
  return xs.every((x) => x >= 0 && x < limit);
}

export function byId(items: { id: number; name: string }[], id: number) {
  // expect: parallel
  return items.find((it) => it.id === id);
}

export function firstOver(xs: number[], limit: number) {
  // expect: parallel
  return xs.findIndex((x) => x > limit);
}

export function cells(lines: string[]) {
  // expect: parallel
  return lines.flatMap((line) => line.split(','));
}

export function safeRoots(xs: number[]) {
  // `return` in a callback is the element's result.
  // expect: parallel
  return xs.map((x) => {
    if (x < 0) return 0;
    return Math.sqrt(x);
  });
}

export function invertBytes(px: Uint8Array) {
  // expect: parallel
  return px.map((v) => 255 - v);
}

export function withNeighbour(xs: number[]) {
  // expect: parallel
  return xs.map((x, i) => x + (xs[i + 1] ?? 0));
}

export function copyByIndex(xs: number[]) {
  const out = new Array<number>(xs.length);
  // expect: parallel
  xs.forEach((x, i) => {
    out[i] = x * 2;
  });
  return out;
}

export function sumByForEach(xs: number[]) {
  let sum = 0;
  // expect: reduction sum
  xs.forEach((x) => {
    sum += x;
  });
  return sum;
}

export function pushAll(xs: number[]) {
  const out: number[] = [];
  // expect: sequential out (call)
  xs.forEach((x) => {
    out.push(x * 2);
  });
  return out;
}

export function unique(xs: number[]) {
  const seen = new Set<number>();
  // expect: sequential seen (call)
  return xs.filter((x) => {
    if (seen.has(x)) return false;
    seen.add(x);
    return true;
  });
}

export function applyEach(xs: number[], cb: (x: number) => number) {
  // expect: unknown cb
  return xs.map((x) => cb(x));
}

export function noisyFind(xs: number[]) {
  // expect: sequential console (io)
  return xs.find((x) => {
    console.log('checking', x);
    return x > 3;
  });
}

export function chained(xs: number[]) {
  // expect: parallel
  const ys = xs.filter((x) => x % 2 === 0);
  // expect: parallel
  return ys.map((y) => y / 2);
}
