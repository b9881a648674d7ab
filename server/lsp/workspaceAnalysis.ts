// `parlens.server.analyzeWorkspace`: analyses every source file of the workspace folders in the worker, publishes
// each file's diagnostics, reports progress (window/workDoneProgress/create + $/progress) and stops on cancel.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { collectSourceFiles } from '../core/index';
import type { AnalysisService } from './analysisService';
import { diagnosticsFor } from './diagnostics';
import { isExcluded } from './glob';
import type { DocumentResult, FileResult } from './protocol';
import type { Settings } from './settings';

export interface WorkspaceSummary {
  files: number;
  loops: number;
  parallel: number;
  reduction: number;
  sequential: number;
  unknown: number;
  /** Groups of independent awaits and loops of independent awaits: places where Promise.all would help. */
  awaitOpportunities: number;
  /** `<file>: <problem>` for every file that could not be (fully) analysed. */
  errors: string[];
  /** True when the run was cancelled; the counts cover the files done so far. */
  cancelled: boolean;
}

export interface WorkspaceDeps {
  connection: Connection;
  analysis: AnalysisService;
  settings: () => Settings;
  roots: () => Promise<string[]>;
  /** The live result of a document open in the editor (its unsaved text wins over the file on disk). */
  openResult: (uri: string) => DocumentResult | undefined;
  status: (state: 'idle' | 'analyzing', detail: string) => void;
}

export async function analyzeWorkspace(deps: WorkspaceDeps, token: CancellationToken): Promise<WorkspaceSummary> {
  const { connection, analysis } = deps;
  const roots = await deps.roots();
  const summary: WorkspaceSummary = { files: 0, loops: 0, parallel: 0, reduction: 0, sequential: 0, unknown: 0, awaitOpportunities: 0, errors: [], cancelled: false };
  if (roots.length === 0) {
    summary.errors.push('no workspace folder is open: open a folder, then run Parlens: Analyze Workspace again');
    return summary;
  }
  const settings = deps.settings();
  const { files, problems } = collectSourceFiles(roots);
  summary.errors.push(...problems);
  const targets = files.filter((f) => !isExcluded(f, settings.exclude, roots));
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('Parlens: analysing the workspace', 0, `${targets.length} files`, true);
  deps.status('analyzing', `workspace: 0/${targets.length} files`);
  try {
    for (let i = 0; i < targets.length; i++) {
      if (token.isCancellationRequested || progress.token.isCancellationRequested) {
        summary.cancelled = true;
        break;
      }
      const path = targets[i];
      const uri = pathToFileURL(path).href;
      const result = deps.openResult(uri) ?? await analysis.analyzeFile(path);
      count(summary, result, path);
      if (!deps.openResult(uri)) publish(deps, uri, path, result as FileResult, settings);
      progress.report(Math.round(((i + 1) / targets.length) * 100), `${i + 1}/${targets.length} ${path.slice(path.lastIndexOf('/') + 1)}`);
      deps.status('analyzing', `workspace: ${i + 1}/${targets.length} files`);
    }
  } finally {
    progress.done();
    deps.status('idle', summary.cancelled ? `workspace analysis cancelled after ${summary.files} files` : `${summary.files} files analysed`);
  }
  return summary;
}

function count(summary: WorkspaceSummary, result: Pick<FileResult, 'report' | 'failure'>, path: string): void {
  summary.files++;
  if (result.failure) summary.errors.push(`${path}: ${result.failure}`);
  for (const e of result.report.errors) summary.errors.push(`${path}: ${e}`);
  for (const f of result.report.findings) {
    if (f.kind === 'loop') {
      summary.loops++;
      summary[f.verdict]++;
    } else if ((f.kind === 'await' && f.group.length > 1) || (f.kind === 'await-in-loop' && f.verdict === 'independent')) {
      summary.awaitOpportunities++;
    }
  }
}

function publish(deps: WorkspaceDeps, uri: string, path: string, result: FileResult, settings: Settings): void {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // The worker already reported why the file cannot be read; publish nothing for it.
  }
  const doc = TextDocument.create(uri, 'typescript', 0, text);
  void deps.connection.sendDiagnostics({ uri, diagnostics: text ? diagnosticsFor(result, doc, settings) : [] });
}
