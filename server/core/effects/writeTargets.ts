// What an assignment or a mutating call really writes: which variable or parameter owns the object.
import { ts, skipOuterExpressions } from '../syntax/parse';
import type { Binding, ScopeResolver } from '../scope/resolver';

export type Owner =
  | { kind: 'binding'; binding: Binding; text: string }
  | { kind: 'this' }
  /** A new object (literal, `new`, a copying method): nobody else can hold it yet. */
  | { kind: 'fresh' }
  | { kind: 'unknown'; text: string };

const copyingMethods = new Set(['slice', 'map', 'filter', 'concat', 'flat', 'flatMap', 'toSorted', 'toReversed', 'toSpliced', 'with', 'split', 'keys', 'values', 'entries']);
const freshConstructors = new Set(['Array', 'Object', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer', 'Date', 'RegExp', 'Error']);
const freshFactories = new Set(['Array.from', 'Array.of', 'Object.fromEntries', 'Object.keys', 'Object.values', 'Object.entries', 'structuredClone', 'JSON.parse', 'Array']);

/** Whether evaluating `expression` yields an object no other variable can refer to yet. */
export function isFreshAllocation(expression: ts.Expression, resolver: ScopeResolver): boolean {
  const e = skipOuterExpressions(expression);
  if (ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e)) return true;
  if (ts.isNewExpression(e)) return ts.isIdentifier(e.expression) && !resolver.resolve(e.expression) && freshConstructors.has(e.expression.text);
  if (ts.isCallExpression(e)) {
    const callee = skipOuterExpressions(e.expression);
    const text = callee.getText(resolver.sourceFile);
    if (freshFactories.has(text) && !(ts.isIdentifier(callee) && resolver.resolve(callee))) {
      return !(ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && resolver.resolve(callee.expression));
    }
    if (ts.isPropertyAccessExpression(callee) && copyingMethods.has(callee.name.text)) return true;
  }
  return false;
}

/** The innermost object expression of `a.b[c]` (here `a`), looking through parentheses and casts. */
export function rootExpression(expression: ts.Expression): ts.Expression {
  let at = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(at) || ts.isElementAccessExpression(at)) at = skipOuterExpressions(at.expression);
  return at;
}

/**
 * The owner of the object that `expression` denotes. Local aliases (`const row = grid[i]`) are followed to
 * what they alias, as long as they are never reassigned (`isReassigned`).
 */
export function ownerOf(expression: ts.Expression, resolver: ScopeResolver, isReassigned: (b: Binding) => boolean, depth = 0): Owner {
  const root = rootExpression(expression);
  if (root.kind === ts.SyntaxKind.ThisKeyword) return { kind: 'this' };
  if (!ts.isIdentifier(root)) {
    return isFreshAllocation(root, resolver) ? { kind: 'fresh' } : { kind: 'unknown', text: root.getText(resolver.sourceFile) };
  }
  const binding = resolver.resolve(root);
  if (!binding) return { kind: 'unknown', text: root.text };
  if ((binding.kind === 'const' || binding.kind === 'let') && binding.initializer && !isReassigned(binding) && depth < 8) {
    // A variable holding a new object is still that variable: whether it is shared depends on where it is declared.
    if (isFreshAllocation(binding.initializer, resolver)) return { kind: 'binding', binding, text: root.text };
    const init = skipOuterExpressions(binding.initializer);
    if (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init) || ts.isElementAccessExpression(init)) {
      return ownerOf(init, resolver, isReassigned, depth + 1);
    }
  }
  return { kind: 'binding', binding, text: root.text };
}

export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** The expressions an assignment target writes: one for `x`/`a[i]`, several for destructuring `[a, b] = ...`. */
export function assignedExpressions(target: ts.Expression): ts.Expression[] {
  const t = skipOuterExpressions(target);
  if (ts.isArrayLiteralExpression(t)) {
    return t.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : assignedExpressions(ts.isSpreadElement(e) ? e.expression : e)));
  }
  if (ts.isObjectLiteralExpression(t)) {
    return t.properties.flatMap((p) => {
      if (ts.isShorthandPropertyAssignment(p)) return [p.name];
      if (ts.isPropertyAssignment(p)) return assignedExpressions(p.initializer);
      if (ts.isSpreadAssignment(p)) return assignedExpressions(p.expression);
      return [];
    });
  }
  if (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.EqualsToken) return assignedExpressions(t.left); // default value
  return [t];
}
