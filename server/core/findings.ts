// The shapes every consumer of the analysis sees: the CLI's JSON, the language server, the esbuild plugin.
// Keep this file free of any TypeScript-compiler type so a consumer never needs the compiler to read a report.

export type LoopVerdict = 'parallel' | 'reduction' | 'sequential' | 'unknown';

/** Why one iteration (or one await) must wait for another. */
export type DependenceKind = 'flow' | 'anti' | 'output' | 'io' | 'call' | 'control' | 'alias';

export interface Dependence {
  /** The variable, property or array as written in the code (`a`, `state.x`, `console`). */
  variable: string;
  kind: DependenceKind;
  /** The access as written when it says more than the variable: `a[i - 1]` (the read, for flow and anti). */
  access?: string;
  /** 1-based line of one access (for flow: the write that a later iteration reads). */
  line: number;
  /** 1-based line of the other access, when there is one. */
  otherLine?: number;
  /** Iteration distance, when the subscripts make it known. */
  distance?: number;
  /** One sentence for people: what the dependence is. */
  note?: string;
}

export type ReductionOperator = '+' | '*' | '&&' | '||' | '|' | '&' | '^' | 'max' | 'min';

export interface Reduction {
  variable: string;
  operator: ReductionOperator;
}

/** Which construct a loop finding is about. */
export type LoopConstruct =
  | 'for' | 'for-of' | 'for-in' | 'while' | 'do-while'
  | 'forEach' | 'map' | 'filter' | 'reduce' | 'reduceRight' | 'some' | 'every' | 'find' | 'findIndex' | 'flatMap';

export interface SourceSpan {
  /** 0-based offsets into the file's text. */
  start: number;
  end: number;
}

interface FindingBase {
  /** Absolute path (or the name the caller gave for in-memory text). */
  file: string;
  /** 1-based line and column of the loop keyword, of the method name for `a.map(...)`, or of the `await`. */
  line: number;
  column: number;
  message: string;
  dependencies: Dependence[];
  /** Where the construct lies in the text, for editors; not part of the CLI's JSON contract. */
  span?: SourceSpan;
}

export interface LoopFinding extends FindingBase {
  kind: 'loop';
  construct: LoopConstruct;
  verdict: LoopVerdict;
  reductions: Reduction[];
  privates: string[];
  assumptions: string[];
  /**
   * map/forEach/reduce calls that are a whole statement (`const ys = xs.map(…)`, `xs.forEach(…)`, `return …`): the
   * 0-based offset where that statement starts, where a `// @parallel` comment for the call goes. Editors only.
   */
  statementStart?: number;
}

/** One replacement in the analysed text; offsets are 0-based into the text that was analysed. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** A rewrite the core proved safe; editors offer it as a code action, `parlens analyze --fix` applies it. */
export interface Fix {
  /** Short imperative title, e.g. `Run 2 awaits concurrently with Promise.all`. */
  title: string;
  /** What changes in behaviour (e.g. fail-fast vs settled errors); shown in hovers and the CLI. */
  description: string;
  /** Non-overlapping edits, sorted by start. */
  edits: TextEdit[];
}

export type AwaitLoopVerdict = 'independent' | 'dependent' | 'unknown';

/** Sequential time, critical path and speedup of one async body's await graph (from the one speedup model). */
export interface AwaitEstimate {
  /** Sum of the latencies of the body's awaits (default: 1 unit each). */
  sequential: number;
  /** Length of the longest chain of dependent awaits. */
  criticalPath: number;
  /** sequential / criticalPath: what running independent awaits concurrently would give. */
  speedup: number;
}

export interface AwaitFinding extends FindingBase {
  kind: 'await';
  /** The enclosing async function as people name it: `loadUser`, `<arrow at line 12>`, `<module>`. */
  function: string;
  /** Lines of earlier awaits in the same body whose results this one uses (directly or through data/effects). */
  dependsOn: number[];
  /** True when the awaited promise was created earlier and is already running concurrently. */
  alreadyConcurrent: boolean;
  /** The whole body's estimate; the same object on every await of one body. */
  estimate: AwaitEstimate;
  /**
   * Awaits the rewrite would merge with this one (lines, this one included), set on the first await of a group
   * of consecutive independent awaits; empty elsewhere.
   */
  group: number[];
  fixes: Fix[];
}

export type AwaitLoopConstruct = 'for' | 'for-of' | 'for-in' | 'for-await' | 'while' | 'do-while' | 'forEach';

export interface AwaitInLoopFinding extends FindingBase {
  kind: 'await-in-loop';
  construct: AwaitLoopConstruct;
  verdict: AwaitLoopVerdict;
  /** Number of awaits inside the loop body. */
  awaits: number;
  fixes: Fix[];
}

/** `xs.forEach(async x => ...)`: nothing waits for the callbacks; errors are lost and the caller runs on. */
export interface AsyncForEachFinding extends FindingBase {
  kind: 'async-foreach';
  fixes: Fix[];
}

export type Finding = LoopFinding | AwaitFinding | AwaitInLoopFinding | AsyncForEachFinding;

export interface FileReport {
  file: string;
  findings: Finding[];
  /** Problems that stopped part or all of the analysis of this file; the rest still ran. */
  errors: string[];
}
