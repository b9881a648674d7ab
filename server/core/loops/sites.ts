// Finds the loops of a file: loop statements and calls of the iterating array methods.
import { ts, skipOuterExpressions, isFunctionLike } from '../syntax/parse';
import type { LoopConstruct } from '../findings';
import type { ScopeResolver } from '../scope/resolver';
import { iteratingMethods } from '../effects/builtins';

export interface LoopSite {
  node: ts.IterationStatement | ts.CallExpression;
  construct: LoopConstruct;
  /** Where the finding points: the loop keyword, or the method name of `xs.map(...)`. */
  anchor: ts.Node;
  /** What runs once per iteration; names declared inside it are private to an iteration. */
  region: ts.Node;
  /** For array methods: the callback, inline or found by name. */
  callback?: ts.FunctionLikeDeclaration;
  /** For array methods whose callback is not a function of this file (`xs.map(String)`, `xs.map(cb)`). */
  opaqueCallback?: ts.Expression;
  /** For array methods: the array; for for-of / for-in: the iterated expression. */
  iterated?: ts.Expression;
}

/** All loops, outermost first, found with an explicit stack (no recursion: generated files nest deeply). */
export function findLoops(sourceFile: ts.SourceFile, resolver: ScopeResolver): LoopSite[] {
  const sites: LoopSite[] = [];
  const stack: ts.Node[] = [sourceFile];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const site = loopSiteOf(node, resolver);
    if (site) sites.push(site);
    const children: ts.Node[] = [];
    node.forEachChild((child) => { children.push(child); });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return sites;
}

export function loopSiteOf(node: ts.Node, resolver: ScopeResolver): LoopSite | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.ForStatement:
      return { node: node as ts.ForStatement, construct: 'for', anchor: node, region: node };
    case ts.SyntaxKind.ForOfStatement:
      return { node: node as ts.ForOfStatement, construct: 'for-of', anchor: node, region: node, iterated: (node as ts.ForOfStatement).expression };
    case ts.SyntaxKind.ForInStatement:
      return { node: node as ts.ForInStatement, construct: 'for-in', anchor: node, region: node, iterated: (node as ts.ForInStatement).expression };
    case ts.SyntaxKind.WhileStatement:
      return { node: node as ts.WhileStatement, construct: 'while', anchor: node, region: node };
    case ts.SyntaxKind.DoStatement:
      return { node: node as ts.DoStatement, construct: 'do-while', anchor: node, region: node };
    case ts.SyntaxKind.CallExpression:
      return methodLoop(node as ts.CallExpression, resolver);
    default:
      return undefined;
  }
}

function methodLoop(call: ts.CallExpression, resolver: ScopeResolver): LoopSite | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !iteratingMethods.has(callee.name.text)) return undefined;
  const first = call.arguments[0];
  if (!first) return undefined;
  const construct = callee.name.text as LoopConstruct;
  const base = { node: call, construct, anchor: callee.name, iterated: callee.expression };
  const fn = skipOuterExpressions(first);
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) return { ...base, region: fn, callback: fn };
  if (ts.isIdentifier(fn)) {
    const binding = resolver.resolve(fn);
    if (binding?.kind === 'function' && isFunctionLike(binding.declaration) && binding.declaration.body) {
      return { ...base, region: binding.declaration, callback: binding.declaration };
    }
    if (binding?.kind === 'const' && binding.initializer) {
      const init = skipOuterExpressions(binding.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return { ...base, region: init, callback: init };
    }
  }
  // Something we cannot see into, or not a function at all (then it is probably not an array method call).
  if (ts.isObjectLiteralExpression(fn) || ts.isLiteralExpression(fn) || ts.isArrayLiteralExpression(fn)) return undefined;
  return { ...base, region: call, opaqueCallback: first };
}

/** The index of the element and index parameters of an array method's callback: reduce's come after the accumulator. */
export function callbackParameterRoles(construct: LoopConstruct): { element: number; index: number; array: number; accumulator?: number } {
  return construct === 'reduce' || construct === 'reduceRight'
    ? { accumulator: 0, element: 1, index: 2, array: 3 }
    : { element: 0, index: 1, array: 2 };
}
