// The iteration space of a loop: its counter and bounds, and which names stand for "the element of this iteration".
import { ts, skipOuterExpressions } from '../syntax/parse';
import type { Binding, ScopeResolver } from '../scope/resolver';
import { assignedExpressions, isAssignmentOperator, rootExpression } from '../effects/writeTargets';
import { mutatingMethods } from '../effects/builtins';

/** How a counter moves: `i = start; i OP bound; i += step`. */
export interface CounterShape {
  binding: Binding;
  start?: ts.Expression;
  /** Numeric step; undefined when symbolic (`i += stride`). */
  step?: number;
  bound?: ts.Expression;
  /** The comparison, rewritten as `i OP bound`. */
  comparison?: '<' | '<=' | '>' | '>=' | '!=';
  /** The statement that advances a while-loop counter (excluded from the body's scalar analysis). */
  advance?: ts.Node;
}

/** Reads `i = L; i < U; i++` and its variants; undefined when the loop has no recognisable counter. */
export function forCounter(statement: ts.ForStatement, resolver: ScopeResolver): CounterShape | undefined {
  const advance = statement.incrementor ? stepOf(statement.incrementor, resolver) : undefined;
  if (!advance) return undefined;
  let start: ts.Expression | undefined;
  const init = statement.initializer;
  if (init && ts.isVariableDeclarationList(init)) {
    const d = init.declarations.find((x) => ts.isIdentifier(x.name) && resolver.declarationOf(x.name)?.id === advance.binding.id);
    start = d?.initializer;
  } else if (init && ts.isBinaryExpression(init) && init.operatorToken.kind === ts.SyntaxKind.EqualsToken
    && ts.isIdentifier(init.left) && resolver.resolve(init.left)?.id === advance.binding.id) {
    start = init.right;
  }
  const shape: CounterShape = { binding: advance.binding, start, step: advance.step };
  if (statement.condition) Object.assign(shape, comparisonOf(statement.condition, advance.binding, resolver));
  return shape;
}

/**
 * A while/do-while loop is read as a counter loop when its body ends with an unconditional `i++` (or `i += c`),
 * `i` is written nowhere else in the loop, the condition compares `i`, and no `continue` skips the increment.
 */
export function whileCounter(statement: ts.WhileStatement | ts.DoStatement, resolver: ScopeResolver, writeCounts: ReadonlyMap<number, number>): CounterShape | undefined {
  const body = statement.statement;
  const last = ts.isBlock(body) ? body.statements[body.statements.length - 1] : body;
  if (!last || !ts.isExpressionStatement(last)) return undefined;
  const advance = stepOf(last.expression, resolver);
  if (!advance || (writeCounts.get(advance.binding.id) ?? 0) !== 1) return undefined;
  const comparison = comparisonOf(statement.expression, advance.binding, resolver);
  if (!comparison.comparison || hasContinue(body)) return undefined;
  return { binding: advance.binding, step: advance.step, ...comparison, advance: last };
}

function stepOf(expression: ts.Expression, resolver: ScopeResolver): { binding: Binding; step?: number } | undefined {
  const e = skipOuterExpressions(expression);
  const resolved = (x: ts.Expression) => (ts.isIdentifier(x) ? resolver.resolve(x) : undefined);
  if ((ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e))
    && (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) {
    const b = resolved(e.operand);
    return b ? { binding: b, step: e.operator === ts.SyntaxKind.PlusPlusToken ? 1 : -1 } : undefined;
  }
  if (!ts.isBinaryExpression(e)) return undefined;
  const b = resolved(e.left);
  if (!b) return undefined;
  const op = e.operatorToken.kind;
  if (op === ts.SyntaxKind.PlusEqualsToken || op === ts.SyntaxKind.MinusEqualsToken) {
    const k = numericValue(e.right);
    const sign = op === ts.SyntaxKind.PlusEqualsToken ? 1 : -1;
    // A symbolic step must be a name or property (`i += group.size`); `i += next[i]` is no counter.
    const right = skipOuterExpressions(e.right);
    if (k === 0 || (k === undefined && !ts.isIdentifier(right) && !ts.isPropertyAccessExpression(right))) return undefined;
    return { binding: b, step: k === undefined ? undefined : sign * k };
  }
  if (op === ts.SyntaxKind.EqualsToken) {
    const r = skipOuterExpressions(e.right);
    if (!ts.isBinaryExpression(r)) return undefined;
    const rop = r.operatorToken.kind;
    const leftIsI = ts.isIdentifier(r.left) && resolver.resolve(r.left)?.id === b.id;
    const rightIsI = ts.isIdentifier(r.right) && resolver.resolve(r.right)?.id === b.id;
    if (rop === ts.SyntaxKind.PlusToken && (leftIsI || rightIsI)) {
      const k = numericValue(leftIsI ? r.right : r.left);
      return k === 0 ? undefined : { binding: b, step: k };
    }
    if (rop === ts.SyntaxKind.MinusToken && leftIsI) {
      const k = numericValue(r.right);
      return k === 0 ? undefined : { binding: b, step: k === undefined ? undefined : -k };
    }
  }
  return undefined;
}

function comparisonOf(condition: ts.Expression, counter: Binding, resolver: ScopeResolver): Pick<CounterShape, 'bound' | 'comparison'> {
  const c = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(c)) return {};
  const flip: Record<string, CounterShape['comparison']> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '!=': '!=' };
  const ops: Partial<Record<ts.SyntaxKind, CounterShape['comparison']>> = {
    [ts.SyntaxKind.LessThanToken]: '<', [ts.SyntaxKind.LessThanEqualsToken]: '<=',
    [ts.SyntaxKind.GreaterThanToken]: '>', [ts.SyntaxKind.GreaterThanEqualsToken]: '>=',
    [ts.SyntaxKind.ExclamationEqualsEqualsToken]: '!=', [ts.SyntaxKind.ExclamationEqualsToken]: '!=',
  };
  const op = ops[c.operatorToken.kind];
  if (!op) return {};
  const isCounter = (x: ts.Expression) => { const s = skipOuterExpressions(x); return ts.isIdentifier(s) && resolver.resolve(s)?.id === counter.id; };
  if (isCounter(c.left)) return { bound: c.right, comparison: op };
  if (isCounter(c.right)) return { bound: c.left, comparison: flip[op] };
  return {};
}

function hasContinue(body: ts.Node): boolean {
  let found = false;
  const visit = (node: ts.Node, nestedLoop: boolean): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isContinueStatement(node) && (!nestedLoop || node.label)) found = true;
    const nested = nestedLoop || ts.isIterationStatement(node, false);
    node.forEachChild((child) => visit(child, nested));
  };
  visit(body, false);
  return found;
}

export function numericValue(expression: ts.Expression): number | undefined {
  const e = skipOuterExpressions(expression);
  if (ts.isNumericLiteral(e)) {
    const v = Number(e.text);
    return Number.isSafeInteger(v) ? v : undefined;
  }
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) {
    const v = numericValue(e.operand);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

export interface RegionWrites {
  /** Assignments (not declarations) per binding, anywhere in the region. */
  counts: Map<number, number>;
  /** Bindings whose object changes length in the region (push, splice, `.length =`). */
  resized: Set<number>;
  /** Bindings whose object's contents are written in the region. */
  contentWritten: Set<number>;
}

/** One pass over the region to learn what it writes, before the ordered walk needs it. */
export function regionWrites(region: ts.Node, resolver: ScopeResolver): RegionWrites {
  const counts = new Map<number, number>();
  const resized = new Set<number>();
  const contentWritten = new Set<number>();
  const rootBinding = (e: ts.Expression): Binding | undefined => {
    const root = rootExpression(e);
    return ts.isIdentifier(root) ? resolver.resolve(root) : undefined;
  };
  const noteTarget = (t: ts.Expression) => {
    const s = skipOuterExpressions(t);
    if (ts.isIdentifier(s)) {
      const b = resolver.resolve(s);
      if (b) counts.set(b.id, (counts.get(b.id) ?? 0) + 1);
      return;
    }
    const b = rootBinding(s);
    if (!b) return;
    contentWritten.add(b.id);
    if (ts.isPropertyAccessExpression(s) && s.name.text === 'length') resized.add(b.id);
  };
  const stack: ts.Node[] = [region];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
      for (const t of assignedExpressions(node.left)) noteTarget(t);
    } else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node))
      && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
      noteTarget(node.operand);
    } else if (ts.isDeleteExpression(node)) {
      noteTarget(node.expression);
    } else if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) {
      for (const t of assignedExpressions(node.initializer)) noteTarget(t);
    } else if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && mutatingMethods.has(callee.name.text)) {
        const b = rootBinding(callee.expression);
        if (b) {
          contentWritten.add(b.id);
          if (mutatingMethods.get(callee.name.text)) resized.add(b.id);
        }
      }
    }
    node.forEachChild((child) => { stack.push(child); });
  }
  return { counts, resized, contentWritten };
}
