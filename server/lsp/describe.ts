// Short words for findings: code lens titles and diagnostic messages. One line each; the full story is explain.ts.
import type { AwaitFinding, Dependence, DependenceKind, Finding, LoopFinding } from '../core/index';

const dependenceWords: Record<DependenceKind, string> = {
  flow: 'carried', anti: 'overwritten later', output: 'rewritten', io: 'I/O order', call: 'call effects', control: 'early exit', alias: 'may alias',
};

export function dependenceShort(d: Dependence): string {
  return `${d.access ?? d.variable} ${dependenceWords[d.kind]} (line ${d.line})`;
}

/** `parallel · map over rows`, `sequential · a[i-1] carried (line 12)`, `reduction · sum (+)`: verdict first, always. */
export function loopTitle(f: LoopFinding, text?: SourceText): string {
  switch (f.verdict) {
    case 'parallel': {
      const receiver = text !== undefined ? receiverOf(f, text) : undefined;
      const what = receiver ? `${f.construct} over ${receiver}` : 'independent iterations';
      return `parallel · ${what}${f.assumptions.length > 0 ? ` (assumes ${f.assumptions.length === 1 ? 'one thing' : `${f.assumptions.length} things`})` : ''}`;
    }
    case 'reduction':
      return `reduction · ${f.reductions.map((r) => `${r.variable} (${r.operator})`).join(', ')}`;
    case 'sequential':
    case 'unknown': {
      const first = f.dependencies[0];
      const more = f.dependencies.length > 1 ? ` +${f.dependencies.length - 1}` : '';
      return `${f.verdict} · ${first ? dependenceShort(first) : 'not proven'}${more}`;
    }
  }
}

/** The lens of an await: only on the first await of a group of independent ones. */
export function awaitGroupTitle(f: AwaitFinding): string {
  return `${f.group.length} independent awaits · Promise.all ≈ ${formatSpeedup(f.estimate.speedup)}`;
}

export function findingTitle(f: Finding, text?: SourceText): string {
  switch (f.kind) {
    case 'loop': return loopTitle(f, text);
    case 'await': return f.group.length > 1 ? awaitGroupTitle(f) : f.dependsOn.length > 0 ? `await · waits for line ${f.dependsOn.join(', ')}` : 'await';
    case 'await-in-loop':
      return f.verdict === 'independent' ? 'independent awaits in loop · Promise.all(map)'
        : `${f.verdict} awaits in loop · ${f.dependencies[0] ? dependenceShort(f.dependencies[0]) : `${f.awaits} await${f.awaits === 1 ? '' : 's'} per iteration`}`;
    case 'async-foreach': return 'async forEach · nothing waits for the callbacks';
  }
}

export function formatSpeedup(s: number): string {
  return Number.isFinite(s) ? `${s.toFixed(1)}×` : 'unbounded';
}

/** The analysed text with a fast 1-based line/column → offset (a TextDocument's line index). */
export interface SourceText {
  text: string;
  offsetOf(line: number, column: number): number;
}

/** `rows` in `rows.map(...)`: the text between the call's start and the `.` before the method name. */
function receiverOf(f: LoopFinding, source: SourceText): string | undefined {
  if (!f.span || ['for', 'for-of', 'for-in', 'while', 'do-while'].includes(f.construct)) return undefined;
  const anchor = source.offsetOf(f.line, f.column);
  const receiver = source.text.slice(f.span.start, anchor).replace(/\?*\.\s*$/, '').replace(/\s+/g, ' ').trim();
  if (receiver === '') return undefined;
  return receiver.length > 24 ? `${receiver.slice(0, 23)}…` : receiver;
}
