// Awaits in loops: do the awaited operations of different iterations share data?
// `independent` when each iteration only reads what it is given and writes its own slot, a collection (push)
// or a reduction; `dependent` when an iteration uses what an earlier one produced (cursors, retries with break,
// running state) or the loop reads a stream (`for await`); `unknown` when an unknown call receives shared objects.
import { ts, skipOuterExpressions, isFunctionLike, lineOf, textOf } from '../syntax/parse';
import type { AwaitLoopConstruct, AwaitLoopVerdict, Dependence, ReductionOperator } from '../findings';
import type { Binding, ScopeResolver } from '../scope/resolver';
import type { EffectSummaries } from '../effects/summaries';
import { isReference, reassignedBindings } from '../effects/summaries';
import { resolveCall } from '../effects/callTargets';
import { ownerOf, assignedExpressions, isAssignmentOperator } from '../effects/writeTargets';
import { isStatefulMethod, fileAccessOf, holdsMutableObject } from './awaitFlow';

/** How an iteration hands its result out without other iterations reading it. */
export type Sink =
  | { kind: 'push'; binding: Binding; statement: ts.ExpressionStatement; value: ts.Expression }
  | { kind: 'reduction'; binding: Binding; operator: ReductionOperator; statement: ts.ExpressionStatement; value: ts.Expression }
  /** `out[k] = v`, `map.set(k, v)`; `distinct` when k differs in every iteration by construction (a counter, a key). */
  | { kind: 'slot'; binding: Binding; key: string; distinct: boolean };

export interface AwaitLoopAnalysis {
  construct: AwaitLoopConstruct;
  verdict: AwaitLoopVerdict;
  dependencies: Dependence[];
  sinks: Sink[];
  /** Variables private to an iteration: the loop variable, a `let` counter, callback parameters. */
  iterationBindings: Set<number>;
  /** Iteration bindings that differ in every iteration (a counter, for-in keys, a callback's index), unlike elements. */
  distinctBindings: Set<number>;
  /** Whether the loop is a counted `for (let i = 0; i < n; i++)` the rewrite can turn into `Array.from({ length: n })`. */
  canonicalCounter?: { binding: Binding; bound: ts.Expression };
  notes: string[];
}

const REDUCTION_OPERATORS: Partial<Record<ts.SyntaxKind, ReductionOperator>> = {
  [ts.SyntaxKind.PlusEqualsToken]: '+', [ts.SyntaxKind.AsteriskEqualsToken]: '*', [ts.SyntaxKind.BarEqualsToken]: '|',
  [ts.SyntaxKind.AmpersandEqualsToken]: '&', [ts.SyntaxKind.CaretEqualsToken]: '^', [ts.SyntaxKind.BarBarEqualsToken]: '||',
  [ts.SyntaxKind.AmpersandAmpersandEqualsToken]: '&&',
};

export function constructOf(loop: ts.IterationStatement | ts.CallExpression): AwaitLoopConstruct {
  if (ts.isForOfStatement(loop)) return loop.awaitModifier ? 'for-await' : 'for-of';
  if (ts.isForInStatement(loop)) return 'for-in';
  if (ts.isForStatement(loop)) return 'for';
  if (ts.isWhileStatement(loop)) return 'while';
  if (ts.isDoStatement(loop)) return 'do-while';
  return 'forEach';
}

/**
 * Analyses one loop (a loop statement, or `xs.forEach(callback)` with the callback as `region`).
 * `region` is what runs once per iteration; names declared in it are private to an iteration.
 */
export function analyzeAwaitLoop(
  loop: ts.IterationStatement | ts.CallExpression, region: ts.Node, resolver: ScopeResolver, summaries: EffectSummaries,
): AwaitLoopAnalysis {
  const sourceFile = resolver.sourceFile;
  const construct = constructOf(loop);
  const line = (n: ts.Node) => lineOf(sourceFile, n);
  const analysis: AwaitLoopAnalysis = { construct, verdict: 'independent', dependencies: [], sinks: [], iterationBindings: new Set(), distinctBindings: new Set(), notes: [] };
  if (construct === 'for-await') {
    const stream = (loop as ts.ForOfStatement).expression;
    analysis.verdict = 'dependent';
    analysis.dependencies.push({ variable: textOf(sourceFile, stream), kind: 'io', line: line(loop), note: 'for await reads a stream: each element arrives only after the previous one was taken' });
    return analysis;
  }
  collectIterationBindings(loop, region, resolver, analysis);
  const inLoop = (b: Binding) => b.nameNode.pos >= loop.pos && b.nameNode.end <= loop.end && b.kind !== 'var';
  const isOuter = (b: Binding) => !inLoop(b) && !analysis.iterationBindings.has(b.id) && b.kind !== 'function' && b.kind !== 'class' && b.kind !== 'import' && b.kind !== 'enum';
  const reassigned = reassignedBindings(region, resolver);
  const owner = (e: ts.Expression) => ownerOf(e, resolver, (b) => reassigned.has(b.id));

  interface Access { binding: Binding; node: ts.Node }
  const writes = new Map<number, { binding: Binding; nodes: ts.Node[]; sinks: Sink[]; other: ts.Node[] }>();
  const reads: Access[] = [];
  const sinkRoots = new Set<ts.Node>();
  const maybeWrites: { binding: Binding; node: ts.Node; callee: string }[] = [];
  const addWrite = (b: Binding, node: ts.Node, sink?: Sink) => {
    if (!isOuter(b)) return;
    const entry = writes.get(b.id) ?? { binding: b, nodes: [], sinks: [], other: [] };
    entry.nodes.push(node);
    if (sink) entry.sinks.push(sink); else entry.other.push(node);
    writes.set(b.id, entry);
  };
  const ownerBinding = (e: ts.Expression): Binding | undefined => {
    const o = owner(e);
    return o.kind === 'binding' ? o.binding : undefined;
  };

  // Reads of the iterated collection and loop condition count: writing them from the body changes what the loop does.
  const scanRoots: ts.Node[] = [region];
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) scanRoots.push(loop.expression);
  if (ts.isCallExpression(loop)) scanRoots.push(skipOuterExpressions(loop.expression));

  const visit = (n: ts.Node, nestedFunction: boolean): void => {
    if (ts.isTypeNode(n)) return;
    if (n !== region && isFunctionLike(n)) {
      n.forEachChild((c) => visit(c, true));
      return;
    }
    if (ts.isIdentifier(n)) {
      if (isReference(n) && !sinkRoots.has(n) && !isPlainAssignmentTarget(n)) {
        const b = resolver.resolve(n);
        if (b && isOuter(b)) reads.push({ binding: b, node: n });
      }
      return;
    }
    if (!nestedFunction) {
      if ((ts.isBreakStatement(n) && breaksOut(n, loop)) || ts.isReturnStatement(n) && region === loop) {
        analysis.dependencies.push({ variable: ts.isBreakStatement(n) ? 'break' : 'return', kind: 'control', line: line(n), otherLine: line(loop), note: `${ts.isBreakStatement(n) ? 'break' : 'return'} at line ${line(n)} decides whether later iterations run at all` });
      }
      if (ts.isExpressionStatement(n)) {
        const sink = sinkOf(n, resolver, isOuter, analysis);
        if (sink) {
          addWrite(sink.binding, n, sink);
          // The sink's own mention of its variable is not a read by the iteration.
          markSinkRoot(n, sinkRoots);
        }
      }
      if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind) && !isSinkExpression(n, sinkRoots)) {
        for (const t of assignedExpressions(n.left)) {
          const b = ownerBinding(t);
          if (b) addWrite(b, n);
        }
      } else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n))
        && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && !isSinkExpression(n, sinkRoots)) {
        const b = ownerBinding(n.operand);
        if (b) addWrite(b, n);
      } else if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
        if (!isSinkExpression(n, sinkRoots)) callEffects(n);
      }
    }
    n.forEachChild((c) => visit(c, nestedFunction));
  };

  const callEffects = (call: ts.CallExpression | ts.NewExpression) => {
    const target = resolveCall(call, resolver);
    const args = call.arguments ?? [];
    const callee = skipOuterExpressions(call.expression);
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    // A file every iteration writes (appendFile(log, line)): the writes must keep their order.
    if (fileAccessOf(method ?? (ts.isIdentifier(callee) ? callee.text : '')) === 'write') {
      for (const arg of args) {
        const a = skipOuterExpressions(arg);
        const root = ts.isIdentifier(a) ? a : ts.isPropertyAccessExpression(a) && ts.isIdentifier(skipOuterExpressions(a.expression)) ? skipOuterExpressions(a.expression) as ts.Identifier : undefined;
        const b = root ? resolver.resolve(root) : undefined;
        if (b && isOuter(b)) {
          analysis.dependencies.push({ variable: textOf(sourceFile, a), kind: 'io', line: line(call), note: `every iteration's ${textOf(sourceFile, callee)}() writes the file named by ${textOf(sourceFile, a)}; the writes must keep their order` });
          break;
        }
      }
    }
    if (target.kind === 'function') {
      const summary = summaries.summaryOf(target.declaration);
      for (const b of summary.writesOuter.values()) addWrite(b, call);
      for (const i of summary.writesParameters) {
        const b = args[i] ? ownerBinding(args[i]) : undefined;
        if (b) addWrite(b, call);
      }
      if (summary.writesThis && target.receiver) {
        const o = owner(target.receiver);
        if (o.kind === 'binding') addWrite(o.binding, call);
        // `this` is shared by every iteration: a method that changes it orders them.
        else if (o.kind === 'this') analysis.dependencies.push({ variable: 'this', kind: 'call', line: line(call), note: `${target.name}() changes this object's state, which every iteration shares` });
      }
      for (const u of summary.unknown) analysis.notes.push(`${target.name} calls ${u}, whose effects are not known`);
    } else if (target.kind === 'builtin') {
      if (target.effect.kind === 'mutates-receiver' && target.receiver) {
        const b = ownerBinding(target.receiver);
        if (b) addWrite(b, call);
      } else if (target.effect.kind === 'mutates-argument' && args[target.effect.index]) {
        const b = ownerBinding(args[target.effect.index]);
        if (b) addWrite(b, call);
      }
    } else {
      if (target.receiver && method !== undefined && isStatefulMethod(method)) {
        const b = ownerBinding(target.receiver);
        if (!b || isOuter(b)) {
          analysis.dependencies.push({ variable: textOf(sourceFile, target.receiver), kind: 'io', line: line(call), note: `${textOf(sourceFile, target.receiver)}.${method}() changes the state of a stream, cursor or connection the next iteration uses` });
        }
      }
      for (const arg of args) {
        const a = skipOuterExpressions(ts.isSpreadElement(arg) ? arg.expression : arg);
        if (!ts.isIdentifier(a)) continue;
        const b = resolver.resolve(a);
        if (b && isOuter(b) && holdsMutableObject(b)) maybeWrites.push({ binding: b, node: call, callee: target.name });
      }
    }
  };

  for (const root of scanRoots) visit(root, false);

  // Decide per written variable.
  for (const w of writes.values()) {
    const otherReads = reads.filter((r) => r.binding.id === w.binding.id);
    if (w.other.length === 0 && otherReads.length === 0) {
      for (const s of w.sinks) analysis.sinks.push(s);
      continue;
    }
    const writeLine = line(w.other[0] ?? w.nodes[0]);
    if (otherReads.length > 0) {
      const readLine = line(otherReads[0].node);
      analysis.dependencies.push({ variable: w.binding.name, kind: 'flow', line: writeLine, otherLine: readLine, note: `${w.binding.name} is written at line ${writeLine} and read at line ${readLine}: an iteration uses what an earlier one produced` });
    } else {
      analysis.dependencies.push({ variable: w.binding.name, kind: 'output', line: writeLine, note: `every iteration writes ${w.binding.name}; run concurrently, the last to finish wins, not the last in order` });
    }
  }
  const certain = analysis.dependencies.length > 0;
  for (const m of maybeWrites) {
    if (writes.has(m.binding.id)) continue;
    analysis.dependencies.push({ variable: m.binding.name, kind: 'call', line: line(m.node), note: `${m.callee} is not known to Parlens and receives ${m.binding.name}, which every iteration shares; if it modifies it, iterations depend on each other` });
  }
  analysis.verdict = certain ? 'dependent' : analysis.dependencies.length > 0 ? 'unknown' : 'independent';
  return analysis;
}

/**
 * What an independent verdict takes on trust: a slot keyed by the element (`cache.set(id, ...)` over `ids`) is
 * written once only if no element repeats; with repeats, concurrently the last write to finish wins, not the last in order.
 */
export function slotAssumptions(analysis: AwaitLoopAnalysis): string[] {
  const keys = analysis.sinks.filter((s): s is Extract<Sink, { kind: 'slot' }> => s.kind === 'slot' && !s.distinct);
  return [...new Set(keys.map((s) => `no two iterations have the same ${s.key}, so each slot of ${s.binding.name} is written once`))];
}

function collectIterationBindings(loop: ts.IterationStatement | ts.CallExpression, region: ts.Node, resolver: ScopeResolver, analysis: AwaitLoopAnalysis): void {
  const add = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) {
      const b = resolver.declarationOf(name);
      if (b) analysis.iterationBindings.add(b.id);
    } else {
      for (const e of name.elements) if (!ts.isOmittedExpression(e)) add(e.name);
    }
  };
  const addDistinct = (name: ts.BindingName) => {
    const b = ts.isIdentifier(name) ? resolver.declarationOf(name) : undefined;
    if (b) analysis.distinctBindings.add(b.id);
  };
  if ((ts.isForOfStatement(loop) || ts.isForInStatement(loop)) && ts.isVariableDeclarationList(loop.initializer)) {
    for (const d of loop.initializer.declarations) {
      add(d.name);
      if (ts.isForInStatement(loop)) addDistinct(d.name);
    }
  }
  if (ts.isCallExpression(loop) && isFunctionLike(region)) {
    const parameters = (region as ts.FunctionLikeDeclaration).parameters;
    for (const p of parameters) add(p.name);
    if (parameters[1]) addDistinct(parameters[1].name); // forEach's index
  }
  if (ts.isForStatement(loop)) {
    const counter = canonicalCounter(loop, resolver);
    if (counter) {
      analysis.iterationBindings.add(counter.binding.id);
      analysis.distinctBindings.add(counter.binding.id);
      if (counter.binding.kind === 'let') analysis.canonicalCounter = counter;
    }
  }
}

/** `for (let i = 0; i < n; i++)` with i written nowhere else: each iteration has its own i. */
function canonicalCounter(loop: ts.ForStatement, resolver: ScopeResolver): { binding: Binding; bound: ts.Expression } | undefined {
  const init = loop.initializer;
  if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return undefined;
  const d = init.declarations[0];
  if (!ts.isIdentifier(d.name) || !d.initializer || !ts.isNumericLiteral(skipOuterExpressions(d.initializer)) || skipOuterExpressions(d.initializer).getText() !== '0') return undefined;
  const b = resolver.declarationOf(d.name);
  if (!b) return undefined;
  const cond = loop.condition && skipOuterExpressions(loop.condition);
  if (!cond || !ts.isBinaryExpression(cond) || cond.operatorToken.kind !== ts.SyntaxKind.LessThanToken) return undefined;
  const left = skipOuterExpressions(cond.left);
  if (!ts.isIdentifier(left) || resolver.resolve(left) !== b) return undefined;
  const inc = loop.incrementor && skipOuterExpressions(loop.incrementor);
  const isStep = inc && (((ts.isPostfixUnaryExpression(inc) || ts.isPrefixUnaryExpression(inc)) && inc.operator === ts.SyntaxKind.PlusPlusToken && ts.isIdentifier(inc.operand) && resolver.resolve(inc.operand) === b)
    || (ts.isBinaryExpression(inc) && inc.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && ts.isIdentifier(inc.left) && resolver.resolve(inc.left) === b && skipOuterExpressions(inc.right).getText() === '1'));
  if (!isStep) return undefined;
  // Written anywhere in the body: not a plain counter.
  let writtenInBody = false;
  const visit = (n: ts.Node): void => {
    if (writtenInBody) return;
    if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) {
      for (const t of assignedExpressions(n.left)) if (ts.isIdentifier(t) && resolver.resolve(t) === b) writtenInBody = true;
    }
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand) && resolver.resolve(n.operand) === b
      && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) writtenInBody = true;
    n.forEachChild(visit);
  };
  visit(loop.statement);
  return writtenInBody ? undefined : { binding: b, bound: cond.right };
}

/** `out.push(v)`, `total += v`, `total = total + v`, `out[i] = v` — the ways an iteration hands out a result. */
function sinkOf(statement: ts.ExpressionStatement, resolver: ScopeResolver, isOuter: (b: Binding) => boolean, loop: Pick<AwaitLoopAnalysis, 'iterationBindings' | 'distinctBindings'>): Sink | undefined {
  const { iterationBindings } = loop;
  const slot = (binding: Binding, key: ts.Identifier, keyBinding: Binding): Sink => ({ kind: 'slot', binding, key: key.text, distinct: loop.distinctBindings.has(keyBinding.id) });
  const e = skipOuterExpressions(statement.expression);
  if (ts.isCallExpression(e)) {
    const callee = skipOuterExpressions(e.expression);
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'push' || callee.name.text === 'add') && e.arguments.length === 1 && ts.isIdentifier(callee.expression)) {
      const b = resolver.resolve(callee.expression);
      if (b && isOuter(b) && !mentions(e.arguments[0], b, resolver)) return { kind: 'push', binding: b, statement, value: e.arguments[0] };
    }
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'set' && e.arguments.length === 2 && ts.isIdentifier(callee.expression)) {
      const b = resolver.resolve(callee.expression);
      const key = skipOuterExpressions(e.arguments[0]);
      const keyBinding = ts.isIdentifier(key) ? resolver.resolve(key) : undefined;
      if (b && isOuter(b) && keyBinding && iterationBindings.has(keyBinding.id) && !mentions(e.arguments[1], b, resolver)) return slot(b, key as ts.Identifier, keyBinding);
    }
    return undefined;
  }
  if (!ts.isBinaryExpression(e)) return undefined;
  const left = skipOuterExpressions(e.left);
  if (ts.isIdentifier(left)) {
    const b = resolver.resolve(left);
    if (!b || !isOuter(b)) return undefined;
    const op = REDUCTION_OPERATORS[e.operatorToken.kind];
    if (op && !mentions(e.right, b, resolver)) return { kind: 'reduction', binding: b, operator: op, statement, value: e.right };
    if (e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const right = skipOuterExpressions(e.right);
      if (ts.isBinaryExpression(right) && right.operatorToken.kind === ts.SyntaxKind.PlusToken || ts.isBinaryExpression(right) && right.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
        const r = right as ts.BinaryExpression;
        const l = skipOuterExpressions(r.left);
        if (ts.isIdentifier(l) && resolver.resolve(l) === b && !mentions(r.right, b, resolver)) {
          return { kind: 'reduction', binding: b, operator: r.operatorToken.kind === ts.SyntaxKind.PlusToken ? '+' : '*', statement, value: r.right };
        }
      }
    }
    return undefined;
  }
  if (ts.isElementAccessExpression(left) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(left.expression)) {
    const b = resolver.resolve(left.expression);
    const index = skipOuterExpressions(left.argumentExpression);
    const indexBinding = ts.isIdentifier(index) ? resolver.resolve(index) : undefined;
    if (b && isOuter(b) && indexBinding && iterationBindings.has(indexBinding.id) && !mentions(e.right, b, resolver)) return slot(b, index as ts.Identifier, indexBinding);
  }
  return undefined;
}

function markSinkRoot(statement: ts.ExpressionStatement, roots: Set<ts.Node>): void {
  const e = skipOuterExpressions(statement.expression);
  roots.add(e);
  if (ts.isCallExpression(e)) {
    const callee = skipOuterExpressions(e.expression);
    if (ts.isPropertyAccessExpression(callee)) roots.add(callee.expression);
  } else if (ts.isBinaryExpression(e)) {
    const left = skipOuterExpressions(e.left);
    roots.add(ts.isElementAccessExpression(left) ? left.expression : left);
    const right = skipOuterExpressions(e.right);
    if (ts.isBinaryExpression(right)) roots.add(skipOuterExpressions(right.left));
  }
}

function isSinkExpression(n: ts.Node, roots: Set<ts.Node>): boolean {
  return roots.has(n);
}

function mentions(e: ts.Node, b: Binding, resolver: ScopeResolver): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && isReference(n) && resolver.resolve(n) === b) found = true;
    else n.forEachChild(visit);
  };
  visit(e);
  return found;
}

function breaksOut(n: ts.BreakStatement, loop: ts.Node): boolean {
  if (n.label) {
    // A labelled break leaves every statement up to its label; it leaves this loop unless the label is inside it.
    for (let at = n.parent; at && at !== loop; at = at.parent) {
      if (ts.isLabeledStatement(at) && at.label.text === n.label.text) return false;
    }
    return true;
  }
  for (let at = n.parent; at && at !== loop; at = at.parent) {
    if (ts.isIterationStatement(at, false) || ts.isSwitchStatement(at)) return false;
  }
  return true;
}


/** `x` in `x = ...` (or in a destructuring target of `=`): written, not read. */
function isPlainAssignmentTarget(id: ts.Identifier): boolean {
  let at: ts.Node = id;
  while (at.parent && (ts.isParenthesizedExpression(at.parent) || ts.isArrayLiteralExpression(at.parent) || ts.isShorthandPropertyAssignment(at.parent)
    || (ts.isPropertyAssignment(at.parent) && at.parent.initializer === at) || ts.isObjectLiteralExpression(at.parent))) at = at.parent;
  const p = at.parent;
  return !!p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.left === at;
}
