import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createPool, get, TaskError, WorkerCrashedError, FunctionSourceError, PoolClosedError, ActorLostError, type Pool,
} from '../../runtime/index';

/** A pool for one test, always closed, and checked for leaked threads afterwards. */
async function withPool(workers: number, body: (pool: Pool) => Promise<void>): Promise<void> {
  const pool = createPool({ workers });
  try {
    await body(pool);
  } finally {
    await pool.close({ mode: 'abort' });
    const stats = pool.stats();
    assert.equal(stats.liveWorkers, 0, `leaked worker threads: ${JSON.stringify(stats)}`);
    assert.equal(stats.exited, stats.spawned);
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

test('a worker error comes back as a TaskError with the task name and the worker-side stack', () => withPool(1, async (pool) => {
  const parse = pool.task(function parseRecord(text: string) {
    return JSON.parse(text);
  });
  const error = await get(parse('{broken')).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof TaskError);
  assert.equal(error.taskName, 'parseRecord');
  assert.match(error.message, /Task 'parseRecord' failed in worker 0: SyntaxError/);
  assert.match(error.workerStack ?? '', /JSON\.parse|parseRecord/);
  assert.match(error.stack ?? '', /--- worker 0 stack ---/);
  assert.equal((error.cause as Error).name, 'SyntaxError');
}));

test('a function that closes over an outer variable fails with the missing name and what to do', () => withPool(1, async (pool) => {
  const rate = 0.2;
  await assert.rejects(
    pool.parallelMap([1, 2, 3], (x: number) => x * rate),
    /'rate' is not defined there.*pass 'rate' through options.context/s,
  );
  // The advice works.
  assert.deepEqual(await pool.parallelMap([1, 2, 3], (x: number, _i: number, ctx: { rate: number }) => x * ctx.rate, { context: { rate } }), [0.2, 0.4, 0.6000000000000001]);
}));

test('native and bound functions are refused before anything is sent', () => withPool(1, async (pool) => {
  assert.throws(() => pool.task(Math.max), (e: unknown) => e instanceof FunctionSourceError && /'max' is a native function/.test(e.message));
  const bound = function scale(this: { k: number }, x: number) { return x * this.k; }.bind({ k: 2 });
  await assert.rejects(pool.parallelMap([1], bound), /'bound scale' is a bound function/);
}));

test('results that cannot be cloned fail alone, with advice', () => withPool(1, async (pool) => {
  const makeFn = pool.task(() => () => 1);
  const fine = pool.task(() => 2);
  const [bad, good] = await Promise.allSettled([get(makeFn()), get(fine())]);
  assert.equal(bad.status, 'rejected');
  assert.match(String((bad as PromiseRejectedResult).reason.message), /cannot be sent back to the main thread/);
  assert.deepEqual(good, { status: 'fulfilled', value: 2 });
}));

test('process.exit in a task fails that task, the worker is replaced, other work goes on', () => withPool(2, async (pool) => {
  const quit = pool.task(function quitter() { process.exit(3); });
  const ok = pool.task((x: number) => x * 2);
  const crash = await get(quit()).then(() => undefined, (e: unknown) => e);
  assert.ok(crash instanceof WorkerCrashedError);
  assert.match(crash.message, /quitter.*exited with code 3/);
  assert.deepEqual(await get([ok(1), ok(2), ok(3), ok(4)]), [2, 4, 6, 8]);
  assert.equal(pool.stats().spawned, 3);
}));

test('an uncaught error thrown from a timer in the worker fails the task instead of hanging', () => withPool(1, async (pool) => {
  const fire = pool.task(function timeBomb() {
    return new Promise(() => {
      setTimeout(() => { throw new Error('late failure'); }, 5);
    });
  });
  await assert.rejects(get(fire()), (e: unknown) => e instanceof WorkerCrashedError && /uncaught Error escaped the task: late failure/.test(e.message));
  const after = pool.task(() => 'alive');
  assert.equal(await get(after()), 'alive');
}));

test('a crash kills the actor on that worker; later calls say so', () => withPool(1, async (pool) => {
  class Fragile {
    die() { process.exit(1); }
    ping() { return 'pong'; }
  }
  const fragile = pool.actor(Fragile);
  assert.equal(await get(fragile.ping()), 'pong');
  await assert.rejects(get(fragile.die()), WorkerCrashedError);
  await assert.rejects(get(fragile.ping()), ActorLostError);
}));

test('AbortSignal cancels queued and running tasks; a running one is stopped by replacing its worker', () => withPool(1, async (pool) => {
  const controller = new AbortController();
  const spin = pool.task(function spinForever() { for (;;) { /* never returns */ } }, { signal: controller.signal });
  const running = spin();
  const queued = spin();
  setTimeout(() => controller.abort(new Error('user pressed stop')), 50);
  const started = Date.now();
  await assert.rejects(get(running), (e: Error) => e.name === 'AbortError' && /spinForever' was cancelled: user pressed stop/.test(e.message));
  await assert.rejects(get(queued), { name: 'AbortError' });
  assert.ok(Date.now() - started < 3000);
  const after = pool.task(() => 'fresh worker');
  assert.equal(await get(after()), 'fresh worker');
}));

test('AbortSignal cancels a parallel loop', () => withPool(2, async (pool) => {
  const controller = new AbortController();
  const loop = pool.parallelFor(0, 1_000_000, () => { for (;;) { /* stuck */ } }, { signal: controller.signal, name: 'stuck loop' });
  setTimeout(() => controller.abort(), 30);
  await assert.rejects(loop, /'stuck loop' was cancelled/);
  assert.deepEqual(await pool.parallelMap([1, 2], (x: number) => x + 1), [2, 3]);
}));

test('an already-aborted signal rejects without running anything', () => withPool(1, async (pool) => {
  const signal = AbortSignal.abort();
  await assert.rejects(pool.parallelMap([1, 2, 3], (x: number) => x, { signal }), { name: 'AbortError' });
  await assert.rejects(get(pool.task((x: number) => x, { signal })(1)), { name: 'AbortError' });
}));

test("close() drains queued work, and new work after close says what to do", async () => {
  const pool = createPool({ workers: 1 });
  const slow = pool.task((ms: number, v: number) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return v;
  });
  const futures = [slow(20, 1), slow(20, 2), slow(20, 3)];
  await pool.close();
  assert.deepEqual(await get(futures), [1, 2, 3]);
  assert.equal(pool.stats().liveWorkers, 0);
  assert.throws(() => slow(1, 1), (e: unknown) => e instanceof PoolClosedError && /createPool\(\)/.test(e.message));
});

test("close({ mode: 'abort' }) rejects pending work and every worker thread exits", async () => {
  const pool = createPool({ workers: 2 });
  const stuck = pool.task(() => { for (;;) { /* forever */ } });
  const futures = [stuck(), stuck(), stuck()];
  await new Promise((resolve) => setTimeout(resolve, 30));
  await pool.close({ mode: 'abort' });
  for (const f of futures) await assert.rejects(get(f), PoolClosedError);
  const stats = pool.stats();
  assert.equal(stats.liveWorkers, 0);
  assert.equal(stats.spawned, stats.exited);
});

test('no threads leak across many pools', async () => {
  let exits = 0;
  for (let round = 0; round < 4; round++) {
    const pool = createPool({ workers: 2 });
    await pool.parallelMap([1, 2, 3, 4], (x: number) => x);
    await pool.close();
    const stats = pool.stats();
    exits += stats.exited;
    assert.equal(stats.liveWorkers, 0);
  }
  assert.equal(exits, 8);
});

test('a dropped, idle default-style pool does not keep the process alive (workers are unref-ed when idle)', async () => {
  const { spawnSync } = await import('node:child_process');
  const script = "const { createPool } = require('./runtime/index.ts'); const p = createPool({ workers: 2 }); p.parallelMap([1, 2], (x) => x * 2).then((r) => console.log(JSON.stringify(r)));";
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), '[2,4]');
});

test('a trace records every chunk and message with worker, times and bytes, and is plain JSON', () => withPool(2, async (pool) => {
  pool.startTracing();
  await pool.parallelMap(Array.from({ length: 1000 }, (_, i) => i), (x: number) => x + 1);
  const inc = pool.task((x: number) => x + 1, { name: 'inc' });
  await get([inc(1), inc(2)]);
  const trace = JSON.parse(JSON.stringify(pool.stopTracing()));
  assert.equal(trace.format, 'parlens-trace');
  const chunks = trace.events.filter((e: { kind: string }) => e.kind === 'chunk');
  const tasks = trace.events.filter((e: { kind: string; name: string }) => e.kind === 'task' && e.name === 'inc');
  const messages = trace.events.filter((e: { kind: string }) => e.kind === 'message');
  assert.ok(chunks.length >= 2 && tasks.length === 2 && messages.length >= 2);
  for (const e of [...chunks, ...tasks]) {
    assert.ok(e.worker === 0 || e.worker === 1);
    assert.ok(e.end >= e.start && e.start >= 0);
    assert.ok(e.bytes > 0);
  }
  // Off again: nothing more is recorded.
  await get(inc(3));
  assert.equal(pool.stopTracing().events.length, 0);
}));
