// Finds the async bodies of a file (async functions, arrows, methods, and a module top level that awaits)
// and the awaits and `for await` loops that belong to each: those not inside a nested function.
import { ts, isFunctionLike } from '../syntax/parse';

export interface AsyncBody {
  /** The async function, or the source file for top-level awaits. */
  node: ts.FunctionLikeDeclaration | ts.SourceFile;
  /** The statements or expression that run when the body runs. */
  body: ts.Node;
  /** Awaits of this body, in evaluation order (by where they end). */
  awaits: ts.AwaitExpression[];
  /** `for await` loops of this body. */
  forAwaitLoops: ts.ForOfStatement[];
}

export function isAsyncFunction(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return isFunctionLike(node) && (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
}

/** Every async body in the file, outermost first; `within` restricts them to bodies starting inside those nodes. */
export function findAsyncBodies(sourceFile: ts.SourceFile, within?: readonly ts.Node[]): AsyncBody[] {
  const bodies: AsyncBody[] = [];
  const inRange = (n: ts.Node) => !within || within.some((w) => n.pos >= w.pos && n.end <= w.end);
  const topLevel = collectOwn(sourceFile);
  if ((topLevel.awaits.length > 0 || topLevel.forAwaitLoops.length > 0) && (!within || topLevel.awaits.some(inRange))) {
    bodies.push({ node: sourceFile, body: sourceFile, ...topLevel });
  }
  const stack: ts.Node[] = [sourceFile];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isAsyncFunction(node) && node.body && inRange(node)) {
      bodies.push({ node, body: node.body, ...collectOwn(node.body) });
    }
    const children: ts.Node[] = [];
    node.forEachChild((c) => { children.push(c); });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return bodies;
}

/** Awaits and `for await` loops under `root`, not descending into nested functions. */
function collectOwn(root: ts.Node): { awaits: ts.AwaitExpression[]; forAwaitLoops: ts.ForOfStatement[] } {
  const awaits: ts.AwaitExpression[] = [];
  const forAwaitLoops: ts.ForOfStatement[] = [];
  const stack: ts.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node !== root && isFunctionLike(node)) continue;
    if (ts.isAwaitExpression(node)) awaits.push(node);
    if (ts.isForOfStatement(node) && node.awaitModifier) forAwaitLoops.push(node);
    const children: ts.Node[] = [];
    node.forEachChild((c) => { children.push(c); });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  // Evaluation order: an await inside another's operand finishes first.
  awaits.sort((a, b) => a.end - b.end);
  return { awaits, forAwaitLoops };
}

/** The innermost function-like or source file that owns `node` (the body an await belongs to). */
export function owningBody(node: ts.Node): ts.Node {
  for (let at = node.parent; at; at = at.parent) {
    if (isFunctionLike(at) || ts.isSourceFile(at)) return at;
  }
  return node.getSourceFile();
}

/** Whether `node` lies in `body` without crossing a nested function. */
export function isOwnNode(node: ts.Node, body: ts.Node): boolean {
  for (let at: ts.Node | undefined = node; at; at = at.parent) {
    if (at === body) return true;
    if (at !== node && isFunctionLike(at)) return at === body;
  }
  return false;
}

export function isLoopStatement(node: ts.Node): node is ts.IterationStatement {
  return ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}
