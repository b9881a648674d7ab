// The labelled loop corpus: every loop under test/loops/corpus/*.ts carries a `// expect:` comment
// (format and matching rules in expectations.ts); this runs the analyzer on each file and checks every loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeSource } from '../../server/core/index';
import type { FileReport, LoopFinding } from '../../server/core/index';
import { mismatches, parseExpectations, showFinding, syntacticLoops, syntaxErrors } from './expectations';

const CORPUS = resolve(__dirname, 'corpus');
const MIN_CASES = 120;
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.ts')).sort();

test('corpus is well-formed (syntax, one expectation per loop, one loop per line)', () => {
  const problems: string[] = [];
  let total = 0;
  for (const name of files) {
    const path = join(CORPUS, name);
    const text = readFileSync(path, 'utf8');
    for (const e of syntaxErrors(path, text)) problems.push(`${name}:${e}`);
    const { expectations, problems: parseProblems } = parseExpectations(name, text);
    problems.push(...parseProblems);
    total += expectations.length;
    const loops = syntacticLoops(path, text);
    const loopLines = new Map<number, string[]>();
    for (const l of loops) loopLines.set(l.line, [...(loopLines.get(l.line) ?? []), l.construct]);
    for (const [line, cs] of loopLines) {
      if (cs.length > 1) problems.push(`${name}:${line}: ${cs.length} loops on one line (${cs.join(', ')})`);
    }
    const expLines = new Map<number, number>();
    for (const e of expectations) {
      if (expLines.has(e.line)) problems.push(`${name}:${e.line}: two expectations for one line`);
      expLines.set(e.line, e.commentLine);
      if (!loopLines.has(e.line)) problems.push(`${name}:${e.commentLine}: "expect: ${e.text}" is above line ${e.line}, which holds no loop`);
    }
    for (const [line, cs] of loopLines) {
      if (!expLines.has(line)) problems.push(`${name}:${line}: ${cs.join(', ')} loop without an expectation`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(total >= MIN_CASES, `the corpus has ${total} cases, fewer than ${MIN_CASES}`);
});

for (const name of files) {
  test(`corpus ${name}`, async (t) => {
    const path = join(CORPUS, name);
    const text = readFileSync(path, 'utf8');
    const sourceLines = text.split(/\r?\n/);
    const { expectations } = parseExpectations(name, text);
    let report: FileReport | undefined;
    let crash: unknown;
    try {
      report = analyzeSource(path, text);
    } catch (e) {
      crash = e;
    }
    const loops: LoopFinding[] = (report?.findings ?? []).filter((f): f is LoopFinding => f.kind === 'loop');
    const byLine = new Map<number, LoopFinding[]>();
    for (const f of loops) byLine.set(f.line, [...(byLine.get(f.line) ?? []), f]);

    for (const exp of expectations) {
      await t.test(`${name}:${exp.line} ${exp.text}`, () => {
        const where = `${name}:${exp.line}: expect: ${exp.text}\n  source: ${sourceLines[exp.line - 1]?.trim() ?? ''}`;
        if (crash !== undefined) assert.fail(`${where}\n  analyzeSource threw: ${String(crash instanceof Error ? crash.stack : crash)}`);
        const here = byLine.get(exp.line) ?? [];
        if (here.length === 0) {
          const near = loops.filter((f) => Math.abs(f.line - exp.line) <= 2).map((f) => `line ${f.line}: ${f.construct} ${f.verdict}`);
          assert.fail(`${where}\n  no loop finding on line ${exp.line}${near.length ? ` (nearby: ${near.join('; ')})` : ''}`);
        }
        if (here.length > 1) assert.fail(`${where}\n  ${here.length} findings on one line:\n${here.map(showFinding).join('\n')}`);
        const finding = here[0]!;
        const why = mismatches(exp, finding);
        if (why.length > 0) assert.fail(`${where}\n  ${why.join('\n  ')}\n  actual finding: ${showFinding(finding)}`);
      });
    }

    await t.test(`${name}: every loop finding has an expectation`, () => {
      if (crash !== undefined) assert.fail(`analyzeSource threw: ${String(crash)}`);
      const expected = new Set(expectations.map((e) => e.line));
      const extra = loops.filter((f) => !expected.has(f.line));
      if (extra.length > 0) {
        assert.fail(extra.map((f) => `${name}:${f.line}: finding without an expectation\n  source: ${sourceLines[f.line - 1]?.trim() ?? ''}\n  actual finding: ${showFinding(f)}`).join('\n'));
      }
    });

    await t.test(`${name}: analysis reported no errors`, () => {
      if (crash !== undefined) assert.fail(`analyzeSource threw: ${String(crash)}`);
      assert.deepEqual(report?.errors ?? [], []);
    });
  });
}
