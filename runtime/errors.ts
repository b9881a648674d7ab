// Errors the runtime hands back to callers. Each message says what happened and what to do next.

/** The plain-data shape an error takes on its way from a worker to the main thread. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** For a ReferenceError: the name the rebuilt function could not see. */
  missingName?: string;
}

/** An error thrown inside a worker, carried back with the worker-side stack and the task's name. */
export class TaskError extends Error {
  override readonly name = 'TaskError';
  readonly taskName: string;
  readonly workerId: number;
  /** The stack as the worker saw it; the `stack` of this error also contains it. */
  readonly workerStack: string | undefined;

  constructor(taskName: string, workerId: number, original: SerializedError) {
    super(describeWorkerError(taskName, workerId, original), { cause: rebuildError(original) });
    this.taskName = taskName;
    this.workerId = workerId;
    this.workerStack = original.stack;
    this.stack = `${this.name}: ${this.message}\n--- worker ${workerId} stack ---\n${original.stack ?? '(none)'}`;
  }
}

/** A worker died (process.exit, an uncaught error in a callback, out of memory) while running this task. */
export class WorkerCrashedError extends Error {
  override readonly name = 'WorkerCrashedError';
  constructor(readonly taskName: string, readonly workerId: number, reason: string) {
    super(
      `Task '${taskName}' lost its worker ${workerId}: ${reason}. The worker was replaced; ` +
        'if the task calls process.exit or throws from a timer or event callback, make it return or throw from the task body instead.',
    );
  }
}

/** A function cannot be sent to a worker: native, bound, or source that does not parse on its own. */
export class FunctionSourceError extends Error {
  override readonly name = 'FunctionSourceError';
}

/** The pool was closed before or while the work ran. */
export class PoolClosedError extends Error {
  override readonly name = 'PoolClosedError';
}

/** An actor's worker died; its state is gone. */
export class ActorLostError extends Error {
  override readonly name = 'ActorLostError';
}

/** The work was cancelled through an AbortSignal or by `close({ mode: 'abort' })`. */
export function abortError(taskName: string, reason?: unknown): Error {
  const why = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
  const error = new Error(`Task '${taskName}' was cancelled: ${why}`, { cause: reason });
  error.name = 'AbortError';
  return error;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const serialized: SerializedError = { name: error.name, message: error.message, stack: error.stack };
    if (error instanceof ReferenceError) {
      const match = /^(\S+) is not defined/.exec(error.message);
      if (match) serialized.missingName = match[1];
    }
    return serialized;
  }
  return { name: 'Error', message: `a non-Error value was thrown: ${safeString(error)}` };
}

function describeWorkerError(taskName: string, workerId: number, original: SerializedError): string {
  if (original.missingName !== undefined) {
    return (
      `Task '${taskName}' failed in worker ${workerId}: '${original.missingName}' is not defined there. ` +
      'Functions sent to workers are rebuilt from their source text and cannot see variables, imports or ' +
      `helpers from the code around them; pass '${original.missingName}' through options.context (or as an argument), ` +
      'or define it inside the function.'
    );
  }
  return `Task '${taskName}' failed in worker ${workerId}: ${original.name}: ${original.message}`;
}

function rebuildError(original: SerializedError): Error {
  const error = new Error(original.message);
  error.name = original.name;
  if (original.stack !== undefined) error.stack = original.stack;
  return error;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
