// The trace the profiler reads. Recording is off unless startTracing() was called; when off, the
// only cost is one boolean test per batch, no objects are made.

export interface TraceEvent {
  /** 'task' (a remote call or actor method), 'chunk' (a data-parallel piece), 'group' (a collective rank), 'message'. */
  kind: 'task' | 'chunk' | 'group' | 'message';
  name: string;
  /** Worker slot, 0..workers-1; a replaced worker keeps its slot. */
  worker: number;
  /** Milliseconds since `Trace.origin`. For a message, start is when it was sent and end when it was received. */
  start: number;
  end: number;
  /** Estimated bytes copied between threads: arguments/inputs out, result back. Shared memory counts 0. */
  bytes: number;
  /** Task or message id. The chunks of a self-scheduled loop share their work item's id and differ in `chunk`. */
  id: number;
  /** For chunks: the chunk's index in its loop. */
  chunk?: number;
  /** For messages: 'to-worker' or 'to-main', and how many items the message carried. */
  direction?: 'to-worker' | 'to-main';
  items?: number;
}

export interface Trace {
  format: 'parlens-trace';
  version: 1;
  /** Epoch milliseconds that all event times are relative to. */
  origin: number;
  workers: number;
  events: TraceEvent[];
}

export class TraceRecorder {
  private events: TraceEvent[] = [];
  private origin = 0;
  enabled = false;

  start(): void {
    this.events = [];
    this.origin = now();
    this.enabled = true;
  }

  stop(workers: number): Trace {
    this.enabled = false;
    const trace: Trace = { format: 'parlens-trace', version: 1, origin: this.origin, workers, events: this.events };
    this.events = [];
    return trace;
  }

  /** Times are epoch ms; they are stored relative to the origin. */
  record(event: TraceEvent): void {
    event.start -= this.origin;
    event.end -= this.origin;
    this.events.push(event);
  }
}

/** Epoch milliseconds with sub-millisecond resolution, comparable across threads of one process. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Rough size of what structured clone copies. Shared typed arrays cost nothing: only a handle moves. */
export function estimateBytes(value: unknown, depth = 0): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case 'number': return 8;
    case 'bigint': return 8;
    case 'boolean': return 1;
    case 'string': return value.length * 2;
    case 'object': break;
    default: return 0;
  }
  if (ArrayBuffer.isView(value)) return value.buffer instanceof SharedArrayBuffer ? 0 : value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (value instanceof SharedArrayBuffer) return 0;
  if (depth > 4) return 0;
  let total = 0;
  if (Array.isArray(value)) {
    // Sample long arrays: tracing should not cost as much as the copy it measures.
    const step = Math.max(1, Math.floor(value.length / 64));
    let sampled = 0;
    for (let i = 0; i < value.length; i += step, sampled++) total += estimateBytes(value[i], depth + 1);
    return sampled === 0 ? 0 : Math.round((total / sampled) * value.length);
  }
  for (const key of Object.keys(value as object)) total += key.length * 2 + estimateBytes((value as Record<string, unknown>)[key], depth + 1);
  return total;
}
