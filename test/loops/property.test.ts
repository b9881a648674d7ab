// Property: on random loops with affine subscripts, the analyzer never calls a loop parallel/reduction when
// brute force (running every iteration and recording every address) finds a cross-iteration conflict
// on a location that is not a reduction variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeSource } from '../../server/core/index';
import type { LoopFinding } from '../../server/core/index';

const SEED = 20240611;
const RUNS = 400;

type Arr = 'A' | 'B';
/** Address ci*i + cj*j + d in array arr. */
interface Sub { arr: Arr; ci: number; cj: number; d: number }
/** arr[lhs] = rhs0 * 2 + (rhs1 | 1) */
interface ArrStmt { kind: 'arr'; lhs: Sub; rhs: Sub[] }
interface InnerStmt { kind: 'inner'; start: number; end: number; step: number; body: ArrStmt[] }
/** s += R (a reduction: s is read nowhere else) */
interface RedStmt { kind: 'red'; rhs: Sub }
/** t = t * 0.5 + R (carried) */
interface CarryStmt { kind: 'carry'; rhs: Sub }
/** u = R * 2 + 1; arr[lhs] = u * 3 — or the two swapped (then u is carried) */
interface PrivStmt { kind: 'priv'; rhs: Sub; lhs: Sub; readFirst: boolean }
type Stmt = ArrStmt | InnerStmt | RedStmt | CarryStmt | PrivStmt;
interface Loop {
  start: number; end: number; step: number; descending: boolean; inclusive: boolean;
  params: boolean; body: Stmt[]; sizes: Record<Arr, number>;
}

// ---------------------------------------------------------------- generation

function genLoop(g: fc.GeneratorValue): Loop {
  const int = (min: number, max: number): number => g(fc.integer, { min, max });
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const descending = int(0, 3) === 0;
  const lo = int(-3, 4);
  const hi = lo + int(0, 9);
  const step = pick([1, 1, 1, 2, 3]);
  const outerSub = (arr?: Arr): Sub => ({ arr: arr ?? pick<Arr>(['A', 'B']), ci: pick([-2, -1, 0, 1, 1, 1, 2, 3]), cj: 0, d: int(-4, 6) });
  const arrStmt = (sub: (arr?: Arr) => Sub): ArrStmt => {
    const lhs = sub();
    const rhs = [sub(int(0, 1) === 0 ? lhs.arr : undefined)];
    if (int(0, 1) === 0) rhs.push(sub());
    return { kind: 'arr', lhs, rhs };
  };
  const body: Stmt[] = [];
  const count = int(1, 3);
  for (let k = 0; k < count; k++) {
    const r = int(0, 99);
    if (r < 45) body.push(arrStmt(outerSub));
    else if (r < 70) {
      const w = int(1, 5);
      const innerSub = (arr?: Arr): Sub => ({
        arr: arr ?? pick<Arr>(['A', 'B']), ci: pick([w, w, w, 0, 1, w + 1]), cj: pick([1, 1, 1, 0, 2, -1]), d: int(-3, 4),
      });
      const stmts: ArrStmt[] = [arrStmt(innerSub)];
      if (int(0, 2) === 0) stmts.push(arrStmt(innerSub));
      body.push({ kind: 'inner', start: pick([0, 0, 0, 1]), end: Math.max(1, pick([w, w, w - 1, w + 1, w + 2])), step: pick([1, 1, 2]), body: stmts });
    } else if (r < 80) body.push({ kind: 'red', rhs: outerSub() });
    else if (r < 88) body.push({ kind: 'carry', rhs: outerSub() });
    else body.push({ kind: 'priv', rhs: outerSub(), lhs: outerSub(), readFirst: int(0, 2) === 0 });
  }
  const loop: Loop = {
    start: descending ? hi : lo, end: descending ? lo : hi, step, descending, inclusive: int(0, 1) === 0,
    params: int(0, 3) === 0, body, sizes: { A: 1, B: 1 },
  };
  normalize(loop);
  return loop;
}

function allSubs(loop: Loop): Sub[] {
  const subs: Sub[] = [];
  for (const s of loop.body) {
    if (s.kind === 'arr') subs.push(s.lhs, ...s.rhs);
    else if (s.kind === 'inner') for (const t of s.body) subs.push(t.lhs, ...t.rhs);
    else if (s.kind === 'priv') subs.push(s.lhs, s.rhs);
    else subs.push(s.rhs);
  }
  return subs;
}

/** Shift each array's offsets so every executed index is >= 0 (shifting one array uniformly keeps every conflict), and size the arrays. */
function normalize(loop: Loop): void {
  const min: Record<Arr, number> = { A: Infinity, B: Infinity };
  const max: Record<Arr, number> = { A: -Infinity, B: -Infinity };
  for (const e of interpret(loop)) {
    if (e.arr === undefined) continue;
    min[e.arr] = Math.min(min[e.arr], e.addr);
    max[e.arr] = Math.max(max[e.arr], e.addr);
  }
  for (const arr of ['A', 'B'] as const) {
    const shift = min[arr] < 0 ? -min[arr] : 0;
    if (shift > 0) for (const s of allSubs(loop)) if (s.arr === arr) s.d += shift;
    loop.sizes[arr] = Number.isFinite(max[arr]) ? max[arr] + shift + 1 : 1;
  }
}

// ---------------------------------------------------------------- brute force

function iterations(start: number, end: number, step: number, descending: boolean, inclusive: boolean): number[] {
  const out: number[] = [];
  if (descending) for (let v = start; inclusive ? v >= end : v > end; v -= step) out.push(v);
  else for (let v = start; inclusive ? v <= end : v < end; v += step) out.push(v);
  return out;
}

/** One memory event, in program order. Scalars have `scalar`, array elements `arr` + `addr`. */
interface Ev { write: boolean; arr?: Arr; addr: number; scalar?: string; it: number; inner: number; jt: number }

function interpret(loop: Loop): Ev[] {
  const evs: Ev[] = [];
  const is = iterations(loop.start, loop.end, loop.step, loop.descending, loop.inclusive);
  is.forEach((i, it) => {
    let inner = -1;
    let jt = -1;
    const addr = (s: Sub, j: number): number => s.ci * i + s.cj * j + s.d;
    const rd = (s: Sub, j = 0): void => { evs.push({ write: false, arr: s.arr, addr: addr(s, j), it, inner, jt }); };
    const wr = (s: Sub, j = 0): void => { evs.push({ write: true, arr: s.arr, addr: addr(s, j), it, inner, jt }); };
    const sc = (name: string, write: boolean): void => { evs.push({ write, scalar: name, addr: 0, it, inner, jt }); };
    loop.body.forEach((st, k) => {
      switch (st.kind) {
        case 'arr': st.rhs.forEach((r) => rd(r)); wr(st.lhs); break;
        case 'red': rd(st.rhs); break; // s itself is the reduction: not recorded
        case 'carry': sc('t', false); rd(st.rhs); sc('t', true); break;
        case 'priv':
          if (st.readFirst) { sc('u', false); wr(st.lhs); rd(st.rhs); sc('u', true); } else { rd(st.rhs); sc('u', true); sc('u', false); wr(st.lhs); }
          break;
        case 'inner': {
          inner = k;
          iterations(st.start, st.end, st.step, false, false).forEach((j, jIt) => {
            jt = jIt;
            for (const t of st.body) { t.rhs.forEach((r) => rd(r, j)); wr(t.lhs, j); }
          });
          inner = -1;
          jt = -1;
          break;
        }
      }
    });
  });
  return evs;
}

/** Conflict among events grouped by location, between different values of `iter`: two writes, or a write and a read. */
function conflictBy(evs: Ev[], iter: (e: Ev) => number, group: (e: Ev) => string): boolean {
  const writers = new Map<string, Set<number>>();
  const touchers = new Map<string, Set<number>>();
  for (const e of evs) {
    const key = group(e);
    if (!touchers.has(key)) { touchers.set(key, new Set()); writers.set(key, new Set()); }
    touchers.get(key)!.add(iter(e));
    if (e.write) writers.get(key)!.add(iter(e));
  }
  for (const [key, ws] of writers) {
    if (ws.size >= 2) return true;
    if (ws.size === 1 && touchers.get(key)!.size >= 2) return true;
  }
  return false;
}

/** A scalar is carried when some iteration reads it before writing it after an earlier iteration wrote it. */
function scalarCarried(evs: Ev[]): string[] {
  const carried = new Set<string>();
  const wroteIn = new Map<string, number>(); // scalar -> first iteration that wrote it
  const firstAccess = new Map<string, boolean>(); // `${scalar}@${it}` -> first access is a write
  for (const e of evs) {
    if (e.scalar === undefined) continue;
    const key = `${e.scalar}@${e.it}`;
    if (!firstAccess.has(key)) {
      firstAccess.set(key, e.write);
      if (!e.write && wroteIn.has(e.scalar) && wroteIn.get(e.scalar)! < e.it) carried.add(e.scalar);
    }
    if (e.write && !wroteIn.has(e.scalar)) wroteIn.set(e.scalar, e.it);
  }
  return [...carried];
}

interface Truth { outer: string[]; inner: Map<number, boolean> }

function bruteForce(loop: Loop): Truth {
  const evs = interpret(loop);
  const arrays = evs.filter((e) => e.arr !== undefined);
  const outer: string[] = [];
  if (conflictBy(arrays, (e) => e.it, (e) => `${e.arr}[${e.addr}]`)) outer.push('array');
  outer.push(...scalarCarried(evs));
  const inner = new Map<number, boolean>();
  loop.body.forEach((st, k) => {
    if (st.kind !== 'inner') return;
    const mine = arrays.filter((e) => e.inner === k);
    inner.set(k, conflictBy(mine, (e) => e.jt, (e) => `${e.it}:${e.arr}[${e.addr}]`));
  });
  return { outer, inner };
}

// ---------------------------------------------------------------- rendering

function renderSub(s: Sub): string {
  let out = '';
  for (const [c, v] of [[s.ci, 'i'], [s.cj, 'j']] as const) {
    if (c === 0) continue;
    const mag = Math.abs(c) === 1 ? v : `${Math.abs(c)} * ${v}`;
    out += out === '' ? (c < 0 ? `-${mag}` : mag) : (c < 0 ? ` - ${mag}` : ` + ${mag}`);
  }
  if (out === '') return String(s.d);
  return s.d === 0 ? out : s.d > 0 ? `${out} + ${s.d}` : `${out} - ${-s.d}`;
}

interface Hooks { read(s: Sub): string; write(s: Sub, value: string): string; sread(n: string): string; swrite(n: string, value: string): string; it: string; jt: string; enter(k: number): string; exit: string }

const PLAIN: Hooks = {
  read: (s) => `${s.arr}[${renderSub(s)}]`,
  write: (s, v) => `${s.arr}[${renderSub(s)}] = ${v};`,
  sread: (n) => n,
  swrite: (n, v) => `${n} = ${v};`,
  it: '', jt: '', enter: () => '', exit: '',
};

const INSTRUMENTED: Hooks = {
  read: (s) => `__r('${s.arr}', ${renderSub(s)})`,
  write: (s, v) => `__w('${s.arr}', ${renderSub(s)}, ${v});`,
  sread: (n) => `__sr('${n}', ${n})`,
  swrite: (n, v) => `${n} = __sw('${n}', ${v});`,
  it: '__it();', jt: '__jt();', enter: (k) => `__in(${k});`, exit: '__out();',
};

function header(v: string, start: number, end: number, step: number, descending: boolean, inclusive: boolean): string {
  const cmp = descending ? (inclusive ? '>=' : '>') : (inclusive ? '<=' : '<');
  const upd = step === 1 ? (descending ? `${v}--` : `${v}++`) : `${v} ${descending ? '-=' : '+='} ${step}`;
  return `for (let ${v} = ${start}; ${v} ${cmp} ${end}; ${upd}) {`;
}

function renderLoop(loop: Loop, h: Hooks, indent: string): string[] {
  const lines: string[] = [indent + header('i', loop.start, loop.end, loop.step, loop.descending, loop.inclusive)];
  const ind = indent + '  ';
  if (h.it) lines.push(ind + h.it);
  const arr = (st: ArrStmt): string => h.write(st.lhs, `${h.read(st.rhs[0]!)} * 2 + ${st.rhs[1] ? `(${h.read(st.rhs[1])} | 1)` : '1'}`);
  loop.body.forEach((st, k) => {
    switch (st.kind) {
      case 'arr': lines.push(ind + arr(st)); break;
      case 'red': lines.push(ind + `s += ${h.read(st.rhs)};`); break;
      case 'carry': lines.push(ind + h.swrite('t', `${h.sread('t')} * 0.5 + ${h.read(st.rhs)}`)); break;
      case 'priv': {
        const def = h.swrite('u', `${h.read(st.rhs)} * 2 + 1`);
        const use = h.write(st.lhs, `${h.sread('u')} * 3`);
        lines.push(ind + (st.readFirst ? use : def), ind + (st.readFirst ? def : use));
        break;
      }
      case 'inner':
        if (h.enter(k)) lines.push(ind + h.enter(k));
        lines.push(ind + header('j', st.start, st.end, st.step, false, false));
        if (h.jt) lines.push(ind + '  ' + h.jt);
        for (const t of st.body) lines.push(ind + '  ' + arr(t));
        lines.push(ind + '}');
        if (h.exit) lines.push(ind + h.exit);
        break;
    }
  });
  lines.push(indent + '}');
  return lines;
}

function renderSource(loop: Loop): string {
  const lines = [
    loop.params ? 'export function kernel(A: Float64Array, B: Float64Array): number {' : 'export function kernel(): number {',
  ];
  if (!loop.params) {
    lines.push(`  const A = new Float64Array(${loop.sizes.A});`, `  const B = new Float64Array(${loop.sizes.B});`);
  }
  lines.push('  let s = 0;', '  let t = 0;', '  let u = 0;');
  lines.push(...renderLoop(loop, PLAIN, '  '));
  lines.push('  return s + t + u + A[0] + B[0];', '}', '');
  return lines.join('\n');
}

/** Runs the instrumented rendering and returns its events, to check the interpreter against real execution. */
function execute(loop: Loop): Ev[] {
  const evs: Ev[] = [];
  let it = -1;
  let inner = -1;
  let jt = -1;
  const body = ['let s = 0, t = 0, u = 0;', ...renderLoop(loop, INSTRUMENTED, '')].join('\n');
  const fn = new Function('__r', '__w', '__sr', '__sw', '__it', '__jt', '__in', '__out', body) as (...args: unknown[]) => void;
  fn(
    (arr: Arr, addr: number) => { evs.push({ write: false, arr, addr, it, inner, jt }); return 1; },
    (arr: Arr, addr: number, _v: number) => { evs.push({ write: true, arr, addr, it, inner, jt }); },
    (name: string, v: number) => { evs.push({ write: false, scalar: name, addr: 0, it, inner, jt }); return v; },
    (name: string, v: number) => { evs.push({ write: true, scalar: name, addr: 0, it, inner, jt }); return v; },
    () => { it++; },
    () => { jt++; },
    (k: number) => { inner = k; jt = -1; },
    () => { inner = -1; jt = -1; },
  );
  return evs;
}

// ---------------------------------------------------------------- the property

function lineOf(src: string, needle: string, from = 0): number {
  const lines = src.split('\n');
  for (let k = from; k < lines.length; k++) if (lines[k]!.trimStart().startsWith(needle)) return k + 1;
  return -1;
}

const unsafe = (v: string | undefined): boolean => v === 'parallel' || v === 'reduction';

test('brute force: the interpreter agrees with executing the generated code', () => {
  fc.assert(
    fc.property(fc.gen(), (g) => {
      const loop = genLoop(g);
      const strip = (e: Ev): string => JSON.stringify([e.write, e.arr ?? e.scalar, e.addr, e.it, e.inner, e.jt]);
      assert.deepEqual(execute(loop).map(strip), interpret(loop).map(strip), renderSource(loop));
      for (const e of interpret(loop)) if (e.arr !== undefined) assert.ok(e.addr >= 0 && e.addr < loop.sizes[e.arr], 'index in range');
    }),
    { seed: SEED, numRuns: RUNS, includeErrorInReport: true },
  );
});

test('analyzer never says parallel/reduction where brute force finds a cross-iteration conflict', (t) => {
  const stats = { conflicting: 0, free: 0, freeParallel: 0, innerConflicting: 0, innerFree: 0, innerFreeParallel: 0 };
  fc.assert(
    fc.property(fc.gen(), (g) => {
      const loop = genLoop(g);
      const src = renderSource(loop);
      const truth = bruteForce(loop);
      const report = analyzeSource('property.ts', src);
      const loops = report.findings.filter((f): f is LoopFinding => f.kind === 'loop');
      const at = (line: number): LoopFinding | undefined => loops.find((f) => f.line === line);
      const show = (f: LoopFinding | undefined): string => (f ? JSON.stringify({ verdict: f.verdict, dependencies: f.dependencies, reductions: f.reductions, assumptions: f.assumptions }) : 'none');

      const outerLine = lineOf(src, 'for (let i');
      const outer = at(outerLine);
      const context = `\n--- source ---\n${src}--- brute force: outer conflicts on [${truth.outer.join(', ')}]`;
      assert.ok(outer, `no finding for the outer loop on line ${outerLine}${context}`);
      if (truth.outer.length > 0) {
        stats.conflicting++;
        assert.ok(!unsafe(outer.verdict), `outer loop (line ${outerLine}) has a cross-iteration conflict but the analyzer says ${outer.verdict}: ${show(outer)}${context}`);
      } else {
        stats.free++;
        if (unsafe(outer.verdict)) stats.freeParallel++;
      }

      let from = outerLine;
      loop.body.forEach((st, k) => {
        if (st.kind !== 'inner') return;
        const line = lineOf(src, 'for (let j', from);
        from = line;
        const f = at(line);
        if (truth.inner.get(k)) {
          stats.innerConflicting++;
          assert.ok(f, `no finding for the inner loop on line ${line}${context}`);
          assert.ok(!unsafe(f.verdict), `inner loop (line ${line}) has a cross-iteration conflict but the analyzer says ${f.verdict}: ${show(f)}${context}`);
        } else {
          stats.innerFree++;
          if (f && unsafe(f.verdict)) stats.innerFreeParallel++;
        }
      });
    }),
    { seed: SEED, numRuns: RUNS, includeErrorInReport: true },
  );
  // The property is not vacuous: brute force saw both kinds of loops.
  assert.ok(stats.conflicting > 0, 'no generated loop had a conflict');
  assert.ok(stats.free > 0, 'no generated loop was conflict-free');
  assert.ok(stats.innerConflicting > 0 && stats.innerFree > 0, 'inner loops were not varied enough');
  const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
  const summary = `outer: ${stats.conflicting} conflicting, ${stats.free} conflict-free of which the analyzer proved ${stats.freeParallel} parallel/reduction (${pct(stats.freeParallel, stats.free)}); `
    + `inner: ${stats.innerConflicting} conflicting, ${stats.innerFree} conflict-free, ${stats.innerFreeParallel} proved (${pct(stats.innerFreeParallel, stats.innerFree)})`;
  t.diagnostic(summary);
});
