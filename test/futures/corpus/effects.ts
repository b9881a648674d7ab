// Dependences through effects: calls that modify objects, state of a receiver, module variables.
declare function send(message: { to: string; body: string }): Promise<void>;
declare function load(id: string): Promise<string>;
declare const conn: { query(sql: string): Promise<string[]>; close(): Promise<void>; commit(): Promise<void> };

let counter = 0;
async function bump(): Promise<number> { counter++; return counter; }
async function readCounter(): Promise<number> { return counter; }
async function normalize(message: { to: string; body: string }) { message.to = message.to.trim(); }
async function describe(message: { to: string; body: string }) { return `${message.to}: ${message.body}`; }
async function pureDouble(x: number) { return x * 2; }

export async function mutatedArgument() {
  const message = { to: ' a@b ', body: 'hi' };
  await normalize(message); //@ [n]
  await send(message); //@ [s] after(n)
}

export async function readThenModified() {
  const message = { to: 'a', body: 'hi' };
  const text = await describe(message); //@ [d]
  await normalize(message); //@ [n2] after(d)
  return text;
}

export async function moduleState() {
  await bump(); //@ [b]
  const seen = await readCounter(); //@ [r] after(b)
  return seen;
}

export async function pureCalls() {
  const a = await pureDouble(1); //@ [a] group(a, b)
  const b = await pureDouble(2); //@ [b]
  return a + b;
}

export async function queryThenClose() {
  const rows = await conn.query('select 1'); //@ [q]
  await conn.close(); //@ [c] after(q)
  return rows;
}

export async function twoQueries() {
  const a = await conn.query('select 1'); //@ [qa] group(qa, qb)
  const b = await conn.query('select 2'); //@ [qb]
  return [a, b];
}

export async function unknownCallSharedObject() {
  const message = { to: 'a', body: 'b' };
  await send(message); //@ [s1]
  await send(message); //@ [s2] after(s1)
}

export async function collectedThenUsed(ids: string[]) {
  const found: string[] = [];
  found.push(await load(ids[0])); //@ [l]
  await send({ to: found[0], body: '' }); //@ [s] after(l)
}

export async function topLevelIndependent() {
  const x = await load('x'); //@ [lx] group(lx, ly)
  const y = await load('y'); //@ [ly]
  return x + y;
}

declare const fsp: {
  copyFile(from: string, to: string): Promise<void>; chmod(path: string, mode: number): Promise<void>;
  mkdir(path: string, options?: object): Promise<void>; writeFile(path: string, data: string): Promise<void>;
  readFile(path: string): Promise<string>;
};
declare function dirname(path: string): string;

export async function copyThenChmod(from: string, to: string) {
  await fsp.copyFile(from, to); //@ [c]
  await fsp.chmod(to, 0o644); //@ [m] after(c)
}

export async function mkdirThenWrite(outPath: string, data: string) {
  await fsp.mkdir(dirname(outPath), { recursive: true }); //@ [d]
  await fsp.writeFile(outPath, data); //@ [w] after(d)
}

export async function readTwoFiles(a: string, b: string) {
  const x = await fsp.readFile(a); //@ [ra] group(ra, rb)
  const y = await fsp.readFile(b); //@ [rb]
  return x + y;
}

export async function readSameFileTwice(a: string) {
  const x = await fsp.readFile(a); //@ [r1] group(r1, r2)
  const y = await fsp.readFile(a); //@ [r2]
  return x + y;
}

declare const page: { mouse: { move(x: number, y: number): Promise<void>; up(): Promise<void> }; title(): Promise<string>; url(): Promise<string> };
declare const recorder: { startRecording(): Promise<void>; ensureTab(): Promise<{ focus(): Promise<void> }> };
async function mkdirIfNeeded(path: string) { await fsp.mkdir(dirname(path), { recursive: true }); }

export async function pointerGesture() {
  await page.mouse.move(10, 20); //@ [mv]
  await page.mouse.up(); //@ [up] after(mv)
}

export async function pageReads() {
  const title = await page.title(); //@ [ti] group(ti, ur)
  const url = await page.url(); //@ [ur]
  return { title, url };
}

export async function helperMakesTheDirectory(path: string, data: string) {
  await mkdirIfNeeded(path); //@ [mk]
  await fsp.writeFile(path, data); //@ [wr] after(mk)
}

export async function startThenUse() {
  const tab = await recorder.ensureTab(); //@ [et]
  await recorder.startRecording(); //@ [sr] after(et) group(sr, fo)
  await tab.focus(); //@ [fo] after(et)
}
