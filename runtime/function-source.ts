// Functions cross to workers as source text (Function.prototype.toString) and are rebuilt there with
// `new Function`. That is the only way to move code between V8 isolates, so a function must be
// self-contained: everything it needs arrives as an argument or through options.context.

import { FunctionSourceError } from './errors';

/**
 * The source of `fn` as a standalone expression, or a FunctionSourceError saying why it cannot be sent.
 * Method shorthand (`m() {}`, `async m() {}`) is turned into a function expression.
 */
export function functionSource(fn: Function, what: string): string {
  if (typeof fn !== 'function') {
    throw new FunctionSourceError(`${what} must be a function, got ${typeof fn}.`);
  }
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    const kind = fn.name.startsWith('bound ') ? 'a bound function' : 'a native function';
    throw new FunctionSourceError(
      `${what} '${fn.name || 'anonymous'}' is ${kind}, which has no source text to send to a worker. ` +
        'Pass a plain function or arrow written in your code, and hand it its inputs through arguments or options.context.',
    );
  }
  return asExpression(source);
}

function asExpression(source: string): string {
  const trimmed = source.trim();
  if (/^(async\s+)?function\b/.test(trimmed) || /^class\b/.test(trimmed)) return trimmed;
  if (/^(async\s*)?(\([^)]*\)|[\w$]+)\s*=>/.test(trimmed)) return trimmed;
  // Method shorthand: `name(...) {` or `async name(...) {`, possibly a generator `*name(`.
  const method = /^(async\s+)?(\*\s*)?[\w$]+\s*\(/.exec(trimmed);
  if (method) {
    // Anonymous on purpose: a method may be named `delete` or `new`, which a function may not.
    const parameters = trimmed.slice(method[0].length - 1);
    return `${method[1] ?? ''}function${method[2] ? '*' : ''} ${parameters}`;
  }
  return trimmed;
}

/** Names every rebuilt function can use: `__name` is the helper esbuild/tsx insert when keeping names. */
const keepNamesHelper = (target: unknown): unknown => target;

/**
 * Rebuilds a function or class from its source inside a worker. `require` is offered so that task code
 * can load Node built-ins and packages itself (`const { createHash } = require('node:crypto')`).
 */
export function rebuildFunction(source: string, requireFn: unknown): Function {
  let built: unknown;
  try {
    built = new Function('__name', 'require', `"use strict"; return (${source});`)(keepNamesHelper, requireFn);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FunctionSourceError(
      `A function sent to a worker could not be rebuilt from its source (${reason}). ` +
        'Send a plain function, arrow or class declared in your code; getters, setters and computed method names are not supported.\n' +
        `Source: ${source.slice(0, 200)}`,
    );
  }
  if (typeof built !== 'function') {
    throw new FunctionSourceError(`The source sent to a worker did not evaluate to a function: ${source.slice(0, 200)}`);
  }
  return built;
}
