// What compiling one `@parallel` construct needs to know about it, whatever its syntax. Each shape module builds
// one (loopShape.ts: counted for and for-of loops; whileLoops.ts: counted while loops; forInLoops.ts: for-in
// loops; arrayMethods.ts: map/forEach/reduce calls); compile.ts checks it against the analysis and the rules for
// code that moves into a worker, and codegen.ts writes it out. A shape module that cannot build one says why.
import type { ts } from '../core/syntax/parse';
import type { LoopConstruct } from '../core/findings';
import type { IterationSpace, ShapeCode } from './codegen';

/** 0-based offsets into the file. */
export interface Span {
  start: number;
  end: number;
}

/** Why an annotated construct cannot be compiled, in words that say what to write instead, and where. */
export interface Refusal {
  refused: string;
  at: Span;
}

export interface LoopTarget {
  /** The code the compiled code replaces: a loop statement, or an array-method call (replaced by an expression). */
  replaced: ts.Node;
  /** Where problems with the construct as a whole point: the loop keyword, or the method name. */
  anchor: Span;
  /** How the analysis reports this construct: its kind, and where its span starts. */
  analysis: { construct: LoopConstruct; start: number; line: number; asIndexLoop: boolean };
  space: IterationSpace;
  /** The worker's iteration variable: the user's counter or index, or a fresh name. */
  counter: string;
  /** How the worker binds the element of an iteration from the array (`<keyword> <pattern> = array[counter]`). */
  element?: { keyword: 'const' | 'let'; pattern: string };
  /** Walked for the outside names the worker needs and the writes it makes. */
  region: ts.Node;
  /** Parts of the region the worker does not run: evaluated once on the main thread, or replaced by the runtime. */
  skip: ts.Node[];
  /** The region is a callback whose own `return`s end an iteration (its shape rewrites them). */
  isCallback: boolean;
  /** The code run once per iteration: jumps leaving it are refused. */
  body: ts.Node;
  /** The body as the worker runs it, on the lines it had. */
  bodyText: string;
  /** What it is, for messages: 'loop', 'for-of loop', 'map() callback'. */
  what: string;
  /** The name results are written at (`out[i]`, `obj[key]`), when the construct has one. */
  index?: string;
  /** The identifier declaring that name, when an assignment to it in the body would be the user's own doing. */
  indexDeclaration?: ts.Identifier;
  /** How writes at the index come back: by iteration number into arrays, or by key into objects (for-in). */
  indexWrites: 'by-iteration' | 'by-key';
  /** Without an index, for messages about writes that would be lost: why it has none, and how to give it one. */
  noIndex?: { lacks: string; fix: (written: string) => string; hint: string };
  /** The declarations that hold a copy of the element, what it is a copy of, and what to write instead of writing into it. */
  elementHead?: { node: ts.Node; copyOf: string; advice: string };
  /** reduce(): the accumulator, whose reduction the call itself declares, and the expression it starts from. */
  accumulator?: { name: string; initial: string };
  /** Main-thread and worker code around the runtime call that this shape needs. */
  code: ShapeCode;
}

export function spanOf(node: ts.Node, sourceFile: ts.SourceFile): Span {
  return { start: node.getStart(sourceFile), end: node.end };
}

