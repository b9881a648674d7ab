// `@parallel` on a for-in loop: `for (const key in obj) { … }`. The keys are collected before the loop with a
// for-in of its own, so the compiled loop visits exactly the keys the sequential one would (inherited enumerable
// keys and their order included), and runs as an index loop over that list. Writes at the loop key into outside
// objects (`obj[key] = …`, `out[key] = …`, `delete obj[key]`) come back to the main thread: each iteration reports
// what it changed at its key, and after the loop the main thread applies it, as writes at the index come back
// for arrays.
import { ts } from '../core/syntax/parse';
import type { ShapeCode } from './codegen';
import { FOR_OF_COUNTER } from './loopShape';
import type { LoopTarget, Refusal } from './loopTarget';

const expectedForIn = 'for (const key in obj) { … }';

export function forInTarget(loop: ts.ForInStatement, sourceFile: ts.SourceFile, serial: number, line: number): LoopTarget | Refusal {
  const at = { start: loop.getStart(sourceFile), end: loop.getStart(sourceFile) + 3 };
  const init = loop.initializer;
  if (!ts.isVariableDeclarationList(init)) {
    return { refused: `@parallel needs the for-in loop to declare its key: write ${expectedForIn} instead of assigning '${init.getText(sourceFile)}', which is declared outside the loop (each worker would assign its own copy).`, at };
  }
  const scoped = init.flags & ts.NodeFlags.BlockScoped;
  const keyword = scoped === ts.NodeFlags.Const ? 'const' : scoped === ts.NodeFlags.Let ? 'let' : undefined;
  const declaration = init.declarations[0];
  if (!keyword || init.declarations.length !== 1 || !ts.isIdentifier(declaration.name)) {
    return { refused: `@parallel needs the for-in loop to declare one key with const or let: ${expectedForIn} (a var would outlive the loop with the last key, which workers cannot give back).`, at };
  }
  const key = declaration.name.text;
  const object = loop.expression.getText(sourceFile);
  const keys = keysName(serial);
  return {
    what: 'for-in loop',
    replaced: loop,
    anchor: at,
    analysis: { construct: 'for-in', start: loop.getStart(sourceFile), line, asIndexLoop: false },
    space: { kind: 'array', code: keys, text: `the keys of ${object}` },
    counter: FOR_OF_COUNTER,
    element: { keyword, pattern: key },
    region: loop,
    skip: [loop.expression],
    isCallback: false,
    body: loop.statement,
    bodyText: loop.statement.getText(sourceFile),
    index: key,
    indexDeclaration: declaration.name,
    indexWrites: 'by-key',
    // The object is read once, before the loop, as the for-in reads it once.
    code: { prologue: `const ${keys} = []; for (const __parlens_key in (${object})) ${keys}.push(__parlens_key);` },
  };
}

function keysName(serial: number): string {
  return `__parlens_keys${serial}`;
}

/**
 * Write-back by key for the outside objects the body writes at the loop key. Before the body each iteration notes
 * whether the object has the key and its value; after it, it reports 0 (unchanged), [value] (set) or 1 (deleted),
 * collected by iteration number, and the main thread applies the changes at the same keys. Only what changed comes
 * back, so unchanged entries keep their identity on the main thread (a worker's value is a copy).
 */
export function writeBackByKey(objects: string[], key: string, serial: number): ShapeCode {
  const keys = keysName(serial);
  const has = (o: string): string => `(typeof ${o} === 'object' && ${o} !== null && Object.hasOwn(${o}, ${key}))`;
  const changes = (o: string): string => `__parlens_kw${serial}_${o}`;
  return {
    prologue: objects.map((o) => `const ${changes(o)} = [];`).join(' '),
    enter: objects.map((o) => `const __parlens_had_${o} = ${has(o)}, __parlens_was_${o} = __parlens_had_${o} ? ${o}[${key}] : undefined;`).join(' '),
    collected: objects.map((o) => ({
      name: changes(o),
      value: `${has(o)} ? (__parlens_had_${o} && Object.is(${o}[${key}], __parlens_was_${o}) ? 0 : [${o}[${key}]]) : (__parlens_had_${o} ? 1 : 0)`,
    })),
    epilogue: objects.map((o) => `for (let __j = 0; __j < ${keys}.length; __j++) { const __c = ${changes(o)}[__j]; if (__c === 1) delete ${o}[${keys}[__j]]; else if (__c) ${o}[${keys}[__j]] = __c[0]; }`).join(' '),
  };
}
