// Which earlier awaits each await of an async body depends on: a forward walk in evaluation order that
// tracks, for every variable, the awaits whose results (or whose calls' writes) have flowed into it.
// Data flows through declarations, destructuring, assignments, object properties, mutating calls and closures;
// a condition that tests an earlier result makes what it guards control dependent on it, and an early exit
// (return, throw, break) under such a condition makes everything after it control dependent too.
import { ts, skipOuterExpressions, isFunctionLike, lineOf, textOf } from '../syntax/parse';
import type { Dependence, DependenceKind } from '../findings';
import type { Binding, ScopeResolver } from '../scope/resolver';
import type { EffectSummaries } from '../effects/summaries';
import { isReference, reassignedBindings } from '../effects/summaries';
import { resolveCall } from '../effects/callTargets';
import { ownerOf, assignedExpressions, isAssignmentOperator, rootExpression } from '../effects/writeTargets';
import { synchronousCallbackMethods } from '../effects/builtins';
import type { AsyncBody } from './asyncBodies';
import { isLoopStatement } from './asyncBodies';

/** How an earlier await reaches a value: through which variable, and by what kind of dependence. */
interface TaintSource {
  variable: string;
  kind: DependenceKind;
  note?: string;
}

/** Await index → how its result reaches this value. */
type Taint = Map<number, TaintSource>;

/** `this` as a receiver has no binding; it gets this pseudo id. */
const THIS_ID = -1;

export interface AwaitFacts {
  index: number;
  node: ts.AwaitExpression;
  line: number;
  /** Earlier await index → the dependence that orders them. */
  dependsOn: Map<number, Dependence>;
  /** Line where the awaited promise was created, when it was created before this await (already concurrent). */
  concurrentSince?: number;
  /** True for `await Promise.all(...)` and friends: concurrency is already there. */
  combinator: boolean;
  /** What the awaited operation reads and writes (binding ids, THIS_ID for this). */
  reads: Map<number, string>;
  writes: Map<number, string>;
  /** Unknown method calls on a receiver: binding id → method names. */
  receivers: Map<number, { text: string; methods: string[] }>;
  /** Things the verdict takes on trust, in words. */
  assumptions: string[];
  /** Whether the awaited operation does I/O (its order against other I/O is not checked). */
  externalEffects: boolean;
  /** Variables naming files the operation reads or writes (binding id → text, written or not). */
  files: Map<number, { text: string; write: boolean; call: string; direct: boolean }>;
}

/**
 * Methods whose calls change the state of a stream, connection, transaction, iterator, page or device: two calls on
 * one receiver where either is one of these must stay in order (`conn.query` then `conn.close`, `mouse.move` then
 * `mouse.up`). Exact verbs, and verbs that start a name (`startRecording`, `ensureTab`, `setViewport`).
 */
const STATEFUL_METHOD = /^(write|writeln|end|read|readLine|next|shift|pop|push|unshift|send|emit|pipe|unpipe|seek|pause|resume|abort|cancel|move|up|down|click|dblclick|tap|press|type|fill|hover|focus|blur|scroll|check|uncheck|goto|reload|back|forward)$|^(close|destroy|commit|rollback|release|flush|connect|disconnect|lock|unlock|acquire|reset|begin|start|stop|ensure|init|open|setup|teardown|dispose|set|enqueue|dequeue|navigate|bringToFront|insertText|key|mouse|keyboard|select|drag|drop|upload|install|uninstall|launch|kill|spawn)(?![a-z])/;

export function isStatefulMethod(name: string): boolean {
  return STATEFUL_METHOD.test(name);
}

/**
 * File-system calls name their resource by their arguments (a path): two calls that share one, where either
 * writes, must stay in order (`copyFile(from, to)` then `chmod(to)`; `mkdir(dirname(p))` then `writeFile(p)`).
 * Matched by name whatever the receiver, so bundled code (`import_fs3.default.promises.copyFile`) is covered too.
 */
const FILE_WRITES = new Set(['writeFile', 'appendFile', 'copyFile', 'cp', 'mkdir', 'mkdtemp', 'rm', 'rmdir', 'unlink', 'rename', 'truncate', 'chmod', 'chown', 'lchown', 'utimes', 'symlink', 'link', 'open', 'createWriteStream', 'writev', 'ftruncate', 'emptyDir', 'ensureDir', 'remove', 'move', 'outputFile', 'writeJson', 'outputJson']);
const FILE_READS = new Set(['readFile', 'readdir', 'stat', 'lstat', 'access', 'exists', 'realpath', 'readlink', 'createReadStream', 'opendir', 'readJson', 'pathExists']);

export function fileAccessOf(name: string): 'write' | 'read' | undefined {
  return FILE_WRITES.has(name) ? 'write' : FILE_READS.has(name) ? 'read' : undefined;
}

const COMBINATORS = new Set(['Promise.all', 'Promise.allSettled', 'Promise.race', 'Promise.any']);

export class AwaitFlow {
  private readonly taints = new Map<number, Taint>();
  private readonly control: Taint[] = [];
  /** Earlier awaits an early exit depended on: everything after the exit runs only if they came out a certain way. */
  private readonly exitTaint: Taint = new Map();
  private readonly facts: AwaitFacts[] = [];
  private readonly indexOf = new Map<ts.AwaitExpression, number>();
  private readonly reassigned: Set<number>;
  /** The await whose operand is being evaluated (its calls are the awaited operation), innermost last. */
  private readonly evaluating: AwaitFacts[] = [];

  constructor(private readonly body: AsyncBody, private readonly resolver: ScopeResolver, private readonly summaries: EffectSummaries) {
    body.awaits.forEach((a, i) => this.indexOf.set(a, i));
    this.reassigned = reassignedBindings(body.body, resolver);
  }

  run(): AwaitFacts[] {
    const root = this.body.body;
    if (ts.isSourceFile(root) || ts.isBlock(root)) this.statements(root.statements);
    else this.expression(root as ts.Expression);
    return this.facts.sort((a, b) => a.index - b.index);
  }

  // ---- statements -------------------------------------------------------------------------------------------

  private statements(list: readonly ts.Statement[]): void {
    for (const s of list) this.statement(s);
  }

  private statement(s: ts.Statement): void {
    if (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)
      || ts.isImportDeclaration(s) || ts.isEnumDeclaration(s) || ts.isModuleDeclaration(s)) return;
    if (ts.isBlock(s)) return this.statements(s.statements);
    if (ts.isVariableStatement(s)) return this.declarations(s.declarationList);
    if (ts.isExpressionStatement(s)) { this.expression(s.expression); return; }
    if (ts.isIfStatement(s)) {
      const condition = this.expression(s.expression);
      this.guarded(condition, () => {
        this.statement(s.thenStatement);
        if (s.elseStatement) this.statement(s.elseStatement);
      });
      if (condition.size > 0 && (exits(s.thenStatement) || (s.elseStatement && exits(s.elseStatement)))) this.addExit(condition);
      return;
    }
    if (isLoopStatement(s)) return this.loop(s);
    if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) {
      if (s.expression) this.expression(s.expression);
      return;
    }
    if (ts.isTryStatement(s)) {
      const before = this.facts.length;
      this.statement(s.tryBlock);
      if (s.catchClause) {
        // The caught error comes from the awaits of the try block.
        const thrown: Taint = new Map();
        for (const f of this.facts.slice(before)) thrown.set(f.index, { variable: 'the caught error', kind: 'control' });
        const declaration = s.catchClause.variableDeclaration;
        if (declaration) this.bindPattern(declaration.name, thrown);
        this.guarded(thrown, () => this.statement(s.catchClause!.block));
      }
      if (s.finallyBlock) this.statement(s.finallyBlock);
      return;
    }
    if (ts.isSwitchStatement(s)) {
      const discriminant = this.expression(s.expression);
      this.guarded(discriminant, () => {
        for (const clause of s.caseBlock.clauses) {
          if (ts.isCaseClause(clause)) this.expression(clause.expression);
          this.statements(clause.statements);
        }
      });
      return;
    }
    if (ts.isLabeledStatement(s)) return this.statement(s.statement);
    s.forEachChild((c) => { if (ts.isExpression(c)) this.expression(c); else if (ts.isStatement(c)) this.statement(c); });
  }

  private loop(s: ts.IterationStatement): void {
    // Walk the body twice: the second pass sees what the first iteration left in variables the next one reads.
    for (let pass = 0; pass < 2; pass++) {
      if (ts.isForStatement(s)) {
        if (s.initializer && pass === 0) {
          if (ts.isVariableDeclarationList(s.initializer)) this.declarations(s.initializer);
          else this.expression(s.initializer);
        }
        const condition = s.condition ? this.expression(s.condition) : new Map();
        this.guarded(condition, () => {
          this.statement(s.statement);
          if (s.incrementor) this.expression(s.incrementor);
        });
      } else if (ts.isForOfStatement(s) || ts.isForInStatement(s)) {
        const iterated = this.expression(s.expression);
        if (ts.isVariableDeclarationList(s.initializer)) {
          for (const d of s.initializer.declarations) this.bindPattern(d.name, iterated);
        } else {
          for (const target of assignedExpressions(s.initializer)) this.assign(target, iterated);
        }
        this.guarded(iterated, () => this.statement(s.statement));
      } else if (ts.isWhileStatement(s)) {
        const condition = this.expression(s.expression);
        this.guarded(condition, () => this.statement(s.statement));
      } else if (ts.isDoStatement(s)) {
        this.statement(s.statement);
        this.expression(s.expression);
      }
    }
  }

  private declarations(list: ts.VariableDeclarationList): void {
    for (const d of list.declarations) {
      const value = d.initializer ? this.expression(d.initializer) : new Map<number, TaintSource>();
      this.bindPattern(d.name, merge(value, this.currentControl()));
    }
  }

  private bindPattern(name: ts.BindingName, taint: Taint): void {
    if (ts.isIdentifier(name)) {
      const b = this.resolver.declarationOf(name);
      if (b) this.taints.set(b.id, new Map(taint));
      return;
    }
    for (const element of name.elements) {
      if (ts.isOmittedExpression(element)) continue;
      if (element.initializer) this.expression(element.initializer);
      this.bindPattern(element.name, taint);
    }
  }

  // ---- expressions: each returns the taint of the value it computes ------------------------------------------

  private expression(e: ts.Expression): Taint {
    const node = e as ts.Node;
    if (ts.isIdentifier(node)) return this.read(node);
    if (ts.isAwaitExpression(node)) return this.await(node);
    if (isFunctionLike(node)) return this.closure(node);
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)
      || ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node)) return this.expression(node.expression);
    if (ts.isBinaryExpression(node)) return this.binary(node);
    if (ts.isConditionalExpression(node)) {
      const condition = this.expression(node.condition);
      let result = new Map(condition);
      this.guarded(condition, () => {
        result = merge(result, this.expression(node.whenTrue));
        result = merge(result, this.expression(node.whenFalse));
      });
      return result;
    }
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node))
      && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
      const value = this.expression(node.operand);
      this.assign(node.operand, merge(value, this.currentControl()), true);
      return value;
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) return this.call(node);
    if (ts.isDeleteExpression(node)) {
      const value = this.expression(node.expression);
      this.assign(node.expression, this.currentControl(), true);
      return value;
    }
    if (ts.isClassExpression(node)) return new Map();
    let result: Taint = new Map();
    node.forEachChild((c) => {
      if (ts.isTypeNode(c)) return;
      if (ts.isExpression(c)) result = merge(result, this.expression(c));
      else if (ts.isShorthandPropertyAssignment(c)) result = merge(result, this.read(c.name));
      else if (ts.isPropertyAssignment(c) || ts.isSpreadAssignment(c) || ts.isTemplateSpan(c) || ts.isComputedPropertyName(c)) {
        c.forEachChild((g) => { if (ts.isExpression(g) && !(ts.isPropertyAssignment(c) && g === c.name)) result = merge(result, this.expression(g)); });
      } else if (ts.isMethodDeclaration(c) || ts.isGetAccessorDeclaration(c) || ts.isSetAccessorDeclaration(c)) {
        result = merge(result, this.closure(c));
      }
    });
    return result;
  }

  private read(id: ts.Identifier): Taint {
    if (!isReference(id)) return new Map();
    const b = this.resolver.resolve(id);
    if (!b) return new Map();
    this.noteRead(b.id, id.text);
    const taint = this.taints.get(b.id);
    if (!taint || taint.size === 0) return new Map();
    const renamed: Taint = new Map();
    for (const [i, src] of taint) renamed.set(i, src.kind === 'flow' ? { ...src, variable: id.text } : src);
    return renamed;
  }

  private binary(node: ts.BinaryExpression): Taint {
    const op = node.operatorToken.kind;
    if (isAssignmentOperator(op)) {
      const value = this.expression(node.right);
      const compound = op !== ts.SyntaxKind.EqualsToken;
      let written = merge(value, this.currentControl());
      for (const target of assignedExpressions(node.left)) {
        if (compound) written = merge(written, this.expression(target));
        else this.indexTaint(target, (t) => { written = merge(written, t); });
        this.assign(target, written, compound);
      }
      return written;
    }
    const left = this.expression(node.left);
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      let right: Taint = new Map();
      this.guarded(left, () => { right = this.expression(node.right); });
      return merge(left, right);
    }
    return merge(left, this.expression(node.right));
  }

  /** Reads in the subscripts of an assignment target (`a[k] = ...` reads k). */
  private indexTaint(target: ts.Expression, add: (t: Taint) => void): void {
    let at = skipOuterExpressions(target);
    while (ts.isPropertyAccessExpression(at) || ts.isElementAccessExpression(at)) {
      if (ts.isElementAccessExpression(at)) add(this.expression(at.argumentExpression));
      at = skipOuterExpressions(at.expression);
    }
  }

  /** A write of `taint` into what `target` denotes: the variable itself, or the object its root variable holds. */
  private assign(target: ts.Expression, taint: Taint, weak = false): void {
    const root = rootExpression(target);
    const isWhole = skipOuterExpressions(target) === root;
    if (root.kind === ts.SyntaxKind.ThisKeyword) {
      this.addTaint(THIS_ID, taint, true);
      this.noteWrite(THIS_ID, 'this');
      return;
    }
    if (!ts.isIdentifier(root)) return;
    const owner = ownerOf(root, this.resolver, (b) => this.reassigned.has(b.id));
    const b = owner.kind === 'binding' ? owner.binding : this.resolver.resolve(root);
    if (!b) return;
    this.noteWrite(b.id, b.name);
    // Writing a whole variable replaces its value; writing into an object adds to what it holds.
    this.addTaint(b.id, taint, weak || !isWhole || this.control.length > 0);
  }

  private addTaint(id: number, taint: Taint, weak: boolean): void {
    const current = this.taints.get(id);
    this.taints.set(id, weak && current ? merge(current, taint) : new Map(taint));
  }

  private call(node: ts.CallExpression | ts.NewExpression): Taint {
    const target = resolveCall(node, this.resolver);
    const callee = skipOuterExpressions(node.expression);
    let result: Taint = new Map();
    // The receiver and the callee expression are evaluated first.
    if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
      result = merge(result, this.expression(callee.expression));
      if (ts.isElementAccessExpression(callee)) result = merge(result, this.expression(callee.argumentExpression));
    } else if (!isFunctionLike(callee)) {
      result = merge(result, this.expression(callee));
    }
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    const args = node.arguments ?? [];
    const fileAccess = fileAccessOf(method ?? (ts.isIdentifier(callee) ? callee.text : ''));
    if (fileAccess) this.noteFiles(args, fileAccess, textOf(this.resolver.sourceFile, callee));
    const argumentTaints: Taint[] = [];
    for (const arg of args) {
      const a = skipOuterExpressions(arg);
      // A callback a built-in runs synchronously (xs.map(x => ...)) is code run here: walk it in place.
      if (isFunctionLike(a) && method !== undefined && synchronousCallbackMethods.has(method) && a.body) {
        const receiverTaint = new Map(result);
        this.guarded(receiverTaint, () => {
          for (const p of a.parameters) this.bindPattern(p.name, receiverTaint);
          if (ts.isBlock(a.body!)) this.statements(a.body.statements);
          else argumentTaints.push(this.expression(a.body as ts.Expression));
        });
        argumentTaints.push(this.closure(a));
        continue;
      }
      argumentTaints.push(this.expression(arg));
    }
    for (const t of argumentTaints) result = merge(result, t);
    if (isFunctionLike(callee)) result = merge(result, this.closure(callee));

    const isReassigned = (b: Binding) => this.reassigned.has(b.id);
    const ownerId = (e: ts.Expression): { id: number; text: string } | undefined => {
      const o = ownerOf(e, this.resolver, isReassigned);
      if (o.kind === 'this') return { id: THIS_ID, text: 'this' };
      if (o.kind === 'binding') return { id: o.binding.id, text: o.text };
      return undefined;
    };
    const written: { id: number; text: string }[] = [];
    switch (target.kind) {
      case 'function': {
        const summary = this.summaries.summaryOf(target.declaration);
        // A closure's result depends on what it reads from outside.
        for (const b of summary.readsOuter.values()) {
          this.noteRead(b.id, b.name);
          const t = this.taints.get(b.id);
          if (t) for (const [i, src] of t) if (!result.has(i)) result.set(i, { ...src, variable: b.name });
        }
        for (const b of summary.writesOuter.values()) written.push({ id: b.id, text: b.name });
        for (const index of summary.writesParameters) {
          const o = args[index] ? ownerId(args[index]) : undefined;
          if (o) written.push(o);
        }
        if (summary.writesThis && target.receiver) {
          const o = ownerId(target.receiver);
          if (o) written.push(o);
        }
        if (summary.io.size > 0 || summary.unknown.size > 0) this.noteExternal();
        const current = this.evaluating[this.evaluating.length - 1];
        if (current && summary.unknown.size > 0) pushUnique(current.assumptions, `${target.name} calls ${[...summary.unknown][0]}, whose effects are not known`);
        // A helper of this file that does I/O with its arguments (mkdirIfNeeded(path)) uses them as resources.
        if ((summary.io.size > 0 || summary.unknown.size > 0) && !fileAccess) this.noteFiles(args, 'write', textOf(this.resolver.sourceFile, callee), false);
        break;
      }
      case 'builtin': {
        const effect = target.effect;
        if (effect.kind === 'mutates-receiver' && target.receiver) {
          const o = ownerId(target.receiver);
          if (o) written.push(o);
        } else if (effect.kind === 'mutates-argument' && args[effect.index]) {
          const o = ownerId(args[effect.index]);
          if (o) written.push(o);
        } else if (effect.kind === 'io') {
          this.noteExternal();
        }
        break;
      }
      case 'unknown': {
        this.noteExternal();
        if (!fileAccess && /(file|dir|folder|path)/i.test(method ?? (ts.isIdentifier(callee) ? callee.text : ''))) {
          this.noteFiles(args, 'write', textOf(this.resolver.sourceFile, callee), false);
        }
        if (target.receiver && method !== undefined) {
          const o = ownerId(target.receiver);
          if (o) this.noteReceiver(o.id, textOf(this.resolver.sourceFile, target.receiver), method);
        }
        // An object an unknown function receives may be modified by it: count that as a write of the object.
        args.forEach((arg) => {
          const o = this.sharedObject(arg);
          if (o) written.push(o);
        });
        break;
      }
    }
    for (const w of written) {
      this.noteWrite(w.id, w.text);
      // What the call wrote now carries what the call consumed.
      this.addTaint(w.id, merge(result, this.currentControl()), true);
    }
    return result;
  }

  /**
   * The variable of an argument that is a mutable object the program can see again: a fresh object or array held
   * in a variable, or a parameter or variable declared with an object type. Primitives and unannotated values
   * (ids, names, URLs) are not counted, which is what keeps `getUser(id)` and `getPosts(id)` independent.
   */
  private sharedObject(arg: ts.Expression): { id: number; text: string } | undefined {
    const e = skipOuterExpressions(ts.isSpreadElement(arg) ? arg.expression : arg);
    if (!ts.isIdentifier(e)) return undefined;
    const b = this.resolver.resolve(e);
    return b && holdsMutableObject(b) ? { id: b.id, text: e.text } : undefined;
  }

  private closure(fn: ts.FunctionLikeDeclaration | ts.Node): Taint {
    // A function value captures variables; what it will compute depends on their taint now.
    let result: Taint = new Map();
    const stack: ts.Node[] = [fn];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (ts.isIdentifier(n)) {
        if (isReference(n)) {
          const b = this.resolver.resolve(n);
          if (b && !(b.nameNode.pos >= fn.pos && b.nameNode.end <= fn.end)) {
            this.noteRead(b.id, n.text);
            const t = this.taints.get(b.id);
            if (t) for (const [i, src] of t) if (!result.has(i)) result.set(i, { ...src, variable: n.text });
          }
        }
        continue;
      }
      if (ts.isTypeNode(n)) continue;
      n.forEachChild((c) => { stack.push(c); });
    }
    return result;
  }

  private await(node: ts.AwaitExpression): Taint {
    const index = this.indexOf.get(node);
    if (index === undefined) return this.expression(node.expression);
    const facts: AwaitFacts = {
      index, node, line: lineOf(this.resolver.sourceFile, node), dependsOn: new Map(), combinator: false,
      reads: new Map(), writes: new Map(), receivers: new Map(), assumptions: [], externalEffects: false, files: new Map(),
    };
    const operand = skipOuterExpressions(node.expression);
    if (ts.isCallExpression(operand) && COMBINATORS.has(textOf(this.resolver.sourceFile, skipOuterExpressions(operand.expression)))) {
      facts.combinator = true;
    }
    if (ts.isIdentifier(operand)) facts.concurrentSince = this.promiseCreation(operand);
    this.evaluating.push(facts);
    const operandTaint = this.expression(node.expression);
    this.evaluating.pop();
    const before = merge(merge(operandTaint, this.currentControl()), this.exitTaint);
    for (const [i, src] of before) {
      if (i >= index) continue; // a loop's second pass: a later await of the previous iteration is the loop's business
      const earlier = this.facts.find((f) => f.index === i);
      facts.dependsOn.set(i, { variable: src.variable, kind: src.kind, line: earlier?.line ?? facts.line, otherLine: facts.line, note: src.note });
    }
    for (const earlier of this.facts) {
      if (earlier.index >= index || facts.dependsOn.has(earlier.index)) continue;
      const dep = effectDependence(earlier, facts);
      if (dep) facts.dependsOn.set(earlier.index, dep);
    }
    // A loop's second pass meets its awaits again: keep the first facts, adding what the second pass found.
    const seen = this.facts.find((f) => f.index === index);
    if (seen) seen.dependsOn = mergeDeps(seen.dependsOn, facts.dependsOn);
    else this.facts.push(facts);
    const result = merge(before, new Map([[index, { variable: textOf(this.resolver.sourceFile, node), kind: 'flow' as DependenceKind }]]));
    // What the awaited call wrote is only complete once the await returns.
    for (const [id] of facts.writes) this.addTaint(id, new Map([[index, { variable: facts.writes.get(id)!, kind: 'call' as DependenceKind, note: `may be modified by the call awaited at line ${facts.line}` }]]), true);
    return result;
  }

  /** The line where the promise an identifier holds was created, when it is a call not awaited on the spot. */
  private promiseCreation(id: ts.Identifier): number | undefined {
    const b = this.resolver.resolve(id);
    if (!b || this.reassigned.has(b.id) || !b.initializer) return undefined;
    const init = skipOuterExpressions(b.initializer);
    if (ts.isCallExpression(init) || ts.isNewExpression(init)) return lineOf(this.resolver.sourceFile, init);
    return undefined;
  }

  // ---- bookkeeping -------------------------------------------------------------------------------------------

  private noteRead(id: number, text: string): void {
    for (const f of this.evaluating) if (!f.reads.has(id)) f.reads.set(id, text);
  }

  private noteWrite(id: number, text: string): void {
    for (const f of this.evaluating) if (!f.writes.has(id)) f.writes.set(id, text);
  }

  private noteReceiver(id: number, text: string, method: string): void {
    for (const f of this.evaluating) {
      const entry = f.receivers.get(id) ?? { text, methods: [] };
      pushUnique(entry.methods, method);
      f.receivers.set(id, entry);
    }
  }

  /** `direct`: a file-system call itself; otherwise a helper whose effects on its arguments are not known. */
  private noteFiles(args: readonly ts.Expression[], access: 'read' | 'write', call: string, direct = true): void {
    if (this.evaluating.length === 0) return;
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && isReference(n)) {
        const b = this.resolver.resolve(n);
        if (b) for (const f of this.evaluating) {
          const known = f.files.get(b.id);
          if (!known || (!known.write && access === 'write') || (!known.direct && direct)) f.files.set(b.id, { text: n.text, write: access === 'write' || !!known?.write, call, direct: direct || !!known?.direct });
        }
      }
      if (!isFunctionLike(n)) n.forEachChild(visit);
    };
    args.forEach(visit);
  }

  private noteExternal(): void {
    for (const f of this.evaluating) f.externalEffects = true;
  }

  private currentControl(): Taint {
    let all: Taint = new Map();
    for (const t of this.control) all = merge(all, t);
    return all;
  }

  private guarded(condition: Taint, run: () => void): void {
    const asControl: Taint = new Map();
    for (const [i, src] of condition) asControl.set(i, { variable: src.variable, kind: 'control', note: `runs only when a condition on ${src.variable} holds` });
    this.control.push(asControl);
    try {
      run();
    } finally {
      this.control.pop();
    }
  }

  private addExit(condition: Taint): void {
    for (const [i, src] of condition) {
      if (!this.exitTaint.has(i)) this.exitTaint.set(i, { variable: src.variable, kind: 'control', note: `runs only if the early exit on ${src.variable} is not taken` });
    }
  }
}

/** Dependences through what two awaited operations read and write (beyond the flow of results). */
function effectDependence(earlier: AwaitFacts, later: AwaitFacts): Dependence | undefined {
  for (const [id, file] of later.files) {
    const other = earlier.files.get(id);
    // Two helpers that merely pass an id along are not ordered; a file-system call on one side is needed.
    if (other && (other.write || file.write) && (other.direct || file.direct)) {
      return { variable: file.text, kind: 'io', line: earlier.line, otherLine: later.line, note: `${other.call}() and ${file.call}() both use the file named by ${file.text}, and one of them changes it` };
    }
  }
  for (const [id, text] of later.writes) {
    if (earlier.reads.has(id)) return { variable: text, kind: 'anti', line: earlier.line, otherLine: later.line, note: `the call at line ${later.line} modifies ${text}, which the call at line ${earlier.line} reads` };
    if (earlier.writes.has(id)) return { variable: text, kind: 'output', line: earlier.line, otherLine: later.line, note: `both calls modify ${text}` };
  }
  for (const [id, r] of later.receivers) {
    const e = earlier.receivers.get(id);
    if (!e) continue;
    const stateful = [...e.methods, ...r.methods].find(isStatefulMethod);
    if (stateful) {
      return { variable: r.text, kind: 'io', line: earlier.line, otherLine: later.line, note: `${r.text}.${stateful}() changes the state of ${r.text}; calls on it must stay in order` };
    }
    pushUnique(later.assumptions, `${e.text}.${e.methods[0]}() and ${r.text}.${r.methods[0]}() do not change state of ${r.text} that the other reads`);
  }
  return undefined;
}

function merge(a: Taint, b: Taint): Taint {
  if (b.size === 0) return a;
  if (a.size === 0) return new Map(b);
  const out = new Map(a);
  for (const [i, src] of b) if (!out.has(i)) out.set(i, src);
  return out;
}

function mergeDeps(a: Map<number, Dependence>, b: Map<number, Dependence>): Map<number, Dependence> {
  const out = new Map(a);
  for (const [i, d] of b) if (!out.has(i)) out.set(i, d);
  return out;
}

function pushUnique(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}

/** Whether a statement can leave the body or loop early (return, throw, break, continue), nested functions aside. */
export function exits(s: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n) || ts.isThrowStatement(n) || ts.isBreakStatement(n) || ts.isContinueStatement(n)) {
      found = true;
      return;
    }
    n.forEachChild(visit);
  };
  visit(s);
  return found;
}

/**
 * Whether a variable visibly holds a mutable object an unknown callee could modify: a rest parameter, a fresh object,
 * array or `new` value, or a declared object type (readonly types and primitives excluded). Unannotated values
 * (ids, names, URLs) do not count, which is what keeps `getUser(id)` and `getPosts(id)` independent.
 */
export function holdsMutableObject(b: Binding): boolean {
  const declaration = b.declaration;
  if (ts.isParameter(declaration) && declaration.dotDotDotToken) return true;
  const init = b.initializer && skipOuterExpressions(b.initializer);
  if (init && (ts.isObjectLiteralExpression(init) || ts.isArrayLiteralExpression(init) || ts.isNewExpression(init))) return true;
  const type = (ts.isParameter(declaration) || ts.isVariableDeclaration(declaration)) ? declaration.type : undefined;
  return !!type && isObjectType(type);
}

const PRIMITIVE_TYPES = new Set([
  ts.SyntaxKind.StringKeyword, ts.SyntaxKind.NumberKeyword, ts.SyntaxKind.BooleanKeyword, ts.SyntaxKind.BigIntKeyword,
  ts.SyntaxKind.SymbolKeyword, ts.SyntaxKind.UndefinedKeyword, ts.SyntaxKind.NullKeyword, ts.SyntaxKind.LiteralType,
  ts.SyntaxKind.TemplateLiteralType,
]);

/** Boxed primitives are immutable; every other named type may be an object someone can change. */
const IMMUTABLE_TYPE_NAMES = new Set(['String', 'Number', 'Boolean', 'BigInt', 'Symbol', 'ReadonlyArray']);

function isObjectType(type: ts.TypeNode): boolean {
  if (PRIMITIVE_TYPES.has(type.kind)) return false;
  if (ts.isUnionTypeNode(type)) return type.types.some(isObjectType);
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    return !IMMUTABLE_TYPE_NAMES.has(name) && name !== 'Readonly';
  }
  if (ts.isTypeOperatorNode(type) && type.operator === ts.SyntaxKind.ReadonlyKeyword) return false;
  return ts.isArrayTypeNode(type) || ts.isTypeLiteralNode(type) || ts.isTupleTypeNode(type);
}
