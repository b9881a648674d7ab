// Aliasing: two array/object parameters may be one object; fresh locals never need an assumption.
// `assume()` (empty) means the finding must carry no assumption at all.

export function shiftCopy(a: number[], b: number[], n: number) {
  // expect: parallel assume(a, b)
  for (let i = 0; i < n; i++) {
    a[i] = b[i + 1];
  }
}

export function scaleInto(a: number[], b: number[], n: number) {
  // same index: safe even when a === b.
  // expect: parallel assume()
  for (let i = 0; i < n; i++) {
    a[i] = b[i] * 2;
  }
}

export function saxpy(alpha: number, x: Float64Array, y: Float64Array) {
  // expect: parallel assume()
  for (let i = 0; i < y.length; i++) {
    y[i] = alpha * x[i] + y[i];
  }
}

export function smoothInto(dst: Float32Array, src: Float32Array, n: number) {
  // dst[i] is written while src[i + 1] is read: an anti dependence if they are one array.
  // expect: parallel assume(dst, src)
  for (let i = 1; i < n - 1; i++) {
    dst[i] = (src[i - 1] + src[i] + src[i + 1]) / 3;
  }
}

export function twoOutputs(a: number[], b: number[], n: number) {
  // expect: parallel assume(a, b)
  for (let i = 0; i < n; i++) {
    a[i] = 1;
    b[i + 1] = 2;
  }
}

export function intoTypedFresh(src: number[], n: number) {
  const out = new Float64Array(n);
  // expect: parallel assume()
  for (let i = 0; i < n - 1; i++) {
    out[i] = src[i + 1] - src[i];
  }
  return out;
}

export function intoLiteralFresh(src: number[]) {
  const out: number[] = [];
  // expect: parallel assume()
  for (let i = 0; i < src.length - 1; i++) {
    out[i] = src[i + 1];
  }
  return out;
}

export function intoArrayFresh(src: number[], n: number) {
  const out = new Array<number>(n);
  // expect: parallel assume()
  for (let i = 0; i < n; i++) {
    out[i] = src[n - 1 - i];
  }
  return out;
}

export function intoSliceCopy(a: number[]) {
  const c = a.slice();
  // expect: parallel assume()
  for (let i = 0; i < a.length - 1; i++) {
    c[i] = a[i + 1];
  }
  return c;
}

export function sliceCopyItself(a: number[]) {
  const c = a.slice();
  // the copy is fresh, but it reads itself one ahead.
  // expect: sequential c (anti)
  for (let i = 0; i < c.length - 1; i++) {
    c[i] = c[i + 1];
  }
  return c;
}

export function halveGrid(grid: number[][], rows: number, cols: number) {
  // rows of grid may be one shared array.
  // expect: parallel assume(grid)
  for (let i = 0; i < rows; i++) {
    // expect: parallel
    for (let j = 0; j < cols; j++) {
      grid[i][j] = grid[i][j] * 0.5;
    }
  }
}

export function fillRows(grid: number[][], v: number) {
  // expect: parallel assume(grid)
  for (let i = 0; i < grid.length; i++) {
    // expect: parallel
    for (let j = 0; j < grid[i].length; j++) {
      grid[i][j] = v;
    }
  }
}

export function freshGrid(rows: number, cols: number) {
  const grid: number[][] = [];
  // expect: parallel assume()
  for (let i = 0; i < rows; i++) {
    grid[i] = new Array<number>(cols).fill(i);
  }
  return grid;
}

export function moveRight(points: { x: number; y: number }[]) {
  // elements of points may repeat.
  // expect: parallel assume(points)
  for (const p of points) {
    p.x += 1;
  }
}

export function resetVelocities(bodies: { vx: number; vy: number }[]) {
  // expect: parallel assume(bodies)
  for (const b of bodies) {
    b.vx = 0;
    b.vy = 0;
  }
}

export function readPointsOnly(points: { x: number; y: number }[]) {
  const xs = new Float64Array(points.length);
  // expect: parallel assume()
  for (let i = 0; i < points.length; i++) {
    xs[i] = points[i].x + points[i].y;
  }
  return xs;
}

export function readerFirstThenWriter(q: { xs: number[] }, p: { xs: number[] }, n: number) {
  // The read object comes first in the loop and the written one second: the pair is still checked.
  // expect: parallel assume(q, p)
  for (let i = 0; i < n; i++) {
    const v = q.xs[i + 1];
    p.xs[i] = v;
  }
}

export function differentFirstProperties(p: { xs: number[]; ys: number[] }, q: { xs: number[]; ys: number[] }, n: number) {
  // p.xs is written and q.ys read: different properties, so no clash even if p === q.
  // expect: parallel assume()
  for (let i = 0; i < n; i++) {
    p.xs[i] = q.ys[i + 1];
  }
}

export function twoWriters(p: { xs: number[] }, q: { xs: number[] }, n: number) {
  // Both objects written, at different indices of the same property.
  // expect: parallel assume(p, q)
  for (let i = 0; i < n; i++) {
    p.xs[i] = 1;
    q.xs[i + 1] = 2;
  }
}
