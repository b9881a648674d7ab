// Calls: I/O and hidden state order the iterations; calls that write shared state or that nobody can see into do too.
import type { LoopCheck, ScoredDependence } from './types';

export const callEffects: LoopCheck = {
  name: 'call-effects',
  run(_ctx, facts) {
    const dependencies: ScoredDependence[] = [];
    const seen = new Set<string>();
    for (const e of facts.effects) {
      const key = `${e.kind}:${e.variable}:${e.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      switch (e.kind) {
        case 'io':
          dependencies.push({ variable: e.variable, kind: 'io', line: e.line, certain: true, note: e.note });
          break;
        case 'hidden-state':
        case 'outer-write':
          dependencies.push({ variable: e.variable, kind: 'call', line: e.line, certain: true, note: e.note });
          break;
        case 'unknown-call':
          dependencies.push({ variable: e.variable, kind: 'call', line: e.line, certain: false, note: e.note });
          break;
        case 'unknown-write':
          dependencies.push({ variable: e.variable, kind: 'alias', line: e.line, certain: false, note: e.note });
          break;
      }
    }
    return { dependencies };
  },
};
