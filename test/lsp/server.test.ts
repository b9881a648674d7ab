// Protocol tests against the real, built language server (run `node scripts/build.mjs` first): lenses, hovers,
// diagnostics, code actions, settings, broken input, cancellation, workspace analysis, and the futures findings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyEdits, TestClient, uriOf, type Diag, type Lens } from './client';

const LOOPS = [
  'export function kernels(a: number[], b: number[], rows: number[][]) {', //  0
  '  for (let i = 0; i < a.length; i++) {', //                                  1 parallel
  '    a[i] = b[i] * 2;', //                                                    2
  '  }', //                                                                     3
  '  let sum = 0;', //                                                          4
  '  for (const x of b) {', //                                                  5 reduction
  '    sum += x;', //                                                           6
  '  }', //                                                                     7
  '  for (let i = 1; i < a.length; i++) {', //                                  8 sequential
  '    a[i] = a[i - 1] + 1;', //                                                9
  '  }', //                                                                    10
  '  const sums = rows.map((r) => r.length);', //                              11 parallel map
  '  return sum + sums.length;', //                                            12
  '}', //                                                                      13
  '',
].join('\n');

const AWAITS = [
  'export async function load(get: (s: string) => Promise<number>, keys: string[]) {', // 0
  "  const a = await get('a');", //                                                      1 group of 2
  "  const b = await get('b');", //                                                      2
  '  for (const k of keys) {', //                                                        3 independent await in loop
  '    await get(k);', //                                                                4
  '  }', //                                                                              5
  '  keys.forEach(async (k) => { await get(k); });', //                                  6 async forEach
  '  return a + b;', //                                                                  7
  '}', //                                                                                8
  '',
].join('\n');

let client: TestClient;
let dir: string;
let n = 0;
const fresh = (text: string, name = 'doc'): string => {
  const uri = uriOf(join(dir, `${name}${n++}.ts`));
  client.open(uri, text);
  return uri;
};
const diagnosticsOf = (uri: string, version?: number): Promise<Diag[]> =>
  client.waitFor(() => {
    const last = [...client.notifications].reverse().find((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
    return last && (version === undefined || last.params.version === version) ? last.params.diagnostics as Diag[] : undefined;
  }, 20_000, `diagnostics of ${uri}`);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parlens-lsp-'));
  client = await TestClient.start('server', { folder: dir });
});
after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('code lenses: verdict first, then the reason; a Profile lens with the URI and line', async () => {
  const uri = fresh(LOOPS);
  const lenses = await client.lenses(uri);
  const verdicts = lenses.filter((l) => l.command.command === 'parlens.explain');
  const titleAt = (line: number) => verdicts.find((l) => l.range.start.line === line)?.command.title;
  assert.match(titleAt(1)!, /^parallel · /);
  assert.equal(titleAt(5), 'reduction · sum (+)');
  assert.match(titleAt(8)!, /^sequential · a\[i - 1\] carried \(line 10\)/);
  assert.equal(titleAt(11), 'parallel · map over rows');
  for (const l of verdicts) assert.match(l.command.title, /^(parallel|reduction|sequential|unknown) · /);
  const explainArg = verdicts[0].command.arguments![0] as { title: string; markdown: string };
  assert.equal(typeof explainArg.title, 'string');
  assert.match(explainArg.markdown, /### Parlens · parallel/);
  const profile = lenses.filter((l) => l.command.title === 'Profile');
  assert.equal(profile.length, 4);
  assert.deepEqual(profile[0].command, { title: 'Profile', command: 'parlens.profileRun', arguments: [uri, 2] });
});

test('code lenses are listed small (range and data, no command) and resolved on demand', async () => {
  const uri = fresh(LOOPS);
  const list = await client.lensList(uri);
  assert.equal(list.length, 8, '4 verdict lenses and 4 Profile lenses');
  for (const l of list) {
    assert.equal(l.command, undefined, 'commands are filled in by codeLens/resolve');
    const [id, version, key] = l.data as [number, number, string];
    assert.equal(typeof id, 'number', 'the document by a short id, not its URI');
    assert.equal(version, 1);
    assert.match(key, /^loop@\d+$/);
    assert.ok(JSON.stringify(l).length < 120, `a listed lens is a few dozen bytes, not an explanation: ${JSON.stringify(l)}`);
  }
  const resolved = await Promise.all(list.map((l) => client.resolveLens(l)));
  assert.deepEqual(resolved.map((l) => l.range), list.map((l) => l.range), 'resolve keeps the range');
  const explainLens = resolved.find((l) => l.command.command === 'parlens.explain' && l.range.start.line === 8)!;
  assert.match(explainLens.command.title, /^sequential · a\[i - 1\] carried \(line 10\)/);
  const arg = explainLens.command.arguments![0] as { title: string; markdown: string };
  assert.deepEqual(Object.keys(arg).sort(), ['markdown', 'title']);
  assert.match(arg.markdown, /### Parlens · sequential/);
  assert.deepEqual(resolved.find((l) => l.command.command === 'parlens.profileRun' && l.range.start.line === 8)!.command,
    { title: 'Profile', command: 'parlens.profileRun', arguments: [uri, 9] });
  // Whatever a client sends back, resolve answers with a lens (an error would pop up in the editor).
  for (const data of [undefined, { uri, version: 1, key: 'nonsense' }, { uri: uriOf(join(dir, 'never-opened.ts')), version: 1, key: 'loop@3' }]) {
    const odd = await client.resolveLens({ range: list[0].range, data });
    assert.match(odd.command.title, /out of date/);
    assert.equal(odd.command.command, '');
  }
});

test('a lens listed for an older version resolves against the newest result, or says it is out of date', async () => {
  const uri = fresh(LOOPS);
  const v1 = await client.lensList(uri);
  const at = (list: Lens[], line: number, profile = false): Lens =>
    list.find((l) => l.range.start.line === line && ((l.data as unknown[])[3] === 1) === profile)!;
  // An edit inside the sequential loop's body: its anchor did not move, so the old lens shows the loop's new verdict.
  client.change(uri, 'a[i] = b[i] + 1;', { start: { line: 9, character: 4 }, end: { line: 9, character: 24 } });
  await client.lensList(uri); // the server has analysed version 2
  assert.match((await client.resolveLens(at(v1, 8))).command.title, /^parallel · /);
  // Two lines inserted at the top: old lenses move with the text, Profile lenses name the new line.
  client.change(uri, '// header\n// more\n', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  await client.lensList(uri);
  assert.equal((await client.resolveLens(at(v1, 5))).command.title, 'reduction · sum (+)');
  assert.deepEqual((await client.resolveLens(at(v1, 5, true))).command.arguments, [uri, 8]);
  // The reduction loop deleted: its old lens cannot be resolved any more and says so, without an error.
  const lines = client.text(uri).split('\n');
  lines.splice(7, 3);
  client.change(uri, lines.join('\n'));
  const now = await client.lensList(uri);
  assert.equal(now.length, 6);
  const gone = await client.resolveLens(at(v1, 5));
  assert.match(gone.command.title, /out of date/);
  assert.equal(gone.command.command, '');
  assert.match((await client.resolveLens(at(v1, 1))).command.title, /^parallel · /, 'the loop above the deleted one is still found');
});

test('hovers: on a loop keyword, and on a variable named in a dependence', async () => {
  const uri = fresh(LOOPS);
  const onFor = await client.hover(uri, 8, 3);
  assert.ok(onFor);
  assert.equal(onFor.contents.kind, 'markdown');
  assert.match(onFor.contents.value, /### Parlens · sequential/);
  assert.match(onFor.contents.value, /`a` — flow .*line 10/);
  assert.match(onFor.contents.value, /\*\*What to change\*\*/);
  const onVariable = await client.hover(uri, 9, 11); // the `a` in a[i - 1]
  assert.equal(onVariable?.contents.value, onFor.contents.value);
  const reduction = await client.hover(uri, 5, 3);
  assert.match(reduction!.contents.value, /Reductions:\*\* `sum` \(\+\)/);
  assert.match(reduction!.contents.value, /Estimated speedup on \d+ workers?/);
  assert.equal(await client.hover(uri, 4, 8), null, 'no hover on a line without a finding');
});

test('diagnostics: codes, severities, sources and links to pages that exist', async () => {
  const uri = fresh(LOOPS);
  const diags = await diagnosticsOf(uri);
  assert.deepEqual(diags.map((d) => [d.code, d.range.start.line, d.severity]), [
    ['parallel-loop', 1, 3], ['reduction-loop', 5, 3], ['parallel-loop', 11, 3],
  ]);
  for (const d of diags) {
    assert.equal(d.source, 'parlens');
    assert.ok(d.codeDescription!.href.startsWith('file://'));
    assert.ok(existsSync(fileURLToPath(d.codeDescription!.href)), `${d.codeDescription!.href} exists`);
  }
});

test('code action: insert // @parallel with the reduction clause; the analyzer then sees the annotation', async () => {
  const uri = fresh(LOOPS);
  await diagnosticsOf(uri);
  const actions = await client.codeActions(uri, 5);
  const annotate = actions.find((a) => a.title.startsWith('Annotate'));
  assert.equal(annotate.title, 'Annotate with // @parallel reduction(+: sum)');
  const change = annotate.edit.documentChanges[0];
  assert.deepEqual(change.textDocument, { uri, version: 1 });
  const text = applyEdits(client.text(uri), change.edits);
  assert.equal(text.split('\n')[5], '  // @parallel reduction(+: sum)');
  assert.equal(text.split('\n')[6], '  for (const x of b) {');
  const version = client.change(uri, text);
  const diags = await diagnosticsOf(uri, version);
  assert.ok(!diags.some((d) => d.code === 'reduction-loop'), 'an annotated loop is no longer an open opportunity');
  const again = await client.codeActions(uri, 6);
  assert.ok(!again.some((a) => a.title.startsWith('Annotate')), 'no second annotation offered');
  assert.ok(actions.some((a) => a.command?.command === 'parlens.explain' && a.command.arguments[0].markdown.includes('reduction')));
});

test('code action: annotate a map/forEach/reduce statement above the statement, not inside an expression', async () => {
  const uri = fresh([
    'export function calls(xs: number[]) {', //                              0
    '  const ys =', //                                                         1
    '    xs.map((x) => x * 2);', //                                            2 parallel, statement starts on line 1
    '  let total = 0;', //                                                     3
    '  xs.forEach((x) => { total += x; });', //                                4 reduction
    '  console.log(xs.map((x) => x + 1));', //                                 5 parallel, but inside an expression
    '  return ys.length + total;', //                                          6
    '}',
  ].join('\n'), 'annotate-calls');
  await diagnosticsOf(uri);
  const annotateAt = async (line: number) => (await client.codeActions(uri, line)).find((a) => a.title.startsWith('Annotate'));
  const onMap = await annotateAt(2);
  assert.equal(onMap.title, 'Annotate with // @parallel');
  const mapped = applyEdits(client.text(uri), onMap.edit.documentChanges[0].edits).split('\n');
  assert.deepEqual(mapped.slice(1, 3), ['  // @parallel', '  const ys =']);
  const onForEach = await annotateAt(4);
  assert.equal(onForEach.title, 'Annotate with // @parallel reduction(+: total)');
  assert.equal(await annotateAt(5), undefined, 'a call inside a larger expression cannot be annotated');
  const version = client.change(uri, mapped.join('\n'));
  const diags = await diagnosticsOf(uri, version);
  assert.ok(!diags.some((d) => d.code === 'invalid-parallel-annotation'), JSON.stringify(diags));
  assert.ok(!diags.some((d) => d.code === 'parallel-loop' && d.range.start.line === 3), 'the annotated map is no longer an open opportunity');
});

test('@parallel on a sequential loop warns unless it says force; removing it is a quick fix', async () => {
  const lines = LOOPS.split('\n');
  lines.splice(8, 0, '  // @parallel');
  const uri = fresh(lines.join('\n'));
  const diags = await diagnosticsOf(uri);
  const warning = diags.find((d) => d.code === 'unsafe-parallel-annotation')!;
  assert.equal(warning.severity, 2);
  assert.equal(warning.range.start.line, 8);
  assert.ok(existsSync(fileURLToPath(warning.codeDescription!.href)));
  const remove = (await client.codeActions(uri, 9)).find((a) => a.title === 'Remove the unsafe @parallel annotation');
  assert.equal(applyEdits(client.text(uri), remove.edit.documentChanges[0].edits), LOOPS);
  lines[8] = '  // @parallel force';
  const version = client.change(uri, lines.join('\n'));
  assert.ok(!(await diagnosticsOf(uri, version)).some((d) => d.code === 'unsafe-parallel-annotation'));
  lines[8] = '  // @parallel reduce(+: s)';
  const bad = client.change(uri, lines.join('\n'));
  assert.match((await diagnosticsOf(uri, bad)).find((d) => d.code === 'invalid-parallel-annotation')!.message, /unknown clause 'reduce/);
});

test('@parallel above a map/forEach/reduce statement is an annotation of that call: no misplacement warning, unsafe ones warn', async () => {
  const uri = fresh([
    'export function calls(xs: number[]) {', //                   0
    '  // @parallel', //                                            1
    '  const ys = xs.map((x) => x * 2);', //                       2 parallel
    '  let acc = 0;', //                                            3
    '  // @parallel', //                                            4
    '  xs.forEach((x) => { acc = acc * 2 + x; });', //             5 carried: sequential
    '  // @parallel', //                                            6
    '  console.log(ys);', //                                        7 not an annotatable statement
    '  return acc;', //                                             8
    '}',
  ].join('\n'), 'calls');
  const diags = await diagnosticsOf(uri);
  const misplaced = diags.filter((d) => d.code === 'invalid-parallel-annotation');
  assert.deepEqual(misplaced.map((d) => d.range.start.line), [6], JSON.stringify(misplaced));
  assert.match(misplaced[0].message, /or a statement that is one xs\.map\/forEach\/reduce/);
  const unsafe = diags.filter((d) => d.code === 'unsafe-parallel-annotation');
  assert.deepEqual(unsafe.map((d) => d.range.start.line), [4], JSON.stringify(unsafe));
});

test('an edit (incremental sync) gives fresh lenses for the new version', async () => {
  const uri = fresh(LOOPS);
  assert.match((await client.lenses(uri)).find((l) => l.range.start.line === 1)!.command.title, /^parallel/);
  client.change(uri, 'a[i] = a[i - 1] * 2;', { start: { line: 2, character: 4 }, end: { line: 2, character: 20 } });
  const lenses = await client.lenses(uri);
  assert.match(lenses.find((l) => l.range.start.line === 1)!.command.title, /^sequential · a\[i - 1\] carried \(line 3\)/);
  assert.match(lenses.find((l) => l.range.start.line === 8)!.command.title, /^sequential · a\[i - 1\] carried \(line 10\)/);
});

test('settings take effect live: severity, loops, lenses, hovers, exclude', async () => {
  const uri = fresh(LOOPS, 'settings');
  await diagnosticsOf(uri);
  try {
    client.changeSettings({ diagnostics: { opportunitySeverity: 'hint' } });
    await client.waitFor(() => client.diagnostics.get(uri)?.every((d) => d.severity === 4) && client.diagnostics.get(uri)!.length === 3, 10_000, 'hint severity');
    client.changeSettings({ loops: { enable: false }, hover: { enable: false } });
    await client.waitFor(() => client.diagnostics.get(uri)?.length === 0, 10_000, 'no loop diagnostics');
    assert.equal((await client.lenses(uri)).length, 0);
    assert.equal(await client.hover(uri, 1, 3), null);
    client.changeSettings({ codeLens: { enable: false } });
    await client.waitFor(() => client.diagnostics.get(uri)?.length === 3, 10_000, 'loops back');
    assert.equal((await client.lenses(uri)).length, 0);
    client.changeSettings({ exclude: ['**/settings*.ts'] });
    await client.waitFor(() => client.diagnostics.get(uri)?.length === 0, 10_000, 'excluded file cleared');
    assert.deepEqual(await client.lenses(uri), []);
  } finally {
    client.changeSettings({});
  }
  await client.waitFor(() => client.diagnostics.get(uri)?.length === 3, 10_000, 'defaults back');
});

test('a file the analyzer cannot handle: no crash, the server keeps answering', async () => {
  const deep = `function f(a: number[]) { ${'for (;;) { '.repeat(3000)}a[0] = 1; ${'}'.repeat(3000)} }`;
  const broken = fresh('export function f(a: number[] {\n  for (let i = 0; i < a.length; i++ {\n    a[i] = ;\n');
  const nested = fresh(deep);
  const junk = fresh('\u0000\u0001 ))) }}} @@@ \uFFFF'.repeat(50));
  for (const uri of [broken, nested, junk]) assert.ok(Array.isArray(await client.lenses(uri)));
  const ok = fresh(LOOPS);
  assert.equal((await client.lenses(ok)).filter((l) => l.command.title !== 'Profile').length, 4);
  assert.equal(client.child.exitCode, null, 'the server process is alive');
});

test('a request can be cancelled while the analysis runs', async () => {
  const big = Array.from({ length: 400 }, (_, k) => LOOPS.replace('kernels', `kernels${k}`)).join('\n');
  const uri = fresh(big, 'big');
  const request = client.cancellable('textDocument/codeLens', { textDocument: { uri } });
  request.cancel();
  await assert.rejects(request.promise, (error: { code: number }) => error.code === -32800);
  assert.ok((await client.lensList(uri)).length > 1000, 'the next request is answered in full');
});

test('workspace analysis: progress, diagnostics for every file not excluded, a summary', async () => {
  const ws = join(dir, 'ws');
  mkdirSync(join(ws, 'src'), { recursive: true });
  mkdirSync(join(ws, 'gen'), { recursive: true });
  writeFileSync(join(ws, 'src', 'loops.ts'), LOOPS);
  writeFileSync(join(ws, 'src', 'io.ts'), AWAITS);
  writeFileSync(join(ws, 'gen', 'skip.ts'), LOOPS);
  const other = await TestClient.start('server', { folder: ws, settings: { exclude: ['gen/**'] } });
  try {
    const summary: any = await other.connection.sendRequest('workspace/executeCommand', { command: 'parlens.server.analyzeWorkspace', arguments: [] });
    assert.equal(summary.files, 2);
    assert.equal(summary.loops, 4, 'loops awaiting are futures findings, not loop findings');
    assert.equal(summary.parallel, 2);
    assert.equal(summary.reduction, 1);
    assert.equal(summary.sequential, 1);
    assert.ok(summary.awaitOpportunities >= 2);
    assert.deepEqual(summary.errors, []);
    const progress = other.notifications.filter((m) => m.method === '$/progress').map((m) => m.params.value.kind);
    assert.equal(progress[0], 'begin');
    assert.ok(progress.includes('report'));
    assert.equal(progress.at(-1), 'end');
    assert.ok(other.diagnostics.get(uriOf(join(ws, 'src', 'loops.ts')))!.some((d) => d.code === 'parallel-loop'));
    assert.ok(other.diagnostics.get(uriOf(join(ws, 'src', 'io.ts')))!.some((d) => d.code === 'async-foreach'));
    assert.ok(!other.diagnostics.has(uriOf(join(ws, 'gen', 'skip.ts'))), 'excluded by parlens.exclude');
    assert.ok(other.notifications.some((m) => m.method === 'parlens/status' && m.params.state === 'analyzing' && /workspace/.test(m.params.detail)));
    assert.equal(other.notifications.filter((m) => m.method === 'parlens/status').at(-1)!.params.state, 'idle');
  } finally {
    await other.stop();
  }
});

test('futures: await group lens, await-in-loop lens, async forEach warning, the Promise.all fix', async () => {
  const uri = fresh(AWAITS, 'io');
  const lenses = (await client.lenses(uri)).filter((l) => l.command.command === 'parlens.explain');
  assert.match(lenses.find((l) => l.range.start.line === 1)!.command.title, /^2 independent awaits · Promise\.all ≈ \d\.\d×$/);
  assert.equal(lenses.find((l) => l.range.start.line === 3)!.command.title, 'independent awaits in loop · Promise.all(map)');
  const diags = await diagnosticsOf(uri);
  assert.deepEqual(diags.filter((d) => d.code === 'async-foreach').map((d) => [d.severity, d.range.start.line]), [[2, 6]]);
  assert.ok(diags.some((d) => d.code === 'independent-awaits' && d.severity === 3));
  assert.ok(diags.some((d) => d.code === 'independent-await-in-loop'));
  for (const d of diags) assert.ok(existsSync(fileURLToPath(d.codeDescription!.href)), d.code);
  const hover = await client.hover(uri, 1, 13);
  assert.match(hover!.contents.value, /await in `load`/);
  const fix = (await client.codeActions(uri, 1)).find((a) => /Promise\.all/.test(a.title) && a.edit);
  const fixed = applyEdits(client.text(uri), fix.edit.documentChanges[0].edits);
  assert.match(fixed, /await Promise\.all\(\[/);
  const version = client.change(uri, fixed);
  const after = await diagnosticsOf(uri, version);
  assert.ok(!after.some((d) => d.code === 'independent-awaits'), 'the rewritten awaits are no longer an opportunity');
});

test('parlens lsp --stdio (the CLI) starts the same server', async () => {
  const cli = await TestClient.start('cli');
  try {
    const uri = uriOf(join(dir, 'cli.ts'));
    cli.open(uri, LOOPS);
    const titles = (await cli.lenses(uri)).map((l) => l.command.title);
    assert.ok(titles.includes('reduction · sum (+)'));
  } finally {
    await cli.stop();
  }
});
