// The for loops `@parallel` can compile: counted `for` loops, `for (let i = A; i < B; i += C)`, and for-of loops
// over an array or typed array, `for (const x of xs)` / `for (const [i, x] of xs.entries())`, compiled as an index
// loop over `xs`. Their iteration space is known before the loop starts, which is what cutting it into chunks needs.
// (Counted while loops, for-in loops and array methods have modules of their own: whileLoops.ts, forInLoops.ts,
// arrayMethods.ts.)
import { ts, skipOuterExpressions } from '../core/syntax/parse';
import type { LoopTarget, Refusal } from './loopTarget';

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

const expected = 'for (let i = start; i < end; i++) (also <=, ++i, i += k for a whole number k > 0)';
const expectedForOf = 'for (const x of xs) or for (const [i, x] of xs.entries()), xs an array or typed array';

/** The shape of a for or for-of loop, or why it has none (in words, saying what to write instead). */
export function loopShape(loop: ts.ForStatement | ts.ForOfStatement, sourceFile: ts.SourceFile): LoopShape | string {
  return ts.isForOfStatement(loop) ? forOfLoop(loop, sourceFile) : countedLoop(loop, sourceFile);
}

/** A counted for loop or a for-of loop as a compile target, or why it cannot be one. */
export function forLoopTarget(loop: ts.ForStatement | ts.ForOfStatement, sourceFile: ts.SourceFile, line: number): LoopTarget | Refusal {
  const at = { start: loop.getStart(sourceFile), end: loop.getStart(sourceFile) + 3 };
  const shape = loopShape(loop, sourceFile);
  if (typeof shape === 'string') return { refused: shape, at };
  const base = {
    replaced: loop, anchor: at, counter: shape.counter, region: loop, isCallback: false, body: loop.statement,
    bodyText: loop.statement.getText(sourceFile), indexWrites: 'by-iteration' as const, code: {},
  };
  if (shape.kind === 'counted') {
    const declaration = (loop.initializer as ts.VariableDeclarationList).declarations[0].name as ts.Identifier;
    return {
      ...base, what: 'loop', analysis: { construct: 'for', start: at.start, line, asIndexLoop: false },
      space: { kind: 'counted', start: shape.start, end: shape.end, inclusive: shape.inclusive, step: shape.step },
      skip: [], index: shape.counter, indexDeclaration: declaration,
    };
  }
  const xs = shape.iterated.getText(sourceFile);
  const pattern = shape.element?.pattern ?? 'x';
  const entriesForm = `for (const [i, ${pattern}] of ${xs}.entries())`;
  const indexDeclaration = shape.entries ? indexNameOf(shape.declarations) : undefined;
  return {
    ...base,
    what: shape.entries ? 'loop' : 'for-of loop',
    // A plain for-of has the analysis's for-of verdict; the entries() form that of the index loop it compiles to.
    analysis: { construct: shape.entries ? 'for' : 'for-of', start: at.start, line, asIndexLoop: shape.entries },
    space: { kind: 'array', code: `(${xs})`, text: xs },
    ...(shape.element ? { element: shape.element } : {}),
    skip: [(loop as ts.ForOfStatement).expression],
    ...(shape.index ? { index: shape.index } : {}),
    ...(indexDeclaration ? { indexDeclaration } : {}),
    ...(shape.entries ? {} : {
      noIndex: {
        lacks: `for (… of ${xs}) has none`,
        fix: (written: string) => `Use the entries() form and write at its index: ${entriesForm} { ${written}[i] = …; }`,
        hint: `(${entriesForm} gives the loop an index)`,
      },
    }),
    elementHead: { node: shape.declarations, copyOf: `${xs}[i]`, advice: `Write results into an array at the index instead: ${entriesForm} { … out[i] = …; }.` },
  };
}

function indexNameOf(declarations: ts.VariableDeclarationList): ts.Identifier | undefined {
  const name = declarations.declarations[0]?.name;
  const first = name && ts.isArrayBindingPattern(name) ? name.elements[0] : undefined;
  return first && ts.isBindingElement(first) && ts.isIdentifier(first.name) ? first.name : undefined;
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
  if (step === undefined) return `@parallel needs the counter to go up by a constant positive whole-number step, '${counter}++' or '${counter} += 2' (the compiled loop computes the counter as start + k × step, which for a fractional step drifts from the repeated additions): ${expected}`;
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
    // Whole numbers only: start + k × step equals k repeated additions of a whole step, not of 0.1.
    if (ts.isNumericLiteral(step) && Number(step.text) > 0 && Number.isInteger(Number(step.text))) return step.getText(sourceFile);
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
