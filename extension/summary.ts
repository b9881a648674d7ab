// Turns the server's workspace summary into the one-line message the user sees after "Analyze Workspace".
import type { WorkspaceSummary } from './protocol';

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function formatSummary(summary: WorkspaceSummary): string {
  const verb = summary.cancelled ? 'Parlens analysis cancelled after' : 'Parlens analysed';
  const head = `${verb} ${plural(summary.files, 'file')}: ${plural(summary.loops, 'loop')}`;
  const verdicts = `${summary.parallel} parallel, ${summary.reduction} reduction, ${summary.sequential} sequential, ${summary.unknown} unknown`;
  const awaits = plural(summary.awaitOpportunities, 'await opportunity', 'await opportunities');
  const problems = summary.errors.length > 0
    ? ` ${plural(summary.errors.length, 'problem')}: ${summary.errors[0]}${summary.errors.length > 1 ? ' (more in Parlens: Show Output)' : ''}.`
    : '';
  return `${head} (${verdicts}); ${awaits}.${problems}`;
}
