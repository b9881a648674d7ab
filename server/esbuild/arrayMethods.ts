// `@parallel` on an array-method call: `const ys = xs.map((x, i) => …)`, `xs.forEach((x, i) => { … })`,
// `const total = xs.reduce((acc, x) => acc + f(x), init)`. The call compiles as the loop it stands for: an index
// loop over `xs` (evaluated once, checked to be an array or typed array at run time) whose body is the callback's
// body, its `return`s rewritten to end the iteration. For map the returned value is the element of a fresh result
// array, collected at the index; for reduce it is the accumulator's next value, a reduction with the operator the
// callback combines by (the analysis names it). Holes of a sparse array are skipped, as the methods skip them.
// The analysis's finding for the call itself is checked, so dependences are reported on the callback's own lines.
import { ts, skipOuterExpressions, isFunctionLike } from '../core/syntax/parse';
import type { ScopeResolver } from '../core/scope/resolver';
import { iteratingMethods } from '../core/effects/builtins';
import { wholeStatementCall } from '../core/annotations';
import { ITERATION_LABEL, WORKER_CONTEXT, lineBreaks, resultName, type ShapeCode } from './codegen';
import { FOR_OF_COUNTER } from './loopShape';
import { spanOf, type LoopTarget, type Refusal } from './loopTarget';

type CompiledMethod = 'map' | 'forEach' | 'reduce';
const compiledMethods: ReadonlySet<string> = new Set<CompiledMethod>(['map', 'forEach', 'reduce']);

/** The worker's variable for the value a map() callback returns. */
const MAP_VALUE = '__parlens_value';

const acceptedForms = 'const ys = xs.map((x, i) => …), xs.forEach((x, i) => { … }) or const total = xs.reduce((acc, x) => acc + …, init)';

/**
 * The array-method call of the statement a `@parallel` comment stands before, as a compile target; or why it cannot
 * be one, saying what to write instead; or undefined when that statement calls no iterating array method.
 */
export function arrayMethodTarget(sourceFile: ts.SourceFile, commentEnd: number, resolver: ScopeResolver, serial: number): LoopTarget | Refusal | undefined {
  const statement = annotatedStatement(sourceFile, commentEnd);
  const found = statement && iteratingCallIn(statement);
  if (!statement || !found) return undefined;
  const { call, callee } = found;
  const method = callee.name.text;
  const xs = callee.expression.getText(sourceFile);
  const at = spanOf(call, sourceFile);
  if (!compiledMethods.has(method)) return { refused: otherMethodAdvice(method, xs), at };
  if (wholeStatementCall(statement) !== call) {
    return { refused: `@parallel compiles an array-method call that is the whole statement: ${acceptedForms} (also an assignment, ys = xs.map(…), or return xs.map(…)). Here ${xs}.${method}(…) is part of a larger expression; assign its result to a variable in a statement of its own and annotate that.`, at };
  }
  if (call.questionDotToken || callee.questionDotToken) {
    return { refused: `@parallel does not compile an optional call (${xs}?.${method}(…)): test ${xs} first, then annotate ${xs}.${method}(…) inside the test.`, at };
  }
  const parts = callbackOf(call, method as CompiledMethod, xs, sourceFile);
  if ('refused' in parts) return parts;
  const parameters = parametersOf(parts.callback, method as CompiledMethod, xs, sourceFile, resolver);
  if ('refused' in parameters) return parameters;
  const { callback, initial } = parts;
  const { element, index, accumulator } = parameters;
  const body = callback.body;

  const counter = index?.text ?? FOR_OF_COUNTER;
  const elementName = element?.name.getText(sourceFile) ?? 'x';
  const callbackHead = method === 'reduce' ? `(${accumulator}, ${elementName}, i)` : `(${elementName}, i)`;
  // Where the callback's value goes: map's element, reduce's next accumulator; forEach drops it.
  const returned = method === 'map' ? MAP_VALUE : accumulator;
  return {
    what: `${method}() callback`,
    replaced: call,
    anchor: spanOf(callee.name, sourceFile),
    analysis: { construct: method as CompiledMethod, start: call.getStart(sourceFile), line: lineOf(statement, sourceFile), asIndexLoop: false },
    space: { kind: 'array', code: method === 'forEach' ? `(${xs})` : arrayName(serial), text: xs },
    counter,
    ...(element ? { element: { keyword: 'let' as const, pattern: elementName } } : {}),
    region: callback,
    skip: [],
    isCallback: true,
    body,
    bodyText: ts.isBlock(body) ? rewriteReturns(body, sourceFile, returned) : `{ ${returned ? `${returned} = (` : 'void ('}${body.getText(sourceFile)}); }`,
    ...(index ? { index: index.text, indexDeclaration: index } : {
      noIndex: {
        lacks: 'the callback has no index parameter',
        fix: (written: string) => `Add one and write at it: ${xs}.${method}(${callbackHead} => { ${written}[i] = …; })`,
        hint: `(the parameter after the element, ${xs}.${method}(${callbackHead} => …), gives the callback an index)`,
      },
    }),
    indexWrites: 'by-iteration',
    ...(element ? {
      elementHead: {
        node: element,
        copyOf: `${xs}[i]`,
        advice: method === 'map'
          ? `Return the new element instead (map builds the new array from what the callback returns): ${xs}.map((${elementName}) => …).`
          : `Write results into an array at the index instead: ${xs}.${method}(${callbackHead} => { … out[i] = …; }).`,
      },
    } : {}),
    ...(accumulator ? { accumulator: { name: accumulator, initial: reduceInitial(serial) } } : {}),
    code: shapeCode(method as CompiledMethod, xs, initial?.getText(sourceFile), accumulator, counter, serial),
  };
}

/** The call's inline callback (and reduce's initial value), or why the arguments cannot be compiled. */
function callbackOf(call: ts.CallExpression, method: CompiledMethod, xs: string, sourceFile: ts.SourceFile): { callback: ts.ArrowFunction | ts.FunctionExpression; initial?: ts.Expression } | Refusal {
  const [first, initial, ...extra] = call.arguments;
  if (!first || ts.isSpreadElement(first) || extra.length > 0 || (initial && (method !== 'reduce' || ts.isSpreadElement(initial)))) {
    return {
      refused: method === 'reduce'
        ? `@parallel compiles ${xs}.reduce(callback) or ${xs}.reduce(callback, initialValue), without spread arguments.`
        : `@parallel compiles ${xs}.${method}(callback) with the callback alone: a second argument (the callback's 'this') has no meaning in a worker. Use the value by name in the callback instead.`,
      at: spanOf(call, sourceFile),
    };
  }
  const callback = skipOuterExpressions(first);
  if (!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback)) {
    return { refused: `@parallel needs the callback of ${xs}.${method}(…) written inline, as an arrow function or function expression: its body becomes the loop body run in a worker, and a function value cannot be sent there. Write ${xs}.${method}((x, i) => { … }) with the body inline.`, at: spanOf(first, sourceFile) };
  }
  const at = spanOf(callback, sourceFile);
  if (ts.getCombinedModifierFlags(callback) & ts.ModifierFlags.Async) {
    return { refused: `@parallel does not compile an async callback: ${method}() would not wait for it, and a worker runs the body synchronously. Remove async and the awaits, or await the calls with Promise.all instead of annotating.`, at };
  }
  if (ts.isFunctionExpression(callback) && callback.asteriskToken) return { refused: `@parallel does not compile a generator function as the callback of ${xs}.${method}(…).`, at };
  return { callback, ...(initial ? { initial } : {}) };
}

/**
 * The callback's element, index and (reduce) accumulator parameters, or why they cannot be compiled: the worker
 * binds them per iteration, so they must be plain, and the array parameter must not be used (the analysis knows
 * the array by its name; through the parameter an access would escape it).
 */
function parametersOf(callback: ts.ArrowFunction | ts.FunctionExpression, method: CompiledMethod, xs: string, sourceFile: ts.SourceFile, resolver: ScopeResolver):
  { element?: ts.ParameterDeclaration; index?: ts.Identifier; accumulator?: string } | Refusal {
  const parameters = callback.parameters;
  const roles = method === 'reduce' ? { accumulator: 0, element: 1, index: 2, array: 3 } : { element: 0, index: 1, array: 2 };
  const problem = parameters.find((p) => p.initializer || p.dotDotDotToken || (ts.isIdentifier(p.name) && p.name.text === 'this'));
  if (problem) {
    return { refused: `@parallel needs the callback's parameters to be plain (no default value, rest or 'this' parameter): ${method}() passes ${method === 'reduce' ? 'the accumulator, the element, its index and the array' : 'the element, its index and the array'}. Give defaults inside the body (const y = x ?? fallback).`, at: spanOf(problem, sourceFile) };
  }
  const extra = parameters[roles.array + 1];
  if (extra) return { refused: `The callback has more parameters than ${method}() passes; remove '${extra.getText(sourceFile)}'.`, at: spanOf(extra, sourceFile) };
  const arrayParameter = parameters[roles.array];
  const arrayUse = arrayParameter && usesOf(arrayParameter, callback.body, resolver)[0];
  if (arrayUse) {
    return { refused: `The callback of ${xs}.${method}(…) uses its parameter '${arrayUse.text}' (line ${lineOf(arrayUse, sourceFile)}), the array itself. Write ${xs} instead: the analysis then sees every access to it, and the worker reads its copy of ${xs} by that name.`, at: spanOf(arrayUse, sourceFile) };
  }
  const indexParameter = parameters[roles.index];
  if (indexParameter && !ts.isIdentifier(indexParameter.name)) return { refused: `The index parameter of the callback must be a plain name, as in ${xs}.${method}((x, i) => …).`, at: spanOf(indexParameter, sourceFile) };
  const element = parameters[roles.element];
  const index = indexParameter && ts.isIdentifier(indexParameter.name) ? indexParameter.name : undefined;
  if (roles.accumulator === undefined) return { ...(element ? { element } : {}), ...(index ? { index } : {}) };
  const accumulator = parameters[roles.accumulator];
  if (!accumulator || !ts.isIdentifier(accumulator.name)) {
    return { refused: `@parallel needs the reduce() callback to name its accumulator with a plain name, as in ${xs}.reduce((acc, x) => acc + x, 0): the accumulator is the reduction the compiled loop combines.`, at: spanOf(callback, sourceFile) };
  }
  const name = accumulator.name.text;
  const body = callback.body;
  if (ts.isBlock(body)) {
    const bare = returnsOf(body).find((r) => !r.expression);
    if (bare || !alwaysReturns(body)) {
      return { refused: `The reduce() callback can end without returning the next accumulator${bare ? ` ('return;' at line ${lineOf(bare, sourceFile)})` : ''}; reduce would carry undefined on. End every path with return ${name} ⊕ …, the operator it combines by.`, at: bare ? spanOf(bare, sourceFile) : spanOf(callback, sourceFile) };
    }
  }
  return { ...(element ? { element } : {}), ...(index ? { index } : {}), accumulator: name };
}

function arrayName(serial: number): string {
  return `__parlens_xs${serial}`;
}

/** The main-thread and worker code each method needs around the index loop. */
function shapeCode(method: CompiledMethod, xs: string, initial: string | undefined, accumulator: string | undefined, counter: string, serial: number): ShapeCode {
  const array = arrayName(serial);
  // map, forEach and reduce skip the holes of a sparse array (a worker's copy keeps them); typed arrays have none.
  const hole = `!(${counter} in ${WORKER_CONTEXT}.iterated)`;
  switch (method) {
    case 'forEach':
      return { skipWhen: hole, value: 'undefined' };
    case 'map': {
      const out = `__parlens_out${serial}`;
      return {
        prologue: `const ${array} = (${xs}), ${out} = [];`,
        enter: `let ${MAP_VALUE};`,
        skipWhen: hole,
        collected: [{ name: out, value: MAP_VALUE }],
        // Every iteration sends a value, holes too: the result keeps the holes of the input, as map's does.
        epilogue: `if (Array.isArray(${array})) for (let __j = 0; __j < ${array}.length; __j++) { if (!(__j in ${array})) delete ${out}[__j]; }`,
        // A typed array maps to a typed array of its own type, as its map() does.
        value: `Array.isArray(${array}) ? ${out} : new ${array}.constructor(${out})`,
      };
    }
    case 'reduce': {
      const init = reduceInitial(serial);
      // The value of the call: the accumulator's final value, which the runtime returns with the reductions.
      const value = `${resultName(serial)}[${JSON.stringify(accumulator)}]`;
      if (initial !== undefined) return { prologue: `const ${array} = (${xs}), ${init} = (${initial});`, skipWhen: hole, value };
      // Without an initial value reduce starts from the first element present and throws on an empty array.
      const from = `__parlens_from${serial}`;
      return {
        prologue: `const ${array} = (${xs}); let ${from} = 0; if (Array.isArray(${array}) || ArrayBuffer.isView(${array})) { while (${from} < ${array}.length && !(${from} in ${array})) ${from}++; `
          + `if (${from} >= ${array}.length) throw new TypeError('Reduce of empty array with no initial value'); } const ${init} = ${array}[${from}];`,
        sent: [from],
        skipWhen: `${counter} <= ${WORKER_CONTEXT}.values.${from} || ${hole}`,
        value,
      };
    }
  }
}

/** The prologue temporary a reduce() target's accumulator starts from. */
function reduceInitial(serial: number): string {
  return `__parlens_init${serial}`;
}

/** The callback's block with each of its own `return`s rewritten to end the iteration, handing the value to `target`. */
function rewriteReturns(body: ts.Block, sourceFile: ts.SourceFile, target: string | undefined): string {
  const text = sourceFile.text;
  let out = '';
  let at = body.getStart(sourceFile);
  for (const statement of returnsOf(body)) {
    const value = statement.expression;
    const rest = value ? '\n'.repeat(lineBreaks(text.slice(value.end, statement.end))) : '';
    const replacement = !value ? (target ? `{ ${target} = undefined; continue ${ITERATION_LABEL}; }` : `continue ${ITERATION_LABEL};`)
      : `{ ${target ? `${target} = (` : 'void ('}${text.slice(value.getStart(sourceFile), value.end)}); continue ${ITERATION_LABEL}; }${rest}`;
    out += text.slice(at, statement.getStart(sourceFile)) + replacement;
    at = statement.end;
  }
  return out + text.slice(at, body.end);
}

/** The callback's own `return` statements (not those of functions inside it), in order. */
function returnsOf(body: ts.Block): ts.ReturnStatement[] {
  const found: ts.ReturnStatement[] = [];
  const stack: ts.Node[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunctionLike(node) || ts.isClassLike(node)) continue;
    if (ts.isReturnStatement(node)) found.push(node);
    node.forEachChild((child) => { stack.push(child); });
  }
  return found.sort((a, b) => a.pos - b.pos);
}

/** Whether every path through `statement` ends in a return or a throw (judged by the last statements and if/else). */
function alwaysReturns(statement: ts.Statement | undefined): boolean {
  if (!statement) return false;
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  if (ts.isBlock(statement)) return alwaysReturns(statement.statements[statement.statements.length - 1]);
  if (ts.isIfStatement(statement)) return alwaysReturns(statement.thenStatement) && alwaysReturns(statement.elseStatement);
  return false;
}

/** References in `body` to the names `parameter` declares. */
function usesOf(parameter: ts.ParameterDeclaration, body: ts.Node, resolver: ScopeResolver): ts.Identifier[] {
  const found: ts.Identifier[] = [];
  const stack: ts.Node[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isIdentifier(node)) {
      const binding = resolver.resolve(node);
      if (binding && binding.nameNode !== node && binding.nameNode.pos >= parameter.pos && binding.nameNode.end <= parameter.end) found.push(node);
    }
    node.forEachChild((child) => { stack.push(child); });
  }
  return found.sort((a, b) => a.pos - b.pos);
}

type MethodStatement = ts.ExpressionStatement | ts.VariableStatement | ts.ReturnStatement;

/** The expression, variable or return statement a comment stands before (where an array-method call may be). */
export function annotatedStatement(sourceFile: ts.SourceFile, commentEnd: number): MethodStatement | undefined {
  const stack: ts.Node[] = [sourceFile];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.end < commentEnd || node.pos > commentEnd) continue;
    if ((ts.isExpressionStatement(node) || ts.isVariableStatement(node) || ts.isReturnStatement(node)) && node.pos <= commentEnd && node.getStart(sourceFile) >= commentEnd) return node;
    node.forEachChild((child) => { stack.push(child); });
  }
  return undefined;
}

/** The outermost iterating array-method call in the statement (callbacks' insides excluded), breadth first. */
function iteratingCallIn(statement: MethodStatement): { call: ts.CallExpression; callee: ts.PropertyAccessExpression } | undefined {
  const queue: ts.Node[] = ts.isVariableStatement(statement) ? [...statement.declarationList.declarations] : [statement];
  for (let at = 0; at < queue.length; at++) {
    const node = queue[at];
    if (isFunctionLike(node) || ts.isClassLike(node)) continue;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && iteratingMethods.has(callee.name.text)) return { call: node, callee };
    }
    node.forEachChild((child) => { queue.push(child); });
  }
  return undefined;
}

/** For the iterating methods that are not compiled: what to write instead. */
function otherMethodAdvice(method: string, xs: string): string {
  const head = `@parallel compiles ${xs}.map(…), ${xs}.forEach(…) and ${xs}.reduce(…), not ${xs}.${method}(…)`;
  if (method === 'reduceRight') {
    return `${head}: reduceRight combines from the end. Keep the accumulator in a variable and name it in a reduction clause over a loop, let acc = <initial value>; then // @parallel reduction(+: acc) over for (const x of ${xs}) { acc += …; } (if the operator does not care about order), or use ${xs}.reduce(…).`;
  }
  return `${head}: ${method}() stops early or builds a result of unknown length. Compute each element's result into an array at the index under the annotation, ${xs}.forEach((x, i) => { flags[i] = …; }) or for (const [i, x] of ${xs}.entries()) { flags[i] = …; }, then finish sequentially (for instance ${xs}.filter((_, i) => flags[i])).`;
}

function lineOf(node: ts.Node, sourceFile: ts.SourceFile): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}
