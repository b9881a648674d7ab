// The analysis core's public surface. Pure library: no editor, no LSP, no process I/O beyond reading files.
export * from './findings';
export { analyzeSource } from './analyzeSource';
export type { AnalyzeOptions } from './analyzeSource';
export { analyzeFile } from './analyzeFiles';
export { collectSourceFiles } from './collectFiles';
export type { CollectedFiles } from './collectFiles';
export { applyEdits, chooseFixes, preferredFix } from './fixes';
export * from './annotations';
