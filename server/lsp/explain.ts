// The full explanation of a finding, in Markdown: hovers show it and the Explain action opens it in a panel.
// Speedups come from the one model (server/core/model/speedup.ts); this module only chooses what to show.
import { amdahlLimit, amdahlSpeedup } from '../core/model/speedup';
import type { AsyncForEachFinding, AwaitFinding, AwaitInLoopFinding, Dependence, DependenceKind, Finding, Fix, LoopFinding, ParallelAnnotation } from '../core/index';
import { findingTitle, formatSpeedup, type SourceText } from './describe';

export interface Explanation {
  title: string;
  markdown: string;
}

export function explain(f: Finding, workers: number, source?: SourceText, annotation?: ParallelAnnotation): Explanation {
  switch (f.kind) {
    case 'loop': return explainLoop(f, workers, source, annotation);
    case 'await': return explainAwait(f);
    case 'await-in-loop': return explainAwaitInLoop(f);
    case 'async-foreach': return explainAsyncForEach(f);
  }
}

const constructNames: Record<string, string> = {
  for: '`for` loop', 'for-of': '`for…of` loop', 'for-in': '`for…in` loop', while: '`while` loop', 'do-while': '`do…while` loop',
};

function explainLoop(f: LoopFinding, workers: number, source: SourceText | undefined, annotation: ParallelAnnotation | undefined): Explanation {
  const what = constructNames[f.construct] ?? `\`${f.construct}()\` call`;
  const out: string[] = [`### Parlens · ${f.verdict}`, '', `${what} at line ${f.line}: **${findingTitle(f, source)}**`, '', f.message, ''];
  if (f.dependencies.length > 0) {
    out.push('**Dependences**', '');
    for (const d of f.dependencies) out.push(`- ${dependenceLine(d)}`);
    out.push('');
  }
  if (f.reductions.length > 0) out.push(`**Reductions:** ${f.reductions.map((r) => `\`${r.variable}\` (${r.operator})`).join(', ')} — each worker keeps a partial result; the partials are combined at the end.`, '');
  if (f.privates.length > 0) out.push(`**Private to each iteration:** ${f.privates.map((p) => `\`${p}\``).join(', ')}`, '');
  if (f.assumptions.length > 0) {
    out.push('**Assumes**', '');
    for (const a of f.assumptions) out.push(`- ${a}`);
    out.push('');
  }
  if (f.verdict === 'parallel' || f.verdict === 'reduction') {
    out.push(`**Estimated speedup on ${workers} worker${workers === 1 ? '' : 's'}** (Amdahl's law; p is the share of the run time spent in this loop):`, '');
    out.push('| p | speedup | limit (any number of workers) |', '|---|---|---|');
    for (const p of [0.5, 0.9, 0.99]) out.push(`| ${Math.round(p * 100)}% | ${formatSpeedup(amdahlSpeedup(p, workers))} | ${formatSpeedup(amdahlLimit(p))} |`);
    out.push('', 'Measure p with **Parlens: Profile Run**; small loops lose to the cost of starting workers.', '');
  }
  out.push('**What to change**', '', ...advice(f, annotation).map((a) => `- ${a}`));
  return { title: `${f.verdict} ${f.construct} at line ${f.line}`, markdown: out.join('\n') };
}

function dependenceLine(d: Dependence): string {
  const lines = d.otherLine !== undefined && d.otherLine !== d.line ? `lines ${d.line} → ${d.otherLine}` : `line ${d.line}`;
  const distance = d.distance !== undefined ? `, distance ${d.distance}` : '';
  return `\`${d.variable}\` — ${kindNames[d.kind]} (${lines}${distance})${d.note ? `: ${d.note}` : ''}`;
}

const kindNames: Record<DependenceKind, string> = {
  flow: 'flow (read after an earlier iteration writes)', anti: 'anti (written after an earlier iteration reads)',
  output: 'output (written by several iterations)', io: 'I/O (order of output matters)', call: 'call (effects of a called function)',
  control: 'control (whether later iterations run)', alias: 'alias (two names may be one object)',
};

const kindAdvice: Record<DependenceKind, string> = {
  flow: 'compute each iteration from the inputs only (a running value becomes a scan or a closed form), or keep the loop sequential',
  anti: 'read from the original array and write the results to a new one (`const out = new Array(n)`)',
  output: 'give every iteration its own location, or compute the final value after the loop',
  io: 'collect results in an array inside the loop and log or write them after it, in order',
  call: 'make the called function pure — pass in what it reads, return what it computes instead of writing shared state',
  control: 'replace the early exit with a search that combines per-chunk results (e.g. the smallest matching index)',
  alias: 'if the two names are never the same array, copy one first or pass them as distinct arrays',
};

function advice(f: LoopFinding, annotation: ParallelAnnotation | undefined): string[] {
  if (f.verdict === 'parallel' || f.verdict === 'reduction') {
    if (annotation) return ['Nothing: the loop is annotated; the esbuild plugin runs it on the worker pool.'];
    const clause = reductionClause(f);
    return [f.construct === 'for' || f.construct === 'for-of' || f.construct === 'for-in' || f.construct === 'while' || f.construct === 'do-while'
      ? `Nothing in the loop. Annotate it with \`// @parallel${clause}\` (code action) so the esbuild plugin runs it on the worker pool.`
      : 'Nothing in the loop: replace the call with `parallelMap`/`parallelReduce` from `parlens/runtime` to run it on workers.'];
  }
  const seen = new Set<DependenceKind>();
  const out: string[] = [];
  for (const d of f.dependencies) {
    if (seen.has(d.kind)) continue;
    seen.add(d.kind);
    out.push(`\`${d.variable}\` (${d.kind}, line ${d.line}): ${kindAdvice[d.kind]}.`);
  }
  if (annotation && !annotation.force) out.push('Remove the `// @parallel` annotation: running this loop in parallel would race.');
  return out.length > 0 ? out : ['Keep the loop sequential.'];
}

/** ` reduction(+: s, t) reduction(max: m)` for the loop's reductions; empty when there are none. */
export function reductionClause(f: LoopFinding): string {
  const byOperator = new Map<string, string[]>();
  for (const r of f.reductions) byOperator.set(r.operator, [...(byOperator.get(r.operator) ?? []), r.variable]);
  return [...byOperator].map(([op, vars]) => ` reduction(${op}: ${vars.join(', ')})`).join('');
}

function explainAwait(f: AwaitFinding): Explanation {
  const out = [`### Parlens · await in \`${f.function}\``, '', `Line ${f.line}: **${findingTitle(f)}**`, '', f.message, ''];
  if (f.group.length > 1) out.push(`The awaits at lines ${f.group.join(', ')} do not use each other's results: they can run at the same time.`, '');
  if (f.dependsOn.length > 0) out.push(`Waits for the result of the await${f.dependsOn.length === 1 ? '' : 's'} at line${f.dependsOn.length === 1 ? '' : 's'} ${f.dependsOn.join(', ')}.`, '');
  if (f.alreadyConcurrent) out.push('The promise was created earlier and is already running while the code before this await runs.', '');
  for (const d of f.dependencies) out.push(`- ${dependenceLine(d)}`);
  if (f.dependencies.length > 0) out.push('');
  out.push(`**Estimate for \`${f.function}\`** (each await one unit unless profiled): ${f.estimate.sequential} units one after another, `
    + `${f.estimate.criticalPath} along the longest chain of dependent awaits — **${formatSpeedup(f.estimate.speedup)}** with independent awaits run together.`, '');
  out.push(...fixesSection(f.fixes));
  return { title: `await at line ${f.line} in ${f.function}`, markdown: out.join('\n') };
}

function explainAwaitInLoop(f: AwaitInLoopFinding): Explanation {
  const out = [`### Parlens · ${f.verdict} awaits in a loop`, '', `${constructNames[f.construct] ?? `\`${f.construct}\``} at line ${f.line}, ${f.awaits} await${f.awaits === 1 ? '' : 's'} per iteration: **${findingTitle(f)}**`, '', f.message, ''];
  for (const d of f.dependencies) out.push(`- ${dependenceLine(d)}`);
  if (f.dependencies.length > 0) out.push('');
  if (f.verdict === 'independent') out.push('Each iteration waits for the one before only because of `await`; start them all and wait once with `Promise.all(items.map(async …))`, or `mapConcurrent` from `parlens/runtime` to bound how many run at once.', '');
  out.push(...fixesSection(f.fixes));
  return { title: `awaits in ${f.construct} loop at line ${f.line}`, markdown: out.join('\n') };
}

function explainAsyncForEach(f: AsyncForEachFinding): Explanation {
  const out = ['### Parlens · async callback in forEach', '', f.message, '',
    '`forEach` ignores the promises its callback returns: the code after it runs before the callbacks finish, and their errors are lost (unhandled rejections).', ''];
  out.push(...fixesSection(f.fixes));
  return { title: `async forEach at line ${f.line}`, markdown: out.join('\n') };
}

function fixesSection(fixes: readonly Fix[]): string[] {
  if (fixes.length === 0) return [];
  return ['**Fixes** (code actions)', '', ...fixes.map((fix) => `- **${fix.title}** — ${fix.description}`), ''];
}

/** The explanation of a `// @parallel` on a loop that is not proven parallel. */
export function explainUnsafeAnnotation(f: LoopFinding, annotation: ParallelAnnotation, workers: number, source?: SourceText): Explanation {
  const loop = explain(f, workers, source, annotation);
  return {
    title: `unsafe @parallel at line ${annotation.line}`,
    markdown: [`### Parlens · \`@parallel\` on a ${f.verdict} loop`, '',
      `The annotation at line ${annotation.line} asks for parallel execution, but the analysis ${f.verdict === 'sequential' ? 'found a dependence' : 'could not prove the iterations independent'}: run in parallel, the iterations would race.`,
      'Fix the dependence, remove the annotation, or write `// @parallel force` if you know better than the analysis.', '', '---', '', loop.markdown].join('\n'),
  };
}
