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
