// Small text helpers the rewrites share: indentation, comments kept with their statements, fresh names, semicolons.
import { ts } from '../syntax/parse';

/** The whitespace that starts the line `node` starts on. */
export function indentationOf(sourceFile: ts.SourceFile, node: ts.Node): string {
  const start = node.getStart(sourceFile);
  const lineStart = sourceFile.text.lastIndexOf('\n', start - 1) + 1;
  const match = /^[ \t]*/.exec(sourceFile.text.slice(lineStart, start));
  return match ? match[0] : '';
}

/**
 * One indentation step as the code around `statement` writes it: the statement's indentation less that of the
 * line its block opens on (two spaces, four, a tab). Local on purpose: a rewrite depends only on its own function,
 * so incremental re-analysis of that function gives the same edits as analysing the whole file.
 */
export function indentUnit(sourceFile: ts.SourceFile, statement: ts.Node): string {
  const own = indentationOf(sourceFile, statement);
  for (let at = statement.parent; at && !ts.isSourceFile(at); at = at.parent) {
    const outer = indentationOf(sourceFile, at);
    if (outer.length < own.length && own.startsWith(outer)) return own.slice(outer.length);
  }
  return own.startsWith('\t') ? '\t' : own.length > 0 ? own : '  ';
}

/** Whether the file ends statements with semicolons, judged by this statement. */
export function usesSemicolons(sourceFile: ts.SourceFile, statement: ts.Node): boolean {
  return sourceFile.text.slice(statement.getStart(sourceFile), statement.end).trimEnd().endsWith(';');
}

/** Comments before a statement (own lines), as text. */
export function leadingComments(sourceFile: ts.SourceFile, node: ts.Node): string[] {
  return (ts.getLeadingCommentRanges(sourceFile.text, node.pos) ?? []).map((r) => sourceFile.text.slice(r.pos, r.end));
}

/** Comments after a statement on its last line, as text, and where they end. */
export function trailingComments(sourceFile: ts.SourceFile, node: ts.Node): { texts: string[]; end: number } {
  const ranges = ts.getTrailingCommentRanges(sourceFile.text, node.end) ?? [];
  return { texts: ranges.map((r) => sourceFile.text.slice(r.pos, r.end)), end: ranges.length > 0 ? ranges[ranges.length - 1].end : node.end };
}

/**
 * Names used in one function (or the module top level), so generated names never shadow or collide. A name declared
 * inside the function can only clash with identifiers written inside it, and looking no further keeps the choice
 * independent of the rest of the file (incremental re-analysis gives the same names).
 */
export class NamePool {
  private readonly used = new Set<string>();

  constructor(scope: ts.Node) {
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) this.used.add(n.text);
      n.forEachChild(visit);
    };
    visit(scope);
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}${i}`;
    this.used.add(name);
    return name;
  }
}

/** Text of `node` with each line after the first re-indented from `from` to `to`. */
export function reindent(text: string, from: string, to: string): string {
  return text.split('\n').map((line, i) => (i === 0 ? line : line.startsWith(from) ? to + line.slice(from.length) : line)).join('\n');
}
