// `@parallel` on a while loop that counts: `while (i < n) { …; i++; }`, `i` declared before the loop and stepped
// only by the body's last statement. Its iterations are then known before it starts (i, i + step, … while below
// n), so it compiles as the counted loop it is: `i` and `n` are read once, before the loop, and after it `i` holds
// the value the sequential loop leaves there (the first one past the bound). Every other while loop, and every
// do-while loop, is refused: how many times they run is known only by running them, and chunks need it before.
import { ts, skipOuterExpressions, isFunctionLike } from '../core/syntax/parse';
import type { ScopeResolver, Binding } from '../core/scope/resolver';
import { assignmentsTo } from './captures';
import { lineBreaks } from './codegen';
import { spanOf, type LoopTarget, type Refusal } from './loopTarget';

const countedForm = 'while (i < end) { …; i++; } (also <=, or i += k for a whole number k > 0), the counter declared before the loop and stepped only by the last statement of the body';
const insteadAdvice = 'If it steps through an index, write it as while (i < end) { …; i++; } or for (let i = start; i < end; i++); if it walks a collection, as a for-of loop, for (const x of xs).';

export function whileTarget(loop: ts.WhileStatement | ts.DoStatement, sourceFile: ts.SourceFile, resolver: ScopeResolver, serial: number, line: number): LoopTarget | Refusal {
  const keyword = { start: loop.getStart(sourceFile), end: loop.getStart(sourceFile) + (ts.isDoStatement(loop) ? 2 : 5) };
  const refuse = (why: string, at = keyword): Refusal => ({ refused: why, at });
  if (ts.isDoStatement(loop)) {
    return refuse(`@parallel does not compile do-while loops: the number of iterations is known only by running the loop (the body runs before the condition is first tested), and chunks need it before the loop starts. ${insteadAdvice}`);
  }
  const notCounted = (reason: string): Refusal => refuse(`@parallel compiles a while loop only in counted form, ${countedForm}: then its iterations are known before it starts, which chunks need. Here ${reason}. ${insteadAdvice}`);

  const condition = comparison(loop.expression, resolver);
  if (!condition) return notCounted("the condition is not 'counter < bound' or 'counter <= bound', so the number of iterations is known only by running the loop");
  const { counter, bound, inclusive } = condition;
  const name = counter.name;
  if (counter.declaration.pos >= loop.pos && counter.declaration.end <= loop.end) return notCounted(`the counter '${name}' is declared inside the loop`);
  if (counter.kind !== 'let' && counter.kind !== 'var' && counter.kind !== 'param') return notCounted(`the counter '${name}' is a ${counter.kind}, not a variable the loop can step`);
  // The bound is read once, before the loop; one that moves with the counter is not a bound.
  if (mentions(bound, counter, resolver)) return notCounted(`the bound '${bound.getText(sourceFile)}' changes with the counter '${name}'`);

  const body = loop.statement;
  const statements = ts.isBlock(body) ? body.statements : [body];
  const last = statements[statements.length - 1];
  const step = last && ts.isExpressionStatement(last) ? stepOf(last.expression, counter, resolver) : undefined;
  if (!last || step === undefined) {
    const stepsCounter = last !== undefined && assignmentsTo(last, counter.nameNode, resolver).length > 0;
    return notCounted(stepsCounter
      ? `the last statement, '${stepText(last, sourceFile)}', does not step '${name}' by a whole-number literal (the compiled loop computes the counter as start + k × step, which for a fractional step drifts from the repeated additions)`
      : `the body does not end with the counter's step, '${name}++' or '${name} += 2'`);
  }
  const otherWrite = assignmentsTo(body, counter.nameNode, resolver).find((w) => w.pos < last.pos || w.end > last.end);
  if (otherWrite) return notCounted(`the body also assigns the counter '${name}' (line ${lineOf(otherWrite, sourceFile)})`);
  const skipping = continuesOf(loop);
  if (skipping) {
    return refuse(`'${skipping.getText(sourceFile)}' at line ${lineOf(skipping, sourceFile)} skips the step '${stepText(last, sourceFile)}' at the end of the @parallel while loop, so the number of iterations is known only by running the loop. Write it as a counted loop, for (let i = start; i < end; i++), whose continue still steps the counter, or restructure the body with if/else.`, spanOf(skipping, sourceFile));
  }

  const lo = `__parlens_lo${serial}`;
  const hi = `__parlens_hi${serial}`;
  const count = `__parlens_n${serial}`;
  // How many times the sequential loop runs (start, start + step, … while below, or at, the bound), counted here
  // and handed to the runtime as an exclusive bound: right for a fractional bound too (i <= 2.5 runs i = 0, 1, 2).
  const iterations = inclusive ? `${hi} >= ${lo} ? Math.floor((${hi} - ${lo}) / ${step}) + 1 : 0` : `${hi} > ${lo} ? Math.ceil((${hi} - ${lo}) / ${step}) : 0`;
  const past = `${lo} + ${count} * ${step}`;
  // The body without its step (the runtime steps the counter); the step's line breaks stay, so lines keep their numbers.
  const text = sourceFile.text;
  const bodyStart = body.getStart(sourceFile);
  const bodyText = last === body
    ? `{${'\n'.repeat(lineBreaks(body.getText(sourceFile)))}}`
    : text.slice(bodyStart, last.getStart(sourceFile)) + '\n'.repeat(lineBreaks(last.getText(sourceFile))) + text.slice(last.end, body.end);
  return {
    what: 'while loop',
    replaced: loop,
    anchor: keyword,
    analysis: { construct: 'while', start: loop.getStart(sourceFile), line, asIndexLoop: false },
    space: { kind: 'counted', start: lo, end: past, inclusive: false, step: String(step) },
    counter: name,
    region: loop,
    skip: [loop.expression, last],
    isCallback: false,
    body,
    bodyText,
    index: name,
    indexWrites: 'by-iteration',
    code: {
      // Start and bound are read once: the analysis has checked that the body changes neither.
      prologue: `const ${lo} = ${name}, ${hi} = (${bound.getText(sourceFile)}), ${count} = ${iterations};`,
      // The sequential loop leaves the counter one step past its last iteration.
      epilogue: `${name} = ${past};`,
    },
  };
}

/** `i < n`, `i <= n`, `n > i`, `n >= i` with `i` a variable of this file. */
function comparison(condition: ts.Expression, resolver: ScopeResolver): { counter: Binding; bound: ts.Expression; inclusive: boolean } | undefined {
  const bare = skipOuterExpressions(condition);
  if (!ts.isBinaryExpression(bare)) return undefined;
  const variable = (side: ts.Expression): Binding | undefined => {
    const inner = skipOuterExpressions(side);
    return ts.isIdentifier(inner) ? resolver.resolve(inner) : undefined;
  };
  const op = bare.operatorToken.kind;
  const left = variable(bare.left);
  if (left && (op === ts.SyntaxKind.LessThanToken || op === ts.SyntaxKind.LessThanEqualsToken)) {
    return { counter: left, bound: bare.right, inclusive: op === ts.SyntaxKind.LessThanEqualsToken };
  }
  const right = variable(bare.right);
  if (right && (op === ts.SyntaxKind.GreaterThanToken || op === ts.SyntaxKind.GreaterThanEqualsToken)) {
    return { counter: right, bound: bare.left, inclusive: op === ts.SyntaxKind.GreaterThanEqualsToken };
  }
  return undefined;
}

/**
 * The step of `i++`, `++i`, `i += k`, `i = i + k` or `i = k + i`, for a positive whole-number literal k. Whole
 * numbers only: the runtime computes the i-th value as start + i·step, which for a fractional step drifts from the
 * sequential loop's repeated additions and can change the number of iterations.
 */
function stepOf(expression: ts.Expression, counter: Binding, resolver: ScopeResolver): number | undefined {
  const bare = skipOuterExpressions(expression);
  const isCounter = (node: ts.Expression): boolean => {
    const inner = skipOuterExpressions(node);
    return ts.isIdentifier(inner) && resolver.resolve(inner)?.id === counter.id;
  };
  const literal = (node: ts.Expression): number | undefined => {
    const inner = skipOuterExpressions(node);
    const value = ts.isNumericLiteral(inner) ? Number(inner.text) : Number.NaN;
    return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  };
  if ((ts.isPostfixUnaryExpression(bare) || ts.isPrefixUnaryExpression(bare)) && bare.operator === ts.SyntaxKind.PlusPlusToken && isCounter(bare.operand)) return 1;
  if (!ts.isBinaryExpression(bare) || !isCounter(bare.left)) return undefined;
  if (bare.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) return literal(bare.right);
  const sum = skipOuterExpressions(bare.right);
  if (bare.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isBinaryExpression(sum) || sum.operatorToken.kind !== ts.SyntaxKind.PlusToken) return undefined;
  if (isCounter(sum.left)) return literal(sum.right);
  if (isCounter(sum.right)) return literal(sum.left);
  return undefined;
}

/** A `continue` that goes to this loop's next test (unlabelled outside nested loops, or naming the loop's label). */
function continuesOf(loop: ts.WhileStatement): ts.ContinueStatement | undefined {
  const label = ts.isLabeledStatement(loop.parent) ? loop.parent.label.text : undefined;
  const stack: { node: ts.Node; nested: boolean }[] = [{ node: loop.statement, nested: false }];
  while (stack.length > 0) {
    const { node, nested } = stack.pop()!;
    if (isFunctionLike(node) || ts.isClassLike(node)) continue;
    if (ts.isContinueStatement(node) && (node.label ? node.label.text === label : !nested)) return node;
    const inner = nested || ts.isIterationStatement(node, false);
    node.forEachChild((child) => { stack.push({ node: child, nested: inner }); });
  }
  return undefined;
}

function mentions(expression: ts.Expression, binding: Binding, resolver: ScopeResolver): boolean {
  const stack: ts.Node[] = [expression];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isIdentifier(node) && resolver.resolve(node)?.id === binding.id) return true;
    node.forEachChild((child) => { stack.push(child); });
  }
  return false;
}

/** A statement's text without its semicolon, for messages. */
function stepText(statement: ts.Statement, sourceFile: ts.SourceFile): string {
  return (ts.isExpressionStatement(statement) ? statement.expression : statement).getText(sourceFile);
}

function lineOf(node: ts.Node, sourceFile: ts.SourceFile): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}
