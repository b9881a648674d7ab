// How `parlens analyze` prints findings: like a linter for people, one JSON object for machines.
import { relative } from 'node:path';
import type { FileReport, Finding, Fix } from '../core/findings';

export const JSON_FORMAT_VERSION = 1;

/** The JSON contract: exactly the documented fields, lists always present. */
export function toJson(reports: readonly FileReport[]): string {
  const findings = reports.flatMap((r) => r.findings).map(publicFinding);
  return JSON.stringify({ version: JSON_FORMAT_VERSION, findings }, null, 2);
}

function publicFinding(f: Finding): object {
  const common = {
    file: f.file, line: f.line, column: f.column, kind: f.kind, message: f.message,
    dependencies: f.dependencies.map((d) => ({ variable: d.variable, ...(d.access !== undefined ? { access: d.access } : {}), kind: d.kind, line: d.line, ...(d.otherLine !== undefined ? { otherLine: d.otherLine } : {}), ...(d.distance !== undefined ? { distance: d.distance } : {}) })),
  };
  switch (f.kind) {
    case 'loop':
      return { ...common, construct: f.construct, verdict: f.verdict, reductions: f.reductions, privates: f.privates, assumptions: f.assumptions };
    case 'await':
      return { ...common, function: f.function, dependsOn: f.dependsOn, alreadyConcurrent: f.alreadyConcurrent, estimate: f.estimate, group: f.group, fixes: f.fixes.map(publicFix) };
    case 'await-in-loop':
      return { ...common, construct: f.construct, verdict: f.verdict, awaits: f.awaits, fixes: f.fixes.map(publicFix) };
    case 'async-foreach':
      return { ...common, fixes: f.fixes.map(publicFix) };
  }
}

function publicFix(fix: Fix): object {
  return { title: fix.title, description: fix.description };
}

export function toText(reports: readonly FileReport[], cwd: string, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const verdictColor: Record<string, string> = {
    parallel: '32', reduction: '36', sequential: '33', unknown: '35', independent: '32', dependent: '33', concurrent: '32', bug: '31',
  };
  const lines: string[] = [];
  const loops: Record<string, number> = { parallel: 0, reduction: 0, sequential: 0, unknown: 0 };
  const awaitLoops: Record<string, number> = { independent: 0, dependent: 0, unknown: 0 };
  let groups = 0;
  let asyncForEach = 0;
  for (const report of reports) {
    for (const f of report.findings) {
      let label: string;
      switch (f.kind) {
        case 'loop':
          loops[f.verdict]++;
          label = f.verdict;
          break;
        case 'await-in-loop':
          awaitLoops[f.verdict]++;
          label = f.verdict;
          break;
        case 'async-foreach':
          asyncForEach++;
          label = 'bug';
          break;
        case 'await':
          // One line per group of awaits that can start together; the per-await detail is in the JSON.
          if (f.group.length < 2) continue;
          groups++;
          label = 'concurrent';
          break;
      }
      const where = `${relative(cwd, f.file) || f.file}:${f.line}:${f.column}`;
      const tag = f.kind === 'loop' ? '' : `[${f.kind}] `;
      lines.push(`${where}  ${paint(verdictColor[label], label.padEnd(11))} ${tag}${f.message}`);
    }
  }
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const files = reports.length;
  const loopCount = total(loops);
  lines.push('');
  lines.push(`${loopCount} loop${loopCount === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}: ${loops.parallel} parallel, ${loops.reduction} reduction, ${loops.sequential} sequential, ${loops.unknown} unknown`);
  const awaitLoopCount = total(awaitLoops);
  if (awaitLoopCount + groups + asyncForEach > 0) {
    lines.push(`${awaitLoopCount} await-in-loop${awaitLoopCount === 1 ? '' : 's'}: ${awaitLoops.independent} independent, ${awaitLoops.dependent} dependent, ${awaitLoops.unknown} unknown; ${groups} group${groups === 1 ? '' : 's'} of awaits that can start together; ${asyncForEach} async forEach callback${asyncForEach === 1 ? '' : 's'}`);
  }
  return lines.join('\n');
}
