// while / do-while: simple counter loops are analysed like `for`; otherwise the carried variable is a dependence.

interface ListNode { v: number; next: ListNode | null }

export function doubleWhile(a: number[], n: number) {
  const out = new Float64Array(n);
  let i = 0;
  // expect: parallel
  while (i < n) {
    out[i] = a[i] * 2;
    i++;
  }
  return out;
}

export function doubleDoWhile(a: number[], n: number) {
  const out = new Float64Array(n);
  let i = 0;
  // expect: parallel
  do {
    out[i] = a[i] + 1;
    i++;
  } while (i < n);
  return out;
}

export function strideWhile(a: number[], n: number) {
  const out = new Float64Array(n);
  let i = 0;
  // expect: parallel
  while (i < n) {
    out[i] = a[i];
    i += 2;
  }
  return out;
}

export function conditionalBodyWhile(a: number[], n: number) {
  const out = new Float64Array(n);
  let i = 0;
  // expect: parallel
  while (i < n) {
    if (a[i] !== 0) {
      out[i] = 1 / a[i];
    }
    i++;
  }
  return out;
}

export function sumWhile(a: number[]) {
  let s = 0;
  let i = 0;
  // expect: reduction s
  while (i < a.length) {
    s += a[i];
    i++;
  }
  return s;
}

export function carriedWhile(a: number[], n: number) {
  let i = 0;
  // analysed like a for loop: a[i + 1] is written here and read by the next iteration.
  // expect: sequential a (flow)
  while (i < n) {
    a[i + 1] = a[i] * 2;
    i++;
  }
}

export function incrementFirst(a: number[], n: number) {
  const out = new Float64Array(n + 1);
  let i = 0;
  // the increment is not the last statement.
  // expect: sequential i (flow)
  while (i < n) {
    i++;
    out[i] = a[i];
  }
  return out;
}

export function variableStep(a: number[], steps: number[], n: number) {
  const out = new Float64Array(n);
  let i = 0;
  // expect: sequential i (flow)
  while (i < n) {
    out[i] = a[i];
    i += steps[i];
  }
  return out;
}

export function withContinue(a: number[], n: number) {
  const out = new Float64Array(n);
  let i = 0;
  // expect: sequential i
  while (i < n) {
    if (a[i] < 0) {
      i++;
      continue;
    }
    out[i] = a[i];
    i++;
  }
  return out;
}

export function listSum(head: ListNode | null) {
  let sum = 0;
  let node = head;
  // expect: sequential node (flow)
  while (node) {
    sum += node.v;
    node = node.next;
  }
  return sum;
}

export function listLengthDo(head: ListNode) {
  let len = 0;
  let node: ListNode | null = head;
  // expect: sequential node (flow)
  do {
    len++;
    node = node.next;
  } while (node !== null);
  return len;
}

export function newtonSqrt(v: number) {
  let x = v;
  // expect: sequential x (flow)
  while (Math.abs(x * x - v) > 1e-9) {
    x = (x + v / x) / 2;
  }
  return x;
}

export function gcd(a: number, b: number) {
  // expect: sequential b (flow)
  do {
    const t = b;
    b = a % b;
    a = t;
  } while (b !== 0);
  return a;
}

export function untilBreak(a: number[], n: number) {
  const out = new Float64Array(n);
  let i = 0;
  // expect: sequential break (control)
  while (true) {
    if (i >= n) break;
    out[i] = a[i];
    i++;
  }
  return out;
}

export function bfs(adj: number[][], start: number) {
  const seen = new Uint8Array(adj.length);
  const queue = [start];
  seen[start] = 1;
  // expect: sequential queue
  while (queue.length > 0) {
    const v = queue.shift()!;
    // expect: sequential queue (call)
    for (const w of adj[v]) {
      if (!seen[w]) {
        seen[w] = 1;
        queue.push(w);
      }
    }
  }
  return seen;
}
