// What of a result the user sees under the current settings, and the small lookups every feature needs.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver';
import type { Finding, LoopFinding, ParallelAnnotation } from '../core/index';
import type { DocumentResult } from './protocol';
import type { Settings } from './settings';
import type { SourceText } from './describe';

/** Findings of the enabled analyses: `parlens.loops.enable` and `parlens.futures.enable`. */
export function visibleFindings(result: Pick<DocumentResult, 'report'>, settings: Settings): Finding[] {
  return result.report.findings.filter((f) => (f.kind === 'loop' ? settings.loops.enable : settings.futures.enable));
}

/** The `// @parallel` comment standing above this loop (or above the statement of this map/forEach/reduce call), if any. */
export function annotationFor(f: LoopFinding, annotations: readonly ParallelAnnotation[]): ParallelAnnotation | undefined {
  return annotations.find((a) => {
    const start = a.loopStart ?? a.call?.start;
    return start !== undefined && f.span ? start === f.span.start : (a.loopLine ?? a.call?.line) === f.line;
  });
}

export function isLoopStatement(f: LoopFinding): boolean {
  return f.construct === 'for' || f.construct === 'for-of' || f.construct === 'for-in' || f.construct === 'while' || f.construct === 'do-while';
}

export function sourceText(doc: TextDocument): SourceText {
  const text = doc.getText();
  return { text, offsetOf: (line, column) => doc.offsetAt({ line: line - 1, character: column - 1 }) };
}

/** The keyword or name a finding points at (`for`, `while`, `map`, `await`): where lenses, hovers and squiggles go. */
export function anchorRange(f: Finding, doc: TextDocument): Range {
  const start = { line: f.line - 1, character: f.column - 1 };
  const text = doc.getText();
  const offset = doc.offsetAt(start);
  let end = offset;
  while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
  // A word never spans lines: its end is on the start's line (positionAt is a search over all line starts).
  return { start, end: end > offset ? { line: start.line, character: start.character + end - offset } : doc.positionAt(offset + 1) };
}

/** `[\w$]`: ASCII letters, digits, `_` and `$`. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

export function rangeOf(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}
