// `xs.forEach(async x => ...)`: forEach ignores the promises its callback returns, so nothing waits for the
// work, its errors become unhandled rejections, and code after the call runs before it is done.
// The fixes: wait for all of them concurrently (when the iterations are independent), or one by one with for...of.
import { ts, skipOuterExpressions, isFunctionLike, textOf } from '../syntax/parse';
import type { Fix } from '../findings';
import type { ScopeResolver } from '../scope/resolver';
import { isAsyncFunction, owningBody } from './asyncBodies';
import { isKnownArray } from './loopRewrites';
import type { AwaitLoopAnalysis } from './awaitLoops';
import { usesSemicolons } from './rewriteText';

export interface AsyncForEachSite {
  call: ts.CallExpression;
  receiver: ts.Expression;
  callback: ts.FunctionLikeDeclaration;
  /** Whether the callback is written inline (so the rewrite can move its body). */
  inline: boolean;
  /** The `forEach` name, where findings point. */
  anchor: ts.Node;
}

export function findAsyncForEach(sourceFile: ts.SourceFile, resolver: ScopeResolver): AsyncForEachSite[] {
  const sites: AsyncForEachSite[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = skipOuterExpressions(n.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'forEach' && n.arguments.length >= 1) {
        const arg = skipOuterExpressions(n.arguments[0]);
        let callback: ts.FunctionLikeDeclaration | undefined;
        let inline = false;
        if (isFunctionLike(arg)) { callback = arg; inline = true; }
        else if (ts.isIdentifier(arg)) {
          const b = resolver.resolve(arg);
          if (b && isFunctionLike(b.declaration)) callback = b.declaration;
          else if (b?.initializer && isFunctionLike(skipOuterExpressions(b.initializer))) callback = skipOuterExpressions(b.initializer) as ts.FunctionLikeDeclaration;
        }
        if (callback && isAsyncFunction(callback)) sites.push({ call: n, receiver: callee.expression, callback, inline, anchor: callee.name });
      }
    }
    n.forEachChild(visit);
  };
  visit(sourceFile);
  return sites;
}

/** Fixes for one async forEach, given the analysis of its callback as a loop body. */
export function asyncForEachFixes(site: AsyncForEachSite, analysis: AwaitLoopAnalysis, resolver: ScopeResolver): { fixes: Fix[]; reason?: string } {
  const sourceFile = resolver.sourceFile;
  const statement = site.call.parent;
  if (!ts.isExpressionStatement(statement) || skipOuterExpressions(statement.expression) !== site.call) {
    return { fixes: [], reason: 'the forEach call is part of a larger expression' };
  }
  const owner = owningBody(site.call);
  const inAsync = ts.isSourceFile(owner) ? false : isAsyncFunction(owner);
  if (!inAsync) {
    return { fixes: [], reason: 'the enclosing function is not async: make it async, then await Promise.all(xs.map(...)) or loop with for...of' };
  }
  const semi = usesSemicolons(sourceFile, statement) ? ';' : '';
  const receiver = textOf(sourceFile, site.receiver);
  const callbackText = textOf(sourceFile, site.call.arguments[0]);
  const fixes: Fix[] = [];
  if (analysis.verdict === 'independent') {
    const known = isKnownArray(site.receiver, resolver);
    const usesOnlyElement = site.callback.parameters.length <= 1;
    const call = known ? `${receiver}.map(${callbackText})` : usesOnlyElement ? `Array.from(${receiver}, ${callbackText})` : undefined;
    if (call) {
      fixes.push({
        title: 'Wait for every callback, concurrently: await Promise.all(xs.map(...))',
        description: 'The callbacks still run concurrently, as they did, but the function now waits for all of them and a failure rejects it instead of becoming an unhandled rejection. Promise.all is fail-fast: it rejects with the first error.',
        edits: [{ start: statement.getStart(sourceFile), end: statement.end, newText: `await Promise.all(${call})${semi}` }],
      });
    }
  }
  const loop = sequentialLoop(site, resolver, semi);
  if (loop) {
    fixes.push({
      title: 'Wait for each callback in turn: for...of',
      description: 'Runs the callbacks one after another and waits for each: the safe choice when iterations depend on each other or must keep their order; slower when they are independent.',
      edits: [{ start: statement.getStart(sourceFile), end: statement.end, newText: loop }],
    });
  }
  return { fixes, reason: fixes.length === 0 ? 'the callback uses its index or array arguments, or is not written inline' : undefined };
}

/** `for (const x of xs) { body }` from an inline callback with one parameter and a block body whose returns carry no value. */
function sequentialLoop(site: AsyncForEachSite, resolver: ScopeResolver, semi: string): string | undefined {
  const sourceFile = resolver.sourceFile;
  const cb = site.callback;
  if (!site.inline || cb.parameters.length !== 1 || !cb.body) return undefined;
  const parameter = textOf(sourceFile, cb.parameters[0].name);
  const receiver = textOf(sourceFile, site.receiver);
  if (!ts.isBlock(cb.body)) {
    const expression = skipOuterExpressions(cb.body as ts.Expression);
    const awaited = ts.isAwaitExpression(expression) ? textOf(sourceFile, expression) : `await ${textOf(sourceFile, cb.body)}`;
    return `for (const ${parameter} of ${receiver}) ${awaited}${semi}`;
  }
  // `return;` in the callback means "next element": `continue` — unless it sits in a nested loop or switch.
  const edits: { start: number; end: number; text: string }[] = [];
  let blocked = false;
  const visit = (n: ts.Node, nested: boolean): void => {
    if (isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) {
      if (n.expression || nested) blocked = true;
      else edits.push({ start: n.getStart(sourceFile), end: n.end, text: `continue${n.getText(sourceFile).endsWith(';') ? ';' : ''}` });
    }
    const deeper = nested || ts.isIterationStatement(n, false) || ts.isSwitchStatement(n);
    n.forEachChild((c) => visit(c, deeper));
  };
  cb.body.forEachChild((c) => visit(c, false));
  if (blocked) return undefined;
  const start = cb.body.getStart(sourceFile);
  let body = sourceFile.text.slice(start, cb.body.end);
  for (const e of edits.sort((a, b) => b.start - a.start)) body = body.slice(0, e.start - start) + e.text + body.slice(e.end - start);
  return `for (const ${parameter} of ${receiver}) ${body}`;
}
