// Futures analysis entry point: the await graph of every async body, awaits in loops, async forEach callbacks.
// (Being built in issue 3; the signature is the contract the language server and analyzeSource use.)
import type { ts } from '../syntax/parse';
import type { Finding } from '../findings';
import type { ScopeResolver } from '../scope/resolver';
import type { EffectSummaries } from '../effects/summaries';

export interface FuturesOptions {
  /** Only analyse async bodies that start inside these nodes (for incremental re-analysis); default: the whole file. */
  within?: readonly ts.Node[];
  /** Latency of each await in milliseconds or any unit, by 1-based line; unlisted awaits count 1. */
  latencies?: ReadonlyMap<number, number>;
}

export function analyzeFutures(
  sourceFile: ts.SourceFile, resolver: ScopeResolver, summaries: EffectSummaries, fileName: string, options: FuturesOptions = {},
): Finding[] {
  void sourceFile; void resolver; void summaries; void fileName; void options;
  return [];
}
