// The classical subscript tests (ZIV, strong SIV, GCD, Banerjee) on polynomials, plus a magnitude test
// for linearised multi-dimensional indexing (a[i*n + j] with 0 <= j < n).
import { Poly, gcd } from './linear';

/** An inclusive range; a missing end is unbounded. */
export interface Range {
  lo?: Poly;
  hi?: Poly;
}

export interface DependenceProblem {
  /** The symbol that counts the analysed loop's iterations, increasing in execution order. */
  target: string;
  targetRange: Range;
  /** Iteration distances (in target units) must be multiples of this. */
  stride: number;
  /** Counters of loops inside the analysed one: they vary within one iteration. */
  inner: ReadonlyMap<string, Range>;
}

export type DimensionResult =
  | { kind: 'independent' }
  /** The two accesses can only meet within one iteration. */
  | { kind: 'same-iteration' }
  /**
   * They may meet in different iterations. `distance` = (iteration of the second access) - (iteration of the first),
   * when it is one number; `certain` is false when the test could not decide (symbolic or non-affine terms).
   */
  | { kind: 'dependent'; distance?: number; certain: boolean; direction?: 1 | -1 };

const PRIME = "'";

export function testDimension(first: Poly | undefined, second: Poly | undefined, problem: DependenceProblem): DimensionResult {
  if (!first || !second) return { kind: 'dependent', certain: false };
  const varying = new Set<string>([problem.target, ...problem.inner.keys()]);
  const renaming = new Map<string, string>([...varying].map((k) => [k, k + PRIME]));
  const f = first;
  const g = second.rename(renaming);
  const ranges = new Map<string, Range>();
  for (const [k, r] of problem.inner) {
    ranges.set(k, r);
    ranges.set(k + PRIME, r);
  }
  ranges.set(problem.target, problem.targetRange);
  ranges.set(problem.target + PRIME, problem.targetRange);
  const allVarying = new Set(ranges.keys());
  if (!isAffineIn(f, allVarying) || !isAffineIn(g, allVarying)) return { kind: 'dependent', certain: false };

  const h = f.sub(g);
  if (banerjeeExcludesZero(h, ranges) || gcdExcludesZero(h, allVarying)) return { kind: 'independent' };
  const split = delinearize(first, second, problem, varying);
  if (split) return combineDimensions(split.map(([a, b]) => testDimension(a, b, problem)));

  const sf = f.separate(problem.target)!;
  const sg = g.separate(problem.target + PRIME)!;
  const restDifference = sf.rest.sub(sg.rest);
  const deltaVaries = [...restDifference.symbols()].some((s) => allVarying.has(s));

  if (sf.coefficient.equals(sg.coefficient)) {
    const a = sf.coefficient;
    if (a.isZero()) {
      // Neither subscript moves with the loop: every iteration touches the same elements.
      if (restDifference.isZero()) return { kind: 'dependent', certain: true };
      const sameExpression = sf.rest.equals(second.separate(problem.target)!.rest);
      // The same expression on both sides touches the same elements in every iteration (given the loops run).
      return { kind: 'dependent', certain: sameExpression };
    }
    if (!deltaVaries) {
      const an = a.asNumber();
      const c = restDifference.asNumber();
      if (restDifference.isZero()) return { kind: 'same-iteration' };
      if (an === undefined || c === undefined) return { kind: 'dependent', certain: false };
      // a*t + c = a*t'  =>  t' - t = c / a
      const d = c / an;
      if (!Number.isInteger(d) || d % problem.stride !== 0) return { kind: 'independent' };
      const span = rangeSpan(problem.targetRange);
      if (span !== undefined && Math.abs(d) > span) return { kind: 'independent' };
      return { kind: 'dependent', distance: d, certain: true };
    }
    if (magnitudeExcludesOtherIterations(a, restDifference, ranges, problem.stride)) return { kind: 'same-iteration' };
    return { kind: 'dependent', certain: false };
  }
  const numeric = sf.coefficient.isConstant() && sg.coefficient.isConstant() && !deltaVaries && restDifference.isConstant();
  return { kind: 'dependent', certain: numeric, direction: onlyDirection(h, problem, ranges) };
}

/**
 * Banerjee's test under a direction: can the second access happen in a later iteration (t' = t + d, d >= 1),
 * or an earlier one? Returns the only possible direction, if just one survives.
 */
function onlyDirection(h: Poly, problem: DependenceProblem, ranges: ReadonlyMap<string, Range>): 1 | -1 | undefined {
  const t = problem.target;
  const tp = t + PRIME;
  const r = problem.targetRange;
  const d = 'δ';
  const span = r.lo && r.hi ? r.hi.sub(r.lo) : undefined;
  const possible = (later: boolean): boolean => {
    // later: t' = t + d; earlier: t = t' + d.
    const [moving, base] = later ? [tp, t] : [t, tp];
    const substituted = h.substitute(moving, Poly.symbol(base).add(Poly.symbol(d)));
    if (!substituted) return true;
    const within = new Map(ranges);
    within.set(base, { lo: r.lo, hi: r.hi?.sub(Poly.constant(1)) });
    within.set(d, { lo: Poly.constant(1), hi: span });
    within.delete(moving);
    return !banerjeeExcludesZero(substituted, within);
  };
  const later = possible(true);
  const earlier = possible(false);
  if (later && !earlier) return 1;
  if (earlier && !later) return -1;
  return undefined;
}

/**
 * Flat indexing `a[i*n + j]` with 0 <= j < n is the 2-D access a[i][j]: if both subscripts are `s*P + Q` with
 * 0 <= Q <= s - 1 for a symbol s, they are equal exactly when the P parts and the Q parts are, so each pair is a
 * dimension of its own.
 */
function delinearize(first: Poly, second: Poly, problem: DependenceProblem, varying: ReadonlySet<string>): [Poly, Poly][] | undefined {
  const ranges = new Map<string, Range>(problem.inner);
  ranges.set(problem.target, problem.targetRange);
  const candidates = new Set<string>();
  for (const p of [first, second]) {
    for (const m of p.terms.keys()) {
      const factors = m === '' ? [] : m.split('*');
      if (factors.length === 2 && factors.some((x) => varying.has(x))) {
        for (const x of factors) if (!varying.has(x)) candidates.add(x);
      }
    }
  }
  for (const s of candidates) {
    const a = first.separate(s);
    const b = second.separate(s);
    if (!a || !b || a.coefficient.isZero() && b.coefficient.isZero()) continue;
    const size = Poly.symbol(s);
    const fits = (q: Poly): boolean => {
      const { lo, hi } = bounds(q, ranges);
      const below = lo?.asNumber();
      const above = hi ? size.sub(Poly.constant(1)).sub(hi).asNumber() : undefined;
      return below !== undefined && below >= 0 && above !== undefined && above >= 0;
    };
    if ([...a.coefficient.symbols(), ...b.coefficient.symbols()].includes(s)) continue;
    if (fits(a.rest) && fits(b.rest)) return [[a.coefficient, b.coefficient], [a.rest, b.rest]];
  }
  return undefined;
}

/** Combines per-dimension answers: the accesses meet only if they meet in every dimension at once. */
export function combineDimensions(results: readonly DimensionResult[]): DimensionResult {
  if (results.some((r) => r.kind === 'independent')) return { kind: 'independent' };
  const exact = new Set<number>();
  for (const r of results) {
    if (r.kind === 'same-iteration') exact.add(0);
    else if (r.kind === 'dependent' && r.distance !== undefined) exact.add(r.distance);
  }
  if (exact.size > 1) return { kind: 'independent' };
  if (exact.has(0)) return { kind: 'same-iteration' };
  const dependents = results.filter((r): r is Extract<DimensionResult, { kind: 'dependent' }> => r.kind === 'dependent');
  const distance = exact.size === 1 ? [...exact][0] : undefined;
  const directions = new Set(dependents.map((r) => r.direction));
  const direction = directions.size === 1 ? [...directions][0] : undefined;
  return { kind: 'dependent', distance, certain: dependents.length > 0 && dependents.every((r) => r.certain), direction };
}

function isAffineIn(p: Poly, varying: ReadonlySet<string>): boolean {
  for (const m of p.terms.keys()) {
    if (m === '') continue;
    const factors = m.split('*');
    if (factors.filter((x) => varying.has(x)).length > 1) return false;
  }
  return true;
}

/** Whether h can never be zero over the ranges (Banerjee's test). */
function banerjeeExcludesZero(h: Poly, ranges: ReadonlyMap<string, Range>): boolean {
  const { lo, hi } = bounds(h, ranges);
  const min = lo?.asNumber();
  const max = hi?.asNumber();
  return (min !== undefined && min > 0) || (max !== undefined && max < 0);
}

function gcdExcludesZero(h: Poly, varying: ReadonlySet<string>): boolean {
  let divisor = 0;
  let constant = 0;
  for (const [m, c] of h.terms) {
    if (m === '') {
      constant = c;
      continue;
    }
    const factors = m.split('*');
    if (factors.length !== 1 || !varying.has(factors[0])) return false; // symbolic terms: the test does not apply
    divisor = gcd(divisor, c);
  }
  return divisor !== 0 && Number.isInteger(constant) && constant % divisor !== 0;
}

/**
 * For a*t + delta = a*t' with t != t': |a*(t - t')| >= |a|*stride, so if every value of delta over the inner ranges
 * is strictly smaller in magnitude, the accesses never meet across iterations.
 */
function magnitudeExcludesOtherIterations(a: Poly, delta: Poly, ranges: ReadonlyMap<string, Range>, stride: number): boolean {
  const an = a.asNumber();
  const step = an !== undefined ? Poly.constant(Math.abs(an) * stride) : a.scale(stride);
  const { lo, hi } = bounds(delta, ranges);
  if (!lo || !hi) return false;
  const above = step.sub(hi).asNumber();
  const below = step.add(lo).asNumber();
  return above !== undefined && below !== undefined && above > 0 && below > 0;
}

/** Banerjee's inequalities: the smallest and largest value of p over the ranges of its varying symbols. */
function bounds(p: Poly, ranges: ReadonlyMap<string, Range>): Range {
  let lo: Poly | undefined = Poly.zero;
  let hi: Poly | undefined = Poly.zero;
  for (const [m, c] of p.terms) {
    const factors = m === '' ? [] : m.split('*');
    const v = factors.find((x) => ranges.has(x));
    if (v === undefined) {
      const term = termPoly(m, c);
      lo = lo?.add(term);
      hi = hi?.add(term);
      continue;
    }
    if (factors.length > 1) return {};
    const r = ranges.get(v)!;
    const low = c > 0 ? r.lo : r.hi;
    const high = c > 0 ? r.hi : r.lo;
    lo = lo && low ? lo.add(low.scale(c)) : undefined;
    hi = hi && high ? hi.add(high.scale(c)) : undefined;
  }
  return { lo, hi };
}

function termPoly(monomial: string, coefficient: number): Poly {
  if (monomial === '') return Poly.constant(coefficient);
  let p: Poly | undefined = Poly.constant(coefficient);
  for (const f of monomial.split('*')) p = p?.mul(Poly.symbol(f));
  return p!;
}

function rangeSpan(r: Range): number | undefined {
  const lo = r.lo?.asNumber();
  const hi = r.hi?.asNumber();
  return lo !== undefined && hi !== undefined ? hi - lo : undefined;
}
