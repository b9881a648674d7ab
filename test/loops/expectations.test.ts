// Unit tests of the corpus runner's own logic (parsing and matching), so a corpus failure always means the analyzer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LoopFinding } from '../../server/core/index';
import { mismatches, nameMatches, parseExpectationText, parseExpectations, syntacticLoops } from './expectations';

function finding(over: Partial<LoopFinding>): LoopFinding {
  return {
    kind: 'loop', construct: 'for', file: 'x.ts', line: 2, column: 3, message: '', verdict: 'parallel',
    dependencies: [], reductions: [], privates: [], assumptions: [], ...over,
  };
}

function exp(text: string) {
  const { expectations, problems } = parseExpectations('x.ts', `// expect: ${text}\nfor (;;) {}\n`);
  assert.deepEqual(problems, []);
  assert.equal(expectations.length, 1);
  return expectations[0]!;
}

test('parses every part of an expectation', () => {
  assert.deepEqual(parseExpectationText('sequential a (flow)'), { verdict: 'sequential', variable: 'a', kind: 'flow' });
  assert.deepEqual(parseExpectationText('unknown geo.project'), { verdict: 'unknown', variable: 'geo.project' });
  assert.deepEqual(parseExpectationText('parallel assume(a, b)'), { verdict: 'parallel', assume: ['a', 'b'] });
  assert.deepEqual(parseExpectationText('parallel assume()'), { verdict: 'parallel', assume: [] });
  assert.deepEqual(parseExpectationText('parallel private(t, u)'), { verdict: 'parallel', privates: ['t', 'u'] });
  assert.deepEqual(parseExpectationText('sequential (control)'), { verdict: 'sequential', kind: 'control' });
  assert.deepEqual(parseExpectationText('reduction stats.total'), { verdict: 'reduction', variable: 'stats.total' });
  for (const bad of ['paralel', 'sequential a (flw)', 'parallel a', 'reduction s (flow)', 'sequential a b']) {
    assert.equal(typeof parseExpectationText(bad), 'string', bad);
  }
});

test('the expectation applies to the first code line after it', () => {
  const { expectations } = parseExpectations('x.ts', 'a\n// expect: parallel\n// a note\n\n  for (;;) {}\n');
  assert.equal(expectations[0]!.line, 5);
  assert.equal(expectations[0]!.commentLine, 2);
});

test('name matching: equal, or followed by [ or .', () => {
  assert.ok(nameMatches('a', 'a'));
  assert.ok(nameMatches('a', 'a[i + 1]'));
  assert.ok(nameMatches('console', 'console.log'));
  assert.ok(nameMatches('state.x', 'state.x'));
  assert.ok(!nameMatches('a', 'ab'));
  assert.ok(!nameMatches('state.x', 'state.xy'));
  assert.ok(!nameMatches('Math.random', 'Math'));
});

test('matching findings', () => {
  const dep = { variable: 'a[i + 1]', kind: 'flow' as const, line: 3, distance: 1 };
  assert.deepEqual(mismatches(exp('sequential a (flow)'), finding({ verdict: 'sequential', dependencies: [dep] })), []);
  assert.equal(mismatches(exp('sequential a (anti)'), finding({ verdict: 'sequential', dependencies: [dep] })).length, 1);
  assert.equal(mismatches(exp('sequential b'), finding({ verdict: 'sequential', dependencies: [dep] })).length, 1);
  assert.equal(mismatches(exp('parallel'), finding({ verdict: 'sequential', dependencies: [dep] })).length, 1);
  assert.deepEqual(mismatches(exp('reduction s'), finding({ verdict: 'reduction', reductions: [{ variable: 's', operator: '+' }] })), []);
  assert.equal(mismatches(exp('reduction s'), finding({ verdict: 'reduction', reductions: [{ variable: 'q', operator: '+' }] })).length, 1);
  assert.deepEqual(mismatches(exp('parallel assume(a, b)'), finding({ assumptions: ['a and b are different arrays'] })), []);
  assert.equal(mismatches(exp('parallel assume(a, b)'), finding({ assumptions: ['a is not aliased', 'b is dense'] })).length, 1);
  assert.equal(mismatches(exp('parallel assume(a)'), finding({ assumptions: ['array ab is fresh'] })).length, 1);
  assert.deepEqual(mismatches(exp('parallel assume()'), finding({})), []);
  assert.equal(mismatches(exp('parallel assume()'), finding({ assumptions: ['x'] })).length, 1);
  assert.deepEqual(mismatches(exp('parallel private(t)'), finding({ privates: ['t'] })), []);
  assert.equal(mismatches(exp('parallel private(t)'), finding({ privates: [] })).length, 1);
  assert.deepEqual(mismatches(exp('sequential (control)'), finding({ verdict: 'sequential', dependencies: [{ variable: 'n', kind: 'control', line: 1 }] })), []);
});

test('syntactic loop finder: statements and array methods, by the line of the keyword or method name', () => {
  const text = [
    'outer: for (const x of xs) {',  // 1
    '  while (x) {}',                // 2
    '  ys',                          // 3
    '    .map((y) => y);',           // 4
    '  m.set(1, 2);',                // 5
    '  do {} while (0);',            // 6
    '}',
  ].join('\n');
  assert.deepEqual(syntacticLoops('x.ts', text).map((l) => `${l.line}:${l.construct}`), ['1:for-of', '2:while', '4:map', '6:do-while']);
});
