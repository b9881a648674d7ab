// Property: for random async functions whose awaits feed each other through variables, object properties,
// closures and conditions, the Promise.all rewrite Parlens proposes never changes what the function returns or
// which calls it makes. An await grouped with one it depends on would read a variable before it is set (a TDZ
// error) or compute from a stale value, and fail this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeSource, applyEdits, chooseFixes } from '../../server/core/index';

type Statement =
  | { kind: 'await'; uses: number[]; op: 'double' | 'inc' }
  | { kind: 'effect'; uses: number[] }
  | { kind: 'conditional'; test: number; uses: number[] }
  | { kind: 'property'; from: number }
  | { kind: 'closure'; from: number };

const statement = (earlier: number): fc.Arbitrary<Statement> => {
  const uses = earlier === 0 ? fc.constant<number[]>([]) : fc.uniqueArray(fc.nat(earlier - 1), { maxLength: 2 });
  const one = earlier === 0 ? undefined : fc.nat(earlier - 1);
  const options: fc.Arbitrary<Statement>[] = [
    fc.record({ kind: fc.constant('await' as const), uses, op: fc.constantFrom('double' as const, 'inc' as const) }),
    fc.record({ kind: fc.constant('effect' as const), uses }),
  ];
  if (one) {
    options.push(fc.record({ kind: fc.constant('conditional' as const), test: one, uses }));
    options.push(fc.record({ kind: fc.constant('property' as const), from: one }));
    options.push(fc.record({ kind: fc.constant('closure' as const), from: one }));
  }
  return fc.oneof(...options);
};

/** A program of 2–8 statements; each defines v<index> so later statements can use it. */
const program = fc.integer({ min: 2, max: 8 }).chain((n) => {
  let arb: fc.Arbitrary<Statement[]> = fc.constant([]);
  for (let i = 0; i < n; i++) arb = arb.chain((list) => statement(list.length).map((s) => [...list, s]));
  return arb;
});

function render(statements: Statement[]): string {
  const lines: string[] = ['async function main(svc, seed) {', '  const state = { x: seed };'];
  const expr = (uses: number[]) => uses.length === 0 ? 'seed' : uses.map((u) => `v${u}`).join(' + ');
  statements.forEach((s, i) => {
    switch (s.kind) {
      case 'await': lines.push(`  const v${i} = await svc.${s.op}(${expr(s.uses)});`); break;
      case 'effect': lines.push(`  await svc.log(${expr(s.uses)});`, `  const v${i} = ${i};`); break;
      case 'conditional': lines.push(`  let v${i} = 0;`, `  if (v${s.test} % 2 === 0) v${i} = await svc.inc(${expr(s.uses)});`); break;
      case 'property': lines.push(`  state.x = v${s.from};`, `  const v${i} = await svc.double(state.x);`); break;
      case 'closure': lines.push(`  const f${i} = () => v${s.from} + 1;`, `  const v${i} = await svc.inc(f${i}());`); break;
    }
  });
  lines.push(`  return [${statements.map((_, i) => `v${i}`).join(', ')}, state.x];`, '}');
  return lines.join('\n');
}

function fakeServices() {
  const calls: string[] = [];
  const call = (name: string, value: (x: number) => number) => async (x: number) => {
    calls.push(`${name}(${x})`);
    // Completion order differs from start order, as real latencies do.
    await new Promise((r) => setTimeout(r, (x * 7) % 3));
    return value(x);
  };
  return { calls, svc: { double: call('double', (x) => 2 * x), inc: call('inc', (x) => x + 1), log: call('log', () => 0) } };
}

async function execute(text: string, seed: number) {
  const main = (0, eval)(`(${text})`) as (svc: unknown, seed: number) => Promise<unknown>;
  const { calls, svc } = fakeServices();
  const result = await main(svc, seed);
  return { result, calls: calls.sort() };
}

test('the Promise.all rewrite never changes results or calls of random await chains', async () => {
  let rewritten = 0;
  await fc.assert(
    fc.asyncProperty(program, fc.integer({ min: 0, max: 9 }), async (statements, seed) => {
      const before = render(statements);
      const report = analyzeSource('generated.js', before);
      assert.deepEqual(report.errors, []);
      const fixes = chooseFixes(report.findings);
      const after = applyEdits(before, fixes.flatMap((f) => f.edits));
      if (fixes.length > 0) rewritten++;
      const a = await execute(before, seed);
      const b = await execute(after, seed);
      assert.deepEqual(b.result, a.result, `results differ after the rewrite:\n${before}\n---\n${after}`);
      assert.deepEqual(b.calls, a.calls, `calls differ after the rewrite:\n${before}\n---\n${after}`);
    }),
    { numRuns: 300, seed: 20261121 },
  );
  assert.ok(rewritten > 50, `the generator should exercise the rewrite often (it did ${rewritten} times)`);
});
