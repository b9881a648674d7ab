// What the built-ins do, as far as a loop cares. A name missing here is an unknown call: never assumed pure.

/** Effect of a call, seen from the loop that makes it. */
export type BuiltinEffect =
  | { kind: 'pure' }
  /** Reads (and maybe writes) hidden state whose order matters: Math.random, Date.now. */
  | { kind: 'hidden-state' }
  /** Observable outside the program: console, files, the network, timers. */
  | { kind: 'io' }
  /** Writes its receiver (push, sort, set) — `grows` when it changes the receiver's length. */
  | { kind: 'mutates-receiver'; grows: boolean }
  /** Writes the argument at this index (Object.assign's target, Atomics.store's array). */
  | { kind: 'mutates-argument'; index: number };

const pure = { kind: 'pure' } as const;
const hidden = { kind: 'hidden-state' } as const;
const io: BuiltinEffect = { kind: 'io' };

/** Global functions called by bare name. */
export const globalFunctions: ReadonlyMap<string, BuiltinEffect> = new Map<string, BuiltinEffect>([
  ...['parseInt', 'parseFloat', 'isNaN', 'isFinite', 'Number', 'String', 'Boolean', 'BigInt', 'Symbol',
    'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'structuredClone', 'Array', 'Object',
    'escape', 'unescape', 'atob', 'btoa', 'Error', 'TypeError', 'RangeError'].map((n) => [n, pure] as const),
  ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'queueMicrotask',
    'fetch', 'require', 'alert', 'confirm', 'prompt', 'postMessage', 'importScripts'].map((n) => [n, io] as const),
]);

/** Namespaces whose members are called as `Ns.member(...)`; a member not listed is unknown. */
const namespaceMembers: Record<string, Record<string, BuiltinEffect> | 'all-pure' | 'all-io'> = {
  Math: 'all-pure', // random is overridden below
  JSON: 'all-pure',
  Number: 'all-pure',
  String: 'all-pure',
  Array: { isArray: pure, from: pure, of: pure },
  ArrayBuffer: { isView: pure },
  Object: {
    keys: pure, values: pure, entries: pure, fromEntries: pure, is: pure, getPrototypeOf: pure, create: pure,
    getOwnPropertyNames: pure, getOwnPropertyDescriptor: pure, hasOwn: pure, isFrozen: pure, isSealed: pure,
    assign: { kind: 'mutates-argument', index: 0 }, freeze: { kind: 'mutates-argument', index: 0 },
    defineProperty: { kind: 'mutates-argument', index: 0 }, setPrototypeOf: { kind: 'mutates-argument', index: 0 },
  },
  Reflect: { has: pure, ownKeys: pure, get: pure, getPrototypeOf: pure, set: { kind: 'mutates-argument', index: 0 }, deleteProperty: { kind: 'mutates-argument', index: 0 } },
  Atomics: {
    load: pure, isLockFree: pure,
    store: { kind: 'mutates-argument', index: 0 }, add: { kind: 'mutates-argument', index: 0 }, sub: { kind: 'mutates-argument', index: 0 },
    and: { kind: 'mutates-argument', index: 0 }, or: { kind: 'mutates-argument', index: 0 }, xor: { kind: 'mutates-argument', index: 0 },
    exchange: { kind: 'mutates-argument', index: 0 }, compareExchange: { kind: 'mutates-argument', index: 0 },
    wait: io, notify: io, waitAsync: io,
  },
  Date: { now: hidden, parse: pure, UTC: pure },
  performance: { now: hidden, mark: io, measure: io },
  Promise: { resolve: pure, reject: pure, all: pure, allSettled: pure, race: pure, any: pure },
  console: 'all-io',
  process: 'all-io',
  document: 'all-io',
  window: 'all-io',
  localStorage: 'all-io',
  sessionStorage: 'all-io',
  navigator: 'all-io',
  crypto: { randomUUID: hidden, getRandomValues: { kind: 'mutates-argument', index: 0 } },
};

const overrides: Record<string, BuiltinEffect> = { 'Math.random': hidden };

/** The effect of `namespace.member(...)` for a global namespace, or undefined when it is not a known global namespace. */
export function namespaceCallEffect(namespace: string, member: string): BuiltinEffect | 'unknown-member' | undefined {
  const override = overrides[`${namespace}.${member}`];
  if (override) return override;
  const table = namespaceMembers[namespace];
  if (!table) return undefined;
  if (table === 'all-pure') return pure;
  if (table === 'all-io') return io;
  return table[member] ?? 'unknown-member';
}

export function isKnownGlobalNamespace(name: string): boolean {
  return name in namespaceMembers;
}

/** Namespaces all of whose members do I/O, nested ones included (`process.stdout.write`). */
export function isIoNamespace(name: string): boolean {
  return namespaceMembers[name] === 'all-io';
}

/** Node modules whose every call is I/O, and modules whose calls are pure computations. */
const ioModules = new Set(['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'readline', 'tls', 'worker_threads', 'cluster']);
const pureModules = new Set(['path', 'url', 'util', 'querystring']);

export function moduleCallEffect(specifier: string): BuiltinEffect | undefined {
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (ioModules.has(name)) return io;
  if (pureModules.has(name)) return pure;
  return undefined;
}

/** Methods of Array, TypedArray, String, Map, Set, Number and friends that only read their receiver. */
export const readOnlyMethods: ReadonlySet<string> = new Set([
  'at', 'concat', 'entries', 'every', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flat', 'flatMap',
  'forEach', 'includes', 'indexOf', 'join', 'keys', 'lastIndexOf', 'map', 'reduce', 'reduceRight', 'slice', 'some',
  'toReversed', 'toSorted', 'toSpliced', 'values', 'with', 'subarray', 'toString', 'toLocaleString', 'valueOf',
  'charAt', 'charCodeAt', 'codePointAt', 'endsWith', 'startsWith', 'localeCompare', 'match', 'matchAll', 'normalize',
  'padEnd', 'padStart', 'repeat', 'replace', 'replaceAll', 'search', 'split', 'substring', 'substr', 'toLowerCase',
  'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'trimStart', 'trimEnd', 'get', 'has',
  'toFixed', 'toPrecision', 'toExponential', 'hasOwnProperty', 'isPrototypeOf', 'getTime', 'getFullYear', 'getMonth',
  'getDate', 'getDay', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds', 'toISOString', 'test', 'exec',
]);

/** Methods that write their receiver; the flag says whether the receiver's length changes. */
export const mutatingMethods: ReadonlyMap<string, boolean> = new Map([
  ['push', true], ['pop', true], ['shift', true], ['unshift', true], ['splice', true],
  ['sort', false], ['reverse', false], ['fill', false], ['copyWithin', false], ['set', false],
  ['add', true], ['delete', true], ['clear', true],
]);

/** Array methods whose callback runs synchronously once per element: these are loops in their own right. */
export const iteratingMethods: ReadonlySet<string> = new Set([
  'forEach', 'map', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'flatMap',
]);

/** Methods that call a callback synchronously but are not loops Parlens reports (the callback still counts as code run in place). */
export const synchronousCallbackMethods: ReadonlySet<string> = new Set([
  ...iteratingMethods, 'findLast', 'findLastIndex', 'sort', 'toSorted', 'from',
]);
