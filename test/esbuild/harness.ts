// Shared by the esbuild plugin tests: real builds with esbuild + the plugin, real runs with node, and the report of
// which annotated loops ran on which worker threads (written by fixtures/report-preload.mts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type BuildFailure, type Format, type Message, type Plugin } from 'esbuild';
import { parlens } from '../../server/esbuild/plugin';

export const fixtures = resolve(__dirname, 'fixtures');
const runtime = resolve(__dirname, '../../runtime/index.ts');
const preload = join(fixtures, 'report-preload.mts');
export const work = mkdtempSync(join(tmpdir(), 'parlens-esbuild-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/** The compiled file for a fixture: .mjs for ES module output, .cjs for CommonJS. */
function outputFor(name: string, format: Format): string {
  return join(work, name.replace(/\.[mc]ts$/, format === 'esm' ? '.mjs' : '.cjs'));
}

async function buildFixture(name: string, plugins: Plugin[] = [parlens({ runtime })], format: Format = 'esm') {
  return build({
    entryPoints: [join(fixtures, name)], format, platform: 'node', target: 'node20', write: false,
    outfile: outputFor(name, format), logLevel: 'silent', plugins,
  });
}

export async function compile(name: string, plugins?: Plugin[], format: Format = 'esm'): Promise<string> {
  return (await buildFixture(name, plugins, format)).outputFiles[0].text;
}

export async function buildErrors(name: string): Promise<Message[]> {
  try {
    await compile(name);
  } catch (error) {
    return (error as BuildFailure).errors;
  }
  assert.fail(`${name} was expected to fail the build`);
}

export async function buildWarnings(name: string): Promise<Message[]> {
  return (await buildFixture(name)).warnings;
}

/** The errors of a failed build by line, as `line: text` for assertion messages, and a lookup of one line's texts. */
export function byLine(errors: Message[]): { at: (line: number) => string; listing: string } {
  return {
    at: (line) => errors.filter((e) => e.location?.line === line).map((e) => e.text).join('\n'),
    listing: errors.map((e) => `${e.location?.line}: ${e.text}`).join('\n'),
  };
}

export function runNode(args: string[], env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 }).trim();
}

export interface Report { loops: { name: string; iterations: number; chunks: number; threads: number[] }[]; tasks: { name: string; worker: number }[] }

/** Builds with the plugin, runs the output and the original, and returns both outputs and the run report. */
export async function parallelAndSequential(name: string, format: Format = 'esm'): Promise<{ parallel: string; sequential: string; report: Report; code: string }> {
  const code = await compile(name, undefined, format);
  const out = outputFor(name, format);
  writeFileSync(out, code);
  const reportFile = join(work, `${name}.report.json`);
  const parallel = runNode(['--import', preload, out], { PARLENS_TEST_REPORT: reportFile });
  const sequential = runNode([join(fixtures, name)]);
  return { parallel, sequential, report: JSON.parse(readFileSync(reportFile, 'utf8')) as Report, code };
}

export function assertRanOnWorkers(report: Report, loopName: string): Report['loops'][number] {
  const run = report.loops.find((l) => l.name === loopName);
  assert.ok(run, `loop ${loopName} did not run through the runtime: ${JSON.stringify(report.loops)}`);
  assert.ok(run.threads.length >= 1 && run.threads.every((t) => t > 0), `chunks must run on worker threads (threadId > 0), got ${run.threads}`);
  return run;
}
