// Affine array subscripts: ZIV / SIV / GCD / Banerjee tests with loop bounds, strides and descending loops.
// Arrays are either fresh locals or a single parameter, so aliasing never enters these cases.

export function incrementInPlace(a: number[], n: number) {
  // expect: parallel
  for (let i = 0; i < n; i++) {
    a[i] = a[i] + 1;
  }
}

export function shiftForward(a: number[], n: number) {
  // expect: sequential a (flow)
  for (let i = 0; i < n - 1; i++) {
    a[i + 1] = a[i] + 1;
  }
}

export function shiftBackward(a: number[], n: number) {
  // expect: sequential a (anti)
  for (let i = 0; i < n - 1; i++) {
    a[i] = a[i + 1];
  }
}

export function evenFromOdd(a: Float64Array, n: number) {
  // expect: parallel
  for (let i = 0; i < n; i++) {
    a[2 * i] = a[2 * i + 1];
  }
}

export function gcdStrideFour(a: Float64Array, n: number) {
  // expect: parallel
  for (let i = 0; i < n; i++) {
    a[4 * i] = a[4 * i + 2] * 0.5;
  }
}

export function gcdMayDepend(a: Float64Array, n: number) {
  // 2i = 4i' + 2 has solutions (i = 2i' + 1): the read in iteration i' precedes the write in 2i' + 1.
  // expect: sequential a (anti)
  for (let i = 0; i < n; i++) {
    a[2 * i] = a[4 * i + 2] + 1;
  }
}

export function upperHalf(a: number[], n: number) {
  // reads [n, 2n), writes [0, n): Banerjee with the bounds.
  // expect: parallel
  for (let i = 0; i < n; i++) {
    a[i] = a[i + n];
  }
}

export function farAway(a: number[]) {
  // expect: parallel
  for (let i = 0; i < 5; i++) {
    a[i] = a[i + 10];
  }
}

export function farButInRange(a: number[]) {
  // distance 10 with 20 iterations: the dependence is real.
  // expect: sequential a (anti)
  for (let i = 0; i < 20; i++) {
    a[i] = a[i + 10];
  }
}

export function fixedSlot(a: number[], n: number) {
  // expect: sequential a (output)
  for (let i = 0; i < n; i++) {
    a[5] = i * 2;
  }
}

export function readConstantSlot(a: number[], c: number[], n: number) {
  const b = new Float64Array(n);
  // expect: parallel
  for (let i = 0; i < n; i++) {
    b[i] = a[3] * c[i];
  }
  return b;
}

export function stridedDisjoint(a: number[], n: number) {
  // step 2: writes even slots, reads odd ones.
  // expect: parallel
  for (let i = 0; i < n; i += 2) {
    a[i] = a[i + 1];
  }
}

export function stridedOddFromEven(a: Int32Array, n: number) {
  // expect: parallel
  for (let i = 1; i < n; i += 2) {
    a[i] = a[i - 1];
  }
}

export function stridedCarried(a: number[], n: number) {
  // expect: sequential a (flow)
  for (let i = 0; i < n; i += 2) {
    a[i + 2] = a[i] * 2;
  }
}

export function strideThreeAnti(a: number[], n: number) {
  // expect: sequential a (anti)
  for (let i = 0; i < n; i += 3) {
    a[i] = a[i + 3];
  }
}

export function descendingAnti(a: number[], n: number) {
  // iteration k reads a[k-1]; the next iteration (k-1) overwrites it.
  // expect: sequential a (anti)
  for (let i = n - 1; i > 0; i--) {
    a[i] = a[i - 1];
  }
}

export function descendingFlow(a: number[], n: number) {
  // iteration k writes a[k-1]; the next iteration (k-1) reads it.
  // expect: sequential a (flow)
  for (let i = n - 1; i > 0; i--) {
    a[i - 1] = a[i] * 0.5;
  }
}

export function descendingScale(a: Float32Array, n: number) {
  // expect: parallel
  for (let i = n - 1; i >= 0; i--) {
    a[i] = a[i] * 2;
  }
}

export function inPlaceRunningSum(a: number[], n: number) {
  // expect: sequential a (flow)
  for (let i = 1; i < n; i++) {
    a[i] = a[i - 1] + a[i];
  }
}

export function stencilIntoFresh(a: number[], n: number) {
  const b = new Float64Array(n);
  // expect: parallel
  for (let i = 1; i < n - 1; i++) {
    b[i] = a[i - 1] + a[i] + a[i + 1];
  }
  return b;
}

export function recurrenceOnFresh(a: number[], n: number) {
  const b = new Float64Array(n);
  b[0] = a[0];
  // expect: sequential b (flow)
  for (let i = 1; i < n; i++) {
    b[i] = b[i - 1] * 0.9 + a[i];
  }
  return b;
}

export function symbolicOffset(a: number[], n: number, m: number) {
  // m may be 0, positive or negative: no test can decide.
  // expect: unknown a
  for (let i = 0; i < n; i++) {
    a[i] = a[i + m];
  }
}

export function inclusiveBound(a: number[], n: number) {
  // expect: sequential a (flow)
  for (let i = 0; i <= n; i++) {
    a[i + 1] = a[i] + 1;
  }
}

export function flatScale(img: Float32Array, h: number, w: number) {
  // expect: parallel
  for (let i = 0; i < h; i++) {
    // expect: parallel
    for (let j = 0; j < w; j++) {
      img[i * w + j] = img[i * w + j] * 2;
    }
  }
}

export function flatFromRowAbove(a: Float64Array, h: number, w: number) {
  // row i reads row i-1, written by the previous outer iteration; across j the rows never meet.
  // expect: sequential a (flow)
  for (let i = 1; i < h; i++) {
    // expect: parallel
    for (let j = 0; j < w; j++) {
      a[i * w + j] = a[(i - 1) * w + j] + 1;
    }
  }
}

export function writesNeighbourSlot(a: number[], n: number) {
  // two writes per iteration: a[2i] and a[2i+2] overlap between iterations i and i+1.
  // expect: sequential a (output)
  for (let i = 0; i < n; i++) {
    a[2 * i] = 0;
    a[2 * i + 2] = 1;
  }
}
