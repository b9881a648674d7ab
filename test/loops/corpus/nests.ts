// Loop nests: each loop of a nest has its own expectation.

export function matmul(a: Float64Array, b: Float64Array, n: number) {
  const c = new Float64Array(n * n);
  // expect: parallel
  for (let i = 0; i < n; i++) {
    // expect: parallel
    for (let j = 0; j < n; j++) {
      let sum = 0;
      // expect: reduction sum
      for (let k = 0; k < n; k++) {
        sum += a[i * n + k] * b[k * n + j];
      }
      c[i * n + j] = sum;
    }
  }
  return c;
}

export function transpose(a: Float64Array, n: number) {
  const t = new Float64Array(n * n);
  // expect: parallel
  for (let i = 0; i < n; i++) {
    // expect: parallel
    for (let j = 0; j < n; j++) {
      t[j * n + i] = a[i * n + j];
    }
  }
  return t;
}

export function rowSums(m: number[][], rows: number, cols: number) {
  const sums = new Float64Array(rows);
  // expect: parallel
  for (let i = 0; i < rows; i++) {
    let s = 0;
    // expect: reduction s
    for (let j = 0; j < cols; j++) {
      s += m[i][j];
    }
    sums[i] = s;
  }
  return sums;
}

export function colSums(m: Float64Array, rows: number, cols: number) {
  const out = new Float64Array(cols);
  // expect: parallel
  for (let j = 0; j < cols; j++) {
    let s = 0;
    // expect: reduction s
    for (let i = 0; i < rows; i++) {
      s += m[i * cols + j];
    }
    out[j] = s;
  }
  return out;
}

export function colSumsRowMajor(rows: number[][], cols: number) {
  const colSum = new Float64Array(cols);
  // every row adds into every column: an array reduction across rows.
  // expect: reduction colSum
  for (const row of rows) {
    // expect: parallel
    for (let j = 0; j < cols; j++) {
      colSum[j] += row[j];
    }
  }
  return colSum;
}

export function grandTotal(m: number[][]) {
  let total = 0;
  // expect: reduction total
  for (let i = 0; i < m.length; i++) {
    // expect: reduction total
    for (let j = 0; j < m[i].length; j++) {
      total += m[i][j];
    }
  }
  return total;
}

export function gramLower(a: number[], n: number) {
  let s = 0;
  // expect: reduction s
  for (let i = 0; i < n; i++) {
    // expect: reduction s
    for (let j = 0; j < i; j++) {
      s += a[i] * a[j];
    }
  }
  return s;
}

export function gaussSeidel(u: Float64Array, n: number, m: number) {
  // expect: sequential u (flow)
  for (let i = 1; i < n - 1; i++) {
    // expect: sequential u (flow)
    for (let j = 1; j < m - 1; j++) {
      u[i * m + j] = (u[(i - 1) * m + j] + u[(i + 1) * m + j] + u[i * m + j - 1] + u[i * m + j + 1]) / 4;
    }
  }
}

export function jacobi(cur: Float64Array, next: Float64Array, n: number, m: number) {
  // expect: parallel assume(cur, next)
  for (let i = 1; i < n - 1; i++) {
    // expect: parallel assume(cur, next)
    for (let j = 1; j < m - 1; j++) {
      next[i * m + j] = (cur[(i - 1) * m + j] + cur[(i + 1) * m + j] + cur[i * m + j - 1] + cur[i * m + j + 1]) / 4;
    }
  }
}

export function timeSteps(a: Float64Array, steps: number) {
  // every time step reads what the previous one wrote.
  // expect: sequential a (flow)
  for (let t = 0; t < steps; t++) {
    // expect: parallel
    for (let i = 0; i < a.length; i++) {
      a[i] = a[i] * 0.5 + 1;
    }
  }
}

export function rowFromPrevious(a: number[][], n: number, m: number) {
  // expect: sequential a (flow)
  for (let i = 1; i < n; i++) {
    // expect: parallel
    for (let j = 0; j < m; j++) {
      a[i][j] = a[i - 1][j] + 1;
    }
  }
}

export function outerForOfInnerFor(images: Float32Array[], gain: number) {
  // expect: parallel assume(images)
  for (const img of images) {
    // expect: parallel
    for (let p = 0; p < img.length; p++) {
      img[p] = img[p] * gain;
    }
  }
}
