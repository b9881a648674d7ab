// Runtime benchmark: Parlens beside sequential code and beside piscina (and tinypool), in one run.
// Run: npm run bench:runtime  (builds dist/ first; this file loads the bundled dist/runtime.js).
// Prints a Markdown table and writes it to bench/results/runtime.md.
// Sections: overhead, cpu, map; name some to run only those (npm run bench:runtime -- map).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { Tinypool } from 'tinypool';
import { efficiency, speedup } from '../server/core/model/speedup';

// The bundled runtime, as users get it; typed from the source it is built from.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime: typeof import('../runtime/index') = require('../dist/runtime.js');

const TINY_TASKS = 20_000;
const CPU_TASKS = 64;
const CPU_TASK_MS = 10;
const MAP_LENGTH = 20_000_000;
const RUNS = 5;
const CPU_RUNS = 3;

interface Row {
  measure: string;
  value: string;
  goal?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function medianMs(runs: number, once: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    await once();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Busy work for `ms` milliseconds; returns a count so it cannot be optimised away. */
function spin(ms: number): number {
  const end = performance.now() + ms;
  let count = 0;
  while (performance.now() < end) count++;
  return count;
}

/** Task functions for piscina and tinypool, which load workers from a file. */
function writePoolWorkerFile(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'parlens-bench-'));
  const file = join(dir, 'tasks.cjs');
  writeFileSync(file, `module.exports = { tiny: (x) => x + 1, spin: ${spin.toString()} };\n`);
  return { dir, file };
}

async function perTaskOverhead(poolFile: string): Promise<{ parlens: number; piscina: number; tinypool: number; sequentialNs: number }> {
  const inputs = Array.from({ length: TINY_TASKS }, (_, i) => i);
  const tinyFn = (x: number) => x + 1;
  const sequentialMs = await medianMs(RUNS, () => inputs.map(tinyFn));

  const pool = runtime.createPool({ workers: 2 });
  const tiny = pool.task((x: number) => x + 1, { name: 'tiny' });
  await runtime.get(inputs.slice(0, 2000).map((x) => tiny(x))); // warm up threads and JIT
  const parlensMs = await medianMs(RUNS, () => runtime.get(inputs.map((x) => tiny(x))));
  await pool.close();

  const piscina = new Piscina({ filename: poolFile, minThreads: 2, maxThreads: 2 });
  await Promise.all(inputs.slice(0, 2000).map((x) => piscina.run(x, { name: 'tiny' })));
  const piscinaMs = await medianMs(RUNS, () => Promise.all(inputs.map((x) => piscina.run(x, { name: 'tiny' }))));
  await piscina.destroy();

  const tinypool = new Tinypool({ filename: poolFile, minThreads: 2, maxThreads: 2 });
  await Promise.all(inputs.slice(0, 2000).map((x) => tinypool.run(x, { name: 'tiny' })));
  const tinypoolMs = await medianMs(RUNS, () => Promise.all(inputs.map((x) => tinypool.run(x, { name: 'tiny' }))));
  await tinypool.destroy();

  const us = (ms: number) => (ms * 1000) / TINY_TASKS;
  return { parlens: us(parlensMs), piscina: us(piscinaMs), tinypool: us(tinypoolMs), sequentialNs: us(sequentialMs) * 1000 };
}

async function cpuTasks(poolFile: string, workers: number): Promise<{ parlens: number; piscina: number; tinypool: number }> {
  const pool = runtime.createPool({ workers });
  const busy = pool.task(spin, { name: 'spin' });
  await runtime.get(Array.from({ length: workers }, () => busy(1)));
  const parlens = await medianMs(CPU_RUNS, () => runtime.get(Array.from({ length: CPU_TASKS }, () => busy(CPU_TASK_MS))));
  await pool.close();

  const piscinaPool = new Piscina({ filename: poolFile, minThreads: workers, maxThreads: workers });
  await Promise.all(Array.from({ length: workers }, () => piscinaPool.run(1, { name: 'spin' })));
  const piscina = await medianMs(CPU_RUNS, () => Promise.all(Array.from({ length: CPU_TASKS }, () => piscinaPool.run(CPU_TASK_MS, { name: 'spin' }))));
  await piscinaPool.destroy();

  const tiny = new Tinypool({ filename: poolFile, minThreads: workers, maxThreads: workers });
  await Promise.all(Array.from({ length: workers }, () => tiny.run(1, { name: 'spin' })));
  const tinypool = await medianMs(CPU_RUNS, () => Promise.all(Array.from({ length: CPU_TASKS }, () => tiny.run(CPU_TASK_MS, { name: 'spin' }))));
  await tiny.destroy();
  return { parlens, piscina, tinypool };
}

/**
 * The bandwidth ceiling: `threads` raw worker threads, started once, each copying its half of `source` into
 * `target` on every request. Started once because thread start-up (40–60 ms here) is longer than the copy itself,
 * and subtracting a separately measured start-up made the baseline swing by half from run to run.
 */
async function startCopyThreads(source: Float64Array, target: Float64Array, threads: number, element = 'source[i]'): Promise<{ copy(): Promise<void>; close(): Promise<void> }> {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const { source, target, start, end } = workerData;
    parentPort.on('message', () => {
      for (let i = start; i < end; i++) target[i] = ${element};
      parentPort.postMessage('done');
    });
    parentPort.postMessage('ready');`;
  const per = Math.ceil(source.length / threads / 8) * 8;
  const workers = Array.from({ length: threads }, (_, t) => new Worker(code, { eval: true, workerData: { source, target, start: t * per, end: Math.min(source.length, (t + 1) * per) } }));
  const next = (w: Worker) => new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
  await Promise.all(workers.map(next));
  return {
    async copy() {
      const done = workers.map(next);
      for (const w of workers) w.postMessage('go');
      await Promise.all(done);
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

async function sharedMemoryMap(): Promise<{ parlensGBs: number; copy1GBs: number; copy2GBs: number; rawMapGBs: number }> {
  const input = runtime.sharedFloat64Array(MAP_LENGTH);
  for (let i = 0; i < MAP_LENGTH; i++) input[i] = i * 0.5;
  const output = runtime.sharedFloat64Array(MAP_LENGTH);
  const bytesMoved = 2 * MAP_LENGTH * 8; // one read and one write per element
  const gbs = (ms: number) => bytesMoved / (ms * 1e6);

  const copy1 = await medianMs(RUNS, () => {
    for (let i = 0; i < MAP_LENGTH; i++) output[i] = input[i];
  });
  const copyThreads = await startCopyThreads(input, output, 2);
  // The same map on two raw threads, each with a fixed half: what the pool adds (chunking, claiming, messages) is the rest.
  const rawMapThreads = await startCopyThreads(input, output, 2, 'source[i] * 2 + 1');
  await copyThreads.copy();
  await rawMapThreads.copy();
  const pool = runtime.createPool({ workers: 2 });
  await pool.parallelMap(input.subarray(0, 1024) as Float64Array, (x) => x * 2 + 1);
  // The VM's memory bandwidth drifts from minute to minute, so the baselines and the map alternate run by run and
  // each keeps its median. All write the same, already-touched output: fresh memory would add page faults to one side.
  const copyTimes: number[] = [];
  const rawMapTimes: number[] = [];
  const mapTimes: number[] = [];
  for (let r = 0; r < 4 * RUNS + 1; r++) {
    let started = performance.now();
    await copyThreads.copy();
    copyTimes.push(performance.now() - started);
    started = performance.now();
    await rawMapThreads.copy();
    rawMapTimes.push(performance.now() - started);
    started = performance.now();
    await pool.parallelMap(input, (x) => x * 2 + 1, { output });
    mapTimes.push(performance.now() - started);
  }
  await copyThreads.close();
  await rawMapThreads.close();
  const result = await pool.parallelMap(input, (x) => x * 2 + 1, { output });
  if (result[MAP_LENGTH - 1] !== (MAP_LENGTH - 1) * 0.5 * 2 + 1) throw new Error('the benchmark map computed a wrong value');
  await pool.close();
  return { parlensGBs: gbs(median(mapTimes)), copy1GBs: gbs(copy1), copy2GBs: gbs(median(copyTimes)), rawMapGBs: gbs(median(rawMapTimes)) };
}

async function overheadRows(file: string): Promise<Row[]> {
  const rows: Row[] = [];
  console.error('per-task overhead…');
  const overhead = await perTaskOverhead(file);
  rows.push({ measure: `Per-task overhead, ${TINY_TASKS.toLocaleString('en')} tiny tasks, 2 workers: Parlens`, value: `${overhead.parlens.toFixed(2)} µs`, goal: `≤ ${(overhead.piscina / 5).toFixed(2)} µs (piscina / 5)` });
  rows.push({ measure: '… piscina', value: `${overhead.piscina.toFixed(2)} µs` });
  rows.push({ measure: '… tinypool', value: `${overhead.tinypool.toFixed(2)} µs` });
  rows.push({ measure: '… sequential call on the main thread', value: `${overhead.sequentialNs.toFixed(1)} ns` });
  rows.push({ measure: 'Parlens overhead relative to piscina', value: `${(overhead.parlens / overhead.piscina).toFixed(3)}×`, goal: '≤ 0.2×' });
  return rows;
}

async function cpuRows(file: string): Promise<Row[]> {
  const rows: Row[] = [];
  console.error('CPU tasks…');
  const sequentialMs = await medianMs(CPU_RUNS, () => {
    for (let t = 0; t < CPU_TASKS; t++) spin(CPU_TASK_MS);
  });
  rows.push({ measure: `${CPU_TASKS} × ${CPU_TASK_MS} ms CPU tasks, sequential`, value: `${sequentialMs.toFixed(0)} ms` });
  for (const workers of [1, 2]) {
    const times = await cpuTasks(file, workers);
    for (const [name, ms] of Object.entries(times)) {
      const s = speedup(sequentialMs, ms);
      const goal = workers === 2 && name === 'parlens' ? '≥ 1.9×' : undefined;
      rows.push({ measure: `${CPU_TASKS} × ${CPU_TASK_MS} ms CPU tasks, ${workers} worker${workers > 1 ? 's' : ''}, ${name}`, value: `${ms.toFixed(0)} ms, speedup ${s.toFixed(2)}×, efficiency ${(efficiency(s, workers) * 100).toFixed(0)}%`, goal });
    }
  }
  return rows;
}

async function mapRows(): Promise<Row[]> {
  const rows: Row[] = [];
  console.error('shared-memory map…');
  const map = await sharedMemoryMap();
  rows.push({ measure: `Map over ${MAP_LENGTH.toExponential(0)} doubles in shared memory, Parlens, 2 workers`, value: `${map.parlensGBs.toFixed(2)} GB/s (${((map.parlensGBs / map.copy2GBs) * 100).toFixed(0)}% of two-thread copy)`, goal: '≥ 90% of two-thread copy' });
  rows.push({ measure: '… single-thread copy loop', value: `${map.copy1GBs.toFixed(2)} GB/s` });
  rows.push({ measure: '… two-thread copy (two raw worker threads, started once)', value: `${map.copy2GBs.toFixed(2)} GB/s` });
  rows.push({ measure: '… the same map on two raw worker threads, half each', value: `${map.rawMapGBs.toFixed(2)} GB/s (Parlens at ${((map.parlensGBs / map.rawMapGBs) * 100).toFixed(0)}%)` });
  return rows;
}

const SECTIONS = ['overhead', 'cpu', 'map'] as const;
const chosen = process.argv.slice(2);
for (const name of chosen) {
  if (!(SECTIONS as readonly string[]).includes(name)) {
    console.error(`Unknown section '${name}'; choose from ${SECTIONS.join(', ')} (or none for all).`);
    process.exit(2);
  }
}
const wanted = (section: (typeof SECTIONS)[number]): boolean => chosen.length === 0 || chosen.includes(section);

async function main(): Promise<void> {
  const { dir, file } = writePoolWorkerFile();
  const rows: Row[] = [];
  try {
    if (wanted('overhead')) rows.push(...(await overheadRows(file)));
    if (wanted('cpu')) rows.push(...(await cpuRows(file)));
    if (wanted('map')) rows.push(...(await mapRows()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
  const lines = [
    `## Runtime benchmark, ${new Date().toISOString().slice(0, 10)}`,
    '',
    `Machine: ${machine}. Medians of ${RUNS} runs (${CPU_RUNS} for the CPU tasks). GB/s counts one read and one write per element.`,
    '',
    '| Measure | Result | Goal |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.measure} | ${r.value} | ${r.goal ?? ''} |`),
    '',
  ];
  const markdown = lines.join('\n');
  console.log(markdown);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'runtime.md'), markdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
