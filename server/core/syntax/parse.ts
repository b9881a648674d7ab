import { ts } from '@ts-morph/common';

export { ts };

/** Parses one file with the raw compiler API (no program, no type checker: analysis must stay cheaper than tsc). */
export function parseSource(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, /*setParentNodes*/ true, scriptKindOf(fileName));
}

export function scriptKindOf(fileName: string): ts.ScriptKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (lower.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.(m|c)?js$/.test(lower)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Syntax errors, already phrased for a person, at most `limit` of them. */
export function syntaxErrors(sourceFile: ts.SourceFile, limit = 3): string[] {
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return diagnostics.slice(0, limit).map((d) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(d.start);
    return `${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

export function lineOf(sourceFile: ts.SourceFile, node: ts.Node): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

export function positionOf(sourceFile: ts.SourceFile, node: ts.Node): { line: number; column: number } {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return { line: line + 1, column: character + 1 };
}

/** Source text with runs of whitespace collapsed, for messages. */
export function textOf(sourceFile: ts.SourceFile, node: ts.Node): string {
  return node.getText(sourceFile).replace(/\s+/g, ' ');
}

/** Strips parentheses, `!`, `as T`, `<T>x` and `satisfies T`, which never change what an expression refers to. */
export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let at = node;
  for (;;) {
    if (ts.isParenthesizedExpression(at) || ts.isNonNullExpression(at) || ts.isAsExpression(at)
      || ts.isTypeAssertionExpression(at) || ts.isSatisfiesExpression(at)) {
      at = at.expression;
    } else {
      return at;
    }
  }
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)
    || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node)
    || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node);
}

/** Too deep to walk recursively without risking the stack; the construct is reported as not analysed. */
export class TooDeepError extends Error {
  constructor() {
    super('the code is nested too deeply to analyse');
  }
}
