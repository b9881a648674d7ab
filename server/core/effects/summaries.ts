// Side-effect summaries of the functions of a file, followed through calls to a fixpoint.
import { ts, isFunctionLike } from '../syntax/parse';
import type { Binding, ScopeResolver } from '../scope/resolver';
import { resolveCall } from './callTargets';
import { ownerOf, isAssignmentOperator, assignedExpressions, type Owner } from './writeTargets';

export interface FunctionSummary {
  /** I/O it performs, by what it calls (`console.log`). */
  io: Set<string>;
  /** Hidden state whose order matters (`Math.random`). */
  hiddenState: Set<string>;
  /** Calls whose effects nobody knows (a callback parameter, a package function). */
  unknown: Set<string>;
  /** Variables declared outside the function that it writes (or writes into). */
  writesOuter: Map<number, Binding>;
  /** Variables declared outside the function that it reads. */
  readsOuter: Map<number, Binding>;
  /** Indices of parameters whose objects it writes into. */
  writesParameters: Set<number>;
  writesThis: boolean;
}

interface CallEdge {
  callee: ts.FunctionLikeDeclaration;
  /** Owners of the arguments, by position, seen from the caller. */
  arguments: Owner[];
  receiver?: Owner;
}

interface LocalFacts {
  summary: FunctionSummary;
  edges: CallEdge[];
}

export function emptySummary(): FunctionSummary {
  return { io: new Set(), hiddenState: new Set(), unknown: new Set(), writesOuter: new Map(), readsOuter: new Map(), writesParameters: new Set(), writesThis: false };
}

export function isPure(s: FunctionSummary): boolean {
  return s.io.size === 0 && s.hiddenState.size === 0 && s.unknown.size === 0 && s.writesOuter.size === 0 && s.writesParameters.size === 0 && !s.writesThis;
}

const MAX_ROUNDS = 50;

export class EffectSummaries {
  private readonly final = new Map<ts.Node, FunctionSummary>();
  private readonly local = new Map<ts.Node, LocalFacts>();

  constructor(private readonly resolver: ScopeResolver) {}

  summaryOf(fn: ts.FunctionLikeDeclaration): FunctionSummary {
    const done = this.final.get(fn);
    if (done) return done;
    // Bottom-up over strongly connected components (Tarjan, iterative): each call edge is merged once,
    // and only recursion cycles iterate to a fixpoint. Real files (a compiler's checker) have call graphs of thousands.
    for (const component of this.componentsFrom(fn)) this.solveComponent(component);
    return this.final.get(fn)!;
  }

  private solveComponent(component: ts.FunctionLikeDeclaration[]): void {
    const members = new Set<ts.Node>(component);
    const current = new Map<ts.Node, FunctionSummary>();
    for (const f of component) current.set(f, cloneSummary(this.localFacts(f).summary));
    // Callees outside the component are final already.
    for (const f of component) {
      for (const edge of this.localFacts(f).edges) {
        if (!members.has(edge.callee)) mergeCall(current.get(f)!, this.final.get(edge.callee)!, edge, f);
      }
    }
    let changed = component.length > 1 || this.localFacts(component[0]).edges.some((e) => e.callee === component[0]);
    let rounds = 0;
    // Merging is monotone and idempotent: folding in a callee that has not changed since the last fold adds
    // nothing. Each summary's version counts its changes, so a round folds only callees that changed — in a
    // compiler's checker, one component holds thousands of functions and most rounds change few of them.
    const version = new Map<ts.Node, number>(component.map((f) => [f, 0]));
    const foldedAt = new Map<CallEdge, number>();
    while (changed && rounds++ < MAX_ROUNDS) {
      changed = false;
      for (const f of component) {
        for (const edge of this.localFacts(f).edges) {
          if (!members.has(edge.callee)) continue;
          const calleeVersion = version.get(edge.callee)!;
          if (foldedAt.get(edge) === calleeVersion) continue;
          foldedAt.set(edge, calleeVersion);
          if (mergeCall(current.get(f)!, current.get(edge.callee)!, edge, f)) {
            version.set(f, version.get(f)! + 1);
            changed = true;
          }
        }
      }
    }
    if (changed) for (const f of component) current.get(f)!.unknown.add('a recursion too deep to follow');
    for (const [f, summary] of current) this.final.set(f, summary);
  }

  /** Components reachable from `root` that are not solved yet, callees before callers. */
  private componentsFrom(root: ts.FunctionLikeDeclaration): ts.FunctionLikeDeclaration[][] {
    const index = new Map<ts.Node, number>();
    const low = new Map<ts.Node, number>();
    const onStack = new Set<ts.Node>();
    const stack: ts.FunctionLikeDeclaration[] = [];
    const components: ts.FunctionLikeDeclaration[][] = [];
    let counter = 0;
    const work: { fn: ts.FunctionLikeDeclaration; next: number }[] = [];
    const open = (fn: ts.FunctionLikeDeclaration) => {
      index.set(fn, counter);
      low.set(fn, counter++);
      stack.push(fn);
      onStack.add(fn);
      work.push({ fn, next: 0 });
    };
    open(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = this.localFacts(frame.fn).edges;
      if (frame.next < edges.length) {
        const callee = edges[frame.next++].callee;
        if (this.final.has(callee)) continue;
        if (!index.has(callee)) open(callee);
        else if (onStack.has(callee)) low.set(frame.fn, Math.min(low.get(frame.fn)!, index.get(callee)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].fn;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.fn)!));
      }
      if (low.get(frame.fn) === index.get(frame.fn)) {
        const component: ts.FunctionLikeDeclaration[] = [];
        let member: ts.FunctionLikeDeclaration;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.fn);
        components.push(component);
      }
    }
    return components;
  }

  private localFacts(fn: ts.FunctionLikeDeclaration): LocalFacts {
    let facts = this.local.get(fn);
    if (!facts) {
      facts = collectLocalFacts(fn, this.resolver);
      this.local.set(fn, facts);
    }
    return facts;
  }
}

function cloneSummary(s: FunctionSummary): FunctionSummary {
  return {
    io: new Set(s.io), hiddenState: new Set(s.hiddenState), unknown: new Set(s.unknown),
    writesOuter: new Map(s.writesOuter), readsOuter: new Map(s.readsOuter),
    writesParameters: new Set(s.writesParameters), writesThis: s.writesThis,
  };
}

function declaredWithin(binding: Binding, fn: ts.Node): boolean {
  return binding.nameNode.pos >= fn.pos && binding.nameNode.end <= fn.end;
}

function addWrite(into: FunctionSummary, owner: Owner, fn: ts.FunctionLikeDeclaration): boolean {
  switch (owner.kind) {
    case 'fresh':
      return false;
    case 'this':
      if (into.writesThis) return false;
      into.writesThis = true;
      return true;
    case 'unknown':
      return addTo(into.unknown, `a write into ${owner.text}`);
    case 'binding': {
      const b = owner.binding;
      if (b.kind === 'param' && declaredWithin(b, fn) && ts.isParameter(b.declaration) && b.declaration.parent === fn) {
        return addTo(into.writesParameters, fn.parameters.indexOf(b.declaration));
      }
      if (declaredWithin(b, fn)) return false; // a local object of its own
      if (into.writesOuter.has(b.id)) return false;
      into.writesOuter.set(b.id, b);
      return true;
    }
  }
}

/** Names of I/O or unknown calls beyond the first few add nothing a person reads. */
const MAX_NAMES = 4;

function addTo<T>(set: Set<T>, value: T): boolean {
  if (set.has(value) || (typeof value === 'string' && set.size >= MAX_NAMES)) return false;
  set.add(value);
  return true;
}

/** Folds a callee's summary into its caller's, mapping parameters to the caller's arguments. Returns whether anything changed. */
function mergeCall(into: FunctionSummary, callee: FunctionSummary, edge: CallEdge, caller: ts.FunctionLikeDeclaration): boolean {
  let changed = false;
  for (const x of callee.io) changed = addTo(into.io, x) || changed;
  for (const x of callee.hiddenState) changed = addTo(into.hiddenState, x) || changed;
  for (const x of callee.unknown) changed = addTo(into.unknown, x) || changed;
  for (const b of callee.writesOuter.values()) changed = addWrite(into, { kind: 'binding', binding: b, text: b.name }, caller) || changed;
  for (const b of callee.readsOuter.values()) {
    if (!declaredWithin(b, caller) && !into.readsOuter.has(b.id)) {
      into.readsOuter.set(b.id, b);
      changed = true;
    }
  }
  for (const index of callee.writesParameters) {
    const owner = edge.arguments[index] ?? { kind: 'unknown', text: `argument ${index + 1}` };
    changed = addWrite(into, owner, caller) || changed;
  }
  if (callee.writesThis) changed = addWrite(into, edge.receiver ?? { kind: 'unknown', text: 'this' }, caller) || changed;
  return changed;
}

function collectLocalFacts(fn: ts.FunctionLikeDeclaration, resolver: ScopeResolver): LocalFacts {
  const summary = emptySummary();
  const edges: CallEdge[] = [];
  if (!fn.body) {
    summary.unknown.add('a function without a body');
    return { summary, edges };
  }
  const reassigned = reassignedBindings(fn.body, resolver);
  const isReassigned = (b: Binding) => reassigned.has(b.id);
  const owner = (e: ts.Expression) => ownerOf(e, resolver, isReassigned);
  const stack: ts.Node[] = [fn.body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) continue;
    if (ts.isIdentifier(node)) {
      if (isReference(node)) {
        const b = resolver.resolve(node);
        if (b && !declaredWithin(b, fn) && b.kind !== 'function' && b.kind !== 'class' && b.kind !== 'import' && b.kind !== 'enum') {
          summary.readsOuter.set(b.id, b);
        }
      }
      continue;
    }
    if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
      for (const target of assignedExpressions(node.left)) addWrite(summary, owner(target), fn);
    } else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node))
      && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
      addWrite(summary, owner(node.operand), fn);
    } else if (ts.isDeleteExpression(node)) {
      addWrite(summary, owner(node.expression), fn);
    } else if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      recordCall(node, resolver, summary, edges, owner, fn);
    }
    node.forEachChild((child) => { stack.push(child); });
  }
  return { summary, edges };
}

function recordCall(
  call: ts.CallExpression | ts.NewExpression, resolver: ScopeResolver, summary: FunctionSummary, edges: CallEdge[],
  owner: (e: ts.Expression) => Owner, fn: ts.FunctionLikeDeclaration,
): void {
  const target = resolveCall(call, resolver);
  const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  switch (target.kind) {
    case 'function':
      edges.push({ callee: target.declaration, arguments: args.map(owner), receiver: target.receiver ? owner(target.receiver) : undefined });
      break;
    case 'unknown':
      summary.unknown.add(target.name);
      break;
    case 'builtin': {
      const effect = target.effect;
      if (effect.kind === 'io') summary.io.add(target.name);
      else if (effect.kind === 'hidden-state') summary.hiddenState.add(target.name);
      else if (effect.kind === 'mutates-receiver' && target.receiver) addWrite(summary, owner(target.receiver), fn);
      else if (effect.kind === 'mutates-argument' && args[effect.index]) addWrite(summary, owner(args[effect.index]), fn);
      break;
    }
  }
  // A function passed by name to a built-in (`xs.map(parse)`) runs as part of this call.
  for (const arg of args) {
    if (!ts.isIdentifier(arg)) continue;
    const b = resolver.resolve(arg);
    if (b?.kind === 'function' && isFunctionLike(b.declaration) && b.declaration.body) {
      edges.push({ callee: b.declaration, arguments: [], receiver: target.receiver ? owner(target.receiver) : undefined });
    }
  }
}

/** Bindings assigned anywhere in `root` after their declaration (so they are not simple aliases). */
export function reassignedBindings(root: ts.Node, resolver: ScopeResolver): Set<number> {
  const out = new Set<number>();
  const stack: ts.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    let targets: ts.Expression[] = [];
    if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) targets = assignedExpressions(node.left);
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node))
      && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) targets = [node.operand];
    else if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) targets = assignedExpressions(node.initializer);
    for (const t of targets) {
      if (ts.isIdentifier(t)) {
        const b = resolver.resolve(t);
        if (b) out.add(b.id);
      }
    }
    node.forEachChild((child) => { stack.push(child); });
  }
  return out;
}

/** Whether an identifier is a use of a variable (not a property name, label or declaration name). */
export function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p)
    || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isEnumMember(p)) && p.name === id) return false;
  if ((ts.isLabeledStatement(p) || ts.isBreakStatement(p) || ts.isContinueStatement(p)) && p.label === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p)
    || ts.isFunctionExpression(p) || ts.isClassDeclaration(p) || ts.isClassExpression(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p)) return false;
  if (ts.isQualifiedName(p) || ts.isTypeReferenceNode(p)) return false;
  return true;
}
