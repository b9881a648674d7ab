// The CLI's answer for the same folder, as the reference the editor must agree with: the language server and the
// CLI run one analysis core, so lenses, hovers and the workspace summary must say what the CLI says.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

export type Verdict = 'parallel' | 'reduction' | 'sequential' | 'unknown';

export interface CliReport {
  /** Loop findings: absolute file, 1-based line, verdict. */
  loops: { file: string; line: number; verdict: Verdict }[];
  files: number;
  counts: Record<Verdict, number>;
}

export function analyzeWithCli(folder: string): CliReport {
  const cli = join(repoRoot, 'dist', 'cli.js');
  const run = (format: string) => execFileSync(process.execPath, [cli, 'analyze', folder, '--format', format], { encoding: 'utf8', timeout: 120_000 });
  const json = JSON.parse(run('json')) as { findings: { file: string; line: number; kind: string; verdict: Verdict }[] };
  const summary = /^(\d+) loops? in (\d+) files?: (\d+) parallel, (\d+) reduction, (\d+) sequential, (\d+) unknown$/m.exec(run('text'));
  if (!summary) throw new Error('The CLI text output has no summary line; has its format changed? (server/cli/format.ts)');
  const [, , files, parallel, reduction, sequential, unknown] = summary.map(Number);
  return {
    loops: json.findings.filter((finding) => finding.kind === 'loop').map(({ file, line, verdict }) => ({ file, line, verdict })),
    files,
    counts: { parallel, reduction, sequential, unknown },
  };
}
