// Real-looking code: image filters, prefix sums, particles, linked lists, string building, hashing.

interface Particle { x: number; y: number; vx: number; vy: number; m: number }
interface Item { name: string; price: number; qty: number }
interface Node2 { value: number; next: Node2 | null }

export function grayscale(src: Uint8ClampedArray) {
  const out = new Uint8ClampedArray(src.length);
  // expect: parallel
  for (let p = 0; p < src.length; p += 4) {
    const y = 0.299 * src[p] + 0.587 * src[p + 1] + 0.114 * src[p + 2];
    out[p] = y;
    out[p + 1] = y;
    out[p + 2] = y;
    out[p + 3] = src[p + 3];
  }
  return out;
}

export function invertInPlace(px: Uint8ClampedArray) {
  // expect: parallel
  for (let i = 0; i < px.length; i++) {
    px[i] = 255 - px[i];
  }
}

export function boxBlur1D(src: Float32Array) {
  const out = new Float32Array(src.length);
  // expect: parallel
  for (let i = 1; i < src.length - 1; i++) {
    out[i] = (src[i - 1] + src[i] + src[i + 1]) / 3;
  }
  return out;
}

export function blurInPlace(a: Float32Array) {
  // expect: sequential a
  for (let i = 1; i < a.length - 1; i++) {
    a[i] = (a[i - 1] + a[i] + a[i + 1]) / 3;
  }
}

export function brighten(img: Uint8ClampedArray, w: number, h: number, amount: number) {
  // expect: parallel
  for (let y = 0; y < h; y++) {
    // expect: parallel
    for (let x = 0; x < w; x++) {
      img[y * w + x] = Math.min(255, img[y * w + x] + amount);
    }
  }
}

export function exclusiveScan(a: Int32Array) {
  const out = new Int32Array(a.length);
  let running = 0;
  // expect: sequential running (flow)
  for (let i = 0; i < a.length; i++) {
    out[i] = running;
    running += a[i];
  }
  return out;
}

export function scanInPlace(a: Float64Array) {
  // expect: sequential a (flow)
  for (let i = 1; i < a.length; i++) {
    a[i] += a[i - 1];
  }
}

export function movingSum(a: number[], k: number) {
  const out = new Float64Array(a.length);
  let win = 0;
  // expect: sequential win (flow)
  for (let i = k; i < a.length; i++) {
    win += a[i] - a[i - k];
    out[i] = win;
  }
  return out;
}

export function dot(a: Float64Array, b: Float64Array) {
  let s = 0;
  // expect: reduction s
  for (let i = 0; i < a.length; i++) {
    s += a[i] * b[i];
  }
  return s;
}

export function normalizeVector(v: Float64Array) {
  let len2 = 0;
  // expect: reduction len2
  for (let i = 0; i < v.length; i++) {
    len2 += v[i] * v[i];
  }
  const len = Math.sqrt(len2);
  // expect: parallel
  for (let i = 0; i < v.length; i++) {
    v[i] /= len;
  }
}

export function step(particles: Particle[], dt: number) {
  // expect: parallel assume(particles)
  for (const p of particles) {
    p.x += p.vx * dt;
    p.y += p.vy * dt;
  }
}

export function stepIndexed(ps: Particle[], dt: number, g: number) {
  // expect: parallel assume(ps)
  for (let i = 0; i < ps.length; i++) {
    ps[i].vy -= g * dt;
    ps[i].y += ps[i].vy * dt;
  }
}

export function kineticEnergy(particles: Particle[]) {
  let energy = 0;
  // expect: reduction energy
  for (const p of particles) {
    energy += 0.5 * p.m * (p.vx * p.vx + p.vy * p.vy);
  }
  return energy;
}

export function stepSoA(x: Float64Array, vx: Float64Array, n: number, dt: number) {
  // expect: parallel assume()
  for (let i = 0; i < n; i++) {
    x[i] = x[i] + vx[i] * dt;
  }
}

export function listLength(head: Node2 | null) {
  let len = 0;
  // expect: sequential n
  for (let n = head; n !== null; n = n.next) {
    len++;
  }
  return len;
}

export function listToArray(head: Node2 | null) {
  const out: number[] = [];
  let node = head;
  // expect: sequential node (flow)
  while (node !== null) {
    out.push(node.value);
    node = node.next;
  }
  return out;
}

export function renderList(items: Item[]) {
  let html = '<ul>';
  // expect: reduction html
  for (let i = 0; i < items.length; i++) {
    html += '<li>' + items[i].name + '</li>';
  }
  return html + '</ul>';
}

export function csvLine(cells: string[]) {
  let line = '';
  // expect: reduction line
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    line += cells[i];
  }
  return line;
}

export function parseCsv(text: string) {
  // expect: parallel
  return text.split('\n').map((row) => row.split(','));
}

export function orderTotal(items: Item[]) {
  // expect: reduction acc
  return items.reduce((acc, it) => acc + it.price * it.qty, 0);
}

export function fibTable(n: number) {
  const f = new Float64Array(n);
  f[0] = 0;
  f[1] = 1;
  // expect: sequential f (flow)
  for (let i = 2; i < n; i++) {
    f[i] = f[i - 1] + f[i - 2];
  }
  return f;
}

export function evalPoly(c: number[], x: number) {
  let r = 0;
  // expect: sequential r (flow)
  for (let i = c.length - 1; i >= 0; i--) {
    r = r * x + c[i];
  }
  return r;
}

export function lcg(seed: number, n: number) {
  const out = new Uint32Array(n);
  // expect: sequential seed (flow)
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out[i] = seed;
  }
  return out;
}

export function stringHash(s: string) {
  let h = 0;
  // expect: sequential h (flow)
  for (let i = 0; i < s.length; i++) {
    h = (h * 31 + s.charCodeAt(i)) | 0;
  }
  return h;
}

export function bubblePass(a: number[]) {
  // expect: sequential a
  for (let j = 0; j < a.length - 1; j++) {
    if (a[j] > a[j + 1]) {
      const t = a[j];
      a[j] = a[j + 1];
      a[j + 1] = t;
    }
  }
}

export function pixelHistogram(px: Uint8ClampedArray) {
  const hist = new Uint32Array(256);
  // expect: reduction hist
  for (let p = 0; p < px.length; p += 4) {
    hist[px[p]]++;
  }
  return hist;
}

export function scatterByIndex(values: Float64Array, idx: Int32Array) {
  const out = new Float64Array(values.length);
  // the written slot comes from data.
  // expect: unknown out
  for (let i = 0; i < values.length; i++) {
    out[idx[i]] = values[i];
  }
  return out;
}

export function gatherByIndex(values: Float64Array, idx: Int32Array) {
  const out = new Float64Array(idx.length);
  // reading indirectly from an array nobody writes is fine.
  // expect: parallel
  for (let i = 0; i < idx.length; i++) {
    out[i] = values[idx[i]];
  }
  return out;
}

export function permuteInPlace(a: number[], perm: number[]) {
  // expect: unknown a
  for (let i = 0; i < perm.length; i++) {
    a[perm[i]] = a[i] * 2;
  }
}
