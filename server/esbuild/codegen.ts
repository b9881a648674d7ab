// The text that replaces an annotated loop or task function. Replacements keep the original lines where the
// user's code goes (the body is pasted where it was), so stack traces and esbuild messages keep their lines.
import type { LoopShape } from './loopShape';
import type { ReductionOperator } from '../core/findings';

export const RUNTIME_NAMESPACE = '__parlens_rt';

export interface LoopPlan {
  name: string;
  shape: LoopShape;
  /** Source text of a for-of loop's array, evaluated once on the main thread (runtime errors quote it). */
  iteratedText?: string;
  bodyText: string;
  /** Captured names sent to workers, with the line each is first used on. */
  values: { name: string; line: number }[];
  reductions: { variable: string; operator: ReductionOperator }[];
  privates: string[];
  writes: string[];
  sharedOnly: string[];
  chunk?: number;
  workers?: number;
  /** Unique per file, for the temporary holding the results. */
  serial: number;
}

/**
 * `{ const r = await rt.runAnnotatedLoop({...}); sum = r.sum; }`. Everything before the body fits on the loop's
 * first line and everything after it on its last, so the lines in between stay where they were.
 */
export function loopReplacement(plan: LoopPlan): string {
  const json = JSON.stringify;
  const result = `__parlens_r${plan.serial}`;
  const valueNames = plan.values.map((v) => v.name);
  const head = [
    'function (__acc, __unused, __k, __ctx) {',
    `if (__acc === null) __acc = { lo: __k, r: Object.assign({}, __ctx.ids), w: {}, thread: require('node:worker_threads').threadId };`,
    valueNames.length ? `const { ${valueNames.join(', ')} } = __ctx.values;` : '',
    `let ${plan.shape.counter} = __ctx.start + __k * __ctx.step;`,
    // for-of: the element of this iteration, bound as the loop head bound it.
    plan.shape.kind === 'for-of' && plan.shape.element ? `${plan.shape.element.keyword} ${plan.shape.element.pattern} = __ctx.iterated[${plan.shape.counter}];` : '',
    ...plan.reductions.map((r) => `let ${r.variable} = __acc.r[${json(r.variable)}];`),
    plan.privates.length ? `let ${plan.privates.join(', ')};` : '',
    // A one-pass loop around the body: a `continue` in it ends the iteration, as it did in the for loop.
    'do ',
  ].filter((part) => part !== '').join(' ');
  const tail = [
    ' while (false);',
    ...plan.reductions.map((r) => `__acc.r[${json(r.variable)}] = ${r.variable};`),
    ...plan.writes.map((w) => `if (__ctx.wb[${json(w)}]) (__acc.w[${json(w)}] ??= []).push(${w}[${plan.shape.counter}]);`),
    'return __acc; }',
  ].join(' ');
  const shape = plan.shape;
  const options = [
    `name: ${json(plan.name)}`,
    ...(shape.kind === 'counted'
      ? [`start: (${shape.start})`, `end: (${shape.end})`, `inclusive: ${shape.inclusive}`, `step: ${shape.step}`]
      : [`iterated: (${plan.iteratedText ?? ''})`, `iteratedText: ${json(plan.iteratedText ?? '')}`]),
    `values: { ${valueNames.join(', ')} }`,
    `valueLines: ${json(Object.fromEntries(plan.values.map((v) => [v.name, v.line])))}`,
    `reductions: [${plan.reductions.map((r) => `{ variable: ${json(r.variable)}, operator: ${json(r.operator)}, initial: ${r.variable} }`).join(', ')}]`,
    `writes: ${json(plan.writes)}`,
    `sharedOnly: ${json(plan.sharedOnly)}`,
    ...(plan.chunk !== undefined ? [`chunk: ${plan.chunk}`] : []),
    ...(plan.workers !== undefined ? [`workers: ${plan.workers}`] : []),
  ];
  const assignBack = plan.reductions.map((r) => ` ${r.variable} = ${result}[${json(r.variable)}];`).join('');
  return `{ const ${result} = await ${RUNTIME_NAMESPACE}.runAnnotatedLoop({ ${options.join(', ')}, body: ${head}${plan.bodyText}${tail} });${assignBack} }`;
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
