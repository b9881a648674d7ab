// The loop must not change its own iteration space: its counter, its bound, or the collection it walks.
import { ts, skipOuterExpressions } from '../../syntax/parse';
import type { LoopCheck, ScoredDependence } from './types';

export const iterationSpace: LoopCheck = {
  name: 'iteration-space',
  run(ctx, facts) {
    const dependencies: ScoredDependence[] = [];
    const counter = ctx.counter;
    if (counter) {
      const node = ctx.site.node;
      const assignedInHeader = ts.isForStatement(node) && node.initializer !== undefined && ts.isBinaryExpression(node.initializer);
      const own = (counter.advance || ts.isForStatement(node) ? 1 : 0) + (assignedInHeader ? 1 : 0);
      const writes = (ctx.writes.counts.get(counter.binding.id) ?? 0) - own;
      if (writes > 0) {
        const line = facts.scalars.find((s) => s.binding.id === counter.binding.id)?.line ?? lineOfSite(ctx);
        dependencies.push({ variable: counter.binding.name, kind: 'control', line, certain: true, note: `the body changes the loop counter ${counter.binding.name}, so the next iteration depends on this one` });
      }
      const bound = counter.bound ? skipOuterExpressions(counter.bound) : undefined;
      for (const id of bound ? identifiersIn(bound) : []) {
        const b = ctx.resolver.resolve(id);
        if (b && (ctx.isWrittenInLoop(b) || (ts.isPropertyAccessExpression(bound!) && bound.name.text === 'length' && ctx.writes.resized.has(b.id)))) {
          dependencies.push({ variable: b.name, kind: 'control', line: lineOfSite(ctx), certain: true, note: `the body changes ${b.name}, which the loop condition tests, so the number of iterations depends on them` });
        }
      }
    }
    const iterated = ctx.site.iterated ? skipOuterExpressions(ctx.site.iterated) : undefined;
    if (iterated && ts.isIdentifier(iterated)) {
      const b = ctx.resolver.resolve(iterated);
      const resizing = b ? facts.locations.find((l) => l.binding?.id === b.id && l.access === 'write' && (l.grows || l.steps.some((s) => s.kind === 'prop' && s.name === 'length'))) : undefined;
      if (b && resizing) {
        dependencies.push({ variable: b.name, kind: 'control', line: resizing.line, certain: true, note: `the loop ${resizing.viaCall ? `calls ${resizing.viaCall}() on` : 'resizes'} ${b.name}, the collection it iterates, so later iterations depend on earlier ones` });
      }
    }
    return { dependencies };
  },
};

function identifiersIn(e: ts.Expression): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      if (!(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) out.push(n);
      return;
    }
    n.forEachChild(visit);
  };
  visit(e);
  return out;
}

function lineOfSite(ctx: { sourceFile: ts.SourceFile; site: { anchor: ts.Node } }): number {
  return ctx.sourceFile.getLineAndCharacterOfPosition(ctx.site.anchor.getStart(ctx.sourceFile)).line + 1;
}
