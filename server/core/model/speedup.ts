// The one speedup model of Parlens. Server, CLI, profiler and webviews all import these functions;
// no other module computes a speedup, an efficiency or a schedule.

/** Amdahl's law: speedup on `workers` when a fraction `parallelFraction` of the work parallelises perfectly. */
export function amdahlSpeedup(parallelFraction: number, workers: number): number {
  checkFraction(parallelFraction);
  checkWorkers(workers);
  return 1 / ((1 - parallelFraction) + parallelFraction / workers);
}

/** The limit of Amdahl's law as workers grow without bound: 1 / (1 - p). */
export function amdahlLimit(parallelFraction: number): number {
  checkFraction(parallelFraction);
  return parallelFraction === 1 ? Infinity : 1 / (1 - parallelFraction);
}

/** Inverts Amdahl's law: the parallel fraction that explains a measured speedup on `workers`. */
export function parallelFractionFromSpeedup(speedup: number, workers: number): number {
  checkWorkers(workers);
  if (workers === 1) return NaN;
  if (!(speedup > 0)) throw new RangeError(`speedup must be positive, got ${speedup}`);
  return (1 - 1 / speedup) / (1 - 1 / workers);
}

/** Gustafson's law: scaled speedup when the parallel part grows with the machine. */
export function gustafsonSpeedup(parallelFraction: number, workers: number): number {
  checkFraction(parallelFraction);
  checkWorkers(workers);
  return workers - (1 - parallelFraction) * (workers - 1);
}

export function speedup(sequentialTime: number, parallelTime: number): number {
  if (!(parallelTime > 0)) throw new RangeError(`parallel time must be positive, got ${parallelTime}`);
  return sequentialTime / parallelTime;
}

/** Efficiency = speedup / workers. */
export function efficiency(speedupValue: number, workers: number): number {
  checkWorkers(workers);
  return speedupValue / workers;
}

export interface Task {
  id: string;
  duration: number;
  /** Ids of the tasks whose results this one needs. */
  dependsOn: readonly string[];
}

export interface WorkSpan {
  /** Total work: the time on one worker. */
  work: number;
  /** Span: the length of the critical path, the time on unboundedly many workers. */
  span: number;
  /** The task ids along one critical path, first to last. */
  criticalPath: string[];
  /** work / span: the most speedup any number of workers can give. */
  parallelism: number;
}

/** Work, span and critical path of a task DAG. Throws on cycles or unknown dependencies. */
export function workSpan(tasks: readonly Task[]): WorkSpan {
  const order = topologicalOrder(tasks);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  let work = 0;
  for (const id of order) {
    const task = byId.get(id)!;
    work += task.duration;
    let start = 0;
    let before: string | undefined;
    for (const dep of task.dependsOn) {
      const f = finish.get(dep)!;
      if (before === undefined || f > start) { start = f; before = dep; }
    }
    finish.set(id, start + task.duration);
    via.set(id, before);
  }
  let span = 0;
  let last: string | undefined;
  for (const id of order) {
    const f = finish.get(id)!;
    if (last === undefined || f > span) { span = f; last = id; }
  }
  const criticalPath: string[] = [];
  for (let at = last; at !== undefined; at = via.get(at)) criticalPath.unshift(at);
  return { work, span, criticalPath, parallelism: span > 0 ? work / span : 1 };
}

export interface ScheduledTask {
  id: string;
  worker: number;
  start: number;
  end: number;
}

export interface Schedule {
  workers: number;
  makespan: number;
  tasks: ScheduledTask[];
  speedup: number;
  efficiency: number;
}

/**
 * Greedy list scheduling on `workers` identical workers, longest remaining path first (the
 * critical-path heuristic a Ray- or Dask-style scheduler uses). Within Brent's bound:
 * makespan <= (work - span) / workers + span.
 */
export function listSchedule(tasks: readonly Task[], workers: number): Schedule {
  checkWorkers(workers);
  const order = topologicalOrder(tasks);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const dependents = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
  for (const t of tasks) for (const d of t.dependsOn) dependents.get(d)!.push(t.id);
  const bottomLevel = new Map<string, number>();
  for (const id of [...order].reverse()) {
    const after = dependents.get(id)!.reduce((m, d) => Math.max(m, bottomLevel.get(d)!), 0);
    bottomLevel.set(id, byId.get(id)!.duration + after);
  }
  const waitingOn = new Map(tasks.map((t) => [t.id, new Set(t.dependsOn)]));
  const readyAt = new Map<string, number>();
  const ready: string[] = tasks.filter((t) => t.dependsOn.length === 0).map((t) => t.id);
  for (const id of ready) readyAt.set(id, 0);
  const workerFree = new Array<number>(workers).fill(0);
  const placed: ScheduledTask[] = [];
  const finished = new Map<string, number>();
  while (ready.length > 0) {
    // The free-est worker takes the ready task with the longest path to the end; ties by readiness, then id.
    const worker = workerFree.indexOf(Math.min(...workerFree));
    const now = workerFree[worker];
    const available = ready.filter((id) => readyAt.get(id)! <= now);
    const pool = available.length > 0 ? available : [ready.reduce((a, b) => (readyAt.get(a)! <= readyAt.get(b)! ? a : b))];
    pool.sort((a, b) => bottomLevel.get(b)! - bottomLevel.get(a)! || readyAt.get(a)! - readyAt.get(b)! || a.localeCompare(b));
    const id = pool[0];
    ready.splice(ready.indexOf(id), 1);
    const start = Math.max(now, readyAt.get(id)!);
    const end = start + byId.get(id)!.duration;
    workerFree[worker] = end;
    placed.push({ id, worker, start, end });
    finished.set(id, end);
    for (const next of dependents.get(id)!) {
      const waits = waitingOn.get(next)!;
      waits.delete(id);
      if (waits.size === 0) {
        ready.push(next);
        readyAt.set(next, Math.max(...byId.get(next)!.dependsOn.map((d) => finished.get(d)!)));
      }
    }
  }
  const work = tasks.reduce((s, t) => s + t.duration, 0);
  const makespan = placed.reduce((m, t) => Math.max(m, t.end), 0);
  const s = makespan > 0 ? work / makespan : 1;
  return { workers, makespan, tasks: placed, speedup: s, efficiency: efficiency(s, workers) };
}

/** Brent's bounds on the time with `workers`: max(work/n, span) <= T_n <= (work - span)/n + span. */
export function brentBounds(ws: Pick<WorkSpan, 'work' | 'span'>, workers: number): { lower: number; upper: number } {
  checkWorkers(workers);
  return { lower: Math.max(ws.work / workers, ws.span), upper: (ws.work - ws.span) / workers + ws.span };
}

/** Estimated speedup of a loop of `iterations` equal iterations split into chunks over `workers`. */
export function chunkedLoopSpeedup(iterations: number, workers: number): number {
  checkWorkers(workers);
  if (iterations <= 0) return 1;
  return iterations / Math.ceil(iterations / workers);
}

function topologicalOrder(tasks: readonly Task[]): string[] {
  const ids = new Set<string>();
  for (const t of tasks) {
    if (ids.has(t.id)) throw new Error(`task graph: duplicate task id '${t.id}'`);
    ids.add(t.id);
  }
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const t of tasks) {
    indegree.set(t.id, t.dependsOn.length);
    dependents.set(t.id, []);
  }
  for (const t of tasks) {
    for (const d of t.dependsOn) {
      if (!ids.has(d)) throw new Error(`task graph: '${t.id}' depends on unknown task '${d}'`);
      dependents.get(d)!.push(t.id);
    }
  }
  const queue = tasks.filter((t) => t.dependsOn.length === 0).map((t) => t.id);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const next of dependents.get(id)!) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  if (order.length !== tasks.length) throw new Error('task graph: the dependencies form a cycle');
  return order;
}

function checkFraction(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`parallel fraction must be within [0, 1], got ${p}`);
}

function checkWorkers(n: number): void {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`worker count must be a positive integer, got ${n}`);
}
