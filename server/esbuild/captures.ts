// What a region of code (a loop body, a task function) uses from around it and what it writes there.
// Compiled regions run in a worker, so every outside name they use must be sent, and every outside
// variable they write must come back some other way (reduction, write-back) or the write is lost.
import { ts, isFunctionLike, skipOuterExpressions } from '../core/syntax/parse';
import type { Binding, ScopeResolver } from '../core/scope/resolver';
import { assignedExpressions, isAssignmentOperator } from '../core/effects/writeTargets';

export interface Capture {
  name: string;
  binding: Binding;
  /** First use, for messages. */
  first: ts.Identifier;
}

export type WriteShape =
  /** `x = …`, `x += …`, `x++` */
  | { kind: 'variable'; name: string; node: ts.Node }
  /** `a[sub] = …` and friends, with `a` from outside; `atCounter` when sub is exactly the loop counter. */
  | { kind: 'element'; name: string; node: ts.Node; atCounter: boolean }
  /** Anything else with an outside root: `o.x = …`, `a[i].y = …`, `[x, y] = …`. */
  | { kind: 'other'; name: string; node: ts.Node };

export interface RegionUses {
  captures: Map<string, Capture>;
  writes: WriteShape[];
  /** Constructs that cannot move into a worker function: `this`, `arguments`, `super`, `return`, `await`, `yield`, jumps out. */
  unmovable: { what: string; node: ts.Node }[];
}

export interface RegionOptions {
  /** The loop's index: writes `a[counter]` are marked `atCounter`. */
  counter?: string;
  /** Parts of the region left out of the walk: a for-of loop's array (evaluated on the main thread), a while loop's condition and increment. */
  skip?: readonly ts.Node[];
  /**
   * The region is an array method's callback compiled as a loop body: its parameters belong to the iteration, its
   * own `return`s end an iteration (the shape rewrites them), and its `this`/`arguments` would be the worker's.
   */
  callback?: boolean;
}

/**
 * Walks `region` (iteratively) and reports outside names, writes to them, and unmovable constructs.
 * A binding belongs to the region when it is declared inside it. A function region that is not a callback is a
 * task: its own `this` and `return` are fine.
 */
export function regionUses(region: ts.Node, resolver: ScopeResolver, options: RegionOptions = {}): RegionUses {
  const { counter, skip = [], callback = false } = options;
  const uses: RegionUses = { captures: new Map(), writes: [], unmovable: [] };
  const isInside = (binding: Binding): boolean => binding.declaration.pos >= region.pos && binding.declaration.end <= region.end;
  const outsideRoot = (expression: ts.Expression): ts.Identifier | undefined => {
    let at = skipOuterExpressions(expression);
    while (ts.isPropertyAccessExpression(at) || ts.isElementAccessExpression(at)) at = skipOuterExpressions(at.expression);
    if (!ts.isIdentifier(at)) return undefined;
    const binding = resolver.resolve(at);
    return binding && !isInside(binding) ? at : undefined;
  };
  const recordWrite = (target: ts.Expression, node: ts.Node): void => {
    const bare = skipOuterExpressions(target);
    if (ts.isIdentifier(bare)) {
      const binding = resolver.resolve(bare);
      if (binding && !isInside(binding)) uses.writes.push({ kind: 'variable', name: bare.text, node });
      return;
    }
    if (ts.isArrayLiteralExpression(bare) || ts.isObjectLiteralExpression(bare)) {
      // Destructuring assignment: each target inside is a write of its own.
      bare.forEachChild((child) => {
        const element = ts.isSpreadElement(child) || ts.isSpreadAssignment(child) ? child.expression
          : ts.isShorthandPropertyAssignment(child) ? child.name
          : ts.isPropertyAssignment(child) ? child.initializer : child;
        if (ts.isExpression(element)) recordWrite(ts.isBinaryExpression(element) && element.operatorToken.kind === ts.SyntaxKind.EqualsToken ? element.left : element, node);
      });
      return;
    }
    const root = outsideRoot(bare);
    if (!root) return;
    if (ts.isElementAccessExpression(bare) && skipOuterExpressions(bare.expression) === root) {
      const index = skipOuterExpressions(bare.argumentExpression);
      uses.writes.push({ kind: 'element', name: root.text, node, atCounter: counter !== undefined && ts.isIdentifier(index) && index.text === counter });
    } else {
      uses.writes.push({ kind: 'other', name: root.text, node });
    }
  };

  const stack: { node: ts.Node; inFunction: boolean; inArrowOnly: boolean }[] = [];
  region.forEachChild((child) => { if (!skip.includes(child)) stack.push({ node: child, inFunction: false, inArrowOnly: false }); });
  if (isFunctionLike(region) && !callback) {
    // A task function: its own `this`/`return` are fine; walk its parts as inside a function.
    stack.length = 0;
    region.forEachChild((child) => { stack.push({ node: child, inFunction: true, inArrowOnly: false }); });
  }
  while (stack.length > 0) {
    const { node, inFunction, inArrowOnly } = stack.pop()!;
    if (skip.includes(node)) continue;
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) continue;
    if (ts.isIdentifier(node)) {
      if (isReference(node)) {
        const binding = resolver.resolve(node);
        if (binding && !isInside(binding) && !uses.captures.has(node.text)) uses.captures.set(node.text, { name: node.text, binding, first: node });
        if (node.text === 'arguments' && !binding && (!inFunction || inArrowOnly)) uses.unmovable.push({ what: "'arguments'", node });
      }
      continue;
    }
    const ownFunction = !inFunction || inArrowOnly;
    switch (node.kind) {
      case ts.SyntaxKind.ThisKeyword: if (ownFunction) uses.unmovable.push({ what: "'this'", node }); break;
      case ts.SyntaxKind.SuperKeyword: if (ownFunction) uses.unmovable.push({ what: "'super'", node }); break;
      case ts.SyntaxKind.ReturnStatement: if (!inFunction && !callback) uses.unmovable.push({ what: "'return' (it would leave the enclosing function)", node }); break;
      case ts.SyntaxKind.AwaitExpression: if (!inFunction) uses.unmovable.push({ what: "'await'", node }); break;
      case ts.SyntaxKind.YieldExpression: if (!inFunction) uses.unmovable.push({ what: "'yield'", node }); break;
      case ts.SyntaxKind.BinaryExpression: {
        const binary = node as ts.BinaryExpression;
        const op = binary.operatorToken.kind;
        if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment) recordWrite(binary.left, node);
        break;
      }
      case ts.SyntaxKind.PrefixUnaryExpression: case ts.SyntaxKind.PostfixUnaryExpression: {
        const unary = node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        if (unary.operator === ts.SyntaxKind.PlusPlusToken || unary.operator === ts.SyntaxKind.MinusMinusToken) recordWrite(unary.operand, node);
        break;
      }
      case ts.SyntaxKind.DeleteExpression: recordWrite((node as ts.DeleteExpression).expression, node); break;
      case ts.SyntaxKind.ForInStatement: case ts.SyntaxKind.ForOfStatement: {
        const initializer = (node as ts.ForInOrOfStatement).initializer;
        if (!ts.isVariableDeclarationList(initializer)) recordWrite(initializer, node);
        break;
      }
    }
    const nestedFunction = isFunctionLike(node);
    const childInFunction = inFunction || nestedFunction;
    const childArrowOnly = nestedFunction ? ts.isArrowFunction(node) && ownFunction : inArrowOnly;
    node.forEachChild((child) => { stack.push({ node: child, inFunction: childInFunction, inArrowOnly: childArrowOnly }); });
  }
  return uses;
}

/** An identifier that reads or writes a variable (not a property name, label or declaration name). */
function isReference(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)
    || ts.isGetAccessorDeclaration(parent) || ts.isSetAccessorDeclaration(parent) || ts.isPropertySignature(parent)
    || ts.isEnumMember(parent)) && parent.name === identifier) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === identifier) return false;
  if ((ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) && parent.label === identifier) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)
    || ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isClassDeclaration(parent)
    || ts.isClassExpression(parent)) && parent.name === identifier) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return false;
  if (ts.isQualifiedName(parent) || ts.isMetaProperty(parent)) return false;
  return true;
}

/** Breaks and continues in `body` that leave it (to the annotated loop or a label outside), which a worker function cannot do. */
export function jumpsOut(body: ts.Node): ts.BreakOrContinueStatement[] {
  const found: ts.BreakOrContinueStatement[] = [];
  // The body may be a single statement rather than a block, so the walk starts at the body itself.
  const stack: { node: ts.Node; loopDepth: number; switchDepth: number; labels: Set<string> }[] = [
    { node: body, loopDepth: 0, switchDepth: 0, labels: new Set() },
  ];
  while (stack.length > 0) {
    const { node, loopDepth, switchDepth, labels } = stack.pop()!;
    if (isFunctionLike(node) || ts.isClassLike(node)) continue;
    if (ts.isBreakOrContinueStatement(node)) {
      const label = node.label?.text;
      if (label ? !labels.has(label) : (ts.isContinueStatement(node) ? false : loopDepth + switchDepth === 0)) found.push(node);
      continue;
    }
    const inLoop = ts.isIterationStatement(node, false) ? 1 : 0;
    const inSwitch = ts.isSwitchStatement(node) ? 1 : 0;
    const nextLabels = ts.isLabeledStatement(node) ? new Set([...labels, node.label.text]) : labels;
    node.forEachChild((child) => { stack.push({ node: child, loopDepth: loopDepth + inLoop, switchDepth: switchDepth + inSwitch, labels: nextLabels }); });
  }
  return found;
}

/**
 * Writes in `body` into a value bound by `head` (a for-of loop's element): `x.n = …`, `x[k]++`, `delete x.p`.
 * The element is a worker's copy of `xs[i]`, so such writes would be lost; assigning the name itself is fine.
 */
export function writesIntoBindings(body: ts.Node, head: ts.Node, resolver: ScopeResolver): { name: string; node: ts.Node }[] {
  const found: { name: string; node: ts.Node }[] = [];
  const check = (target: ts.Expression, node: ts.Node): void => {
    let at = skipOuterExpressions(target);
    if (ts.isIdentifier(at)) return;
    if (ts.isArrayLiteralExpression(at) || ts.isObjectLiteralExpression(at)) {
      at.forEachChild((child) => {
        const element = ts.isSpreadElement(child) || ts.isSpreadAssignment(child) ? child.expression
          : ts.isPropertyAssignment(child) ? child.initializer : undefined;
        if (element) check(ts.isBinaryExpression(element) && element.operatorToken.kind === ts.SyntaxKind.EqualsToken ? element.left : element, node);
        else if (ts.isExpression(child)) check(ts.isBinaryExpression(child) && child.operatorToken.kind === ts.SyntaxKind.EqualsToken ? child.left : child, node);
      });
      return;
    }
    while (ts.isPropertyAccessExpression(at) || ts.isElementAccessExpression(at)) at = skipOuterExpressions(at.expression);
    if (!ts.isIdentifier(at)) return;
    const binding = resolver.resolve(at);
    if (binding && binding.nameNode.pos >= head.pos && binding.nameNode.end <= head.end) found.push({ name: at.text, node });
  };
  const stack: ts.Node[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment) check(node.left, node);
    } else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node))
      && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
      check(node.operand, node);
    } else if (ts.isDeleteExpression(node)) {
      check(node.expression, node);
    }
    node.forEachChild((child) => { stack.push(child); });
  }
  return found;
}

/**
 * Assignments in `body` to the variable that `declaration` declares (`i = …`, `i++`, `[i] = …`, a for-of head),
 * nested functions included: the compiled loop binds that variable per iteration, so such a write would not do
 * what it did in the sequential loop.
 */
export function assignmentsTo(body: ts.Node, declaration: ts.Identifier, resolver: ScopeResolver): ts.Node[] {
  const found: ts.Node[] = [];
  const isTarget = (target: ts.Expression): boolean => assignedExpressions(target).some((t) => {
    const bare = skipOuterExpressions(t);
    return ts.isIdentifier(bare) && resolver.resolve(bare)?.nameNode === declaration;
  });
  const stack: ts.Node[] = [body];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind) && isTarget(node.left)) found.push(node);
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node))
      && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) && isTarget(node.operand)) found.push(node);
    else if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && !ts.isVariableDeclarationList(node.initializer) && isTarget(node.initializer)) found.push(node);
    node.forEachChild((child) => { stack.push(child); });
  }
  return found.sort((a, b) => a.pos - b.pos);
}
