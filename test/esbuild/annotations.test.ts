// The pure annotation parser shared by the esbuild plugin and the language server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSource } from '../../server/core/syntax/parse';
import { findParallelAnnotations, findTaskAnnotations } from '../../server/core/index';

const source = `const s = "// @parallel in a string is no annotation";
// @parallel reduction(+: sum, n) private(t) chunk(8) workers(2)
for (let i = 0; i < 3; i++) {}
function f() {
  // @parallel force
  outer: while (x) {}
  // @parallel reduce(+: s) chunk(0) workers private(a,,b) reduction(-: q)
  let y = 1;
  /* @parallel
   * chunk(3) */
  for (const a of b) {}
  // @parallelism and @parallel: in prose are not annotations
}
// @task
export async function g(a) { return a; }
/** @task now */
function* h() {}
// @task
const k = () => 1;
`;
const file = parseSource('sample.ts', source);

test('@parallel: clauses, the loop line, and comments that are not annotations', () => {
  const found = findParallelAnnotations(file);
  assert.deepEqual(found.map((a) => [a.line, a.loopLine]), [[2, 3], [5, 6], [7, undefined], [9, 11]]);
  const [first, forced, bad, block] = found;
  assert.deepEqual(first.reductions, [{ operator: '+', variable: 'sum' }, { operator: '+', variable: 'n' }]);
  assert.deepEqual([first.privates, first.chunk, first.workers, first.force, first.problems], [['t'], 8, 2, false, []]);
  assert.equal(forced.force, true);
  assert.equal(block.chunk, 3);
  assert.deepEqual(bad.problems, [
    "unknown clause 'reduce(…)' in @parallel; expected force, reduction(op: variable), private(variable), chunk(n) or workers(n)",
    'chunk(0) needs a positive whole number, e.g. chunk(1024)',
    'workers needs parentheses: workers(4)',
    "'' in private(…) is not a variable name",
    "reduction operator '-' is not supported; use one of + * && || | & ^ max min (a sum that subtracts is reduction(+: …))",
  ]);
});

test('@task: the function it annotates and its problems', () => {
  const found = findTaskAnnotations(file);
  assert.deepEqual(found.map((a) => [a.line, a.functionLine, a.functionName]), [[14, 15, 'g'], [16, 17, 'h'], [18, undefined, undefined]]);
  assert.deepEqual(found[0].problems, []);
  assert.deepEqual(found[1].problems, ["@task takes no clauses; remove 'now'", 'a generator function cannot be a task: a task returns one value']);
});

test('a file without annotations yields none', () => {
  assert.deepEqual(findParallelAnnotations(parseSource('x.ts', 'for (let i = 0; i < 3; i++) {}')), []);
});

test('@parallel above an array-method statement records the call only where the plugin compiles one', () => {
  const calls = parseSource('calls.ts', [
    '// @parallel', 'const ys = xs.map((x) => x * 2);', //                        line 2: compiled
    '// @parallel', 'ys = (xs.forEach((x) => f(x)));', //                           line 4: assignment, parenthesised
    '// @parallel', 'return xs.reduce((a, x) => a + x, 0);', //                      line 6: return
    '// @parallel', 'return ys = xs.map((x) => x);', //                              line 8: refused by the plugin (not a whole statement)
    '// @parallel', 'const zs = xs?.map((x) => x);', //                              line 10: refused (optional call)
    '// @parallel', 'const n = xs.filter((x) => x).length;', //                     line 12: not a compiled method
    '// @parallel', 'log(xs.map((x) => x));', //                                     line 14: inside a larger expression
  ].join('\n'));
  const recorded = findParallelAnnotations(calls).map((a) => (a.call ? `${a.call.line} ${a.call.method}` : `${a.line} none`));
  assert.deepEqual(recorded, ['2 map', '4 forEach', '6 reduce', '7 none', '9 none', '11 none', '13 none']);
});
