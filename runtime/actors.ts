// Actors in the manner of Ray: an instance of a class living in one worker. Method calls return futures
// and run one after another in call order, each seeing the state the previous one left.

import { ActorLostError } from './errors';
import { functionSource } from './function-source';
import { Future } from './futures';
import type { WorkerPool } from './pool';

export interface ActorOptions<A extends unknown[]> {
  /** Constructor arguments (plain data: they are copied to the worker). */
  args?: A;
  /** Shown in errors and traces; defaults to the class name. */
  name?: string;
}

type Method = (...args: never[]) => unknown;

/** Every method of T, returning a future of its (awaited) result; plus terminate(). */
export type ActorHandle<T> = {
  [K in keyof T as T[K] extends Method ? K : never]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Future<Awaited<R>> : never;
} & {
  /** Lets the calls made so far finish, then drops the instance from its worker. */
  terminate(): Promise<void>;
};

export function makeActor<C extends new (...args: never[]) => object>(
  pool: WorkerPool,
  Class: C,
  options: ActorOptions<ConstructorParameters<C>> = {},
): ActorHandle<InstanceType<C>> {
  const source = functionSource(Class, 'actor class');
  if (!source.startsWith('class')) {
    throw new TypeError(`actor() needs a class declared with the 'class' keyword; '${Class.name}' is not one.`);
  }
  const name = options.name ?? (Class.name || 'actor');
  const id = pool.newActorId();
  const slot = pool.leastLoadedSlot();
  pool.placeActor(id, slot);
  let lost: Error | undefined;
  let terminated = false;
  let last: Promise<unknown> = Promise.resolve();
  const onSlotLost = (lostSlot: number) => {
    if (lostSlot === slot && !terminated) lost = new ActorLostError(`Actor '${name}' was lost: its worker died and its state with it. Create a new actor.`);
  };
  pool.slotLostListeners.add(onSlotLost);

  const created = pool.submit({ kind: 'actor-create', name: `${name}.constructor`, source, args: (options.args ?? []) as unknown[], actor: id, slot, retryable: false }).promise;
  let constructionError: unknown;
  created.catch((error: unknown) => (constructionError = error));

  const callMethod = (method: string, args: unknown[]): Future<unknown> => {
    const label = `${name}.${method}`;
    let promise: Promise<unknown>;
    if (terminated) promise = Promise.reject(new ActorLostError(`Cannot call '${label}': the actor was terminated.`));
    else if (lost) promise = Promise.reject(lost);
    else {
      promise = pool.submit({ kind: 'actor-call', name: label, source, args, actor: id, method, slot, retryable: false, estimateKey: `${source.length}:${name}.${method}` }).promise.catch((error: unknown) => {
        if (constructionError !== undefined) throw new ActorLostError(`Cannot call '${label}': the actor failed to construct.`, { cause: constructionError });
        throw error;
      });
      last = promise.then(() => undefined, () => undefined);
    }
    return new Future(label, promise);
  };

  const terminate = async (): Promise<void> => {
    if (terminated) return;
    terminated = true;
    await last;
    pool.slotLostListeners.delete(onSlotLost);
    pool.dropActor(id, slot);
  };

  return new Proxy({} as ActorHandle<InstanceType<C>>, {
    get(_, property) {
      if (property === 'terminate') return terminate;
      // Not a thenable: `await handle` must not call a method named 'then' on the worker.
      if (typeof property !== 'string' || property === 'then') return undefined;
      return (...args: unknown[]) => callMethod(property, args);
    },
  });
}
