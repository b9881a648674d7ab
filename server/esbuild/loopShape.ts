// The loops `@parallel` can compile: counted `for` loops, `for (let i = A; i < B; i += C)`, and for-of loops over
// an array or typed array, `for (const x of xs)` / `for (const [i, x] of xs.entries())`, compiled as an index loop
// over `xs`. Their iteration space is known before the loop starts, which is what cutting it into chunks needs.
import { ts, skipOuterExpressions } from '../core/syntax/parse';

export type LoopShape = CountedLoop | ForOfLoop;

export interface CountedLoop {
  kind: 'counted';
  counter: string;
  /** Source text of the start, bound and step expressions, evaluated once on the main thread. */
  start: string;
  end: string;
  inclusive: boolean;
  step: string;
  body: ts.Statement;
}

/**
 * `for (const x of xs)` or `for (const [i, x] of xs.entries())`, run as an index loop over `xs` (evaluated once,
 * before the loop, and checked to be an array or typed array at run time). In the worker the element is bound per
 * iteration as `<keyword> <pattern> = xs[counter]`.
 */
export interface ForOfLoop {
  kind: 'for-of';
  /** The worker's index variable: the user's `i` in the entries() form, a fresh name otherwise. */
  counter: string;
  /** The user's index name (entries() form only): writes `out[i]` at it are written back. */
  index?: string;
  /** The array: `xs` itself, or the receiver of `.entries()`. */
  iterated: ts.Expression;
  /** How the element is bound; absent when the entries() form leaves it out (`[i]`, `[i, ]`). */
  element?: { keyword: 'const' | 'let'; pattern: string };
  entries: boolean;
  /** The declaration list in the loop head (its names are the iteration's own). */
  declarations: ts.VariableDeclarationList;
  body: ts.Statement;
}

/** The worker body's index name in a for-of loop without entries(): not a name user code can mention by accident. */
export const FOR_OF_COUNTER = '__parlens_i';

const expected = 'for (let i = start; i < end; i++) (also <=, ++i, i += step with a positive step)';
const expectedForOf = 'for (const x of xs) or for (const [i, x] of xs.entries()), xs an array or typed array';

/** The loop's shape, or why it has none (in words, saying what to write instead). */
export function loopShape(loop: ts.IterationStatement, sourceFile: ts.SourceFile): LoopShape | string {
  if (ts.isForOfStatement(loop)) return forOfLoop(loop, sourceFile);
  if (ts.isForInStatement(loop)) {
    const object = loop.expression.getText(sourceFile);
    return `@parallel does not compile for-in loops: the keys of an object are not an index range. Iterate over an array of them instead: for (const key of Object.keys(${object})) { … } (or Object.entries(${object}) for key and value), with the array built before the loop.`;
  }
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) {
    const kind = ts.isWhileStatement(loop) ? 'while' : 'do-while';
    return `@parallel does not compile ${kind} loops: their number of iterations is known only by running them, and chunks need it before the loop starts. If the loop steps through an index, write it as a counted loop, ${expected}; if it walks a collection, as a for-of loop, ${expectedForOf}.`;
  }
  if (!ts.isForStatement(loop)) return `@parallel compiles counted for loops (${expected}) and for-of loops (${expectedForOf}) only`;
  return countedLoop(loop, sourceFile);
}

/** The loop's counted shape, or why it has none (in words, saying what to write instead). */
export function countedLoop(loop: ts.ForStatement, sourceFile: ts.SourceFile): CountedLoop | string {
  const text = (node: ts.Node): string => node.getText(sourceFile);
  const init = loop.initializer;
  if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1 || !(init.flags & ts.NodeFlags.Let)) {
    return `@parallel needs the loop to declare one counter with let: ${expected}`;
  }
  const declaration = init.declarations[0];
  if (!ts.isIdentifier(declaration.name) || !declaration.initializer) return `@parallel needs a counter with a start value: ${expected}`;
  const counter = declaration.name.text;
  const condition = loop.condition && skipOuterExpressions(loop.condition);
  let end: string | undefined;
  let inclusive = false;
  if (condition && ts.isBinaryExpression(condition)) {
    const op = condition.operatorToken.kind;
    const isCounter = (node: ts.Expression): boolean => { const bare = skipOuterExpressions(node); return ts.isIdentifier(bare) && bare.text === counter; };
    if (isCounter(condition.left) && (op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.LessThanEqualsToken)) {
      end = text(condition.right);
      inclusive = op === ts.SyntaxKind.LessThanEqualsToken;
    } else if (isCounter(condition.right) && (op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken)) {
      end = text(condition.left);
      inclusive = op === ts.SyntaxKind.GreaterThanEqualsToken;
    }
  }
  if (end === undefined) return `@parallel needs the condition to compare the counter with a bound, '${counter} < end' or '${counter} <= end': ${expected}`;
  const step = stepOf(loop.incrementor, counter, sourceFile);
  if (step === undefined) return `@parallel needs the counter to go up by a constant positive step, '${counter}++' or '${counter} += 2': ${expected}`;
  return { kind: 'counted', counter, start: text(declaration.initializer), end, inclusive, step, body: loop.statement };
}

function stepOf(incrementor: ts.Expression | undefined, counter: string, sourceFile: ts.SourceFile): string | undefined {
  if (!incrementor) return undefined;
  const bare = skipOuterExpressions(incrementor);
  const isCounter = (node: ts.Expression): boolean => { const inner = skipOuterExpressions(node); return ts.isIdentifier(inner) && inner.text === counter; };
  if ((ts.isPostfixUnaryExpression(bare) || ts.isPrefixUnaryExpression(bare)) && bare.operator === ts.SyntaxKind.PlusPlusToken && isCounter(bare.operand)) return '1';
  if (ts.isBinaryExpression(bare) && bare.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && isCounter(bare.left)) {
    const step = skipOuterExpressions(bare.right);
    // A literal: a step computed at run time could be zero or negative, and the iteration space would be wrong.
    if (ts.isNumericLiteral(step) && Number(step.text) > 0) return step.getText(sourceFile);
  }
  return undefined;
}

function forOfLoop(loop: ts.ForOfStatement, sourceFile: ts.SourceFile): ForOfLoop | string {
  const text = (node: ts.Node): string => node.getText(sourceFile);
  if (loop.awaitModifier) return `@parallel does not compile for await loops: the values arrive one by one, so the iterations cannot be cut into chunks before the loop starts. Collect them first (const xs = []; for await (const x of stream) xs.push(x);), then annotate ${expectedForOf}.`;
  const init = loop.initializer;
  if (!ts.isVariableDeclarationList(init)) {
    return `@parallel needs the for-of loop to declare its element: write for (const x of …) instead of assigning '${text(init)}', which is declared outside the loop (each worker would assign its own copy).`;
  }
  const scoped = init.flags & ts.NodeFlags.BlockScoped;
  const keyword: 'const' | 'let' | undefined = scoped === ts.NodeFlags.Const ? 'const' : scoped === ts.NodeFlags.Let ? 'let' : undefined;
  if (!keyword || init.declarations.length !== 1) {
    return `@parallel needs the for-of loop to declare its element with const or let: ${expectedForOf} (a var would outlive the loop with the last element, which workers cannot give back).`;
  }
  const name = init.declarations[0].name;
  const expression = skipOuterExpressions(loop.expression);
  const isEntries = ts.isCallExpression(expression) && expression.arguments.length === 0
    && ts.isPropertyAccessExpression(skipOuterExpressions(expression.expression))
    && (skipOuterExpressions(expression.expression) as ts.PropertyAccessExpression).name.text === 'entries';
  const base = { kind: 'for-of' as const, declarations: init, body: loop.statement };
  if (!isEntries) {
    if (ts.isCallExpression(expression) && ts.isPropertyAccessExpression(skipOuterExpressions(expression.expression))) {
      const method = (skipOuterExpressions(expression.expression) as ts.PropertyAccessExpression).name.text;
      if (method === 'keys' || method === 'values') {
        return `@parallel compiles for-of loops over an array itself or its .entries(); for .${method}() write ${method === 'keys' ? 'for (const [i] of xs.entries())' : 'for (const x of xs)'} instead.`;
      }
    }
    return { ...base, counter: FOR_OF_COUNTER, iterated: loop.expression, element: { keyword, pattern: text(name) }, entries: false };
  }
  const receiver = (skipOuterExpressions((expression as ts.CallExpression).expression) as ts.PropertyAccessExpression).expression;
  const entriesForm = 'for (const [i, x] of xs.entries())';
  if (!ts.isArrayBindingPattern(name)) {
    return `@parallel needs the entries() form to name the index and the element: ${entriesForm}.`;
  }
  const [indexElement, valueElement, ...more] = name.elements;
  if (!indexElement || !ts.isBindingElement(indexElement) || !ts.isIdentifier(indexElement.name) || indexElement.initializer || indexElement.dotDotDotToken) {
    return `@parallel needs the entries() form to name the index with a plain name first: ${entriesForm} (the index is what writes at out[i] are sent back by).`;
  }
  if (more.length > 0 || (valueElement && ts.isBindingElement(valueElement) && (valueElement.dotDotDotToken || valueElement.initializer))) {
    return `@parallel needs the entries() form to be exactly [index, element], without a default or rest: ${entriesForm}; give a default inside the body (const y = x ?? fallback).`;
  }
  const element = valueElement && ts.isBindingElement(valueElement) ? { keyword, pattern: text(valueElement.name) } : undefined;
  return { ...base, counter: indexElement.name.text, index: indexElement.name.text, iterated: receiver, ...(element ? { element } : {}), entries: true };
}
