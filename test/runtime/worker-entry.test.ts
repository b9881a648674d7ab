import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPool, get } from '../../runtime/index';
import { workerExecArgv } from '../../runtime/worker-entry';

test('workers get this process flags without module loaders, in both spellings', () => {
  assert.deepEqual(
    workerExecArgv(['--import', 'tsx', '--max-old-space-size=512', '--require=ts-node/register', '-r', 'dotenv/config', '--enable-source-maps', '--loader', 'x.mjs', '--experimental-loader=y.mjs', '--import=z']),
    ['--max-old-space-size=512', '--enable-source-maps'],
  );
  assert.deepEqual(workerExecArgv([]), []);
});

test('PoolOptions.execArgv reaches the worker threads', async () => {
  const pool = createPool({ workers: 1, execArgv: ['--enable-source-maps'] });
  try {
    const flags = pool.task(() => process.execArgv);
    const seen = await get(flags()) as string[];
    assert.ok(seen.includes('--enable-source-maps'), JSON.stringify(seen));
    assert.ok(!seen.includes('--import'), 'the main thread\'s --import tsx is not passed on');
  } finally {
    await pool.close();
  }
});

test('a flag a worker thread cannot take is refused with what to pass instead', () => {
  assert.throws(() => createPool({ workers: 1, execArgv: ['--title=x'] }), /PoolOptions\.execArgv holds flags a worker thread cannot take.*per-thread flags only/);
});
