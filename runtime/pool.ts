// The worker pool: threads, the ready queue, batched dispatch, crash recovery and shutdown.
//
// Why not piscina or tinypool: measured on this 2-core machine, piscina costs ~52 µs per tiny task and a
// bare postMessage ~5 µs. Most of the difference is one message per task. Here a worker is handed as
// many queued tasks as fit in ~2 ms of its measured run time, in one message, and returns the results in
// one message, so tiny tasks cost a few µs while long tasks still go one at a time (which keeps
// critical-path-first ordering and load balance intact). See bench/runtime.ts for the comparison.

import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { FunctionSourceError, PoolClosedError, TaskError, WorkerCrashedError, abortError } from './errors';
import type { BatchMessage, ChunkSpec, ClaimedChunk, GroupSpec, LoopSpec, SyncLoopMessage, SyncLoopReply, SyncPortMessage, ResultsMessage, WorkItem, WorkKind, WorkResult } from './protocol';
import { STATUS_EXITED, STATUS_RUNNING_TASK, STATUS_SLOTS, SYNC_FINISHED } from './protocol';
import { ReadyQueue } from './ready-queue';
import { onSharedBufferFreed } from './shared-memory';
import { TraceRecorder, estimateBytes, now, type Trace, type TraceEvent } from './trace';
import { workerEntry, workerExecArgv, type WorkerEntry } from './worker-entry';

/** How much estimated work (ms) a worker may hold at once: enough to hide a message round trip. */
const TARGET_INFLIGHT_MS = 2;
/** Ready items per worker above which a worker busy with a long task also gets the next one. */
const PREFETCH_READY_PER_WORKER = 2;
/** Weight of the newest sample in the running estimate of a function's run time. */
const ESTIMATE_WEIGHT = 0.3;
/** Consecutive workers that die before finishing any work, after which the pool gives up. */
const MAX_STARTUP_FAILURES = 3;

export interface PoolOptions {
  /** Worker threads; defaults to os.availableParallelism(). */
  workers?: number;
  /**
   * Node flags for the worker threads. Default: this process's flags without module loaders (--import,
   * --require, --loader), which slow workers down and which the worker script does not need; pass your
   * loader here if task code must load files only it can (e.g. ['--import', 'tsx']).
   */
  execArgv?: string[];
}

export interface SubmitSpec {
  kind: WorkKind;
  name: string;
  /** Source of the function (or class) to run; registered once and cached by each worker. */
  source: string;
  args?: unknown[];
  context?: number;
  chunk?: ChunkSpec;
  loop?: LoopSpec;
  group?: GroupSpec;
  actor?: number;
  method?: string;
  /** Larger runs earlier among ready work (the task's longest path to the end of the DAG). */
  priority?: number;
  /** Run on this worker slot only (actors, group ranks). */
  slot?: number;
  /** Known cost in ms; otherwise learned per function from earlier runs. */
  estimateMs?: number;
  /** Key of the learned run-time estimate; defaults to the function id. */
  estimateKey?: string | number;
  /** Failed work on a crashed worker is retried once elsewhere unless this is false. */
  retryable?: boolean;
}

export type WorkState = 'queued' | 'sent' | 'done';

const ignore = (): undefined => undefined;

/** A unit of work as the pool sees it. `promise` settles with the worker's return value. */
export class Work {
  state: WorkState = 'queued';
  queuedPriority = 0;
  seq = 0;
  slot = -1;
  attempts = 0;
  estimateMs = 0;
  bytesOut = 0;
  readonly promise: Promise<unknown>;
  resolve!: (value: unknown) => void;
  reject!: (error: unknown) => void;

  constructor(readonly item: WorkItem, readonly spec: SubmitSpec, public priority: number) {
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Rejections are also observed by whoever awaits; this keeps an abandoned one from crashing the process.
    this.promise.catch(ignore);
  }
}

interface WorkerSlot {
  index: number;
  worker: Worker;
  status: Int32Array;
  knownFunctions: Set<number>;
  knownContexts: Set<number>;
  inflight: Map<number, Work>;
  inflightMs: number;
  pinned: Work[];
  releaseContexts: number[];
  dropActors: number[];
  releaseBuffers: number[];
  /** Read with receiveMessageOnPort by synchronous loops; never listened to, so replies wait in it. */
  syncPort: MessagePort;
  alive: boolean;
  /** Set when the pool terminates this worker on purpose (cancellation, close). */
  terminatedFor?: number | 'close';
  lastError?: Error;
  /** True once the worker has returned any result: it started up fine. */
  healthy: boolean;
  exited: Promise<void>;
  actors: Set<number>;
}

const sourceIds = new Map<string, number>();

/** A stable id per distinct source text; workers cache rebuilt functions by it. */
export function functionId(source: string): number {
  let id = sourceIds.get(source);
  if (id === undefined) {
    id = sourceIds.size + 1;
    sourceIds.set(source, id);
  }
  return id;
}

export interface PoolStats {
  workers: number;
  spawned: number;
  exited: number;
  /** Worker threads started and not yet exited. Zero after close() resolves. */
  liveWorkers: number;
  queued: number;
  inflight: number;
}

export class WorkerPool {
  readonly size: number;
  private readonly slots: WorkerSlot[] = [];
  private readonly ready = new ReadyQueue<Work>((work) => work.state === 'queued');
  private readonly estimates = new Map<string | number, number>();
  private readonly contexts = new Map<number, unknown>();
  private readonly tracer = new TraceRecorder();
  private nextWorkId = 1;
  private nextContextId = 1;
  private nextActorId = 1;
  private pumpScheduled = false;
  private pumpImmediate = false;
  private outstanding = 0;
  private holds = 0;
  private idleWaiters: Array<() => void> = [];
  private closing: Promise<void> | undefined;
  private spawned = 0;
  private startupFailures = 0;
  private broken: Error | undefined;
  private exited = 0;
  /** Observers of crashed slots (actors use it to learn their state is gone). */
  readonly slotLostListeners = new Set<(slot: number) => void>();
  private readonly stopBufferWatch: () => void;
  private readonly execArgv: string[] | undefined;

  constructor(options: PoolOptions = {}) {
    const workers = options.workers ?? availableParallelism();
    if (!(Number.isInteger(workers) && workers >= 1)) throw new RangeError(`workers must be a positive integer, got ${workers}`);
    this.size = workers;
    this.execArgv = options.execArgv;
    for (let i = 0; i < workers; i++) this.slots.push(this.spawn(i));
    // Workers keep loops compiled around shared arrays (and so their memory) until told the array is gone.
    this.stopBufferWatch = onSharedBufferFreed((bufferId) => {
      for (const slot of this.slots) if (slot.alive) slot.releaseBuffers.push(bufferId);
    });
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  stats(): PoolStats {
    let inflight = 0;
    for (const slot of this.slots) inflight += slot.inflight.size;
    return {
      workers: this.size,
      spawned: this.spawned,
      exited: this.exited,
      liveWorkers: this.spawned - this.exited,
      queued: this.outstanding - inflight,
      inflight,
    };
  }

  /** Queues work; the returned Work's promise settles with the result. */
  submit(spec: SubmitSpec): Work {
    this.assertOpen(spec.name);
    const item: WorkItem = { id: this.nextWorkId++, kind: spec.kind, fn: functionId(spec.source) };
    if (spec.args !== undefined) item.args = spec.args;
    if (spec.context !== undefined) item.context = spec.context;
    if (spec.chunk !== undefined) item.chunk = spec.chunk;
    if (spec.loop !== undefined) item.loop = spec.loop;
    if (spec.group !== undefined) item.group = spec.group;
    if (spec.actor !== undefined) item.actor = spec.actor;
    if (spec.method !== undefined) item.method = spec.method;
    const work = new Work(item, spec, spec.priority ?? 0);
    if (this.tracer.enabled) work.bytesOut = estimateBytes(spec.args) + estimateBytes(spec.chunk?.input) + estimateBytes(spec.loop?.chunk.input);
    this.outstanding++;
    this.enqueue(work);
    return work;
  }

  /** Raises the priority of queued work (a new dependent made its path to the end longer). */
  reprioritize(work: Work, priority: number): void {
    if (work.state !== 'queued' || priority <= work.priority) return;
    work.priority = priority;
    if (work.spec.slot === undefined) this.ready.raise(work, priority);
  }

  /** Cancels work: dropped if queued; if running, its worker is terminated and replaced. */
  cancel(work: Work, reason: unknown): void {
    if (work.state === 'done') return;
    const wasSent = work.state === 'sent';
    this.settle(work, false, abortError(work.spec.name, reason));
    if (!wasSent) return;
    const slot = this.slots[work.slot];
    slot.inflight.delete(work.item.id);
    slot.inflightMs -= work.estimateMs;
    if (slot.alive && slot.terminatedFor === undefined) {
      slot.terminatedFor = work.item.id;
      void slot.worker.terminate();
    }
  }

  registerContext(value: unknown): number {
    const id = this.nextContextId++;
    this.contexts.set(id, value);
    return id;
  }

  releaseContext(id: number): void {
    this.contexts.delete(id);
    for (const slot of this.slots) {
      if (slot.knownContexts.delete(id)) slot.releaseContexts.push(id);
    }
  }

  /** Keeps close() in drain mode waiting, e.g. while a task waits for its dependencies. */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.checkIdle();
    };
  }

  newActorId(): number {
    return this.nextActorId++;
  }

  /** The slot with the fewest actors: spreads actors over the workers. */
  leastLoadedSlot(): number {
    let best = this.slots[0];
    for (const slot of this.slots) if (slot.actors.size < best.actors.size) best = slot;
    return best.index;
  }

  placeActor(actor: number, slot: number): void {
    this.slots[slot].actors.add(actor);
  }

  dropActor(actor: number, slot: number): void {
    const target = this.slots[slot];
    if (target.actors.delete(actor)) target.dropActors.push(actor);
  }

  /** Measured ms per call of a function (or actor method), if it has run before. */
  estimateOf(key: string | number): number | undefined {
    return this.estimates.get(key);
  }

  startTracing(): void {
    this.tracer.start();
  }

  stopTracing(): Trace {
    return this.tracer.stop(this.size);
  }

  /**
   * Shuts the pool down. 'drain' (the default) lets queued and running work finish; 'abort' rejects it
   * at once. Resolves when every worker thread has exited.
   */
  close(options: { mode?: 'drain' | 'abort' } = {}): Promise<void> {
    if (this.closing) return this.closing;
    const mode = options.mode ?? 'drain';
    this.stopBufferWatch();
    this.closing = (async () => {
      if (mode === 'abort') {
        this.abortEverything();
      } else {
        await new Promise<void>((resolve) => {
          this.idleWaiters.push(resolve);
          this.checkIdle();
        });
      }
      for (const slot of this.slots) {
        slot.terminatedFor = 'close';
        if (slot.alive) void slot.worker.terminate();
      }
      await Promise.all(this.slots.map((slot) => slot.exited));
    })();
    return this.closing;
  }

  private abortEverything(): void {
    this.failEverything((name) => new PoolClosedError(`Task '${name}' was cancelled because the pool was closed with mode 'abort'.`));
  }

  private failEverything(reason: Error | ((name: string) => Error)): void {
    const error = typeof reason === 'function' ? reason : () => reason;
    for (const work of this.ready.drain()) if (work.state === 'queued') this.settle(work, false, error(work.spec.name));
    for (const slot of this.slots) {
      for (const work of slot.pinned) if (work.state === 'queued') this.settle(work, false, error(work.spec.name));
      slot.pinned = [];
      for (const work of slot.inflight.values()) this.settle(work, false, error(work.spec.name));
      slot.inflight.clear();
      slot.inflightMs = 0;
    }
  }

  /**
   * Runs a loop (see LoopSpec) on every live worker and blocks this thread until all have finished: for
   * synchronous code, which cannot await. Returns the chunks each worker claimed. A worker busy with earlier
   * work starts when that work is done; queued work of the pool waits until this thread is free again.
   */
  runLoopSync(name: string, source: string, loop: LoopSpec, context: unknown): ClaimedChunk[][] {
    this.assertOpen(name);
    // A worker that died while this thread was busy has not been replaced yet (that needs the event loop).
    const live = this.slots.filter((slot) => slot.alive && slot.terminatedFor === undefined && Atomics.load(slot.status, STATUS_EXITED) === 0);
    if (live.length === 0) {
      throw new WorkerCrashedError(name, 0, 'no worker thread is running; the pool replaces crashed workers once this thread returns to its event loop, so retry from an async context or after an await');
    }
    const participants = live.slice(0, Math.max(1, Math.min(live.length, loop.ranges.length / 2)));
    const done = new Int32Array(new SharedArrayBuffer(8));
    const id = this.nextWorkId++;
    const message: SyncLoopMessage = { type: 'sync-loop', fn: functionId(source), source, context, loop, done };
    try {
      for (const slot of participants) slot.worker.postMessage(message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TypeError(`Cannot send the context of '${name}' to a worker (${reason}). Pass plain data, arrays, typed arrays or SharedArrayBuffers.`);
    }
    for (let finished = Atomics.load(done, SYNC_FINISHED); finished < participants.length; finished = Atomics.load(done, SYNC_FINISHED)) {
      Atomics.wait(done, SYNC_FINISHED, finished);
    }
    const claimed: ClaimedChunk[][] = [];
    let failure: Error | undefined;
    for (const slot of participants) {
      const reply = receiveMessageOnPort(slot.syncPort)?.message as SyncLoopReply | undefined;
      if (!reply) {
        failure ??= new WorkerCrashedError(name, slot.index, 'the worker exited during the loop');
      } else if (!reply.ok) {
        failure ??= reply.error!.name === 'FunctionSourceError' ? new FunctionSourceError(`'${name}': ${reply.error!.message}`) : new TaskError(name, slot.index, reply.error!);
      } else {
        claimed.push(reply.value!);
        if (this.tracer.enabled) this.traceClaimedChunks(slot, name, id, reply.value!);
      }
    }
    if (failure) throw failure;
    return claimed;
  }

  private assertOpen(name: string): void {
    if (this.broken) throw this.broken;
    if (this.closing) {
      throw new PoolClosedError(`Cannot run '${name}': this pool is closed. Create a new one with createPool(), or use the top-level functions, which open a fresh default pool.`);
    }
  }

  private enqueue(work: Work): void {
    work.state = 'queued';
    work.slot = -1;
    if (work.spec.slot !== undefined) this.slots[work.spec.slot].pinned.push(work);
    else this.ready.push(work, work.priority);
    this.schedulePump();
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    // A microtask lets a synchronous loop of submissions finish first, so they go out in one batch.
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private estimateKey(work: Work): string | number {
    return work.spec.estimateKey ?? work.item.fn;
  }

  /**
   * Hands ready work to workers with room, one item per worker per round, so a wrong estimate cannot pile
   * everything onto the first worker.
   */
  private pump(): void {
    const batches = new Map<WorkerSlot, WorkItem[]>();
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const slot of this.slots) {
        if (!slot.alive || slot.terminatedFor !== undefined) continue;
        const work = this.takeFor(slot);
        if (!work) continue;
        progressed = true;
        let batch = batches.get(slot);
        if (!batch) batches.set(slot, (batch = []));
        batch.push(this.prepareItem(slot, work));
      }
    }
    for (const [slot, batch] of batches) this.send(slot, batch);
  }

  /** The next work for this worker, if it has room for it: pinned work first, then the best ready work. */
  private takeFor(slot: WorkerSlot): Work | undefined {
    while (slot.pinned.length > 0 && slot.pinned[0].state !== 'queued') slot.pinned.shift();
    const fromPinned = slot.pinned.length > 0;
    const work = fromPinned ? slot.pinned[0] : this.ready.peek();
    if (!work) return undefined;
    const estimate = work.spec.estimateMs ?? this.estimates.get(this.estimateKey(work)) ?? TARGET_INFLIGHT_MS;
    // Long tasks go one at a time, so the next one goes to whichever worker frees first (critical-path order holds)
    // — except while plenty of work waits: then each worker also holds the next task, so it never idles for a
    // message round trip between tasks (measured: ~0.4 ms a task on this VM). Near the end of the queue, when an
    // item held by a busy worker could leave another idle, it is back to one at a time.
    // Chunks of a loop have no order to keep and are sized to balance already (chunking.ts), so a worker holds the
    // next one whenever every other worker could still find one waiting.
    const prefetchThreshold = work.spec.kind === 'chunk' ? this.slots.length - 1 : PREFETCH_READY_PER_WORKER * this.slots.length;
    const prefetch = fromPinned ? false : slot.inflight.size < 2 && this.ready.size > prefetchThreshold;
    if (slot.inflight.size > 0 && slot.inflightMs + estimate > TARGET_INFLIGHT_MS && !prefetch) return undefined;
    if (fromPinned) slot.pinned.shift();
    else this.ready.pop();
    work.state = 'sent';
    work.slot = slot.index;
    work.estimateMs = estimate;
    slot.inflightMs += estimate;
    if (slot.inflight.size === 0) slot.worker.ref();
    slot.inflight.set(work.item.id, work);
    return work;
  }

  /** Adds the function source and context value the first time this worker needs them. */
  private prepareItem(slot: WorkerSlot, work: Work): WorkItem {
    const item = work.item;
    const needsSource = !slot.knownFunctions.has(item.fn);
    const needsContext = item.context !== undefined && !slot.knownContexts.has(item.context);
    if (!needsSource && !needsContext) return item;
    const prepared: WorkItem = { ...item };
    if (needsSource) {
      prepared.source = work.spec.source;
      slot.knownFunctions.add(item.fn);
    }
    if (needsContext) {
      prepared.contextValue = this.contexts.get(item.context!);
      slot.knownContexts.add(item.context!);
    }
    return prepared;
  }

  private send(slot: WorkerSlot, items: WorkItem[]): void {
    const message: BatchMessage = { type: 'batch', items };
    if (slot.releaseContexts.length > 0) {
      message.release = slot.releaseContexts;
      slot.releaseContexts = [];
    }
    if (slot.dropActors.length > 0) {
      message.dropActors = slot.dropActors;
      slot.dropActors = [];
    }
    if (slot.releaseBuffers.length > 0) {
      message.releaseBuffers = slot.releaseBuffers;
      slot.releaseBuffers = [];
    }
    try {
      slot.worker.postMessage(message);
    } catch (error) {
      // Arguments that structured clone refuses (functions, class instances with private fields, ...).
      for (const item of items) {
        const work = slot.inflight.get(item.id)!;
        slot.inflight.delete(item.id);
        slot.inflightMs -= work.estimateMs;
        const reason = error instanceof Error ? error.message : String(error);
        this.settle(work, false, new TypeError(`Cannot send the arguments or context of '${work.spec.name}' to a worker (${reason}). Pass plain data, arrays, typed arrays or SharedArrayBuffers; functions must be sent as tasks.`));
      }
      if (slot.inflight.size === 0) slot.worker.unref();
      return;
    }
    if (this.tracer.enabled) {
      const at = now();
      this.tracer.record({ kind: 'message', name: 'batch', worker: slot.index, start: at, end: at, bytes: estimateBytes(items), id: items[0].id, direction: 'to-worker', items: items.length });
    }
  }

  private onResults(slot: WorkerSlot, message: ResultsMessage): void {
    slot.healthy = true;
    this.startupFailures = 0;
    const tracing = this.tracer.enabled;
    if (tracing) {
      const last = message.results[message.results.length - 1];
      this.tracer.record({ kind: 'message', name: 'results', worker: slot.index, start: last.end, end: now(), bytes: estimateBytes(message.results), id: last.id, direction: 'to-main', items: message.results.length });
    }
    for (const result of message.results) {
      const work = slot.inflight.get(result.id);
      if (!work) continue; // cancelled while it ran
      slot.inflight.delete(result.id);
      slot.inflightMs -= work.estimateMs;
      if (work.spec.estimateMs === undefined) this.learn(this.estimateKey(work), result.end - result.start);
      if (tracing) this.traceWork(slot, work, result);
      if (result.ok) this.settle(work, true, result.value);
      else this.settle(work, false, this.workerError(work, slot, result));
    }
    if (slot.inflight.size === 0) {
      slot.inflightMs = 0; // no drift from floating-point sums
      slot.worker.unref();
    }
    this.pumpAfterCallbacks();
  }

  /**
   * Dispatches after the promise callbacks of the results just settled have run: a finished task's
   * dependents are submitted in those callbacks, and they may have the best claim on the free worker.
   */
  private pumpAfterCallbacks(): void {
    if (this.pumpImmediate) return;
    this.pumpImmediate = true;
    setImmediate(() => {
      this.pumpImmediate = false;
      this.pump();
    });
  }

  private workerError(work: Work, slot: WorkerSlot, result: WorkResult): Error {
    const error = result.error!;
    if (error.name === 'FunctionSourceError') return new FunctionSourceError(`'${work.spec.name}': ${error.message}`);
    return new TaskError(work.spec.name, slot.index, error);
  }

  private traceWork(slot: WorkerSlot, work: Work, result: WorkResult): void {
    if (work.item.kind === 'loop' && result.ok) {
      this.traceClaimedChunks(slot, work.spec.name, work.item.id, result.value as ClaimedChunk[]);
      return;
    }
    const kind: TraceEvent['kind'] = work.item.kind === 'chunk' ? 'chunk' : work.item.kind === 'group' ? 'group' : 'task';
    const bytes = work.bytesOut + estimateBytes(result.value);
    this.tracer.record({ kind, name: work.spec.name, worker: slot.index, start: result.start, end: result.end, bytes, id: work.item.id });
  }

  /** A claimed loop, awaited or blocking: one event per chunk this worker claimed, under the loop's work id. */
  private traceClaimedChunks(slot: WorkerSlot, name: string, id: number, chunks: readonly ClaimedChunk[]): void {
    for (const chunk of chunks) {
      this.tracer.record({ kind: 'chunk', name, worker: slot.index, start: chunk.start, end: chunk.end, bytes: estimateBytes(chunk.value), id, chunk: chunk.k });
    }
  }

  private learn(key: string | number, ms: number): void {
    const previous = this.estimates.get(key);
    this.estimates.set(key, previous === undefined ? ms : previous + ESTIMATE_WEIGHT * (ms - previous));
  }

  private settle(work: Work, ok: boolean, value: unknown): void {
    if (work.state === 'done') return;
    work.state = 'done';
    this.outstanding--;
    if (ok) work.resolve(value);
    else work.reject(value);
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.outstanding > 0 || this.holds > 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private spawn(index: number): WorkerSlot {
    const entry = workerEntry();
    const status = new Int32Array(new SharedArrayBuffer(STATUS_SLOTS * 4));
    const worker = this.startWorker(entry, status);
    this.spawned++;
    const { port1: syncPort, port2: workerSyncPort } = new MessageChannel();
    worker.postMessage({ type: 'sync-port', port: workerSyncPort } satisfies SyncPortMessage, [workerSyncPort]);
    let markExited!: () => void;
    const slot: WorkerSlot = {
      index,
      worker,
      status,
      knownFunctions: new Set(),
      knownContexts: new Set(),
      inflight: new Map(),
      inflightMs: 0,
      pinned: [],
      releaseContexts: [],
      dropActors: [],
      releaseBuffers: [],
      syncPort,
      alive: true,
      healthy: false,
      exited: new Promise((resolve) => (markExited = resolve)),
      actors: new Set(),
    };
    worker.on('message', (message: ResultsMessage) => this.onResults(slot, message));
    worker.on('error', (error) => {
      slot.lastError = error;
    });
    worker.on('exit', (code) => {
      slot.alive = false;
      this.exited++;
      this.onExit(slot, code);
      markExited();
    });
    // An idle pool must not keep the process alive; dispatch refs a worker while it has work.
    worker.unref();
    return slot;
  }

  private startWorker(entry: WorkerEntry, status: Int32Array): Worker {
    const start = (execArgv: string[] | undefined) => new Worker(entry.file, { workerData: { status }, execArgv });
    if (this.execArgv) {
      try {
        return start([...this.execArgv, ...entry.loaderArgv]);
      } catch (error) {
        throw new RangeError(`PoolOptions.execArgv holds flags a worker thread cannot take (${(error as Error).message}); pass per-thread flags only (V8 and module flags, not --inspect or --title).`);
      }
    }
    const flags = workerExecArgv();
    if (flags.length === process.execArgv.length && entry.loaderArgv.length === 0) return start(undefined); // Node's own inheritance
    try {
      return start([...flags, ...entry.loaderArgv]);
    } catch {
      // A flag only a whole process takes (--inspect, --title): Node's inheritance filters those, so fall back to it.
      return start(entry.loaderArgv.length > 0 ? entry.loaderArgv : undefined);
    }
  }

  private onExit(slot: WorkerSlot, code: number): void {
    if (slot.terminatedFor === 'close') return;
    const running = Atomics.load(slot.status, STATUS_RUNNING_TASK);
    const culprit = typeof slot.terminatedFor === 'number' ? slot.terminatedFor : running;
    const reason = slot.lastError
      ? `an uncaught ${slot.lastError.name} escaped the task: ${slot.lastError.message}`
      : `the worker exited with code ${code}`;
    if (!slot.healthy && slot.lastError && slot.inflight.size > 0 && ++this.startupFailures >= MAX_STARTUP_FAILURES) {
      // Workers that die before finishing anything would be replaced forever; stop and say why.
      this.broken = new Error(`Parlens worker threads fail to start (${slot.lastError.message}). Check that the worker script loads on its own: run 'npm run build' and use dist/runtime.js, or run from source under tsx.`);
    }
    const replacement = this.closing || this.broken ? undefined : this.spawn(slot.index);
    if (replacement) this.slots[slot.index] = replacement;
    for (const work of slot.inflight.values()) {
      const innocent = culprit !== 0 && work.item.id !== culprit;
      const retryable = work.spec.retryable !== false && work.spec.slot === undefined;
      if (innocent && retryable && work.attempts === 0 && replacement) {
        work.attempts++;
        this.enqueue(work);
      } else {
        this.settle(work, false, new WorkerCrashedError(work.spec.name, slot.index, reason));
      }
    }
    slot.inflight.clear();
    // Work pinned to this slot (actor calls, group ranks) cannot move: its state died with the worker.
    for (const work of slot.pinned) this.settle(work, false, new WorkerCrashedError(work.spec.name, slot.index, reason));
    slot.pinned = [];
    if (this.broken) this.failEverything(this.broken);
    if (slot.actors.size > 0) for (const listener of this.slotLostListeners) listener(slot.index);
    this.schedulePump();
  }
}
