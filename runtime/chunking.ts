// How a data-parallel loop is cut into chunks. Like Modin or Dask partitions the count follows the
// workers, and like OpenMP's guided schedules it follows the measured cost: enough chunks per worker
// to balance the load, never so small that messaging costs more than the work.

export const CACHE_LINE_BYTES = 64;
/** A chunk should run at least this long, so the ~5 µs of messaging around it stays small. */
const MIN_CHUNK_NS = 200_000;
/**
 * Chunks per worker when the cost is known to be large or unknown: room to rebalance stragglers. Chunks that
 * workers claim from a shared counter cost a few µs each, so they can be finer than chunks sent one message
 * each: the last chunk then leaves the other workers idle for less (measured on a 2·10⁷-element map: workers
 * finish within 0.3–1 ms of each other with 16 per worker, 1–2 ms with 4).
 */
export const CHUNKS_PER_WORKER = { claimed: 16, dispatched: 4 } as const;

export interface ChunkPlanInput {
  length: number;
  workers: number;
  /** Measured nanoseconds per element from earlier runs of the same function, if any. */
  costNsPerElement?: number;
  /** Typed arrays: bytes per element and the array's byte offset in its buffer, to align chunk edges. */
  bytesPerElement?: number;
  byteOffset?: number;
  /** An explicit chunk size overrides the plan (still aligned to cache lines). */
  chunkSize?: number;
  /** How workers get chunks (see data-parallel.ts); claimed chunks can be finer. Defaults to 'dispatched'. */
  schedule?: keyof typeof CHUNKS_PER_WORKER;
}

/** Half-open [start, end) ranges of indices 0..length-1, in order, covering every index exactly once. */
export function planChunks(input: ChunkPlanInput): Array<[number, number]> {
  const { length, workers } = input;
  if (length <= 0) return [];
  let count: number;
  if (input.chunkSize !== undefined) {
    if (!(input.chunkSize >= 1)) throw new RangeError(`chunkSize must be at least 1, got ${input.chunkSize}`);
    count = Math.ceil(length / input.chunkSize);
  } else {
    count = workers * CHUNKS_PER_WORKER[input.schedule ?? 'dispatched'];
    if (input.costNsPerElement !== undefined && input.costNsPerElement > 0) {
      const worthwhile = Math.floor((length * input.costNsPerElement) / MIN_CHUNK_NS);
      count = Math.min(count, Math.max(1, worthwhile));
    }
  }
  count = Math.max(1, Math.min(count, length));
  const line = cacheLineElements(input.bytesPerElement);
  const firstLine = line === 1 ? 0 : alignmentShift(input.byteOffset ?? 0, input.bytesPerElement!, line);
  const chunks: Array<[number, number]> = [];
  let start = 0;
  for (let k = 1; k <= count; k++) {
    let end = k === count ? length : Math.round((length * k) / count);
    if (line > 1 && end < length) end = alignUp(end, line, firstLine);
    end = Math.min(end, length);
    if (end > start) {
      chunks.push([start, end]);
      start = end;
    }
  }
  return chunks;
}

function cacheLineElements(bytesPerElement: number | undefined): number {
  if (bytesPerElement === undefined || bytesPerElement <= 0 || CACHE_LINE_BYTES % bytesPerElement !== 0) return 1;
  return CACHE_LINE_BYTES / bytesPerElement;
}

/** Index of the first element that starts a cache line, given where the array starts in its buffer. */
function alignmentShift(byteOffset: number, bytesPerElement: number, line: number): number {
  return (((CACHE_LINE_BYTES - (byteOffset % CACHE_LINE_BYTES)) % CACHE_LINE_BYTES) / bytesPerElement) % line;
}

function alignUp(index: number, line: number, shift: number): number {
  return Math.ceil((index - shift) / line) * line + shift;
}
