import { readFileSync } from 'node:fs';
import type { FileReport } from './findings';
import { analyzeSource, type AnalyzeOptions } from './analyzeSource';

/** Reads and analyses each file; an unreadable file becomes a report with an error, never an exception. */
export function analyzeFile(path: string, options: AnalyzeOptions = {}): FileReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { file: path, findings: [], errors: [`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`] };
  }
  try {
    return analyzeSource(path, text, options);
  } catch (error) {
    return { file: path, findings: [], errors: [`internal error while analysing: ${(error as Error).message}; please report it with this file`] };
  }
}
