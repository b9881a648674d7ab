// Runs every loop check over one loop and turns what they found into a verdict and a message.
import { positionOf, TooDeepError, ts } from '../syntax/parse';
import type { LoopFinding, LoopVerdict, Reduction } from '../findings';
import type { ScopeResolver } from '../scope/resolver';
import type { EffectSummaries } from '../effects/summaries';
import { LoopContext } from './context';
import { LoopWalker } from './walker';
import type { LoopSite } from './sites';
import { loopChecks, type ScoredDependence } from './checks';
import { statementOfAnnotatableCall } from '../annotations';

const constructNames: Record<string, string> = {
  for: 'for loop', 'for-of': 'for-of loop', 'for-in': 'for-in loop', while: 'while loop', 'do-while': 'do-while loop',
};

export function analyzeLoop(site: LoopSite, resolver: ScopeResolver, summaries: EffectSummaries, file: string): LoopFinding {
  const { line, column } = positionOf(resolver.sourceFile, site.anchor);
  const base = {
    kind: 'loop' as const, file, line, column, construct: site.construct,
    span: { start: site.node.getStart(resolver.sourceFile), end: site.node.end },
  };
  let dependencies: ScoredDependence[] = [];
  const reductions: Reduction[] = [];
  const privates = new Set<string>();
  const assumptions = new Set<string>();
  try {
    const ctx = new LoopContext(site, resolver, summaries);
    const facts = new LoopWalker(ctx).run();
    for (const name of facts.declaredPrivates) privates.add(name);
    for (const check of loopChecks) {
      const out = check.run(ctx, facts);
      dependencies.push(...(out.dependencies ?? []));
      reductions.push(...(out.reductions ?? []));
      for (const p of out.privates ?? []) privates.add(p);
      for (const a of out.assumptions ?? []) assumptions.add(a);
    }
  } catch (error) {
    if (!(error instanceof TooDeepError)) throw error;
    dependencies = [{ variable: '(loop body)', kind: 'control', line, certain: false, note: 'the loop body is nested too deeply to analyse' }];
  }
  const verdict: LoopVerdict = dependencies.some((d) => d.certain) ? 'sequential'
    : dependencies.length > 0 ? 'unknown'
      : reductions.length > 0 ? 'reduction' : 'parallel';
  const ordered = [...dependencies.filter((d) => d.certain), ...dependencies.filter((d) => !d.certain)];
  const statement = ts.isCallExpression(site.node) ? statementOfAnnotatableCall(site.node) : undefined;
  return {
    ...base,
    ...(statement ? { statementStart: statement.getStart(resolver.sourceFile) } : {}),
    verdict,
    message: messageFor(verdict, site, ordered, reductions, [...assumptions]),
    dependencies: ordered.map(({ certain: _certain, ...d }) => d),
    reductions,
    privates: [...privates],
    assumptions: [...assumptions],
  };
}

function messageFor(verdict: LoopVerdict, site: LoopSite, dependencies: ScoredDependence[], reductions: Reduction[], assumptions: string[]): string {
  const what = constructNames[site.construct] ?? `${site.construct}()`;
  const assuming = assumptions.length > 0 ? ` Assumes ${assumptions.join('; ')}.` : '';
  const more = dependencies.length > 1 ? ` (${dependencies.length - 1} more ${dependencies.length === 2 ? 'dependence' : 'dependences'})` : '';
  switch (verdict) {
    case 'parallel':
      return `The iterations of this ${what} are independent: it can run in parallel.${assuming}`;
    case 'reduction':
      return `The iterations of this ${what} are independent apart from the reduction of ${reductions.map((r) => `${r.variable} (${r.operator})`).join(', ')}: run it in parallel and combine per-worker partial results.${assuming}`;
    case 'sequential':
      return `Sequential: ${dependencies[0].note}${more}.`;
    case 'unknown':
      return `Not proven parallel: ${dependencies[0].note}${more}.`;
  }
}

export { ts };
