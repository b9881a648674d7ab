import { parseSource, syntaxErrors } from './syntax/parse';
import type { FileReport, Finding } from './findings';
import { ScopeResolver } from './scope/resolver';
import { EffectSummaries } from './effects/summaries';
import { findLoops } from './loops/sites';
import { analyzeLoop } from './loops/analyzeLoop';

export interface AnalyzeOptions {
  /** Skip files larger than this many characters (default 20 MB) with a message instead of analysing them. */
  maxFileSize?: number;
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
  for (const site of findLoops(sourceFile, resolver)) {
    try {
      findings.push(analyzeLoop(site, resolver, summaries, fileName));
    } catch (error) {
      const { line } = sourceFile.getLineAndCharacterOfPosition(site.node.getStart(sourceFile));
      report.errors.push(`line ${line + 1}: internal error while analysing this loop (${(error as Error).message}); please report it with the loop's code`);
    }
  }
  report.findings = findings;
  return report;
}
