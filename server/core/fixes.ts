// Applying the rewrites the core proves safe: pick at most one fix per finding, never two that overlap,
// and apply their edits back to front so earlier offsets stay valid.
import type { Finding, Fix, TextEdit } from './findings';

/** The fix `--fix` applies for a finding: the first it offers (Promise.all before bounded or sequential variants). */
export function preferredFix(finding: Finding): Fix | undefined {
  return 'fixes' in finding ? finding.fixes[0] : undefined;
}

/** Fixes to apply together: the preferred fix of each finding, skipping any that overlaps one already chosen. */
export function chooseFixes(findings: readonly Finding[]): Fix[] {
  const candidates = findings.map(preferredFix).filter((f): f is Fix => f !== undefined && f.edits.length > 0);
  candidates.sort((a, b) => a.edits[0].start - b.edits[0].start);
  const chosen: Fix[] = [];
  const taken: TextEdit[] = [];
  for (const fix of candidates) {
    if (fix.edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
    chosen.push(fix);
    taken.push(...fix.edits);
  }
  return chosen;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at one point would interleave unpredictably; treat them as overlapping too.
  return a.start < b.end && b.start < a.end || a.start === b.start;
}

/** The text with the edits applied. Edits must not overlap; they may come in any order. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].end > sorted[i - 1].start) throw new Error('applyEdits: overlapping edits; apply one fix at a time');
  }
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
