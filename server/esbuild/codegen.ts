// The text that replaces an annotated loop or task function. Replacements keep the original lines where the
// user's code goes (the body is pasted where it was), so stack traces and esbuild messages keep their lines.
import type { ReductionOperator } from '../core/findings';

export const RUNTIME_NAMESPACE = '__parlens_rt';
/** The compiled body's name for the loop context the runtime passes (fields: start, step, values, ids, wb, iterated). */
export const WORKER_CONTEXT = '__ctx';
/** The label of the one-pass loop around the body in the worker: `continue` to it ends the iteration. */
export const ITERATION_LABEL = '__parlens_iteration';

/** Where the iterations come from; every part is evaluated once, on the main thread, before the loop. */
export type IterationSpace =
  /** `start`, `end` and `step` as source text; `inclusive` for `<=`. */
  | { kind: 'counted'; start: string; end: string; inclusive: boolean; step: string }
  /** An array or typed array: `code` is evaluated, `text` is quoted by run-time errors. */
  | { kind: 'array'; code: string; text: string };

/** What a shape adds around the runtime call. Every piece is optional and written on one line. */
export interface ShapeCode {
  /** Main thread, before the loop: temporaries that the options, the worker and the epilogue use. */
  prologue?: string;
  /** Main thread, after the loop, once its writes and reductions are back. */
  epilogue?: string;
  /** The construct is an expression (an array-method call): the replacement evaluates to this, after the epilogue. */
  value?: string;
  /** Worker, after the element is bound, before the body. */
  enter?: string;
  /** Worker: an iteration for which this holds runs no body (array methods skip the holes of a sparse array). */
  skipWhen?: string;
  /** Main-thread temporaries the worker reads as `__ctx.values.<name>` (not among the body's own names). */
  sent?: string[];
  /**
   * Per iteration, the worker's `value` is collected into the main-thread array `name` (a prologue temporary) at
   * the iteration's number: the runtime's write-back, for results that are not an element of a user's array.
   */
  collected?: { name: string; value: string }[];
}

/** Two shapes' code together (the first's pieces first); at most one of them may give a value or a skip condition. */
export function mergeShapeCode(a: ShapeCode, b: ShapeCode): ShapeCode {
  const joined = (x?: string, y?: string): string | undefined => (x && y ? `${x} ${y}` : x || y);
  const merged: ShapeCode = {};
  const prologue = joined(a.prologue, b.prologue);
  const epilogue = joined(a.epilogue, b.epilogue);
  const enter = joined(a.enter, b.enter);
  const value = a.value ?? b.value;
  const skipWhen = a.skipWhen ?? b.skipWhen;
  if (prologue) merged.prologue = prologue;
  if (epilogue) merged.epilogue = epilogue;
  if (enter) merged.enter = enter;
  if (value !== undefined) merged.value = value;
  if (skipWhen) merged.skipWhen = skipWhen;
  if (a.sent || b.sent) merged.sent = [...(a.sent ?? []), ...(b.sent ?? [])];
  if (a.collected || b.collected) merged.collected = [...(a.collected ?? []), ...(b.collected ?? [])];
  return merged;
}

export interface PlannedReduction {
  variable: string;
  operator: ReductionOperator;
  /** The value before the loop, as an expression; absent: the variable itself, which gets the result back. */
  initial?: string;
}

export interface LoopPlan {
  name: string;
  /** What the user annotated, for run-time errors: 'for-of loop', 'map() call', … */
  construct: string;
  space: IterationSpace;
  counter: string;
  element?: { keyword: 'const' | 'let'; pattern: string };
  bodyText: string;
  /** Captured names sent to workers, with the line each is first used on. */
  values: { name: string; line: number }[];
  reductions: PlannedReduction[];
  privates: string[];
  writes: string[];
  sharedOnly: string[];
  chunk?: number;
  workers?: number;
  /** Unique per file, for the temporary holding the results. */
  serial: number;
  code: ShapeCode;
  /** Line breaks of the replaced text before the body and in all: the replacement pads to keep both. */
  lines: { beforeBody: number; total: number };
  /**
   * 'awaited' in async functions and at an ES module's top level; 'blocking' where nothing can be awaited
   * (synchronous functions, CommonJS top level): the main thread waits for the workers, as it waited for the
   * sequential loop.
   */
  mode: 'awaited' | 'blocking';
}

/** The temporary holding the runtime's result (the reductions' final values), for a shape's value or epilogue. */
export function resultName(serial: number): string {
  return `__parlens_r${serial}`;
}

/**
 * `{ const r = await rt.runAnnotatedLoop({...}); sum = r.sum; }`, or for an expression
 * `(await (async () => { …; return value; })())`; blocking: `{ const r = rt.runAnnotatedLoopSync({...}); … }` and
 * `((() => { …; return value; })())`. Everything before the body fits on the construct's first line
 * and everything after it on its last, so the lines in between stay where they were.
 */
export function loopReplacement(plan: LoopPlan): string {
  const json = JSON.stringify;
  const code = plan.code;
  const result = resultName(plan.serial);
  const valueNames = plan.values.map((v) => v.name);
  const collected = code.collected ?? [];
  // The element of this iteration, bound as the loop head (or the callback's parameter) bound it.
  const element = plan.element ? `${plan.element.keyword} ${plan.element.pattern} = ${WORKER_CONTEXT}.iterated[${plan.counter}];` : '';
  const head = [
    `function (__acc, __unused, __k, ${WORKER_CONTEXT}) {`,
    `if (__acc === null) __acc = { lo: __k, r: Object.assign({}, ${WORKER_CONTEXT}.ids), w: {}, thread: __parlens_threadId };`,
    valueNames.length ? `const { ${valueNames.join(', ')} } = ${WORKER_CONTEXT}.values;` : '',
    `let ${plan.counter} = ${WORKER_CONTEXT}.start + __k * ${WORKER_CONTEXT}.step;`,
    code.skipWhen ? '' : element,
    ...plan.reductions.map((r) => `let ${r.variable} = __acc.r[${json(r.variable)}];`),
    plan.privates.length ? `let ${plan.privates.join(', ')};` : '',
    code.enter ?? '',
    // A one-pass loop around the body: a `continue` in it ends the iteration, as it did in the loop. A skipped
    // iteration binds no element (a hole would fail a destructuring pattern, and the method never reads it).
    `${ITERATION_LABEL}: do ${code.skipWhen ? `{ if (${code.skipWhen}) continue; ${element} ` : ''}`,
  ].filter((part) => part !== '').join(' ');
  const tail = [
    `${code.skipWhen ? ' }' : ''} while (false);`,
    ...plan.reductions.map((r) => `__acc.r[${json(r.variable)}] = ${r.variable};`),
    ...plan.writes.map((w) => `if (${WORKER_CONTEXT}.wb[${json(w)}]) (__acc.w[${json(w)}] ??= []).push(${w}[${plan.counter}]);`),
    ...collected.map((c) => `(__acc.w[${json(c.name)}] ??= []).push(${c.value});`),
    'return __acc; }',
  ].join(' ');
  const space = plan.space;
  const options = [
    `name: ${json(plan.name)}`,
    `construct: ${json(plan.construct)}`,
    ...(space.kind === 'counted'
      ? [`start: (${space.start})`, `end: (${space.end})`, `inclusive: ${space.inclusive}`, `step: ${space.step}`]
      : [`iterated: ${space.code}`, `iteratedText: ${json(space.text)}`]),
    `values: { ${[...valueNames, ...(code.sent ?? []), ...collected.map((c) => c.name)].join(', ')} }`,
    `valueLines: ${json(Object.fromEntries(plan.values.map((v) => [v.name, v.line])))}`,
    `reductions: [${plan.reductions.map((r) => `{ variable: ${json(r.variable)}, operator: ${json(r.operator)}, initial: ${r.initial ?? r.variable} }`).join(', ')}]`,
    `writes: ${json([...plan.writes, ...collected.map((c) => c.name)])}`,
    `sharedOnly: ${json(plan.sharedOnly)}`,
    ...(plan.chunk !== undefined ? [`chunk: ${plan.chunk}`] : []),
    ...(plan.workers !== undefined ? [`workers: ${plan.workers}`] : []),
  ];
  const assignBack = plan.reductions.filter((r) => r.initial === undefined).map((r) => ` ${r.variable} = ${result}[${json(r.variable)}];`).join('');
  const blocking = plan.mode === 'blocking';
  const expressionOpening = blocking ? '((() => { ' : '(await (async () => { ';
  const call = blocking ? `${RUNTIME_NAMESPACE}.runAnnotatedLoopSync` : `await ${RUNTIME_NAMESPACE}.runAnnotatedLoop`;
  const opening = `${code.value === undefined ? '{ ' : expressionOpening}${code.prologue ? `${code.prologue} ` : ''}`
    + `const ${result} = ${call}({ ${options.join(', ')}, body: ${head}`;
  const closing = `${tail} });${assignBack}${code.epilogue ? ` ${code.epilogue}` : ''}`;
  // Pad with the line breaks the original had around the body and that the generated text does not bring.
  const before = '\n'.repeat(Math.max(0, plan.lines.beforeBody - lineBreaks(opening)));
  const written = lineBreaks(opening) + before.length + lineBreaks(plan.bodyText) + lineBreaks(closing) + lineBreaks(code.value ?? '');
  const after = '\n'.repeat(Math.max(0, plan.lines.total - written));
  return code.value === undefined
    ? `${opening}${before}${plan.bodyText}${closing}${after} }`
    : `${opening}${before}${plan.bodyText}${closing} return ${code.value};${after} })())`;
}

/** Line breaks in `text`: the compiled text keeps the original's, so that later lines keep their numbers. */
export function lineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * `[export] function f(...args) { return (__parlens_task_f ??= rt.task(<original as an expression>, { name }))(...args); }`.
 * The original stays a named function expression: inside it, `f` is the function itself, so recursion keeps
 * working in the worker, where the function is rebuilt from its source text.
 */
export function taskReplacement(name: string, modifiers: string, originalExpression: string): string {
  const cache = `__parlens_task_${name}`;
  return `var ${cache}; ${modifiers}function ${name}(...args) { return (${cache} ??= ${RUNTIME_NAMESPACE}.task(${originalExpression}, { name: ${JSON.stringify(name)} }))(...args); }`;
}

export function runtimeImport(specifier: string): string {
  return `import * as ${RUNTIME_NAMESPACE} from ${JSON.stringify(specifier)};`;
}
