// Walks one loop's per-iteration code in execution order and records every access the checks need:
// scalar reads and writes (with whether a read can see the previous iteration's value), element and property
// accesses as paths with polynomial subscripts, effects of calls, and jumps out of the loop.
import { ts, skipOuterExpressions, isFunctionLike, lineOf, textOf, TooDeepError } from '../syntax/parse';
import type { Binding } from '../scope/resolver';
import type { ReductionOperator } from '../findings';
import { resolveCall } from '../effects/callTargets';
import { isFreshAllocation, isAssignmentOperator, assignedExpressions, rootExpression } from '../effects/writeTargets';
import { isReference } from '../effects/summaries';
import { Poly } from './linear';
import { callbackParameterRoles } from './sites';
import { bindingKey, type LoopContext } from './context';

export interface ScalarEvent {
  binding: Binding;
  access: 'read' | 'write' | 'update';
  /** A read that may see the value left by the previous iteration (no write before it on every path). */
  exposed: boolean;
  line: number;
  /** For an update in reduction form (`s += x`, `m = Math.max(m, x)`): its operator. */
  op?: ReductionOperator;
}

export type Step =
  | { kind: 'prop'; name: string; text: string }
  | { kind: 'index'; poly?: Poly; text: string; mayRepeat?: boolean };

export interface LocationEvent {
  ownerKey: string;
  ownerText: string;
  binding?: Binding;
  /** A new object made in this function, so it cannot alias anything the loop did not make. */
  fresh: boolean;
  steps: Step[];
  access: 'read' | 'write';
  /** The whole object under the path (a call may read or write any of it). */
  whole: boolean;
  line: number;
  text: string;
  op?: ReductionOperator;
  /** The call that made the access (`push`, `sort`, a function of this file). */
  viaCall?: string;
  grows?: boolean;
}

export interface EffectEvent {
  kind: 'io' | 'hidden-state' | 'unknown-call' | 'outer-write' | 'unknown-write';
  variable: string;
  line: number;
  note: string;
}

export interface ControlEvent {
  keyword: string;
  line: number;
}

export interface LoopFacts {
  scalars: ScalarEvent[];
  locations: LocationEvent[];
  effects: EffectEvent[];
  controls: ControlEvent[];
  /** Names declared inside the loop: private to each iteration. */
  declaredPrivates: Set<string>;
}

type Definite = Set<number> | 'top';

type Located =
  | { kind: 'owned'; ownerKey: string; ownerText: string; binding?: Binding; fresh: boolean; steps: Step[] }
  | { kind: 'fresh' }
  | { kind: 'unknown'; text: string };

const MAX_DEPTH = 400;

const compoundOperators: Partial<Record<ts.SyntaxKind, ReductionOperator>> = {
  [ts.SyntaxKind.PlusEqualsToken]: '+', [ts.SyntaxKind.MinusEqualsToken]: '+', [ts.SyntaxKind.AsteriskEqualsToken]: '*',
  [ts.SyntaxKind.AmpersandEqualsToken]: '&', [ts.SyntaxKind.BarEqualsToken]: '|', [ts.SyntaxKind.CaretEqualsToken]: '^',
  [ts.SyntaxKind.AmpersandAmpersandEqualsToken]: '&&', [ts.SyntaxKind.BarBarEqualsToken]: '||',
};
const commutativeOperators: Partial<Record<ts.SyntaxKind, ReductionOperator>> = {
  [ts.SyntaxKind.PlusToken]: '+', [ts.SyntaxKind.AsteriskToken]: '*', [ts.SyntaxKind.AmpersandToken]: '&',
  [ts.SyntaxKind.BarToken]: '|', [ts.SyntaxKind.CaretToken]: '^', [ts.SyntaxKind.AmpersandAmpersandToken]: '&&',
  [ts.SyntaxKind.BarBarToken]: '||',
};

export class LoopWalker {
  readonly facts: LoopFacts = { scalars: [], locations: [], effects: [], controls: [], declaredPrivates: new Set() };
  private definite: Definite = new Set();
  private depth = 0;
  private functionDepth = 0;
  private breakables = 0;
  private innerLoops = 0;
  private catchingTries = 0;
  private readonly labelsInside = new Set<string>();

  constructor(private readonly ctx: LoopContext) {}

  run(): LoopFacts {
    const site = this.ctx.site;
    const node = site.node;
    if (site.callback) {
      const body = site.callback.body;
      if (body) this.visit(body);
    } else if (site.opaqueCallback) {
      this.visitObjectUse(site.iterated!, 'read', true);
      this.opaqueCallback(site.opaqueCallback);
    } else if (ts.isForStatement(node)) {
      if (node.condition) this.visit(node.condition);
      this.visit(node.statement);
      if (node.incrementor) this.visit(node.incrementor);
    } else if (ts.isWhileStatement(node)) {
      this.visit(node.expression);
      this.visit(node.statement);
    } else if (ts.isDoStatement(node)) {
      this.visit(node.statement);
      this.visit(node.expression);
    } else if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      this.assignLoopVariable(node.initializer);
      this.visit(node.statement);
    }
    return this.facts;
  }

  private line(node: ts.Node): number {
    return lineOf(this.ctx.sourceFile, node);
  }

  private text(node: ts.Node): string {
    return textOf(this.ctx.sourceFile, node);
  }

  /** A name whose value can outlive one iteration: declared outside the loop, or a `var`, or a header `let` other than the counter. */
  private isCarriedScalar(binding: Binding): boolean {
    if (this.ctx.counter && binding.id === this.ctx.counter.binding.id) return false;
    if (binding.kind === 'function' || binding.kind === 'class' || binding.kind === 'import' || binding.kind === 'enum') return false;
    const site = this.ctx.site.node;
    if (ts.isForStatement(site) && site.initializer && binding.nameNode.pos >= site.initializer.pos && binding.nameNode.end <= site.initializer.end) return true;
    return !this.ctx.isPrivateToIteration(binding);
  }

  private isDefinite(id: number): boolean {
    return this.definite === 'top' || this.definite.has(id);
  }

  private markDefinite(id: number): void {
    if (this.definite !== 'top') this.definite.add(id);
  }

  private snapshot(): Definite {
    return this.definite === 'top' ? 'top' : new Set(this.definite);
  }

  private static intersect(a: Definite, b: Definite): Definite {
    if (a === 'top') return b;
    if (b === 'top') return a;
    return new Set([...a].filter((x) => b.has(x)));
  }

  /** Runs `fn` on a copy of the definite-assignment state and throws the copy away: code that may not run. */
  private maybe(fn: () => void): void {
    const saved = this.snapshot();
    this.definite = this.snapshot();
    fn();
    this.definite = saved;
  }

  private visit(node: ts.Node | undefined): void {
    if (!node) return;
    if (++this.depth > MAX_DEPTH) throw new TooDeepError();
    try {
      this.visitNode(node);
    } finally {
      this.depth--;
    }
  }

  private visitNode(node: ts.Node): void {
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    switch (node.kind) {
      case ts.SyntaxKind.Identifier:
        this.readIdentifier(node as ts.Identifier);
        return;
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression:
        this.readLocation(node as ts.Expression);
        return;
      case ts.SyntaxKind.BinaryExpression:
        this.visitBinary(node as ts.BinaryExpression);
        return;
      case ts.SyntaxKind.PrefixUnaryExpression:
      case ts.SyntaxKind.PostfixUnaryExpression: {
        const u = node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        if (u.operator === ts.SyntaxKind.PlusPlusToken || u.operator === ts.SyntaxKind.MinusMinusToken) {
          this.visitSubscripts(u.operand);
          this.write(u.operand, valueIsUnused(u) ? '+' : undefined, !valueIsUnused(u));
        } else {
          this.visit(u.operand);
        }
        return;
      }
      case ts.SyntaxKind.DeleteExpression: {
        const d = node as ts.DeleteExpression;
        this.visitSubscripts(d.expression);
        this.write(d.expression, undefined, false);
        return;
      }
      case ts.SyntaxKind.CallExpression:
      case ts.SyntaxKind.NewExpression:
        this.visitCall(node as ts.CallExpression | ts.NewExpression);
        return;
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor:
        this.visitNestedFunction(node as ts.FunctionLikeDeclaration);
        return;
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.ClassDeclaration:
        // Runs only when called; its calls are followed through their side-effect summaries.
        return;
      case ts.SyntaxKind.SpreadElement:
      case ts.SyntaxKind.SpreadAssignment:
        this.visitObjectUse((node as ts.SpreadElement).expression, 'read', true);
        return;
      case ts.SyntaxKind.VariableDeclaration:
        this.visitDeclaration(node as ts.VariableDeclaration);
        return;
      case ts.SyntaxKind.IfStatement:
        this.visitIf(node as ts.IfStatement);
        return;
      case ts.SyntaxKind.ConditionalExpression: {
        const c = node as ts.ConditionalExpression;
        this.visit(c.condition);
        this.branches([c.whenTrue, c.whenFalse]);
        return;
      }
      case ts.SyntaxKind.ForStatement: {
        const f = node as ts.ForStatement;
        this.visit(f.initializer);
        this.visit(f.condition);
        this.innerLoop(() => { this.visit(f.statement); this.visit(f.incrementor); });
        return;
      }
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement: {
        const f = node as ts.ForOfStatement | ts.ForInStatement;
        this.visitObjectUse(f.expression, 'read', true);
        this.innerLoop(() => { this.assignLoopVariable(f.initializer); this.visit(f.statement); });
        return;
      }
      case ts.SyntaxKind.WhileStatement: {
        const w = node as ts.WhileStatement;
        this.visit(w.expression);
        this.innerLoop(() => this.visit(w.statement));
        return;
      }
      case ts.SyntaxKind.DoStatement: {
        const d = node as ts.DoStatement;
        this.innerLoop(() => { this.visit(d.statement); this.visit(d.expression); });
        return;
      }
      case ts.SyntaxKind.SwitchStatement: {
        const s = node as ts.SwitchStatement;
        this.visit(s.expression);
        this.breakables++;
        for (const clause of s.caseBlock.clauses) this.maybe(() => this.visitEach(clause.getChildren(this.ctx.sourceFile)));
        this.breakables--;
        return;
      }
      case ts.SyntaxKind.TryStatement: {
        const t = node as ts.TryStatement;
        if (t.catchClause) this.catchingTries++;
        this.maybe(() => this.visit(t.tryBlock));
        if (t.catchClause) this.catchingTries--;
        if (t.catchClause) this.maybe(() => this.visit(t.catchClause!.block));
        this.visit(t.finallyBlock);
        return;
      }
      case ts.SyntaxKind.LabeledStatement: {
        const l = node as ts.LabeledStatement;
        this.labelsInside.add(l.label.text);
        this.visit(l.statement);
        this.labelsInside.delete(l.label.text);
        return;
      }
      case ts.SyntaxKind.BreakStatement:
      case ts.SyntaxKind.ContinueStatement:
        this.visitJump(node as ts.BreakOrContinueStatement);
        return;
      case ts.SyntaxKind.ReturnStatement: {
        const r = node as ts.ReturnStatement;
        this.visit(r.expression);
        if (this.functionDepth === 0 && !this.ctx.site.callback) this.facts.controls.push({ keyword: 'return', line: this.line(node) });
        this.definite = 'top';
        return;
      }
      case ts.SyntaxKind.ThrowStatement: {
        const t = node as ts.ThrowStatement;
        this.visit(t.expression);
        if (this.functionDepth === 0 && this.catchingTries === 0) this.facts.controls.push({ keyword: 'throw', line: this.line(node) });
        this.definite = 'top';
        return;
      }
      case ts.SyntaxKind.ShorthandPropertyAssignment:
        this.readIdentifier((node as ts.ShorthandPropertyAssignment).name);
        return;
      case ts.SyntaxKind.PropertyAssignment:
        this.visit((node as ts.PropertyAssignment).initializer);
        if (ts.isComputedPropertyName((node as ts.PropertyAssignment).name)) this.visit((node as ts.PropertyAssignment).name);
        return;
      default:
        node.forEachChild((child) => { this.visit(child); });
    }
  }

  private visitEach(nodes: readonly ts.Node[]): void {
    for (const n of nodes) {
      if (n.kind === ts.SyntaxKind.SyntaxList) this.visitEach(n.getChildren(this.ctx.sourceFile));
      else if (ts.isExpression(n) || ts.isStatement(n)) this.visit(n);
    }
  }

  private branches(parts: readonly (ts.Node | undefined)[]): void {
    const start = this.snapshot();
    let result: Definite | undefined;
    for (const part of parts) {
      this.definite = start === 'top' ? 'top' : new Set(start);
      if (part) this.visit(part);
      result = result === undefined ? this.definite : LoopWalker.intersect(result, this.definite);
    }
    this.definite = result ?? start;
  }

  private innerLoop(fn: () => void): void {
    this.innerLoops++;
    this.breakables++;
    this.maybe(fn);
    this.breakables--;
    this.innerLoops--;
  }

  private visitJump(node: ts.BreakOrContinueStatement): void {
    const keyword = ts.isBreakStatement(node) ? 'break' : 'continue';
    if (this.functionDepth === 0) {
      if (node.label) {
        const label = node.label.text;
        if (!this.labelsInside.has(label)) {
          const ownLabel = this.ctx.site.node.parent && ts.isLabeledStatement(this.ctx.site.node.parent) && this.ctx.site.node.parent.label.text === label;
          if (!(ownLabel && keyword === 'continue')) this.facts.controls.push({ keyword: `${keyword} ${label}`, line: this.line(node) });
        }
      } else if (keyword === 'break' && this.breakables === 0) {
        this.facts.controls.push({ keyword: 'break', line: this.line(node) });
      }
    }
    this.definite = 'top';
  }

  private visitIf(node: ts.IfStatement): void {
    const reduction = !node.elseStatement ? this.conditionalExtremum(node) : undefined;
    if (reduction) {
      this.visit(reduction.value);
      this.visitSubscripts(reduction.target);
      this.write(reduction.target, reduction.op, false);
      return;
    }
    this.visit(node.expression);
    this.branches([node.thenStatement, node.elseStatement]);
  }

  /** `if (x > m) m = x;` is a max reduction of m (and `<` a min), provided nothing else happens in the branch. */
  private conditionalExtremum(node: ts.IfStatement): { target: ts.Expression; value: ts.Expression; op: ReductionOperator } | undefined {
    const cond = skipOuterExpressions(node.expression);
    if (!ts.isBinaryExpression(cond)) return undefined;
    let then: ts.Statement = node.thenStatement;
    if (ts.isBlock(then)) {
      if (then.statements.length !== 1) return undefined;
      then = then.statements[0];
    }
    if (!ts.isExpressionStatement(then)) return undefined;
    const assign = skipOuterExpressions(then.expression);
    if (!ts.isBinaryExpression(assign) || assign.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
    const target = assign.left;
    const value = assign.right;
    const same = (a: ts.Node, b: ts.Node) => this.text(a) === this.text(b);
    const k = cond.operatorToken.kind;
    const greater = k === ts.SyntaxKind.GreaterThanToken || k === ts.SyntaxKind.GreaterThanEqualsToken;
    const less = k === ts.SyntaxKind.LessThanToken || k === ts.SyntaxKind.LessThanEqualsToken;
    if (!greater && !less) return undefined;
    let op: ReductionOperator | undefined;
    if (same(cond.left, value) && same(cond.right, target)) op = greater ? 'max' : 'min';
    else if (same(cond.left, target) && same(cond.right, value)) op = greater ? 'min' : 'max';
    if (!op || this.mentions(value, target)) return undefined;
    return { target, value, op };
  }

  private visitBinary(node: ts.BinaryExpression): void {
    const kind = node.operatorToken.kind;
    if (!isAssignmentOperator(kind)) {
      if (kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken) {
        this.visit(node.left);
        this.maybe(() => this.visit(node.right));
        return;
      }
      this.visit(node.left);
      this.visit(node.right);
      return;
    }
    const left = skipOuterExpressions(node.left);
    if (ts.isArrayLiteralExpression(left) || ts.isObjectLiteralExpression(left)) {
      this.visit(node.right);
      for (const target of assignedExpressions(left)) {
        this.visitSubscripts(target);
        this.write(target, undefined, false);
      }
      return;
    }
    const used = !valueIsUnused(node);
    const compound = compoundOperators[kind];
    if (compound) {
      this.visitSubscripts(left);
      this.visit(node.right);
      const isReduction = !used && !this.mentions(node.right, left);
      this.write(left, isReduction ? compound : undefined, !isReduction);
      return;
    }
    if (kind !== ts.SyntaxKind.EqualsToken) {
      // `??=` and friends: read, maybe write.
      this.visitSubscripts(left);
      this.readTarget(left);
      this.maybe(() => { this.visit(node.right); this.write(left, undefined, false); });
      return;
    }
    const reduction = used ? undefined : this.reductionAssignment(left, node.right);
    this.visitSubscripts(left);
    if (reduction) {
      for (const operand of reduction.operands) this.visit(operand);
      this.write(left, reduction.op, false);
      return;
    }
    this.visit(node.right);
    this.write(left, undefined, false);
  }

  /** `x = x op e`, `x = e op x` (commutative), `x = Math.max(x, e)`. */
  private reductionAssignment(target: ts.Expression, value: ts.Expression): { op: ReductionOperator; operands: ts.Expression[] } | undefined {
    const v = skipOuterExpressions(value);
    const isTarget = (e: ts.Expression) => this.text(skipOuterExpressions(e)) === this.text(target);
    if (ts.isBinaryExpression(v)) {
      const k = v.operatorToken.kind;
      const op = commutativeOperators[k];
      if (k === ts.SyntaxKind.MinusToken && isTarget(v.left) && !this.mentions(v.right, target)) return { op: '+', operands: [v.right] };
      if (!op) return undefined;
      if (isTarget(v.left) && !this.mentions(v.right, target)) return { op, operands: [v.right] };
      if (isTarget(v.right) && !this.mentions(v.left, target)) return { op, operands: [v.left] };
      return undefined;
    }
    if (ts.isCallExpression(v) && ts.isPropertyAccessExpression(v.expression) && this.text(v.expression) === 'Math.max' || ts.isCallExpression(v) && this.text(v.expression) === 'Math.min') {
      const call = v as ts.CallExpression;
      const op: ReductionOperator = this.text(call.expression) === 'Math.max' ? 'max' : 'min';
      if (this.ctx.resolver.resolve((call.expression as ts.PropertyAccessExpression).expression as ts.Identifier)) return undefined;
      const self = call.arguments.filter(isTarget);
      const others = call.arguments.filter((a) => !isTarget(a));
      if (self.length !== 1 || others.some((o) => this.mentions(o, target))) return undefined;
      return { op, operands: others };
    }
    return undefined;
  }

  /** Whether `expression` refers to what `target` denotes (same variable, or the same access as written). */
  private mentions(expression: ts.Node, target: ts.Expression): boolean {
    const t = skipOuterExpressions(target);
    const targetBinding = ts.isIdentifier(t) ? this.ctx.resolver.resolve(t) : undefined;
    const targetText = this.text(t);
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(n)) {
        if (targetBinding ? this.ctx.resolver.resolve(n)?.id === targetBinding.id : n.text === targetText) found = true;
        return;
      }
      if ((ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && this.text(n) === targetText) {
        found = true;
        return;
      }
      if (!targetBinding && (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n))) {
        // A write to a[i] conflicts with any read of a: compare roots conservatively.
        const root = rootExpression(t);
        const other = rootExpression(n as ts.Expression);
        if (ts.isIdentifier(root) && ts.isIdentifier(other) && root.text === other.text) found = true;
      }
      n.forEachChild(visit);
    };
    visit(expression);
    return found;
  }

  private visitDeclaration(node: ts.VariableDeclaration): void {
    this.visit(node.initializer);
    for (const id of namesOf(node.name)) {
      const b = this.ctx.resolver.declarationOf(id);
      if (!b) continue;
      if (this.isCarriedScalar(b)) {
        if (node.initializer) this.scalarWrite(b, id, undefined);
      } else {
        this.facts.declaredPrivates.add(b.name);
      }
    }
  }

  private assignLoopVariable(initializer: ts.ForInitializer): void {
    if (ts.isVariableDeclarationList(initializer)) {
      for (const d of initializer.declarations) {
        for (const id of namesOf(d.name)) {
          const b = this.ctx.resolver.declarationOf(id);
          if (!b) continue;
          if (this.isCarriedScalar(b)) this.scalarWrite(b, id, undefined);
          else this.facts.declaredPrivates.add(b.name);
        }
      }
      return;
    }
    for (const target of assignedExpressions(initializer)) {
      this.visitSubscripts(target);
      this.write(target, undefined, false);
    }
  }

  private visitNestedFunction(fn: ts.FunctionLikeDeclaration): void {
    this.functionDepth++;
    const savedBreakables = this.breakables;
    const savedCatching = this.catchingTries;
    this.breakables = 0;
    this.catchingTries = 0;
    this.maybe(() => {
      for (const p of fn.parameters) {
        this.visit(p.initializer);
        for (const id of namesOf(p.name)) this.facts.declaredPrivates.add(id.text);
      }
      this.visit(fn.body);
    });
    this.breakables = savedBreakables;
    this.catchingTries = savedCatching;
    this.functionDepth--;
  }

  private readIdentifier(id: ts.Identifier): void {
    const b = this.ctx.resolver.resolve(id);
    if (!b || !this.isCarriedScalar(b)) return;
    if (!isReference(id)) return;
    this.facts.scalars.push({ binding: b, access: 'read', exposed: !this.isDefinite(b.id), line: this.line(id) });
  }

  private scalarWrite(b: Binding, at: ts.Node, op: ReductionOperator | undefined, alsoRead = false): void {
    const line = this.line(at);
    if (op) {
      this.facts.scalars.push({ binding: b, access: 'update', exposed: !this.isDefinite(b.id), line, op });
    } else {
      if (alsoRead) this.facts.scalars.push({ binding: b, access: 'read', exposed: !this.isDefinite(b.id), line });
      this.facts.scalars.push({ binding: b, access: 'write', exposed: false, line });
    }
    this.markDefinite(b.id);
  }

  /** Records a write of `target` (after its subscripts were visited). `alsoRead`: the old value is used too. */
  private write(target: ts.Expression, op: ReductionOperator | undefined, alsoRead: boolean): void {
    const t = skipOuterExpressions(target);
    if (ts.isIdentifier(t)) {
      const b = this.ctx.resolver.resolve(t);
      if (!b) {
        this.facts.effects.push({ kind: 'outer-write', variable: t.text, line: this.line(t), note: `writes the global ${t.text}` });
        return;
      }
      if (this.isCarriedScalar(b)) this.scalarWrite(b, t, op, alsoRead);
      return;
    }
    if (!ts.isPropertyAccessExpression(t) && !ts.isElementAccessExpression(t)) {
      this.visit(t);
      return;
    }
    const located = this.locate(t);
    if (located.kind === 'owned') {
      const base = { ownerKey: located.ownerKey, ownerText: located.ownerText, binding: located.binding, fresh: located.fresh, steps: located.steps, whole: false, line: this.line(t), text: this.text(t) };
      if (alsoRead || op) this.facts.locations.push({ ...base, access: 'read', op });
      this.facts.locations.push({ ...base, access: 'write', op });
    } else if (located.kind === 'unknown') {
      this.facts.effects.push({ kind: 'unknown-write', variable: located.text, line: this.line(t), note: `writes into ${this.text(t)}, an object whose origin is unknown (it may be shared by iterations)` });
    }
  }

  private readTarget(target: ts.Expression): void {
    if (ts.isIdentifier(target)) this.readIdentifier(target);
    else this.recordLocation(target, 'read', false);
  }

  private readLocation(expr: ts.Expression): void {
    this.visitSubscripts(expr);
    this.recordLocation(expr, 'read', false);
  }

  private recordLocation(expr: ts.Expression, access: 'read' | 'write', whole: boolean, viaCall?: string, grows?: boolean): void {
    const located = this.locate(expr);
    if (located.kind === 'owned') {
      this.facts.locations.push({
        ownerKey: located.ownerKey, ownerText: located.ownerText, binding: located.binding, fresh: located.fresh,
        steps: located.steps, access, whole, line: this.line(expr), text: this.text(expr), viaCall, grows,
      });
    } else if (located.kind === 'unknown' && access === 'write') {
      this.facts.effects.push({ kind: 'unknown-write', variable: located.text, line: this.line(expr), note: `${viaCall ? `${viaCall}() writes` : 'writes'} into ${this.text(expr)}, an object whose origin is unknown (it may be shared by iterations)` });
    }
  }

  /** Visits the subscript expressions (and a non-name root) of `a[i].b[j]`, which are read before the access. */
  private visitSubscripts(expr: ts.Expression): void {
    let at = skipOuterExpressions(expr);
    if (ts.isIdentifier(at)) return; // a plain name has no subscripts; its own read is the caller's business
    while (ts.isPropertyAccessExpression(at) || ts.isElementAccessExpression(at)) {
      if (ts.isElementAccessExpression(at)) this.visit(at.argumentExpression);
      at = skipOuterExpressions(at.expression);
    }
    if (ts.isIdentifier(at)) this.readIdentifier(at);
    else if (at.kind !== ts.SyntaxKind.ThisKeyword) this.visit(at);
  }

  /** An object used as a whole: passed to a call, spread, iterated, or a method's receiver. */
  private visitObjectUse(expr: ts.Expression, access: 'read' | 'write', whole: boolean, viaCall?: string, grows?: boolean): void {
    const e = skipOuterExpressions(expr);
    if (ts.isIdentifier(e)) {
      this.readIdentifier(e);
      this.recordLocation(e, access, whole, viaCall, grows);
    } else if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || e.kind === ts.SyntaxKind.ThisKeyword) {
      this.visitSubscripts(e);
      this.recordLocation(e, access, whole, viaCall, grows);
    } else {
      this.visit(e);
    }
  }

  private locate(expr: ts.Expression, depth = 0): Located {
    const steps: Step[] = [];
    let at = skipOuterExpressions(expr);
    while (ts.isPropertyAccessExpression(at) || ts.isElementAccessExpression(at)) {
      if (ts.isPropertyAccessExpression(at)) {
        steps.unshift({ kind: 'prop', name: at.name.text, text: `.${at.name.text}` });
      } else {
        const arg = skipOuterExpressions(at.argumentExpression);
        if (ts.isStringLiteralLike(arg)) steps.unshift({ kind: 'prop', name: arg.text, text: `[${this.text(arg)}]` });
        else steps.unshift({ kind: 'index', poly: this.ctx.toPoly(arg), text: `[${this.text(arg)}]` });
      }
      at = skipOuterExpressions(at.expression);
    }
    if (at.kind === ts.SyntaxKind.ThisKeyword) return { kind: 'owned', ownerKey: 'this', ownerText: 'this', fresh: false, steps };
    if (!ts.isIdentifier(at)) return isFreshAllocation(at, this.ctx.resolver) ? { kind: 'fresh' } : { kind: 'unknown', text: this.text(at) };
    const b = this.ctx.resolver.resolve(at);
    if (!b) return { kind: 'owned', ownerKey: `global:${at.text}`, ownerText: at.text, fresh: false, steps };
    const prefix = (base: Located, extra: Step[]): Located => (base.kind === 'owned' ? { ...base, steps: [...base.steps, ...extra, ...steps] } : base);
    if (depth < 8) {
      const origin = this.ctx.elementOrigin(b);
      if (origin) return prefix(this.locate(origin.collection, depth + 1), [{ kind: 'index', poly: Poly.symbol(origin.indexKey), text: '[…]', mayRepeat: origin.mayRepeat }]);
      const method = this.ctx.methodOfParameter(b);
      if (method && method.index === callbackParameterRoles(method.name as never).array) return prefix(this.locate(method.receiver, depth + 1), []);
    }
    if (!this.isCarriedScalar(b) || b.kind === 'const') {
      const init = b.initializer && ts.isVariableDeclaration(b.declaration) && !this.ctx.isWrittenInLoop(b) && (b.kind === 'const' || this.ctx.isPrivateToIteration(b)) ? skipOuterExpressions(b.initializer) : undefined;
      if (init && isFreshAllocation(init, this.ctx.resolver)) {
        return this.ctx.isPrivateToIteration(b) ? { kind: 'fresh' } : { kind: 'owned', ownerKey: bindingKey(b), ownerText: b.name, binding: b, fresh: true, steps };
      }
      if (init && depth < 8 && (ts.isIdentifier(init) || ts.isPropertyAccessExpression(init) || ts.isElementAccessExpression(init) || init.kind === ts.SyntaxKind.ThisKeyword)) {
        return prefix(this.locate(init, depth + 1), []);
      }
      if (this.ctx.isPrivateToIteration(b)) return { kind: 'unknown', text: b.name };
    }
    return { kind: 'owned', ownerKey: bindingKey(b), ownerText: b.name, binding: b, fresh: false, steps };
  }

  private opaqueCallback(callback: ts.Expression): void {
    const c = skipOuterExpressions(callback);
    const line = this.line(callback);
    if (ts.isIdentifier(c) && !this.ctx.resolver.resolve(c) && ['String', 'Number', 'Boolean', 'parseFloat', 'parseInt', 'isNaN', 'isFinite', 'BigInt'].includes(c.text)) return;
    this.facts.effects.push({ kind: 'unknown-call', variable: this.text(callback), line, note: `the callback ${this.text(callback)} is not a function of this file, so its effects are unknown` });
  }

  private visitCall(call: ts.CallExpression | ts.NewExpression): void {
    const target = resolveCall(call, this.ctx.resolver);
    const args = call.arguments ?? [];
    const line = this.line(call);
    const callee = skipOuterExpressions(call.expression);
    const receiver = target.receiver;
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (!receiver && !ts.isIdentifier(callee) && !isFunctionLike(callee)) this.visit(callee);
    for (const arg of args) {
      const a = skipOuterExpressions(arg);
      if (isFunctionLike(a)) {
        // A callback given to forEach/map/sort runs now; any other may run later: both count, neither surely.
        this.visitNestedFunction(a);
      } else if (ts.isIdentifier(a) || ts.isPropertyAccessExpression(a) || ts.isElementAccessExpression(a)) {
        this.visitObjectUse(a, 'read', true);
      } else {
        this.visit(a);
      }
    }
    switch (target.kind) {
      case 'function': {
        if (isFunctionLike(callee)) this.visitNestedFunction(callee);
        if (receiver) this.visitObjectUse(receiver, 'read', true);
        // A function written inside the loop was walked where it stands; its accesses are already recorded.
        if (this.ctx.contains(target.declaration)) return;
        const summary = this.ctx.summaries.summaryOf(target.declaration);
        for (const what of summary.io) this.facts.effects.push({ kind: 'io', variable: target.name, line, note: `${target.name}() performs I/O (${what}), whose order is observable` });
        for (const what of summary.hiddenState) this.facts.effects.push({ kind: 'hidden-state', variable: target.name, line, note: `${target.name}() uses ${what}, whose hidden state changes on every call` });
        for (const what of summary.unknown) this.facts.effects.push({ kind: 'unknown-call', variable: target.name, line, note: `${target.name}() calls ${what}, whose effects are unknown` });
        for (const b of summary.writesOuter.values()) {
          if (this.ctx.isPrivateToIteration(b)) continue;
          this.facts.effects.push({ kind: 'outer-write', variable: target.name, line, note: `${target.name}() writes ${b.name}, which every iteration shares` });
        }
        for (const b of summary.readsOuter.values()) {
          if (!this.isCarriedScalar(b)) continue;
          this.facts.scalars.push({ binding: b, access: 'read', exposed: !this.isDefinite(b.id), line });
          this.facts.locations.push({ ownerKey: bindingKey(b), ownerText: b.name, binding: b, fresh: false, steps: [], access: 'read', whole: true, line, text: b.name, viaCall: target.name });
        }
        for (const index of summary.writesParameters) {
          const arg = args[index];
          if (arg) this.recordLocation(arg, 'write', true, target.name);
        }
        if (summary.writesThis) {
          if (receiver) this.recordLocation(receiver, 'write', true, target.name);
          else if (ts.isNewExpression(call)) { /* a constructor writes its own new object */ } else this.facts.effects.push({ kind: 'unknown-write', variable: target.name, line, note: `${target.name}() writes this, which is unknown here` });
        }
        return;
      }
      case 'builtin': {
        const effect = target.effect;
        if (effect.kind === 'mutates-receiver' && receiver) {
          this.visitObjectUse(receiver, 'read', true, method);
          this.visitObjectUse(receiver, 'write', true, method, effect.grows);
          return;
        }
        if (receiver) this.visitObjectUse(receiver, 'read', true);
        if (effect.kind === 'io') {
          const root = target.name.split('.')[0];
          this.facts.effects.push({ kind: 'io', variable: root, line, note: `${target.name}() performs I/O, whose order is observable` });
        } else if (effect.kind === 'hidden-state') {
          this.facts.effects.push({ kind: 'hidden-state', variable: target.name, line, note: `${target.name}() changes hidden state on every call, so iterations do not commute` });
        } else if (effect.kind === 'mutates-argument' && args[effect.index]) {
          this.recordLocation(args[effect.index], 'write', true, target.name);
        }
        return;
      }
      case 'unknown':
        if (receiver) this.visitObjectUse(receiver, 'read', true);
        this.facts.effects.push({ kind: 'unknown-call', variable: target.name, line, note: `${target.name}() is not a function Parlens can see into, so its effects are unknown` });
        return;
    }
  }
}

function namesOf(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : namesOf(e.name)));
}

/** Whether the value of an update or assignment is thrown away (so `x += e` can be a reduction). */
function valueIsUnused(node: ts.Expression): boolean {
  let at: ts.Node = node;
  while (ts.isParenthesizedExpression(at.parent)) at = at.parent;
  const parent = at.parent;
  if (ts.isExpressionStatement(parent)) return true;
  if (ts.isForStatement(parent) && parent.incrementor === at) return true;
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.CommaToken) return parent.left === at || valueIsUnused(parent);
  return false;
}
