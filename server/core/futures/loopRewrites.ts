// Rewrites of a proven-independent await-in-loop into concurrent form, keeping result order:
//   for (const x of xs) { body }          →  await Promise.all(xs.map(async (x) => { body }))
//   ... out.push(v) / total += v last     →  for (const value of await Promise.all(...)) out.push(value)
//   for (let i = 0; i < n; i++) { body }  →  await Promise.all(Array.from({ length: n }, async (_, i) => { body }))
// and the same with `mapConcurrent(items, limit, fn)` from parlens/runtime for large or unbounded inputs.
import { ts, skipOuterExpressions, isFunctionLike, textOf } from '../syntax/parse';
import type { Fix, TextEdit } from '../findings';
import type { ScopeResolver } from '../scope/resolver';
import { slotAssumptions, type AwaitLoopAnalysis, type Sink } from './awaitLoops';
import { usesSemicolons, NamePool } from './rewriteText';

/** The default in-flight limit of the bounded rewrite: enough to hide latency, few enough not to flood a server. */
export const DEFAULT_CONCURRENCY_LIMIT = 8;

export interface LoopRewriteResult {
  fixes: Fix[];
  /** Why no rewrite was produced, when none was. */
  reason?: string;
}

export function rewriteAwaitLoop(loop: ts.IterationStatement, analysis: AwaitLoopAnalysis, resolver: ScopeResolver, names: NamePool): LoopRewriteResult {
  const sourceFile = resolver.sourceFile;
  if (analysis.verdict !== 'independent') return { fixes: [], reason: 'only independent loops are rewritten' };
  if (ts.isLabeledStatement(loop.parent)) return { fixes: [], reason: 'the loop has a label' };
  let parameter: string;
  let items: string;
  let bounded: string;
  if (ts.isForOfStatement(loop) && ts.isVariableDeclarationList(loop.initializer) && loop.initializer.declarations.length === 1) {
    parameter = textOf(sourceFile, loop.initializer.declarations[0].name);
    const iterated = textOf(sourceFile, loop.expression);
    items = isKnownArray(loop.expression, resolver) ? `${parenthesize(loop.expression, iterated)}.map(` : `Array.from(${iterated}, `;
    bounded = iterated;
  } else if (ts.isForStatement(loop) && analysis.canonicalCounter) {
    const counter = analysis.canonicalCounter.binding.name;
    const bound = textOf(sourceFile, analysis.canonicalCounter.bound);
    parameter = `_, ${counter}`;
    items = `Array.from({ length: ${bound} }, `;
    bounded = `Array.from({ length: ${bound} }, (_, ${counter}) => ${counter})`;
  } else {
    return { fixes: [], reason: ts.isForInStatement(loop) ? 'for-in also visits inherited keys; rewrite it by hand over Object.keys' : 'only for-of loops and counted for loops are rewritten' };
  }
  const body = loop.statement;
  const problem = unmovable(body);
  if (problem) return { fixes: [], reason: problem };

  const orderSensitive = analysis.sinks.filter((s): s is Exclude<Sink, { kind: 'slot' }> => s.kind !== 'slot');
  if (orderSensitive.length > 1) return { fixes: [], reason: 'more than one collection or reduction in the body' };
  const sink = orderSensitive[0];
  const statements = ts.isBlock(body) ? body.statements : [body];
  if (sink && statements[statements.length - 1] !== sink.statement) return { fixes: [], reason: `${sink.binding.name} is updated before the end of the body; move that update last to get a rewrite` };
  if (sink && containsContinue(body, loop)) return { fixes: [], reason: 'continue skips the update of ' + sink.binding.name };

  // The callback body: the loop body with `continue` → `return` and the final sink → `return <value>`.
  const inner: TextEdit[] = [];
  for (const c of continuesOf(body, loop)) inner.push({ start: c.getStart(sourceFile), end: c.end, newText: `return${c.getText(sourceFile).trimEnd().endsWith(';') ? ';' : ''}` });
  const semi = usesSemicolons(sourceFile, loop) || (sink ? usesSemicolons(sourceFile, sink.statement) : false) ? ';' : '';
  if (sink) inner.push({ start: sink.statement.getStart(sourceFile), end: sink.statement.end, newText: `return ${textOf(sourceFile, sink.value)}${semi}` });
  const bodyStart = body.getStart(sourceFile);
  let bodyText = applyEdits(sourceFile.text.slice(bodyStart, body.end), inner.map((e) => ({ ...e, start: e.start - bodyStart, end: e.end - bodyStart })));
  if (!ts.isBlock(body)) bodyText = `{ ${bodyText} }`;

  const callback = `async (${parameter}) => ${bodyText}`;
  const allCall = `Promise.all(${items}${callback}))`;
  const limitedCall = `mapConcurrent(${bounded}, ${DEFAULT_CONCURRENCY_LIMIT}, async (${ts.isForStatement(loop) ? analysis.canonicalCounter!.binding.name : parameter}) => ${bodyText})`;
  const value = sink ? names.fresh('value') : '';
  const wrap = (call: string) => sink ? `for (const ${value} of await ${call}) ${sinkApplied(sourceFile, sink, value, semi)}` : `await ${call}${semi}`;
  const start = loop.getStart(sourceFile);
  const assumed = slotAssumptions(analysis);
  const assumes = assumed.length > 0 ? ` Assumes: ${assumed.join('; ')}.` : '';
  const order = sink ? `; ${sink.kind === 'push' ? `${sink.binding.name} gets the results in input order` : `the ${sink.operator} reduction into ${sink.binding.name} runs afterwards in input order`}` : '';
  const fixes: Fix[] = [{
    title: 'Run the iterations concurrently with Promise.all(map)',
    description: `Starts every iteration's awaits at once and waits for all${order}. Promise.all is fail-fast: the first failure rejects, and the other iterations have already started. The order of their external side effects is not checked.${assumes} For a large or unbounded input prefer the bounded version.`,
    edits: [{ start, end: loop.end, newText: wrap(allCall) }],
  }];
  const importEdit = runtimeImport(sourceFile);
  fixes.push({
    title: `Run the iterations concurrently, at most ${DEFAULT_CONCURRENCY_LIMIT} at a time (mapConcurrent from parlens/runtime)`,
    description: `Like Promise.all(map), with at most ${DEFAULT_CONCURRENCY_LIMIT} iterations in flight; results keep input order${order ? ' and' + order.slice(1) : ''}. Fails fast and starts no new iteration after a failure.${assumes} Adds an import of parlens/runtime.`,
    edits: [...(importEdit ? [importEdit] : []), { start, end: loop.end, newText: wrap(limitedCall) }],
  });
  return { fixes };
}

function sinkApplied(sourceFile: ts.SourceFile, sink: Exclude<Sink, { kind: 'slot' }>, value: string, semi: string): string {
  const statementStart = sink.statement.getStart(sourceFile);
  const text = sourceFile.text.slice(statementStart, sink.statement.end);
  const v = sink.value;
  const replaced = text.slice(0, v.getStart(sourceFile) - statementStart) + value + text.slice(v.end - statementStart);
  return replaced.trimEnd().endsWith(';') ? replaced : `${replaced}${semi}`;
}

/** Why the body cannot move into a callback, or undefined when it can. */
function unmovable(body: ts.Statement): string | undefined {
  let problem: string | undefined;
  const visit = (n: ts.Node, inFunction: boolean): void => {
    if (problem) return;
    if (isFunctionLike(n)) { n.forEachChild((c) => visit(c, true)); return; }
    if (!inFunction) {
      if (ts.isYieldExpression(n)) problem = 'the body yields';
      else if (ts.isVariableDeclarationList(n) && !(n.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let))) problem = 'the body declares a var, which is visible after the loop';
      else if (ts.isIdentifier(n) && n.text === 'arguments') problem = 'the body uses arguments';
    }
    n.forEachChild((c) => visit(c, inFunction));
  };
  visit(body, false);
  return problem;
}

function continuesOf(body: ts.Node, loop: ts.Node): ts.ContinueStatement[] {
  const out: ts.ContinueStatement[] = [];
  const visit = (n: ts.Node, depth: number): void => {
    if (isFunctionLike(n)) return;
    if (ts.isContinueStatement(n) && !n.label && depth === 0) out.push(n);
    const nested = n !== loop && ts.isIterationStatement(n, false) ? 1 : 0;
    n.forEachChild((c) => visit(c, depth + nested));
  };
  visit(body, 0);
  return out;
}

function containsContinue(body: ts.Node, loop: ts.Node): boolean {
  return continuesOf(body, loop).length > 0;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function parenthesize(e: ts.Expression, text: string): string {
  const inner = skipOuterExpressions(e);
  return ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner) || ts.isCallExpression(inner) || ts.isArrayLiteralExpression(inner) || ts.isElementAccessExpression(inner) ? text : `(${text})`;
}

const ARRAY_METHODS = new Set(['map', 'filter', 'slice', 'concat', 'flat', 'flatMap', 'toSorted', 'toReversed', 'split']);

/** Whether an expression is certainly an array (so `.map` exists and means what for-of meant). */
export function isKnownArray(expression: ts.Expression, resolver: ScopeResolver, depth = 0): boolean {
  const e = skipOuterExpressions(expression);
  if (ts.isArrayLiteralExpression(e)) return true;
  if (ts.isCallExpression(e)) {
    const callee = skipOuterExpressions(e.expression);
    const text = callee.getText(resolver.sourceFile);
    if (['Array.from', 'Array.of', 'Object.keys', 'Object.values', 'Object.entries'].includes(text)) return true;
    return ts.isPropertyAccessExpression(callee) && ARRAY_METHODS.has(callee.name.text) && (callee.name.text !== 'split' && isKnownArray(callee.expression, resolver, depth + 1));
  }
  if (ts.isIdentifier(e) && depth < 4) {
    const b = resolver.resolve(e);
    if (!b) return false;
    const d = b.declaration;
    const type = (ts.isParameter(d) || ts.isVariableDeclaration(d)) ? d.type : undefined;
    if (type && isArrayType(type)) return true;
    if (b.initializer && (b.kind === 'const' || b.kind === 'param')) return isKnownArray(b.initializer, resolver, depth + 1);
  }
  return false;
}

function isArrayType(type: ts.TypeNode): boolean {
  if (ts.isArrayTypeNode(type)) return true;
  if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.ReadonlyKeyword) return isArrayType(type.type);
  if (ts.isTypeReferenceNode(type)) return ['Array', 'ReadonlyArray'].includes(type.typeName.getText());
  return false;
}

/**
 * Everything in a file's text that `runtimeImport` reads besides its import statements: whether mapConcurrent is
 * already imported or required. Incremental analysis re-derives import edits when text matching this changes.
 */
export const RUNTIME_IMPORT_CONTEXT = /\bmapConcurrent\b|parlens\/runtime|\brequire\(/;

/** The import of mapConcurrent the bounded rewrite needs, unless the file has it already. */
export function runtimeImport(sourceFile: ts.SourceFile): TextEdit | undefined {
  const text = sourceFile.text;
  if (/\bmapConcurrent\b/.test(text) && /parlens\/runtime/.test(text)) return undefined;
  const imports = sourceFile.statements.filter(ts.isImportDeclaration);
  const commonJs = imports.length === 0 && (/\.c?js$/.test(sourceFile.fileName) && /\brequire\(/.test(text));
  const statement = commonJs ? "const { mapConcurrent } = require('parlens/runtime');" : "import { mapConcurrent } from 'parlens/runtime';";
  if (imports.length > 0) {
    const last = imports[imports.length - 1];
    return { start: last.end, end: last.end, newText: `\n${statement}` };
  }
  const first = sourceFile.statements[0];
  const at = first ? first.getStart(sourceFile) : text.length;
  return { start: at, end: at, newText: `${statement}\n` };
}
