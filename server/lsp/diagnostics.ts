// Diagnostics: opportunities (Information or Hint, by setting) and problems (Warning). Each carries a code whose page
// in docs/checks/ explains the check; the link is a file: URL next to the installed server so it works offline.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LoopFinding, ParallelAnnotation } from '../core/index';
import type { DocumentResult } from './protocol';
import type { Settings } from './settings';
import { anchorRange, annotationFor, rangeOf, visibleFindings } from './view';

/** One page per code in docs/checks/<code>.md. */
export const checkCodes = [
  'parallel-loop', 'reduction-loop', 'independent-awaits', 'independent-await-in-loop', 'async-foreach',
  'unsafe-parallel-annotation', 'invalid-parallel-annotation',
] as const;
export type CheckCode = (typeof checkCodes)[number];

/** dist/server.js (or dist/cli.js) → ../docs/checks/; overridable for tests and unusual layouts. */
export function docsFolder(): string {
  return process.env.PARLENS_DOCS_DIR ?? join(__dirname, '..', 'docs', 'checks');
}

/** Hrefs by folder and code: a large file has hundreds of diagnostics, and making a file: URL is not free. */
const hrefs = new Map<string, string>();

export function checkHref(code: CheckCode): string {
  const folder = docsFolder();
  const key = `${folder}\u0000${code}`;
  let href = hrefs.get(key);
  if (href === undefined) {
    href = pathToFileURL(join(folder, `${code}.md`)).href;
    hrefs.set(key, href);
  }
  return href;
}

export function diagnosticsFor(result: Pick<DocumentResult, 'report' | 'annotations'>, doc: TextDocument, settings: Settings): Diagnostic[] {
  if (!settings.diagnostics.enable) return [];
  const opportunity = settings.diagnostics.opportunitySeverity === 'hint' ? DiagnosticSeverity.Hint : DiagnosticSeverity.Information;
  const out: Diagnostic[] = [];
  // Per call: the docs folder is read once per publication, not once per diagnostic.
  const hrefOf = new Map<CheckCode, string>();
  const href = (code: CheckCode): string => hrefOf.get(code) ?? hrefOf.set(code, checkHref(code)).get(code)!;
  const make = (code: CheckCode, severity: DiagnosticSeverity, range: Diagnostic['range'], message: string): Diagnostic => ({
    range, severity, source: 'parlens', code, codeDescription: { href: href(code) }, message,
  });
  const annotated = new Set<ParallelAnnotation>();
  for (const f of visibleFindings(result, settings)) {
    switch (f.kind) {
      case 'loop': {
        const annotation = annotationFor(f, result.annotations);
        if (annotation) {
          annotated.add(annotation);
          if ((f.verdict === 'sequential' || f.verdict === 'unknown') && !annotation.force) {
            out.push(make('unsafe-parallel-annotation', DiagnosticSeverity.Warning, rangeOf(doc, annotation.start, annotation.end), unsafeMessage(f)));
          }
        } else if (f.verdict === 'parallel' || f.verdict === 'reduction') {
          out.push(make(f.verdict === 'parallel' ? 'parallel-loop' : 'reduction-loop', opportunity, anchorRange(f, doc), f.message));
        }
        break;
      }
      case 'await':
        if (f.group.length > 1) out.push(make('independent-awaits', opportunity, anchorRange(f, doc), f.message));
        break;
      case 'await-in-loop':
        if (f.verdict === 'independent') out.push(make('independent-await-in-loop', opportunity, anchorRange(f, doc), f.message));
        break;
      case 'async-foreach':
        out.push(make('async-foreach', DiagnosticSeverity.Warning, anchorRange(f, doc), f.message));
        break;
    }
  }
  if (settings.loops.enable) {
    for (const a of result.annotations) {
      const problems = [...a.problems];
      if (a.loopLine === undefined && !a.call) problems.push('@parallel must stand directly above a loop statement (for, for…of, for…in, while) or a statement that is one xs.map/forEach/reduce(…) call');
      if (problems.length > 0) {
        out.push(make('invalid-parallel-annotation', DiagnosticSeverity.Warning, rangeOf(doc, a.start, a.end), `Malformed @parallel: ${problems.join('; ')}.`));
      }
    }
  }
  return out;
}

function unsafeMessage(f: LoopFinding): string {
  const why = f.dependencies[0]?.note ?? 'the analysis cannot prove the iterations independent';
  return `@parallel on a ${f.verdict} loop would make its iterations race: ${why}. Fix the dependence, remove the annotation, or write '// @parallel force' if you are sure.`;
}
