// The loops `@parallel` can compile: counted `for` loops, `for (let i = A; i < B; i += C)`.
// Their iteration space is known before the loop starts, which is what cutting it into chunks needs.
import { ts, skipOuterExpressions } from '../core/syntax/parse';

export interface CountedLoop {
  counter: string;
  /** Source text of the start, bound and step expressions, evaluated once on the main thread. */
  start: string;
  end: string;
  inclusive: boolean;
  step: string;
  body: ts.Statement;
}

const expected = 'for (let i = start; i < end; i++) (also <=, ++i, i += step with a positive step)';

/** The loop's counted shape, or why it has none (in words, saying what to write instead). */
export function countedLoop(loop: ts.IterationStatement, sourceFile: ts.SourceFile): CountedLoop | string {
  if (!ts.isForStatement(loop)) {
    return `@parallel compiles counted for loops only: ${expected}; rewrite this ${kindName(loop)} loop as one over an index`;
  }
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
  return { counter, start: text(declaration.initializer), end, inclusive, step, body: loop.statement };
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

function kindName(loop: ts.IterationStatement): string {
  if (ts.isForOfStatement(loop)) return 'for-of';
  if (ts.isForInStatement(loop)) return 'for-in';
  if (ts.isWhileStatement(loop)) return 'while';
  if (ts.isDoStatement(loop)) return 'do-while';
  return 'for';
}
