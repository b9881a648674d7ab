// reduce / reduceRight carry the accumulator from one call to the next: a reduction only when the callback
// returns `acc op value` (or Math.max/min) and uses the accumulator nowhere else.
import { ts, skipOuterExpressions, lineOf } from '../../syntax/parse';
import type { ReductionOperator } from '../../findings';
import type { LoopCheck } from './types';

const operators: Partial<Record<ts.SyntaxKind, ReductionOperator>> = {
  [ts.SyntaxKind.PlusToken]: '+', [ts.SyntaxKind.AsteriskToken]: '*', [ts.SyntaxKind.AmpersandToken]: '&',
  [ts.SyntaxKind.BarToken]: '|', [ts.SyntaxKind.CaretToken]: '^', [ts.SyntaxKind.AmpersandAmpersandToken]: '&&', [ts.SyntaxKind.BarBarToken]: '||',
};

export const reduceAccumulator: LoopCheck = {
  name: 'reduce-accumulator',
  run(ctx) {
    const site = ctx.site;
    if ((site.construct !== 'reduce' && site.construct !== 'reduceRight') || !site.callback) return {};
    const parameter = site.callback.parameters[0];
    if (!parameter || !ts.isIdentifier(parameter.name)) return {};
    const accumulator = ctx.resolver.declarationOf(parameter.name);
    if (!accumulator) return {};
    const name = accumulator.name;
    const body = site.callback.body!;
    const returned = ts.isBlock(body) ? returnedExpressions(body) : [body as ts.Expression];
    const uses: ts.Identifier[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && n !== parameter.name && ctx.resolver.resolve(n)?.id === accumulator.id) uses.push(n);
      n.forEachChild(visit);
    };
    visit(body);
    const allowed = new Set<ts.Identifier>();
    let op: ReductionOperator | undefined;
    let consistent = returned.length > 0;
    for (const r of returned) {
      const found = reductionForm(skipOuterExpressions(r), accumulator.id, ctx.resolver);
      if (!found || (op && op !== found.op)) {
        consistent = false;
        break;
      }
      op = found.op;
      allowed.add(found.self);
    }
    if (consistent && op && uses.every((u) => allowed.has(u))) return { reductions: [{ variable: name, operator: op }] };
    const line = lineOf(ctx.sourceFile, uses[0] ?? parameter);
    return {
      dependencies: [{
        variable: name, kind: 'flow', line, certain: true,
        note: `the accumulator ${name} is used at line ${line} in a way that is not a single associative operation, so each call needs the result of the one before`,
      }],
    };
  },
};

function returnedExpressions(block: ts.Block): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    n.forEachChild(visit);
  };
  visit(block);
  return out;
}

function reductionForm(e: ts.Expression, accumulatorId: number, resolver: { resolve(id: ts.Identifier): { id: number } | undefined }): { op: ReductionOperator; self: ts.Identifier } | undefined {
  const isAcc = (x: ts.Expression): x is ts.Identifier => { const s = skipOuterExpressions(x); return ts.isIdentifier(s) && resolver.resolve(s)?.id === accumulatorId; };
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    if (k === ts.SyntaxKind.MinusToken && isAcc(e.left)) return { op: '+', self: skipOuterExpressions(e.left) as ts.Identifier };
    const op = operators[k];
    if (!op) return undefined;
    if (isAcc(e.left)) return { op, self: skipOuterExpressions(e.left) as ts.Identifier };
    if (isAcc(e.right)) return { op, self: skipOuterExpressions(e.right) as ts.Identifier };
    return undefined;
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ts.isIdentifier(e.expression.expression)
    && e.expression.expression.text === 'Math' && (e.expression.name.text === 'max' || e.expression.name.text === 'min')) {
    const selves = e.arguments.filter(isAcc);
    if (selves.length !== 1) return undefined;
    return { op: e.expression.name.text as 'max' | 'min', self: skipOuterExpressions(selves[0]) as ts.Identifier };
  }
  return undefined;
}
