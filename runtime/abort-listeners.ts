// One 'abort' listener per signal, however many calls share it: thousands of task calls under one
// AbortSignal would otherwise trip Node's MaxListenersExceededWarning and slow every abort.

const callbacks = new WeakMap<AbortSignal, Set<() => void>>();

/** Runs `callback` when `signal` aborts; returns the function that unsubscribes it. */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let set = callbacks.get(signal);
  if (!set) {
    const fresh = new Set<() => void>();
    set = fresh;
    callbacks.set(signal, fresh);
    signal.addEventListener('abort', () => {
      callbacks.delete(signal);
      for (const run of fresh) run();
    }, { once: true });
  }
  set.add(callback);
  return () => set.delete(callback);
}
