// Compiles a file's `// @parallel` loops and `// @task` functions into runtime calls, or says why not.
// No esbuild here: the plugin (plugin.ts) adapts this to esbuild's onLoad, and other tools could reuse it.
import { basename } from 'node:path';
import { ts, parseSource, syntaxErrors, isFunctionLike, skipOuterExpressions } from '../core/syntax/parse';
import { ScopeResolver, type Binding } from '../core/scope/resolver';
import { analyzeSource } from '../core/analyzeSource';
import type { LoopFinding } from '../core/findings';
import { findParallelAnnotations, findTaskAnnotations, type ParallelAnnotation, type TaskAnnotation } from '../core/annotations';
import { regionUses, jumpsOut, writesIntoBindings, assignmentsTo, type RegionUses } from './captures';
import { loopShape, forLoopTarget } from './loopShape';
import { whileTarget } from './whileLoops';
import { forInTarget, writeBackByKey } from './forInLoops';
import { arrayMethodTarget, annotatedStatement } from './arrayMethods';
import { spanOf, type LoopTarget, type Refusal, type Span } from './loopTarget';
import { checkVerdict } from './verdict';
import { loopReplacement, taskReplacement, runtimeImport, lineBreaks, mergeShapeCode } from './codegen';
import type { BuildProblem } from './diagnostics';

export interface CompileOptions {
  /** Module the compiled code imports the runtime from (default 'parlens/runtime'). */
  runtime?: string;
  /** Whether the output may use `await` at the module's top level (ES module output). */
  topLevelAwait: boolean;
}

export interface CompileResult {
  /** The rewritten text; undefined when the file has no annotations or cannot be compiled. */
  contents?: string;
  errors: BuildProblem[];
  warnings: BuildProblem[];
}

interface Edit { start: number; end: number; text: string }

export function compileAnnotations(fileName: string, text: string, options: CompileOptions): CompileResult {
  const result: CompileResult = { errors: [], warnings: [] };
  // Cheap test first: most files of a build have no annotations and must cost nothing.
  if (!/@(parallel|task)\b/.test(text)) return result;
  const sourceFile = parseSource(fileName, text);
  // A file that does not parse is left to esbuild, whose own syntax errors are the ones to show.
  if (syntaxErrors(sourceFile, 1).length > 0) return result;
  const parallels = findParallelAnnotations(sourceFile);
  const tasks = findTaskAnnotations(sourceFile);
  if (parallels.length === 0 && tasks.length === 0) return result;

  const resolver = new ScopeResolver(sourceFile);
  const findings = analyzeSource(fileName, text).findings.filter((f): f is LoopFinding => f.kind === 'loop');
  const edits: Edit[] = [];
  let serial = 0;
  // What each annotation stands before (a loop, or a statement calling an array method), to judge nesting by.
  const extents = new Map(parallels.map((p) => [p, annotatedExtent(p, sourceFile)]));
  const inside = (inner: ParallelAnnotation, outer: ParallelAnnotation): boolean => {
    const a = extents.get(inner);
    const b = extents.get(outer);
    return a !== undefined && b !== undefined && outer !== inner && a.start > b.start && a.end <= b.end;
  };
  const outermost = parallels.filter((p) => !parallels.some((outer) => inside(p, outer)));
  // The entries() form is analysed as the index loop it compiles to (see indexLoopFindings); once per file.
  let indexFindings: LoopFinding[] | undefined;
  const findingOf = (target: LoopTarget): LoopFinding | undefined => {
    const { construct, start, line, asIndexLoop } = target.analysis;
    if (!asIndexLoop) return findings.find((f) => f.construct === construct && f.span?.start === start);
    indexFindings ??= indexLoopFindings(fileName, sourceFile, outermost);
    return indexFindings.find((f) => f.line === line && f.construct === construct);
  };
  for (const annotation of parallels) {
    if (!outermost.includes(annotation)) {
      result.warnings.push({ text: 'This @parallel loop is inside another @parallel loop; only the outer one is compiled, this one runs sequentially inside each outer iteration.', start: annotation.start, end: annotation.end });
      continue;
    }
    const at = { start: annotation.start, end: annotation.end };
    const extent = extents.get(annotation);
    const first = extent && outermost.find((other) => other.start < annotation.start && extents.get(other)?.start === extent.start);
    if (first) {
      result.errors.push({ text: `This is a second @parallel annotation on the same code (the first is on line ${first.line}); keep one.`, ...at });
      continue;
    }
    if (annotation.problems.length > 0) {
      result.errors.push({ text: `Malformed @parallel annotation: ${annotation.problems.join('; ')}.`, ...at });
      continue;
    }
    const target = targetOf(annotation, sourceFile, resolver, ++serial);
    if ('refused' in target) {
      result.errors.push({ text: target.refused, ...target.at });
      continue;
    }
    const edit = compileLoop(annotation, target, findingOf(target), sourceFile, resolver, options, serial, result.errors);
    if (edit) edits.push(edit);
  }
  for (const annotation of tasks) {
    const edit = compileTask(annotation, sourceFile, resolver, result.errors);
    if (edit) edits.push(edit);
  }
  if (result.errors.length > 0 || edits.length === 0) return result;
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  // On the first line (after a #! line), so that every other line keeps its number.
  const shebang = /^#![^\n]*\n/.exec(out)?.[0] ?? '';
  result.contents = shebang + runtimeImport(options.runtime ?? 'parlens/runtime') + ' ' + out.slice(shebang.length);
  return result;
}

/** The loop an annotation stands before, or the statement with the array-method call, as offsets. */
function annotatedExtent(annotation: ParallelAnnotation, sourceFile: ts.SourceFile): Span | undefined {
  if (annotation.loopStart !== undefined) return { start: annotation.loopStart, end: annotation.loopEnd! };
  const statement = annotatedStatement(sourceFile, annotation.end);
  return statement && spanOf(statement, sourceFile);
}

/** The annotated construct as a compile target, built by the module for its shape, or why it cannot be compiled. */
function targetOf(annotation: ParallelAnnotation, sourceFile: ts.SourceFile, resolver: ScopeResolver, serial: number): LoopTarget | Refusal {
  const at = { start: annotation.start, end: annotation.end };
  if (annotation.loopStart === undefined) {
    return arrayMethodTarget(sourceFile, annotation.end, resolver, serial) ?? {
      refused: '@parallel must stand directly before a loop statement or an array-method call (xs.map, xs.forEach, xs.reduce), with only comments between; move it onto the line above, or remove it.',
      at,
    };
  }
  const loop = iterationAt(sourceFile, annotation.loopStart, annotation.loopEnd!);
  const line = annotation.loopLine!;
  if (!loop) return { refused: 'internal: the annotated loop was not found again; please report this with the file', at };
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) return whileTarget(loop, sourceFile, resolver, serial, line);
  if (ts.isForInStatement(loop)) return forInTarget(loop, sourceFile, serial, line);
  return forLoopTarget(loop as ts.ForStatement | ts.ForOfStatement, sourceFile, line);
}

function compileLoop(
  annotation: ParallelAnnotation, target: LoopTarget, finding: LoopFinding | undefined, sourceFile: ts.SourceFile, resolver: ScopeResolver,
  options: CompileOptions, serial: number, errors: BuildProblem[],
): Edit | undefined {
  const fail = (text: string, at: Span = target.anchor, notes?: BuildProblem['notes']): undefined => {
    errors.push({ text, ...at, ...(notes ? { notes } : {}) });
    return undefined;
  };
  const lineOf = (node: ts.Node): number => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  const what = target.what;
  const before = errors.length;
  if (!finding && !annotation.force) return fail('internal: the analysis reported nothing for this loop; use @parallel force to compile it anyway, and please report it');
  // reduce(): the call itself declares its accumulator's reduction; the analysis names the operator it combines by.
  const accumulator = target.accumulator;
  const implied = accumulator && finding?.reductions.find((r) => r.variable === accumulator.name);
  const clauses = implied && !annotation.reductions.some((r) => r.variable === implied.variable)
    ? { ...annotation, reductions: [...annotation.reductions, implied] } : annotation;
  const index = target.index;
  const uses = regionUses(target.region, resolver, { counter: index, skip: target.skip, callback: target.isCallback });
  const declaredOutside = (name: string): boolean => uses.captures.has(name) || uses.writes.some((w) => w.name === name);
  if (finding) {
    for (const problem of checkVerdict(clauses, finding, declaredOutside)) {
      fail(problem.text, target.anchor, problem.lines.map((l) => ({ text: l.text, at: sourceFile.getPositionOfLineAndCharacter(l.line - 1, 0) })));
    }
  }
  if (accumulator && !implied && errors.length === before) {
    fail(`@parallel compiles reduce() when its callback combines the accumulator '${accumulator.name}' with one associative operator (${accumulator.name} + x, Math.max(${accumulator.name}, x), …) and uses it nowhere else; the analysis found no such operator here, so the chunks' results could not be combined (force cannot supply one). Write the callback as return ${accumulator.name} ⊕ …, or a loop with a reduction clause.`);
  }
  checkMovable(uses, target.body, what, sourceFile, fail);
  const byKey = target.indexWrites === 'by-key';
  const indexWord = byKey ? 'key' : 'index';
  if (target.indexDeclaration) {
    for (const write of assignmentsTo(target.body, target.indexDeclaration, resolver)) {
      fail(`The @parallel ${what} assigns its ${indexWord} '${index}' (line ${lineOf(write)}); compiled, every iteration has its own '${index}', and writes at it come back at the iteration's own ${indexWord}, so the change would not do what it does here. Use another variable.`, spanOf(write, sourceFile));
    }
  }
  if (target.elementHead) {
    const { node, copyOf, advice } = target.elementHead;
    for (const write of writesIntoBindings(target.body, node, resolver)) {
      fail(`The @parallel ${what} writes into its element '${write.name}' (line ${lineOf(write.node)}): a worker's element is a copy of ${copyOf}, so the change would be lost. ${advice}`, spanOf(write.node, sourceFile));
    }
  }
  const reduced = new Set(annotation.reductions.map((r) => r.variable));
  const privates = new Set(annotation.privates);
  const atIndex = new Set<string>();
  const sharedOnly = new Set<string>();
  for (const write of uses.writes) {
    const at = spanOf(write.node, sourceFile);
    if (write.kind === 'variable') {
      if (!reduced.has(write.name) && !privates.has(write.name)) {
        fail(`The @parallel ${what} assigns '${write.name}' (line ${lineOf(write.node)}), which is declared outside it: each worker would assign its own copy and the result would be lost. Declare '${write.name}' inside the ${what}, or add private(${write.name}) or reduction(op: ${write.name}).`, at);
      }
    } else if (reduced.has(write.name) || privates.has(write.name)) {
      fail(`'${write.name}' is a ${reduced.has(write.name) ? 'reduction' : 'private'} variable; the ${what} may only assign it as a whole, not its elements or properties (line ${lineOf(write.node)}).`, at);
    } else if (write.kind === 'element' && target.noIndex) {
      fail(`The @parallel ${what} writes '${write.name}[…]' (line ${lineOf(write.node)}), but results come back from workers only when written at the loop index, and ${target.noIndex.lacks}. ${target.noIndex.fix(write.name)}.`, at);
    } else if (write.kind === 'element') {
      (write.atCounter ? atIndex : sharedOnly).add(write.name);
    } else {
      const shown = index ?? 'i';
      const instead = byKey ? `an object at the loop key, ${write.name}[${shown}] = …` : `an array at the loop index${target.noIndex ? ` ${target.noIndex.hint}` : ''}, or use a shared typed array (sharedFloat64Array(), …)`;
      fail(`The @parallel ${what} writes into '${write.name}' (line ${lineOf(write.node)}) other than as ${write.name}[${shown}]: workers write their own copies, so the change would be lost. Write results into ${instead}.`, at);
    }
  }
  for (const name of [...reduced, ...privates]) {
    const capture = uses.captures.get(name);
    if (capture && capture.binding.kind === 'const') fail(`'${name}' is named in a clause but declared with const; a reduction or private variable must be assignable (let or var).`, spanOf(capture.first, sourceFile));
  }
  for (const name of sharedOnly) atIndex.delete(name);
  const values: { name: string; line: number }[] = [];
  for (const capture of uses.captures.values()) {
    if (capture.name === target.counter || reduced.has(capture.name) || privates.has(capture.name)) continue;
    const why = unsendable(capture.binding);
    if (why) {
      fail(`The @parallel ${what} uses '${capture.name}' (line ${lineOf(capture.first)}), which is ${why}; the body runs in a worker, and ${why.startsWith('a function') || why.startsWith('a class') ? 'code' : 'such a value'} cannot be sent there. Move what it does into the ${what}, or pass plain data instead.`, spanOf(capture.first, sourceFile));
      continue;
    }
    values.push({ name: capture.name, line: lineOf(capture.first) });
  }
  const context = enclosingContext(target.replaced);
  // Where the code cannot await (a synchronous function, a CommonJS module's top level) the compiled loop blocks
  // the thread until the workers are done, as the sequential loop occupied it until it was done.
  const mode = context.kind === 'async' || (context.kind === 'module' && options.topLevelAwait) ? 'awaited' : 'blocking';
  if (errors.length > before) return undefined;
  // Writes at a for-in loop's key come back by key; everywhere else writes at the index come back by iteration number.
  const code = byKey && atIndex.size > 0 ? mergeShapeCode(target.code, writeBackByKey([...atIndex], index!, serial)) : target.code;
  const text = sourceFile.text;
  const replacedStart = target.replaced.getStart(sourceFile);
  const replacement = loopReplacement({
    name: `${basename(sourceFile.fileName)}:${target.analysis.line}`,
    construct: target.isCallback ? `${target.analysis.construct}() call` : what,
    space: target.space, counter: target.counter, ...(target.element ? { element: target.element } : {}), bodyText: target.bodyText, values,
    reductions: [
      ...annotation.reductions.filter((r) => r.variable !== accumulator?.name),
      ...(implied && accumulator ? [{ ...implied, initial: accumulator.initial }] : []),
    ],
    privates: annotation.privates, writes: byKey ? [] : [...atIndex], sharedOnly: [...sharedOnly], chunk: annotation.chunk, workers: annotation.workers,
    serial, code, mode,
    lines: { beforeBody: lineBreaks(text.slice(replacedStart, target.body.getStart(sourceFile))), total: lineBreaks(text.slice(replacedStart, target.replaced.end)) },
  });
  return { start: replacedStart, end: target.replaced.end, text: replacement };
}

function checkMovable(uses: RegionUses, body: ts.Node, what: string, sourceFile: ts.SourceFile, fail: (text: string, where: Span) => undefined): void {
  const line = (node: ts.Node): number => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  for (const { what: construct, node } of uses.unmovable) {
    fail(`The @parallel ${what} uses ${construct} at line ${line(node)}; its body becomes a function run in a worker, where that means something else. Compute it before the ${what} into a variable the body reads, or remove the annotation.`, spanOf(node, sourceFile));
  }
  for (const jump of jumpsOut(body)) {
    fail(`'${jump.getText(sourceFile)}' at line ${line(jump)} leaves the @parallel ${what} early; parallel iterations all run, so there is no 'early'. Remove the jump, or remove the annotation.`, spanOf(jump, sourceFile));
  }
}

/** Why a captured binding cannot cross to a worker, judged from its declaration; undefined when it may (checked again at run time). */
function unsendable(binding: Binding): string | undefined {
  if (binding.kind === 'function') return 'a function';
  if (binding.kind === 'class') return 'a class';
  const initializer = binding.initializer && skipParens(binding.initializer);
  if (!initializer || binding.kind === 'param') return undefined;
  if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return 'a function';
  if (ts.isClassExpression(initializer)) return 'a class';
  if (ts.isNewExpression(initializer) && ts.isIdentifier(initializer.expression) && !cloneableConstructors.has(initializer.expression.text)) {
    return `an instance of ${initializer.expression.text} (a class instance loses its methods and hidden state when copied)`;
  }
  return undefined;
}

const cloneableConstructors = new Set([
  'Array', 'Object', 'Map', 'Set', 'Date', 'RegExp', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Error',
  'Float64Array', 'Float32Array', 'Int32Array', 'Uint32Array', 'Int16Array', 'Uint16Array', 'Int8Array', 'Uint8Array',
  'Uint8ClampedArray', 'BigInt64Array', 'BigUint64Array',
]);

function skipParens(node: ts.Expression): ts.Expression {
  let at = node;
  while (ts.isParenthesizedExpression(at) || ts.isAsExpression(at) || ts.isSatisfiesExpression(at)) at = at.expression;
  return at;
}

type EnclosingContext = { kind: 'async' } | { kind: 'module' } | { kind: 'sync' };

function enclosingContext(node: ts.Node): EnclosingContext {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isClassStaticBlockDeclaration(at)) return { kind: 'sync' };
    if (!isFunctionLike(at)) continue;
    const isAsync = (ts.getCombinedModifierFlags(at as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
    return { kind: isAsync ? 'async' : 'sync' };
  }
  return { kind: 'module' };
}

function compileTask(annotation: TaskAnnotation, sourceFile: ts.SourceFile, resolver: ScopeResolver, errors: BuildProblem[]): Edit | undefined {
  const at = { start: annotation.start, end: annotation.end };
  if (annotation.problems.length > 0) {
    errors.push({ text: `Malformed @task annotation: ${annotation.problems.join('; ')}.`, ...at });
    return undefined;
  }
  const declaration = functionAfter(sourceFile, annotation.end);
  if (annotation.functionLine === undefined || !declaration || !declaration.body || !declaration.name) {
    errors.push({ text: '@task must stand directly before a named function declaration (`function f(…) {…}`); arrow functions and methods are not supported. Move the comment, or declare the function with `function`.', ...at });
    return undefined;
  }
  const name = declaration.name.text;
  const before = errors.length;
  const uses = regionUses(declaration, resolver);
  for (const capture of uses.captures.values()) {
    if (capture.binding.declaration === declaration) continue; // recursion: the rebuilt function is named too
    const line = sourceFile.getLineAndCharacterOfPosition(capture.first.getStart(sourceFile)).line + 1;
    errors.push({
      text: `Task '${name}' uses '${capture.name}' (line ${line}), declared outside it; a task runs in a worker, rebuilt from its source, and sees only its arguments. Pass '${capture.name}' as an argument (a plain value), or move it into the function.`,
      ...spanOf(capture.first, sourceFile),
    });
  }
  for (const { what, node } of uses.unmovable) errors.push({ text: `Task '${name}' uses ${what}, which has no meaning in a worker.`, ...spanOf(node, sourceFile) });
  if (errors.length > before) return undefined;
  const modifiers = (ts.getModifiers(declaration) ?? [])
    .filter((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword)
    .map((m) => m.getText(sourceFile) + ' ').join('');
  const start = declaration.getStart(sourceFile);
  const firstKept = (ts.getModifiers(declaration) ?? []).find((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  // The expression starts at `async` (kept) or `function`: `export`/`default` move to the wrapper.
  const functionKeyword = declaration.getChildren(sourceFile).find((child) => child.kind === ts.SyntaxKind.FunctionKeyword)!;
  const expressionStart = firstKept ? firstKept.getStart(sourceFile) : functionKeyword.getStart(sourceFile);
  const expression = sourceFile.text.slice(expressionStart, declaration.end);
  return { start, end: declaration.end, text: taskReplacement(name, modifiers, expression) };
}

/** The loop statement at exactly these offsets. */
function iterationAt(sourceFile: ts.SourceFile, start: number, end: number): ts.IterationStatement | undefined {
  const stack: ts.Node[] = [sourceFile];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.end < start || node.pos > end) continue;
    if (ts.isIterationStatement(node, false) && node.getStart(sourceFile) === start && node.end === end) return node;
    node.forEachChild((child) => { stack.push(child); });
  }
  return undefined;
}

/** The function declaration whose leading comments end at `commentEnd`'s comment. */
function functionAfter(sourceFile: ts.SourceFile, commentEnd: number): ts.FunctionDeclaration | undefined {
  const stack: ts.Node[] = [sourceFile];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.end < commentEnd || node.pos > commentEnd) continue;
    if (ts.isFunctionDeclaration(node) && node.pos <= commentEnd && node.getStart(sourceFile) >= commentEnd) return node;
    node.forEachChild((child) => { stack.push(child); });
  }
  return undefined;
}

/**
 * Findings for the entries() loops among `annotations`, analysed as the index loops they compile to. The analysis
 * does not know that `i` in `for (const [i, x] of xs.entries())` is the element's index, so it cannot prove
 * `out[i] = …` independent; rewritten as `for (let i = 0; i < xs.length; i++) { const x = xs[i]; … }` on the same
 * lines, the loop gets the counted analysis: the same accesses, subscripts it can read, lines that match.
 */
function indexLoopFindings(fileName: string, sourceFile: ts.SourceFile, annotations: ParallelAnnotation[]): LoopFinding[] {
  const edits: Edit[] = [];
  for (const annotation of annotations) {
    if (annotation.loopStart === undefined) continue;
    const loop = iterationAt(sourceFile, annotation.loopStart, annotation.loopEnd!);
    if (!loop || !ts.isForOfStatement(loop)) continue;
    const shape = loopShape(loop, sourceFile);
    if (typeof shape === 'string' || shape.kind !== 'for-of' || !shape.entries || !shape.index) continue;
    const start = loop.getStart(sourceFile);
    const bodyStart = shape.body.getStart(sourceFile);
    const newlines = '\n'.repeat(sourceFile.text.slice(start, bodyStart).split('\n').length - 1);
    const iterated = shape.iterated.getText(sourceFile);
    // A name or a property path reads the same on every iteration; anything else is evaluated once, as compiled.
    const simple = isPath(shape.iterated);
    const xs = simple ? iterated : '__parlens_xs';
    const i = shape.index;
    const element = shape.element ? ` ${shape.element.keyword} ${shape.element.pattern} = ${xs}[${i}];` : '';
    const head = `${simple ? '' : `{ const ${xs} = (${iterated.replace(/\r?\n/g, ' ')}); `}for (let ${i} = 0; ${i} < ${xs}.length; ${i}++) {${element}${newlines} `;
    edits.push({ start, end: bodyStart, text: head }, { start: loop.end, end: loop.end, text: simple ? ' }' : ' } }' });
  }
  if (edits.length === 0) return [];
  let text = sourceFile.text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  return analyzeSource(fileName, text).findings.filter((f): f is LoopFinding => f.kind === 'loop');
}

function isPath(expression: ts.Expression): boolean {
  let at = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(at)) at = skipOuterExpressions(at.expression);
  return ts.isIdentifier(at) || at.kind === ts.SyntaxKind.ThisKeyword;
}
