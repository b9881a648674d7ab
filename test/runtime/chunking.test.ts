import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { planChunks, CACHE_LINE_BYTES } from '../../runtime/index';

test('chunks cover every index exactly once, in order', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 16 }), fc.option(fc.double({ min: 0.01, max: 1e6, noNaN: true })), (length, workers, cost) => {
    const chunks = planChunks({ length, workers, costNsPerElement: cost ?? undefined });
    let next = 0;
    for (const [start, end] of chunks) {
      assert.equal(start, next);
      assert.ok(end > start);
      next = end;
    }
    assert.equal(next, length);
  }));
});

test('typed-array chunk edges fall on 64-byte cache lines, whatever the byte offset', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom(1, 2, 4, 8), fc.integer({ min: 0, max: 63 }), fc.integer({ min: 1, max: 8 }), (length, bytesPerElement, offsetElements, workers) => {
    const byteOffset = offsetElements * bytesPerElement;
    const chunks = planChunks({ length, workers, bytesPerElement, byteOffset });
    for (const [, end] of chunks.slice(0, -1)) assert.equal((byteOffset + end * bytesPerElement) % CACHE_LINE_BYTES, 0);
    assert.equal(chunks[chunks.length - 1][1], length);
  }));
});

test('the chunk count follows the workers, and cheap elements make fewer, larger chunks', () => {
  assert.equal(planChunks({ length: 1_000_000, workers: 2 }).length, 8);
  assert.equal(planChunks({ length: 1_000_000, workers: 4 }).length, 16);
  // 1000 elements at 10 ns: 10 µs of work in all, not worth more than one message.
  assert.equal(planChunks({ length: 1000, workers: 4, costNsPerElement: 10 }).length, 1);
  assert.equal(planChunks({ length: 10, workers: 4, chunkSize: 3 }).length, 4);
});
