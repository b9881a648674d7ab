// Futures analysis: the await graph of every async body, awaits in loops, and async callbacks passed to forEach.
// Each finding carries the dependences that decided it and, where independence is proven, the rewrite as text edits.
import { ts, positionOf, lineOf, isFunctionLike } from '../syntax/parse';
import type { AsyncForEachFinding, AwaitEstimate, AwaitFinding, AwaitInLoopFinding, Dependence, Finding, Fix } from '../findings';
import type { ScopeResolver } from '../scope/resolver';
import type { EffectSummaries } from '../effects/summaries';
import { workSpan, speedup } from '../model/speedup';
import { findAsyncBodies, isLoopStatement, type AsyncBody } from './asyncBodies';
import { AwaitFlow, type AwaitFacts } from './awaitFlow';
import { findAwaitGroups } from './awaitGroups';
import { analyzeAwaitLoop, slotAssumptions, type AwaitLoopAnalysis } from './awaitLoops';
import { rewriteAwaitLoop } from './loopRewrites';
import { findAsyncForEach, asyncForEachFixes } from './asyncForEach';
import { NamePool } from './rewriteText';

export interface FuturesOptions {
  /** Only analyse async bodies that start inside these nodes (for incremental re-analysis); default: the whole file. */
  within?: readonly ts.Node[];
  /** Latency of each await in milliseconds or any unit, by 1-based line; unlisted awaits count 1. */
  latencies?: ReadonlyMap<number, number>;
}

const EXTERNAL_NOTE = 'The order of their external side effects (two writes to one database, say) is not checked.';

export function analyzeFutures(
  sourceFile: ts.SourceFile, resolver: ScopeResolver, summaries: EffectSummaries, fileName: string, options: FuturesOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  const latency = (line: number) => options.latencies?.get(line) ?? 1;
  for (const body of findAsyncBodies(sourceFile, options.within)) {
    if (body.awaits.length === 0 && body.forAwaitLoops.length === 0) continue;
    const facts = new AwaitFlow(body, resolver, summaries).run();
    const names = new NamePool(body.node);
    if (facts.length > 1) findings.push(...awaitFindings(body, facts, fileName, resolver, names, latency));
    for (const loop of loopsWithAwaits(body)) {
      const analysis = analyzeAwaitLoop(loop, loop, resolver, summaries);
      const rewrite = rewriteAwaitLoop(loop, analysis, resolver, names);
      findings.push(awaitInLoopFinding(loop, loop, analysis, countAwaits(loop, body), rewrite.fixes, rewrite.reason, fileName, resolver));
    }
  }
  for (const site of findAsyncForEach(sourceFile, resolver)) {
    if (options.within && !options.within.some((w) => site.call.pos >= w.pos && site.call.end <= w.end)) continue;
    const analysis = analyzeAwaitLoop(site.call, site.callback, resolver, summaries);
    const { fixes, reason } = asyncForEachFixes(site, analysis, resolver);
    const { line, column } = positionOf(sourceFile, site.anchor);
    const bug: AsyncForEachFinding = {
      kind: 'async-foreach', file: fileName, line, column,
      message: `forEach does not wait for an async callback: nothing awaits the ${site.callback.parameters.length > 0 ? 'calls' : 'call'}, code after line ${line} runs before they finish, and their errors become unhandled rejections. ${fixes.length > 0 ? 'Use await Promise.all(xs.map(...)) or a for...of loop.' : `No automatic fix: ${reason}.`}`,
      dependencies: analysis.dependencies, span: { start: site.call.getStart(sourceFile), end: site.call.end }, fixes,
    };
    findings.push(bug);
    if (site.callback.body && countOwnAwaits(site.callback.body) > 0) {
      findings.push(awaitInLoopFinding(site.call, site.anchor, analysis, countOwnAwaits(site.callback.body), fixes.filter((f) => f.title.startsWith('Wait for every')), reason, fileName, resolver));
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

function awaitFindings(body: AsyncBody, facts: AwaitFacts[], fileName: string, resolver: ScopeResolver, names: NamePool, latency: (line: number) => number): AwaitFinding[] {
  const sourceFile = resolver.sourceFile;
  const estimate = estimateOf(facts, latency);
  const groupSpeedup = (members: AwaitFacts[]) => estimateOf(members.map((m) => ({ ...m, dependsOn: new Map() })), latency).speedup;
  const groups = findAwaitGroups(sourceFile, facts, names, groupSpeedup);
  const groupOf = new Map<number, { lines: number[]; fix: Fix; first: boolean }>();
  for (const g of groups) {
    const lines = g.members.map((m) => m.line);
    g.members.forEach((m, i) => {
      // An await in both a Promise.all run and an allSettled run cannot happen (different statement shapes); keep the first.
      if (!groupOf.has(m.index)) groupOf.set(m.index, { lines, fix: g.fix, first: i === 0 });
    });
  }
  const name = functionName(body, sourceFile);
  return facts.map((f) => {
    const { line, column } = positionOf(sourceFile, f.node);
    const group = groupOf.get(f.index);
    const dependencies = [...f.dependsOn.values()];
    return {
      kind: 'await', file: fileName, line, column, function: name,
      dependsOn: [...new Set(dependencies.map((d) => d.line))].sort((a, b) => a - b),
      alreadyConcurrent: f.concurrentSince !== undefined || f.combinator,
      estimate, group: group?.first ? group.lines : [],
      fixes: group?.first ? [group.fix] : [],
      message: awaitMessage(f, dependencies, group, estimate),
      dependencies, span: { start: f.node.getStart(sourceFile), end: f.node.end },
    } satisfies AwaitFinding;
  });
}

function awaitMessage(f: AwaitFacts, dependencies: Dependence[], group: { lines: number[]; first: boolean } | undefined, estimate: AwaitEstimate): string {
  if (f.combinator) return 'Awaits a Promise combinator: the operations inside it already run concurrently.';
  if (f.concurrentSince !== undefined) return `Already concurrent: the promise was created at line ${f.concurrentSince} and has been running since; nothing to change.`;
  const parts: string[] = [];
  if (dependencies.length > 0) {
    parts.push(`Waits for ${dependencies.map((d) => `line ${d.line} (${d.kind}: ${d.note ?? `uses ${d.variable}`})`).join('; ')}.`);
  } else {
    parts.push('Independent of the earlier awaits of this function.');
  }
  if (group?.first) {
    parts.push(`Lines ${group.lines.join(', ')} can start together (Promise.all); the function's awaits take ${fmt(estimate.sequential)} units one after another and ${fmt(estimate.criticalPath)} on their critical path (≈${estimate.speedup.toFixed(1)}×).`);
  }
  if (f.externalEffects && dependencies.length === 0) parts.push(EXTERNAL_NOTE);
  if (f.assumptions.length > 0) parts.push(`Assumes: ${f.assumptions.join('; ')}.`);
  return parts.join(' ');
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Sequential time, critical path and speedup of the await graph — the work/span arithmetic of the one model. */
function estimateOf(facts: readonly AwaitFacts[], latency: (line: number) => number): AwaitEstimate {
  const ids = new Set(facts.map((f) => String(f.index)));
  const tasks = facts.map((f) => ({
    id: String(f.index), duration: latency(f.line),
    dependsOn: [...f.dependsOn.keys()].map(String).filter((id) => ids.has(id)),
  }));
  const ws = workSpan(tasks);
  return { sequential: ws.work, criticalPath: ws.span, speedup: ws.span > 0 ? speedup(ws.work, ws.span) : 1 };
}

function awaitInLoopFinding(
  loop: ts.IterationStatement | ts.CallExpression, anchor: ts.Node, analysis: AwaitLoopAnalysis, awaits: number, fixes: Fix[], reason: string | undefined,
  fileName: string, resolver: ScopeResolver,
): AwaitInLoopFinding {
  const sourceFile = resolver.sourceFile;
  const { line, column } = positionOf(sourceFile, anchor);
  return {
    kind: 'await-in-loop', file: fileName, line, column, construct: analysis.construct, verdict: analysis.verdict, awaits,
    message: loopMessage(analysis, fixes, reason), dependencies: analysis.dependencies, fixes,
    span: { start: loop.getStart(sourceFile), end: loop.end },
  };
}

function loopMessage(analysis: AwaitLoopAnalysis, fixes: Fix[], reason: string | undefined): string {
  const first = analysis.dependencies[0];
  switch (analysis.verdict) {
    case 'dependent':
      return `Iterations depend on each other: ${first.note ?? `${first.variable} (${first.kind}, line ${first.line})`}. Keep the awaits in sequence.`;
    case 'unknown':
      return `Cannot prove the iterations independent: ${first.note ?? first.variable}.`;
    case 'independent': {
      const collected = analysis.sinks.map((s) => s.kind === 'push' ? `results collected by push into ${s.binding.name}` : s.kind === 'reduction' ? `a ${s.operator} reduction into ${s.binding.name}` : `each iteration writes its own slot of ${s.binding.name}`);
      const how = collected.length > 0 ? ` (${[...new Set(collected)].join(', ')})` : '';
      const rewrite = fixes.length > 0 ? ' They can run concurrently with Promise.all(map), or bounded with mapConcurrent.' : reason ? ` No automatic rewrite: ${reason}.` : '';
      const assumed = slotAssumptions(analysis);
      return `Iterations are independent: their awaits share no data${how}.${rewrite}${assumed.length > 0 ? ` Assumes: ${assumed.join('; ')}.` : ''} ${EXTERNAL_NOTE}`;
    }
  }
}

function functionName(body: AsyncBody, sourceFile: ts.SourceFile): string {
  const node = body.node;
  if (ts.isSourceFile(node)) return '<module>';
  if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.name) return node.name.getText(sourceFile);
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return `<${ts.isArrowFunction(node) ? 'arrow' : 'function'} at line ${lineOf(sourceFile, node)}>`;
}

/** Loop statements of a body that contain awaits of that body (nested functions aside). */
function loopsWithAwaits(body: AsyncBody): ts.IterationStatement[] {
  const loops: ts.IterationStatement[] = [];
  const visit = (n: ts.Node): void => {
    if (n !== body.node && isFunctionLike(n)) return;
    if (isLoopStatement(n) && (body.awaits.some((a) => isPerIteration(a, n)) || body.forAwaitLoops.includes(n as ts.ForOfStatement))) loops.push(n);
    n.forEachChild(visit);
  };
  if (ts.isSourceFile(body.body)) body.body.statements.forEach(visit);
  else visit(body.body);
  return loops;
}

function countAwaits(loop: ts.IterationStatement, body: AsyncBody): number {
  return body.awaits.filter((a) => isPerIteration(a, loop)).length;
}

/** Whether an await runs once per iteration: in the body, condition or step — not in what for-of iterates or a for's initializer. */
function isPerIteration(a: ts.AwaitExpression, loop: ts.IterationStatement): boolean {
  if (a.pos < loop.pos || a.end > loop.end) return false;
  const once = ts.isForOfStatement(loop) || ts.isForInStatement(loop) ? [loop.expression, loop.initializer]
    : ts.isForStatement(loop) ? [loop.initializer] : [];
  return !once.some((n) => n && a.pos >= n.pos && a.end <= n.end);
}

function countOwnAwaits(root: ts.Node): number {
  let n = 0;
  const visit = (x: ts.Node): void => {
    if (x !== root && isFunctionLike(x)) return;
    if (ts.isAwaitExpression(x)) n++;
    x.forEachChild(visit);
  };
  visit(root);
  return n;
}
