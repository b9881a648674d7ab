import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPool, get, all, any, race, Future } from '../../runtime/index';

const pool = createPool({ workers: 2 });
after(() => pool.close());

test('a remote call returns a future at once; get waits for its value', async () => {
  const square = pool.task((x: number) => x * x);
  const future = square(7);
  assert.ok(future instanceof Future);
  assert.equal(await get(future), 49);
  assert.deepEqual(await get([square(1), square(2), square(3)]), [1, 4, 9]);
});

test('futures passed as arguments build a DAG; each call sees its inputs values', async () => {
  const add = pool.task((a: number, b: number) => a + b, { name: 'add' });
  const a = add(1, 2);
  const b = add(a, 10);
  const c = add(a, b);
  const d = add(c, c);
  assert.deepEqual(await get([a, b, c, d]), [3, 13, 16, 32]);
});

test('async task functions are awaited in the worker', async () => {
  const later = pool.task(async (x: number) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return x + 1;
  });
  assert.equal(await later(41), 42);
});

test('all, any and race follow Promise semantics over futures', async () => {
  const sleepThen = pool.task((ms: number, value: string) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return value;
  });
  const fail = pool.task((message: string) => { throw new Error(message); });
  assert.deepEqual(await all([sleepThen(1, 'x'), sleepThen(1, 'y')]), ['x', 'y']);
  assert.equal(await any([fail('nope'), sleepThen(5, 'ok')]), 'ok');
  assert.equal(await race([sleepThen(200, 'slow'), sleepThen(1, 'fast')]), 'fast');
});

test('a failed input fails its dependents with a message naming both', async () => {
  const fail = pool.task(function explode(): number { throw new Error('boom'); });
  const inc = pool.task((x: number) => x + 1, { name: 'inc' });
  await assert.rejects(get(inc(fail())), /Task 'inc' did not run because one of its input futures failed: Task 'explode' failed in worker \d: Error: boom/);
});

test('ready tasks run critical path first', async () => {
  // One worker, so order is the schedule. 'short' has no dependents; 'root' leads a chain of three.
  const single = createPool({ workers: 1 });
  try {
    const log = single.task((label: string, ...inputs: string[]) => [...inputs, label].join('>'));
    const blocker = single.task((ms: number) => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); return 'blocker'; }, { name: 'blocker' });
    single.startTracing();
    const gate = blocker(50); // occupies the worker while the graph below is built
    await new Promise((resolve) => setTimeout(resolve, 10));
    const short = log.with({ name: 'short', cost: 5 })('short');
    const root = log.with({ name: 'root', cost: 5 })('root');
    const middle = log.with({ name: 'middle', cost: 5 })('middle', root);
    const leaf = log.with({ name: 'leaf', cost: 5 })('leaf', middle);
    await get([gate, short, leaf]);
    const order = single.stopTracing().events.filter((e) => e.kind === 'task').sort((a, b) => a.start - b.start).map((e) => e.name);
    // Equal costs; root leads the longest remaining path (15) and middle the next (10), so both beat short (5).
    assert.deepEqual(order, ['blocker', 'root', 'middle', 'short', 'leaf']);
  } finally {
    await single.close();
  }
});

test('actors keep state and run calls in order, async methods included', async () => {
  class Account {
    balance: number;
    history: string[] = [];
    constructor(opening: number) {
      this.balance = opening;
    }
    deposit(amount: number) {
      this.balance += amount;
      this.history.push(`+${amount}`);
      return this.balance;
    }
    async withdrawLater(amount: number) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      this.balance -= amount;
      this.history.push(`-${amount}`);
      return this.balance;
    }
    statement() {
      return { balance: this.balance, history: this.history };
    }
  }
  const account = pool.actor(Account, { args: [100] });
  const results = await get([account.deposit(5), account.withdrawLater(50), account.deposit(1), account.statement()]);
  assert.deepEqual(results, [105, 55, 56, { balance: 56, history: ['+5', '-50', '+1'] }]);
  await account.terminate();
  await assert.rejects(get(account.deposit(1)), /actor was terminated/);
});

test('an actor whose constructor throws fails its calls with the reason', async () => {
  class Broken {
    constructor() {
      throw new Error('no database');
    }
    ping() {
      return 'pong';
    }
  }
  const broken = pool.actor(Broken);
  await assert.rejects(get(broken.ping()), (error: Error) => /failed to construct/.test(error.message) && /no database/.test(String((error.cause as Error).message)));
});

test('20,000 tiny tasks all complete with correct values', async () => {
  const inc = pool.task((x: number) => x + 1);
  const futures = Array.from({ length: 20_000 }, (_, i) => inc(i));
  const values = await get(futures);
  assert.equal(values.length, 20_000);
  values.forEach((v, i) => assert.equal(v, i + 1));
});
