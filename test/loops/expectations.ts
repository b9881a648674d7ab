// Shared by the corpus runner: parses `// expect:` comments, finds loops syntactically, and matches findings.
// Not a test file itself (no `.test.ts`), so the runner only loads it through corpus.test.ts / expectations.test.ts.
import ts from 'typescript';
import type { DependenceKind, LoopFinding, LoopVerdict } from '../../server/core/findings';

export const LOOP_METHODS: ReadonlySet<string> = new Set([
  'forEach', 'map', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'flatMap',
]);

const VERDICTS: readonly LoopVerdict[] = ['parallel', 'reduction', 'sequential', 'unknown'];
const KINDS: readonly DependenceKind[] = ['flow', 'anti', 'output', 'io', 'call', 'control', 'alias'];

export interface Expectation {
  /** Base name of the corpus file. */
  file: string;
  /** 1-based line of the `// expect:` comment. */
  commentLine: number;
  /** 1-based line the loop's finding must be on (first non-comment, non-blank line after the comment). */
  line: number;
  /** The text after `expect:`, trimmed. */
  text: string;
  verdict: LoopVerdict;
  variable?: string;
  kind?: DependenceKind;
  /** Names every one of which some assumption must mention; `assume()` (empty) means: no assumptions at all. */
  assume?: string[];
  privates?: string[];
}

const EXPECT_RE = /^\s*\/\/\s*expect:\s*(.*?)\s*$/;
const BODY_RE = new RegExp(
  '^(' + VERDICTS.join('|') + ')' +
  '(?:\\s+([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)(?![\\w$.(]))?' +
  '(?:\\s+\\((' + KINDS.join('|') + ')\\))?' +
  '(?:\\s+assume\\(([^)]*)\\))?' +
  '(?:\\s+private\\(([^)]*)\\))?$',
);

function nameList(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Parses one expectation body (`sequential a (flow)`); returns a string describing the problem when malformed. */
export function parseExpectationText(text: string): Omit<Expectation, 'file' | 'commentLine' | 'line' | 'text'> | string {
  const m = BODY_RE.exec(text);
  if (!m) return `malformed expectation "${text}"`;
  const verdict = m[1] as LoopVerdict;
  const out: Omit<Expectation, 'file' | 'commentLine' | 'line' | 'text'> = { verdict };
  if (m[2] !== undefined) {
    if (m[2] === 'assume' || m[2] === 'private') return `"${m[2]}" needs parentheses in "${text}"`;
    out.variable = m[2];
  }
  if (m[3] !== undefined) out.kind = m[3] as DependenceKind;
  if (m[4] !== undefined) out.assume = nameList(m[4]);
  if (m[5] !== undefined) out.privates = nameList(m[5]);
  if (verdict === 'parallel' && out.variable !== undefined) return `a parallel expectation names no variable: "${text}"`;
  if ((verdict === 'parallel' || verdict === 'reduction') && out.kind !== undefined) {
    return `a ${verdict} expectation names no dependence kind: "${text}"`;
  }
  return out;
}

export function parseExpectations(file: string, text: string): { expectations: Expectation[]; problems: string[] } {
  const lines = text.split(/\r?\n/);
  const expectations: Expectation[] = [];
  const problems: string[] = [];
  for (let k = 0; k < lines.length; k++) {
    const m = EXPECT_RE.exec(lines[k]!);
    if (!m) {
      if (/\bexpect:/.test(lines[k]!) && /\/\//.test(lines[k]!)) problems.push(`${file}:${k + 1}: "expect:" must start its own comment line`);
      continue;
    }
    const body = m[1]!;
    let target = -1;
    for (let q = k + 1; q < lines.length; q++) {
      const s = lines[q]!.trim();
      if (s === '' || s.startsWith('//')) {
        if (EXPECT_RE.test(lines[q]!)) break; // two expectations for one loop
        continue;
      }
      target = q + 1;
      break;
    }
    if (target < 0) {
      problems.push(`${file}:${k + 1}: expectation "${body}" is not followed by code`);
      continue;
    }
    const parsed = parseExpectationText(body);
    if (typeof parsed === 'string') {
      problems.push(`${file}:${k + 1}: ${parsed}`);
      continue;
    }
    expectations.push({ file, commentLine: k + 1, line: target, text: body, ...parsed });
  }
  return { expectations, problems };
}

export interface SyntacticLoop {
  line: number;
  construct: string;
}

/** Every loop a reader would see: statements, and calls of the array methods by name (`x.map(...)`, `x?.map(...)`). */
export function syntacticLoops(fileName: string, text: string): SyntacticLoop[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: SyntacticLoop[] = [];
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isForStatement(node)) found.push({ line: lineOf(node.getStart(sf)), construct: 'for' });
    else if (ts.isForOfStatement(node)) found.push({ line: lineOf(node.getStart(sf)), construct: 'for-of' });
    else if (ts.isForInStatement(node)) found.push({ line: lineOf(node.getStart(sf)), construct: 'for-in' });
    else if (ts.isWhileStatement(node)) found.push({ line: lineOf(node.getStart(sf)), construct: 'while' });
    else if (ts.isDoStatement(node)) found.push({ line: lineOf(node.getStart(sf)), construct: 'do-while' });
    else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
      && LOOP_METHODS.has(node.expression.name.text)) {
      found.push({ line: lineOf(node.expression.name.getStart(sf)), construct: node.expression.name.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Syntax errors only (the corpus is not type-checked). */
export function syntaxErrors(fileName: string, text: string): string[] {
  const out = ts.transpileModule(text, { fileName, reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  return (out.diagnostics ?? []).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

/** `a` matches `a`, `a[i]`, `a.x`; `state.x` matches `state.x`, `state.x.y`. */
export function nameMatches(expected: string, reported: string): boolean {
  return reported === expected || reported.startsWith(expected + '[') || reported.startsWith(expected + '.');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function mentionsWord(haystack: string, word: string): boolean {
  return new RegExp(`(?<![\\w$])${escapeRe(word)}(?![\\w$])`).test(haystack);
}

/** Why `finding` does not satisfy `exp`; empty when it does. */
export function mismatches(exp: Expectation, finding: LoopFinding): string[] {
  const why: string[] = [];
  if (finding.verdict !== exp.verdict) why.push(`verdict is "${finding.verdict}", expected "${exp.verdict}"`);
  if (exp.verdict === 'reduction' && exp.variable !== undefined) {
    const v = exp.variable;
    if (!finding.reductions.some((r) => nameMatches(v, r.variable))) why.push(`no reduction on "${v}"`);
  } else if ((exp.verdict === 'sequential' || exp.verdict === 'unknown') && (exp.variable !== undefined || exp.kind !== undefined)) {
    const deps = finding.dependencies.filter((d) =>
      (exp.variable === undefined || nameMatches(exp.variable, d.variable)) && (exp.kind === undefined || d.kind === exp.kind));
    if (deps.length === 0) {
      why.push(`no dependence${exp.variable !== undefined ? ` on "${exp.variable}"` : ''}${exp.kind !== undefined ? ` of kind ${exp.kind}` : ''}`);
    }
  }
  if (exp.assume !== undefined) {
    const names = exp.assume;
    if (names.length === 0) {
      if (finding.assumptions.length > 0) why.push('expected no assumptions at all');
    } else if (!finding.assumptions.some((a) => names.every((n) => mentionsWord(a, n)))) {
      why.push(`no assumption mentions all of ${names.join(', ')}`);
    }
  }
  for (const p of exp.privates ?? []) {
    if (!finding.privates.includes(p)) why.push(`"${p}" is not listed as private`);
  }
  return why;
}

/** A finding as JSON for failure messages (without the editor-only span). */
export function showFinding(f: LoopFinding): string {
  const { span: _span, ...rest } = f;
  void _span;
  return JSON.stringify(rest, null, 2);
}
