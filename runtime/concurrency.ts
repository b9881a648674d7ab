// Bounded concurrency for async work: run at most `limit` calls of `fn` at once, results in input order.
// This is concurrency (overlapping waits on I/O), not parallelism: everything runs on the calling thread.
// It is what `parlens analyze --fix` emits for an independent await-in-loop over a large or unbounded input,
// where `Promise.all(items.map(...))` would open every request at once.

/**
 * Maps `items` through the async `fn` with at most `limit` calls in flight; resolves to the results in input order.
 * Fails fast like `Promise.all`: the first rejection rejects the whole call, and no new calls start after it.
 */
export async function mapConcurrent<T, R>(
  items: Iterable<T> | ArrayLike<T>,
  limit: number,
  fn: (item: T, index: number) => Promise<R> | R,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`mapConcurrent: limit must be a whole number of at least 1, not ${String(limit)}`);
  }
  const input: T[] = Array.from(items as Iterable<T>);
  const results = new Array<R>(input.length);
  let next = 0;
  let failed = false;
  async function lane(): Promise<void> {
    while (!failed && next < input.length) {
      const index = next++;
      try {
        results[index] = await fn(input[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  }
  const lanes: Promise<void>[] = [];
  for (let i = 0; i < Math.min(limit, input.length); i++) lanes.push(lane());
  await Promise.all(lanes);
  return results;
}
