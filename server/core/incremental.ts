// Incremental re-analysis for editors: after an edit, only the top-level units (statements, functions, classes) the edit
// touched — and the units whose analysis could read what changed — run through the analyzer again; the findings of all
// other units are reused, moved by the edit's line and offset delta. Pure: no editor or LSP types.
//
// The soundness rule (why reuse is safe). A unit's findings depend on its own text and on the rest of the file only
// through names: calls resolve by identifier (`f()`, `new K()`, `api.m()` through `api`), effect summaries follow those
// calls, and module-level bindings are read by name (whether they are reassigned anywhere changes what a loop may
// assume). So a unit U is re-analysed when
//   1. its text (leading comments included) or its start column changed, or
//   2. it mentions a name in the dirty set D, where D starts as the module-level names that the changed units (old and
//      new text) declare or reassign, and grows by the module-level names every re-analysed unit declares (their
//      summaries may have changed, so their callers must be redone too) — to a fixed point.
// Two more cases: a unit whose findings name lines outside itself is redone whenever it moves, and so is one whose fixes
// edit text outside itself — unless those edits lie in the unchanged units before the edit (the import a rewrite adds at
// the top of the file): they stay put while the unit moves. A unit with fixes (they may add an import, or rely on one)
// is redone whenever an import or directive changes, or a unit that mentions what the import rewrite looks for
// anywhere in the file (`mapConcurrent`, `parlens/runtime`, `require(`).
// The re-analysed units run through the ordinary `analyzeSource` on a masked copy of the text in which every unit they
// cannot reach by name is blanked to white space (lines and offsets stay where they were), so the analysis of what is
// kept is exactly the full-file analysis. Files with syntax errors, with top-level `await` (the whole module body is one
// await graph) and over the size limit are simply analysed whole. Two inputs of the rewrites are read from the whole
// file: the import context (above) and the indentation step (its first indented line); the unit holding that line is
// kept in the masked text when it would otherwise differ, and a change of the step redoes every unit with fixes.
// The property test in test/lsp/incremental.test.ts checks that the result equals a fresh `analyzeSource` after
// random edits.
import { parseSource, isFunctionLike, ts } from './syntax/parse';
import { analyzeSource, type AnalyzeOptions } from './analyzeSource';
import type { FileReport, Finding } from './findings';
import { RUNTIME_IMPORT_CONTEXT } from './futures/loopRewrites';

interface Unit {
  /** Full start (leading trivia included), first-token start and end offsets in the text the unit came from. */
  pos: number;
  start: number;
  end: number;
  /** Text from `pos` to `end`: equal text at an equal column analyses the same, given the same names around it. */
  text: string;
  /** 1-based lines of the first token and of the end; 0-based column of the first token. */
  startLine: number;
  endLine: number;
  column: number;
  /** Every identifier the unit contains (a superset of the names it refers to). */
  mentions: Set<string>;
  /** Names the unit may declare at module level (its own names, hoisted `var`s and block functions). */
  declares: Set<string>;
  /** Identifiers the unit assigns as a whole binding (`x = …`, `x++`, destructuring targets). */
  reassigns: Set<string>;
  findings: Finding[];
  errors: string[];
  /** False when a finding names a line outside the unit: then it can be reused only where it did not move. */
  movable: boolean;
  /** A fix edits text outside the unit (adds an import at the top): it depends on the file's imports. */
  editsOutside: boolean;
  /** An import, a directive, or a unit mentioning what the import rewrite searches the file for: what fixes that add imports look at. */
  isImport: boolean;
  /** What `mask` puts in place of the unit (from its first token to its end), made once: it depends only on `text`. */
  blank?: string;
}

export interface IncrementalState {
  readonly fileName: string;
  readonly text: string;
  readonly report: FileReport;
  /** The latest syntax tree; the next `updateAnalysis` reuses it (and invalidates it: the parser moves its nodes). */
  readonly sourceFile: ts.SourceFile;
  /** Undefined when the file cannot be analysed by units (syntax errors, top-level await, too large). */
  readonly units: readonly Unit[] | undefined;
  /** How the last result was made, for logs and benchmarks. */
  readonly stats: { reanalysedUnits: number; reusedUnits: number; whole: boolean };
  consumed?: boolean;
}

/** Analyses `text` whole and remembers what the next `updateAnalysis` needs. */
export function startAnalysis(fileName: string, text: string, options: AnalyzeOptions = {}): IncrementalState {
  return whole(fileName, text, parseSource(fileName, text), options);
}

/**
 * The analysis of `text`, reusing what `previous` found in the units the edit left alone. Equal (up to the canonical
 * order of `canonicalReport`) to `analyzeSource(fileName, text)`. `previous` must not be used again afterwards.
 */
export function updateAnalysis(previous: IncrementalState, text: string, options: AnalyzeOptions = {}): IncrementalState {
  const { fileName } = previous;
  if (previous.consumed) return startAnalysis(fileName, text, options);
  previous.consumed = true;
  if (text === previous.text) return { ...previous, consumed: false, stats: { reanalysedUnits: 0, reusedUnits: previous.units?.length ?? 0, whole: false } };
  const sourceFile = reparse(previous, text);
  const limit = options.maxFileSize;
  if (!previous.units || (limit !== undefined && text.length > limit) || text.length > 20_000_000 || hasSyntaxErrors(sourceFile) || hasTopLevelAwait(sourceFile)) {
    return whole(fileName, text, sourceFile, options);
  }
  const oldUnits = previous.units;
  const units = sourceFile.statements.map((s) => describeUnit(sourceFile, s, undefined));
  // Pair unchanged units from the front and from the back; everything between is what the edit changed.
  let front = 0;
  while (front < units.length && front < oldUnits.length && units[front].pos === oldUnits[front].pos && units[front].text === oldUnits[front].text) front++;
  let back = 0;
  const delta = text.length - previous.text.length;
  while (back < units.length - front && back < oldUnits.length - front) {
    const n = units[units.length - 1 - back];
    const o = oldUnits[oldUnits.length - 1 - back];
    if (n.pos !== o.pos + delta || n.text !== o.text || n.column !== o.column) break;
    back++;
  }
  const oldOf = (i: number): Unit | undefined => (i < front ? oldUnits[i] : i >= units.length - back ? oldUnits[i - units.length + oldUnits.length] : undefined);
  const changedOld = oldUnits.slice(front, oldUnits.length - back);
  for (let i = 0; i < units.length; i++) {
    const old = oldOf(i);
    if (old) Object.assign(units[i], { mentions: old.mentions, declares: old.declares, reassigns: old.reassigns, blank: old.blank });
    else fillNames(units[i], sourceFile.statements[i]);
  }
  const moduleNames = new Set<string>();
  for (const u of [...units, ...changedOld]) for (const n of u.declares) moduleNames.add(n);

  // R: units to analyse again. Changed ones, reused ones with errors or that moved but cannot be moved, and (to a fixed
  // point) every unit mentioning a dirty name.
  const redo = new Set<number>();
  const dirty = new Set<string>();
  const markDirty = (u: Unit): void => {
    for (const n of u.declares) dirty.add(n);
    for (const n of u.reassigns) if (moduleNames.has(n)) dirty.add(n);
  };
  for (const u of changedOld) markDirty(u);
  const importsChanged = changedOld.some((u) => u.isImport) || units.some((u, i) => !oldOf(i) && u.isImport)
    || importContextChanged(previous.text, oldUnits, text, units);
  // Fix edits outside a unit that end inside the unchanged units before the edit stay where they are when it moves.
  const fixedBefore = front > 0 ? oldUnits[front - 1].end : -1;
  for (let i = 0; i < units.length; i++) {
    const old = oldOf(i);
    const moved = old !== undefined && (units[i].startLine !== old.startLine || units[i].pos !== old.pos);
    const stuck = moved && (!old.movable || (old.editsOutside && !outsideEditsBefore(old, fixedBefore)));
    if (!old || old.errors.length > 0 || stuck || (importsChanged && hasFixes(old))) {
      redo.add(i);
      markDirty(units[i]);
    }
  }
  for (let grew = true; grew;) {
    grew = false;
    for (let i = 0; i < units.length; i++) {
      if (redo.has(i) || !intersects(units[i].mentions, dirty)) continue;
      redo.add(i);
      for (const n of units[i].declares) dirty.add(n);
      grew = true;
    }
  }

  // K: what the redone units can reach by name — units declaring or reassigning a name they mention, transitively.
  const keep = new Set(redo);
  const byName = new Map<string, number[]>();
  units.forEach((u, i) => {
    for (const n of u.declares) push(byName, n, i);
    for (const n of u.reassigns) if (moduleNames.has(n)) push(byName, n, i);
  });
  const queue = [...redo];
  const seenNames = new Set<string>();
  while (queue.length > 0) {
    const u = units[queue.pop()!];
    for (const n of u.mentions) {
      if (seenNames.has(n)) continue;
      seenNames.add(n);
      for (const j of byName.get(n) ?? []) if (!keep.has(j)) { keep.add(j); queue.push(j); }
    }
  }
  units.forEach((u, i) => { if (u.isImport) keep.add(i); });

  // Rewrites take indentation and fresh names from their own function, so blanking other units changes neither.
  const masked = redo.size > 0 ? mask(text, units, keep) : '';
  const fresh = redo.size > 0 ? analyzeSource(fileName, masked, options) : { file: fileName, findings: [], errors: [] };
  const lineStarts = sourceFile.getLineStarts();
  for (const f of fresh.findings) {
    const i = unitAt(units, offsetOf(lineStarts, f.line, f.column));
    if (i === undefined) return whole(fileName, text, sourceFile, options);
    if (redo.has(i)) units[i].findings.push(f);
  }
  for (const e of fresh.errors) {
    const line = /^line (\d+):/.exec(e);
    const i = line ? unitAt(units, lineStarts[Number(line[1]) - 1] ?? -1) : undefined;
    // An error the units cannot place (there should be none without syntax errors) makes this a whole analysis;
    // errors in units kept only as context are theirs to report when they are redone.
    if (i === undefined) return whole(fileName, text, sourceFile, options);
    if (redo.has(i)) units[i].errors.push(e);
  }
  for (let i = 0; i < units.length; i++) {
    if (redo.has(i)) {
      units[i].movable = linesWithin(units[i]);
      units[i].editsOutside = editsOutside(units[i]);
      continue;
    }
    const old = oldOf(i)!;
    const lines = units[i].startLine - old.startLine;
    const offsets = units[i].pos - old.pos;
    units[i].findings = lines === 0 && offsets === 0 ? old.findings : old.findings.map((f) => moveFinding(f, lines, offsets, fixedBefore));
    units[i].movable = old.movable;
    units[i].editsOutside = old.editsOutside;
  }
  return {
    fileName, text, sourceFile, units,
    report: canonicalReport({ file: fileName, findings: units.flatMap((u) => u.findings), errors: units.flatMap((u) => u.errors) }),
    stats: { reanalysedUnits: redo.size, reusedUnits: units.length - redo.size, whole: false },
  };
}

/**
 * Findings sorted by position (then kind), errors with syntax problems first and the rest by line: the order an
 * incremental result has. Compare a fresh `analyzeSource` report through this.
 */
export function canonicalReport(report: FileReport): FileReport {
  const rank: Record<Finding['kind'], number> = { loop: 0, 'await-in-loop': 1, await: 2, 'async-foreach': 3 };
  const findings = report.findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.line - b.f.line || a.f.column - b.f.column || rank[a.f.kind] - rank[b.f.kind] || a.i - b.i)
    .map(({ f }) => f);
  const lineOfError = (e: string): number => Number(/^line (\d+):/.exec(e)?.[1] ?? -1);
  const errors = report.errors.map((e, i) => ({ e, i })).sort((a, b) => lineOfError(a.e) - lineOfError(b.e) || a.i - b.i).map(({ e }) => e);
  return { file: report.file, findings, errors };
}

function whole(fileName: string, text: string, sourceFile: ts.SourceFile, options: AnalyzeOptions): IncrementalState {
  const report = canonicalReport(analyzeSource(fileName, text, options));
  const units = byUnits(sourceFile, report, options, text);
  return { fileName, text, sourceFile, report, units, stats: { reanalysedUnits: sourceFile.statements.length, reusedUnits: 0, whole: true } };
}

/** Splits a whole-file report over the units, or undefined when the next edit must be analysed whole too. */
function byUnits(sourceFile: ts.SourceFile, report: FileReport, options: AnalyzeOptions, text: string): Unit[] | undefined {
  const limit = options.maxFileSize ?? 20_000_000;
  if (text.length > limit || hasSyntaxErrors(sourceFile) || hasTopLevelAwait(sourceFile)) return undefined;
  const units = sourceFile.statements.map((s) => describeUnit(sourceFile, s, s));
  const lineStarts = sourceFile.getLineStarts();
  for (const f of report.findings) {
    const i = unitAt(units, offsetOf(lineStarts, f.line, f.column));
    if (i === undefined) return undefined;
    units[i].findings.push(f);
  }
  for (const e of report.errors) {
    const line = /^line (\d+):/.exec(e);
    const i = line ? unitAt(units, lineStarts[Number(line[1]) - 1] ?? -1) : undefined;
    if (i === undefined) return undefined;
    units[i].errors.push(e);
  }
  for (const u of units) {
    u.movable = linesWithin(u);
    u.editsOutside = editsOutside(u);
  }
  return units;
}

function reparse(previous: IncrementalState, text: string): ts.SourceFile {
  const old = previous.text;
  let start = 0;
  const shorter = Math.min(old.length, text.length);
  while (start < shorter && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < shorter - start && old.charCodeAt(old.length - 1 - tail) === text.charCodeAt(text.length - 1 - tail)) tail++;
  try {
    // The compiler's incremental parser reuses the nodes outside the change: a 5,000-line file reparses in a few ms.
    return ts.updateSourceFile(previous.sourceFile, text, {
      span: { start, length: old.length - start - tail }, newLength: text.length - start - tail,
    });
  } catch {
    return parseSource(previous.fileName, text);
  }
}

function describeUnit(sourceFile: ts.SourceFile, statement: ts.Statement, withNames: ts.Statement | undefined): Unit {
  const start = statement.getStart(sourceFile);
  const first = sourceFile.getLineAndCharacterOfPosition(start);
  const unit: Unit = {
    pos: statement.pos, start, end: statement.end, text: sourceFile.text.slice(statement.pos, statement.end),
    startLine: first.line + 1, endLine: sourceFile.getLineAndCharacterOfPosition(statement.end).line + 1, column: first.character,
    mentions: new Set(), declares: new Set(), reassigns: new Set(), findings: [], errors: [], movable: true, editsOutside: false,
    isImport: ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) || isDirective(statement)
      || IMPORT_CONTEXT.test(sourceFile.text.slice(statement.pos, statement.end)),
  };
  if (withNames) fillNames(unit, withNames);
  return unit;
}

/** One iterative walk: identifiers mentioned, module-level names declared, bindings reassigned. */
function fillNames(unit: Unit, statement: ts.Statement): void {
  const stack: { node: ts.Node; inFunction: boolean }[] = [{ node: statement, inFunction: false }];
  while (stack.length > 0) {
    const { node, inFunction } = stack.pop()!;
    if (ts.isIdentifier(node)) unit.mentions.add(node.text);
    if (!inFunction) declaredHere(node, node === statement, unit.declares);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      targetNames(node.left, unit.reassigns);
    } else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node))
      && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
      targetNames(node.operand, unit.reassigns);
    } else if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) {
      targetNames(node.initializer as ts.Expression, unit.reassigns);
    }
    const nested = inFunction || (node !== statement && isFunctionLike(node)) || ts.isClassLike(node) && node !== statement;
    node.forEachChild((child) => { stack.push({ node: child, inFunction: nested }); });
  }
}

function declaredHere(node: ts.Node, top: boolean, into: Set<string>): void {
  const addBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) { into.add(name.text); return; }
    for (const e of name.elements) if (!ts.isOmittedExpression(e)) addBinding(e.name);
  };
  if (ts.isVariableDeclarationList(node)) {
    // `var` anywhere outside a function hoists to the module; let/const only at the top.
    if (top || !(node.flags & ts.NodeFlags.BlockScoped)) for (const d of node.declarations) addBinding(d.name);
  } else if (ts.isVariableStatement(node) && top) {
    for (const d of node.declarationList.declarations) addBinding(d.name);
  } else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isEnumDeclaration(node)) && node.name) {
    into.add(node.name.text); // block-level functions hoist in sloppy mode; a superset is safe
  } else if (ts.isModuleDeclaration(node) && ts.isIdentifier(node.name)) {
    into.add(node.name.text);
  } else if (ts.isImportEqualsDeclaration(node)) {
    into.add(node.name.text);
  } else if (ts.isImportClause(node) && node.name) {
    into.add(node.name.text);
  } else if (ts.isNamespaceImport(node) || ts.isImportSpecifier(node)) {
    into.add(node.name.text);
  }
}

/** Identifiers assigned as whole bindings by an assignment target (destructuring included). */
function targetNames(target: ts.Expression, into: Set<string>): void {
  const stack: ts.Node[] = [target];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
      stack.push(node.expression);
    } else if (ts.isIdentifier(node)) {
      into.add(node.text);
    } else if (ts.isArrayLiteralExpression(node) || ts.isObjectLiteralExpression(node) || ts.isSpreadElement(node)
      || ts.isSpreadAssignment(node) || ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)
      || (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken)) {
      // Destructuring: every identifier in it may be a target (a superset is safe).
      node.forEachChild((c) => { stack.push(c); });
    }
  }
}

function hasSyntaxErrors(sourceFile: ts.SourceFile): boolean {
  return ((sourceFile as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length > 0;
}

function hasTopLevelAwait(sourceFile: ts.SourceFile): boolean {
  if (!/\bawait\b/.test(sourceFile.text)) return false;
  const stack: ts.Node[] = [...sourceFile.statements];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFunctionLike(node)) continue;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) return true;
    node.forEachChild((c) => { stack.push(c); });
  }
  return false;
}


/** What `runtimeImport` (futures/loopRewrites.ts) looks for in the whole text to decide whether a fix adds an import. */
const IMPORT_CONTEXT = RUNTIME_IMPORT_CONTEXT;

/** The text after the last unit (trailing comments) is in no unit: a change there that the import rewrite reads counts too. */
function importContextChanged(oldText: string, oldUnits: readonly Unit[], text: string, units: readonly Unit[]): boolean {
  const oldTail = oldText.slice(oldUnits.length > 0 ? oldUnits[oldUnits.length - 1].end : 0);
  const tail = text.slice(units.length > 0 ? units[units.length - 1].end : 0);
  return oldTail !== tail && (IMPORT_CONTEXT.test(oldTail) || IMPORT_CONTEXT.test(tail));
}

/** Every fix edit outside the unit ends before `fixedBefore` (the end of the unchanged units before the edit). */
function outsideEditsBefore(unit: Unit, fixedBefore: number): boolean {
  return unit.findings.every((f) => !('fixes' in f) || f.fixes.every((fix) => fix.edits.every((e) => !isOutside(unit, e) || e.end < fixedBefore)));
}

function isDirective(s: ts.Statement): boolean {
  return ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression);
}

/** The text with every unit outside `keep` blanked (new lines kept, so lines and offsets do not move). */
function mask(text: string, units: Unit[], keep: ReadonlySet<number>): string {
  const parts: string[] = [];
  let at = 0;
  units.forEach((u, i) => {
    if (keep.has(i)) return;
    parts.push(text.slice(at, u.start));
    // A `;` where the unit began: the statement before it cannot run on into the next kept one (no ASI surprises).
    u.blank ??= `;${text.slice(u.start + 1, u.end).replace(/[^\r\n\u2028\u2029]/g, ' ')}`;
    parts.push(u.blank);
    at = u.end;
  });
  parts.push(text.slice(at));
  return parts.join('');
}

function unitAt(units: readonly Unit[], offset: number): number | undefined {
  let lo = 0;
  let hi = units.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (offset < units[mid].pos) hi = mid - 1;
    else if (offset >= units[mid].end) lo = mid + 1;
    else return mid;
  }
  return undefined;
}

function offsetOf(lineStarts: readonly number[], line: number, column: number): number {
  return (lineStarts[line - 1] ?? -1) + column - 1;
}

const LINE_REFERENCE = /\b(lines? )(\d+(?:(?:, | and |-|–)\d+)*)/gi;

/** Every line a finding names (fields and `line N` in its words) lies inside the unit: then moving it is exact. */
function linesWithin(unit: Unit): boolean {
  const inside = (n: number): boolean => n >= unit.startLine && n <= unit.endLine;
  for (const f of unit.findings) {
    const numbers = [f.line, ...f.dependencies.flatMap((d) => (d.otherLine === undefined ? [d.line] : [d.line, d.otherLine]))];
    if (f.kind === 'await') numbers.push(...f.dependsOn, ...f.group);
    if (!numbers.every(inside)) return false;
    const { file: _file, ...words } = f;
    for (const s of stringsOf(words)) {
      for (const m of s.matchAll(LINE_REFERENCE)) if (!m[2].split(/\D+/).every((n) => inside(Number(n)))) return false;
    }
  }
  return true;
}

/**
 * Fix edits outside the unit cannot be moved with it, and depend on the imports. An insertion right at the unit's
 * first token counts as outside: it may be "at the top of the file" (a new import) rather than "before this statement".
 */
function editsOutside(unit: Unit): boolean {
  return unit.findings.some((f) => 'fixes' in f && f.fixes.some((fix) => fix.edits.some((e) => isOutside(unit, e))));
}

function isOutside(unit: Unit, e: { start: number; end: number }): boolean {
  return e.start < unit.start || e.end > unit.end || (e.start === unit.start && e.end === e.start);
}

/** Fixes may add an import or rely on one already there: they depend on every import of the file. */
function hasFixes(unit: Unit): boolean {
  return unit.findings.some((f) => 'fixes' in f && f.fixes.length > 0);
}

function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsOf(v, into);
  return into;
}

/**
 * The same finding `lines` lines and `offsets` characters further on (columns stay: the unit's column is equal). Fix
 * edits that end before `fixedBefore` (in the text before the edit, such as an added import) stay where they are.
 */
export function moveFinding<F extends Finding>(finding: F, lines: number, offsets: number, fixedBefore = -1): F {
  // On the same lines (typing within a line above) no line number or word changes: only offsets do, and the rest can be
  // shared with the old finding (findings are never mutated once made).
  const moveText = (s: string): string => s.replace(LINE_REFERENCE, (_all, word: string, list: string) => word + list.replace(/\d+/g, (n) => String(Number(n) + lines)));
  const moved = (lines === 0 ? { ...finding } : deepMap(finding, moveText)) as F;
  moved.line += lines;
  if (moved.span) moved.span = { start: moved.span.start + offsets, end: moved.span.end + offsets };
  if (moved.kind === 'loop' && moved.statementStart !== undefined) moved.statementStart += offsets;
  moved.dependencies = moved.dependencies.map((d) => ({ ...d, line: d.line + lines, ...(d.otherLine !== undefined ? { otherLine: d.otherLine + lines } : {}) }));
  if (moved.kind === 'await') {
    moved.dependsOn = moved.dependsOn.map((l) => l + lines);
    moved.group = moved.group.map((l) => l + lines);
  }
  if ('fixes' in moved) {
    moved.fixes = moved.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => (e.end < fixedBefore ? e : { ...e, start: e.start + offsets, end: e.end + offsets })) }));
  }
  return moved;
}

function deepMap(value: unknown, text: (s: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((v) => deepMap(v, text));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'newText' || k === 'file' ? v : deepMap(v, text)]));
  }
  return value;
}

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (b.size === 0) return false;
  for (const x of a) if (b.has(x)) return true;
  return false;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
