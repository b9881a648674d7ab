// Awaits in loops. The loop expectation (verdict, then variable, kind and fix or nofix) on the loop line.
declare function fetchPage(cursor: string): Promise<{ items: string[]; next?: string }>;
declare function price(item: string): Promise<number>;
declare function save(item: string): Promise<void>;
declare function load(id: string): Promise<string>;
declare function attempt(): Promise<boolean>;
declare function sleep(ms: number): Promise<void>;
declare function transform(state: { count: number }, item: string): Promise<void>;
declare const stream: AsyncIterable<string>;
declare const writer: { write(chunk: string): Promise<void> };
declare const db: { insert(row: string): Promise<void> };

export async function collectByPush(ids: string[]) {
  const out: string[] = [];
  for (const id of ids) { //@ loop independent fix
    const value = await load(id);
    out.push(value);
  }
  return out;
}

export async function collectByIndex(ids: string[]) {
  const out: string[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) { //@ loop independent fix
    out[i] = await load(ids[i]);
  }
  return out;
}

export async function sumPrices(items: string[]) {
  let total = 0;
  for (const item of items) { //@ loop independent fix
    total += await price(item);
  }
  return total;
}

export async function sideEffectsOnly(items: string[]) {
  for (const item of items) { //@ loop independent fix
    await save(item);
  }
}

export async function unknownIterable(items: Set<string>) {
  for (const item of items) { //@ loop independent fix
    await save(item);
  }
}

export async function withContinue(items: string[]) {
  for (const item of items) { //@ loop independent fix
    if (item === '') continue;
    await save(item);
  }
}

export async function cursor(start: string) {
  const all: string[] = [];
  let next: string | undefined = start;
  while (next) { //@ loop dependent next (flow)
    const page = await fetchPage(next);
    all.push(...page.items);
    next = page.next;
  }
  return all;
}

export async function cursorFor(start: string) {
  let next: string | undefined = start;
  for (let n = 0; n < 10 && next; n++) { //@ loop dependent next (flow)
    const page = await fetchPage(next);
    next = page.next;
  }
}

export async function retryWithBreak() {
  for (let tries = 0; tries < 5; tries++) { //@ loop dependent break (control)
    if (await attempt()) break; //@ [a]
    await sleep(100 * 2 ** tries); //@ [s] after(a)
  }
}

export async function returnFromLoop(ids: string[]) {
  for (const id of ids) { //@ loop dependent return (control)
    const v = await load(id);
    if (v === 'found') return id;
  }
  return undefined;
}

export async function runningState(items: string[]) {
  let previous = '';
  for (const item of items) { //@ loop dependent previous (flow)
    previous = await load(previous + item);
  }
  return previous;
}

export async function lastWins(items: string[]) {
  let last = '';
  for (const item of items) { //@ loop dependent last (output)
    last = await load(item);
  }
  return last;
}

export async function forAwait() {
  const seen: string[] = [];
  for await (const chunk of stream) { //@ loop dependent stream (io)
    seen.push(chunk);
  }
  return seen;
}

export async function streamWrites(lines: string[]) {
  for (const line of lines) { //@ loop dependent writer (io)
    await writer.write(line);
  }
}

export async function sharedStateUnknownCall(items: string[]) {
  const state = { count: 0 };
  for (const item of items) { //@ loop unknown state (call)
    await transform(state, item);
  }
  return state;
}

export async function dbInserts(rows: string[]) {
  for (const row of rows) { //@ loop independent fix
    await db.insert(row);
  }
}

export async function doWhilePolling() {
  let done = false;
  do { //@ loop dependent done (flow)
    done = await attempt();
  } while (!done);
}

export async function forIn(record: Record<string, string>) {
  const out: Record<string, string> = {};
  for (const key in record) { //@ loop independent nofix
    out[key] = await load(record[key]);
  }
  return out;
}

export async function mapSetByKey(ids: string[]) {
  const cache = new Map<string, string>();
  for (const id of ids) { //@ loop independent fix
    cache.set(id, await load(id));
  }
  return cache;
}

export async function pushNotLast(ids: string[]) {
  const out: string[] = [];
  for (const id of ids) { //@ loop independent nofix
    out.push(await load(id)); //@ [l]
    await save(id); //@ [s]
  }
  return out;
}

export async function counterReadInBody(n: number) {
  let done = 0;
  for (let i = 0; i < n; i++) { //@ loop dependent done (flow)
    await save(String(done));
    done++;
  }
}

export async function nested(groups: string[][]) {
  const out: string[] = [];
  for (const group of groups) { //@ loop dependent out (flow)
    for (const id of group) { //@ loop dependent out (flow)
      out.push(await load(id));
      out.sort();
    }
  }
  return out;
}

export async function canonicalCount(n: number) {
  const results: number[] = [];
  for (let i = 0; i < n; i++) { //@ loop independent fix
    results.push(await price(String(i)));
  }
  return results;
}

export async function varCounter(n: number) {
  for (var i = 0; i < n; i++) { //@ loop independent nofix
    await save(String(i));
  }
}

export async function stringConcat(items: string[]) {
  let text = '';
  for (const item of items) { //@ loop independent fix
    text += await load(item);
  }
  return text;
}

export async function throwsInside(items: string[]) {
  for (const item of items) { //@ loop independent fix
    const v = await load(item);
    if (!v) throw new Error(`missing ${item}`);
  }
}

export async function queueGrows(queue: string[]) {
  for (const item of queue) { //@ loop dependent queue (flow)
    const next = await load(item);
    if (next) queue.push(next);
  }
}

declare const files: { appendFile(path: string, data: string): Promise<void>; writeFile(path: string, data: string): Promise<void> };
declare function join(...parts: string[]): string;

export async function appendLines(logPath: string, lines: string[]) {
  for (const line of lines) { //@ loop dependent logPath (io)
    await files.appendFile(logPath, line);
  }
}

export async function writeDistinctFiles(dir: string, names: string[]) {
  for (const name of names) { //@ loop independent fix
    await files.writeFile(join(dir, name), name);
  }
}

export async function listenersInOrder(listeners: ((...args: unknown[]) => Promise<void>)[], ...params: unknown[]) {
  for (const listener of listeners) { //@ loop unknown params (call)
    await listener(...params);
  }
}

export class Keyboard {
  private pressed: string[] = [];
  async press(key: string) { this.pressed.push(key); await sleep(1); }
  async type(text: string) {
    for (const char of text) { //@ loop dependent this (call)
      await this.press(char);
    }
  }
}
