// Scalars: privatisation and reductions (every reduction form of the spec), and carried scalars.

export function sum(a: number[]) {
  let s = 0;
  // expect: reduction s
  for (let i = 0; i < a.length; i++) {
    s += a[i];
  }
  return s;
}

export function product(a: number[]) {
  let p = 1;
  // expect: reduction p
  for (let i = 0; i < a.length; i++) {
    p *= a[i];
  }
  return p;
}

export function subtractAll(a: number[], start: number) {
  let rest = start;
  // `-=` is a '+' reduction.
  // expect: reduction rest
  for (let i = 0; i < a.length; i++) {
    rest -= a[i];
  }
  return rest;
}

export function sumLongForm(a: number[]) {
  let s = 0;
  // expect: reduction s
  for (let i = 0; i < a.length; i++) {
    s = s + a[i];
  }
  return s;
}

export function sumOperandFirst(a: number[]) {
  let s = 0;
  // expect: reduction s
  for (let i = 0; i < a.length; i++) {
    s = a[i] + s;
  }
  return s;
}

export function alternatingDifference(a: number[]) {
  let s = 0;
  // `-` is not commutative: s carries its value into the next iteration.
  // expect: sequential s (flow)
  for (let i = 0; i < a.length; i++) {
    s = a[i] - s;
  }
  return s;
}

export function allPositive(a: number[]) {
  let ok = true;
  // expect: reduction ok
  for (let i = 0; i < a.length; i++) {
    ok = ok && a[i] > 0;
  }
  return ok;
}

export function allPositiveAssign(a: number[]) {
  let ok = true;
  // expect: reduction ok
  for (let i = 0; i < a.length; i++) {
    ok &&= a[i] > 0;
  }
  return ok;
}

export function anyNegative(a: number[]) {
  let any = false;
  // expect: reduction any
  for (let i = 0; i < a.length; i++) {
    any ||= a[i] < 0;
  }
  return any;
}

export function unionOfFlags(flags: Uint32Array) {
  let bits = 0;
  // expect: reduction bits
  for (let i = 0; i < flags.length; i++) {
    bits |= flags[i];
  }
  return bits;
}

export function commonFlags(flags: Uint32Array) {
  let mask = 0xffffffff;
  // expect: reduction mask
  for (let i = 0; i < flags.length; i++) {
    mask &= flags[i];
  }
  return mask;
}

export function xorChecksum(bytes: Uint8Array) {
  let h = 0;
  // expect: reduction h
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
  }
  return h;
}

export function maxWithMath(a: number[]) {
  let m = -Infinity;
  // expect: reduction m
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, a[i]);
  }
  return m;
}

export function minWithMath(a: number[]) {
  let lo = Infinity;
  // expect: reduction lo
  for (let i = 0; i < a.length; i++) {
    lo = Math.min(lo, a[i]);
  }
  return lo;
}

export function maxWithIf(a: number[]) {
  let m = a[0];
  // expect: reduction m
  for (let i = 1; i < a.length; i++) {
    if (a[i] > m) m = a[i];
  }
  return m;
}

export function countMatches(a: number[], x: number) {
  let count = 0;
  // expect: reduction count
  for (let i = 0; i < a.length; i++) {
    if (a[i] === x) count++;
  }
  return count;
}

export function sumPositives(a: number[]) {
  let pos = 0;
  // expect: reduction pos
  for (let i = 0; i < a.length; i++) {
    if (a[i] > 0) {
      pos += a[i];
    }
  }
  return pos;
}

export function meanAndSquares(a: number[]) {
  let s = 0;
  let q = 0;
  // expect: reduction q
  for (let i = 0; i < a.length; i++) {
    s += a[i];
    q += a[i] * a[i];
  }
  return q / a.length - (s / a.length) ** 2;
}

export function concatNames(names: string[]) {
  let out = '';
  // expect: reduction out
  for (let i = 0; i < names.length; i++) {
    out += names[i];
  }
  return out;
}

export function prefixSums(a: number[]) {
  const b = new Float64Array(a.length);
  let s = 0;
  // expect: sequential s (flow)
  for (let i = 0; i < a.length; i++) {
    s += a[i];
    b[i] = s;
  }
  return b;
}

export function runningMax(a: number[]) {
  const out = new Float64Array(a.length);
  let m = -Infinity;
  // expect: sequential m (flow)
  for (let i = 0; i < a.length; i++) {
    if (a[i] > m) m = a[i];
    out[i] = m;
  }
  return out;
}

export function cappedSum(a: number[]) {
  let s = 0;
  // the condition reads s: not a reduction.
  // expect: sequential s (flow)
  for (let i = 0; i < a.length; i++) {
    if (s < 100) s += a[i];
  }
  return s;
}

export function mixedOperators(a: number[]) {
  let s = 0;
  // expect: sequential s
  for (let i = 0; i < a.length; i++) {
    s += a[i];
    s *= 2;
  }
  return s;
}

export function decay(a: number[]) {
  let x = 0;
  // expect: sequential x (flow)
  for (let i = 0; i < a.length; i++) {
    x = x * 0.5 + a[i];
  }
  return x;
}

export function fibonacci(n: number) {
  let a = 0;
  let b = 1;
  // expect: sequential b (flow)
  for (let i = 0; i < n; i++) {
    const t = a + b;
    a = b;
    b = t;
  }
  return a;
}

export function outerTemp(a: number[]) {
  const out = new Float64Array(a.length);
  let t = 0;
  // t is written before it is read in every iteration.
  // expect: parallel private(t)
  for (let i = 0; i < a.length; i++) {
    t = a[i] * 2;
    out[i] = t + 1;
  }
  return out;
}

export function outerTempBothBranches(a: number[]) {
  const out = new Float64Array(a.length);
  let t: number;
  // expect: parallel private(t)
  for (let i = 0; i < a.length; i++) {
    if (a[i] > 0) t = a[i];
    else t = -a[i];
    out[i] = t;
  }
  return out;
}

export function outerTempOneBranch(a: number[]) {
  const out = new Float64Array(a.length);
  let t = 0;
  // written in one branch only: the other path reads the previous iteration's value.
  // expect: sequential t (flow)
  for (let i = 0; i < a.length; i++) {
    if (a[i] > 0) t = a[i];
    out[i] = t;
  }
  return out;
}

export function bodyLocals(a: number[]) {
  const out = new Float64Array(a.length);
  // expect: parallel
  for (let i = 0; i < a.length; i++) {
    let t = a[i];
    t *= 2;
    const u = t + 1;
    out[i] = u;
  }
  return out;
}

export function varWrittenFirst(a: number[]) {
  const out = new Float64Array(a.length);
  // expect: parallel
  for (let i = 0; i < a.length; i++) {
    var t = a[i] * 3;
    out[i] = t;
  }
  return out;
}

export function varReadBeforeWritten(a: number[]) {
  const d = new Float64Array(a.length);
  // `var prev` is function-scoped: iteration i reads the value iteration i-1 stored.
  // expect: sequential prev (flow)
  for (let i = 0; i < a.length; i++) {
    if (i > 0) {
      d[i] = a[i] - prev;
    }
    var prev = a[i];
  }
  return d;
}

export function readOnlyOuter(a: number[], scale: number) {
  const out = new Float64Array(a.length);
  const offset = scale * 2;
  // expect: parallel
  for (let i = 0; i < a.length; i++) {
    out[i] = a[i] * scale + offset;
  }
  return out;
}
