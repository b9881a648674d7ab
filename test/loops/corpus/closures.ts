// Nested functions and callbacks called synchronously by the loop body count as part of the body.

export function gridTotal(grid: number[][]) {
  let total = 0;
  // expect: reduction total
  for (let i = 0; i < grid.length; i++) {
    // expect: reduction total
    grid[i].forEach((v) => {
      total += v;
    });
  }
  return total;
}

export function rowsIntoLog(grid: number[][]) {
  const seen: number[] = [];
  // the inner callback pushes to an outer array.
  // expect: sequential seen (call)
  for (const row of grid) {
    // expect: sequential seen (call)
    row.forEach((v) => {
      seen.push(v);
    });
  }
  return seen;
}

export function localArrow(a: number[]) {
  const out = new Float64Array(a.length);
  // expect: parallel
  for (let i = 0; i < a.length; i++) {
    const f = () => a[i] * 2;
    out[i] = f();
  }
  return out;
}

export function localArrowAccumulates(a: number[]) {
  let acc = 0;
  // expect: reduction acc
  for (let i = 0; i < a.length; i++) {
    const addSquare = (x: number) => {
      acc += x * x;
    };
    addSquare(a[i]);
  }
  return acc;
}

export function callbackCarries(a: number[]) {
  let last = 0;
  const out = new Float64Array(a.length);
  // the callback reads `last` before the body writes it.
  // expect: sequential last (flow)
  for (let i = 0; i < a.length; i++) {
    const delta = () => a[i] - last;
    out[i] = delta();
    last = a[i];
  }
  return out;
}

export function rowMaxima(grid: number[][]) {
  const out = new Float64Array(grid.length);
  // expect: parallel
  for (let i = 0; i < grid.length; i++) {
    // expect: reduction acc
    out[i] = grid[i].reduce((acc, v) => Math.max(acc, v), -Infinity);
  }
  return out;
}

export function innerMapOfRows(grid: number[][], k: number) {
  const out = new Array<number[]>(grid.length);
  // expect: parallel
  for (let i = 0; i < grid.length; i++) {
    // expect: parallel
    out[i] = grid[i].map((v) => v * k);
  }
  return out;
}

export function innerCallbackLogs(grid: number[][]) {
  // expect: sequential console (io)
  for (const row of grid) {
    // expect: sequential console (io)
    row.forEach((v) => console.log(v));
  }
}
