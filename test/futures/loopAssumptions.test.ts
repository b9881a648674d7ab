// A slot keyed by the element is written once only if no element repeats: the independent verdict says so,
// in the message and in the rewrite's description; slots keyed by a counter or a for-in key need no assumption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSource } from '../../server/core/index';
import type { AwaitInLoopFinding } from '../../server/core/index';

const source = `declare function load(id: string): Promise<string>;
export async function byKey(ids: string[]) {
  const cache = new Map<string, string>();
  for (const id of ids) {
    cache.set(id, await load(id));
  }
  return cache;
}
export async function byIndex(ids: string[]) {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    out[i] = await load(ids[i]);
  }
  return out;
}
export async function byForInKey(record: Record<string, string>) {
  const out: Record<string, string> = {};
  for (const key in record) {
    out[key] = await load(record[key]);
  }
  return out;
}
`;

test('element-keyed slots are independent under a stated assumption; counters and keys need none', () => {
  const loops = analyzeSource('slots.ts', source).findings.filter((f): f is AwaitInLoopFinding => f.kind === 'await-in-loop');
  const [byKey, byIndex, byForInKey] = loops;
  assert.equal(byKey.verdict, 'independent');
  assert.match(byKey.message, /Assumes: no two iterations have the same id, so each slot of cache is written once/);
  assert.ok(byKey.fixes.length > 0 && byKey.fixes.every((f) => /Assumes: no two iterations have the same id/.test(f.description)));
  for (const f of [byIndex, byForInKey]) {
    assert.equal(f.verdict, 'independent');
    assert.doesNotMatch(f.message, /Assumes/);
  }
});
