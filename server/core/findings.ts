// The shapes every consumer of the analysis sees: the CLI's JSON, the language server, the esbuild plugin.
// Keep this file free of any TypeScript-compiler type so a consumer never needs the compiler to read a report.

export type LoopVerdict = 'parallel' | 'reduction' | 'sequential' | 'unknown';

/** Why one iteration (or one await) must wait for another. */
export type DependenceKind = 'flow' | 'anti' | 'output' | 'io' | 'call' | 'control' | 'alias';

export interface Dependence {
  /** The variable, property or array as written in the code (`a`, `state.x`, `console`). */
  variable: string;
  kind: DependenceKind;
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
}

export type Finding = LoopFinding;

export interface FileReport {
  file: string;
  findings: Finding[];
  /** Problems that stopped part or all of the analysis of this file; the rest still ran. */
  errors: string[];
}
