import { parseSource, syntaxErrors } from './syntax/parse';
import type { FileReport, Finding } from './findings';
import { ScopeResolver } from './scope/resolver';
import { EffectSummaries } from './effects/summaries';
import { findLoops } from './loops/sites';
import { analyzeLoop } from './loops/analyzeLoop';
import { analyzeFutures } from './futures/analyzeFutures';

export interface AnalyzeOptions {
  /** Skip files larger than this many characters (default 20 MB) with a message instead of analysing them. */
  maxFileSize?: number;
  /** Analyse loops for parallelism (default true). */
  loops?: boolean;
  /** Analyse awaits: the await graph, awaits in loops, async forEach callbacks (default true). */
  futures?: boolean;
  /** Latency of each await by 1-based line, for the await-graph estimates; unlisted awaits count 1. */
  awaitLatencies?: ReadonlyMap<number, number>;
}

const DEFAULT_MAX_FILE_SIZE = 20_000_000;

/** Analyses one file's text. Never throws for bad input: problems go to `errors`, and what could be analysed is. */
export function analyzeSource(fileName: string, text: string, options: AnalyzeOptions = {}): FileReport {
  const report: FileReport = { file: fileName, findings: [], errors: [] };
  const limit = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (text.length > limit) {
    report.errors.push(`skipped: the file has ${text.length} characters, more than the limit of ${limit}; raise maxFileSize to analyse it`);
    return report;
  }
  const sourceFile = parseSource(fileName, text);
  const syntax = syntaxErrors(sourceFile);
  if (syntax.length > 0) report.errors.push(`syntax errors (loops in the damaged part may be missed): ${syntax.join('; ')}`);
  const resolver = new ScopeResolver(sourceFile);
  const summaries = new EffectSummaries(resolver);
  const findings: Finding[] = [];
  for (const site of options.loops === false ? [] : findLoops(sourceFile, resolver)) {
    try {
      findings.push(analyzeLoop(site, resolver, summaries, fileName));
    } catch (error) {
      const { line } = sourceFile.getLineAndCharacterOfPosition(site.node.getStart(sourceFile));
      report.errors.push(`line ${line + 1}: internal error while analysing this loop (${(error as Error).message}); please report it with the loop's code`);
    }
  }
  if (options.futures !== false) {
    try {
      findings.push(...analyzeFutures(sourceFile, resolver, summaries, fileName, { latencies: options.awaitLatencies }));
    } catch (error) {
      report.errors.push(`internal error in the futures analysis (${(error as Error).message}); loops were still analysed — please report it with the file`);
    }
  }
  report.findings = withoutLoopsAnsweredByFutures(findings).sort((a, b) => a.line - b.line || a.column - b.column);
  return report;
}

/**
 * A loop whose body awaits is about concurrency, not worker-thread parallelism: its await-in-loop verdict is the
 * one that matters, and a second, CPU-parallel verdict on the same loop would only confuse.
 */
function withoutLoopsAnsweredByFutures(findings: Finding[]): Finding[] {
  const awaitLoops = new Set(findings.filter((f) => f.kind === 'await-in-loop' && f.span).map((f) => f.span!.start));
  if (awaitLoops.size === 0) return findings;
  return findings.filter((f) => f.kind !== 'loop' || !f.span || !awaitLoops.has(f.span.start));
}
