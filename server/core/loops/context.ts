// What the analysis of one loop knows before walking its body: the iteration space, what the loop writes,
// and how to read a subscript as a polynomial in the loop's counters.
import { ts, skipOuterExpressions, isFunctionLike, textOf } from '../syntax/parse';
import type { Binding, ScopeResolver } from '../scope/resolver';
import type { EffectSummaries } from '../effects/summaries';
import { Poly } from './linear';
import type { Range, DependenceProblem } from './dependenceTests';
import { forCounter, whileCounter, regionWrites, numericValue, type CounterShape, type RegionWrites } from './iterationSpace';
import { callbackParameterRoles, type LoopSite } from './sites';
import { iteratingMethods } from '../effects/builtins';

/** Where the element a name stands for lives: `collection[index]`. */
export interface ElementOrigin {
  collection: ts.Expression;
  /** Symbol key of the index that tells iterations (or inner iterations) apart. */
  indexKey: string;
  /** True for for-of elements and callback elements: two indices may hold the same object. */
  mayRepeat: boolean;
}

const MAX_SUBSTITUTION_DEPTH = 8;

export class LoopContext {
  readonly region: ts.Node;
  readonly writes: RegionWrites;
  /** Symbol key of the analysed loop's iteration (its counter, or a synthetic index). */
  readonly targetKey: string;
  readonly targetRange: Range = {};
  /** Execution order of the counter: +1 when it grows, -1 when it shrinks. */
  direction = 1;
  stride = 1;
  readonly counter?: CounterShape;
  readonly inner = new Map<string, Range>();
  private substitutionDepth = 0;

  constructor(readonly site: LoopSite, readonly resolver: ScopeResolver, readonly summaries: EffectSummaries) {
    this.region = site.region;
    this.writes = regionWrites(site.region === site.node ? site.node : site.region, resolver);
    if (site.construct === 'for') this.counter = forCounter(site.node as ts.ForStatement, resolver);
    else if (site.construct === 'while' || site.construct === 'do-while') {
      this.counter = whileCounter(site.node as ts.WhileStatement | ts.DoStatement, resolver, this.writes.counts);
    }
    this.targetKey = this.counter ? bindingKey(this.counter.binding) : `t${site.node.pos}`;
    if (this.counter) this.setCounterRange(this.counter, site.construct === 'do-while');
    else if (site.callback) {
      this.targetRange.lo = Poly.constant(0);
      const length = this.lengthOf(site.iterated);
      if (length) this.targetRange.hi = length.sub(Poly.constant(1));
    } else if (site.construct === 'for-of') {
      this.targetRange.lo = Poly.constant(0);
    }
  }

  get sourceFile(): ts.SourceFile {
    return this.resolver.sourceFile;
  }

  problem(): DependenceProblem {
    return { target: this.targetKey, targetRange: this.targetRange, stride: this.stride, inner: this.inner };
  }

  /** Declared inside the loop and so fresh in every iteration (a `var` is, only inside a nested function). */
  isPrivateToIteration(binding: Binding): boolean {
    const d = binding.nameNode;
    if (!(d.pos >= this.region.pos && d.end <= this.region.end)) return false;
    if (binding.kind !== 'var') return true;
    for (let at: ts.Node | undefined = d.parent; at && at !== this.region; at = at.parent) {
      if (isFunctionLike(at)) return true;
    }
    return isFunctionLike(this.region);
  }

  isWrittenInLoop(binding: Binding): boolean {
    return (this.writes.counts.get(binding.id) ?? 0) > 0;
  }

  /** The element a name stands for, if it is a for-of variable or an array method's element parameter. */
  elementOrigin(binding: Binding): ElementOrigin | undefined {
    const decl = binding.declaration;
    if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && ts.isVariableDeclarationList(decl.parent)) {
      const statement = decl.parent.parent;
      if (ts.isForOfStatement(statement) && this.contains(statement)) {
        return { collection: statement.expression, indexKey: this.indexKeyOfLoop(statement), mayRepeat: true };
      }
    }
    const method = this.methodOfParameter(binding);
    if (method) {
      const roles = callbackParameterRoles(method.name as never);
      if (method.index === roles.element) return { collection: method.receiver, indexKey: method.indexKey, mayRepeat: true };
    }
    return undefined;
  }

  /** For an array method's callback parameter: which method, which parameter, and the key of its iteration index. */
  methodOfParameter(binding: Binding): { name: string; index: number; receiver: ts.Expression; indexKey: string; call: ts.CallExpression } | undefined {
    const decl = binding.declaration;
    if (!ts.isParameter(decl) || !ts.isIdentifier(decl.name)) return undefined;
    const fn = decl.parent;
    if (!isFunctionLike(fn)) return undefined;
    const index = fn.parameters.indexOf(decl);
    const call = this.site.callback === fn ? this.site.node as ts.CallExpression : enclosingMethodCall(fn);
    if (!call || !this.contains(call) && call !== this.site.node) return undefined;
    const callee = skipOuterExpressions(call.expression) as ts.PropertyAccessExpression;
    const name = callee.name.text;
    const roles = callbackParameterRoles(name as never);
    const indexParameter = fn.parameters[roles.index];
    const indexBinding = indexParameter && ts.isIdentifier(indexParameter.name) ? this.resolver.declarationOf(indexParameter.name) : undefined;
    const indexKey = call === this.site.node ? this.targetKey : indexBinding ? bindingKey(indexBinding) : `t${call.pos}`;
    if (call !== this.site.node && !this.inner.has(indexKey)) {
      const length = this.lengthOf(callee.expression);
      this.inner.set(indexKey, { lo: Poly.constant(0), hi: length && !this.mentionsVarying(length) ? length.sub(Poly.constant(1)) : undefined });
    }
    return { name, index, receiver: callee.expression, indexKey, call };
  }

  /** A subscript as a polynomial in counters and loop-invariant symbols; undefined when it is not affine or not readable. */
  toPoly(expression: ts.Expression): Poly | undefined {
    const e = skipOuterExpressions(expression);
    if (ts.isNumericLiteral(e)) {
      const v = numericValue(e);
      return v === undefined ? undefined : Poly.constant(v);
    }
    if (ts.isPrefixUnaryExpression(e)) {
      if (e.operator === ts.SyntaxKind.MinusToken) return this.toPoly(e.operand)?.scale(-1);
      if (e.operator === ts.SyntaxKind.PlusToken) return this.toPoly(e.operand);
      return undefined;
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.BarToken && numericValue(e.right) === 0) return this.toPoly(e.left);
      if (op !== ts.SyntaxKind.PlusToken && op !== ts.SyntaxKind.MinusToken && op !== ts.SyntaxKind.AsteriskToken) return undefined;
      const left = this.toPoly(e.left);
      const right = left && this.toPoly(e.right);
      if (!left || !right) return undefined;
      if (op === ts.SyntaxKind.PlusToken) return left.add(right);
      if (op === ts.SyntaxKind.MinusToken) return left.sub(right);
      return left.mul(right);
    }
    if (ts.isIdentifier(e)) {
      const binding = this.resolver.resolve(e);
      return binding ? this.symbolOf(binding) : undefined;
    }
    if (ts.isPropertyAccessExpression(e)) return this.invariantPath(e);
    return undefined;
  }

  private symbolOf(binding: Binding): Poly | undefined {
    if (this.counter && binding.id === this.counter.binding.id) return Poly.symbol(this.targetKey);
    const innerCounter = this.innerCounterKey(binding);
    if (innerCounter) return Poly.symbol(innerCounter);
    const method = this.methodOfParameter(binding);
    if (method) {
      const roles = callbackParameterRoles(method.name as never);
      return method.index === roles.index ? Poly.symbol(method.indexKey) : undefined;
    }
    const keyOf = this.forInKey(binding);
    if (keyOf) return Poly.symbol(keyOf);
    if (this.isPrivateToIteration(binding) || (binding.kind === 'var' && this.contains(binding.nameNode))) {
      // A value computed in the iteration: readable only through its initialiser, if it is never reassigned.
      if (this.isWrittenInLoop(binding) || !binding.initializer || this.substitutionDepth >= MAX_SUBSTITUTION_DEPTH) return undefined;
      if (!ts.isVariableDeclaration(binding.declaration)) return undefined;
      this.substitutionDepth++;
      try {
        return this.toPoly(binding.initializer);
      } finally {
        this.substitutionDepth--;
      }
    }
    return this.isWrittenInLoop(binding) ? undefined : Poly.symbol(bindingKey(binding));
  }

  /** `n.length`, `this.size`, `cfg.rows`: a symbol when nothing in the loop can change it. */
  private invariantPath(e: ts.PropertyAccessExpression): Poly | undefined {
    let root: ts.Expression = e;
    while (ts.isPropertyAccessExpression(root)) root = skipOuterExpressions(root.expression);
    if (root.kind === ts.SyntaxKind.ThisKeyword) return Poly.symbol(`p:${textOf(this.sourceFile, e)}`);
    if (!ts.isIdentifier(root)) return undefined;
    const b = this.resolver.resolve(root);
    if (b && (this.isWrittenInLoop(b) || this.isPrivateToIteration(b))) return undefined;
    if (b && (e.name.text === 'length' ? this.writes.resized.has(b.id) : this.writes.contentWritten.has(b.id))) return undefined;
    return Poly.symbol(`p:${b ? bindingKey(b) : root.text}${textOf(this.sourceFile, e).slice(root.text.length)}`);
  }

  lengthOf(collection: ts.Expression | undefined): Poly | undefined {
    if (!collection) return undefined;
    const c = skipOuterExpressions(collection);
    if (!ts.isIdentifier(c) && !ts.isPropertyAccessExpression(c)) return undefined;
    const b = ts.isIdentifier(c) ? this.resolver.resolve(c) : undefined;
    if (b && (this.writes.resized.has(b.id) || this.isWrittenInLoop(b))) return undefined;
    return Poly.symbol(`p:${b ? bindingKey(b) : textOf(this.sourceFile, c)}.length`);
  }

  private innerCounterKey(binding: Binding): string | undefined {
    const decl = binding.declaration;
    if (!ts.isVariableDeclaration(decl) || !ts.isVariableDeclarationList(decl.parent)) return undefined;
    const statement = decl.parent.parent;
    if (!ts.isForStatement(statement) || statement === this.site.node || !this.contains(statement)) return undefined;
    const shape = forCounter(statement, this.resolver);
    if (!shape || shape.binding.id !== binding.id) return undefined;
    // Written only by its own incrementor: a true counter.
    if ((this.writes.counts.get(binding.id) ?? 0) !== 1) return undefined;
    const key = bindingKey(binding);
    if (!this.inner.has(key)) {
      this.inner.set(key, {}); // registered first: its own bounds may mention it
      this.inner.set(key, this.rangeOf(shape, false));
    }
    return key;
  }

  private forInKey(binding: Binding): string | undefined {
    const decl = binding.declaration;
    if (!ts.isVariableDeclaration(decl) || !ts.isVariableDeclarationList(decl.parent)) return undefined;
    const statement = decl.parent.parent;
    if (!ts.isForInStatement(statement) || !this.contains(statement) && statement !== this.site.node) return undefined;
    if (this.isWrittenInLoop(binding)) return undefined;
    return this.indexKeyOfLoop(statement);
  }

  private indexKeyOfLoop(statement: ts.ForOfStatement | ts.ForInStatement): string {
    if (statement === this.site.node) return this.targetKey;
    const key = `t${statement.pos}`;
    if (!this.inner.has(key)) this.inner.set(key, { lo: Poly.constant(0) });
    return key;
  }

  private setCounterRange(shape: CounterShape, isDoWhile: boolean): void {
    const range = this.rangeOf(shape, isDoWhile);
    this.targetRange.lo = range.lo;
    this.targetRange.hi = range.hi;
    this.direction = shape.step !== undefined && shape.step < 0 ? -1 : 1;
    this.stride = shape.step !== undefined ? Math.abs(shape.step) : 1;
  }

  private rangeOf(shape: CounterShape, isDoWhile: boolean): Range {
    const start = shape.start ? this.toPoly(shape.start) : undefined;
    const bound = shape.bound ? this.toPoly(shape.bound) : undefined;
    const usable = (p: Poly | undefined) => (p && !this.mentionsVarying(p) ? p : undefined);
    const up = shape.step === undefined || shape.step > 0;
    let limit: Poly | undefined;
    const b = usable(bound);
    if (b && !isDoWhile) {
      switch (shape.comparison) {
        case '<': limit = up ? b.sub(Poly.constant(1)) : undefined; break;
        case '<=': limit = up ? b : undefined; break;
        case '>': limit = up ? undefined : b.add(Poly.constant(1)); break;
        case '>=': limit = up ? undefined : b; break;
        case '!=': limit = up ? b.sub(Poly.constant(1)) : b.add(Poly.constant(1)); break;
        default: limit = undefined;
      }
    }
    const s = usable(start);
    return up ? { lo: s, hi: limit } : { lo: limit, hi: s };
  }

  /** Whether a polynomial mentions the analysed loop's counter or an inner counter (so it is no fixed bound). */
  mentionsVarying(p: Poly): boolean {
    for (const s of p.symbols()) if (s === this.targetKey || this.inner.has(s)) return true;
    return false;
  }

  contains(node: ts.Node): boolean {
    return node.pos >= this.region.pos && node.end <= this.region.end;
  }
}

export function bindingKey(binding: Binding): string {
  return `b${binding.id}`;
}

/** The array-method call that a callback is passed to, if any. */
function enclosingMethodCall(fn: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
  const parent = fn.parent;
  if (!ts.isCallExpression(parent) || parent.arguments[0] !== fn) return undefined;
  const callee = skipOuterExpressions(parent.expression);
  return ts.isPropertyAccessExpression(callee) && iteratingMethods.has(callee.name.text) ? parent : undefined;
}
