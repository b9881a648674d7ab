// Does the analysis allow this `@parallel`? A dependence the analysis found is a build error, like a type
// error, unless the annotation says `force`; so is `unknown`. Reductions and outside temporaries must be
// named in clauses: the clauses then document what the compiled loop does, and a change to the loop that
// turns a temporary into a real dependence cannot slip through.
import type { LoopFinding } from '../core/findings';
import type { ParallelAnnotation } from '../core/annotations';

export interface VerdictProblem {
  text: string;
  /** Lines the problem involves, for notes pointing at the code. */
  lines: { line: number; text: string }[];
}

const forceHint = "If you are sure the iterations are independent (the analysis cannot see everything), write '// @parallel force'.";

/** Problems that refuse the annotation; empty when the loop may be compiled. `outside` lists variables declared outside the loop. */
export function checkVerdict(annotation: ParallelAnnotation, finding: LoopFinding, outside: (name: string) => boolean): VerdictProblem[] {
  if (annotation.force) return [];
  const problems: VerdictProblem[] = [];
  if (finding.verdict === 'sequential') {
    const lines = finding.dependencies.map((d) => ({
      line: d.line,
      text: `${d.kind} dependence on '${d.variable}': ${d.note ?? 'between iterations'}${d.otherLine !== undefined ? ` (lines ${d.line} and ${d.otherLine})` : ` (line ${d.line})`}`,
    }));
    const first = finding.dependencies[0];
    const summary = first
      ? `a ${first.kind} dependence on '${first.variable}'${first.otherLine !== undefined ? ` between lines ${first.line} and ${first.otherLine}` : ` at line ${first.line}`}${first.distance !== undefined ? ` (distance ${first.distance})` : ''}`
      : 'a dependence';
    problems.push({
      text: `@parallel loop at line ${finding.line} has ${summary}: iterations depend on each other, so running them in parallel would change the result. ${finding.message} Restructure the loop or remove @parallel. ${forceHint}`,
      lines,
    });
    return problems;
  }
  if (finding.verdict === 'unknown') {
    const reasons = finding.dependencies.map((d) => `'${d.variable}' (${d.kind}, line ${d.line}${d.otherLine !== undefined ? ` and ${d.otherLine}` : ''})${d.note ? `: ${d.note}` : ''}`);
    problems.push({
      text: `@parallel loop at line ${finding.line}: the analysis cannot prove the iterations independent. ${finding.message}${reasons.length ? ` Possible dependences: ${reasons.join('; ')}.` : ''} ${forceHint}`,
      lines: finding.dependencies.map((d) => ({ line: d.line, text: `possible ${d.kind} dependence on '${d.variable}'` })),
    });
    return problems;
  }
  for (const reduction of finding.reductions) {
    const given = annotation.reductions.find((r) => r.variable === reduction.variable);
    if (!given) {
      problems.push({ text: `@parallel loop at line ${finding.line} reduces '${reduction.variable}' with ${reduction.operator}: add reduction(${reduction.operator}: ${reduction.variable}) to the annotation so each worker keeps its own partial result.`, lines: [] });
    } else if (given.operator !== reduction.operator) {
      problems.push({ text: `reduction(${given.operator}: ${given.variable}) does not match the loop, which combines '${reduction.variable}' with ${reduction.operator}: write reduction(${reduction.operator}: ${reduction.variable}).`, lines: [] });
    }
  }
  for (const given of annotation.reductions) {
    if (!finding.reductions.some((r) => r.variable === given.variable)) {
      problems.push({ text: `reduction(${given.operator}: ${given.variable}): the analysis finds no reduction of '${given.variable}' in this loop; remove the clause (or use 'force' if the analysis is wrong).`, lines: [] });
    }
  }
  for (const variable of finding.privates) {
    if (outside(variable) && !annotation.privates.includes(variable)) {
      problems.push({ text: `@parallel loop at line ${finding.line} uses '${variable}', declared outside the loop, as a per-iteration temporary: add private(${variable}) (each iteration then gets its own; '${variable}' keeps its value from before the loop), or declare it inside the loop.`, lines: [] });
    }
  }
  return problems;
}
