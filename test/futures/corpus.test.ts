// The futures corpus: every await, await-in-loop and async forEach in test/futures/corpus/ carries its expected
// verdict, dependences and rewrites; findings nobody expected fail the test as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSource } from '../../server/core/index';
import type { AwaitFinding, AwaitInLoopFinding, AsyncForEachFinding } from '../../server/core/index';
import { readExpectations } from './corpusExpectations';

const corpus = join(__dirname, 'corpus');

for (const file of readdirSync(corpus).filter((f) => f.endsWith('.ts')).sort()) {
  const path = join(corpus, file);
  const text = readFileSync(path, 'utf8');
  const expected = readExpectations(text);
  const report = analyzeSource(path, text);
  const awaits = report.findings.filter((f): f is AwaitFinding => f.kind === 'await');
  const loops = report.findings.filter((f): f is AwaitInLoopFinding => f.kind === 'await-in-loop');
  const forEach = report.findings.filter((f): f is AsyncForEachFinding => f.kind === 'async-foreach');

  test(`${file}: analyses without errors`, () => {
    assert.deepEqual(report.errors, []);
  });

  for (const e of expected.awaits) {
    test(`${file}:${e.line} await [${e.label}]`, () => {
      const f = awaits.find((a) => a.line === e.line);
      assert.ok(f, `no await finding at line ${e.line}`);
      assert.deepEqual(f.dependsOn, [...e.after].sort((a, b) => a - b), `dependsOn — ${f.message}`);
      assert.equal(f.alreadyConcurrent, e.concurrent, `alreadyConcurrent — ${f.message}`);
      if (e.group) {
        assert.deepEqual(f.group, e.group, `group — ${f.message}`);
        assert.ok(f.fixes.length > 0, 'a group leader offers a rewrite');
      } else {
        assert.deepEqual(f.group, [], `no group expected — ${f.message}`);
      }
    });
  }

  for (const e of expected.loops) {
    test(`${file}:${e.line} loop ${e.verdict}`, () => {
      const f = loops.find((l) => l.line === e.line);
      assert.ok(f, `no await-in-loop finding at line ${e.line}`);
      assert.equal(f.verdict, e.verdict, f.message);
      if (e.variable) {
        assert.ok(f.dependencies.some((d) => d.variable === e.variable && (!e.kind || d.kind === e.kind)),
          `expected a dependence on ${e.variable}${e.kind ? ` (${e.kind})` : ''}, got ${JSON.stringify(f.dependencies)}`);
      }
      if (e.fix !== undefined) assert.equal(f.fixes.length > 0, e.fix, `fix expected: ${e.fix} — ${f.message}`);
    });
  }

  for (const e of expected.forEach) {
    test(`${file}:${e.line} async forEach`, () => {
      const f = forEach.find((l) => l.line === e.line);
      assert.ok(f, `no async-foreach finding at line ${e.line}`);
      if (e.fix !== undefined) assert.equal(f.fixes.length > 0, e.fix, `fix expected: ${e.fix} — ${f.message}`);
    });
  }

  test(`${file}: no unexpected futures findings`, () => {
    const awaitLines = new Set(expected.awaits.map((a) => a.line));
    const loopLines = new Set(expected.loops.map((l) => l.line));
    const forEachLines = new Set(expected.forEach.map((l) => l.line));
    assert.deepEqual(awaits.filter((a) => !awaitLines.has(a.line)).map((a) => `${a.line}: ${a.message}`), []);
    assert.deepEqual(loops.filter((l) => !loopLines.has(l.line)).map((l) => `${l.line}: ${l.verdict} ${l.message}`), []);
    assert.deepEqual(forEach.filter((l) => !forEachLines.has(l.line)).map((l) => `${l.line}: ${l.message}`), []);
  });
}
