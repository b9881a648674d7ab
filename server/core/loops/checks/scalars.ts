// Variables shared by the iterations: private when every iteration writes before it reads, a reduction when every
// access is an update with one associative operator, otherwise a flow dependence carried from one iteration to the next.
import type { Reduction, ReductionOperator } from '../../findings';
import type { LoopCheck, ScoredDependence } from './types';
import type { ScalarEvent } from '../walker';

export const scalars: LoopCheck = {
  name: 'scalars',
  run(_ctx, facts) {
    const byBinding = new Map<number, ScalarEvent[]>();
    for (const e of facts.scalars) {
      const list = byBinding.get(e.binding.id);
      if (list) list.push(e);
      else byBinding.set(e.binding.id, [e]);
    }
    const dependencies: ScoredDependence[] = [];
    const reductions: Reduction[] = [];
    const privates: string[] = [];
    for (const events of byBinding.values()) {
      const name = events[0].binding.name;
      const writes = events.filter((e) => e.access !== 'read');
      if (writes.length === 0) continue;
      const op = commonReductionOperator(events);
      if (op) {
        reductions.push({ variable: name, operator: op });
        continue;
      }
      const exposedRead = events.find((e) => e.access !== 'write' && e.exposed);
      if (!exposedRead) {
        privates.push(name);
        continue;
      }
      const write = writes[writes.length - 1];
      const updatesOnly = events.some((e) => e.op) && events.every((e) => e.op || e.access === 'read');
      dependencies.push({
        variable: name,
        kind: 'flow',
        line: write.line,
        otherLine: exposedRead.line,
        certain: true,
        note: updatesOnly
          ? `${name} is updated at line ${write.line} and also read at line ${exposedRead.line}, so each iteration needs the running value of the ones before it`
          : `${name} is read at line ${exposedRead.line} before this iteration writes it, so it sees the value written at line ${write.line} by the previous iteration`,
      });
    }
    return { dependencies, reductions, privates };
  },
};

/** The one reduction operator of a variable, if every access to it in the loop is such an update. */
export function commonReductionOperator(events: readonly { access: string; op?: ReductionOperator }[]): ReductionOperator | undefined {
  let op: ReductionOperator | undefined;
  for (const e of events) {
    if (!e.op) return undefined;
    if (op && op !== e.op) return undefined;
    op = e.op;
  }
  return op;
}
