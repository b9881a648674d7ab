// Where the worker script is. Bundled, dist/runtime.js finds dist/worker.js beside it. From source
// (tsx), runtime/index.ts finds runtime/worker.ts and the worker loads tsx itself, because worker
// threads do not inherit the loader of the thread that started them.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkerEntry {
  file: string;
  execArgv?: string[];
}

let cached: WorkerEntry | undefined;

export function workerEntry(): WorkerEntry {
  if (cached) return cached;
  const bundled = join(__dirname, 'worker.js');
  if (existsSync(bundled)) return (cached = { file: bundled });
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
    return (cached = { file: source, execArgv: ['--require', tsx] });
  }
  throw new Error(`The Parlens worker script is missing: expected ${bundled}. Run 'npm run build' to produce dist/worker.js next to dist/runtime.js.`);
}
