// Calls: same-file helpers get side-effect summaries (transitively); built-ins; I/O; unknown callees.
import * as fs from 'node:fs';
import * as geo from 'geo-utils';
import { transform } from 'some-package';

let calls = 0;
const log: string[] = [];

function square(x: number) {
  return x * x;
}

function norm2(x: number, y: number) {
  return Math.sqrt(square(x) + square(y));
}

function tick(x: number) {
  calls++;
  return x;
}

function viaTick(x: number) {
  return tick(x) * 2;
}

function remember(msg: string) {
  log.push(msg);
}

function normalize(row: number[]) {
  let s = 0;
  // expect: reduction s
  for (let k = 0; k < row.length; k++) {
    s += row[k];
  }
  // expect: parallel
  for (let k = 0; k < row.length; k++) {
    row[k] = row[k] / s;
  }
}

function setFirst(arr: number[], v: number) {
  arr[0] = v;
}

export function squares(a: number[]) {
  const out = new Float64Array(a.length);
  // expect: parallel
  for (let i = 0; i < a.length; i++) {
    out[i] = square(a[i]);
  }
  return out;
}

export function lengths(xs: number[], ys: number[]) {
  const out = new Float64Array(xs.length);
  // pure, through two levels of helpers.
  // expect: parallel
  for (let i = 0; i < xs.length; i++) {
    out[i] = norm2(xs[i], ys[i]);
  }
  return out;
}

export function counted(a: number[]) {
  const out = new Float64Array(a.length);
  // expect: sequential tick (call)
  for (let i = 0; i < a.length; i++) {
    out[i] = tick(a[i]);
  }
  return out;
}

export function countedTransitively(a: number[]) {
  const out = new Float64Array(a.length);
  // expect: sequential viaTick (call)
  for (let i = 0; i < a.length; i++) {
    out[i] = viaTick(a[i]);
  }
  return out;
}

export function logged(names: string[]) {
  // expect: sequential remember (call)
  for (const name of names) {
    remember(name);
  }
}

export function normalizeAll(rows: number[][]) {
  // normalize writes its argument, row i.
  // expect: parallel assume(rows)
  for (let i = 0; i < rows.length; i++) {
    normalize(rows[i]);
  }
}

export function overwriteFirst(a: number[]) {
  const out: number[] = [0];
  // setFirst writes out[0] in every iteration.
  // expect: sequential out
  for (let i = 0; i < a.length; i++) {
    setFirst(out, a[i]);
  }
  return out;
}

export function mathOnly(a: number[]) {
  const out = new Float64Array(a.length);
  // expect: parallel
  for (let i = 0; i < a.length; i++) {
    out[i] = Math.sqrt(Math.abs(a[i])) + Math.floor(a[i]);
  }
  return out;
}

export function stringMethods(names: string[]) {
  const out = new Array<string>(names.length);
  // expect: parallel
  for (let i = 0; i < names.length; i++) {
    out[i] = names[i].trim().toUpperCase().slice(0, 8);
  }
  return out;
}

export function arrayMethodsReadOnly(rows: string[][]) {
  const out = new Array<string>(rows.length);
  // expect: parallel
  for (let i = 0; i < rows.length; i++) {
    out[i] = rows[i].join(',') + rows[i].indexOf('x');
  }
  return out;
}

export function printAll(a: number[]) {
  // expect: sequential console (io)
  for (let i = 0; i < a.length; i++) {
    console.log(a[i]);
  }
}

export function writeFiles(names: string[]) {
  // expect: sequential fs (io)
  for (const name of names) {
    fs.writeFileSync(name + '.txt', name);
  }
}

export function toStdout(lines: string[]) {
  // expect: sequential process (io)
  for (const line of lines) {
    process.stdout.write(line + '\n');
  }
}

export function later(a: number[], out: number[]) {
  // expect: sequential setTimeout (io)
  for (let i = 0; i < a.length; i++) {
    setTimeout(() => {
      out[i] = a[i];
    }, 0);
  }
}

export function download(urls: string[]) {
  const pending = new Array<Promise<Response>>(urls.length);
  // expect: sequential fetch (io)
  for (let i = 0; i < urls.length; i++) {
    pending[i] = fetch(urls[i]);
  }
  return pending;
}

export function noise(n: number) {
  const out = new Float64Array(n);
  // expect: sequential Math.random (call)
  for (let i = 0; i < n; i++) {
    out[i] = Math.random();
  }
  return out;
}

export function stamps(n: number) {
  const out = new Float64Array(n);
  // expect: sequential Date.now (call)
  for (let i = 0; i < n; i++) {
    out[i] = Date.now();
  }
  return out;
}

export function gather(a: number[]) {
  const out: number[] = [];
  // expect: sequential out (call)
  for (let i = 0; i < a.length; i++) {
    if (a[i] > 0) out.push(a[i]);
  }
  return out;
}

export function indexWords(words: string[]) {
  const m = new Map<string, number>();
  // expect: sequential m (call)
  for (let i = 0; i < words.length; i++) {
    m.set(words[i], i);
  }
  return m;
}

export function distinct(words: string[]) {
  const s = new Set<string>();
  // expect: sequential s (call)
  for (const w of words) {
    s.add(w);
  }
  return s;
}

export function keepSorted(words: string[]) {
  const list: string[] = [];
  // expect: sequential list (call)
  for (const w of words) {
    list.push(w);
    list.sort();
  }
  return list;
}

export function mapWith(a: number[], cb: (x: number) => number) {
  const out = new Float64Array(a.length);
  // expect: unknown cb
  for (let i = 0; i < a.length; i++) {
    out[i] = cb(a[i]);
  }
  return out;
}

export function projectAll(points: { x: number; y: number }[]) {
  const out = new Array<unknown>(points.length);
  // expect: unknown geo.project
  for (let i = 0; i < points.length; i++) {
    out[i] = geo.project(points[i]);
  }
  return out;
}

export function transformAll(items: string[]) {
  const out = new Array<unknown>(items.length);
  // expect: unknown transform
  for (let i = 0; i < items.length; i++) {
    out[i] = transform(items[i]);
  }
  return out;
}
