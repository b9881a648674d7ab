// The six-task DAG of the course notes: T1..T6 take 10, 5, 15, 5, 20, 10 units; T4 needs T1, T5 needs T2,
// T6 needs T4 and T5. The speedup model gives work, span and a three-worker schedule; then the DAG runs
// for real on three workers with each unit a few milliseconds of blocking wait (a stand-in for work that
// occupies a worker; a wait, not a spin, so three workers fit on a two-core machine).
// Run: npx tsx examples/task-dag.ts

import { createPool, get, type Pool } from '../runtime/index';
import { listSchedule, workSpan, speedup, efficiency, type Task } from '../server/core/model/speedup';
import { reportTime } from './timing';

export const dagTasks: Task[] = [
  { id: 'T1', duration: 10, dependsOn: [] },
  { id: 'T2', duration: 5, dependsOn: [] },
  { id: 'T3', duration: 15, dependsOn: [] },
  { id: 'T4', duration: 5, dependsOn: ['T1'] },
  { id: 'T5', duration: 20, dependsOn: ['T2'] },
  { id: 'T6', duration: 10, dependsOn: ['T4', 'T5'] },
];

/** One task: occupies its worker for `units` × `msPerUnit`, then records its name after its inputs. */
export function runStep(name: string, units: number, msPerUnit: number, ...inputs: string[]): string {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, units * msPerUnit);
  return inputs.length === 0 ? name : `${name}(${inputs.join(',')})`;
}

export function runDagSequential(msPerUnit: number): string[] {
  const t1 = runStep('T1', 10, msPerUnit);
  const t2 = runStep('T2', 5, msPerUnit);
  const t3 = runStep('T3', 15, msPerUnit);
  const t4 = runStep('T4', 5, msPerUnit, t1);
  const t5 = runStep('T5', 20, msPerUnit, t2);
  const t6 = runStep('T6', 10, msPerUnit, t4, t5);
  return [t3, t6];
}

export async function runDagParallel(pool: Pool, msPerUnit: number): Promise<string[]> {
  const step = pool.task(runStep, { name: 'step' });
  // Costs (in ms) let the scheduler put the critical path T2 → T5 → T6 first.
  const sized = (name: string, units: number) => step.with({ name, cost: units * msPerUnit });
  const t1 = sized('T1', 10)('T1', 10, msPerUnit);
  const t2 = sized('T2', 5)('T2', 5, msPerUnit);
  const t3 = sized('T3', 15)('T3', 15, msPerUnit);
  const t4 = sized('T4', 5)('T4', 5, msPerUnit, t1);
  const t5 = sized('T5', 20)('T5', 20, msPerUnit, t2);
  const t6 = sized('T6', 10)('T6', 10, msPerUnit, t4, t5);
  return get([t3, t6]);
}

function printModel(workers: number): void {
  const shape = workSpan(dagTasks);
  const plan = listSchedule(dagTasks, workers);
  console.log(`model: work ${shape.work} units, span ${shape.span} units (critical path ${shape.criticalPath.join(' → ')}), parallelism ${shape.parallelism.toFixed(2)}`);
  console.log(`model: ${workers} workers finish in ${plan.makespan} units: speedup ${plan.speedup.toFixed(2)}x, efficiency ${(plan.efficiency * 100).toFixed(0)}%`);
}

async function main(): Promise<void> {
  const workers = 3;
  const msPerUnit = 5;
  printModel(workers);
  const pool = createPool({ workers });
  try {
    await get(pool.task(runStep)('warm-up', 0, 0)); // start the workers outside the timing
    const sequential = reportTime('sequential', () => runDagSequential(msPerUnit));
    const parallel = await reportTime('parlens   ', () => runDagParallel(pool, msPerUnit));
    const measured = speedup(sequential.ms, parallel.ms);
    console.log(`results: ${parallel.value.join(' ')} (sequential: ${sequential.value.join(' ')})`);
    console.log(`measured: ${(sequential.ms / msPerUnit).toFixed(1)} → ${(parallel.ms / msPerUnit).toFixed(1)} units, speedup ${measured.toFixed(2)}x, efficiency ${(efficiency(measured, workers) * 100).toFixed(0)}%`);
  } finally {
    await pool.close();
  }
}

if (require.main === module) void main();
