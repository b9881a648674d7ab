// `parlens analyze` on async code as a user runs it: the JSON kinds of the futures analysis, --fix-dry-run's diff,
// and --fix rewriting files in place (then nothing left to fix).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const created: string[] = [];
after(() => { for (const dir of created) rmSync(dir, { recursive: true, force: true }); });

const cli = resolve('dist/cli.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const source = `declare function getUser(id: string): Promise<{ teamId: string }>;
declare function getPosts(id: string): Promise<string[]>;
declare function getTeam(id: string): Promise<string>;
declare function fetchPage(cursor: string): Promise<{ next?: string }>;

export async function profile(id: string) {
  const user = await getUser(id);
  const posts = await getPosts(id);
  const team = await getTeam(user.teamId);
  return { posts, team };
}

export async function all(ids: string[]) {
  const out: string[][] = [];
  for (const id of ids) {
    out.push(await getPosts(id));
  }
  let cursor: string | undefined = 'start';
  while (cursor) {
    cursor = (await fetchPage(cursor)).next;
  }
  ids.forEach(async (id) => { await getPosts(id); });
  return out;
}
`;

function project(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'parlens-futures-'));
  created.push(dir);
  const file = join(dir, 'app.ts');
  writeFileSync(file, source);
  return { dir, file };
}

test('json: await findings with dependsOn, await-in-loop verdicts, async-foreach', () => {
  const { dir } = project();
  const r = run(['analyze', 'app.ts', '--format', 'json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const { findings } = JSON.parse(r.stdout) as { findings: Record<string, unknown>[] };
  const awaits = findings.filter((f) => f.kind === 'await' && f.function === 'profile');
  assert.deepEqual(awaits.map((f) => [f.line, f.dependsOn]), [[7, []], [8, []], [9, [7]]]);
  assert.deepEqual(awaits[0].group, [7, 8]);
  assert.deepEqual(awaits[0].estimate, { sequential: 3, criticalPath: 2, speedup: 1.5 });
  const loops = findings.filter((f) => f.kind === 'await-in-loop');
  assert.deepEqual(loops.map((f) => [f.line, f.construct, f.verdict]), [[15, 'for-of', 'independent'], [19, 'while', 'dependent'], [22, 'forEach', 'independent']]);
  const cursor = loops[1].dependencies as { variable: string; kind: string }[];
  assert.ok(cursor.some((d) => d.variable === 'cursor' && d.kind === 'flow'));
  assert.equal(findings.filter((f) => f.kind === 'async-foreach').length, 1);
  assert.equal(findings.filter((f) => f.kind === 'loop').length, 0, 'loops that await get the await-in-loop verdict only');
});

test('--fix-dry-run prints a unified diff and leaves the file alone', () => {
  const { dir, file } = project();
  const r = run(['analyze', 'app.ts', '--fix-dry-run'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^--- a\/app\.ts$/m);
  assert.match(r.stdout, /^\+  const \[user, posts\] = await Promise\.all\(\[$/m);
  assert.match(r.stdout, /^-  ids\.forEach\(async \(id\) => \{ await getPosts\(id\); \}\);$/m);
  assert.match(r.stderr, /would apply 3 rewrites in 1 file/);
  assert.equal(readFileSync(file, 'utf8'), source);
});

test('--fix rewrites in place; a second run finds nothing more to fix', () => {
  const { dir, file } = project();
  const r = run(['analyze', 'app.ts', '--fix'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /applied 3 rewrites in 1 file/);
  const fixed = readFileSync(file, 'utf8');
  assert.match(fixed, /const \[user, posts\] = await Promise\.all\(\[/);
  assert.match(fixed, /for \(const value of await Promise\.all\(ids\.map\(async \(id\) => \{/);
  assert.match(fixed, /await Promise\.all\(ids\.map\(async \(id\) => \{ await getPosts\(id\); \}\)\);/);
  assert.match(fixed, /while \(cursor\)/);
  const again = run(['analyze', 'app.ts', '--fix'], dir);
  assert.match(again.stderr, /applied 0 rewrites in 0 files/);
  assert.equal(readFileSync(file, 'utf8'), fixed);
});

test('--fix and --fix-dry-run together is a usage error', () => {
  const { dir } = project();
  const r = run(['analyze', 'app.ts', '--fix', '--fix-dry-run'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /either --fix or --fix-dry-run/);
});

test('--latencies feeds the await-graph estimate; a bad file is a clear usage error', () => {
  const { dir } = project();
  writeFileSync(join(dir, 'latencies.json'), JSON.stringify({ 'app.ts:7': 100, 'app.ts:8': 300, 'app.ts:9': 50 }));
  const r = run(['analyze', 'app.ts', '--format', 'json', '--latencies', 'latencies.json'], dir);
  assert.equal(r.code, 0, r.stderr);
  const profile = (JSON.parse(r.stdout).findings as Record<string, unknown>[]).find((f) => f.kind === 'await' && f.function === 'profile');
  // 100 + 300 + 50 in sequence; concurrently the user (100) then the team (50) is shorter than the posts (300).
  assert.deepEqual(profile?.estimate, { sequential: 450, criticalPath: 300, speedup: 1.5 });
  writeFileSync(join(dir, 'bad.json'), '{ "app.ts": "fast" }');
  const bad = run(['analyze', 'app.ts', '--latencies', 'bad.json'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /bad entry "app\.ts"/);
});
