// `// @parallel` and `// @task` annotations: where they are, what they annotate, and their clauses.
// Pure: shared by the esbuild plugin (which compiles them) and the language server (which checks them as you type).
// Only comments are read, found through the syntax tree, so `"// @parallel"` inside a string is never an annotation.
import { ts, skipOuterExpressions } from './syntax/parse';
import type { ReductionOperator } from './findings';

/** What the clauses of one `// @parallel` comment say. */
export interface ParallelClauses {
  /** `force`: compile even when the analysis finds a dependence or cannot decide. */
  force: boolean;
  reductions: { operator: ReductionOperator; variable: string }[];
  privates: string[];
  chunk?: number;
  workers?: number;
  /** Malformed clauses, in words; empty when the comment is well formed. */
  problems: string[];
}

export interface ParallelAnnotation extends ParallelClauses {
  /** 1-based line of the comment. */
  line: number;
  /** 1-based line of the loop keyword it annotates; undefined when the next statement is not a loop statement. */
  loopLine?: number;
  /** 0-based offsets of the comment, for editors and build errors. */
  start: number;
  end: number;
  /** 0-based offsets of the annotated loop statement (a label in front of it excluded). */
  loopStart?: number;
  loopEnd?: number;
  /**
   * When the annotated statement is a map/forEach/reduce call rather than a loop (`const ys = xs.map(…)`,
   * `xs.forEach(…)`, `ys = …`, `return …`): the call's offsets, the line of its method name, and the method.
   */
  call?: { start: number; end: number; line: number; method: AnnotatableMethod };
}

/** The array methods `// @parallel` compiles when it stands before a statement that is one call of them. */
export const ANNOTATABLE_METHODS = ['map', 'forEach', 'reduce'] as const;
export type AnnotatableMethod = (typeof ANNOTATABLE_METHODS)[number];

export interface TaskAnnotation {
  /** 1-based line of the comment. */
  line: number;
  /** 1-based line where the annotated function declaration starts; undefined when none follows. */
  functionLine?: number;
  functionName?: string;
  problems: string[];
  start: number;
  end: number;
}

const reductionOperators: readonly ReductionOperator[] = ['+', '*', '&&', '||', '|', '&', '^', 'max', 'min'];
const clauseHelp = 'expected force, reduction(op: variable), private(variable), chunk(n) or workers(n)';

export function findParallelAnnotations(sourceFile: ts.SourceFile): ParallelAnnotation[] {
  const found: ParallelAnnotation[] = [];
  for (const comment of annotationComments(sourceFile)) {
    if (comment.keyword !== 'parallel') continue;
    const clauses = parseParallelClauses(comment.rest);
    const annotation: ParallelAnnotation = {
      line: lineAt(sourceFile, comment.start), force: clauses.force, reductions: clauses.reductions,
      privates: clauses.privates, problems: clauses.problems, start: comment.start, end: comment.end,
    };
    if (clauses.chunk !== undefined) annotation.chunk = clauses.chunk;
    if (clauses.workers !== undefined) annotation.workers = clauses.workers;
    const loop = loopStatementOf(comment.statement);
    if (loop) {
      annotation.loopLine = lineAt(sourceFile, loop.getStart(sourceFile));
      annotation.loopStart = loop.getStart(sourceFile);
      annotation.loopEnd = loop.end;
    }
    const call = loop ? undefined : annotatedMethodCall(comment.statement);
    if (call) {
      const callee = call.expression as ts.PropertyAccessExpression;
      annotation.call = { start: call.getStart(sourceFile), end: call.end, line: lineAt(sourceFile, callee.name.getStart(sourceFile)), method: callee.name.text as AnnotatableMethod };
    }
    found.push(annotation);
  }
  return found;
}

export function findTaskAnnotations(sourceFile: ts.SourceFile): TaskAnnotation[] {
  const found: TaskAnnotation[] = [];
  for (const comment of annotationComments(sourceFile)) {
    if (comment.keyword !== 'task') continue;
    const annotation: TaskAnnotation = { line: lineAt(sourceFile, comment.start), problems: [], start: comment.start, end: comment.end };
    if (comment.rest.trim() !== '') {
      annotation.problems.push(`@task takes no clauses; remove '${comment.rest.trim()}'`);
    }
    const statement = comment.statement;
    if (statement && ts.isFunctionDeclaration(statement)) {
      annotation.functionLine = lineAt(sourceFile, statement.getStart(sourceFile));
      if (statement.name) annotation.functionName = statement.name.text;
      else annotation.problems.push('@task needs a named function declaration (calls find it by name)');
      if (statement.asteriskToken) annotation.problems.push('a generator function cannot be a task: a task returns one value');
      if (!statement.body) annotation.problems.push('@task must annotate the implementation, not an overload signature');
    }
    found.push(annotation);
  }
  return found;
}

interface AnnotationComment {
  keyword: 'parallel' | 'task';
  /** The comment's text after the keyword (block-comment closers removed). */
  rest: string;
  start: number;
  end: number;
  /** The statement the comment stands in front of (only comments and white space between), if any. */
  statement?: ts.Statement;
}

/**
 * Every `@parallel` / `@task` comment of the file. Comments are trivia, so they are collected around the tokens of
 * every node and node list (leading and trailing, at both edges), de-duplicated by offset. The walk is iterative:
 * generated files nest too deeply for recursion.
 */
function annotationComments(sourceFile: ts.SourceFile): AnnotationComment[] {
  const text = sourceFile.text;
  if (!/@(parallel|task)\b/.test(text)) return [];
  const comments = new Map<number, ts.CommentRange>();
  const owners = new Map<number, ts.Statement>();
  const collect = (pos: number): void => {
    for (const range of ts.getLeadingCommentRanges(text, pos) ?? []) comments.set(range.pos, range);
    for (const range of ts.getTrailingCommentRanges(text, pos) ?? []) comments.set(range.pos, range);
  };
  collect(0);
  const stack: ts.Node[] = [sourceFile];
  while (stack.length > 0) {
    const node = stack.pop()!;
    collect(node.pos);
    collect(node.end);
    if (isStatement(node)) {
      // The comments between node.pos and the node's first token are the ones written in front of it.
      for (const range of ts.getLeadingCommentRanges(text, node.pos) ?? []) owners.set(range.pos, node);
    }
    node.forEachChild((child) => { stack.push(child); }, (list) => {
      collect(list.pos);
      collect(list.end);
      for (const child of list) stack.push(child);
    });
  }
  const found: AnnotationComment[] = [];
  for (const range of [...comments.values()].sort((a, b) => a.pos - b.pos)) {
    const parsed = annotationText(text.slice(range.pos, range.end), range.kind);
    if (!parsed) continue;
    const statement = owners.get(range.pos);
    found.push({ ...parsed, start: range.pos, end: range.end, ...(statement ? { statement } : {}) });
  }
  return found;
}

/** `// @parallel reduction(+: s)` → keyword and the rest; undefined for comments that are not annotations. */
function annotationText(raw: string, kind: ts.CommentKind): { keyword: 'parallel' | 'task'; rest: string } | undefined {
  let body = kind === ts.SyntaxKind.SingleLineCommentTrivia ? raw.slice(2) : raw.slice(2, raw.endsWith('*/') ? -2 : undefined);
  // `/** @task */` and `/* * @task */`: JSDoc stars are decoration.
  body = body.replace(/^[\s*]*/, '');
  // The keyword stands alone: `@parallelism` or `@task:` in prose is not an annotation.
  const match = /^@(parallel|task)(?=\s|$)/.exec(body);
  if (!match) return undefined;
  // Line breaks inside a block comment (and their leading `*`) read as spaces.
  const rest = body.slice(match[0].length).replace(/\n\s*\*?/g, ' ').replace(/\s+/g, ' ').trim();
  return { keyword: match[1] as 'parallel' | 'task', rest };
}

function isStatement(node: ts.Node): node is ts.Statement {
  // ts.isStatement leaves out declarations (function, class, ...); they can carry `@task`.
  return ts.isStatement(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node);
}

/** The loop statement a comment in front of `statement` annotates; a label in front of the loop is allowed. */
function loopStatementOf(statement: ts.Statement | undefined): ts.IterationStatement | undefined {
  let at: ts.Statement | undefined = statement;
  while (at && ts.isLabeledStatement(at)) at = at.statement;
  return at && ts.isIterationStatement(at, /*lookInLabeledStatements*/ false) ? at : undefined;
}

/** The statement a map/forEach/reduce call is the whole of (see annotatedMethodCall), where `// @parallel` would go. */
export function statementOfAnnotatableCall(call: ts.CallExpression): ts.Statement | undefined {
  let at: ts.Node = call;
  while (at.parent && (ts.isParenthesizedExpression(at.parent) || ts.isAsExpression(at.parent) || ts.isSatisfiesExpression(at.parent) || ts.isNonNullExpression(at.parent))) at = at.parent;
  let parent = at.parent;
  if (parent && ts.isBinaryExpression(parent) && parent.right === at && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) parent = parent.parent;
  if (parent && ts.isVariableDeclaration(parent)) parent = parent.parent?.parent; // declaration → list → statement
  return parent && ts.isStatement(parent) && annotatedMethodCall(parent) === call ? parent : undefined;
}

/**
 * The call a statement consists of: `f(…);`, `return f(…);`, `const y = f(…);` (one declaration) or `y = f(…);`,
 * parentheses and type assertions aside. The plugin compiles an annotated array-method call only in this position
 * (its value goes nowhere else), and the language server offers the annotation only there.
 */
export function wholeStatementCall(statement: ts.Statement): ts.CallExpression | undefined {
  let value: ts.Expression | undefined;
  if (ts.isExpressionStatement(statement) || ts.isReturnStatement(statement)) value = statement.expression;
  else if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) value = statement.declarationList.declarations[0].initializer;
  let bare = value && skipOuterExpressions(value);
  if (bare && ts.isExpressionStatement(statement) && ts.isBinaryExpression(bare) && bare.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    bare = skipOuterExpressions(bare.right);
  }
  return bare && ts.isCallExpression(bare) ? bare : undefined;
}

/** The map/forEach/reduce call the plugin would compile for an annotation above this statement (optional calls excluded). */
function annotatedMethodCall(statement: ts.Statement | undefined): ts.CallExpression | undefined {
  const call = statement && wholeStatementCall(statement);
  if (!call || call.questionDotToken) return undefined;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && !callee.questionDotToken && (ANNOTATABLE_METHODS as readonly string[]).includes(callee.name.text) ? call : undefined;
}

function lineAt(sourceFile: ts.SourceFile, offset: number): number {
  return sourceFile.getLineAndCharacterOfPosition(offset).line + 1;
}


/**
 * Clauses after `@parallel`: `force`, `reduction(op: a, b)`, `private(t, u)`, `chunk(n)`, `workers(n)`, separated by
 * spaces or commas, in any order. Anything else is a problem rather than ignored: a misspelt `reduce(+: s)` silently
 * dropped would change what the build does.
 */
export function parseParallelClauses(rest: string): ParallelClauses {
  const clauses: ParallelClauses = { force: false, reductions: [], privates: [], problems: [] };
  const seen = new Set<string>();
  let at = 0;
  while (at < rest.length) {
    const skip = /^[\s,]+/.exec(rest.slice(at));
    if (skip) { at += skip[0].length; continue; }
    const tail = rest.slice(at);
    const word = /^([A-Za-z_$][\w$]*)/.exec(tail);
    if (!word) {
      const junk = /^\S+/.exec(tail)![0];
      clauses.problems.push(`unexpected '${junk}' in @parallel; ${clauseHelp}`);
      at += junk.length;
      continue;
    }
    const name = word[1];
    const afterName = tail.slice(name.length);
    const open = /^\s*\(/.exec(afterName);
    if (!open) {
      if (name === 'force') {
        if (clauses.force) clauses.problems.push("'force' is given twice");
        clauses.force = true;
      } else if (isClauseName(name)) {
        clauses.problems.push(`${name} needs parentheses: ${clauseExample(name)}`);
      } else {
        clauses.problems.push(`unknown clause '${name}' in @parallel; ${clauseHelp}`);
      }
      at += name.length;
      continue;
    }
    const close = afterName.indexOf(')', open[0].length);
    if (close < 0) {
      clauses.problems.push(`${name}( is not closed with ')'${isClauseName(name) ? `: ${clauseExample(name)}` : ''}`);
      break;
    }
    const inside = afterName.slice(open[0].length, close).trim();
    at += name.length + close + 1;
    if (!isClauseName(name)) {
      clauses.problems.push(`unknown clause '${name}(…)' in @parallel; ${clauseHelp}`);
      continue;
    }
    if ((name === 'chunk' || name === 'workers') && seen.has(name)) {
      clauses.problems.push(`${name}(…) is given twice; keep one`);
      continue;
    }
    seen.add(name);
    switch (name) {
      case 'reduction': parseReduction(inside, clauses); break;
      case 'private': parsePrivate(inside, clauses); break;
      case 'chunk': case 'workers': {
        const value = positiveInteger(inside);
        if (value === undefined) clauses.problems.push(`${name}(${inside}) needs a positive whole number, e.g. ${clauseExample(name)}`);
        else clauses[name] = value;
        break;
      }
    }
  }
  const reduced = new Set(clauses.reductions.map((r) => r.variable));
  for (const variable of clauses.privates) {
    if (reduced.has(variable)) clauses.problems.push(`'${variable}' is both private and a reduction variable; it can be only one`);
  }
  return clauses;
}

type ClauseName = 'reduction' | 'private' | 'chunk' | 'workers';

function isClauseName(name: string): name is ClauseName {
  return name === 'reduction' || name === 'private' || name === 'chunk' || name === 'workers';
}

function clauseExample(name: ClauseName): string {
  switch (name) {
    case 'reduction': return 'reduction(+: sum)';
    case 'private': return 'private(t)';
    case 'chunk': return 'chunk(1024)';
    case 'workers': return 'workers(4)';
  }
}

function parseReduction(inside: string, clauses: ParallelClauses): void {
  const colon = inside.indexOf(':');
  if (colon < 0) {
    clauses.problems.push(`reduction(${inside}) needs an operator and variables, e.g. reduction(+: sum)`);
    return;
  }
  const operator = inside.slice(0, colon).trim();
  if (!(reductionOperators as readonly string[]).includes(operator)) {
    clauses.problems.push(`reduction operator '${operator}' is not supported; use one of ${reductionOperators.join(' ')}`
      + (operator === '-' ? " (a sum that subtracts is reduction(+: …))" : ''));
    return;
  }
  const variables = variableList(inside.slice(colon + 1), 'reduction', clauses);
  for (const variable of variables) {
    if (clauses.reductions.some((r) => r.variable === variable)) {
      clauses.problems.push(`'${variable}' is named in more than one reduction clause`);
    } else {
      clauses.reductions.push({ operator: operator as ReductionOperator, variable });
    }
  }
}

function parsePrivate(inside: string, clauses: ParallelClauses): void {
  for (const variable of variableList(inside, 'private', clauses)) {
    if (clauses.privates.includes(variable)) clauses.problems.push(`'${variable}' is named twice in private(…)`);
    else clauses.privates.push(variable);
  }
}

function variableList(text: string, clause: string, clauses: ParallelClauses): string[] {
  const names = text.split(',').map((part) => part.trim());
  if (names.length === 1 && names[0] === '') {
    clauses.problems.push(`${clause}(…) names no variable`);
    return [];
  }
  const valid: string[] = [];
  for (const name of names) {
    if (/^[A-Za-z_$][\w$]*$/.test(name)) valid.push(name);
    else clauses.problems.push(`'${name}' in ${clause}(…) is not a variable name`);
  }
  return valid;
}

function positiveInteger(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
