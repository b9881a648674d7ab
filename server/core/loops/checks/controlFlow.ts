// break, return, throw and labelled jumps out of the body end the loop early: later iterations depend on earlier ones.
import type { LoopCheck } from './types';

export const controlFlow: LoopCheck = {
  name: 'control-flow',
  run(_ctx, facts) {
    return {
      dependencies: facts.controls.map((c) => ({
        variable: c.keyword.split(' ')[0],
        kind: 'control' as const,
        line: c.line,
        certain: true,
        note: `\`${c.keyword}\` at line ${c.line} can end the loop early, so whether an iteration runs depends on the ones before it`,
      })),
    };
  },
};
