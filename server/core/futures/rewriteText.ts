// Small text helpers the rewrites share: indentation, comments kept with their statements, fresh names, semicolons.
import { ts } from '../syntax/parse';

/** The whitespace that starts the line `node` starts on. */
export function indentationOf(sourceFile: ts.SourceFile, node: ts.Node): string {
  const start = node.getStart(sourceFile);
  const lineStart = sourceFile.text.lastIndexOf('\n', start - 1) + 1;
  const match = /^[ \t]*/.exec(sourceFile.text.slice(lineStart, start));
  return match ? match[0] : '';
}

/** One indentation step as the file writes it (two spaces, four, or a tab). */
export function indentUnit(sourceFile: ts.SourceFile): string {
  const m = /\n([ \t]+)\S/.exec(sourceFile.text);
  if (!m) return '  ';
  if (m[1].startsWith('\t')) return '\t';
  return m[1].length >= 4 && m[1].length % 4 === 0 ? '    ' : '  ';
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

/** Names used anywhere in the file, so generated names never shadow or collide. */
export class NamePool {
  private readonly used = new Set<string>();

  constructor(sourceFile: ts.SourceFile) {
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) this.used.add(n.text);
      n.forEachChild(visit);
    };
    visit(sourceFile);
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
