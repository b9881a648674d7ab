// Where the worker script is. Bundled, dist/runtime.js finds dist/worker.js beside it. From source
// (tsx), runtime/index.ts finds runtime/worker.ts and the worker loads tsx itself, because worker
// threads do not inherit the loader of the thread that started them.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkerEntry {
  file: string;
  /** Flags the worker needs to load `file` at all (tsx for the TypeScript source). */
  loaderArgv: string[];
}

let cached: WorkerEntry | undefined;

export function workerEntry(): WorkerEntry {
  if (cached) return cached;
  const bundled = join(__dirname, 'worker.js');
  if (existsSync(bundled)) return (cached = { file: bundled, loaderArgv: [] });
  const source = join(__dirname, 'worker.ts');
  if (existsSync(source)) {
    let tsx: string;
    try {
      // The CommonJS hook, not `--import tsx`: with an --import flag Node loads the worker's main file
      // through its ESM loader, which rejects a .ts entry before any hook runs.
      tsx = require.resolve('tsx/cjs');
    } catch {
      throw new Error(`Found ${source} but not the 'tsx' package to run it: install tsx, or run 'npm run build' and use dist/runtime.js.`);
    }
    return (cached = { file: source, loaderArgv: ['--require', tsx] });
  }
  throw new Error(`The Parlens worker script is missing: expected ${bundled}. Run 'npm run build' to produce dist/worker.js next to dist/runtime.js.`);
}

const LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * This process's Node flags without module loaders (`--import tsx`, `--require ts-node/register`, `--loader …`),
 * for worker threads. Workers would otherwise inherit them, and the worker script is plain JavaScript: measured
 * here, a worker loaded under tsx's `--import` hooks ran a shared-memory map at 74–81% of the same workers
 * without them (bench:runtime map section, three runs each). Memory, source-map and other flags are kept.
 */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    const name = flag.split('=', 1)[0];
    if (!LOADER_FLAGS.has(name)) kept.push(flag);
    else if (!flag.includes('=')) i++; // the flag's value is the next argument
  }
  return kept;
}
