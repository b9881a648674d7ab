// Code lenses: the verdict above each loop and each group of awaits (clicking one opens its explanation), and a
// `Profile` lens that asks the client to profile the file from that line.
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { findingTitle } from './describe';
import { explain } from './explain';
import type { DocumentResult } from './protocol';
import type { Settings } from './settings';
import { anchorRange, annotationFor, sourceText, visibleFindings } from './view';

/**
 * Lenses of the previous answer per document, by everything they are made from: after a small edit most findings are
 * unchanged, and rendering an explanation for each of thousands of lenses would dominate the time to fresh lenses.
 */
const previous = new Map<string, Map<string, CodeLens>>();

export function codeLenses(result: DocumentResult, doc: TextDocument, settings: Settings, workers: number): CodeLens[] {
  if (!settings.codeLens.enable) return [];
  const source = sourceText(doc);
  const lenses: CodeLens[] = [];
  const profiled = new Set<number>();
  const before = previous.get(doc.uri) ?? new Map<string, CodeLens>();
  const now = new Map<string, CodeLens>();
  for (const f of visibleFindings(result, settings)) {
    // Awaits get a lens on the first await of a group only; a lone await is no news.
    if (f.kind === 'await' && f.group.length <= 1) continue;
    const annotation = f.kind === 'loop' ? annotationFor(f, result.annotations) : undefined;
    // The finding, its annotation, the worker count and the text up to just past the anchor (receiver names) decide it.
    const head = f.span ? source.text.slice(f.span.start, source.offsetOf(f.line, f.column) + 32) : '';
    const key = `${workers}\u0000${JSON.stringify(f)}\u0000${JSON.stringify(annotation ?? null)}\u0000${head}`;
    let lens = before.get(key);
    if (!lens) {
      const range = anchorRange(f, doc);
      lens = { range, command: { title: findingTitle(f, source), command: 'parlens.explain', arguments: [explain(f, workers, source, annotation)] } };
    }
    now.set(key, lens);
    lenses.push(lens);
    if ((f.kind === 'loop' || f.kind === 'await') && !profiled.has(f.line)) {
      profiled.add(f.line);
      lenses.push({ range: lens.range, command: { title: 'Profile', command: 'parlens.profileRun', arguments: [doc.uri, f.line] } });
    }
  }
  previous.set(doc.uri, now);
  return lenses;
}

export function forgetLenses(uri: string): void {
  previous.delete(uri);
}
