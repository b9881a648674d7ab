// Hovers: the full explanation on a loop keyword (or array method name), on an `await`, or on a variable that a
// dependence names inside the loop.
import type { Hover, Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/index';
import { explain } from './explain';
import type { DocumentResult } from './protocol';
import type { Settings } from './settings';
import { anchorRange, annotationFor, sourceText, visibleFindings } from './view';

export function hoverAt(result: DocumentResult, doc: TextDocument, position: Position, settings: Settings, workers: number): Hover | null {
  if (!settings.hover.enable) return null;
  const findings = visibleFindings(result, settings);
  const at = doc.offsetAt(position);
  const onAnchor = findings.find((f) => contains(doc, anchorRange(f, doc), at));
  const found = onAnchor ?? dependenceAt(findings, doc, at);
  if (!found) return null;
  const annotation = found.kind === 'loop' ? annotationFor(found, result.annotations) : undefined;
  const { markdown } = explain(found, workers, sourceText(doc), annotation);
  return { contents: { kind: 'markdown', value: markdown }, range: onAnchor ? anchorRange(onAnchor, doc) : wordRange(doc, at) };
}

/** The innermost finding around `at` with a dependence on the identifier under the cursor. */
function dependenceAt(findings: readonly Finding[], doc: TextDocument, at: number): Finding | undefined {
  const range = wordRange(doc, at);
  if (!range) return undefined;
  const word = doc.getText(range);
  let best: Finding | undefined;
  for (const f of findings) {
    if (!f.span || at < f.span.start || at > f.span.end) continue;
    if (!f.dependencies.some((d) => rootName(d.variable) === word)) continue;
    if (!best || f.span.start >= best.span!.start) best = f;
  }
  return best;
}

/** `a` in `a[i - 1]`, `state` in `state.x`, `this` in `this.v[i]`. */
function rootName(variable: string): string {
  return /^[\w$]+/.exec(variable.trim())?.[0] ?? variable;
}

function wordRange(doc: TextDocument, at: number) {
  const text = doc.getText();
  let start = at;
  let end = at;
  while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
  while (end < text.length && /[\w$]/.test(text[end])) end++;
  return start === end ? undefined : { start: doc.positionAt(start), end: doc.positionAt(end) };
}

function contains(doc: TextDocument, range: { start: Position; end: Position }, at: number): boolean {
  return at >= doc.offsetAt(range.start) && at <= doc.offsetAt(range.end);
}
