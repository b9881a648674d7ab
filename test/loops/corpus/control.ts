// Control: break / return / throw / labelled jumps leave the loop early; continue is fine;
// writing the induction variable or the bound makes the trip count depend on the body.

export function indexOfValue(a: number[], x: number) {
  let idx = -1;
  // expect: sequential break (control)
  for (let i = 0; i < a.length; i++) {
    if (a[i] === x) {
      idx = i;
      break;
    }
  }
  return idx;
}

export function firstNegative(a: number[]) {
  // expect: sequential return (control)
  for (let i = 0; i < a.length; i++) {
    if (a[i] < 0) return i;
  }
  return -1;
}

export function validate(a: number[]) {
  const out = new Float64Array(a.length);
  // expect: sequential throw (control)
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new Error('bad value at ' + i);
    out[i] = a[i];
  }
  return out;
}

export function rootsSkippingNegatives(a: number[]) {
  const out = new Float64Array(a.length);
  // expect: parallel
  for (let i = 0; i < a.length; i++) {
    if (a[i] < 0) continue;
    out[i] = Math.sqrt(a[i]);
  }
  return out;
}

export function firstWordOver(words: string[], n: number) {
  let found = '';
  // expect: sequential break (control)
  for (const w of words) {
    if (w.length > n) {
      found = w;
      break;
    }
  }
  return found;
}

export function findInGrid(grid: number[][], x: number) {
  let at = -1;
  // expect: sequential break (control)
  outer: for (let i = 0; i < grid.length; i++) {
    // expect: sequential break (control)
    for (let j = 0; j < grid[i].length; j++) {
      if (grid[i][j] === x) {
        at = i;
        break outer;
      }
    }
  }
  return at;
}

export function rowsWithoutZero(grid: number[][]) {
  const ok = new Uint8Array(grid.length);
  // `continue rows` only ends this outer iteration early.
  // expect: parallel
  rows: for (let i = 0; i < grid.length; i++) {
    // jumping to the next row leaves the inner loop early.
    // expect: sequential (control)
    for (let j = 0; j < grid[i].length; j++) {
      if (grid[i][j] === 0) continue rows;
    }
    ok[i] = 1;
  }
  return ok;
}

export function innerBreakOnly(grid: number[][]) {
  const firstZero = new Int32Array(grid.length).fill(-1);
  // the break leaves only the inner loop.
  // expect: parallel
  for (let i = 0; i < grid.length; i++) {
    // expect: sequential break (control)
    for (let j = 0; j < grid[i].length; j++) {
      if (grid[i][j] === 0) {
        firstZero[i] = j;
        break;
      }
    }
  }
  return firstZero;
}

export function skipNext(a: number[]) {
  const out = new Float64Array(a.length);
  // expect: sequential i (control)
  for (let i = 0; i < a.length; i++) {
    out[i] = a[i];
    if (a[i] === 0) i++;
  }
  return out;
}

export function shrinkBound(a: number[], n: number) {
  let total = 0;
  // expect: sequential (control)
  for (let i = 0; i < n; i++) {
    total += a[i];
    if (a[i] < 0) n--;
  }
  return total;
}

export function predicateReturns(xs: number[]) {
  // expect: parallel
  return xs.some((x) => {
    if (x > 10) return true;
    return x < -10;
  });
}

export function everyFinite(xs: number[]) {
  // expect: parallel
  return xs.every((x) => x === x && x !== Infinity && x !== -Infinity);
}

export function nestedFunctionReturn(a: number[]) {
  const out = new Float64Array(a.length);
  // the return belongs to the inner function, not to the loop.
  // expect: parallel
  for (let i = 0; i < a.length; i++) {
    const clamp = (v: number) => {
      if (v > 1) return 1;
      return v;
    };
    out[i] = clamp(a[i]);
  }
  return out;
}

export function switchBreak(codes: number[]) {
  const out = new Array<string>(codes.length);
  // `break` inside a switch leaves the switch, not the loop.
  // expect: parallel
  for (let i = 0; i < codes.length; i++) {
    switch (codes[i]) {
      case 0:
        out[i] = 'zero';
        break;
      default:
        out[i] = 'other';
    }
  }
  return out;
}
