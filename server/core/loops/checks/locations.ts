// Elements and properties: every pair of accesses to one object, at least one a write, goes through the subscript
// tests dimension by dimension. Also: reductions into one element (hist[k]++), the assumptions that objects reached
// through different elements are distinct, and the aliasing of two variables that may hold one object.
import type { DependenceKind, Reduction } from '../../findings';
import { testDimension, combineDimensions, type DimensionResult, type DependenceProblem } from '../dependenceTests';
import type { LocationEvent } from '../walker';
import type { LoopContext } from '../context';
import { commonReductionOperator } from './scalars';
import type { LoopCheck, ScoredDependence } from './types';

interface PathComparison {
  result: DimensionResult;
  /** Set when the answer holds only if different elements hold different objects: names the collection. */
  needsDistinctElements?: { text: string; mayRepeat: boolean };
}

export const locations: LoopCheck = {
  name: 'locations',
  run(ctx, facts) {
    const problem = ctx.problem();
    const groups = new Map<string, LocationEvent[]>();
    // The same access written many times (this.pos read in every statement) needs testing once.
    const seen = new Set<string>();
    for (const e of facts.locations) {
      const key = `${e.ownerKey}|${e.access}|${e.whole}|${e.op ?? ''}|${e.viaCall ?? ''}|${e.text}|${e.steps.map((x) => x.text).join('')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const g = groups.get(e.ownerKey);
      if (g) g.push(e);
      else groups.set(e.ownerKey, [e]);
    }
    const dependencies: ScoredDependence[] = [];
    const reductions: Reduction[] = [];
    const assumptions = new Set<string>();

    for (const events of groups.values()) {
      const conflicts: { first: LocationEvent; second: LocationEvent; result: Extract<DimensionResult, { kind: 'dependent' }> }[] = [];
      // Accesses whose first step names different properties never meet: compare within a first-step bucket only.
      const buckets = bucketByFirstStep(events);
      const order = new Map(events.map((e, i) => [e, i]));
      events.forEach((w, wi) => {
        if (w.access !== 'write') return;
        for (const x of candidatesFor(w, buckets, events)) {
          const xi = order.get(x)!;
          if (x.access === 'write' && xi < wi) continue;
          const c = comparePaths(w, x, problem);
          if (c.result.kind === 'dependent') conflicts.push({ first: w, second: x, result: c.result });
          else if (c.needsDistinctElements) assumptions.add(distinctText(c.needsDistinctElements));
        }
      });
      if (conflicts.length === 0) continue;
      const involved = new Set(conflicts.flatMap((c) => [c.first, c.second]));
      const op = [...involved].some((e) => e.whole) ? undefined : commonReductionOperator([...involved]);
      if (op) {
        const texts = new Set([...involved].map((e) => e.text));
        reductions.push({ variable: texts.size === 1 ? [...texts][0] : variableText(events[0]), operator: op });
        continue;
      }
      const worst = conflicts.find((c) => c.result.certain) ?? conflicts[0];
      dependencies.push(describe(worst.first, worst.second, worst.result, ctx));
    }

    // Two variables may hold one object: what would conflict if they did becomes an assumption, never a silent one.
    // Objects made in the loop alias nothing from outside it; a pair needs a write on one side, and loops write
    // few of the many objects they read, so pairs are enumerated from the writers.
    const owners = [...groups.values()].filter((g) => !g[0].fresh);
    const keys = owners.map(firstStepKeys);
    const aliased: Array<[number, number]> = [];
    for (let i = 0; i < owners.length; i++) {
      if (keys[i].writes.size === 0) continue;
      for (let j = 0; j < owners.length; j++) {
        if (j === i || (j < i && keys[j].writes.size > 0)) continue; // a writer pair is seen once, from the smaller index
        if (!mayOverlap(keys[i], keys[j])) continue;
        const [a, b] = i < j ? [i, j] : [j, i];
        const conflict = owners[a].some((x) => owners[b].some((y) => (x.access === 'write' || y.access === 'write') && comparePaths(x, y, problem).result.kind === 'dependent'));
        if (conflict) aliased.push([a, b]);
      }
    }
    // In the order of the owners' first accesses, whichever side the writer was on.
    aliased.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    for (const [a, b] of aliased) assumptions.add(`${owners[a][0].ownerText} and ${owners[b][0].ownerText} are not the same object (they do not alias)`);
    return { dependencies, reductions, assumptions: [...assumptions] };
  },
};

const ANY = '\u0000any';

function firstStepKey(e: LocationEvent): string {
  const first = e.steps[0];
  return first && first.kind === 'prop' ? first.name : ANY;
}

function bucketByFirstStep(events: readonly LocationEvent[]): Map<string, LocationEvent[]> {
  const buckets = new Map<string, LocationEvent[]>();
  for (const e of events) {
    const key = firstStepKey(e);
    const list = buckets.get(key);
    if (list) list.push(e);
    else buckets.set(key, [e]);
  }
  return buckets;
}

interface OwnerKeys {
  /** First-step keys (see firstStepKey) of the owner's writes, and of all its accesses. */
  writes: Set<string>;
  all: Set<string>;
}

function firstStepKeys(events: readonly LocationEvent[]): OwnerKeys {
  const keys: OwnerKeys = { writes: new Set(), all: new Set() };
  for (const e of events) {
    const key = firstStepKey(e);
    keys.all.add(key);
    if (e.access === 'write') keys.writes.add(key);
  }
  return keys;
}

/**
 * Whether a write of one owner and an access of the other could compare as dependent if the two were one object:
 * comparePaths finds two paths independent when their first properties differ, so only matching first keys (or
 * a key that is no property, ANY) can conflict. A cheap test before the pairwise comparison of two owners' paths,
 * which on big loops with many owners was the analysis's hottest spot.
 */
function mayOverlap(a: OwnerKeys, b: OwnerKeys): boolean {
  return keysMeet(a.writes, b.all) || keysMeet(b.writes, a.all);
}

function keysMeet(writes: ReadonlySet<string>, accesses: ReadonlySet<string>): boolean {
  if (writes.size === 0 || accesses.size === 0) return false;
  if (writes.has(ANY) || accesses.has(ANY)) return true;
  const [small, large] = writes.size <= accesses.size ? [writes, accesses] : [accesses, writes];
  for (const key of small) if (large.has(key)) return true;
  return false;
}

/** Events that may touch what `w` touches: the same first property, or no property first (indices, whole objects). */
function candidatesFor(w: LocationEvent, buckets: ReadonlyMap<string, LocationEvent[]>, all: readonly LocationEvent[]): readonly LocationEvent[] {
  const key = firstStepKey(w);
  if (key === ANY) return all;
  return [...(buckets.get(key) ?? []), ...(buckets.get(ANY) ?? [])];
}

export function comparePaths(a: LocationEvent, b: LocationEvent, problem: DependenceProblem): PathComparison {
  const common = Math.min(a.steps.length, b.steps.length);
  if (a.steps.length !== b.steps.length) {
    const shorter = a.steps.length < b.steps.length ? a : b;
    // Reading `grid[i]` only reads the reference to a row, which writing `grid[k][j]` does not change.
    if (!shorter.whole && shorter.access === 'read') return { result: { kind: 'independent' } };
  }
  const dims: { step: number; result: DimensionResult }[] = [];
  let last: DimensionResult = { kind: 'dependent', certain: true };
  for (let k = 0; k < common; k++) {
    const sa = a.steps[k];
    const sb = b.steps[k];
    if (sa.kind === 'prop' && sb.kind === 'prop') {
      if (sa.name !== sb.name) return { result: { kind: 'independent' } };
      last = { kind: 'dependent', certain: true };
      continue;
    }
    if (sa.kind !== sb.kind) return { result: { kind: 'independent' } };
    if (sa.kind === 'index' && sb.kind === 'index') {
      last = testDimension(sa.poly, sb.poly, problem);
      dims.push({ step: k, result: last });
    }
  }
  const result = dims.length === 0 ? { kind: 'dependent', certain: true } as const : combineDimensions(dims.map((d) => d.result));
  // A whole-object access reaches inside the element too, where two indices could share one object.
  const reachesInside = (a.access === 'write' && a.whole) || (b.access === 'write' && b.whole);
  if (result.kind !== 'dependent' && (last.kind === 'dependent' || (reachesInside && dims.length > 0))) {
    // An outer dimension decided: that holds only if different elements there are different objects.
    const deciding = dims.find((d) => d.result.kind !== 'dependent')?.step ?? 0;
    const step = a.steps[deciding];
    return {
      result,
      needsDistinctElements: { text: a.ownerText + a.steps.slice(0, deciding).map((s) => s.text).join(''), mayRepeat: step.kind === 'index' && !!step.mayRepeat },
    };
  }
  return { result };
}

function distinctText(d: { text: string; mayRepeat: boolean }): string {
  return d.mayRepeat
    ? `the elements of ${d.text} are distinct objects (no object appears twice)`
    : `the rows of ${d.text} are distinct objects (no two indices hold the same array or object)`;
}

/** `state.x` for property paths, `a` for arrays: the variable as a person would name it. */
function variableText(e: LocationEvent): string {
  let text = e.ownerText;
  for (const s of e.steps) {
    if (s.kind !== 'prop') break;
    text += s.text;
  }
  return text;
}

function describe(first: LocationEvent, second: LocationEvent, result: Extract<DimensionResult, { kind: 'dependent' }>, ctx: LoopContext): ScoredDependence {
  const variable = variableText(first);
  const order = result.distance !== undefined ? Math.sign(result.distance) * ctx.direction : result.direction !== undefined ? result.direction * ctx.direction : 0;
  const distance = result.distance !== undefined && result.distance !== 0 ? Math.abs(result.distance) / ctx.stride : undefined;
  let kind: DependenceKind;
  if (first.viaCall || second.viaCall) kind = 'call';
  else if (second.access === 'write') kind = 'output';
  else kind = order < 0 ? 'anti' : 'flow';
  const where = first.line === second.line ? `at line ${first.line}` : `at lines ${first.line} and ${second.line}`;
  let note: string;
  if (!result.certain) {
    note = `could not prove that ${first.text} and ${second.text} (${where}) never touch the same element in different iterations`;
  } else if (kind === 'call') {
    const via = first.viaCall ?? second.viaCall;
    note = `${via}() ${first.viaCall ? 'changes' : 'reads'} ${variable} (line ${first.viaCall ? first.line : second.line}) while other iterations ${first.viaCall ? 'use' : 'write'} it, so their order matters`;
  } else if (kind === 'output') {
    note = `${first.text} and ${second.text} (${where}) write the same element in different iterations`;
  } else if (kind === 'flow') {
    note = `${second.text} read at line ${second.line} is written as ${first.text} by ${distance ? (distance === 1 ? 'the previous iteration' : `the iteration ${distance} before`) : 'an earlier iteration'}`;
  } else {
    note = `${second.text} read at line ${second.line} is overwritten as ${first.text} by ${distance ? (distance === 1 ? 'the next iteration' : `the iteration ${distance} after`) : 'a later iteration'}`;
  }
  const dep: ScoredDependence = { variable, kind, line: first.line, certain: result.certain, note };
  const access = kind === 'output' ? first.text : second.text;
  if (access !== variable) dep.access = access;
  if (second.line !== first.line || second !== first) dep.otherLine = second.line;
  if (distance !== undefined) dep.distance = distance;
  return dep;
}
