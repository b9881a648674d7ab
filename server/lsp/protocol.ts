// Messages between the language server's main thread and its analysis worker. Plain data only: no LSP types, so the
// worker bundle stays small and the main thread never blocks on the analyzer.
import type { FileReport, ParallelAnnotation } from '../core/index';

export interface DocumentResult {
  uri: string;
  version: number;
  report: FileReport;
  annotations: ParallelAnnotation[];
  /** Milliseconds the analysis took in the worker, and how much of the file it redid. */
  ms: number;
  reanalysedUnits: number;
  reusedUnits: number;
  /** Set when the analyzer failed on this text: the document then has no findings. */
  failure?: string;
}

export interface FileResult {
  id: number;
  path: string;
  report: FileReport;
  annotations: ParallelAnnotation[];
  failure?: string;
}

export type ToWorker =
  | { type: 'update'; uri: string; fileName: string; version: number; text: string }
  | { type: 'close'; uri: string }
  | { type: 'file'; id: number; path: string };

export type FromWorker =
  | ({ type: 'document' } & DocumentResult)
  | ({ type: 'file' } & FileResult);
