// The analysis core's public surface. Pure library: no editor, no LSP, no process I/O beyond reading files.
export * from './findings';
export { analyzeSource } from './analyzeSource';
export type { AnalyzeOptions } from './analyzeSource';
export { analyzeFile } from './analyzeFiles';
export { collectSourceFiles } from './collectFiles';
export type { CollectedFiles } from './collectFiles';
export * from './annotations';
export { startAnalysis, updateAnalysis, canonicalReport, moveFinding } from './incremental';
export type { IncrementalState } from './incremental';
export { applyEdits, chooseFixes, preferredFix } from './fixes';
