// Code actions at a position: the rewrites the core proved safe (`finding.fixes`), inserting `// @parallel` above a
// proven loop, removing an unsafe annotation, and "Explain" (opens the explanation in the client's panel).
import { CodeActionKind, type CodeAction, type Range, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix, LoopFinding } from '../core/index';
import { findingTitle } from './describe';
import { explain, explainUnsafeAnnotation, reductionClause } from './explain';
import type { DocumentResult } from './protocol';
import type { Settings } from './settings';
import { annotationFor, isLoopStatement, rangeOf, sourceText, visibleFindings } from './view';

/** `doc` must be the exact version that was analysed: fix offsets point into that text. */
export function codeActions(result: DocumentResult, doc: TextDocument, range: Range, settings: Settings, workers: number): CodeAction[] {
  const source = sourceText(doc);
  const actions: CodeAction[] = [];
  for (const f of visibleFindings(result, settings)) {
    if (!touches(f, doc, range)) continue;
    if ('fixes' in f) for (const fix of f.fixes) actions.push(fixAction(fix, doc));
    const annotation = f.kind === 'loop' ? annotationFor(f, result.annotations) : undefined;
    if (f.kind === 'loop' && !annotation && (isLoopStatement(f) || f.statementStart !== undefined) && (f.verdict === 'parallel' || f.verdict === 'reduction')) {
      actions.push(annotateAction(f, doc));
    }
    if (f.kind === 'loop' && annotation && !annotation.force && (f.verdict === 'sequential' || f.verdict === 'unknown')) {
      const line = doc.positionAt(annotation.start).line;
      const lineText = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
      // A comment alone on its line goes with its line; one after code leaves the code.
      const whole = lineText.trim() === doc.getText(rangeOf(doc, annotation.start, annotation.end)).trim();
      const remove: Range = whole ? { start: { line, character: 0 }, end: { line: line + 1, character: 0 } } : rangeOf(doc, annotation.start, annotation.end);
      actions.push({
        title: 'Remove the unsafe @parallel annotation', kind: CodeActionKind.QuickFix,
        edit: edit(doc, [{ range: remove, newText: '' }]),
      });
      const explanation = explainUnsafeAnnotation(f, annotation, workers, source);
      actions.push({ title: `Explain: unsafe @parallel (line ${annotation.line})`, command: { title: 'Explain', command: 'parlens.explain', arguments: [explanation] } });
    }
    if (f.kind === 'await' && f.group.length <= 1 && f.fixes.length === 0) continue;
    const explanation = explain(f, workers, source, annotation);
    actions.push({ title: `Explain: ${findingTitle(f, source)}`, command: { title: 'Explain', command: 'parlens.explain', arguments: [explanation] } });
  }
  return actions;
}

function fixAction(fix: Fix, doc: TextDocument): CodeAction {
  return {
    title: fix.title, kind: CodeActionKind.QuickFix,
    edit: edit(doc, fix.edits.map((e) => ({ range: rangeOf(doc, e.start, e.end), newText: e.newText }))),
  };
}

/** `// @parallel reduction(+: s)` on its own line above the loop (or the call's statement), indented like that line. */
function annotateAction(f: LoopFinding, doc: TextDocument): CodeAction {
  const start = f.statementStart ?? f.span?.start;
  const line = (start !== undefined ? doc.positionAt(start) : { line: f.line - 1 }).line;
  const lineText = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(lineText)![0];
  const comment = `// @parallel${reductionClause(f)}`;
  return {
    title: `Annotate with ${comment}`, kind: CodeActionKind.QuickFix, isPreferred: true,
    edit: edit(doc, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${comment}\n` }]),
  };
}

function edit(doc: TextDocument, edits: LspTextEdit[]): CodeAction['edit'] {
  // Versioned: the client refuses the edit if the document changed since the analysis the offsets came from.
  return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits }] };
}

function touches(f: Finding, doc: TextDocument, range: Range): boolean {
  // From the construct's first line to the anchor's line, not its whole body: an outer loop's actions would crowd
  // every line inside it.
  const first = f.span ? doc.positionAt(f.span.start).line : f.line - 1;
  return range.start.line <= f.line - 1 && range.end.line >= first;
}
