// Compiles a file's `// @parallel` loops and `// @task` functions into runtime calls, or says why not.
// No esbuild here: the plugin (plugin.ts) adapts this to esbuild's onLoad, and other tools could reuse it.
import { basename } from 'node:path';
import { ts, parseSource, syntaxErrors, isFunctionLike, skipOuterExpressions } from '../core/syntax/parse';
import { ScopeResolver, type Binding } from '../core/scope/resolver';
import { analyzeSource } from '../core/analyzeSource';
import type { LoopFinding } from '../core/findings';
import { findParallelAnnotations, findTaskAnnotations, type ParallelAnnotation, type TaskAnnotation } from '../core/annotations';
import { iteratingMethods } from '../core/effects/builtins';
import { regionUses, jumpsOut, writesIntoBindings, type RegionUses } from './captures';
import { loopShape, type ForOfLoop } from './loopShape';
import { checkVerdict } from './verdict';
import { loopReplacement, taskReplacement, runtimeImport } from './codegen';
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
  const outermost = parallels.filter((p) => !parallels.some((outer) => outer !== p && outer.loopStart !== undefined && p.start > outer.loopStart && p.end <= outer.loopEnd!));
  // The entries() form is analysed as the index loop it compiles to (see indexLoopFindings); once per file.
  let indexFindings: LoopFinding[] | undefined;
  const findingsFor = (shape: ForOfLoop | undefined): LoopFinding[] => {
    if (!shape?.entries) return findings;
    indexFindings ??= indexLoopFindings(fileName, sourceFile, outermost);
    return indexFindings;
  };
  for (const annotation of parallels) {
    if (!outermost.includes(annotation)) {
      result.warnings.push({ text: 'This @parallel loop is inside another @parallel loop; only the outer one is compiled, this one runs sequentially inside each outer iteration.', start: annotation.start, end: annotation.end });
      continue;
    }
    const edit = compileLoop(annotation, sourceFile, resolver, findingsFor, options, ++serial, result.errors);
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

function compileLoop(
  annotation: ParallelAnnotation, sourceFile: ts.SourceFile, resolver: ScopeResolver, findingsFor: (shape: ForOfLoop | undefined) => LoopFinding[],
  options: CompileOptions, serial: number, errors: BuildProblem[],
): Edit | undefined {
  const at = { start: annotation.start, end: annotation.end };
  const fail = (text: string, where: { start: number; end: number } = at, notes?: BuildProblem['notes']): undefined => {
    errors.push({ text, ...where, ...(notes ? { notes } : {}) });
    return undefined;
  };
  if (annotation.problems.length > 0) return fail(`Malformed @parallel annotation: ${annotation.problems.join('; ')}.`);
  if (annotation.loopStart === undefined) {
    const method = arrayMethodAfter(sourceFile, annotation.end);
    if (method) return fail(arrayMethodAdvice(method.name, method.receiver.getText(sourceFile)), where(method.call, sourceFile));
    return fail('@parallel must stand directly before a loop statement (only comments may come between); move it onto the line above the loop, or remove it.');
  }
  const loop = iterationAt(sourceFile, annotation.loopStart, annotation.loopEnd!);
  if (!loop) return fail('internal: the annotated loop was not found again; please report this with the file');
  const loopAt = { start: loop.getStart(sourceFile), end: loop.getStart(sourceFile) + 3 };
  const shape = loopShape(loop, sourceFile);
  if (typeof shape === 'string') return fail(shape, loopAt);
  const forOf = shape.kind === 'for-of' ? shape : undefined;

  const lineOf = (node: ts.Node): number => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  const before = errors.length;
  // A plain for-of has the analysis's for-of verdict; the entries() form that of the index loop it compiles to.
  const construct = forOf && !forOf.entries ? 'for-of' : 'for';
  const finding = findingsFor(forOf).find((f) => f.line === annotation.loopLine && f.construct === construct);
  if (!finding && !annotation.force) return fail('internal: the analysis reported nothing for this loop; use @parallel force to compile it anyway, and please report it', loopAt);
  // Index name in messages and for writes at the index: the counter, the entries() index, or none (plain for-of).
  const index = forOf ? forOf.index : shape.counter;
  const uses = regionUses(loop, resolver, index, forOf ? (loop as ts.ForOfStatement).expression : undefined);
  const declaredOutside = (name: string): boolean => uses.captures.has(name) || uses.writes.some((w) => w.name === name);
  if (finding) {
    for (const problem of checkVerdict(annotation, finding, declaredOutside)) {
      fail(problem.text, loopAt, problem.lines.map((l) => ({ text: l.text, at: sourceFile.getPositionOfLineAndCharacter(l.line - 1, 0) })));
    }
  }
  checkMovable(uses, loop, sourceFile, fail);
  if (forOf) {
    for (const write of writesIntoBindings(forOf.body, forOf.declarations, resolver)) {
      fail(`The @parallel loop writes into its element '${write.name}' (line ${lineOf(write.node)}): a worker's element is a copy of ${forOf.iterated.getText(sourceFile)}[i], so the change would be lost. Write results into an array at the index instead: for (const [i, ${forOf.element?.pattern ?? 'x'}] of ${forOf.iterated.getText(sourceFile)}.entries()) { … out[i] = …; }.`, where(write.node, sourceFile));
    }
  }
  const reduced = new Set(annotation.reductions.map((r) => r.variable));
  const privates = new Set(annotation.privates);
  const writes = new Set<string>();
  const sharedOnly = new Set<string>();
  for (const write of uses.writes) {
    const where = { start: write.node.getStart(sourceFile), end: write.node.end };
    if (write.kind === 'variable') {
      if (!reduced.has(write.name) && !privates.has(write.name)) {
        fail(`The @parallel loop assigns '${write.name}' (line ${lineOf(write.node)}), which is declared outside the loop: each worker would assign its own copy and the result would be lost. Declare '${write.name}' inside the loop, or add private(${write.name}) or reduction(op: ${write.name}).`, where);
      }
    } else if (reduced.has(write.name) || privates.has(write.name)) {
      fail(`'${write.name}' is a ${reduced.has(write.name) ? 'reduction' : 'private'} variable; the loop may only assign it as a whole, not its elements or properties (line ${lineOf(write.node)}).`, where);
    } else if (write.kind === 'element' && forOf && !forOf.entries) {
      const xs = forOf.iterated.getText(sourceFile);
      fail(`The @parallel for-of loop writes '${write.name}[…]' (line ${lineOf(write.node)}), but results come back from workers only when written at the loop index, and for (… of ${xs}) has none. Use the entries() form and write at its index: for (const [i, ${forOf.element?.pattern ?? 'x'}] of ${xs}.entries()) { ${write.name}[i] = …; }.`, where);
    } else if (write.kind === 'element') {
      (write.atCounter ? writes : sharedOnly).add(write.name);
    } else {
      const at = index ?? 'i';
      fail(`The @parallel loop writes into '${write.name}' (line ${lineOf(write.node)}) other than as ${write.name}[${at}]: workers write their own copies, so the change would be lost. Write results into an array at the loop index${forOf && !forOf.entries ? ` (for (const [i, x] of ${forOf.iterated.getText(sourceFile)}.entries()) gives the loop an index)` : ''}, or use a shared typed array (sharedFloat64Array(), …).`, where);
    }
  }
  for (const name of [...reduced, ...privates]) {
    const capture = uses.captures.get(name);
    if (capture && capture.binding.kind === 'const') fail(`'${name}' is named in a clause but declared with const; a reduction or private variable must be assignable (let or var).`, where(capture.first, sourceFile));
  }
  for (const name of sharedOnly) writes.delete(name);
  const values: { name: string; line: number }[] = [];
  for (const capture of uses.captures.values()) {
    if (capture.name === shape.counter || reduced.has(capture.name) || privates.has(capture.name)) continue;
    const why = unsendable(capture.binding);
    if (why) {
      fail(`The @parallel loop body uses '${capture.name}' (line ${lineOf(capture.first)}), which is ${why}; the body runs in a worker, and ${why.startsWith('a function') || why.startsWith('a class') ? 'code' : 'such a value'} cannot be sent there. Move what it does into the loop body, or pass plain data instead.`, where(capture.first, sourceFile));
      continue;
    }
    values.push({ name: capture.name, line: lineOf(capture.first) });
  }
  const context = enclosingContext(loop);
  if (context.kind === 'sync') {
    fail(`The @parallel loop is in the synchronous ${context.name}; the compiled loop must be awaited, which only an async function can do. Make ${context.name} async (and await its callers), or move the loop into an async function. A blocking variant for synchronous code is not available.`, loopAt);
  } else if (context.kind === 'module' && !options.topLevelAwait) {
    fail("The @parallel loop is at the module's top level, but the build's output format cannot await there (top-level await needs format: 'esm'). Set format: 'esm', or move the loop into an async function.", loopAt);
  }
  if (errors.length > before) return undefined;
  const name = `${basename(sourceFile.fileName)}:${annotation.loopLine}`;
  const text = loopReplacement({
    name, shape, iteratedText: forOf?.iterated.getText(sourceFile), bodyText: shape.body.getText(sourceFile), values, reductions: annotation.reductions, privates: annotation.privates,
    writes: [...writes], sharedOnly: [...sharedOnly], chunk: annotation.chunk, workers: annotation.workers, serial,
  });
  return { start: loop.getStart(sourceFile), end: loop.end, text };
}

function checkMovable(uses: RegionUses, loop: ts.ForStatement | ts.IterationStatement, sourceFile: ts.SourceFile, fail: (text: string, where: { start: number; end: number }) => undefined): void {
  const line = (node: ts.Node): number => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  for (const { what, node } of uses.unmovable) {
    fail(`The @parallel loop body uses ${what} at line ${line(node)}; the body becomes a function run in a worker, where that means something else. Compute it before the loop into a variable the body reads, or remove the annotation.`, where(node, sourceFile));
  }
  for (const jump of jumpsOut(loop.statement)) {
    fail(`'${jump.getText(sourceFile)}' at line ${line(jump)} leaves the @parallel loop early; parallel iterations all run, so there is no 'early'. Remove the jump, or remove the annotation.`, where(jump, sourceFile));
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

type EnclosingContext = { kind: 'async' } | { kind: 'module' } | { kind: 'sync'; name: string };

function enclosingContext(node: ts.Node): EnclosingContext {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isClassStaticBlockDeclaration(at)) return { kind: 'sync', name: 'static block' };
    if (!isFunctionLike(at)) continue;
    const isAsync = (ts.getCombinedModifierFlags(at as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
    if (isAsync) return { kind: 'async' };
    const name = at.name && ts.isIdentifier(at.name) ? `function '${at.name.text}'` : 'function';
    return { kind: 'sync', name };
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
      ...where(capture.first, sourceFile),
    });
  }
  for (const { what, node } of uses.unmovable) errors.push({ text: `Task '${name}' uses ${what}, which has no meaning in a worker.`, ...where(node, sourceFile) });
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

function where(node: ts.Node, sourceFile: ts.SourceFile): { start: number; end: number } {
  return { start: node.getStart(sourceFile), end: node.end };
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

/** `xs.map(…)` and friends in the statement a comment stands before, for advice on what to write instead. */
function arrayMethodAfter(sourceFile: ts.SourceFile, commentEnd: number): { name: string; receiver: ts.Expression; call: ts.CallExpression } | undefined {
  let statement: ts.ExpressionStatement | ts.VariableStatement | undefined;
  const stack: ts.Node[] = [sourceFile];
  while (stack.length > 0 && !statement) {
    const node = stack.pop()!;
    if (node.end < commentEnd || node.pos > commentEnd) continue;
    if ((ts.isExpressionStatement(node) || ts.isVariableStatement(node)) && node.pos <= commentEnd && node.getStart(sourceFile) >= commentEnd) statement = node;
    node.forEachChild((child) => { stack.push(child); });
  }
  if (!statement) return undefined;
  let at: ts.Expression | undefined = ts.isExpressionStatement(statement) ? statement.expression : statement.declarationList.declarations[0]?.initializer;
  while (at) {
    at = skipOuterExpressions(at);
    if (ts.isAwaitExpression(at)) at = at.expression;
    else if (ts.isBinaryExpression(at) && at.operatorToken.kind === ts.SyntaxKind.EqualsToken) at = at.right;
    else break;
  }
  while (at && ts.isCallExpression(at)) {
    const callee = skipOuterExpressions(at.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    if (iteratingMethods.has(callee.name.text)) return { name: callee.name.text, receiver: callee.expression, call: at };
    at = skipOuterExpressions(callee.expression);
  }
  return undefined;
}

function arrayMethodAdvice(method: string, xs: string): string {
  const head = `@parallel does not compile array methods such as ${xs}.${method}(…): the callback is a function, and the annotation compiles loop statements.`;
  switch (method) {
    case 'forEach':
      return `${head} Write the callback's body as a for-of loop under the annotation: for (const x of ${xs}) { … } (or for (const [i, x] of ${xs}.entries()) { … } when it uses the index).`;
    case 'map':
      return `${head} Allocate the result before the loop and fill it at the index: const out = new Array(${xs}.length); (or new Float64Array(${xs}.length) for numbers), then under the annotation for (const [i, x] of ${xs}.entries()) { out[i] = …; }.`;
    case 'reduce': case 'reduceRight':
      return `${head} Keep the accumulator in a variable and name it in a reduction clause: let acc = <initial value>; then // @parallel reduction(+: acc) over for (const x of ${xs}) { acc += …; } (with the operator the callback combines by).`;
    default:
      return `${head} ${method}() stops early or builds a result of unknown length; compute each element's result into an array at the index under the annotation, for (const [i, x] of ${xs}.entries()) { flags[i] = …; }, then finish sequentially (for instance ${xs}.filter((_, i) => flags[i])).`;
  }
}
