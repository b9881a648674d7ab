// Messages between the language server's main thread and its analysis worker. Plain data only: no LSP types, so the
// worker bundle stays small and the main thread never blocks on the analyzer.
//
// Both directions send what changed, not everything, once the other side has the previous state: the main thread sends
// an edit (the changed range of the text the worker has), the worker sends the findings as runs of the findings it
// posted last for that document plus the new ones. Copying a 5,000-line file and its 1,600 findings between the
// threads on every keystroke cost more than re-analysing the edited function.
import type { FileReport, Finding, ParallelAnnotation } from '../core/index';

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
  /** The text the worker last got for `uri` with `[start, end)` replaced by `insert`. */
  | { type: 'edit'; uri: string; fileName: string; version: number; start: number; end: number; insert: string }
  | { type: 'close'; uri: string }
  | { type: 'file'; id: number; path: string };

/**
 * A document's findings: `[from, to)` of the findings posted in the message numbered `base` for the same document,
 * or new findings. `base` is undefined when every part is new.
 */
export interface FindingsDelta {
  base: number | undefined;
  parts: ({ from: number; to: number } | Finding[])[];
}

/** A document result as posted: `report.findings` travels as `findings` (a delta), numbered `seq` per worker. */
export type PostedDocument = Omit<DocumentResult, 'report'> & {
  seq: number;
  report: Omit<FileReport, 'findings'>;
  findings: FindingsDelta;
};

export type FromWorker =
  | ({ type: 'document' } & PostedDocument)
  | ({ type: 'file' } & FileResult);
